/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ward - the access decision every hook shares
 */

#ifndef WARD_ACCESS_BPF_H
#define WARD_ACCESS_BPF_H

#include "event.bpf.h"
#include "label.bpf.h"

#define EACCES 13

/**
 * check_access - may the current task perform @d->access on an object?
 * @d: the decision; @d->op and @d->access are set by the caller
 * @dentry: the object; negative for an entry about to be created
 *
 * An object no label covers is not ward's business.  A labelled one needs
 * a rule granting the access to the app of the task's executable.  What
 * is denied, or allowed only by complain mode, is to be reported.
 *
 * Return: 0 when allowed (or in complain mode), -EACCES when denied.
 */
static __always_inline int check_access(struct decision *d,
					struct dentry *dentry)
{
	void *policy = policy_active();

	if (!policy)
		return 0;
	if (object_label(policy, dentry, &d->label)) {
		d->flags |= WARD_EVENT_WALK_LIMIT;
		stat_inc(WARD_STAT_WALK_LIMIT);
	} else if (!d->label) {
		return 0;
	}
	d->app = subject_app(policy);
	if (d->label && policy_allows(policy, d->label, d->app, d->access))
		return 0;

	d->report = true;
	if (policy_mode(policy) == WARD_MODE_COMPLAIN) {
		d->flags |= WARD_EVENT_COMPLAIN;
		stat_inc(WARD_STAT_COMPLAINED);
		return 0;
	}
	d->error = -EACCES;
	stat_inc(WARD_STAT_DENIED);
	return d->error;
}

#endif /* WARD_ACCESS_BPF_H */
