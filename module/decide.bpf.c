// SPDX-License-Identifier: GPL-2.0
/*
 * ward - the decision on a labelled object, one copy per program
 *
 * Inlined, this decision was verified once for every call and every path
 * leading to it: a rename decides up to five times.  As a global function
 * it is verified once, on its own, with what the callers pass.
 */

#define WARD_OBJECT decide
#include "decide.bpf.h"

/* The access bits @s holds on @label through its app, any, or user sets. */
static __always_inline __u32 granted(void *policy, struct subject *s,
				     __u32 label, __u32 access)
{
	__u32 bits = policy_rule(policy, label, WARD_SUBJECT_ANY);
	__u64 users;

	if (s->app)
		bits |= policy_rule(policy, label, s->app);
	if ((bits & access) == access)
		return bits;
	users = subject_users(policy, s);
	if (!users)
		return bits;
	for (__u32 bit = 0; bit < WARD_ACCESS_BITS; bit++) {
		struct ward_policy_key key = {
			.kind = WARD_KEY_USERS_RULE,
			.rule = { .label = label, .subject = bit },
		};
		union ward_policy_value *holders;

		if (!(access & ~bits & (1U << bit)))
			continue;
		holders = bpf_map_lookup_elem(policy, &key);
		if (holders && (holders->users & users))
			bits |= 1U << bit;
	}
	return bits;
}

/*
 * Does @s hold @access on @label?  *@audit gets the label's audited
 * accesses.
 */
static __always_inline bool allowed(void *policy, struct subject *s,
				    __u32 label, __u32 access, __u32 *audit)
{
	union ward_policy_value *info = NULL;
	bool protected = false;

	*audit = 0;
	if (label)
		info = policy_id(policy, WARD_KEY_LABEL, label);
	if (info) {
		protected = info->label_info.protects & access;
		*audit = info->label_info.audit;
	}
	if (!protected && !subject_confined(s))
		return true;
	if (!label)
		return false;
	return (granted(policy, s, label, access) & access) == access;
}

/*
 * Is the refusal of @access on @label the subject's own business: its
 * confinement, or a label of the policy file that defines its app (which
 * its own complain mode may then let through)?  Asked only on refusal.
 */
static __always_inline bool refusal_own(void *policy, struct subject *s,
					__u32 label, __u32 access)
{
	union ward_policy_value *info =
		label ? policy_id(policy, WARD_KEY_LABEL, label) : NULL;

	return !info || !(info->label_info.protects & access) ||
	       info->label_info.unit == s->unit;
}

/*
 * The policy of @serial: the active one, or the one it has just replaced
 * while a program that began with it is still running.
 */
static __always_inline void *policy_of(__u32 serial)
{
	void *policy = policy_active();

	if (policy && policy_serial(policy) == serial)
		return policy;
	policy = policy_slot(POLICY_PREVIOUS);
	if (policy && policy_serial(policy) == serial)
		return policy;
	return NULL;
}

__noinline int decide_label(struct subject *s, struct decision *d, __u32 serial)
{
	void *policy = policy_of(serial);
	__u32 audit;

	if (!s || !d)
		return -EACCES;
	if (!policy) {
		/* Cannot happen (policy_map.c): fail closed all the same. */
		d->type = WARD_EVENT_DENIED;
		d->error = -EACCES;
		stat_inc(WARD_STAT_DENIED);
		return -EACCES;
	}
	if (!allowed(policy, s, d->label, d->access, &audit))
		return refuse(policy, s, d, -EACCES,
			      refusal_own(policy, s, d->label, d->access));
	if (audit & d->access) {
		d->type = WARD_EVENT_AUDIT;
		stat_inc(WARD_STAT_AUDITED);
	}
	return 0;
}
