/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ward - reporting changes to the core configuration (GB/T 39276 5.1.1.3 a:
 * the security log's CONFIG_CHANGE records): audit events made whenever a
 * policy is active, by programs that run once the change has succeeded
 * (fexit), where neither the path kfuncs nor bpf_d_path() may be called.
 */

#ifndef WARD_CONFIG_BPF_H
#define WARD_CONFIG_BPF_H

#include "event.bpf.h"

/* Path components a walk names; the rest above them is "…". */
#define WALK_PARTS 5

static const char walk_slash[] = "/";
static const char walk_none[] = "";
static const char walk_more[] = "\xe2\x80\xa6";

/*
 * Unlike event.bpf.h's walk_path(), which LSM hooks without a mount use,
 * this one climbs from mounts to their mount points, where the kernel lets
 * it (6.2 on), for mount events, which have the mount.
 *
 * Writes the path of @dentry on the mount @mnt (may be NULL: within its
 * file system) into @buf, as @fmt (a constant: a prefix, then 11 "%s")
 * formats it: the walk stops below @top (may be NULL), at the root of the
 * caller's mount namespace, or after WALK_PARTS components, whose path
 * then starts with "…".  Before 6.2 (no bpf_rdonly_cast()) a mount cannot
 * be followed to its mount point: the path is then within @mnt, "…" first
 * unless @mnt is the caller's root mount.  The names are read by
 * bpf_snprintf(), which lockdown allows, unlike bpf_probe_read_kernel().
 * The loop has a round more than WALK_PARTS: the last only looks for the
 * top.
 */
static __always_inline void mount_walk_path(char *buf, __u32 size, const char *fmt,
				      struct dentry *dentry,
				      struct vfsmount *mnt, struct dentry *top)
{
	struct task_struct *task = bpf_get_current_task_btf();
	__u64 args[1 + 2 * WALK_PARTS];
	struct mount *m = NULL;
	bool whole = false;
	int i, j;

	dentry = untrusted(dentry);
	mnt = untrusted(mnt);
	if (mnt)
		m = real_mount(mnt);
	for (i = 0; i < 1 + 2 * WALK_PARTS; i++)
		args[i] = (__u64)walk_none;
#pragma unroll
	for (i = 0; i <= WALK_PARTS; i++) {
		/* Up from the roots of mounts to their mount points. */
		for (j = 0; j < 8 && m && dentry == m->mnt.mnt_root &&
			    m->mnt_parent != m;
		     j++) {
			dentry = m->mnt_mountpoint;
			m = m->mnt_parent;
		}
		if (top && dentry->d_parent == top) {
			whole = true;
			break;
		}
		if (dentry == dentry->d_parent ||
		    (m && dentry == m->mnt.mnt_root) ||
		    (!m && mnt && dentry == mnt->mnt_root)) {
			whole = m || mnt == untrusted(task)->fs->root.mnt;
			break;
		}
		if (i == WALK_PARTS)
			break;
		args[2 * (WALK_PARTS - i) - 1] = (__u64)walk_slash;
		args[2 * (WALK_PARTS - i)] = (__u64)dentry->d_name.name;
		dentry = dentry->d_parent;
	}
	if (!whole)
		args[0] = (__u64)walk_more;
	if (bpf_snprintf(buf, size, fmt, args, sizeof(args)) <= 1)
		__builtin_memcpy(buf, "/", 2);
}

static const char walk_fmt[] = "%s%s%s%s%s%s%s%s%s%s%s";

/* The path of @dentry on @mnt into @buf: see mount_walk_path(). */
static __always_inline void event_mount_path(char buf[WARD_EVENT_PATH_MAX],
					     struct dentry *dentry,
					     struct vfsmount *mnt)
{
	mount_walk_path(buf, WARD_EVENT_PATH_MAX, walk_fmt, dentry, mnt, NULL);
}

/*
 * A kernel string @str (may be NULL) into @buf, cut short as it must.
 * Returns bpf_snprintf()'s: the whole string's length and its NUL, or 0
 * when there is none, or -errno.
 */
static __always_inline long event_string(char *buf, __u32 size,
					 const char *str)
{
	__u64 args[1] = { (__u64)str };

	if (!str)
		return 0;
	return bpf_snprintf(buf, size, "%s", args, sizeof(args));
}

/*
 * A change of @op and @access by the current task, reported if a policy is
 * active: the event, filled but for what the caller adds before
 * bpf_ringbuf_submit(), or NULL.  No paths: the executable's needs the
 * kfuncs or bpf_d_path(), which tracing programs may not call here.
 */
static __always_inline struct ward_event *config_event(__u32 op, __u32 access)
{
	struct decision d = { .op = op,
			      .access = access,
			      .type = WARD_EVENT_AUDIT };
	void *policy = policy_active();
	struct ward_event *ev;
	struct subject s;

	if (!policy)
		return NULL;
	subject_get(policy, &s);
	stat_inc(WARD_STAT_AUDITED);
	ev = event_reserve(WARD_EVENT_AUDIT);
	if (!ev)
		return NULL;
	event_fill(ev, &d, &s);
	return ev;
}

#endif /* WARD_CONFIG_BPF_H */
