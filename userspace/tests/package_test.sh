#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ward unit tests - "ward verify-package" and scripts/mkmanifest (TAP)
#
# Makes its own PKI with the openssl commands of the admin guide: a
# trusted EC CA with RSA and ECDSA P-256 signers, a trusted SM2 CA with an
# SM2 signer, and a CA nobody trusts with its signer; a tarball as "make
# dist" makes one and a .deb as dpkg-deb builds one; then damages each
# piece in turn.  Each refusal must be the one expected: exit status, the
# errno's name in --json, and the words of the one line naming it.

set -uo pipefail
srcdir=@WARD_SRCDIR@
ward=@WARD@
mkmanifest=$srcdir/scripts/mkmanifest
export LC_ALL=C

work=$(mktemp -d /tmp/ward-package-XXXXXX)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1

# shellcheck source=tap.sh
. "$srcdir/userspace/tests/tap.sh"

# ---- the PKI -----------------------------------------------------------

quiet() {
	"$@" >>"$work/openssl.log" 2>&1 || {
		echo "Bail out! $* failed: $(tail -n 3 "$work/openssl.log")"
		exit 1
	}
}

printf 'keyUsage = critical, digitalSignature\n' >leaf.ext
ca() { # NAME ALG...: a self-signed CA
	local name=$1
	shift
	quiet openssl genpkey "$@" -out "$name.key"
	if [ "$1" = "-algorithm" ] && [ "$2" = SM2 ]; then
		quiet openssl req -new -x509 -key "$name.key" -sm3 \
			-sigopt distid:1234567812345678 -days 30 \
			-subj "/CN=$name" \
			-addext "basicConstraints=critical,CA:TRUE" \
			-addext "keyUsage=critical,keyCertSign,cRLSign" \
			-out "$name.pem"
	else
		quiet openssl req -new -x509 -key "$name.key" -sha256 -days 30 \
			-subj "/CN=$name" \
			-addext "basicConstraints=critical,CA:TRUE" \
			-addext "keyUsage=critical,keyCertSign,cRLSign" \
			-out "$name.pem"
	fi
}
signer() { # NAME CA ALG...: a signer under CA
	local name=$1 ca=$2
	shift 2
	quiet openssl genpkey "$@" -out "$name.key"
	if [ "$1" = "-algorithm" ] && [ "$2" = SM2 ]; then
		quiet openssl req -new -key "$name.key" -sm3 \
			-sigopt distid:1234567812345678 -subj "/CN=$name" \
			-out "$name.csr"
		quiet openssl x509 -req -in "$name.csr" -CA "$ca.pem" \
			-CAkey "$ca.key" -CAcreateserial -sm3 \
			-sigopt distid:1234567812345678 \
			-vfyopt distid:1234567812345678 -days 30 \
			-extfile leaf.ext -out "$name.pem"
	else
		quiet openssl req -new -key "$name.key" -subj "/CN=$name" \
			-out "$name.csr"
		quiet openssl x509 -req -in "$name.csr" -CA "$ca.pem" \
			-CAkey "$ca.key" -CAcreateserial -sha256 -days 30 \
			-extfile leaf.ext -out "$name.pem"
	fi
}
ec=(-algorithm EC -pkeyopt ec_paramgen_curve:P-256)
ca ca "${ec[@]}"
ca sm2ca -algorithm SM2
ca strangerca "${ec[@]}"
signer rsa ca -algorithm RSA -pkeyopt rsa_keygen_bits:2048
signer ecdsa ca "${ec[@]}"
signer sm2 sm2ca -algorithm SM2
signer stranger strangerca "${ec[@]}"
mkdir keys
cp ca.pem sm2ca.pem keys/

# ---- the packages ------------------------------------------------------

mkdir -p tree/pkg-1.0/sub rel
echo "first file" >tree/pkg-1.0/a.txt
head -c 100000 /dev/urandom >tree/pkg-1.0/sub/b.bin
tar -czf rel/pkg-1.0.tar.gz -C tree pkg-1.0
mkdir -p deb/DEBIAN deb/usr/share/doc/pkg
printf 'Package: pkg\nVersion: 1.0\nArchitecture: all\nMaintainer: ward tests <ward@example.org>\nDescription: a test package\n' \
	>deb/DEBIAN/control
echo "a file" >deb/usr/share/doc/pkg/README
quiet dpkg-deb --root-owner-group --build deb rel/pkg_1.0_all.deb

# mkmanifest as make dist runs it, signed by $1.
sign_release() {
	quiet "$mkmanifest" --ward "$ward" --key "$1.key" --cert "$1.pem" \
		rel/pkg-1.0.manifest rel/pkg-1.0.tar.gz
}

# verify ARGS...: runs verify-package with the test's keys; sets $rc,
# $out (the text, standard error included) and $json (with --json).
verify() {
	out=$("$ward" verify-package --keys "$work/keys" "$@" 2>&1)
	rc=$?
	json=$("$ward" --json verify-package --keys "$work/keys" "$@" 2>/dev/null)
}

# expect NAME RC CODE WORDS: the last verify exited RC, its JSON has the
# problem CODE (none when CODE is -) and its text says WORDS.
expect() {
	local name=$1 want_rc=$2 code=$3 words=$4 codes

	codes=$(printf '%s' "$json" | python3 -c '
import json, sys
d = json.load(sys.stdin)
print(" ".join(p["code"] for p in d.get("problems", [])) or "-")' 2>&1)
	if [ "$rc" = "$want_rc" ] && [ "$codes" = "$code" ] &&
		printf '%s' "$out" | grep -qF -- "$words"; then
		ok "$name"
	else
		not_ok "$name"
		echo "# exit $rc (want $want_rc), codes '$codes' (want '$code'), want words '$words'"
		printf '%s\n' "$out" | sed 's/^/# /'
	fi
}

# The JSON field $1 of the last verify is $2.
expect_field() {
	local got

	got=$(printf '%s' "$json" | python3 -c "
import json, sys
d = json.load(sys.stdin)
for k in '$1'.split('.'):
    d = d[k]
print(d)" 2>&1)
	if [ "$got" = "$2" ]; then
		ok "$3"
	else
		not_ok "$3"
		echo "# $1 is '$got', want '$2'"
	fi
}

# ---- good packages, each kind of signer ---------------------------------

for who in ecdsa rsa sm2; do
	sign_release "$who"
	verify rel/pkg-1.0.tar.gz
	expect "a tarball signed by $who verifies" 0 - "and its 2 members match rel/pkg-1.0.manifest"
	case $who in
	ecdsa) key="ECDSA P-256" ;;
	rsa) key=RSA-PSS ;;
	sm2) key=SM2 ;;
	esac
	expect_field signer.key "$key" "$who: the signer's key is $key"
	expect_field signer.subject "CN=$who" "$who: the signer is named"
	expect_field members 2 "$who: both members were checked"
done

# The manifest is cksum's: it checks the tarball and, extracted, its
# members, SHA-256 and SM3 alike.
if (cd rel && tar -xzf pkg-1.0.tar.gz && cksum --check --strict pkg-1.0.manifest >/dev/null &&
	[ "$(grep -c '^SM3 ' pkg-1.0.manifest)" = 3 ] &&
	[ "$(grep -c '^SHA256 ' pkg-1.0.manifest)" = 3 ] && rm -rf pkg-1.0); then
	ok "cksum --check reads the manifest: 3 files, SHA-256 and SM3"
else
	not_ok "cksum --check reads the manifest: 3 files, SHA-256 and SM3"
fi
# And policy verify checks its signature.
if "$ward" policy verify --keys keys rel/pkg-1.0.manifest >/dev/null 2>&1; then
	ok "policy verify checks the manifest's signature"
else
	not_ok "policy verify checks the manifest's signature"
fi

# A .deb, found by its stem's manifest as for a tarball; not read as one.
quiet "$mkmanifest" --ward "$ward" --key sm2.key --cert sm2.pem \
	rel/pkg_1.0_all.manifest rel/pkg_1.0_all.deb
verify rel/pkg_1.0_all.deb
expect "a .deb signed with SM2 verifies" 0 - "it matches rel/pkg_1.0_all.manifest"
cp rel/pkg_1.0_all.deb good.deb
printf '\x01' | dd of=rel/pkg_1.0_all.deb bs=1 seek=700 conv=notrunc status=none
verify rel/pkg_1.0_all.deb
expect "a .deb with a changed byte is refused" 1 EBADMSG "SHA-256 and SM3 digests differ"
cp good.deb rel/pkg_1.0_all.deb

# ---- what is refused ----------------------------------------------------

sign_release ecdsa
cp rel/pkg-1.0.tar.gz good.tar.gz
cp rel/pkg-1.0.manifest good.manifest
cp rel/pkg-1.0.manifest.sig good.sig
restore() {
	cp good.tar.gz rel/pkg-1.0.tar.gz
	cp good.manifest rel/pkg-1.0.manifest
	cp good.sig rel/pkg-1.0.manifest.sig
}

# A byte of the signature value (its last field).
size=$(stat -c %s good.sig)
printf '\x10' | dd of=rel/pkg-1.0.manifest.sig bs=1 seek=$((size - 3)) conv=notrunc status=none
verify rel/pkg-1.0.tar.gz
expect "a damaged signature is refused" 1 EKEYREJECTED "bad signature of the manifest"
restore

# A byte of the tarball: its digests differ, and it is not parsed.
printf '\xff' | dd of=rel/pkg-1.0.tar.gz bs=1 seek=2000 conv=notrunc status=none
verify rel/pkg-1.0.tar.gz
expect "a changed byte in the tarball is refused" 1 EBADMSG "SHA-256 and SM3 digests differ from the manifest's"
restore

# good.manifest with the last digit of the line starting with $1 changed.
edit_digest() {
	awk -v line="$1" 'index($0, line) == 1 {
		c = substr($0, length($0))
		$0 = substr($0, 1, length($0) - 1) (c == "0" ? "1" : "0")
	} 1' good.manifest
}

# A line of the manifest edited: the signature no longer covers it.
edit_digest "SHA256 (pkg-1.0/a.txt)" >rel/pkg-1.0.manifest
verify rel/pkg-1.0.tar.gz
expect "an edited manifest line is refused" 1 EBADMSG "not what was signed"
restore

# Files missing: the signature, the manifest.
rm rel/pkg-1.0.manifest.sig
verify rel/pkg-1.0.tar.gz
expect "a missing signature cannot be checked" 2 ENOENT "cannot read the signature"
restore
rm rel/pkg-1.0.manifest
verify rel/pkg-1.0.tar.gz
expect "a missing manifest cannot be checked" 2 ENOENT "cannot read the manifest"
restore

# An untrusted signer, and a good signature of another manifest.
quiet "$ward" policy sign --key stranger.key --cert stranger.pem \
	-o rel/pkg-1.0.manifest.sig rel/pkg-1.0.manifest
verify rel/pkg-1.0.tar.gz
expect "a signer under an untrusted CA is refused" 1 ENOKEY "not trusted"
restore
quiet "$ward" policy sign --key ecdsa.key --cert ecdsa.pem \
	-o rel/pkg-1.0.manifest.sig good.deb
verify rel/pkg-1.0.tar.gz
expect "another file's signature is refused" 1 EBADMSG "another file's"
restore

# Manifests their signer got wrong (signed, so only the contents fail):
# a member missing from the tarball, one not in the manifest.
resign() {
	quiet "$ward" policy sign --key ecdsa.key --cert ecdsa.pem \
		rel/pkg-1.0.manifest
}
{
	cat good.manifest
	echo "SHA256 (pkg-1.0/c.txt) = $(printf 'c\n' | sha256sum | cut -d' ' -f1)"
	echo "SM3 (pkg-1.0/c.txt) = $(printf 'c\n' | cksum -a sm3 --untagged | cut -d' ' -f1)"
} >rel/pkg-1.0.manifest
resign
verify rel/pkg-1.0.tar.gz
expect "a member missing from the tarball is refused" 1 ENOENT "pkg-1.0/c.txt: in the manifest, missing from the tarball"
grep -v 'sub/b.bin' good.manifest >rel/pkg-1.0.manifest
resign
verify rel/pkg-1.0.tar.gz
expect "a member the manifest does not list is refused" 1 EEXIST "pkg-1.0/sub/b.bin: in the tarball, not in the manifest"
# A member's digest wrong in the (signed) manifest.
edit_digest "SM3 (pkg-1.0/a.txt)" >rel/pkg-1.0.manifest
resign
verify rel/pkg-1.0.tar.gz
expect "a member whose SM3 digest differs is refused" 1 EBADMSG "pkg-1.0/a.txt: its SM3 digest differs"
# A name with only one of the two digests, and lines that do not parse.
grep -v '^SM3 (pkg-1.0/a.txt)' good.manifest >rel/pkg-1.0.manifest
resign
verify rel/pkg-1.0.tar.gz
expect "a name without its SM3 line is refused" 1 EINVAL "does not have exactly one SHA256 and one SM3 line"
for bad in 'MD5 (pkg-1.0/x) = d41d8cd98f00b204e9800998ecf8427e' \
	"SHA256 (../etc/passwd) = $(printf '%064d' 0)" \
	"SHA256 (/etc/passwd) = $(printf '%064d' 0)" \
	"SHA256 (pkg-1.0/a.txt) = $(printf '%063d' 0)" ''; do
	{
		cat good.manifest
		printf '%s\n' "$bad"
	} >rel/pkg-1.0.manifest
	resign
	verify rel/pkg-1.0.tar.gz
	expect "a malformed line is refused: '$bad'" 1 EINVAL "the manifest is malformed: line 9"
done
restore

# A tarball under another name is not the one the manifest names.
cp rel/pkg-1.0.tar.gz rel/other-1.0.tar.gz
verify --manifest rel/pkg-1.0.manifest rel/other-1.0.tar.gz
expect "a file the manifest does not name is refused" 1 ENOENT "not in the manifest"

# A member that is not a regular file: mkmanifest refuses to list it,
# and verify-package refuses it in a tarball its manifest matches.
ln -s a.txt tree/pkg-1.0/link
tar -czf rel/pkg-1.0.tar.gz -C tree pkg-1.0
if "$mkmanifest" rel/pkg-1.0.manifest rel/pkg-1.0.tar.gz 2>err.log; then
	not_ok "mkmanifest refuses a symbolic link"
else
	if grep -q "pkg-1.0/link is not a regular file" err.log; then
		ok "mkmanifest refuses a symbolic link"
	else
		not_ok "mkmanifest refuses a symbolic link"
	fi
fi
{
	grep -v '(pkg-1.0.tar.gz)' good.manifest
	(cd rel && cksum -a sha256 --tag pkg-1.0.tar.gz && cksum -a sm3 --tag pkg-1.0.tar.gz)
} >rel/pkg-1.0.manifest
resign
verify rel/pkg-1.0.tar.gz
expect "a symbolic link in the tarball is refused" 1 EINVAL "a symbolic link in the tarball"
rm tree/pkg-1.0/link
restore

# Without a key, mkmanifest signs nothing, says so, and leaves no
# signature behind.
if "$mkmanifest" rel/pkg-1.0.manifest rel/pkg-1.0.tar.gz >/dev/null 2>err.log &&
	[ ! -e rel/pkg-1.0.manifest.sig ] && grep -q "is not signed" err.log; then
	ok "without a key the manifest is not signed, and says so"
else
	not_ok "without a key the manifest is not signed, and says so"
fi
verify rel/pkg-1.0.tar.gz
expect "an unsigned manifest is not taken" 2 ENOENT "cannot read the signature"

tap_end
