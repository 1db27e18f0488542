# SPDX-License-Identifier: GPL-2.0
#
# lib.sh - what the system tier's run script shares: TAP output, ward's
# events, and talking to the services.  Sourced by bash; needs $work.

# ---- TAP 13 ------------------------------------------------------------

tap_n=0
tap_failed=0

# ok DESCRIPTION
ok() {
	tap_n=$((tap_n + 1))
	echo "ok $tap_n - $1"
}

# not_ok DESCRIPTION REASON
not_ok() {
	tap_n=$((tap_n + 1))
	tap_failed=$((tap_failed + 1))
	echo "not ok $tap_n - $1 # ${2//$'\n'/ }"
}

# check DESCRIPTION REASON CMD... - ok when CMD succeeds
check() {
	local what=$1 why=$2
	shift 2
	if "$@"; then
		ok "$what"
	else
		not_ok "$what" "$why"
	fi
}

# diag TEXT... - comment lines, for the log
diag() {
	printf '%s\n' "$@" | sed 's/^/# /'
}

# ---- ward's events -----------------------------------------------------
#
# ward logd writes the kernel's events into the security log as records
# (those with an "event_time"): collect() waits until it has written all
# reported so far ("ward log sync") and appends the records not read yet
# to $work/events.json, one a line, without the policy they name, so that
# the whole run's events can be examined at the end.  Between mark and
# since, the events of one step.

events=$work/events.json
: >"$events"
echo 0 >"$work/records-read"

collect() {
	local read
	read=$(cat "$work/records-read")
	# What was written, even when the daemon lags: said on stderr.
	ward log sync --timeout 300 2>"$work/collect.err" ||
		diag "ward log sync: $(cat "$work/collect.err")" >&2
	if ! ward --json log show >"$work/records" 2>"$work/collect.err"; then
		diag "reading the security log failed: $(cat "$work/collect.err")" >&2
		return
	fi
	tail -n "+$((read + 1))" "$work/records" | grep '"event_time"' |
		sed 's/,"policy":{[^}]*}//' >>"$events"
	wc -l <"$work/records" >"$work/records-read"
}

# mark - prints the current end of the event list
mark() {
	collect
	wc -l <"$events"
}

# since MARK - the events after MARK
since() {
	collect
	tail -n "+$(($1 + 1))" "$events"
}

# The id of app NAME in events: policy_app_id() in userspace/policy_names.c,
# FNV-1a over the name, top bit cleared, never 0.
app_id() {
	local h=2166136261 i c
	for ((i = 0; i < ${#1}; i++)); do
		printf -v c '%d' "'${1:i:1}"
		h=$(((h ^ c) * 16777619 & 0xffffffff))
	done
	h=$((h & 0x7fffffff))
	echo $((h ? h : 1))
}

# in_app APP EXE UNIT - UNIT's main process runs EXE in APP: opening its
# memory from outside is refused, the denial naming APP and EXE's inode.
in_app() {
	local app=$1 exe=$2 unit=$3 pid m
	pid=$(systemctl show -P MainPID "$unit")
	m=$(mark)
	dd if="/proc/$pid/mem" of=/dev/null bs=1 count=0 2>/dev/null
	since "$m" | grep '"op":"ptrace"' | grep -E "\"target_pid\":$pid[,}]" |
		grep -E "\"target_app\":$(app_id "$app")[,}]" |
		grep -E "\"target_ino\":$(stat -c %i "$exe")[,}]" |
		grep -q '"result":"denied"'
}

# Event fields, tab-separated, one event a line:
#   type app op access object comm name exe
# object: the path, proto:port for bind and connect, socket=KIND for socket
# creation; access is the verbs, or the capability's name; name: the entry
# of a directory operation (before 6.12, its path may be empty); exe: the
# subject's executable (before 6.12, empty in directory operations).
fields() {
	awk '
	function f(k,   s) {
		if (!match($0, "\"" k "\":(\"([^\"\\\\]|\\\\.)*\"|-?[0-9]+|true|false)"))
			return ""
		s = substr($0, RSTART + length(k) + 3, RLENGTH - length(k) - 3)
		gsub(/^"|"$/, "", s)
		return s
	}
	{
		# The records type events DENY (complain mode: "mode") and
		# CONFIG_CHANGE; the kernel, denial, complain and audit.
		type = f("type")
		if (type == "DENY")
			type = f("mode") == "complain" ? "complain" : "denial"
		else if (type == "CONFIG_CHANGE" || type == "SHUTDOWN")
			type = "audit"
		obj = f("path")
		if (f("op") == "bind" || f("op") == "connect")
			obj = f("proto") ":" f("port")
		else if (f("op") == "socket")
			obj = "socket=" f("socket")
		printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", type, f("app"),
			f("op"), f("access"), obj, f("comm"), f("name"), f("exe")
	}'
}

# A readable line per event, for diagnostics: the app named when known.
show() {
	local id line
	while IFS=$'\t' read -r type id op access object comm _; do
		line="$type app=${app_names[$id]:-$id} $op $access $object comm=$comm"
		echo "$line"
	done
}

declare -A app_names
for name in sshd cron nginx rsyslog shell accounttools; do
	app_names[$(app_id "$name")]=$name
done

# refusals - of the events on stdin, the denials and complaints, as fields
refusals() {
	fields | awk -F'\t' '$1 == "denial" || $1 == "complain"'
}

# others_refusals - refusals, less the one that comes at its own time: cron
# rereads /etc/cron.d at the turn of a minute, whatever step runs then.
others_refusals() {
	refusals | awk -F'\t' -v cron="$(app_id cron)" \
		'!($1 == "denial" && $2 == cron && $5 == "/root/ward-cron-forbidden")'
}

# write_refused FILE... - succeeds when an ordinary program (dd, run as
# root in the caller's domain) may open none of the FILEs for writing, and
# each denial is reported.  It would write nothing if it could.
write_refused() {
	local f m
	for f; do
		m=$(mark)
		! dd if=/dev/null of="$f" conv=notrunc oflag=append status=none 2>/dev/null &&
			since "$m" | fields | awk -F'\t' -v f="$f" '
				$1 == "denial" && $3 == "open" && $5 == f { found = 1 }
				END { exit !found }' || return 1
	done
}

# status_counter NAME - a counter of "ward --json status"
status_counter() {
	ward --json status | grep -o "\"$1\":[0-9]*" | cut -d: -f2
}

# ---- the services ------------------------------------------------------

# http_get HOST PATH - prints the response (status line, headers, body) of
# a GET to 127.0.0.1:80, through bash's /dev/tcp.
http_get() {
	local reply
	exec 3<>/dev/tcp/127.0.0.1/80 || return 1
	printf 'GET %s HTTP/1.0\r\nHost: %s\r\nConnection: close\r\n\r\n' \
		"$2" "$1" >&3
	reply=$(timeout 20 cat <&3)
	exec 3<&-
	printf '%s\n' "$reply" | tr -d '\r'
}

# wait_for SECONDS CMD... - until CMD succeeds; fails after SECONDS
wait_for() {
	local end=$((SECONDS + $1))
	shift
	until "$@"; do
		[ $SECONDS -lt $end ] || return 1
		sleep 1
	done
}
