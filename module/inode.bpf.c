// SPDX-License-Identifier: GPL-2.0
/*
 * ward - hooks on inodes: attributes, and what changes directories
 * without a path hook
 *
 * Sizes, times, extended attributes and ACLs are decided here only.
 * Overlayfs (changing its upper layer), nfsd and ksmbd change directories,
 * modes and owners without the path hooks (path.bpf.c), through the inode
 * hooks alone: those decide too, unless the path hook of the same
 * operation has just allowed it (checked.bpf.h).  No struct path here:
 * events name the object by its entries' names, up to the root of its
 * file system (walk_path()).
 */

#define WARD_OBJECT inode
#include "checked.bpf.h"
#include "event.bpf.h"
#include <bpf/bpf_tracing.h>

#define ATTR_MODE (1 << 0)
#define ATTR_UID (1 << 1)
#define ATTR_GID (1 << 2)
#define ATTR_SIZE (1 << 3)
#define ATTR_ATIME (1 << 4)
#define ATTR_MTIME (1 << 5)
#define ATTR_KILL_SUID (1 << 11)
#define ATTR_KILL_SGID (1 << 12)

char LICENSE[] SEC("license") = "GPL";

/*
 * A write to @dentry known only by its dentry.  @d_path_ok, in each hook
 * 6.1 allows bpf_d_path() in, names the subject's executable whole there
 * (report_file()); the object's path is read from its names.
 */
static __always_inline int check_dentry_write(struct dentry *dentry,
					      bool d_path_ok)
{
	return decide_file(WARD_OP_SETATTR, WARD_ACCESS_WRITE, dentry, dentry,
			   NULL, d_path_ok);
}

/* A chmod or chown of @dentry known only by its dentry. */
static __always_inline int check_dentry_attr(__u32 op, __u32 access,
					     struct dentry *dentry,
					     bool d_path_ok)
{
	return decide_file(op, access, dentry, dentry, NULL, d_path_ok);
}

/*
 * Sizes and times are writes.  The mode and the owner come through
 * path_chmod and path_chown for system calls; nfsd, ksmbd and overlayfs
 * (on its upper layer) call notify_change() without them, so they are
 * decided here unless the path hook has just allowed them.  A mode change
 * that comes with ATTR_KILL_SUID or ATTR_KILL_SGID is the kernel clearing
 * set-id bits after a write or a chown (notify_change() never takes both
 * from a caller): not a chmod.
 */
static __always_inline int check_setattr(struct dentry *dentry,
					 struct iattr *attr)
{
	unsigned int valid = attr->ia_valid;
	int err;

	if ((valid & ATTR_MODE) &&
	    !(valid & (ATTR_KILL_SUID | ATTR_KILL_SGID)) &&
	    !was_checked(dentry, WARD_ACCESS_CHMOD)) {
		err = check_dentry_attr(WARD_OP_CHMOD, WARD_ACCESS_CHMOD,
					dentry, true);
		if (err)
			return err;
	}
	if ((valid & (ATTR_UID | ATTR_GID)) &&
	    !was_checked(dentry, WARD_ACCESS_CHOWN)) {
		err = check_dentry_attr(WARD_OP_CHOWN, WARD_ACCESS_CHOWN,
					dentry, true);
		if (err)
			return err;
	}
	if (!(valid & (ATTR_SIZE | ATTR_ATIME | ATTR_MTIME)))
		return 0;
	return check_dentry_write(dentry, true);
}

/* The names under which setxattr(2) sets POSIX ACLs. */
static const char acl_access[] = "system.posix_acl_access";
static const char acl_default[] = "system.posix_acl_default";

/*
 * Is the extended attribute @name a POSIX ACL?  The name is read with
 * bpf_snprintf(), which lockdown allows, unlike bpf_probe_read_kernel().
 * A name that cannot be read is taken for one: chmod and write are then
 * both needed.
 */
static __always_inline bool xattr_is_acl(const char *name, bool *unknown)
{
	__u64 args[1] = { (__u64)name };
	char buf[sizeof(acl_default) + 1];

	*unknown = bpf_snprintf(buf, sizeof(buf), "%s", args, sizeof(args)) < 0;
	if (*unknown)
		return true;
	return !bpf_strncmp(buf, sizeof(buf), acl_access) ||
	       !bpf_strncmp(buf, sizeof(buf), acl_default);
}

/*
 * Extended attributes are the file's too (security.capability among
 * them): setting or removing one is a write.  A POSIX ACL is a mode:
 * before 6.2 setting or removing one comes here, from 6.2 through
 * inode_set_acl and inode_remove_acl; either way it is a chmod.  The
 * first argument is a user namespace before 6.3, a struct mnt_idmap
 * after; neither is used.
 */
static __always_inline int check_xattr(struct dentry *dentry, const char *name,
				       bool d_path_ok)
{
	bool unknown;
	int err;

	if (!xattr_is_acl(name, &unknown))
		return check_dentry_write(dentry, d_path_ok);
	err = check_dentry_attr(WARD_OP_CHMOD, WARD_ACCESS_CHMOD, dentry,
				d_path_ok);
	if (!err && unknown)
		err = check_dentry_write(dentry, d_path_ok);
	return err;
}

SEC("lsm/inode_setxattr")
int BPF_PROG(hook_inode_setxattr, void *idmap, struct dentry *dentry,
	     const char *name)
{
	return check_xattr(dentry, name, true);
}

SEC("lsm/inode_removexattr")
int BPF_PROG(hook_inode_removexattr, void *idmap, struct dentry *dentry,
	     const char *name)
{
	return check_xattr(dentry, name, false);
}

/* From 6.2; userspace loads these only where the kernel has them. */
SEC("lsm/inode_set_acl")
int BPF_PROG(hook_inode_set_acl, struct mnt_idmap *idmap, struct dentry *dentry)
{
	return check_dentry_attr(WARD_OP_CHMOD, WARD_ACCESS_CHMOD, dentry,
				 false);
}

SEC("lsm/inode_remove_acl")
int BPF_PROG(hook_inode_remove_acl, struct mnt_idmap *idmap,
	     struct dentry *dentry)
{
	return check_dentry_attr(WARD_OP_CHMOD, WARD_ACCESS_CHMOD, dentry,
				 false);
}

/*
 * inode_setattr gained a struct mnt_idmap argument in 6.3: userspace loads
 * the one of these two whose arguments match the running kernel.
 */
SEC("lsm/inode_setattr")
int BPF_PROG(hook_inode_setattr, struct mnt_idmap *idmap, struct dentry *dentry,
	     struct iattr *attr)
{
	return check_setattr(dentry, attr);
}

SEC("lsm/inode_setattr")
int BPF_PROG(hook_inode_setattr_legacy, struct dentry *dentry,
	     struct iattr *attr)
{
	return check_setattr(dentry, attr);
}

/*
 * A change to a directory entry, reported by @entry's name.  @d_path_ok
 * as for check_dentry_write().
 */
static __always_inline int check_inode(__u32 op, __u32 access,
				       struct dentry *object,
				       struct dentry *entry, bool d_path_ok)
{
	return decide_file(op, access, object, entry, NULL, d_path_ok);
}

static __always_inline int check_inode_create(__u32 op, struct dentry *dentry,
					      bool d_path_ok)
{
	if (was_checked(dentry, WARD_ACCESS_WRITE))
		return 0;
	return check_inode(op, WARD_ACCESS_WRITE, dentry, dentry, d_path_ok);
}

SEC("lsm/inode_create")
int BPF_PROG(hook_inode_create, struct inode *dir, struct dentry *dentry)
{
	return check_inode_create(WARD_OP_CREATE, dentry, true);
}

SEC("lsm/inode_mknod")
int BPF_PROG(hook_inode_mknod, struct inode *dir, struct dentry *dentry)
{
	return check_inode_create(WARD_OP_CREATE, dentry, true);
}

SEC("lsm/inode_mkdir")
int BPF_PROG(hook_inode_mkdir, struct inode *dir, struct dentry *dentry)
{
	return check_inode_create(WARD_OP_MKDIR, dentry, false);
}

SEC("lsm/inode_symlink")
int BPF_PROG(hook_inode_symlink, struct inode *dir, struct dentry *dentry)
{
	return check_inode_create(WARD_OP_SYMLINK, dentry, true);
}

/* inode_unlink and inode_rmdir both allow bpf_d_path() on 6.1. */
static __always_inline int check_inode_remove(__u32 op, struct dentry *dentry)
{
	int err;

	if (was_checked(dentry, WARD_ACCESS_UNLINK | WARD_ACCESS_WRITE))
		return 0;
	err = check_inode(op, WARD_ACCESS_UNLINK, dentry, dentry, true);
	if (err)
		return err;
	return check_inode(op, WARD_ACCESS_WRITE, dentry->d_parent, dentry,
			   true);
}

SEC("lsm/inode_unlink")
int BPF_PROG(hook_inode_unlink, struct inode *dir, struct dentry *dentry)
{
	return check_inode_remove(WARD_OP_UNLINK, dentry);
}

SEC("lsm/inode_rmdir")
int BPF_PROG(hook_inode_rmdir, struct inode *dir, struct dentry *dentry)
{
	return check_inode_remove(WARD_OP_RMDIR, dentry);
}

SEC("lsm/inode_link")
int BPF_PROG(hook_inode_link, struct dentry *old_dentry, struct inode *dir,
	     struct dentry *new_dentry)
{
	int err;

	if (was_checked(new_dentry, WARD_ACCESS_LINK | WARD_ACCESS_WRITE))
		return 0;
	err = check_inode(WARD_OP_LINK, WARD_ACCESS_LINK, old_dentry,
			  new_dentry, false);
	if (err)
		return err;
	return check_inode(WARD_OP_LINK, WARD_ACCESS_WRITE, new_dentry,
			   new_dentry, false);
}

/* For RENAME_EXCHANGE the kernel calls it twice, the second time swapped. */
SEC("lsm/inode_rename")
int BPF_PROG(hook_inode_rename, struct inode *old_dir,
	     struct dentry *old_dentry, struct inode *new_dir,
	     struct dentry *new_dentry)
{
	int err;

	if (was_checked(old_dentry, WARD_ACCESS_RENAME | WARD_ACCESS_WRITE))
		return 0;
	err = check_inode(WARD_OP_RENAME, WARD_ACCESS_RENAME, old_dentry,
			  old_dentry, true);
	if (!err)
		err = check_inode(WARD_OP_RENAME, WARD_ACCESS_WRITE,
				  old_dentry->d_parent, old_dentry, true);
	if (!err)
		err = check_inode(WARD_OP_RENAME, WARD_ACCESS_WRITE,
				  new_dentry->d_parent, new_dentry, true);
	if (!err && dentry_inode(new_dentry))
		err = check_inode(WARD_OP_RENAME, WARD_ACCESS_WRITE, new_dentry,
				  new_dentry, true);
	return err;
}

/*
 * A deleted inode's number comes back for a new file: its own entries in
 * the policy (a label, an app) must not.  Only deleted inodes: one merely
 * evicted from the cache is the same file when read again.  Not those of
 * the kernel's internal file systems, which no path reaches: nothing
 * labels them, and every socket and pipe closed frees one.
 */
static __always_inline void forget_inode(void *policy,
					 const struct ward_inode_ref *ref)
{
	struct ward_policy_key key = { .inode = *ref };

	key.kind = WARD_KEY_OBJECT;
	bpf_map_delete_elem(policy, &key);
	key.kind = WARD_KEY_EXE;
	bpf_map_delete_elem(policy, &key);
}

SEC("lsm/inode_free_security")
int BPF_PROG(hook_inode_free_security, struct inode *inode)
{
	struct inode *i = untrusted(inode);
	struct ward_inode_ref ref;
	void *policy, *next;

	if (i->i_nlink || (i->i_sb->s_flags & SB_KERNMOUNT))
		return 0;
	policy = policy_active();
	next = policy_next();
	ref = inode_ref(inode);
	if (policy)
		forget_inode(policy, &ref);
	if (next)
		forget_inode(next, &ref);
	return 0;
}
