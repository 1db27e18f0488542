// SPDX-License-Identifier: GPL-2.0
/*
 * ward - hooks on paths: truncating, and changing directory entries
 *
 * Each needs write access to the object's label, which for a new entry is
 * the label of the directory it is created in.  Moving or linking a
 * protected file elsewhere would take it out of its directory's coverage,
 * so both ends of a rename or link are checked.
 */

#include "access.bpf.h"
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

/*
 * bpf_d_path() is not allowed in these hooks on Linux 6.1; from 6.12 on
 * these kfuncs are.  Only this object may declare them: the BPF linker
 * refuses an extern function declared in two objects.
 */
extern int bpf_path_d_path(const struct path *path, char *buf,
			   size_t buf__sz) __ksym __weak;
extern struct file *
bpf_get_task_exe_file(struct task_struct *task) __ksym __weak;
extern void bpf_put_file(struct file *file) __ksym __weak;

/*
 * Checks write access to @dentry, an entry of @dir, and reports a denial
 * with @dir's path where the kernel can tell it.
 */
static __always_inline int check_write(__u32 op, const struct path *dir,
				       struct dentry *dentry,
				       struct dentry *entry)
{
	struct decision d = { .op = op, .access = WARD_ACCESS_WRITE };
	struct ward_event *ev;
	struct file *exe;
	int err;

	err = check_access(&d, dentry);
	if (!d.report)
		return err;

	ev = event_reserve();
	if (!ev)
		return err;
	event_fill(ev, &d, dentry, entry);
	if (bpf_ksym_exists(bpf_path_d_path)) {
		bpf_path_d_path(dir, ev->path, sizeof(ev->path));
		exe = bpf_get_task_exe_file(bpf_get_current_task_btf());
		if (exe) {
			bpf_path_d_path(&exe->f_path, ev->exe, sizeof(ev->exe));
			bpf_put_file(exe);
		}
	}
	bpf_ringbuf_submit(ev, 0);
	return err;
}

SEC("lsm/path_truncate")
int BPF_PROG(hook_path_truncate, const struct path *path)
{
	return check_write(WARD_OP_TRUNCATE, path, path->dentry, NULL);
}

SEC("lsm/path_mknod")
int BPF_PROG(hook_path_mknod, const struct path *dir, struct dentry *dentry)
{
	return check_write(WARD_OP_CREATE, dir, dentry, dentry);
}

SEC("lsm/path_mkdir")
int BPF_PROG(hook_path_mkdir, const struct path *dir, struct dentry *dentry)
{
	return check_write(WARD_OP_MKDIR, dir, dentry, dentry);
}

SEC("lsm/path_symlink")
int BPF_PROG(hook_path_symlink, const struct path *dir, struct dentry *dentry)
{
	return check_write(WARD_OP_SYMLINK, dir, dentry, dentry);
}

SEC("lsm/path_unlink")
int BPF_PROG(hook_path_unlink, const struct path *dir, struct dentry *dentry)
{
	return check_write(WARD_OP_UNLINK, dir, dentry, dentry);
}

SEC("lsm/path_rmdir")
int BPF_PROG(hook_path_rmdir, const struct path *dir, struct dentry *dentry)
{
	return check_write(WARD_OP_RMDIR, dir, dentry, dentry);
}

SEC("lsm/path_link")
int BPF_PROG(hook_path_link, struct dentry *old_dentry,
	     const struct path *new_dir, struct dentry *new_dentry)
{
	int err;

	/* A hard link outside a protected directory would escape it. */
	err = check_write(WARD_OP_LINK, new_dir, old_dentry, new_dentry);
	if (err)
		return err;
	return check_write(WARD_OP_LINK, new_dir, new_dentry, new_dentry);
}

SEC("lsm/path_rename")
int BPF_PROG(hook_path_rename, const struct path *old_dir,
	     struct dentry *old_dentry, const struct path *new_dir,
	     struct dentry *new_dentry)
{
	int err;

	/*
	 * The source leaves its place; the target's place (and with
	 * RENAME_EXCHANGE its object) is replaced: both need write.
	 */
	err = check_write(WARD_OP_RENAME, old_dir, old_dentry, old_dentry);
	if (err)
		return err;
	return check_write(WARD_OP_RENAME, new_dir, new_dentry, new_dentry);
}
