// SPDX-License-Identifier: GPL-2.0
/*
 * ward - hooks on files being opened and mapped
 */

#define WARD_OBJECT file
#include "decide.bpf.h"
#include <bpf/bpf_tracing.h>

#define FMODE_READ 0x1
#define FMODE_WRITE 0x2
#define __FMODE_EXEC 0x20 /* in f_flags, as Landlock reads it */
#define FS_IOC_SETFLAGS 0x40086602
#define FS_IOC_FSSETXATTR 0x401c5820
#define PROT_EXEC 0x4
#define VM_EXEC 0x4

char LICENSE[] SEC("license") = "GPL";

/*
 * The label that decides an open of @file, into @d->label.  Returns as
 * object_label().
 *
 * A block device is labelled by its number, whichever node opens it
 * (mknod makes another): its blocks hold labelled files.  Overlayfs on
 * 6.1 opens the real file of its upper layer with a fake path: the
 * overlay's; the real inode's own label decides then, if it has one (a
 * label inherited from the upper layer's directories cannot be found from
 * the overlay's path; on 6.12 the path is the real one).
 */
static __always_inline int open_label(void *policy, struct decision *d,
				      struct file *file)
{
	struct dentry *dentry = file->f_path.dentry;
	struct inode *inode = untrusted(file)->f_inode;
	union ward_policy_value *own = NULL;

	if ((inode->i_mode & S_IFMT) == S_IFBLK) {
		struct ward_inode_ref dev = { .dev = WARD_DEV_BLOCK,
					      .ino = inode->i_rdev };

		own = policy_ref(policy, WARD_KEY_OBJECT, &dev);
	} else if (inode != dentry_inode(dentry)) {
		own = policy_inode(policy, WARD_KEY_OBJECT, inode);
	}
	if (own) {
		d->label = own->label;
		return 0;
	}
	return object_label(policy, dentry, &d->label);
}

static __always_inline int check_open(void *policy, struct subject *s,
				      struct decision *d, struct file *file)
{
	if (open_label(policy, d, file))
		return refuse_unknown_label(policy, s, d);
	return check_label(policy, s, d);
}

SEC("lsm/file_open")
int BPF_PROG(hook_file_open, struct file *file)
{
	struct decision d = { .op = WARD_OP_OPEN };
	void *policy = policy_active();
	struct subject s;
	int err;

	if (!policy)
		return 0;
	/* Opening to execute is checked as exec in bprm_check_security. */
	if ((file->f_mode & FMODE_READ) && !(file->f_flags & __FMODE_EXEC))
		d.access |= WARD_ACCESS_READ;
	if (file->f_mode & FMODE_WRITE)
		d.access |= WARD_ACCESS_WRITE;
	if (!d.access)
		return 0;
	subject_get(policy, &s);
	err = check_open(policy, &s, &d, file);
	/* file_open is one of the hooks bpf_d_path() is allowed in. */
	report_file(&d, &s, file->f_path.dentry, NULL, &file->f_path, true);
	return err;
}

/*
 * Is @file the task's own executable?  The exec that made it so decided
 * on it (bprm_check_security), before the task's domain changed: the
 * kernel's mapping of it in the new domain is not another decision.
 */
static __always_inline bool own_executable(struct file *file)
{
	struct task_struct *task = untrusted(bpf_get_current_task_btf());
	struct mm_struct *mm = task->mm;
	struct file *exe = mm ? mm->exe_file : NULL;

	return exe && exe->f_inode == untrusted(file)->f_inode;
}

SEC("lsm/mmap_file")
int BPF_PROG(hook_mmap_file, struct file *file, unsigned long reqprot,
	     unsigned long prot, unsigned long flags)
{
	if (!file || !(prot & PROT_EXEC) || own_executable(file))
		return 0;
	/* Mapping a file executable runs its code: ld.so PROG must not
	 * escape exec rules. */
	return decide_file(WARD_OP_MMAP, WARD_ACCESS_EXEC, file->f_path.dentry,
			   NULL, &file->f_path, false);
}

SEC("lsm/file_mprotect")
int BPF_PROG(hook_file_mprotect, struct vm_area_struct *vma,
	     unsigned long reqprot, unsigned long prot)
{
	struct file *file = vma->vm_file;

	if (!file || !(prot & PROT_EXEC) || (vma->vm_flags & VM_EXEC))
		return 0;
	/* A VMA's file is not a trusted pointer: no path, only its name. */
	return decide_file(WARD_OP_MPROTECT, WARD_ACCESS_EXEC,
			   file->f_path.dentry, file->f_path.dentry, NULL,
			   false);
}

/* Inode flags (immutable, append-only, ...) change the file: a write. */
SEC("lsm/file_ioctl")
int BPF_PROG(hook_file_ioctl, struct file *file, unsigned int cmd)
{
	if (cmd != FS_IOC_SETFLAGS && cmd != FS_IOC_FSSETXATTR)
		return 0;
	return decide_file(WARD_OP_SETATTR, WARD_ACCESS_WRITE,
			   file->f_path.dentry, NULL, &file->f_path, false);
}
