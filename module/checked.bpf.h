/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ward - a path hook's decision, for the inode hook of the same operation
 *
 * A system call that changes a directory entry, a mode or an owner comes
 * through a path hook (path.bpf.c), which decides with the path for the
 * event, then through an inode hook (inode.bpf.c).  The inode hooks
 * decide on what comes without a path hook (overlayfs's changes to its
 * upper layer, nfsd, ksmbd), and let through what the path hook has just
 * allowed: struct ward_task.checked.
 */

#ifndef WARD_CHECKED_BPF_H
#define WARD_CHECKED_BPF_H

#include "storage.bpf.h"

/* Notes that the path hook allowed @access on @dentry, for the inode hook. */
static __always_inline void mark_checked(struct dentry *dentry, __u32 access)
{
	struct ward_task *t = bpf_task_storage_get(
		&ward_tasks, bpf_get_current_task_btf(), 0, 0);

	if (t) {
		t->checked = (__u64)dentry;
		t->checked_access = access;
	}
}

/*
 * Did the path hook allow @access on @dentry?  Forgets it either way: a
 * path hook whose operation failed before its inode hook must not let a
 * later inode hook through.
 */
static __always_inline bool was_checked(struct dentry *dentry, __u32 access)
{
	struct ward_task *t = bpf_task_storage_get(
		&ward_tasks, bpf_get_current_task_btf(), 0, 0);
	bool checked;

	if (!t)
		return false;
	checked = t->checked == (__u64)dentry &&
		  (t->checked_access & access) == access;
	t->checked = 0;
	t->checked_access = 0;
	return checked;
}

#endif /* WARD_CHECKED_BPF_H */
