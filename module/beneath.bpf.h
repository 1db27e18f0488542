/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ward - a directory and what lies beneath it
 *
 * Mounting on a directory, or unmounting, moving or pivoting away the
 * mount that holds it, changes what every path through it names; so does
 * renaming it.  Files under it keep their labels, but their paths no
 * longer lead to them: for the labelled objects beneath, that is a change
 * to their labels.  The compiler gives each directory above labelled
 * objects a cover label, which stands for it and all of them
 * (userspace/policy_cover.c): one lookup, one decision.
 */

#ifndef WARD_BENEATH_BPF_H
#define WARD_BENEATH_BPF_H

#include "decide.bpf.h"

/*
 * The label that stands for @dentry and, with @beneath, what lies beneath
 * it: its cover label, with WARD_EVENT_BENEATH in @d->flags, when
 * labelled objects lie beneath; else its own or inherited one.  Returns
 * as object_label().
 */
static __always_inline int cover_label(void *policy, struct dentry *dentry,
				       struct decision *d, bool beneath)
{
	struct inode *inode = dentry_inode(dentry);
	union ward_policy_value *cover;
	struct ward_inode_ref ref;

	if (inode && beneath) {
		ref = inode_ref(inode);
		cover = policy_ref_any(policy, WARD_KEY_BENEATH, &ref);
		if (cover) {
			d->label = cover->label;
			d->flags |= WARD_EVENT_BENEATH;
			return 0;
		}
	}
	return object_label(policy, dentry, &d->label);
}

/**
 * check_cover - may @s change what lies at and beneath @dentry?
 * @policy: the active policy
 * @s: the subject
 * @d: the decision; @d->op and @d->access (WARD_ACCESS_MOUNT, or
 *     WARD_ACCESS_RENAME) are set by the caller
 * @dentry: the directory (or file) whose path would change
 * @beneath: what lies beneath counts; else only @dentry's own or
 *           inherited label (check_file())
 *
 * Return: as check_label().
 */
static __always_inline int check_cover(void *policy, struct subject *s,
				       struct decision *d, struct dentry *dentry,
				       bool beneath)
{
	if (cover_label(policy, dentry, d, beneath))
		return refuse_unknown_label(policy, s, d);
	return check_label(policy, s, d);
}

#endif /* WARD_BENEATH_BPF_H */
