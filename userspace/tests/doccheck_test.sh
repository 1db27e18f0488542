#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ward unit tests - the checkers of the documentation (TAP):
# scripts/check-completion, which "make check" runs on the bash
# completion.  It is fed a completion that is wrong in one way, and must
# fail naming what is wrong; and the tree's, which must pass.

set -uo pipefail
srcdir=@WARD_SRCDIR@
completion=$srcdir/scripts/check-completion
export LC_ALL=C

work=$(mktemp -d /tmp/ward-doccheck-XXXXXX)
trap 'rm -rf "$work"' EXIT

n=0 failed=0
ok() {
	n=$((n + 1))
	echo "ok $n $1"
}
not_ok() {
	n=$((n + 1))
	failed=$((failed + 1))
	echo "not ok $n $1"
	[ -n "${2:-}" ] && sed 's/^/# /' <<<"$2"
}

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

echo "1..$n"
[ "$failed" -eq 0 ]
