# SPDX-License-Identifier: GPL-2.0
#
# logboots.sh - the security log across a reboot (GB/T 39276 5.1.1.3 b, c:
# records of start and stop, of logins and of configuration changes, kept
# and checked across boots).  Sourced by run, after lib.sh.
#
# "scripts/vmtest --system --boots 2" boots the image twice.  At boot 1,
# run's security-log section wraps its three configuration changes (sshd's
# configuration, the clock, a policy load) in a session that root opens for
# alice with su, and alice fails su's password on a pseudo-terminal in it:
# su_session_open, su_failed, then su_session_close, which leaves what
# boot 2 checks in $boot1_facts.  The guest then powers off as usual
# (systemctl poweroff: logd records SHUTDOWN and seals).  At boot 2, run
# calls only log_boot2: the log holds, in this order, boot 1's BOOT,
# alice's ssh LOGIN, su's LOGIN, su's LOGIN_FAILED, the three
# CONFIG_CHANGEs, su's LOGOUT, SHUTDOWN (poweroff), and boot 2's BOOT,
# each with its subject; and it verifies across both boots.

boot1_facts=/root/ward-log-boot1

# val KEY - of the record on stdin, the first value of KEY (a string's
# text, or a number, true, false, null); nested objects included
val() {
	awk -v k="$1" '{
		if (!match($0, "\"" k "\":(\"([^\"\\\\]|\\\\.)*\"|-?[0-9]+|true|false|null)"))
			exit
		s = substr($0, RSTART + length(k) + 3, RLENGTH - length(k) - 3)
		gsub(/^"|"$/, "", s)
		print s
		exit
	}'
}

# log_wait SECONDS TEXT... - waits until a record of this boot holds each
# TEXT: logins come by a socket, the kernel's events by the ring buffer,
# and logd writes them in the order it reads them
log_wait() {
	local secs=$1
	shift
	# shellcheck disable=SC2317 # called by wait_for
	has() { [ -n "$(record "$1" "${@:2}" <<<"$(records)")" ]; }
	wait_for "$secs" has "$@"
}

# su_session_open - root opens a session for alice with su - (PAM service
# su-l: LOGIN), open until su_session_close; its su's pid in $su_pid
su_session_open() {
	rm -f /tmp/ward-su-end
	su - alice -c 'until [ -e /tmp/ward-su-end ]; do sleep 1; done' \
		</dev/null >/dev/null 2>&1 &
	su_pid=$!
	if log_wait 300 LOGIN '"user":"alice"' '"service":"su-l"' "\"pid\":$su_pid,"; then
		ok "su: root's session for alice is a LOGIN naming su's process"
	else
		not_ok "su: root's session for alice is a LOGIN naming su's process" \
			"su pid $su_pid: $(record LOGIN '"service":"su' <<<"$(records)" | tail -n 1)"
	fi
}

# su_failed - alice gives su a wrong password for root, on a
# pseudo-terminal as su needs (PAM: LOGIN_FAILED).  The password is typed
# again every two seconds until su is done: su flushes what came before its
# prompt, and script ends only when its input does.
su_failed() {
	local out rc
	rm -f /tmp/ward-su-done
	# shellcheck disable=SC2016 # expanded by alice's bash
	out=$(cd /tmp && timeout 300 runuser -u alice -- bash -c '
		{ until [ -e /tmp/ward-su-done ]; do sleep 2; echo not-the-password; done; } |
			script -qec "su -c true root; st=\$?; touch /tmp/ward-su-done; exit \$st" /dev/null' 2>&1)
	rc=$?
	if [ $rc = 1 ] && grep -q 'Authentication failure' <<<"$out" &&
		log_wait 300 LOGIN_FAILED '"user":"root"' '"service":"su"' \
			'"uid":1000,' '"exe":"/usr/bin/su"'; then
		ok "su: alice's wrong password for root is a LOGIN_FAILED with her uid"
	else
		not_ok "su: alice's wrong password for root is a LOGIN_FAILED with her uid" \
			"exit $rc: ${out:0:200}; $(record LOGIN_FAILED '"service":"su"' <<<"$(records)" | tail -n 1)"
	fi
}

# su_session_close - ends the session of su_session_open (LOGOUT), and
# leaves for boot 2 what it checks
su_session_close() {
	touch /tmp/ward-su-end
	timeout 120 tail --pid="$su_pid" -f /dev/null
	if log_wait 300 LOGOUT '"user":"alice"' '"service":"su-l"' "\"pid\":$su_pid,"; then
		ok "su: the session's end is a LOGOUT of the same process"
	else
		not_ok "su: the session's end is a LOGOUT of the same process" \
			"$(record LOGOUT '"service":"su' <<<"$(records)" | tail -n 1)"
	fi
	rm -f /tmp/ward-su-end /tmp/ward-su-done
	printf 'b1=%s\nsu_pid=%s\n' \
		"$(cat /proc/sys/kernel/random/boot_id)" "$su_pid" >"$boot1_facts"
}

# The steps log_boot2 looks for, in order: a name, then the texts its
# record holds, tab-separated.
boot2_steps() {
	local b1=$1 b2=$2 pid=$3
	printf '%s\n' \
		"boot 1's BOOT	\"type\":\"BOOT\"	\"boot_id\":\"$b1\"" \
		"alice's ssh LOGIN	\"type\":\"LOGIN\"	\"boot_id\":\"$b1\"	\"user\":\"alice\"	\"service\":\"sshd\"	\"exe\":\"/usr/sbin/sshd\"	\"result\":\"success\"" \
		"su's LOGIN for alice	\"type\":\"LOGIN\"	\"boot_id\":\"$b1\"	\"subject\":{\"pid\":$pid,\"uid\":0,	\"exe\":\"/usr/bin/su\"	\"user\":\"alice\"	\"service\":\"su-l\"	\"result\":\"success\"" \
		"alice's LOGIN_FAILED on su	\"type\":\"LOGIN_FAILED\"	\"boot_id\":\"$b1\"	\"uid\":1000,	\"exe\":\"/usr/bin/su\"	\"user\":\"root\"	\"service\":\"su\"	\"result\":\"failure\"" \
		"CONFIG_CHANGE of sshd_config	\"type\":\"CONFIG_CHANGE\"	\"boot_id\":\"$b1\"	\"path\":\"/etc/ssh/sshd_config\"	\"access\":\"write\"	\"result\":\"allowed\"	\"uid\":0," \
		"CONFIG_CHANGE of the clock	\"type\":\"CONFIG_CHANGE\"	\"boot_id\":\"$b1\"	\"op\":\"clock\"	\"comm\":\"date\"	\"uid\":0," \
		"CONFIG_CHANGE of a policy load	\"type\":\"CONFIG_CHANGE\"	\"boot_id\":\"$b1\"	\"op\":\"policy_load\"	\"result\":\"allowed\"	\"uid\":0," \
		"su's LOGOUT	\"type\":\"LOGOUT\"	\"boot_id\":\"$b1\"	\"subject\":{\"pid\":$pid,\"uid\":0,	\"user\":\"alice\"	\"service\":\"su-l\"" \
		"boot 1's SHUTDOWN	\"type\":\"SHUTDOWN\"	\"boot_id\":\"$b1\"	\"kind\":\"poweroff\"" \
		"boot 2's BOOT	\"type\":\"BOOT\"	\"boot_id\":\"$b2\"	\"previous_boot_id\":\"$b1\"	\"previous_shutdown_recorded\":true"
}

# log_boot2 - boot 2's checks of the log (5)
log_boot2() {
	local b1='' su_pid='' b2 all out rc missing
	# shellcheck disable=SC1090 # written by su_session_close at boot 1
	[ -r "$boot1_facts" ] && . "$boot1_facts"
	b2=$(cat /proc/sys/kernel/random/boot_id)
	check "boot 2: boot 1 left its facts, and this is another boot" \
		"$boot1_facts: $(cat "$boot1_facts" 2>&1)" \
		test -n "$b1" -a -n "$su_pid" -a "$b1" != "$b2"
	check "boot 2: ward-logd.service is active again" \
		"$(systemctl is-active ward-logd.service)" \
		systemctl -q is-active ward-logd.service

	ward log sync --timeout 300 >/dev/null 2>&1
	all=$(ward --json log show 2>&1)
	# Each step, after the one before it: the first record holding all
	# of its texts.
	missing=$(boot2_steps "$b1" "$b2" "$su_pid" | awk -F'\t' '
		NR == FNR { steps[n++] = $0; next }
		i < n {
			k = split(steps[i], t, "\t")
			for (j = 2; j <= k; j++)
				if (!index($0, t[j]))
					next
			i++
		}
		END { if (i < n) { split(steps[i], t, "\t"); print t[1] } }
	' - <(printf '%s\n' "$all"))
	check "boot 2: the log holds BOOT, LOGIN (ssh, su), LOGIN_FAILED, CONFIG_CHANGE x3, LOGOUT, SHUTDOWN, BOOT in order, with their subjects" \
		"none, after the steps before it, is $missing; boot 1's login records: $(grep -F "\"boot_id\":\"$b1\"" <<<"$all" | grep -E '"type":"(LOGIN|LOGOUT|LOGIN_FAILED|SHUTDOWN)"' | tail -n 3 | cut -c1-400)" \
		test -z "$missing"

	# Boot 1's seal at its shutdown: the SEAL right after SHUTDOWN.
	out=$(grep -F -A1 "\"boot_id\":\"$b1\"" <<<"$all" | grep -F -A1 '"type":"SHUTDOWN"' | tail -n 1)
	check "boot 2: boot 1's log ends with SHUTDOWN, then its seal" \
		"after SHUTDOWN: ${out:0:300}" grep -qF '"type":"SEAL"' <<<"$out"

	out=$(ward --json log verify --key-file /root/ward-log.vkey 2>&1)
	rc=$?
	# 3: intact, the newest records not sealed yet, as while logd runs.
	if { [ $rc = 0 ] || [ $rc = 3 ]; } && grep -q '"result":"\(intact\|incomplete\)"' <<<"$out" &&
		grep -q '"first":1,' <<<"$out" && ! grep -q '"tamper":true' <<<"$out"; then
		ok "boot 2: ward log verify: the log of both boots is intact from its first record"
	else
		not_ok "boot 2: ward log verify: the log of both boots is intact from its first record" \
			"exit $rc: ${out:0:600}"
	fi
}
