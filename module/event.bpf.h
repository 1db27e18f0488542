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

#define ENAMETOOLONG 36

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

/* The smallest inline name buffer of any kernel: 32 bytes on 64-bit. */
#define DNAME_INLINE_MIN 32

/*
 * Copies @entry's name, which the caller knows to be shorter than
 * DNAME_INLINE_MIN bytes (its d_name.len), from the dentry's inline
 * buffer: the decisions that look at names (kernel.bpf.h) compare short
 * ones, without the cost of entry_name().  The inline buffer's size
 * differs between kernels, so it is addressed by offset.
 */
static __always_inline void inline_name(char dst[DNAME_INLINE_MIN],
					struct dentry *entry)
{
	const unsigned char *name;

	entry = untrusted(entry);
	name = (const unsigned char *)entry;
	if (bpf_core_field_exists(entry->d_shortname))
		name += bpf_core_field_offset(entry->d_shortname);
	else
		name += bpf_core_field_offset(struct dentry___pre614, d_iname);
	__builtin_memcpy(dst, name, DNAME_INLINE_MIN);
	dst[DNAME_INLINE_MIN - 1] = '\0';
}

/*
 * Copies @entry's name, whole (NAME_MAX bytes at most), into @dst.  A name
 * longer than the dentry's inline buffer lives elsewhere, which only
 * bpf_probe_read_kernel() could read directly, and lockdown forbids it;
 * bpf_snprintf()'s "%s" copies it with the kernel's own fault-safe string
 * copy, which lockdown allows, from 5.13 on.  The hooks that change an
 * entry hold its directory's lock, which renaming it takes too.  Returns
 * WARD_PATH_UNREADABLE, @dst empty, when the copy is not @entry's
 * d_name.len bytes (it faulted, or the name changed meanwhile).
 */
static __always_inline __u8 entry_name(char dst[WARD_EVENT_NAME_MAX],
				       struct dentry *entry)
{
	struct dentry *e = untrusted(entry);
	__u64 args[1] = { (__u64)e->d_name.name };
	long n;

	n = bpf_snprintf(dst, WARD_EVENT_NAME_MAX, "%s", args, sizeof(args));
	if (n == e->d_name.len + 1)
		return WARD_PATH_WHOLE;
	dst[0] = '\0';
	return WARD_PATH_UNREADABLE;
}

/* bpf_snprintf() takes at most 12 arguments: a name each. */
#define PATH_WALK_MAX 12
static const char path_fmt[] = "/%s/%s/%s/%s/%s/%s/%s/%s/%s/%s/%s/%s";

/**
 * walk_path - the path of @dentry, read from its entries' names
 * @buf: where the path goes
 * @size: of @buf, a constant
 * @dentry: the object
 * @mnt: the mount @dentry was reached through, NULL when unknown
 *
 * For where neither bpf_d_path() nor bpf_path_d_path() can be used: the
 * walk goes up d_parent to the current task's root, else to the root of
 * @mnt, or without @mnt to the root of the file system; ward can cross no
 * mount (struct mount is out of a BPF program's reach on 6.1, and an
 * inode hook has no mount at all).  A directory renamed during the walk
 * may show its old name or its new one.  Costs nothing to a decision:
 * only events do it.
 *
 * Return: an enum ward_path_missing: WARD_PATH_WHOLE (the walk reached
 * the task's root through its mount), WARD_PATH_MOUNT (it reached the
 * root of @mnt or of the file system instead: the path is from there),
 * WARD_PATH_TOO_DEEP, WARD_PATH_TOO_LONG or WARD_PATH_UNREADABLE (@buf
 * empty).
 */
static __always_inline __u8 walk_path(char *buf, __u32 size,
				      struct dentry *dentry,
				      struct vfsmount *mnt)
{
	struct task_struct *task = untrusted(bpf_get_current_task_btf());
	struct dentry *root = task->fs->root.dentry, *d = untrusted(dentry);
	struct dentry *top = mnt ? untrusted(mnt)->mnt_root : NULL;
	__u64 names[PATH_WALK_MAX];
	__u32 len = 0, n;
	__u8 why;
	long ret;

	buf[0] = '\0';
	for (n = 0; n < PATH_WALK_MAX; n++) {
		if (d == root || d == top || d == d->d_parent)
			break;
		names[PATH_WALK_MAX - 1 - n] = (__u64)d->d_name.name;
		len += d->d_name.len + 1;
		d = d->d_parent;
	}
	if (!(d == root || d == top || d == d->d_parent))
		return WARD_PATH_TOO_DEEP;
	why = d == root && (!mnt || untrusted(mnt) == task->fs->root.mnt) ?
		      WARD_PATH_WHOLE :
		      WARD_PATH_MOUNT;
	if (!n) {
		buf[0] = '/';
		buf[1] = '\0';
		return why;
	}
	if (len >= size)
		return WARD_PATH_TOO_LONG;
	ret = bpf_snprintf(buf, size,
			   path_fmt + 3 * (PATH_WALK_MAX - n),
			   &names[PATH_WALK_MAX - n], 8 * n);
	if (ret == len + 1)
		return why;
	buf[0] = '\0';
	return WARD_PATH_UNREADABLE;
}

/*
 * What bpf_d_path() and bpf_path_d_path() returned, as an enum
 * ward_path_missing: a path too long for @buf leaves bytes in it that are
 * no path.
 */
static __always_inline __u8 d_path_missing(char *buf, long ret)
{
	if (ret > 0)
		return WARD_PATH_WHOLE;
	buf[0] = '\0';
	return ret == -ENAMETOOLONG ? WARD_PATH_TOO_LONG : WARD_PATH_UNREADABLE;
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
	ev->path_missing = WARD_PATH_WHOLE;
	ev->exe_missing = WARD_PATH_WHOLE;
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
		ev->path_missing = entry_name(ev->name, entry);
	}
}

/*
 * The subject's executable into ev->exe, read by walk_path(): takes no
 * lock, for where bpf_get_task_exe_file() cannot be called (it takes
 * task_lock()) and bpf_d_path() is not allowed.
 */
static __always_inline void event_exe_walk(struct ward_event *ev)
{
	struct task_struct *task = untrusted(bpf_get_current_task_btf());
	struct mm_struct *mm = task->mm;
	struct file *exe = mm ? mm->exe_file : NULL;

	if (!exe) {
		ev->exe_missing = WARD_PATH_NONE;
		return;
	}
	ev->exe_missing =
		walk_path(ev->exe, sizeof(ev->exe), exe->f_path.dentry,
			  exe->f_path.mnt);
}

/*
 * The subject's executable into ev->exe, and the object's path into
 * ev->path: @path's if not NULL, else @dir's (a dentry; NULL for none),
 * read by walk_path().  The first way that the kernel and the hook allow:
 * the kfuncs (from 6.12; not @locked: under task_lock(), capable() and
 * ptrace_access_check, which bpf_get_task_exe_file() takes), bpf_d_path()
 * (where @d_path_ok: the hooks that 6.1 allows it in), walk_path().  A
 * path the object's name already made incomplete stays so.
 * @d_path_ok and @locked are constants at each call site.
 */
static __always_inline void event_paths(struct ward_event *ev,
					const struct path *path,
					struct dentry *dir, bool d_path_ok,
					bool locked)
{
	struct task_struct *task = bpf_get_current_task_btf();
	bool kfuncs = bpf_ksym_exists(KFUNC(bpf_path_d_path));
	struct file *exe;
	__u8 why = WARD_PATH_WHOLE;

	if (path && (kfuncs || d_path_ok)) {
		long ret;

		if (kfuncs)
			ret = KFUNC(bpf_path_d_path)(path, ev->path,
						     sizeof(ev->path));
		else
			ret = bpf_d_path((struct path *)path, ev->path,
					 sizeof(ev->path));
		why = d_path_missing(ev->path, ret);
	} else if (path) {
		why = walk_path(ev->path, sizeof(ev->path),
				untrusted(path)->dentry, untrusted(path)->mnt);
	} else if (dir) {
		why = walk_path(ev->path, sizeof(ev->path), dir, NULL);
	}
	if (!ev->path_missing)
		ev->path_missing = why;

	if (kfuncs && !locked) {
		exe = KFUNC(bpf_get_task_exe_file)(task);
		if (!exe) {
			ev->exe_missing = WARD_PATH_NONE;
			return;
		}
		ev->exe_missing = d_path_missing(
			ev->exe, KFUNC(bpf_path_d_path)(&exe->f_path, ev->exe,
							sizeof(ev->exe)));
		KFUNC(bpf_put_file)(exe);
	} else if (d_path_ok && !locked) {
		exe = task->mm ? task->mm->exe_file : NULL;
		if (!exe) {
			ev->exe_missing = WARD_PATH_NONE;
			return;
		}
		ev->exe_missing = d_path_missing(
			ev->exe, bpf_d_path((struct path *)&exe->f_path,
					    ev->exe, sizeof(ev->exe)));
	} else {
		event_exe_walk(ev);
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
 * @kfuncs: the kfuncs may be called: an LSM hook, not under task_lock()
 *          (as for event_paths())
 * @path: as for event_paths(); without it, an EVENT_FILE's path is read
 *        by walk_path(), from the directory of @entry, else from @dentry
 * @d_path_ok: as for event_paths()
 *
 * Every event names the subject's executable (event_paths()).
 * @object, @kfuncs and @d_path_ok are constants at each call site: the
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
	bool kfuncs;
	const struct path *path;
	bool d_path_ok;
};

/* Reports @d, if it is to be, with what @about names. */
static __always_inline void event_report(const struct decision *d,
					 const struct subject *s,
					 const struct event_about *about)
{
	struct dentry *dir = NULL;
	struct ward_event *ev;

	if (!d->type)
		return;
	ev = event_reserve(d->type);
	if (!ev)
		return;
	event_fill(ev, d, s);
	if (about->object == EVENT_FILE) {
		event_object(ev, about->dentry, about->entry);
		dir = about->entry ? untrusted(about->entry)->d_parent :
				     about->dentry;
	} else if (about->object == EVENT_TASK_EXE) {
		event_task_exe(ev, about->task);
	}
	event_paths(ev, about->path, dir, about->d_path_ok, !about->kfuncs);
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
				     .kfuncs = true,
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
