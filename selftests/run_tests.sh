#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# run_tests [--expect-skip] - run every ward selftest next to this script.
#
# Each program prints its own TAP.  A program that dies without reporting
# its failures gets a "not ok" line here.  With --expect-skip (a kernel
# without the BPF LSM), each program must skip: exit status 4.
#
# Each program starts from a clean state, whatever the one before left:
# unless ward ran before the first, it is stopped (its leftovers of a
# killed start or stop too), and the tests' scratch directory is removed.

here=$(dirname "$0")
ward=${WARD:-$here/../ward}
scratch=/tmp/ward-selftests
expect_skip=0
[ "${1:-}" = --expect-skip ] && expect_skip=1
ward_ran=0
[ -d /sys/fs/bpf/ward ] && ward_ran=1
rc=0
n=0
out=$(mktemp)
# tamper_test locks ward until the guest powers off: last.
for t in $(ls "$here"/*_test | grep -v '/tamper_test$') "$here"/tamper_test; do
	name=$(basename "$t")
	n=$((n + 1))
	echo "# selftests: ward: $name"
	[ $ward_ran = 1 ] || "$ward" stop >/dev/null 2>&1
	rm -rf "$scratch"
	"$t" >"$out" 2>&1
	status=$?
	cat "$out"
	if [ $expect_skip = 1 ]; then
		if [ $status = 4 ]; then
			echo "ok $n $name skips without the BPF LSM"
		else
			echo "not ok $n $name skips without the BPF LSM # exit status $status"
			rc=1
		fi
	elif [ $status != 0 ] && [ $status != 4 ]; then
		rc=1
		grep -q '^not ok' "$out" ||
			echo "not ok $n $name # exited with status $status"
	fi
done
rm -f "$out"
exit $rc
