// SPDX-License-Identifier: GPL-2.0
/*
 * ward - hooks on tracing: no code from outside an app's domain in it
 *
 * An app's rules are for the app's code.  A process outside the domain
 * that could trace a process in it, write its memory or take its file
 * descriptors could act as the app: ptrace attach, /proc/PID/mem,
 * process_vm_writev and pidfd_getfd (all PTRACE_MODE_ATTACH) of a process
 * in the domain of an app with rights (WARD_APP_GRANTS) are refused to any
 * process outside it, root too, as are
 * PTRACE_TRACEME in a domain by a child of a process outside it, and an
 * exec into a domain by a process traced from outside it.  What ps and
 * /proc/PID/environ read (PTRACE_MODE_READ) stays allowed.
 * (GB/T 39276 5.1.1.2: no component may bypass the access control.)
 */

#define WARD_OBJECT ptrace
#include "event.bpf.h"
#include <bpf/bpf_tracing.h>

#define PTRACE_MODE_ATTACH 0x02
#define PTRACE_MODE_NOAUDIT 0x04
#define PT_PTRACED 0x00000001

char LICENSE[] SEC("license") = "GPL";

/*
 * Refuses (-EPERM, or lets through in complain mode) what @how would let
 * the current task do to the domain @app, and reports it with @target,
 * the other task, unless @quiet (a check that asked not to be audited).
 * No paths: ptrace_access_check runs under the target's task_lock(),
 * which bpf_get_task_exe_file() would take again.
 */
static __always_inline int refuse_ptrace(void *policy, struct subject *s,
					 __u32 how, struct task_struct *target,
					 __u32 app, bool quiet)
{
	struct decision d = { .op = WARD_OP_PTRACE, .access = how };
	struct task_struct *view = untrusted(target);
	struct event_about about = { .object = EVENT_TASK_EXE, .task = view };
	int err;

	d.label = app;
	d.cap = view->tgid;
	/* The target's domain is protected, not the caller's business. */
	err = refuse(policy, s, &d, -EPERM, false);
	if (!quiet)
		event_report(&d, s, &about);
	return err;
}

SEC("lsm/ptrace_access_check")
int BPF_PROG(hook_ptrace_access_check, struct task_struct *child,
	     unsigned int mode)
{
	void *policy = policy_active();
	struct subject s;
	__u32 app;

	if (!policy || !(mode & PTRACE_MODE_ATTACH))
		return 0;
	app = task_domain(policy, child);
	if (!app)
		return 0;
	subject_get(policy, &s);
	if (s.app == app)
		return 0;
	return refuse_ptrace(policy, &s, WARD_PTRACE_ATTACH, child, app,
			     mode & PTRACE_MODE_NOAUDIT);
}

SEC("lsm/ptrace_traceme")
int BPF_PROG(hook_ptrace_traceme, struct task_struct *parent)
{
	void *policy = policy_active();
	struct subject s;

	if (!policy)
		return 0;
	subject_get(policy, &s);
	if (!domain_in(policy, s.app) || task_domain(policy, parent) == s.app)
		return 0;
	return refuse_ptrace(policy, &s, WARD_PTRACE_TRACEME, parent, s.app,
			     false);
}

/*
 * An exec into a domain while traced from outside it would hand the
 * tracer the new program (as SELinux refuses a traced domain change).
 * The exec's own domain change is exec.bpf.c's; this only refuses.
 */
SEC("lsm/bprm_creds_for_exec")
int BPF_PROG(hook_bprm_creds_for_exec_traced, struct linux_binprm *bprm)
{
	struct task_struct *task = bpf_get_current_task_btf();
	void *policy = policy_active();
	struct task_struct *tracer;
	struct subject s;
	__u32 app;

	if (!policy || !(untrusted(task)->ptrace & PT_PTRACED))
		return 0;
	app = domain_in(policy, exe_app(policy, bprm->file));
	if (!app)
		return 0;
	subject_get(policy, &s);
	if (s.app == app)
		return 0;
	/* The tracer is the task's parent while it is traced. */
	tracer = task->parent;
	if (tracer && task_domain(policy, tracer) == app)
		return 0;
	if (!tracer)
		return refuse_ptrace(policy, &s, WARD_PTRACE_EXEC, task, app,
				     false);
	return refuse_ptrace(policy, &s, WARD_PTRACE_EXEC, tracer, app, false);
}
