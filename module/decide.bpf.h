/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ward - the decision every file hook shares
 *
 * A label protects the accesses (all of them, or for the executables of
 * apps those that change them) that every subject then needs a rule for.
 * A confined app needs a rule for everything.  Anything else is not ward's
 * business.
 */

#ifndef WARD_DECIDE_BPF_H
#define WARD_DECIDE_BPF_H

#include "event.bpf.h"

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
	if (object_label(policy, dentry, &d->label))
		return refuse_unknown_label(policy, s, d);
	return check_label(policy, s, d);
}

/*
 * Reports a file decision if it is to be: the object @dentry, @entry's
 * name, and @path (the object's, or with @entry its directory's).
 */
static __always_inline void report_file(const struct decision *d,
					const struct subject *s,
					struct dentry *dentry,
					struct dentry *entry,
					const struct path *path, bool d_path_ok)
{
	struct ward_event *ev;

	if (!d->type)
		return;
	ev = event_reserve();
	if (!ev)
		return;
	event_fill(ev, d, s);
	event_object(ev, dentry, entry);
	event_paths(ev, path, d_path_ok);
	bpf_ringbuf_submit(ev, 0);
}

/**
 * decide_file - the whole decision on one object, reported if it is to be
 * @op: enum ward_op
 * @access: enum ward_access needed
 * @dentry: the object, as for check_file()
 * @entry: as for report_file()
 * @path: as for report_file()
 * @d_path_ok: as for report_file()
 *
 * Return: 0 when allowed, in complain mode, or with no policy; -EACCES
 * when denied.
 */
static __always_inline int decide_file(__u32 op, __u32 access,
				       struct dentry *dentry,
				       struct dentry *entry,
				       const struct path *path, bool d_path_ok)
{
	struct decision d = { .op = op, .access = access };
	void *policy = policy_active();
	struct subject s;
	int err;

	if (!policy)
		return 0;
	subject_get(policy, &s);
	err = check_file(policy, &s, &d, dentry);
	report_file(&d, &s, dentry, entry, path, d_path_ok);
	return err;
}

#endif /* WARD_DECIDE_BPF_H */
