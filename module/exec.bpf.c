// SPDX-License-Identifier: GPL-2.0
/*
 * ward - hooks on execution: the exec access, and domain transitions
 *
 * A task enters an app's domain when it executes one of the app's files
 * (for a script, the script decides, not its interpreter); its children
 * inherit the domain, and it keeps it across exec of files of no app.
 */

#define WARD_OBJECT exec
#include "decide.bpf.h"
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
	if (child)
		child->app = app;
	return 0;
}

/* Called once per execve, with the file named: the script, for a script. */
SEC("lsm/bprm_creds_for_exec")
int BPF_PROG(hook_bprm_creds_for_exec, struct linux_binprm *bprm)
{
	struct task_struct *task = bpf_get_current_task_btf();
	void *policy = policy_active();
	struct ward_task *t;

	if (!policy)
		return 0;
	task_app(policy);
	t = bpf_task_storage_get(&ward_tasks, task, 0, 0);
	if (!t)
		return 0;
	t->pending = exe_app(policy, bprm->file);
	t->flags |= WARD_TASK_PENDING;
	return 0;
}

/* Called for each file the exec runs: the script, then its interpreter. */
SEC("lsm/bprm_check_security")
int BPF_PROG(hook_bprm_check_security, struct linux_binprm *bprm)
{
	struct file *file = bprm->file;

	return decide_file(WARD_OP_EXEC, WARD_ACCESS_EXEC, file->f_path.dentry,
			   NULL, &file->f_path, true);
}

/* The exec can no longer fail: the task now runs the new program. */
SEC("lsm/bprm_committed_creds")
int BPF_PROG(hook_bprm_committed_creds, struct linux_binprm *bprm)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct ward_task *t = bpf_task_storage_get(&ward_tasks, task, 0, 0);

	if (!t || !(t->flags & WARD_TASK_PENDING))
		return 0;
	if (t->pending)
		t->app = t->pending;
	t->flags &= ~WARD_TASK_PENDING;
	return 0;
}
