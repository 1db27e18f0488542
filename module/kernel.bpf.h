/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ward - the policy's "kernel" settings, and the part of them file_open
 * decides: the kernel's memory opened through its devices
 *
 * GB/T 39276 5.1.1.2 c: no component may bypass the access control.  Code
 * loaded into the kernel, a kernel booted by kexec, or a write to kernel
 * memory would replace ward itself, whatever its policy says.  Every
 * refusal here is -EPERM, and settles like any other (refuse()): reported,
 * counted, let through only when the policy's own mode is complain.
 */

#ifndef WARD_KERNEL_BPF_H
#define WARD_KERNEL_BPF_H

#include "event.bpf.h"

#define FMODE_READ 0x1
#define FMODE_WRITE 0x2
#define PROC_SUPER_MAGIC 0x9fa0
#define SYSFS_MAGIC 0x62656572
/* Char devices of the mem driver (drivers/char/mem.c), kernel encoding. */
#define MEM_DEV(minor) ((1U << 20) | (minor))

/*
 * Is @file, on procfs, its kcore: an entry "kcore" at the root of a proc
 * mount (every mount of it, whichever pid namespace)?
 */
static __always_inline bool is_kcore(struct file *file)
{
	struct dentry *dentry = untrusted(file)->f_path.dentry;
	char name[DNAME_INLINE_MIN];

	if (dentry->d_parent != dentry->d_sb->s_root ||
	    dentry->d_name.len != sizeof("kcore") - 1)
		return false;
	inline_name(name, dentry);
	return !bpf_strncmp(name, sizeof("kcore"), "kcore");
}

/*
 * Is @file, on sysfs, /sys/module/module/parameters/sig_enforce:
 * "sig_enforce" in a "parameters" directory (no other module has one)?
 */
static __always_inline bool is_sig_enforce(struct file *file)
{
	struct dentry *dentry = untrusted(file)->f_path.dentry;
	char name[DNAME_INLINE_MIN];

	if (dentry->d_name.len != sizeof("sig_enforce") - 1 ||
	    dentry->d_parent->d_name.len != sizeof("parameters") - 1)
		return false;
	inline_name(name, dentry);
	if (bpf_strncmp(name, sizeof("sig_enforce"), "sig_enforce"))
		return false;
	inline_name(name, dentry->d_parent);
	return !bpf_strncmp(name, sizeof("parameters"), "parameters");
}

/*
 * Is @file one that "kernel" statements guard on open: /dev/mem, kmem or
 * port opened for writing, sig_enforce opened for writing, or kcore?
 * Sets @d's op and access for it.  Every open asks: the file's type and
 * file system are read once and decide most.
 */
static __always_inline bool kernel_file(struct file *file, struct decision *d)
{
	struct inode *inode = untrusted(file)->f_inode;
	bool write = file->f_mode & FMODE_WRITE;
	__u32 type = inode->i_mode & S_IFMT;
	unsigned long magic;

	if (type == S_IFCHR) {
		d->access = WARD_ACCESS_WRITE;
		return write && (inode->i_rdev == MEM_DEV(1) ||
				 inode->i_rdev == MEM_DEV(2) ||
				 inode->i_rdev == MEM_DEV(4));
	}
	if (type != S_IFREG)
		return false;
	magic = inode->i_sb->s_magic;
	if (magic == SYSFS_MAGIC && write && is_sig_enforce(file)) {
		d->op = WARD_OP_MODULE;
		d->access = WARD_MODULE_SIG_ENFORCE;
		return true;
	}
	d->access = WARD_ACCESS_READ;
	return magic == PROC_SUPER_MAGIC && is_kcore(file);
}

/**
 * kernel_open - the policy's "kernel" statements on an open, from the
 * file_open hook
 * @file: the file being opened
 *
 * Under "kernel kmem deny", refuses opening for writing /dev/mem (1:1),
 * /dev/kmem (1:2) and /dev/port (1:4) by device number, whichever node
 * (mknod makes another), and opening /proc/kcore.  Under "kernel module
 * signed" or "deny", refuses opening sig_enforce for writing to all but
 * ward, which turns it on: the kernel refuses to turn it off anyway, and
 * the attempt is reported.
 *
 * Return: 0, or -EPERM when refused (event WARD_OP_KMEM, or WARD_OP_MODULE
 * with WARD_MODULE_SIG_ENFORCE).
 */
static __always_inline int kernel_open(struct file *file)
{
	struct decision d = { .op = WARD_OP_KMEM };
	struct ward_kernel *k;
	struct subject s;
	void *policy;
	int err;

	if (!kernel_file(file, &d))
		return 0;
	policy = policy_active();
	if (!policy)
		return 0;
	k = kernel_settings(policy);
	if (!k || (d.op == WARD_OP_KMEM ? !k->kmem :
					  k->module == WARD_KERNEL_MODULE_ALLOW))
		return 0;
	subject_get(policy, &s);
	/* ward turns it on (userspace/kernel.c). */
	if (d.op == WARD_OP_MODULE && s.app == WARD_APP_SELF)
		return 0;
	err = refuse(policy, &s, &d, -EPERM, false);
	report_file(&d, &s, file->f_path.dentry, NULL, &file->f_path, true);
	return err;
}

#endif /* WARD_KERNEL_BPF_H */
