# SPDX-License-Identifier: GPL-2.0
#
# signed.sh - a locked ward takes only signed, newer policies, and the
# floor outlives a reboot (issue 12; GB/T 39276 5.2.2.3 k).  Sourced by
# run, after lib.sh: signed_boot1 at the end of boot 1 (it replaces the
# factory policy by a signed, newer copy of it), signed_boot2 at boot 2 of
# "scripts/vmtest --system --boots 2".
#
# The image's factory policies are signed by a test vendor key its
# /usr/lib/ward/keys trusts (scripts/vmtest: sign_factory_policies), whose
# signer is kept in /root/ward-vendor.{key,pem} for these tests.
# ward.conf does not set require-signed-policy: its default, "locked".

signed_dir=/root/ward-signed
vendor_key=/root/ward-vendor.key
vendor_cert=/root/ward-vendor.pem

# signed_copy DIR VERSION [EXTRA] - the factory policies in DIR, sshd's at
# VERSION (with the line EXTRA appended), each signed by the vendor key
signed_copy() {
	local dir=$1 version=$2 extra=${3:-} f
	rm -rf "$dir"
	mkdir -p "$dir"
	cp /usr/lib/ward/policy.d/*.policy "$dir/"
	sed -i "s/^policy sshd .*/policy sshd $version/" "$dir/sshd.policy"
	[ -z "$extra" ] || echo "$extra" >>"$dir/sshd.policy"
	for f in "$dir"/*.policy; do
		ward policy sign --key "$vendor_key" --cert "$vendor_cert" "$f" \
			>/dev/null || return 1
	done
}

# load_code DIR [OPTION] - "ward --json policy load": prints the errno
# name of a refusal, "ok" when it loaded
load_code() {
	local dir=$1 out
	shift
	if out=$(ward --json policy load "$@" "$dir" 2>/dev/null); then
		echo ok
	else
		printf '%s\n' "$out" | grep -o '"code":"[A-Z]*"' | cut -d'"' -f4
	fi
}

# last_load_refused ERROR - the last policy_load CONFIG_CHANGE of the
# security log is a refusal with ERROR (a negative errno)
last_load_refused() {
	local rec
	ward log sync --timeout 300 >/dev/null 2>&1 || return 1
	rec=$(ward --json log show | grep '"type":"CONFIG_CHANGE"' |
		grep '"op":"policy_load"' | tail -n 1)
	[[ $rec == *'"result":"denied"'* && $rec == *"\"error\":$1,"* ]]
}

signed_boot1() {
	local code
	diag "signed policies: the factory's are signed, the guest is locked"
	check "the factory policies are signed by the trusted vendor key" \
		"ward policy verify failed" \
		ward policy verify /usr/lib/ward/policy.d/sshd.policy
	check "the boot raised the floor to the factory's versions" \
		"$(cat /var/lib/ward/policy/floor 2>&1)" \
		grep -q '^sshd 1\.0\.0 ' /var/lib/ward/policy/floor

	signed_copy "$signed_dir/unsigned" 1.0.5
	rm -f "$signed_dir/unsigned/sshd.policy.sig"
	code=$(load_code "$signed_dir/unsigned")
	check "locked: an unsigned replacement is refused (ENOENT)" "$code" \
		[ "$code" = ENOENT ]
	check "locked: the refusal is in the security log" "no record" \
		last_load_refused -2

	signed_copy "$signed_dir/newer" 1.0.1
	code=$(load_code "$signed_dir/newer")
	check "locked: a signed, newer policy replaces the factory's" "$code" \
		[ "$code" = ok ]
	check "the floor rose to it" "$(cat /var/lib/ward/policy/floor 2>&1)" \
		grep -q '^sshd 1\.0\.1 ' /var/lib/ward/policy/floor
	code=$(load_code "$signed_dir/newer")
	check "locked: the same policy again loads (pwconv)" "$code" \
		[ "$code" = ok ]

	code=$(load_code /usr/lib/ward/policy.d)
	check "locked: the factory's older signed policy is refused (ESTALE)" \
		"$code" [ "$code" = ESTALE ]
	code=$(load_code /usr/lib/ward/policy.d --allow-downgrade)
	check "locked: --allow-downgrade is refused" "$code" \
		[ "$code" != ok ]
	check "locked: the refused override is in the security log" \
		"no record" last_load_refused -1

	signed_copy "$signed_dir/fewer" 1.0.2
	rm -f "$signed_dir/fewer/nginx.policy" "$signed_dir/fewer/nginx.policy.sig"
	code=$(load_code "$signed_dir/fewer")
	check "locked: a signed policy that drops one of the active's is refused" \
		"$code" [ "$code" != ok ]
	check "locked: nginx's confinement stays" "$(ward policy show | head -n 5)" \
		sh -c 'ward policy show | grep -q "^# unit nginx "'
}

signed_boot2() {
	local code
	diag "signed policies after a reboot: the floor held"
	check "the floor survived the reboot" \
		"$(cat /var/lib/ward/policy/floor 2>&1)" \
		grep -q '^sshd 1\.0\.1 ' /var/lib/ward/policy/floor
	signed_copy "$signed_dir/replay" 1.0.0 "# replayed"
	code=$(load_code "$signed_dir/replay")
	check "after a reboot, an older signed policy is still refused (ESTALE)" \
		"$code" [ "$code" = ESTALE ]
	code=$(load_code "$signed_dir/newer")
	check "after a reboot, the policy at the floor loads again" "$code" \
		[ "$code" = ok ]
}
