// SPDX-License-Identifier: GPL-2.0
/*
 * ward - hooks on mounts: what a path names must not change under a label
 *
 * Mounting on an object, or on a directory above one, hides it behind
 * another file system; unmounting, moving or pivoting away the mount that
 * holds it hides it too, and uncovers whatever lies under the mount point.
 * Either is a change to the labels concerned (WARD_ACCESS_MOUNT, see
 * beneath.bpf.h), whatever the mount's flags or API.
 *
 * In a mount namespace other than the initial one, on a mount that
 * propagates nowhere (not shared), a mount changes only the view of the
 * tasks in that namespace, as when systemd sets up a service's
 * ProtectSystem= or PrivateTmp=, or a container runtime its root.  Labels
 * go with inodes, not paths, so no decision changes there: nothing is
 * checked.  Whoever may enter such a namespace (setns) may as well start
 * its programs in a view of its own making, as chroot can.
 */

#define WARD_OBJECT mount
#include "beneath.bpf.h"
#include "config.bpf.h"
#include <bpf/bpf_tracing.h>

#define MS_REMOUNT 32
#define MS_BIND 4096
#define MS_MOVE 8192
#define MS_UNBINDABLE (1 << 17)
#define MS_PRIVATE (1 << 18)
#define MS_SLAVE (1 << 19)
#define MS_SHARED (1 << 20)
#define MS_PROPAGATION (MS_SHARED | MS_PRIVATE | MS_SLAVE | MS_UNBINDABLE)
#define MNT_SHARED 0x1000
#define MS_MGC_MSK 0xffff0000
#define MS_MGC_VAL 0xc0ed0000

char LICENSE[] SEC("license") = "GPL";

extern const struct rq runqueues __ksym;

/*
 * Is the caller in the initial mount namespace, the one everyone uses?
 * That is init_nsproxy's, which the idle tasks share (forked from
 * init_task with no CLONE_NEW* flag, they never leave it); a per-CPU
 * variable is the one kind BTF describes, so the idle task is reached
 * through its runqueue.
 */
static __always_inline bool initial_namespace(void)
{
	struct task_struct *task = untrusted(bpf_get_current_task_btf());
	struct rq *rq = bpf_this_cpu_ptr(&runqueues);
	struct task_struct *idle = untrusted(rq->idle);

	return task->nsproxy->mnt_ns == idle->nsproxy->mnt_ns;
}

/*
 * Does a change on @mnt show only in the caller's own view?  A change on
 * a shared mount propagates to its peers, in the initial namespace too.
 */
static __always_inline bool private_view(struct vfsmount *mnt)
{
	return !initial_namespace() && !(mnt->mnt_flags & MNT_SHARED);
}

/*
 * Does a change of what @mnt is attached to show only in the caller's
 * own view?  An unmount propagates from @mnt's parent when that is shared.
 * Before 6.2 (no bpf_rdonly_cast(), and the verifier refuses the step
 * back from a vfsmount to its mount) the parent is not known: no.
 */
static __always_inline bool private_parent(struct vfsmount *mnt)
{
	struct mount *m = real_mount(mnt);

	return m && private_view(&m->mnt_parent->mnt);
}

/* Decides @op on what the path of @dentry names, and reports it. */
static __always_inline int check_mount(__u32 op, struct dentry *dentry,
				       const struct path *path)
{
	struct decision d = { .op = op, .access = WARD_ACCESS_MOUNT };
	void *policy = policy_active();
	struct subject s;
	int err;

	if (!policy)
		return 0;
	subject_get(policy, &s);
	err = check_cover(policy, &s, &d, dentry, true);
	report_file(&d, &s, dentry, NULL, path, false);
	return err;
}

/* The current task's root. */
static __always_inline struct dentry *root_dentry(void)
{
	struct task_struct *task = bpf_get_current_task_btf();

	return task->fs->root.dentry;
}

/*
 * In path_mount()'s order, which decides what the flags mean.  MS_MOVE
 * takes its source as a string, which the hook cannot follow.  In the
 * initial namespace what it moves away may be anything there, so it is
 * checked as a change of everything beneath the root (which covers its
 * mount point too).  Elsewhere the source is a mount of the caller's own
 * namespace whose parent is not shared (the kernel moves no other): only
 * its target may show elsewhere, as when systemd moves a unit's
 * credentials into /run/credentials from a namespace of its own.
 */
SEC("lsm/sb_mount")
int BPF_PROG(hook_sb_mount, const char *dev_name, const struct path *path,
	     const char *type, unsigned long flags, void *data)
{
	struct dentry *dentry = path->dentry;

	/* A remount changes options, not what the paths name. */
	if ((flags & MS_REMOUNT) || private_view(path->mnt))
		return 0;
	if (!(flags & MS_BIND)) {
		if (flags & MS_PROPAGATION)
			return 0;
		if ((flags & MS_MOVE) && initial_namespace())
			dentry = root_dentry();
	}
	return check_mount(WARD_OP_MOUNT, dentry, path);
}

/* The new mount API: a mount made by fsmount() or open_tree() is attached
 * here, or an attached one moved. */
SEC("lsm/move_mount")
int BPF_PROG(hook_move_mount, const struct path *from_path,
	     const struct path *to_path)
{
	int err = 0;

	if (!private_view(to_path->mnt))
		err = check_mount(WARD_OP_MOUNT, to_path->dentry, to_path);
	if (!err && !private_parent(from_path->mnt))
		err = check_mount(WARD_OP_UMOUNT, from_path->dentry, from_path);
	return err;
}

SEC("lsm/sb_umount")
int BPF_PROG(hook_sb_umount, struct vfsmount *mnt, int flags)
{
	if (private_parent(mnt))
		return 0;
	return check_mount(WARD_OP_UMOUNT, mnt->mnt_root, NULL);
}

/* The old root goes under put_old: every path changes.  The kernel pivots
 * no shared mount. */
SEC("lsm/sb_pivotroot")
int BPF_PROG(hook_sb_pivotroot, const struct path *old_path,
	     const struct path *new_path)
{
	if (!initial_namespace())
		return 0;
	return check_mount(WARD_OP_PIVOT_ROOT, root_dentry(), NULL);
}

/*
 * Mounts made, moved and detached: reported once they succeeded, for the
 * security log's CONFIG_CHANGE records (config.bpf.h), in the initial
 * mount namespace only: the mounts systemd makes for a service's own view
 * at every start change nobody else's.  A mount whose change propagates
 * into the initial namespace from another is reported there, not here.
 */

/* @str, a kernel string, as @ev's value, and its length. */
static __always_inline void event_value(struct ward_event *ev, const char *str)
{
	long n = event_string(ev->value, sizeof(ev->value), str);

	if (n > 0)
		ev->value_len = n - 1;
}

/*
 * The source @mnt was mounted from (struct mount.mnt_devname) as @ev's
 * value, where struct mount can be read: from 6.2 (bpf_rdonly_cast()).
 */
static __always_inline void mount_source(struct ward_event *ev,
					 struct vfsmount *mnt)
{
	struct mount *m = real_mount(mnt);

	if (m)
		event_value(ev, m->mnt_devname);
}

/* A mount made or moved onto @mnt_point: its event, or NULL. */
static __always_inline struct ward_event *mounted_event(struct path *mnt_point,
							__u32 flags)
{
	struct ward_event *ev;
	struct dentry *dentry;
	struct inode *inode;

	if (!initial_namespace())
		return NULL;
	ev = config_event(WARD_OP_MOUNTED, WARD_ACCESS_MOUNT);
	if (!ev)
		return NULL;
	dentry = untrusted(mnt_point)->dentry;
	/* A mount point is a positive dentry. */
	inode = dentry->d_inode;
	if (inode)
		event_inode(ev, inode);
	event_mount_path(ev->path, dentry, untrusted(mnt_point)->mnt);
	ev->cap = flags;
	return ev;
}

/* mount(2): new mounts, binds, remounts, propagation; MS_MOVE is
 * do_move_mount()'s. */
SEC("fexit/path_mount")
int BPF_PROG(fexit_path_mount, const char *dev_name, struct path *path,
	     const char *type_page, unsigned long flags, void *data_page,
	     int ret)
{
	struct ward_event *ev;

	if (ret || (flags & MS_MOVE))
		return 0;
	if ((flags & MS_MGC_MSK) == MS_MGC_VAL)
		flags &= ~MS_MGC_MSK;
	ev = mounted_event(path, flags);
	if (!ev)
		return 0;
	if ((flags & MS_REMOUNT) ||
	    (!(flags & MS_BIND) && (flags & MS_PROPAGATION))) {
		/* A change to the mount at @path: its type and source. */
		struct vfsmount *mnt = untrusted(path)->mnt;

		event_string(ev->name, sizeof(ev->name),
			     mnt->mnt_sb->s_type->name);
		mount_source(ev, mnt);
	} else {
		/* A new mount, or a bind of the path @dev_name names. */
		if (!(flags & MS_BIND))
			event_string(ev->name, sizeof(ev->name), type_page);
		event_value(ev, dev_name);
	}
	bpf_ringbuf_submit(ev, 0);
	return 0;
}

/*
 * move_mount(2), which attaches what fsmount() and open_tree() made, and
 * mount(2)'s MS_MOVE.  From 6.5 a third argument (beneath) comes before
 * the return value: bpf_get_func_ret() finds it on either.
 */
SEC("fexit/do_move_mount")
int BPF_PROG(fexit_do_move_mount, struct path *old_path, struct path *new_path)
{
	struct ward_event *ev;
	__u64 ret = -1;

	if (bpf_get_func_ret(ctx, &ret) || (int)ret)
		return 0;
	ev = mounted_event(new_path, MS_MOVE);
	if (!ev)
		return 0;
	event_string(ev->name, sizeof(ev->name),
		     untrusted(old_path)->mnt->mnt_sb->s_type->name);
	mount_source(ev, untrusted(old_path)->mnt);
	bpf_ringbuf_submit(ev, 0);
	return 0;
}

/*
 * umount2(): once detached, a mount's mount point is its own root, so the
 * event is made on the way in and reported on the way out if the unmount
 * succeeded.  Kept by thread: one unmount at a time each.
 */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 256);
	__type(key, __u64);
	__type(value, struct ward_event);
} ward_umounts SEC(".maps");

/* What an entry of ward_umounts starts as: larger than the stack. */
static const struct ward_event no_event;

SEC("fentry/path_umount")
int BPF_PROG(fentry_path_umount, struct path *path, int flags)
{
	struct decision d = { .op = WARD_OP_UNMOUNTED,
			      .access = WARD_ACCESS_MOUNT,
			      .type = WARD_EVENT_AUDIT };
	__u64 id = bpf_get_current_pid_tgid();
	struct ward_event *ev;
	struct dentry *dentry;
	struct vfsmount *mnt;
	struct subject s;
	void *policy;

	policy = policy_active();
	if (!policy || !initial_namespace())
		return 0;
	if (bpf_map_update_elem(&ward_umounts, &id, &no_event, BPF_ANY))
		return 0;
	ev = bpf_map_lookup_elem(&ward_umounts, &id);
	if (!ev)
		return 0;
	subject_get(policy, &s);
	event_fill(ev, &d, &s);
	dentry = untrusted(path)->dentry;
	mnt = untrusted(path)->mnt;
	event_inode(ev, dentry->d_inode);
	event_mount_path(ev->path, dentry, mnt);
	event_string(ev->name, sizeof(ev->name), mnt->mnt_sb->s_type->name);
	mount_source(ev, mnt);
	ev->cap = flags;
	return 0;
}

SEC("fexit/path_umount")
int BPF_PROG(fexit_path_umount, struct path *path, int flags, int ret)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct ward_event *ev = bpf_map_lookup_elem(&ward_umounts, &id);

	if (!ev)
		return 0;
	if (!ret) {
		stat_inc(WARD_STAT_AUDITED);
		if (bpf_ringbuf_output(&ward_events, ev, sizeof(*ev), 0))
			stat_inc(WARD_STAT_LOST);
	}
	bpf_map_delete_elem(&ward_umounts, &id);
	return 0;
}
