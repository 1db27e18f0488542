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
 * Overlayfs on 6.1 opens the real file of its upper layer with a fake
 * path: the overlay's.  The real inode's own label decides then, if it
 * has one (a label inherited from the upper layer's directories cannot be
 * found from the overlay's path; on 6.12 the path is the real one).
 */
static __always_inline int check_open(void *policy, struct subject *s,
				      struct decision *d, struct file *file)
{
	struct dentry *dentry = file->f_path.dentry;
	union ward_policy_value *own;

	if (file->f_inode != dentry_inode(dentry)) {
		own = policy_inode(policy, WARD_KEY_OBJECT, file->f_inode);
		if (own) {
			d->label = own->label;
			return check_label(policy, s, d);
		}
	}
	return check_file(policy, s, d, dentry);
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

SEC("lsm/mmap_file")
int BPF_PROG(hook_mmap_file, struct file *file, unsigned long reqprot,
	     unsigned long prot, unsigned long flags)
{
	if (!file || !(prot & PROT_EXEC))
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
