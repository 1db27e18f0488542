/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ward - reporting decisions through the ward_events ring buffer
 *
 * event_report() is the one way an event is made: it reserves it, fills it
 * from the decision and the subject, adds the object and the paths that
 * struct event_about asks for, and submits it.  The kfuncs get the
 * object's name as a suffix: see kfunc.bpf.h.
 */

#ifndef WARD_EVENT_BPF_H
#define WARD_EVENT_BPF_H

#include "decide.bpf.h"

/*
 * bpf_d_path() is allowed in few hooks (file_open and bprm_check_security
 * everywhere, path_truncate from 6.12); these kfuncs work in every LSM hook
 * and exist from 6.12 on.
 */
extern int KFUNC(bpf_path_d_path)(const struct path *path, char *buf,
				  size_t buf__sz) __ksym __weak;
extern struct file *
	KFUNC(bpf_get_task_exe_file)(struct task_struct *task) __ksym __weak;
extern void KFUNC(bpf_put_file)(struct file *file) __ksym __weak;

/*
 * Before Linux 6.14 the inline name was d_iname (DNAME_INLINE_LEN, 32
 * bytes on 64-bit), then d_shortname (40); only its offset is used.
 */
struct dentry___pre614 {
	unsigned char d_iname[32];
} __attribute__((preserve_access_index));

/*
 * Copies @entry's name while it is stored inline in the dentry (shorter
 * than WARD_EVENT_NAME_MAX bytes, which no kernel's inline buffer is
 * shorter than); a longer name is reported as "…" as it can only be read
 * through bpf_probe_read_kernel(), which lockdown forbids.  The inline
 * buffer's size differs between kernels, so it is addressed by offset.
 */
static __always_inline void entry_name(char dst[WARD_EVENT_NAME_MAX],
				       struct dentry *entry)
{
	const unsigned char *name;

	entry = untrusted(entry);
	name = (const unsigned char *)entry;

	if (entry->d_name.len >= WARD_EVENT_NAME_MAX) {
		__builtin_memcpy(dst, "\xe2\x80\xa6", 4);
		return;
	}
	if (bpf_core_field_exists(entry->d_shortname))
		name += bpf_core_field_offset(entry->d_shortname);
	else
		name += bpf_core_field_offset(struct dentry___pre614, d_iname);
	__builtin_memcpy(dst, name, WARD_EVENT_NAME_MAX);
	dst[WARD_EVENT_NAME_MAX - 1] = '\0';
}

/*
 * A full ring buffer loses the event, never the decision: it is counted in
 * WARD_STAT_LOST.  Denials may fill only half of it: the rest is kept for
 * the changes the policy audits, which a storm of denials must not crowd
 * out of the security log.  The caller checks for NULL itself: a check in
 * here too gets merged by clang into one that the 6.1 verifier cannot
 * follow.
 */
static __always_inline struct ward_event *event_reserve(__u32 type)
{
	struct ward_event *ev = NULL;

	if (type == WARD_EVENT_AUDIT ||
	    bpf_ringbuf_query(&ward_events, BPF_RB_AVAIL_DATA) <
		    bpf_ringbuf_query(&ward_events, BPF_RB_RING_SIZE) / 2)
		ev = bpf_ringbuf_reserve(&ward_events, sizeof(*ev), 0);
	if (!ev)
		stat_inc(WARD_STAT_LOST);
	return ev;
}

/* Everything but the object and the paths, which start empty. */
static __always_inline void event_fill(struct ward_event *ev,
				       const struct decision *d,
				       const struct subject *s)
{
	struct task_struct *task = bpf_get_current_task_btf();
	__u64 id = bpf_get_current_pid_tgid();

	ev->boot_ns = bpf_ktime_get_boot_ns();
	ev->object.dev = 0;
	ev->object.ino = 0;
	ev->pid = id >> 32;
	ev->tid = (__u32)id;
	ev->uid = (__u32)bpf_get_current_uid_gid();
	ev->euid = untrusted(task)->cred->euid.val;
	/* Both exist only with CONFIG_AUDIT (Debian's kernels have it). */
	if (bpf_core_field_exists(task->loginuid)) {
		ev->loginuid = untrusted(task)->loginuid.val;
		ev->sessionid = untrusted(task)->sessionid;
	} else {
		ev->loginuid = (__u32)-1;
		ev->sessionid = (__u32)-1;
	}
	ev->type = d->type;
	ev->op = d->op;
	ev->access = d->access;
	ev->label = d->label;
	ev->app = s->app;
	ev->flags = d->flags;
	ev->error = d->error;
	ev->cap = d->cap;
	ev->family = d->family;
	ev->proto = d->proto;
	ev->port = d->port;
	ev->reserved = 0;
	bpf_get_current_comm(ev->comm, sizeof(ev->comm));
	ev->name[0] = '\0';
	ev->exe[0] = '\0';
	ev->path[0] = '\0';
}

/* The object, @inode, a view for reading (see untrusted()). */
static __always_inline void event_inode(struct ward_event *ev,
					struct inode *inode)
{
	ev->object.dev = inode->i_sb->s_dev;
	ev->object.ino = inode->i_ino;
}

/* The object: the executable of @task, a view for reading, if it has one. */
static __always_inline void event_task_exe(struct ward_event *ev,
					   struct task_struct *task)
{
	struct mm_struct *mm = task->mm;

	if (mm && mm->exe_file)
		event_inode(ev, mm->exe_file->f_inode);
}

/*
 * The object: the inode of @dentry (of its parent for a creation), and
 * with @entry, the entry's name; the path is then the directory's.  The
 * object decided on is the directory when it is @entry's parent, or when
 * @dentry is an entry about to be created, which stands for it.
 */
static __always_inline void
event_object(struct ward_event *ev, struct dentry *dentry, struct dentry *entry)
{
	struct inode *inode = dentry_inode(dentry);

	entry = untrusted(entry);
	if (!inode)
		inode = untrusted(dentry)->d_parent->d_inode;
	if (inode)
		event_inode(ev, inode);
	if (entry) {
		ev->flags |= WARD_EVENT_PATH_PARENT;
		if (dentry == entry->d_parent || !dentry_inode(dentry))
			ev->flags |= WARD_EVENT_OBJECT_DIR;
		entry_name(ev->name, entry);
	}
}

/*
 * The paths: @path (may be NULL) into ev->path, and the executable's.
 * @d_path_ok says whether the hook allows bpf_d_path(), for kernels
 * without the kfuncs; a constant at each call site.
 */
static __always_inline void event_paths(struct ward_event *ev,
					const struct path *path, bool d_path_ok)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct file *exe;

	if (bpf_ksym_exists(KFUNC(bpf_path_d_path))) {
		if (path)
			KFUNC(bpf_path_d_path)
		(path, ev->path, sizeof(ev->path));
		exe = KFUNC(bpf_get_task_exe_file)(task);
		if (exe) {
			KFUNC(bpf_path_d_path)
			(&exe->f_path, ev->exe, sizeof(ev->exe));
			KFUNC(bpf_put_file)(exe);
		}
	} else if (d_path_ok) {
		if (path)
			bpf_d_path((struct path *)path, ev->path,
				   sizeof(ev->path));
		exe = task->mm ? task->mm->exe_file : NULL;
		if (exe)
			bpf_d_path((struct path *)&exe->f_path, ev->exe,
				   sizeof(ev->exe));
	}
}

/* enum event_object - what struct event_about names as the object */
enum event_object {
	EVENT_NO_OBJECT,
	EVENT_FILE, /* @dentry's, named by @entry: event_object() */
	EVENT_TASK_EXE, /* @task's executable: event_task_exe() */
};

/**
 * struct event_about - what an event names besides the decision and the
 * subject, for event_report()
 * @object: enum event_object
 * @dentry: EVENT_FILE: as for event_object()
 * @entry: EVENT_FILE: as for event_object()
 * @task: EVENT_TASK_EXE: the task, a view for reading (see untrusted())
 * @paths: @path and the subject's executable are reported
 *         (event_paths()); not under task_lock() (capable(),
 *         ptrace_access_check), which bpf_get_task_exe_file() takes
 * @path: as for event_paths()
 * @d_path_ok: as for event_paths()
 *
 * @object, @paths and @d_path_ok are constants at each call site: the
 * inlined event_report() keeps only the parts they ask for, and the
 * verifier never sees a branch on a hook's pointer being NULL.  The parts
 * are read only once the event is reserved: a task's executable read by
 * the caller cost instructions on every path to the report.
 */
struct event_about {
	enum event_object object;
	struct dentry *dentry;
	struct dentry *entry;
	struct task_struct *task;
	bool paths;
	const struct path *path;
	bool d_path_ok;
};

/* Reports @d, if it is to be, with what @about names. */
static __always_inline void event_report(const struct decision *d,
					 const struct subject *s,
					 const struct event_about *about)
{
	struct ward_event *ev;

	if (!d->type)
		return;
	ev = event_reserve(d->type);
	if (!ev)
		return;
	event_fill(ev, d, s);
	if (about->object == EVENT_FILE)
		event_object(ev, about->dentry, about->entry);
	else if (about->object == EVENT_TASK_EXE)
		event_task_exe(ev, about->task);
	if (about->paths)
		event_paths(ev, about->path, about->d_path_ok);
	bpf_ringbuf_submit(ev, 0);
}

/*
 * Reports a file decision if it is to be: the object @dentry, @entry's
 * name, and @path (the object's, or with @entry its directory's).
 */
static __always_inline void report_file(const struct decision *d,
					const struct subject *s,
					struct dentry *dentry,
					struct dentry *entry,
					const struct path *path, bool d_path_ok)
{
	struct event_about about = { .object = EVENT_FILE,
				     .dentry = dentry,
				     .entry = entry,
				     .paths = true,
				     .path = path,
				     .d_path_ok = d_path_ok };

	event_report(d, s, &about);
}

/**
 * decide_file - the whole decision on one object, reported if it is to be
 * @op: enum ward_op
 * @access: enum ward_access needed
 * @dentry: the object, as for check_file()
 * @entry: as for report_file()
 * @path: as for report_file()
 * @d_path_ok: as for report_file()
 *
 * Return: 0 when allowed, in complain mode, or with no policy; -EACCES
 * when denied.
 */
static __always_inline int decide_file(__u32 op, __u32 access,
				       struct dentry *dentry,
				       struct dentry *entry,
				       const struct path *path, bool d_path_ok)
{
	struct decision d = { .op = op, .access = access };
	void *policy = policy_active();
	struct subject s;
	int err;

	if (!policy)
		return 0;
	subject_get(policy, &s);
	err = check_file(policy, &s, &d, dentry);
	report_file(&d, &s, dentry, entry, path, d_path_ok);
	return err;
}

#endif /* WARD_EVENT_BPF_H */
