/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ward - the label of an object
 *
 * Labels sit on inodes.  A file's label is its own, else the label of its
 * nearest labelled ancestor directory, found by walking d_parent up to the
 * root of the file system.  Walking dentries rather than mounts means bind
 * mounts, chroot and mount namespaces change nothing: the ancestry of an
 * inode within its file system is the same whichever way it is reached.
 *
 * An inherited label is cached in the inode's local storage, with the
 * serial of the policy it was resolved in, the directory-rename
 * generation and the dentry parent it was resolved through.  Another
 * policy, a directory renamed since, or a file moved to another
 * directory: the cache is not believed and the walk runs again.  An
 * inode's own label is looked up before the cache, so a label that
 * follows a replaced file (carry.bpf.h) takes effect at once.
 */

#ifndef WARD_LABEL_BPF_H
#define WARD_LABEL_BPF_H

#include "storage.bpf.h"

#define ELOOP 40
#define DCACHE_DISCONNECTED 0x20
#define S_IFMT 00170000
#define S_IFDIR 0040000
#define S_IFBLK 0060000
#define S_IFIFO 0010000
#define S_IFCHR 0020000
#define S_IFREG 0100000

/*
 * The inode of @dentry, or NULL when it is negative (an entry about to be
 * created); for reading (see untrusted()).  The 6.12 verifier takes the
 * d_inode of a hook's dentry for non-NULL and drops NULL checks on it, so
 * negativity is read from the entry type bits of d_flags, which moved in
 * 6.15 (enum dentry_flags).
 */
static __always_inline struct inode *dentry_inode(struct dentry *dentry)
{
	struct dentry *d = untrusted(dentry);
	__u32 type = 7 << 20;

	if (bpf_core_enum_value_exists(enum dentry_flags, DCACHE_ENTRY_TYPE))
		type = bpf_core_enum_value(enum dentry_flags,
					   DCACHE_ENTRY_TYPE);
	if (!(d->d_flags & type))
		return NULL;
	return d->d_inode;
}

static __always_inline bool inode_is_dir(struct inode *inode)
{
	return (untrusted(inode)->i_mode & S_IFMT) == S_IFDIR;
}

/*
 * The label cached on the inode of the positive @dentry, if still valid.
 * The storage helpers take @dentry's own inode pointer, not a view.
 */
static __always_inline bool cached_label(struct dentry *dentry, __u64 gen,
					 __u32 serial, __u32 *label)
{
	struct ward_inode *c =
		bpf_inode_storage_get(&ward_inodes, dentry->d_inode, 0, 0);

	if (!c || c->generation != gen || c->serial != serial ||
	    c->parent != (__u64)untrusted(dentry)->d_parent)
		return false;
	*label = c->label;
	return true;
}

static __always_inline void cache_label(struct dentry *dentry, __u64 gen,
					__u32 serial, __u32 label)
{
	struct ward_inode *c;

	c = bpf_inode_storage_get(&ward_inodes, dentry->d_inode, 0,
				  BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!c)
		return;
	c->generation = gen;
	c->serial = serial;
	c->parent = (__u64)untrusted(dentry)->d_parent;
	c->label = label;
}

/* The state of a walk up the ancestors, for walk_step(). */
struct walk {
	void *policy;
	struct dentry *dentry;
	__u32 label;
	int status; /* 0: going on, 1: @label found, -ELOOP: disconnected */
};

/*
 * One step up from @w->dentry.  The walk runs under bpf_loop(), whose
 * callback the verifier checks once rather than once per iteration.
 */
static long walk_step(__u64 index, void *ctx)
{
	struct walk *w = ctx;
	struct dentry *dentry = w->dentry;
	struct dentry *parent = dentry->d_parent;
	union ward_policy_value *value;
	struct inode *inode;

	if (parent == dentry) {
		if (dentry->d_flags & DCACHE_DISCONNECTED) {
			w->status = -ELOOP;
		} else {
			w->label = 0;
			w->status = 1;
		}
		return 1;
	}
	w->dentry = parent;
	inode = dentry_inode(parent);
	if (!inode)
		return 0;
	value = policy_inode(w->policy, WARD_KEY_OBJECT, inode);
	if (!value)
		return 0;
	w->label = value->label;
	w->status = 1;
	return 1;
}

/**
 * object_label - resolve the label covering @dentry
 * @policy: the active policy map
 * @dentry: where the walk starts; a negative dentry stands for the entry
 *          about to be created in its parent
 * @label: set to the label found, or 0 when nothing covers @dentry
 *
 * Return: 0, or -ELOOP when the ancestry could not be followed to the root
 * of the file system: WARD_WALK_MAX ancestors were looked at, or it ended
 * at a disconnected dentry (a file opened by handle).  The caller must
 * then deny, as the label is unknown.
 */
static __always_inline int object_label(void *policy, struct dentry *dentry,
					__u32 *label)
{
	struct walk w = { .policy = policy, .dentry = untrusted(dentry) };
	struct inode *start = dentry_inode(dentry);
	__u32 serial = policy_serial(policy);
	__u64 gen = state_generation();

	if (start) {
		union ward_policy_value *value =
			policy_inode(policy, WARD_KEY_OBJECT, start);

		if (value) {
			*label = value->label;
			return 0;
		}
		if (cached_label(dentry, gen, serial, label))
			return 0;
	}
	bpf_loop(WARD_WALK_MAX, walk_step, &w, 0);
	if (w.status != 1)
		return -ELOOP;
	*label = w.label;
	/* Inherited: worth caching, as the walk may have been long. */
	if (start)
		cache_label(dentry, gen, serial, w.label);
	return 0;
}

#endif /* WARD_LABEL_BPF_H */
