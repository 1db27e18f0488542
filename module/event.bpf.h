/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ward - reporting decisions through the ward_events ring buffer
 *
 * Filling in the paths is left to each hook family: which helpers can turn
 * a struct path into a string depends on the hook (bpf_d_path() is allowed
 * in file_open but not in the path_* hooks of Linux 6.1).
 */

#ifndef WARD_EVENT_BPF_H
#define WARD_EVENT_BPF_H

#include "label.bpf.h"

/* Before Linux 6.14 the inline name was d_iname, then d_shortname. */
struct dentry___pre614 {
	unsigned char d_iname[32];
} __attribute__((preserve_access_index));

/*
 * Copies @entry's name while it is stored inline in the dentry (shorter
 * than 32 bytes); a longer name is reported as "…" as it can only be read
 * through bpf_probe_read_kernel(), which lockdown forbids.  The inline
 * buffer's size differs between kernels, so it is addressed by offset.
 */
static __always_inline void entry_name(char dst[32], struct dentry *entry)
{
	const unsigned char *name = (const unsigned char *)entry;

	if (entry->d_name.len >= 32) {
		__builtin_memcpy(dst, "\xe2\x80\xa6", 4);
		return;
	}
	if (bpf_core_field_exists(entry->d_shortname))
		name += bpf_core_field_offset(entry->d_shortname);
	else
		name += bpf_core_field_offset(struct dentry___pre614, d_iname);
	__builtin_memcpy(dst, name, 32);
	dst[31] = '\0';
}

/**
 * struct decision - what check_access() decided
 * @op: enum ward_op
 * @access: enum ward_access requested
 * @label: label of the object, 0 when unknown
 * @app: app of the subject, 0 when none
 * @error: 0 or -EACCES, what the hook returns
 * @flags: enum ward_event_flags
 * @report: whether the decision is to be reported
 */
struct decision {
	__u32 op;
	__u32 access;
	__u32 label;
	__u32 app;
	__s32 error;
	__u32 flags;
	bool report;
};

/*
 * A full ring buffer loses the event, never the decision: it is counted in
 * WARD_STAT_LOST.  The caller checks for NULL itself: a check in here too
 * gets merged by clang into one that the 6.1 verifier cannot follow.
 */
static __always_inline struct ward_event *event_reserve(void)
{
	struct ward_event *ev;

	ev = bpf_ringbuf_reserve(&ward_events, sizeof(*ev), 0);
	if (!ev)
		stat_inc(WARD_STAT_LOST);
	return ev;
}

/**
 * event_fill - describe a decision in a reserved event
 * @ev: from event_reserve()
 * @d: the decision
 * @dentry: the object, negative for a creation
 * @entry: the directory entry acted on, or NULL
 *
 * Fills in everything but the exe and object paths, which start empty for
 * the caller to add before bpf_ringbuf_submit().
 */
static __always_inline void event_fill(struct ward_event *ev,
				       const struct decision *d,
				       struct dentry *dentry,
				       struct dentry *entry)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct inode *inode = dentry_inode(dentry);
	__u64 id = bpf_get_current_pid_tgid();

	if (!inode)
		inode = dentry->d_parent->d_inode;
	ev->boot_ns = bpf_ktime_get_boot_ns();
	ev->object.dev = inode->i_sb->s_dev;
	ev->object.ino = inode->i_ino;
	ev->pid = id >> 32;
	ev->tid = (__u32)id;
	ev->uid = (__u32)bpf_get_current_uid_gid();
	ev->euid = task->cred->euid.val;
	ev->op = d->op;
	ev->access = d->access;
	ev->label = d->label;
	ev->app = d->app;
	ev->error = d->error;
	ev->flags = d->flags;
	bpf_get_current_comm(ev->comm, sizeof(ev->comm));
	ev->exe[0] = '\0';
	ev->path[0] = '\0';
	ev->name[0] = '\0';
	if (entry) {
		ev->flags |= WARD_EVENT_PATH_PARENT;
		entry_name(ev->name, entry);
	}
}

#endif /* WARD_EVENT_BPF_H */
