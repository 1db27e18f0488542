// SPDX-License-Identifier: GPL-2.0
/*
 * ward - hooks on opening files
 */

#include "access.bpf.h"
#include <bpf/bpf_tracing.h>

#define FMODE_WRITE 0x2

char LICENSE[] SEC("license") = "GPL";

SEC("lsm/file_open")
int BPF_PROG(hook_file_open, struct file *file)
{
	struct decision d = { .op = WARD_OP_OPEN, .access = WARD_ACCESS_WRITE };
	struct task_struct *task = bpf_get_current_task_btf();
	struct ward_event *ev;
	struct file *exe;
	int err;

	if (!(file->f_mode & FMODE_WRITE))
		return 0;
	err = check_access(&d, file->f_path.dentry);
	if (!d.report)
		return err;

	ev = event_reserve();
	if (!ev)
		return err;
	event_fill(ev, &d, file->f_path.dentry, NULL);
	/* file_open is one of the hooks bpf_d_path() is allowed in. */
	bpf_d_path((struct path *)&file->f_path, ev->path, sizeof(ev->path));
	exe = task->mm ? task->mm->exe_file : NULL;
	if (exe)
		bpf_d_path((struct path *)&exe->f_path, ev->exe,
			   sizeof(ev->exe));
	bpf_ringbuf_submit(ev, 0);
	return err;
}
