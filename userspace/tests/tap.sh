# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# tap.sh - TAP for ward's shell unit tests, which source it: ok, not_ok,
# and tap_end, which prints the plan and fails if a test did.

n=0 failed=0

ok() {
	n=$((n + 1))
	echo "ok $n $1"
}

# not_ok WHAT [DETAIL] - DETAIL's lines follow as comments
not_ok() {
	n=$((n + 1))
	failed=$((failed + 1))
	echo "not ok $n $1"
	[ -n "${2:-}" ] && sed 's/^/# /' <<<"$2"
	return 0
}

tap_end() {
	echo "1..$n"
	[ "$failed" = 0 ]
}
