// SPDX-License-Identifier: GPL-2.0
/*
 * ward - hooks that guard ward itself, and the kernel's BPF
 *
 * Once ward runs, nothing may switch it off or get under it (GB/T 39276
 * 5.1.1.2 c).  Only the processes of ward's own domain (WARD_APP_SELF,
 * the ward binary by inode) get a file descriptor for ward's maps and
 * programs, or send ward's processes a signal; only they and the loaders
 * the policy names ("kernel bpf loader PATH") load the programs that can
 * observe or change security decisions or user memory: LSM, tracing
 * (fentry, fexit, fmod_ret, iterators), kprobes and uprobes, tracepoints,
 * perf events, struct_ops, extensions and syscall programs; the helpers
 * of that kind (bpf_probe_write_user, bpf_override_return,
 * bpf_send_signal) exist only in those types.  "kernel bpf deny" reserves every program type to them;
 * "kernel bpf allow" turns this file's guards off.
 *
 * A link's descriptor confers nothing on ward's links (tracing links can
 * be neither detached nor updated), and BPF_LINK_GET_FD_BY_ID names no
 * link the hook could tell is ward's: links are kept by their pins, which
 * are a labelled directory (policy_compile.c, compile_self()).  Tracing
 * ward's processes is ptrace.bpf.c's business; ward's domain has rights.
 *
 * Whatever "kernel bpf" says, nobody replaces a process's executable
 * (prctl PR_SET_MM_EXE_FILE, PR_SET_MM_MAP): it would take the identity
 * of an app, ward's included, for the next hook that asks.
 */

#define WARD_OBJECT guard
#include "event.bpf.h"
#include <bpf/bpf_tracing.h>

#define PR_SET_MM 35
#define PR_SET_MM_EXE_FILE 13
#define PR_SET_MM_MAP 14

char LICENSE[] SEC("license") = "GPL";

/*
 * Does the policy guard ward and the kernel's BPF, for the current task
 * (@s, filled), which is not ward?
 */
static __always_inline bool guarded(void *policy, struct subject *s)
{
	if (kernel_bpf(policy) == WARD_KERNEL_BPF_ALLOW)
		return false;
	subject_get(policy, s);
	return s->app != WARD_APP_SELF;
}

/* Refuses @d (-EPERM, or complain mode) and reports it. */
static __always_inline int refuse_guarded(void *policy, struct subject *s,
					  struct decision *d)
{
	struct event_about about = { .kfuncs = true };
	int err = refuse(policy, s, d, -EPERM, false);

	event_report(d, s, &about);
	return err;
}

/* Program types that observe or change security decisions or memory. */
static __always_inline bool reserved_type(__u32 type)
{
	switch (type) {
	case BPF_PROG_TYPE_KPROBE:
	case BPF_PROG_TYPE_TRACEPOINT:
	case BPF_PROG_TYPE_PERF_EVENT:
	case BPF_PROG_TYPE_RAW_TRACEPOINT:
	case BPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE:
	case BPF_PROG_TYPE_TRACING:
	case BPF_PROG_TYPE_STRUCT_OPS:
	case BPF_PROG_TYPE_EXT:
	case BPF_PROG_TYPE_LSM:
	/* The tracing helpers, and bpf_sys_bpf() as whoever runs it. */
	case BPF_PROG_TYPE_SYSCALL:
		return true;
	}
	return false;
}

/* Is the current task's executable a loader the policy names? */
static __always_inline bool loader(void *policy)
{
	struct task_struct *task = untrusted(bpf_get_current_task_btf());
	struct ward_policy_key key = { .kind = WARD_KEY_BPF_LOADER };
	struct mm_struct *mm = task->mm;
	struct file *exe = mm ? mm->exe_file : NULL;

	if (!exe)
		return false;
	key.inode = inode_ref(untrusted(exe)->f_inode);
	return bpf_map_lookup_elem(policy, &key);
}

/*
 * A program load: refused (-EPERM) to all but ward and the loaders when
 * its type is reserved to them ("kernel bpf deny": every type).  The
 * command is decided here, on the kernel's copy of the attributes.
 */
SEC("lsm/bpf")
int BPF_PROG(hook_bpf, int cmd, union bpf_attr *attr, unsigned int size)
{
	struct decision d = { .op = WARD_OP_BPF, .access = cmd };
	void *policy = policy_active();
	struct subject s;
	__u32 type;

	if (cmd != BPF_PROG_LOAD || !policy || !guarded(policy, &s))
		return 0;
	type = attr->prog_type;
	if (!reserved_type(type) && kernel_bpf(policy) != WARD_KERNEL_BPF_DENY)
		return 0;
	if (loader(policy))
		return 0;
	d.cap = type;
	return refuse_guarded(policy, &s, &d);
}

/*
 * Every file descriptor for a map, by id, by pin or at creation, comes
 * through here: ward's (their names begin with "ward") are refused
 * (-EPERM) to all but ward.  Reported as BPF_MAP_GET_FD_BY_ID, with the
 * map's id.
 */
SEC("lsm/bpf_map")
int BPF_PROG(hook_bpf_map, struct bpf_map *map, fmode_t fmode)
{
	struct decision d = { .op = WARD_OP_BPF,
			      .access = BPF_MAP_GET_FD_BY_ID };
	void *policy = policy_active();
	const char *name = map->name;
	struct subject s;

	if (name[0] != 'w' || name[1] != 'a' || name[2] != 'r' ||
	    name[3] != 'd')
		return 0;
	if (!policy || !guarded(policy, &s))
		return 0;
	d.cap = map->id;
	return refuse_guarded(policy, &s, &d);
}

/*
 * Likewise for programs: ward's are those named hook_ and fexit_, of the
 * types only ward and the loaders load.  Reported as
 * BPF_PROG_GET_FD_BY_ID, with the program's id.
 */
SEC("lsm/bpf_prog")
int BPF_PROG(hook_bpf_prog, struct bpf_prog *prog)
{
	struct decision d = { .op = WARD_OP_BPF,
			      .access = BPF_PROG_GET_FD_BY_ID };
	void *policy = policy_active();
	struct bpf_prog_aux *aux;
	struct subject s;
	const char *name;

	if (!policy || !reserved_type(prog->type))
		return 0;
	aux = untrusted(prog->aux);
	name = aux->name;
	if (!(name[0] == 'h' && name[1] == 'o' && name[2] == 'o' &&
	      name[3] == 'k' && name[4] == '_') &&
	    !(name[0] == 'f' && name[1] == 'e' && name[2] == 'x' &&
	      name[3] == 'i' && name[4] == 't' && name[5] == '_'))
		return 0;
	if (!guarded(policy, &s))
		return 0;
	d.cap = aux->id;
	return refuse_guarded(policy, &s, &d);
}

/*
 * A signal to a process of ward's domain from outside it: refused
 * (-EPERM).  Signal 0 only asks whether the process exists.  The
 * kernel's own signals (a terminal's ^C, SIGPIPE, SIGCHLD) do not come
 * here.  Init (the system's PID 1) may: the service manager stops ward's
 * log daemon at shutdown, and the daemon records being stopped, and when,
 * whoever asked the service manager to.
 */
SEC("lsm/task_kill")
int BPF_PROG(hook_task_kill, struct task_struct *p, struct kernel_siginfo *info,
	     int sig, const struct cred *cred)
{
	struct decision d = { .op = WARD_OP_SIGNAL, .access = sig };
	struct event_about about = { .object = EVENT_TASK_EXE,
				     .task = untrusted(p) };
	void *policy = policy_active();
	struct subject s;
	int err;

	if (!sig || !policy || task_domain(policy, p) != WARD_APP_SELF ||
	    bpf_get_current_pid_tgid() >> 32 == 1)
		return 0;
	if (!guarded(policy, &s))
		return 0;
	d.label = WARD_APP_SELF;
	d.cap = untrusted(p)->tgid;
	err = refuse(policy, &s, &d, -EPERM, false);
	event_report(&d, &s, &about);
	return err;
}

/* prctl(PR_SET_MM) replacing the executable: refused (-EPERM) to all. */
SEC("lsm/task_prctl")
int BPF_PROG(hook_task_prctl, int option, unsigned long arg2,
	     unsigned long arg3, unsigned long arg4, unsigned long arg5)
{
	struct decision d = { .op = WARD_OP_PRCTL, .access = arg2 };
	void *policy = policy_active();
	struct subject s;

	if (option != PR_SET_MM ||
	    (arg2 != PR_SET_MM_EXE_FILE && arg2 != PR_SET_MM_MAP) || !policy)
		return 0;
	subject_get(policy, &s);
	return refuse_guarded(policy, &s, &d);
}

/*
 * SIGIO and SIGURG of a file whose owner is a process of ward's domain:
 * F_SETSIG makes them any signal, SIGKILL too, and ward asks for none.
 * Refused (-EPERM) whoever caused it: this may run in interrupt context,
 * where the current task is nobody's.
 */
SEC("lsm/file_send_sigiotask")
int BPF_PROG(hook_file_send_sigiotask, struct task_struct *tsk,
	     struct fown_struct *fown, int sig)
{
	struct decision d = { .op = WARD_OP_SIGNAL,
			      .access = sig,
			      .label = WARD_APP_SELF };
	struct event_about about = { .object = EVENT_TASK_EXE,
				     .task = untrusted(tsk) };
	void *policy = policy_active();
	struct subject s = {};
	int err;

	if (!policy || task_domain(policy, tsk) != WARD_APP_SELF ||
	    kernel_bpf(policy) == WARD_KERNEL_BPF_ALLOW)
		return 0;
	d.cap = untrusted(tsk)->tgid;
	err = refuse(policy, &s, &d, -EPERM, false);
	event_report(&d, &s, &about);
	return err;
}
