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
 * A label is cached in the inode's local storage, the inode's own or
 * inherited, with the epoch of the policy it was resolved in, the
 * generation of struct ward_state and the dentry parent it was resolved
 * through, and with what that policy says of the label whoever asks
 * (struct label_facts), so that most decisions need no lookup in the
 * policy.  Another policy, a directory renamed since, a label a rename or
 * a link gives a file or gives back (carry.bpf.h: both bump the
 * generation), or a file moved to another directory: the cache is not
 * believed and the label is resolved again.
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
/* A kernel-internal file system: sockets, pipes, anonymous inodes. */
#define SB_KERNMOUNT (1 << 22)

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

/**
 * struct label_facts - what a policy says of a label, whoever asks
 * @protects: the accesses it protects (0 for no label)
 * @audit: the accesses it audits
 * @any: the accesses a rule grants "any" on it
 * @known: the facts were found; else the full decision must be taken
 */
struct label_facts {
	__u32 protects;
	__u32 audit;
	__u32 any;
	bool known;
};

/* The facts of @label in @policy, into @c. */
static __always_inline void label_facts(void *policy, __u32 label,
					struct ward_inode *c)
{
	union ward_policy_value *info =
		label ? policy_id(policy, WARD_KEY_LABEL, label) : NULL;

	c->protects = info ? info->label_info.protects : 0;
	c->audit = info ? info->label_info.audit : 0;
	c->any = label ? policy_rule(policy, label, WARD_SUBJECT_ANY) : 0;
}

#define barrier() asm volatile("" ::: "memory")

/*
 * The label cached on the inode of the positive @dentry, if still valid,
 * with its facts.  The storage helpers take @dentry's own inode pointer,
 * not a view.  A cache another program is writing, or wrote meanwhile
 * (@seq changed), is not believed: its fields may be of two lookups.
 */
static __always_inline bool cached_label(struct dentry *dentry, __u64 gen,
					 __u64 epoch, __u32 *label,
					 struct label_facts *facts)
{
	struct ward_inode *c =
		bpf_inode_storage_get(&ward_inodes, dentry->d_inode, 0, 0);
	struct ward_inode copy;

	if (!c)
		return false;
	copy.seq = c->seq;
	barrier();
	copy.generation = c->generation;
	copy.epoch = c->epoch;
	copy.parent = c->parent;
	copy.label = c->label;
	copy.protects = c->protects;
	copy.audit = c->audit;
	copy.any = c->any;
	barrier();
	if ((copy.seq & 1) || c->seq != copy.seq || copy.generation != gen ||
	    copy.epoch != epoch ||
	    copy.parent != (__u64)untrusted(dentry)->d_parent)
		return false;
	*label = copy.label;
	if (facts) {
		facts->protects = copy.protects;
		facts->audit = copy.audit;
		facts->any = copy.any;
		facts->known = true;
	}
	return true;
}

/*
 * Caches @label, found at generation @gen in @policy of @epoch, on the
 * inode of the positive @dentry, with its facts.  A lookup made before a
 * change (a new policy, a rename, a carried label) read the generation or
 * the epoch before it, so what it caches is not believed after it.  One program
 * writes at a time (@seq odd); another gives up: the cache is only a
 * cache.
 */
static __always_inline void cache_label(void *policy, struct dentry *dentry,
					__u64 gen, __u64 epoch, __u32 label)
{
	struct ward_inode *c;
	__u32 seq;

	if (epoch & 1)
		return;
	c = bpf_inode_storage_get(&ward_inodes, dentry->d_inode, 0,
				  BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!c)
		return;
	seq = c->seq;
	if ((seq & 1) ||
	    __sync_val_compare_and_swap(&c->seq, seq, seq + 1) != seq)
		return;
	c->generation = gen;
	c->epoch = epoch;
	c->parent = (__u64)untrusted(dentry)->d_parent;
	c->label = label;
	label_facts(policy, label, c);
	__sync_fetch_and_add(&c->seq, 1);
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
 * resolve_label_at - resolve the label covering @dentry
 * @policy: the active policy map
 * @dentry: where the walk starts; a negative dentry stands for the entry
 *          about to be created in its parent
 * @start: dentry_inode(@dentry), which the caller has read
 * @label: set to the label found, or 0 when nothing covers @dentry
 * @facts: NULL, or set to the label's facts when the cache had them
 *
 * Return: 0, or -ELOOP when the ancestry could not be followed to the root
 * of the file system: WARD_WALK_MAX ancestors were looked at, or it ended
 * at a disconnected dentry (a file opened by handle).  The caller must
 * then deny, as the label is unknown.
 */
static __always_inline int resolve_label_at(void *policy, struct dentry *dentry,
					    struct inode *start, __u32 *label,
					    struct label_facts *facts)
{
	__u64 gen = state_generation();
	__u64 epoch = policy_epoch(policy);
	struct walk w;

	if (start) {
		union ward_policy_value *value;

		if (cached_label(dentry, gen, epoch, label, facts))
			return 0;
		value = policy_inode(policy, WARD_KEY_OBJECT, start);
		if (value) {
			*label = value->label;
			cache_label(policy, dentry, gen, epoch, *label);
			return 0;
		}
	}
	w.policy = policy;
	w.dentry = untrusted(dentry);
	w.label = 0;
	w.status = 0;
	bpf_loop(WARD_WALK_MAX, walk_step, &w, 0);
	if (w.status != 1)
		return -ELOOP;
	*label = w.label;
	if (start)
		cache_label(policy, dentry, gen, epoch, w.label);
	return 0;
}

/* resolve_label_at(), from @dentry alone. */
static __always_inline int resolve_label(void *policy, struct dentry *dentry,
					 __u32 *label, struct label_facts *facts)
{
	return resolve_label_at(policy, dentry, dentry_inode(dentry), label,
				facts);
}

/* resolve_label() in @policy, without the facts. */
static __always_inline int object_label(void *policy, struct dentry *dentry,
					__u32 *label)
{
	return resolve_label(policy, dentry, label, NULL);
}

#endif /* WARD_LABEL_BPF_H */
