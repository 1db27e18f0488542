// SPDX-License-Identifier: GPL-2.0
/*
 * ward - hooks on paths: truncation, chmod and chown, and directory entries
 *
 * Removing, renaming or linking an object is checked on the object and,
 * as write, on the directories whose entries change; renaming a directory
 * also on what lies beneath it (beneath.bpf.h).  Replacing a file by
 * renaming another over it is a write to the replaced file; when that is
 * allowed, the newcomer takes over the replaced file's label or app
 * (carry.bpf.h), so that what editors, passwd and package managers do
 * keeps files protected and executables recognised.
 *
 * The path hooks decide for system calls, with paths for the events; the
 * inode hook the same operation calls next (inode.bpf.c) lets through
 * what they have just allowed (checked.bpf.h).
 */

#define WARD_OBJECT path
#include "beneath.bpf.h"
#include "carry.bpf.h"
#include "checked.bpf.h"
#include "event.bpf.h"
#include <bpf/bpf_tracing.h>

#define RENAME_EXCHANGE (1 << 1)

char LICENSE[] SEC("license") = "GPL";

static __always_inline struct ward_task *task_storage(void)
{
	return bpf_task_storage_get(&ward_tasks, bpf_get_current_task_btf(),
				    0, BPF_LOCAL_STORAGE_GET_F_CREATE);
}

/*
 * Reports the removal or renaming of @dentry, or of an entry of its, when
 * it is ward's pin directory or one of its two subdirectories: "ward stop"
 * does that (and so does "rm -r /sys/fs/bpf/ward").  The event goes out
 * before the links detach.
 */
static __always_inline void note_unpin(struct dentry *dentry,
				       struct dentry *entry)
{
	struct ward_state *st = state();
	struct ward_inode_ref ref, up;
	struct decision d = { .op = WARD_OP_UNPIN, .type = WARD_EVENT_AUDIT };
	struct inode *inode = dentry_inode(dentry);
	struct subject s = {};

	if (!st || !st->pin_ino || !inode)
		return;
	ref = inode_ref(inode);
	inode = dentry_inode(untrusted(dentry)->d_parent);
	up = inode ? inode_ref(inode) : ref;
	if (!(ref.dev == st->pin_dev &&
	      (ref.ino == st->pin_ino || up.ino == st->pin_ino)))
		return;
	report_file(&d, &s, dentry, entry, NULL, false);
}

/*
 * Checks @access on @object, reporting with @entry's name and @dir's
 * path: the object is @entry itself, or the directory @dir it is in.
 * With @cover, on what lies beneath it too (beneath.bpf.h).  @label, if
 * set, gets the label decided on.
 */
static __always_inline int
check_entry(void *policy, struct subject *s, __u32 op, __u32 access,
	    struct dentry *object, const struct path *dir, struct dentry *entry,
	    bool cover, __u32 *label)
{
	struct decision d = { .op = op, .access = access };
	int err = check_cover(policy, s, &d, object, cover);

	report_file(&d, s, object, entry, dir, false);
	if (label)
		*label = d.label;
	return err;
}

/* Checks @access on the object of @path, reporting its path. */
static __always_inline int check_path(__u32 op, __u32 access,
				      const struct path *path)
{
	return decide_file(op, access, path->dentry, NULL, path, false);
}

SEC("lsm/path_truncate")
int BPF_PROG(hook_path_truncate, const struct path *path)
{
	return check_path(WARD_OP_TRUNCATE, WARD_ACCESS_WRITE, path);
}

/* chmod and chown: notify_change() calls inode_setattr next. */
static __always_inline int check_path_attr(__u32 op, __u32 access,
					   const struct path *path)
{
	int err = check_path(op, access, path);

	if (!err)
		mark_checked(path->dentry, access);
	return err;
}

SEC("lsm/path_chmod")
int BPF_PROG(hook_path_chmod, const struct path *path)
{
	return check_path_attr(WARD_OP_CHMOD, WARD_ACCESS_CHMOD, path);
}

SEC("lsm/path_chown")
int BPF_PROG(hook_path_chown, const struct path *path)
{
	return check_path_attr(WARD_OP_CHOWN, WARD_ACCESS_CHOWN, path);
}

/* Creating @dentry in @dir needs write on the directory. */
static __always_inline int check_create(__u32 op, const struct path *dir,
					struct dentry *dentry)
{
	void *policy = policy_active();
	struct subject s;

	int err;

	if (!policy)
		return 0;
	subject_get(policy, &s);
	err = check_entry(policy, &s, op, WARD_ACCESS_WRITE, dentry, dir,
			  dentry, false, NULL);
	if (!err)
		mark_checked(dentry, WARD_ACCESS_WRITE);
	return err;
}

SEC("lsm/path_mknod")
int BPF_PROG(hook_path_mknod, const struct path *dir, struct dentry *dentry)
{
	return check_create(WARD_OP_CREATE, dir, dentry);
}

SEC("lsm/path_mkdir")
int BPF_PROG(hook_path_mkdir, const struct path *dir, struct dentry *dentry)
{
	return check_create(WARD_OP_MKDIR, dir, dentry);
}

SEC("lsm/path_symlink")
int BPF_PROG(hook_path_symlink, const struct path *dir, struct dentry *dentry)
{
	return check_create(WARD_OP_SYMLINK, dir, dentry);
}

/* Removing @dentry: unlink on it, write on its directory. */
static __always_inline int check_remove(__u32 op, const struct path *dir,
					struct dentry *dentry)
{
	void *policy = policy_active();
	struct subject s;
	int err;

	if (!policy)
		return 0;
	subject_get(policy, &s);
	err = check_entry(policy, &s, op, WARD_ACCESS_UNLINK, dentry, dir,
			  dentry, false, NULL);
	if (!err)
		err = check_entry(policy, &s, op, WARD_ACCESS_WRITE,
				  dir->dentry, dir, dentry, false, NULL);
	if (!err) {
		mark_checked(dentry, WARD_ACCESS_UNLINK | WARD_ACCESS_WRITE);
		note_unpin(dir->dentry, dentry);
	}
	return err;
}

SEC("lsm/path_unlink")
int BPF_PROG(hook_path_unlink, const struct path *dir, struct dentry *dentry)
{
	return check_remove(WARD_OP_UNLINK, dir, dentry);
}

SEC("lsm/path_rmdir")
int BPF_PROG(hook_path_rmdir, const struct path *dir, struct dentry *dentry)
{
	return check_remove(WARD_OP_RMDIR, dir, dentry);
}

/*
 * Ends the task's carry, if it is to @inode: an operation in a stacked
 * file system (overlayfs) ends an inner one on another inode first.
 */
static __always_inline void end_carry(struct inode *inode, bool ok)
{
	struct ward_task *t = bpf_task_storage_get(
		&ward_tasks, bpf_get_current_task_btf(), 0, 0);
	struct ward_inode_ref ref = inode_ref(inode);

	if (t && t->carry.inode.dev == ref.dev && t->carry.inode.ino == ref.ino)
		carry_end(t, ok);
}

/*
 * Starts carrying @label and @app to @inode (carry.bpf.h); refuses the
 * operation (-ENOSPC, reported) when the policy has no room for them.
 */
static __always_inline int begin_carry(void *policy, struct subject *s,
				       __u32 op, struct inode *inode,
				       __u32 label, __u32 app,
				       struct dentry *entry,
				       const struct path *dir)
{
	struct decision d = { .op = op, .label = label };
	struct ward_inode_ref ref = inode_ref(inode);
	struct ward_task *t = task_storage();

	/*
	 * One that did not end (it cannot, but fail safe) ends as failed;
	 * here, not in carry_begin(): three frames deep, the 6.1 verifier
	 * finds the stack too large.
	 */
	carry_end(t, false);
	if (t && !carry_begin(t, &ref, label, app))
		return 0;
	d.type = WARD_EVENT_DENIED;
	d.error = -ENOSPC;
	d.flags = WARD_EVENT_MAP_FULL;
	stat_inc(WARD_STAT_MAP_FULL);
	report_file(&d, s, entry, entry, dir, false);
	return -ENOSPC;
}

/*
 * The label a file with several names (or about to have them) carries by
 * one of its parents: @here, the one its checked name has, else @there,
 * the other's.  It becomes its own, so that no name escapes it.  0 when
 * the file has its own label already.
 */
static __always_inline __u32 pinned_label(void *policy, struct inode *inode,
					  __u32 here, __u32 there)
{
	if (policy_inode(policy, WARD_KEY_OBJECT, inode))
		return 0;
	return here ? here : there;
}

SEC("lsm/path_link")
int BPF_PROG(hook_path_link, struct dentry *old_dentry,
	     const struct path *new_dir, struct dentry *new_dentry)
{
	void *policy = policy_active();
	struct inode *inode = dentry_inode(old_dentry);
	__u32 here = 0, there = 0;
	struct subject s;
	int err;

	if (!policy || !inode)
		return 0;
	subject_get(policy, &s);
	/* A hard link outside a protected directory would escape it. */
	err = check_entry(policy, &s, WARD_OP_LINK, WARD_ACCESS_LINK,
			  old_dentry, new_dir, new_dentry, false, &here);
	if (!err)
		err = check_entry(policy, &s, WARD_OP_LINK, WARD_ACCESS_WRITE,
				  new_dentry, new_dir, new_dentry, false,
				  &there);
	if (!err)
		err = begin_carry(policy, &s, WARD_OP_LINK, inode,
				  pinned_label(policy, inode, here, there), 0,
				  new_dentry, new_dir);
	if (!err)
		mark_checked(new_dentry, WARD_ACCESS_LINK | WARD_ACCESS_WRITE);
	return err;
}

/* The own label or app of @inode (@kind), 0 for none. */
static __always_inline __u32 own_entry(void *policy, __u32 kind,
				       struct inode *inode)
{
	union ward_policy_value *value = policy_inode(policy, kind, inode);

	return value ? value->label : 0;
}

SEC("lsm/path_rename")
int BPF_PROG(hook_path_rename, const struct path *old_dir,
	     struct dentry *old_dentry, const struct path *new_dir,
	     struct dentry *new_dentry, unsigned int flags)
{
	struct dentry *old_parent = old_dir->dentry;
	struct dentry *new_parent = new_dir->dentry;
	void *policy = policy_active();
	__u32 here = 0, there = 0, label = 0, app = 0;
	struct inode *source, *target;
	struct subject s;
	int err;

	if (!policy)
		return 0;
	subject_get(policy, &s);
	/* Moving a directory moves what lies beneath it: its cover. */
	err = check_entry(policy, &s, WARD_OP_RENAME, WARD_ACCESS_RENAME,
			  old_dentry, old_dir, old_dentry, true, &here);
	if (!err)
		err = check_entry(policy, &s, WARD_OP_RENAME, WARD_ACCESS_WRITE,
				  old_parent, old_dir, old_dentry, false, NULL);
	if (!err)
		err = check_entry(policy, &s, WARD_OP_RENAME, WARD_ACCESS_WRITE,
				  new_parent, new_dir, new_dentry, false,
				  &there);
	target = dentry_inode(new_dentry);
	source = dentry_inode(old_dentry);
	if (err || !source)
		return err;
	if (target && (flags & RENAME_EXCHANGE)) {
		err = check_entry(policy, &s, WARD_OP_RENAME,
				  WARD_ACCESS_RENAME, new_dentry, new_dir,
				  new_dentry, true, NULL);
	} else if (target) {
		/* The target is replaced: that writes it. */
		err = check_entry(policy, &s, WARD_OP_RENAME, WARD_ACCESS_WRITE,
				  new_dentry, new_dir, new_dentry, false, NULL);
		label = own_entry(policy, WARD_KEY_OBJECT, target);
		app = own_entry(policy, WARD_KEY_EXE, target);
	} else if (untrusted(source)->i_nlink > 1) {
		label = pinned_label(policy, source, here, there);
	}
	if (!err && (label || app))
		err = begin_carry(policy, &s, WARD_OP_RENAME, source, label,
				  app, new_dentry, new_dir);
	if (!err) {
		mark_checked(old_dentry,
			     WARD_ACCESS_RENAME | WARD_ACCESS_WRITE);
		note_unpin(old_dentry, old_dentry);
	}
	return err;
}

/*
 * Once a directory has moved, labels cached for what is under it may be
 * wrong: after the move, not before, or a lookup in between would cache
 * the old ancestry again.
 */
SEC("fexit/vfs_rename")
int BPF_PROG(fexit_vfs_rename, struct renamedata *rd, int ret)
{
	struct renamedata *r = untrusted(rd);
	struct inode *moved = dentry_inode(r->old_dentry);
	struct inode *other = dentry_inode(r->new_dentry);

	if (moved)
		end_carry(moved, !ret);
	if (ret)
		return 0;
	if ((moved && inode_is_dir(moved)) || (other && inode_is_dir(other)))
		state_invalidate();
	return 0;
}

/* The first argument is a user namespace before 6.3, then a mnt_idmap. */
SEC("fexit/vfs_link")
int BPF_PROG(fexit_vfs_link, struct dentry *old_dentry, void *idmap,
	     struct inode *dir, struct dentry *new_dentry,
	     struct inode **delegated_inode, int ret)
{
	struct inode *inode = dentry_inode(old_dentry);

	if (inode)
		end_carry(inode, !ret);
	return 0;
}
