/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ward - deciding: what every hook decides with, and the decision on a
 * labelled object
 *
 * A label protects the accesses (all of them, or for the executables of
 * apps those that change them) that every subject then needs a rule for.
 * A confined app needs a rule for everything.  Anything else is not ward's
 * business.
 */

#ifndef WARD_DECIDE_BPF_H
#define WARD_DECIDE_BPF_H

#include "label.bpf.h"
#include "subject.bpf.h"

/**
 * struct decision - what a hook decided, for the event
 * @type: enum ward_event_type, 0 when there is nothing to report
 * @op: enum ward_op
 * @access: as struct ward_event.access
 * @label: the object's label; WARD_OP_PTRACE: the target's domain
 * @flags: enum ward_event_flags
 * @error: what the hook returns
 * @cap: as struct ward_event.cap
 * @family: net: the address family
 * @proto: net: the protocol
 * @port: net: the port
 */
struct decision {
	__u32 type;
	__u32 op;
	__u32 access;
	__u32 label;
	__u32 flags;
	__s32 error;
	__u32 cap;
	__u16 family;
	__u16 proto;
	__u16 port;
};

/*
 * Settles a refusal: denied with @error, or let through in complain mode
 * (the subject's own, for what is @own to it).  Either way it is reported.
 */
static __always_inline int refuse(void *policy, struct subject *s,
				  struct decision *d, int error, bool own)
{
	if (subject_complains(policy, s, own)) {
		d->type = WARD_EVENT_COMPLAIN;
		d->error = 0;
		stat_inc(WARD_STAT_COMPLAINED);
		return 0;
	}
	d->type = WARD_EVENT_DENIED;
	d->error = error;
	stat_inc(WARD_STAT_DENIED);
	return error;
}

/**
 * decide_label - may @s perform @d->access on an object labelled @d->label?
 * @s: the subject
 * @d: the decision; sets @d->type when it is to be reported: a refusal,
 *     or an allowed access the label audits
 * @serial: the serial of the policy @d->label was found in
 *
 * A global function (decide.bpf.c), so that the verifier checks it once
 * per program instead of once for each call and each path to it: that
 * took most of the time "ward start" spends loading.  It cannot take the
 * policy map, so it looks the policy up again by @serial.
 *
 * Return: 0 when allowed (or in complain mode), -EACCES when denied.
 */
extern int decide_label(struct subject *s, struct decision *d, __u32 serial);

/* decide_label(), in @policy, for a hook's return value. */
static __always_inline int check_label(void *policy, struct subject *s,
				       struct decision *d)
{
	return decide_label(s, d, policy_serial(policy)) ? -EACCES : 0;
}

/*
 * The decision decide_label() would take, from the label's facts
 * (label.bpf.h) alone: true when it would allow @d->access and report
 * nothing.  That needs no lookup: the subject is in no confined domain,
 * and the label protects none of the access or grants all of it to
 * "any", and audits none of it.  False when it cannot tell.
 */
static __always_inline bool facts_allow(const struct subject *s,
					const struct decision *d,
					const struct label_facts *f)
{
	if (!f->known || subject_confined(s) || (f->audit & d->access))
		return false;
	return !(f->protects & d->access) || (f->any & d->access) == d->access;
}

/* The label could not be found (object_label()): refused, fail closed. */
static __always_inline int refuse_unknown_label(void *policy, struct subject *s,
						struct decision *d)
{
	d->flags |= WARD_EVENT_WALK_LIMIT;
	d->label = 0;
	stat_inc(WARD_STAT_WALK_LIMIT);
	return refuse(policy, s, d, -EACCES, false);
}

/**
 * check_file - may @s perform @d->access on the object at @dentry?
 * @policy: the active policy
 * @s: the subject
 * @d: the decision; @d->op and @d->access are set by the caller
 * @dentry: the object; negative for an entry about to be created, which
 *          stands for its directory
 *
 * Return: as check_label().
 */
static __always_inline int check_file(void *policy, struct subject *s,
				      struct decision *d, struct dentry *dentry)
{
	struct label_facts facts = {};

	if (resolve_label(policy, dentry, &d->label, &facts))
		return refuse_unknown_label(policy, s, d);
	if (facts_allow(s, d, &facts))
		return 0;
	return check_label(policy, s, d);
}

#endif /* WARD_DECIDE_BPF_H */
