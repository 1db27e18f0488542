/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ward - the label of an object
 *
 * Labels sit on inodes.  A file's label is its own, else the label of its
 * nearest labelled ancestor directory, found by walking d_parent up to the
 * root of the file system.  Walking dentries rather than mounts means bind
 * mounts, chroot and mount namespaces change nothing: the ancestry of an
 * inode within its file system is the same whichever way it is reached.
 */

#ifndef WARD_LABEL_BPF_H
#define WARD_LABEL_BPF_H

#include "policy.bpf.h"
#include <bpf/bpf_core_read.h>

#define ELOOP 40

/*
 * The inode of @dentry, or NULL when it is negative (an entry about to be
 * created).  The 6.12 verifier takes the d_inode of a hook's dentry for
 * non-NULL and drops NULL checks on it, so negativity is read from the
 * entry type bits of d_flags, which moved in 6.15 (enum dentry_flags).
 */
static __always_inline struct inode *dentry_inode(struct dentry *dentry)
{
	__u32 type = 7 << 20;

	if (bpf_core_enum_value_exists(enum dentry_flags, DCACHE_ENTRY_TYPE))
		type = bpf_core_enum_value(enum dentry_flags,
					   DCACHE_ENTRY_TYPE);
	if (!(dentry->d_flags & type))
		return NULL;
	return dentry->d_inode;
}

/**
 * object_label - resolve the label covering @dentry
 * @policy: the active policy map
 * @dentry: where the walk starts; a negative dentry stands for the entry
 *          about to be created in its parent
 * @label: set to the label found, or 0 when nothing covers @dentry
 *
 * Return: 0, or -ELOOP when WARD_WALK_MAX ancestors were looked at without
 * reaching the root; the caller must then deny, as the label is unknown.
 */
static __always_inline int object_label(void *policy, struct dentry *dentry,
					__u32 *label)
{
	for (int depth = 0; depth < WARD_WALK_MAX; depth++) {
		struct inode *inode = dentry_inode(dentry);
		struct dentry *parent;

		if (inode) {
			union ward_policy_value *value =
				policy_inode(policy, WARD_KEY_OBJECT, inode);

			if (value) {
				*label = value->label;
				return 0;
			}
		}
		parent = dentry->d_parent;
		if (parent == dentry) {
			*label = 0;
			return 0;
		}
		dentry = parent;
	}
	return -ELOOP;
}

#endif /* WARD_LABEL_BPF_H */
