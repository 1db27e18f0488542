# SPDX-License-Identifier: GPL-2.0
#
# bash completion for ward(8), installed as
# /usr/share/bash-completion/completions/ward.
#
# The tables below are what userspace/main.c, policy_cmd.c and log.c
# dispatch and what each command's struct cmd_option table takes;
# scripts/check-completion ("make check") fails when they differ, so that
# a new command or option cannot be left out.

# The commands of each level.  cmd_select() takes "help" at every level.
declare -gA _ward_commands=(
	[ward]="start stop status policy mode log logd verify-package help version"
	[policy]="check load show diff suggest install remove sign verify help"
	[log]="drain show tail verify export setup sync help"
)

# The options of each command ("ward": those before the command).
declare -gA _ward_options=(
	[ward]="-j --json -p --pretty -d --debug -h --help -V --version"
	[start]="-l --lock"
	[status]="-s --strict"
	["policy check"]="-W --werror"
	["policy load"]="--allow-downgrade"
	["policy sign"]="-k --key -c --cert --chain -o --output"
	["policy verify"]="--keys"
	[verify-package]="--keys -m --manifest -s --signature"
	["log drain"]="-f --follow"
	["log show"]="--since --until -t --type -u --user -b --boot -D --dir"
	["log tail"]="-n --lines -f --follow -D --dir"
	["log verify"]="-k --key -K --key-file -D --dir -B --bundle --head"
	["log export"]="-D --dir -o --output"
	["log setup"]="--force"
	["log sync"]="-t --timeout"
)

# The options that take an argument, "COMMAND OPTION", and what it is:
# file, dir, type (record types), user, or word (nothing to offer).
declare -gA _ward_args=(
	["policy sign -k"]=file ["policy sign --key"]=file
	["policy sign -c"]=file ["policy sign --cert"]=file
	["policy sign --chain"]=file
	["policy sign -o"]=file ["policy sign --output"]=file
	["policy verify --keys"]=dir
	["verify-package --keys"]=dir
	["verify-package -m"]=file ["verify-package --manifest"]=file
	["verify-package -s"]=file ["verify-package --signature"]=file
	["log show --since"]=word ["log show --until"]=word
	["log show -t"]=type ["log show --type"]=type
	["log show -u"]=user ["log show --user"]=user
	["log show -b"]=word ["log show --boot"]=word
	["log show -D"]=dir ["log show --dir"]=dir
	["log tail -n"]=word ["log tail --lines"]=word
	["log tail -D"]=dir ["log tail --dir"]=dir
	["log verify -k"]=word ["log verify --key"]=word
	["log verify -K"]=file ["log verify --key-file"]=file
	["log verify -D"]=dir ["log verify --dir"]=dir
	["log verify -B"]=file ["log verify --bundle"]=file
	["log verify --head"]=word
	["log export -D"]=dir ["log export --dir"]=dir
	["log export -o"]=file ["log export --output"]=file
	["log sync -t"]=word ["log sync --timeout"]=word
)

_ward_record_types="BOOT SHUTDOWN LOGIN LOGOUT LOGIN_FAILED LOGIN_REFUSED CONFIG_CHANGE DENY LOST SEAL STORE"

_ward_files() { # [dirs]: files and directories, or directories only
	if [ "$1" = dirs ]; then
		mapfile -t COMPREPLY < <(compgen -d -- "$cur")
	else
		mapfile -t COMPREPLY < <(compgen -f -- "$cur")
	fi
	compopt -o filenames 2>/dev/null
}

_ward() {
	local cur=${COMP_WORDS[COMP_CWORD]} key=ward level=ward arg=
	local i w

	# Which command the words before the cursor name, and whether the
	# word under it is an option's argument.
	for ((i = 1; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		if [ -n "$arg" ]; then
			arg=
		elif [[ $w == -* ]]; then
			[ -n "${_ward_args["$key $w"]+set}" ] && arg=${_ward_args["$key $w"]}
		elif [ -n "$level" ] && [[ " ${_ward_commands[$level]} " == *" $w "* ]]; then
			if [ "$level" = ward ]; then
				key=$w
			else
				key="$level $w"
			fi
			level=
			[ -n "${_ward_commands[$w]+set}" ] && [ "$key" = "$w" ] && level=$w
		fi
	done

	case $arg in
	file) _ward_files; return ;;
	dir) _ward_files dirs; return ;;
	type) # a list: TYPE[,TYPE...]
		local done=
		[[ $cur == *,* ]] && done=${cur%,*},
		mapfile -t COMPREPLY < <(compgen -P "$done" -W "$_ward_record_types" -- "${cur##*,}")
		;;
	user) mapfile -t COMPREPLY < <(compgen -u -- "$cur") ;;
	word) COMPREPLY=() ;;
	esac
	[ -n "$arg" ] && return

	if [[ $cur == -* ]]; then
		mapfile -t COMPREPLY < <(compgen -W "${_ward_options[$key]}" -- "$cur")
	elif [ -n "$level" ]; then
		mapfile -t COMPREPLY < <(compgen -W "${_ward_commands[$level]}" -- "$cur")
	else
		case $key in
		mode) mapfile -t COMPREPLY < <(compgen -W "enforce complain" -- "$cur") ;;
		"policy remove")
			mapfile -t COMPREPLY < <(cd /etc/ward/policy.d 2>/dev/null &&
				compgen -f -X '!*.policy' -- "$cur")
			;;
		start | "policy check" | "policy load" | "policy diff" | \
			"policy suggest" | "policy install" | "policy sign" | \
			"policy verify" | verify-package)
			_ward_files
			;;
		esac
	fi
}
complete -F _ward ward
