#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# package.sh - ward's Debian package (make deb) through its life on a
# Debian 12 system: installed, enforcing from the next boot, the policy
# loaded again when a package installs a program it profiles, a locked
# ward not removed, purged from an unlocked boot, and nothing left
# enforcing after it (GB/T 39276 5.1.1.2 c: ward is not switched off
# but the way it says).
#
#   scripts/vmtest --system --deb build/deb/ward_VERSION_amd64.deb \
#       --boots 4 --boot-append 3:ward=unlocked \
#       -- bash /usr/lib/ward/selftests/system/package.sh
#
# boot 1  ward not installed: nginx removed (its configuration kept), so
#         that ward starts without it; dpkg -i of ward's package, which
#         enables its units and starts neither; the log's sealing key.
# boot 2  ward enforcing, locked, from ward.service: a denial; nginx
#         installed again, and the trigger's policy load makes it the app
#         nginx from its next start; openssh-server upgraded with no
#         denial; a package whose policy ward cannot load: the trigger
#         says so and dpkg succeeds; ward itself upgraded in place while
#         locked, with no denial; dpkg -r ward refused, nothing
#         removed, still enforcing.
# boot 3  ward=unlocked: dpkg --purge ward stops ward and removes it, its
#         configuration and state; the security log is kept.
# boot 4  nothing of ward: no pins, no programs, no unit.
#
# Prints TAP 13 at each boot; exits 1 if anything failed.  State between
# the boots: $state.

# The checks' conditions are eval'd when check runs them, not before:
# shellcheck disable=SC2016
set -u
here=$(dirname "$(readlink -f "$0")")
work=$(mktemp -d /tmp/ward-package.XXXXXX)
trap 'rm -rf "$work"' EXIT
# shellcheck source=lib.sh
. "$here/lib.sh"

debs=/var/cache/ward-test/debs
deb=
for f in /var/cache/ward-test/ward_*.deb; do
	[ -e "$f" ] && deb=$f
done
state=/root/ward-package-state
export DEBIAN_FRONTEND=noninteractive

# shadow_writable - can an ordinary program (dd, as root) open /etc/shadow
# for writing?  It writes nothing.
shadow_writable() {
	dd if=/dev/null of=/etc/shadow conv=notrunc oflag=append status=none 2>/dev/null
}

# ward_programs - how many of ward's BPF programs the kernel has (their
# JIT images in kallsyms: bpf_prog_TAG_hook_*)
ward_programs() {
	grep -c '\bbpf_prog_[0-9a-f]*_hook_' /proc/kallsyms
}

# status_is KEY VALUE - "ward --json status" says KEY is VALUE
status_is() {
	ward --json status 2>/dev/null | grep -q "\"$1\":$2[,}]"
}

# installed - dpkg's state of ward (installed, config-files, ...); nothing
# once purged.  Not its selection: a refused dpkg -r leaves it "deinstall".
installed() {
	dpkg-query -W -f '${db:Status-Status}' ward 2>/dev/null
}

plan() {
	echo "TAP version 13"
	echo "1..$1"
	diag "boot ${VMTEST_BOOT:-1}"
}

boot1() {
	local out rc
	plan 5
	out=$(dpkg -r nginx 2>&1)
	check "nginx is removed, so that ward starts without its executable" \
		"$(tail -n 3 <<<"$out")" test ! -e /usr/sbin/nginx
	out=$(dpkg -i "$deb" 2>&1)
	rc=$?
	check "dpkg -i $(basename "$deb") installs ward" \
		"exit $rc: $(tail -n 4 <<<"$out")" \
		test $rc = 0 -a "$(installed)" = installed
	check "its units are enabled and not started (it starts locked at the next boot)" \
		"ward.service $(systemctl is-enabled ward.service) $(systemctl is-active ward.service), ward-logd $(systemctl is-enabled ward-logd.service); ward running: $(status_is running true && echo yes)" \
		eval 'systemctl -q is-enabled ward.service ward-logd.service &&
			! systemctl -q is-active ward.service && ! status_is running true'
	check "pam_ward is in the PAM stacks, by pam-auth-update" \
		"$(grep -c pam_ward /etc/pam.d/common-session /etc/pam.d/common-auth)" \
		grep -q pam_ward.so /etc/pam.d/common-session
	out=$(stat -c '%n %a' /var/lib/ward /var/lib/ward/log /var/log/ward /etc/ward/policy.d | tr '\n' ' ')
	check "ward's directories have make install's modes" "$out" \
		test "$out" = "/var/lib/ward 750 /var/lib/ward/log 700 /var/log/ward 750 /etc/ward/policy.d 755 "
	# As an administrator would at installation (the postinst says so).
	ward log setup >/root/ward-log.vkey 2>/dev/null ||
		diag "ward log setup failed"
}

# trigger_failure - a package that puts a policy ward cannot parse into
# /etc/ward/policy.d (dpkg may write there, ward loads nothing but what
# it checked) and a file under a path the policies name: the trigger's
# load fails, which it says in one line and in syslog, and dpkg does not
# fail.  Its removal lets the next trigger load the policy again.
trigger_failure() {
	local pkg=$work/broken out rc line
	mkdir -p "$pkg/DEBIAN" "$pkg/etc/ward/policy.d" "$pkg/usr/share/zoneinfo"
	printf '%s\n' 'Package: ward-test-broken' 'Version: 1' 'Architecture: all' \
		'Maintainer: ward tests <root@localhost>' \
		'Description: a policy ward cannot load' >"$pkg/DEBIAN/control"
	echo 'this is not a policy' >"$pkg/etc/ward/policy.d/zz-broken.policy"
	echo ward-test >"$pkg/usr/share/zoneinfo/ward-test"
	dpkg-deb --root-owner-group --build "$pkg" "$work/broken.deb" >/dev/null
	out=$(dpkg -i "$work/broken.deb" 2>&1)
	rc=$?
	line=$(grep '^ward: the policy was not loaded again' <<<"$out")
	check "a failed trigger load is one line, in syslog too, and dpkg succeeds" \
		"exit $rc, ward $(installed): $(tail -n 4 <<<"$out")" \
		eval '[ $rc = 0 ] && [ "$(wc -l <<<"$line")" = 1 ] && [ -n "$line" ] &&
			[ "$(installed)" = installed ] &&
			wait_for 15 grep -qF "$line" /var/log/auth.log'
	out=$(dpkg --purge ward-test-broken 2>&1)
	rc=$?
	check "once that package is gone, the trigger loads the policy again" \
		"exit $rc: $(tail -n 4 <<<"$out")" \
		eval '[ $rc = 0 ] && grep -q "Processing triggers for ward" <<<"$out" &&
			! grep -q "^ward:" <<<"$out" && status_is locked true'
}

boot2() {
	local out rc m refused
	plan 12
	check "ward runs, locked, from the package's ward.service" \
		"$(ward status 2>&1 | head -n 5)" \
		eval 'systemctl -q is-active ward.service && status_is running true && status_is locked true'
	check "an ordinary program may not write /etc/shadow, and the denial is reported" \
		"dd opened it, or no denial came" write_refused /etc/shadow
	ward_programs >"$state.programs"

	# nginx's package activates ward's trigger (/usr/sbin/nginx); its
	# postinst starts it before dpkg runs the trigger, so the next
	# start is the first under its profile.
	m=$(mark)
	out=$(dpkg -i "$debs"/nginx_*.deb 2>&1)
	rc=$?
	check "dpkg -i nginx runs ward's trigger, which loads the policy again" \
		"exit $rc: $(tail -n 4 <<<"$out")" \
		eval '[ $rc = 0 ] && grep -q "Processing triggers for ward" <<<"$out" &&
			! grep -q "^ward:" <<<"$out"'
	systemctl restart nginx.service
	check "nginx, installed after ward started, runs as the app nginx" \
		"pid $(systemctl show -P MainPID nginx.service); $(since "$m" | grep ptrace | head -n 2)" \
		in_app nginx /usr/sbin/nginx nginx.service
	out=$(http_get localhost "/?ward=package")
	refused=$(since "$m" | refusals | grep -v ptrace | show)
	check "nginx serves, nothing refused" "$(head -n 1 <<<"$out"); $refused" \
		eval '[ "$(head -n 1 <<<"$out")" = "HTTP/1.1 200 OK" ] && [ -z "$refused" ]'

	m=$(mark)
	out=$(dpkg -i "$debs"/openssh-server_*.deb 2>&1)
	rc=$?
	refused=$(since "$m" | refusals | show)
	check "dpkg -i openssh-server upgrades it with no denial, sshd answers" \
		"exit $rc: $(tail -n 3 <<<"$out"); $refused" \
		eval '[ $rc = 0 ] && [ -z "$refused" ] && systemctl -q is-active ssh.service &&
			[ "$(timeout 20 bash -c "exec 3<>/dev/tcp/127.0.0.1/22; head -c 7 <&3")" = SSH-2.0 ]'

	trigger_failure

	# ward's own upgrade while locked (the same .deb again: dpkg unpacks
	# it over the installed one and runs the upgrade's scripts): the
	# package manager may replace ward's files, the running ward goes on.
	m=$(mark)
	out=$(dpkg -i "$deb" 2>&1)
	rc=$?
	refused=$(since "$m" | refusals | show)
	check "dpkg -i ward upgrades it in place while locked: no denial, ward enforcing, its daemon back" \
		"exit $rc: $(tail -n 3 <<<"$out"); $refused; ward-logd $(systemctl is-active ward-logd.service)" \
		eval '[ $rc = 0 ] && [ -z "$refused" ] && [ "$(installed)" = installed ] &&
			status_is locked true && write_refused /etc/shadow &&
			systemctl -q is-active ward-logd.service'

	out=$(dpkg -r ward 2>&1)
	rc=$?
	check "dpkg -r ward is refused while ward is locked, saying how to remove it" \
		"exit $rc: $(head -n 4 <<<"$out")" \
		eval '[ $rc != 0 ] && grep -qx "ward is locked: boot with ward=unlocked on the kernel command line to remove it" <<<"$out"'
	check "nothing was removed: ward installed, its files and PAM profile there" \
		"status '$(installed)'; $(ls /usr/sbin/ward /usr/lib/ward/policy.d 2>&1 | head -n 3)" \
		eval '[ "$(installed)" = installed ] && [ -x /usr/sbin/ward ] &&
			[ -e /usr/lib/ward/policy.d/base.policy ] &&
			grep -q pam_ward.so /etc/pam.d/common-session &&
			systemctl -q is-enabled ward.service'
	check "ward still enforces, locked" "$(ward status 2>&1 | head -n 5)" \
		eval 'status_is locked true && write_refused /etc/shadow'
}

boot3() {
	local out rc
	plan 4
	check "ward=unlocked: ward runs unlocked" "$(ward status 2>&1 | head -n 5)" \
		eval 'status_is running true && status_is locked false && status_is break_glass true'
	out=$(dpkg --purge ward 2>&1)
	rc=$?
	check "dpkg --purge ward succeeds" "exit $rc: $(tail -n 4 <<<"$out")" \
		eval '[ $rc = 0 ] && [ -z "$(installed)" -o "$(installed)" = not-installed ]'
	check "ward was stopped: no pins, /etc/shadow writable at once" \
		"$(ls /sys/fs/bpf 2>&1)" \
		eval '[ ! -e /sys/fs/bpf/ward ] && shadow_writable'
	check "purge removed /etc/ward, /var/lib/ward and pam_ward, kept the security log" \
		"$(ls -d /etc/ward /var/lib/ward /var/log/ward 2>&1 | tr '\n' ' ')" \
		eval '[ ! -e /etc/ward ] && [ ! -e /var/lib/ward ] && [ -d /var/log/ward ] &&
			! grep -q pam_ward /etc/pam.d/common-session /etc/pam.d/common-auth'
}

boot4() {
	local before now
	plan 2
	before=$(cat "$state.programs" 2>/dev/null)
	now=$(ward_programs)
	check "after the reboot nothing of ward enforces: no pins, no programs (boot 2 had ${before:-?})" \
		"pins: $(ls /sys/fs/bpf 2>&1); programs: $now" \
		eval '[ ! -e /sys/fs/bpf/ward ] && [ "${before:-0}" -gt 0 ] && [ "$now" = 0 ] && shadow_writable'
	check "ward.service is gone, the system is running" \
		"$(systemctl is-enabled ward.service 2>&1); $(systemctl is-system-running)" \
		eval '! systemctl -q is-enabled ward.service 2>/dev/null &&
			[ "$(systemctl is-system-running)" = running ]'
}

if [ -z "$deb" ]; then
	plan 1
	not_ok "the package is in the image" "no /var/cache/ward-test/ward_*.deb: run vmtest with --deb"
	exit 1
fi
case ${VMTEST_BOOT:-1} in
1) boot1 ;;
2) boot2 ;;
3) boot3 ;;
4) boot4 ;;
*) plan 0 ;;
esac
[ "$tap_failed" = 0 ]
