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

#define ELOOP 40

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
		struct inode *inode = dentry->d_inode;
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
