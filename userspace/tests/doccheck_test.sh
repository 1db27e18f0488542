#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ward unit tests - the checkers of the documentation (TAP):
# scripts/check-conformance, which "make check" runs on the conformance
# matrix, scripts/check-completion, which it runs on the bash completion,
# and scripts/check-man, which it runs on the man pages.  Each is fed a small tree and a matrix or completion that is
# wrong in one way, and must fail naming what is wrong; and one that is
# right, and must pass.

set -uo pipefail
srcdir=@WARD_SRCDIR@
conformance=$srcdir/scripts/check-conformance
completion=$srcdir/scripts/check-completion
man=$srcdir/scripts/check-man
export LC_ALL=C

work=$(mktemp -d /tmp/ward-doccheck-XXXXXX)
trap 'rm -rf "$work"' EXIT

# shellcheck source=tap.sh
. "$srcdir/userspace/tests/tap.sh"

# expect NAME RC WORDS CMD...: CMD exits RC and, unless WORDS is empty,
# prints a "not ok" line containing WORDS.
expect() {
	local name=$1 want=$2 words=$3 out rc
	shift 3
	out=$("$@" 2>&1)
	rc=$?
	if [ "$rc" != "$want" ]; then
		not_ok "$name" "exit $rc, not $want: $out"
	elif [ -n "$words" ] && ! grep -q "^not ok .*$words" <<<"$out"; then
		not_ok "$name" "no 'not ok' line says '$words': $out"
	else
		ok "$name"
	fi
}

# ---- the conformance matrix --------------------------------------------

# The tree's matrix must pass (make check prints its rows too).
expect "conformance: the tree's matrix names files and tests that exist, and every clause" \
	0 "" "$conformance"

tree=$work/tree
mkdir -p "$tree/module" "$tree/selftests/system"
cat >"$tree/module/guard.bpf.c" <<'EOF'
int guard_map(void) { return 0; }
EOF
cat >"$tree/selftests/tamper_test.c" <<'EOF'
/* wards_maps_by_name_are_refused is only a comment */
TEST_F(tamper, wards_maps_by_id_are_refused)
{
}
TEST(a_plain_test) {}
EOF
cat >"$tree/selftests/system/run" <<'EOF'
check "ward stop is refused: ward is locked" "why" false
EOF

# matrix FILE ROW...: a matrix of one table of class conformance whose
# rows are ROWs (each: clause|requirement|implemented|proved).
matrix() {
	local file=$1 row
	shift
	{
		printf '.. list-table:: t\n   :header-rows: 1\n   :class: conformance\n\n'
		printf '   * - Clause\n     - Requirement\n     - Implemented in\n     - Proved by\n'
		for row in "$@"; do
			IFS='|' read -r c r i p <<<"$row"
			printf '   * - %s\n     - %s\n     - %s\n     - %s\n' \
				"$c" "$r" "$i" "$p"
		done
	} >"$file"
}

good='5.1.1.2 c|no bypass|``module/guard.bpf.c``, ``module/guard.bpf.c:guard_map``|``selftests/tamper_test.c:wards_maps_by_id_are_refused``, ``selftests/tamper_test.c:a_plain_test``, ``selftests/system/run:ward stop is refused: ward is locked``'
matrix "$work/good.rst" "$good"
expect "conformance: a matrix whose files and tests exist passes" 0 "" \
	"$conformance" --root "$tree" --partial "$work/good.rst"
expect "conformance: a clause left out of the matrix fails, named" 1 \
	"missing.*5.1.1.2 a" "$conformance" --root "$tree" "$work/good.rst"

matrix "$work/bad.rst" '5.1.1.2 c|x|``module/nosuch.bpf.c``|``selftests/tamper_test.c:a_plain_test``'
expect "conformance: a file that does not exist fails, named" 1 \
	"module/nosuch.bpf.c does not exist" \
	"$conformance" --root "$tree" --partial "$work/bad.rst"

matrix "$work/bad.rst" '5.1.1.2 c|x|``module/guard.bpf.c``|``selftests/tamper_test.c:no_such_test``'
expect "conformance: a test name not in the file fails, named" 1 \
	"has no test no_such_test" \
	"$conformance" --root "$tree" --partial "$work/bad.rst"

matrix "$work/bad.rst" '5.1.1.2 c|x|``module/guard.bpf.c``|``selftests/tamper_test.c:wards_maps_by_name_are_refused``'
expect "conformance: a name in a comment is not a test" 1 \
	"has no test wards_maps_by_name_are_refused" \
	"$conformance" --root "$tree" --partial "$work/bad.rst"

matrix "$work/bad.rst" '5.1.1.2 c|x|``module/guard.bpf.c``|``selftests/system/run:ward stop is allowed``'
expect "conformance: a check the system tier does not make fails" 1 \
	"has no test ward stop is allowed" \
	"$conformance" --root "$tree" --partial "$work/bad.rst"

matrix "$work/bad.rst" '5.1.1.2 c|x|``module/guard.bpf.c:guard_unmap``|``selftests/tamper_test.c:a_plain_test``'
expect "conformance: a symbol not in the file fails" 1 \
	"has no guard_unmap" \
	"$conformance" --root "$tree" --partial "$work/bad.rst"

matrix "$work/bad.rst" '5.1.1.2 c|x|``module/guard.bpf.c``|``selftests/tamper_test.c``'
expect "conformance: a test cell that names a file but no test fails" 1 \
	"names no test" "$conformance" --root "$tree" --partial "$work/bad.rst"

matrix "$work/bad.rst" '5.1.1.2 c|x|``module/guard.bpf.c``|none yet'
expect "conformance: a row without a test fails" 1 \
	"names no test that proves it" \
	"$conformance" --root "$tree" --partial "$work/bad.rst"

matrix "$work/bad.rst" '5.1.1.9 z|x|``module/guard.bpf.c``|``selftests/tamper_test.c:a_plain_test``'
expect "conformance: a clause the standard lacks fails" 1 \
	"GB/T 39276 has no 5.1.1.9" \
	"$conformance" --root "$tree" --partial "$work/bad.rst"

matrix "$work/bad.rst" '5.1.1.2 c|x|``../etc/passwd``|``selftests/tamper_test.c:a_plain_test``'
expect "conformance: a path out of the tree fails" 1 \
	"is not a path in the tree" \
	"$conformance" --root "$tree" --partial "$work/bad.rst"

cat >"$work/bad.rst" <<'EOF'
.. list-table:: t
   :class: conformance-process

   * - 5.1.2.3 a
     - a process
     - ``SECURITY.md``
EOF
expect "conformance: a process row naming a file that does not exist fails" 1 \
	"SECURITY.md does not exist" \
	"$conformance" --root "$tree" --partial "$work/bad.rst"

printf 'no table here\n' >"$work/empty.rst"
expect "conformance: a document with no matrix fails" 1 "has no row" \
	"$conformance" --root "$tree" --partial "$work/empty.rst"

# ---- the bash completion -----------------------------------------------

# The tree's completion must pass against the tree's sources (make check
# runs this too); a copy with one thing wrong must fail.
expect "completion: the tree's completion matches the dispatch tables" 0 "" \
	"$completion" --root "$srcdir"

sed 's/ logd / /' "$srcdir/completion/ward.bash" >"$work/ward.bash"
expect "completion: a command left out fails, named" 1 \
	"commands of 'ward': lacks logd" \
	"$completion" --root "$srcdir" "$work/ward.bash"

sed 's/\[status\]="-s --strict"/[status]="-s --strict --all"/' \
	"$srcdir/completion/ward.bash" >"$work/ward.bash"
expect "completion: an option ward does not take fails, named" 1 \
	"options of 'status': offers --all" \
	"$completion" --root "$srcdir" "$work/ward.bash"

sed '/\["log tail -n"\]/d' "$srcdir/completion/ward.bash" >"$work/ward.bash"
expect "completion: an option's argument left out fails" 1 \
	"take an argument: lacks log tail --lines log tail -n" \
	"$completion" --root "$srcdir" "$work/ward.bash"

# What it completes, through bash as a shell would call it.
complete_words() {
	bash --norc -c 'source "$1"; shift; COMP_WORDS=("$@")
		COMP_CWORD=$(($# - 1)); _ward; echo "${COMPREPLY[*]}"' \
		_ "$srcdir/completion/ward.bash" "$@"
}
got=$(complete_words ward policy "")
if [ "$got" = "check load show diff suggest install remove sign verify help" ]; then
	ok "completion: 'ward policy' offers the policy commands"
else
	not_ok "completion: 'ward policy' offers the policy commands" "$got"
fi
got=$(complete_words ward -j log show --type DENY,LOGIN_F)
if [ "$got" = "DENY,LOGIN_FAILED" ]; then
	ok "completion: a list of record types is completed after its comma"
else
	not_ok "completion: a list of record types is completed after its comma" "$got"
fi

# ---- the man pages -----------------------------------------------------

# The tree's pages, made from their sources as make does, must pass with
# the tree's units; a page or a unit with one thing wrong must fail.
mkdir -p "$work/man" "$work/units"
for rst in "$srcdir"/Documentation/*.[58].rst; do
	page=$(basename "$rst" .rst)
	rst2man --halt=warning "$rst" >"$work/man/$page"
done
cp "$srcdir"/systemd/*.service "$work/units/"
expect "man: the tree's pages render cleanly and the units name them" 0 "" \
	"$man" --units "$work/units" "$work"/man/*

printf '.TH BAD 8\n.SH NAME\nbad \\- a page\n.SH DESCRIPTION\n.in -20\nx\n' \
	>"$work/bad.8"
expect "man: a page groff warns about fails, with the warning" 1 \
	"bad.8 renders with no warning: .*indent cannot be negative" \
	"$man" --units "$work/units" "$work/bad.8" "$work"/man/*

printf '.TH LONG 8\n.SH NAME\nlong \\- a page\n.SH DESCRIPTION\n.nf\n%s\n.fi\n' \
	"$(printf 'x%.0s' {1..90})" >"$work/long.8"
expect "man: a page wider than 80 columns fails" 1 "long.8 fits 80 columns" \
	"$man" --units "$work/units" "$work/long.8" "$work"/man/*

printf '.TH NONAME 8\n.SH DESCRIPTION\nno name\n' >"$work/noname.8"
expect "man: a page without a NAME section fails" 1 \
	"noname.8 has a NAME section" \
	"$man" --units "$work/units" "$work/noname.8" "$work"/man/*

echo 'Documentation=man:ward(8) man:ward-missing(8)' >"$work/units/x.service"
expect "man: a unit naming a page that is not built fails" 1 \
	"x.service names ward-missing(8)" \
	"$man" --units "$work/units" "$work"/man/*

tap_end
