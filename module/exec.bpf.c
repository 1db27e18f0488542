// SPDX-License-Identifier: GPL-2.0
/*
 * ward - hooks on execution: the exec access, and domain transitions
 *
 * A task enters an app's domain when it executes one of the app's files
 * (for a script, the script decides, not its interpreter, which must be
 * one the policy names for the app: "interpreter APP PATH", else a
 * binfmt_misc handler would run in the app's domain); its children
 * inherit the domain.  Executing a file of no app leaves the domain,
 * unless the app is confined (its exec rules bound what it runs) or
 * inherits ("inherit APP"): a program the app runs must not have the
 * app's rights unless the policy says so.
 *
 * Entering the domain of an app with rights is a secure exec (AT_SECURE),
 * as for a setuid program: ld.so then ignores LD_PRELOAD,
 * LD_LIBRARY_PATH, LD_AUDIT and the like, which would run code from
 * outside the domain inside it.  A domain without rights (the factory's
 * shells) is only a name: nothing to protect, no environment stripped.
 *
 * A task whose domain cannot be stored would run outside it: forks of
 * tasks in a domain, and execs into one, fail instead (-ENOMEM, counted in
 * WARD_STAT_NO_MEMORY).
 */

#define WARD_OBJECT exec
#include "event.bpf.h"
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

SEC("lsm/task_alloc")
int BPF_PROG(hook_task_alloc, struct task_struct *task,
	     unsigned long clone_flags)
{
	void *policy = policy_active();
	struct ward_task *child;
	__u32 app;

	if (!policy)
		return 0;
	app = task_app(policy);
	child = bpf_task_storage_get(&ward_tasks, task, 0,
				     BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (child) {
		child->app = app;
		return 0;
	}
	/* Else the child would be seen as its executable's, out of it. */
	if (!app)
		return 0;
	stat_inc(WARD_STAT_NO_MEMORY);
	return -ENOMEM;
}

/* Called once per execve, with the file named: the script, for a script. */
SEC("lsm/bprm_creds_for_exec")
int BPF_PROG(hook_bprm_creds_for_exec, struct linux_binprm *bprm)
{
	struct task_struct *task = bpf_get_current_task_btf();
	void *policy = policy_active();
	struct ward_task *t;
	__u32 pending;

	if (!policy)
		return 0;
	task_app(policy);
	pending = exe_app(policy, bprm->file);
	t = bpf_task_storage_get(&ward_tasks, task, 0, 0);
	if (!t) {
		if (!pending)
			return 0;
		stat_inc(WARD_STAT_NO_MEMORY);
		return -ENOMEM;
	}
	t->pending = pending;
	t->flags |= WARD_TASK_PENDING;
	t->exec_files = 0;
	/*
	 * Here rather than at commit: begin_new_exec() also acts on it
	 * (pdeath_signal, the stack limit) before bprm_committed_creds.
	 */
	if (pending && pending != t->app && app_grants(policy, pending))
		bpf_bprm_opts_set(bprm, BPF_F_BPRM_SECUREEXEC);
	return 0;
}

/*
 * An interpreter (a script's, or a binfmt_misc handler) of an exec that
 * enters or stays in app @app: one "interpreter APP PATH" names, or an
 * executable of the app itself.
 */
static __always_inline bool interpreter_ok(void *policy, __u32 app,
					   struct file *file)
{
	struct inode *inode = untrusted(file)->f_inode;
	struct ward_policy_key key = { .kind = WARD_KEY_INTERP,
				       .aux = app,
				       .inode = inode_ref(inode) };

	return bpf_map_lookup_elem(policy, &key) || exe_app(policy, file) == app;
}

static __always_inline int refuse_interpreter(void *policy, struct file *file)
{
	struct decision d = { .op = WARD_OP_EXEC, .access = WARD_ACCESS_EXEC };
	struct subject s;
	int err;

	subject_get(policy, &s);
	err = refuse(policy, &s, &d, -EACCES, false);
	report_file(&d, &s, file->f_path.dentry, NULL, &file->f_path, true);
	return err;
}

/* Called for each file the exec runs: the script, then its interpreter. */
SEC("lsm/bprm_check_security")
int BPF_PROG(hook_bprm_check_security, struct linux_binprm *bprm)
{
	struct file *file = bprm->file;
	void *policy = policy_active();
	struct ward_task *t;

	if (!policy)
		return 0;
	t = bpf_task_storage_get(&ward_tasks, bpf_get_current_task_btf(), 0,
				 0);
	if (t && t->flags & WARD_TASK_PENDING && t->exec_files++ &&
	    t->pending && !interpreter_ok(policy, t->pending, file))
		return refuse_interpreter(policy, file);
	return decide_file(WARD_OP_EXEC, WARD_ACCESS_EXEC, file->f_path.dentry,
			   NULL, &file->f_path, true);
}

/* Does a task in @app's domain leave it for a program of no app? */
static __always_inline bool leaves(void *policy, __u32 app)
{
	union ward_policy_value *info = policy_id(policy, WARD_KEY_APP, app);

	return !info || !(info->app_info.flags &
			  (WARD_APP_CONFINED | WARD_APP_INHERIT));
}

/* The exec can no longer fail: the task now runs the new program. */
SEC("lsm/bprm_committed_creds")
int BPF_PROG(hook_bprm_committed_creds, struct linux_binprm *bprm)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct ward_task *t = bpf_task_storage_get(&ward_tasks, task, 0, 0);
	void *policy = policy_active();

	if (!t || !(t->flags & WARD_TASK_PENDING))
		return 0;
	if (t->pending)
		t->app = t->pending;
	else if (t->app && policy && leaves(policy, t->app))
		t->app = 0;
	t->flags &= ~WARD_TASK_PENDING;
	return 0;
}
