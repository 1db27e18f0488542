// SPDX-License-Identifier: GPL-2.0
/*
 * ward - hooks on files being opened and mapped
 */

#define WARD_OBJECT file
#include "kernel.bpf.h"
#include <bpf/bpf_tracing.h>

#define __FMODE_EXEC 0x20 /* in f_flags, as Landlock reads it */
#define PROT_EXEC 0x4
#define VM_EXEC 0x4

char LICENSE[] SEC("license") = "GPL";

/*
 * The label that decides an open of @file, into @d->label, and its
 * @facts when the cache had them.  Returns as resolve_label().
 *
 * A block device is labelled by its number, whichever node opens it
 * (mknod makes another): its blocks hold labelled files.  Overlayfs on
 * 6.1 opens the real file of its upper layer with a fake path: the
 * overlay's; the real inode's own label decides then, if it has one (a
 * label inherited from the upper layer's directories cannot be found from
 * the overlay's path; on 6.12 the path is the real one).
 */
static __always_inline int open_label(void *policy, struct decision *d,
				      struct file *file,
				      struct label_facts *facts)
{
	struct dentry *dentry = file->f_path.dentry;
	struct inode *inode = untrusted(file)->f_inode;
	struct inode *start = dentry_inode(dentry);
	union ward_policy_value *own = NULL;

	if ((inode->i_mode & S_IFMT) == S_IFBLK) {
		struct ward_inode_ref dev = { .dev = WARD_DEV_BLOCK,
					      .ino = inode->i_rdev };

		own = policy_ref(policy, WARD_KEY_OBJECT, &dev);
	} else if (inode != start) {
		own = policy_inode(policy, WARD_KEY_OBJECT, inode);
	}
	if (own) {
		d->label = own->label;
		return 0;
	}
	return resolve_label_at(policy, dentry, start, &d->label, facts);
}

static __always_inline int check_open(void *policy, struct subject *s,
				      struct decision *d, struct file *file)
{
	struct label_facts facts = {};

	if (open_label(policy, d, file, &facts))
		return refuse_unknown_label(policy, s, d);
	if (facts_allow(s, d, &facts))
		return 0;
	return check_label(policy, s, d);
}

/*
 * Decides on the accesses @file was opened for, as the current task's:
 * @op is WARD_OP_OPEN, or WARD_OP_RECEIVE for a descriptor another task
 * opened.  @d_path_ok as for report_file().
 */
static __always_inline int decide_open(__u32 op, struct file *file,
				       bool d_path_ok)
{
	struct decision d = { .op = op };
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
	report_file(&d, &s, file->f_path.dentry, NULL, &file->f_path,
		    d_path_ok);
	return err;
}

/*
 * file_open is one of the hooks bpf_d_path() is allowed in (on 6.1: the
 * LSM hooks that may sleep, bpf_lsm_is_sleepable_hook()).  The kernel's
 * memory ("kernel kmem deny") first: no rule can allow it.
 */
SEC("lsm/file_open")
int BPF_PROG(hook_file_open, struct file *file)
{
	int err = kernel_open(file);

	return err ? err : decide_open(WARD_OP_OPEN, file, true);
}

/*
 * A descriptor received over a socket (SCM_RIGHTS), through pidfd_getfd
 * or binder is an open the receiver did not make: decided as its own, or
 * a task that may write could hand a protected file to one that may not.
 * Refused, the kernel drops it (recvmsg reports MSG_CTRUNC).  Files of
 * the kernel's internal mounts were never opened by path, where file_open
 * would have decided: they pass, as they do when created.
 */
SEC("lsm/file_receive")
int BPF_PROG(hook_file_receive, struct file *file)
{
	struct file *f = untrusted(file);

	/* Sockets, pipes, anonymous inodes, memfds: nothing opened them.  A
	 * named FIFO holds no data: what a received one reaches, its sender
	 * chose (logind hands sshd its session's FIFO). */
	if ((f->f_path.mnt->mnt_sb->s_flags & SB_KERNMOUNT) ||
	    (f->f_inode->i_mode & S_IFMT) == S_IFIFO)
		return 0;
	/* Another hook 6.1 allows bpf_d_path() in. */
	return decide_open(WARD_OP_RECEIVE, file, true);
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
	 * escape exec rules.  6.1 allows bpf_d_path() here. */
	return decide_file(WARD_OP_MMAP, WARD_ACCESS_EXEC, file->f_path.dentry,
			   NULL, &file->f_path, true);
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

/*
 * Ioctls that change an inode whatever the descriptor was opened for (a
 * read-only one will do): its flags (immutable, append-only...), its
 * attributes, its version, verity or encryption.  Writes to the file.
 * Their 32-bit numbers too: a compat ioctl comes to file_ioctl_compat
 * with them, and before that hook (6.8, and stable kernels that took it)
 * to file_ioctl.  Ioctls that change data need a descriptor opened for
 * writing, which file_open decided on.
 */
static const __u32 inode_ioctls[] = {
	0x40086602, /* FS_IOC_SETFLAGS, EXT4_IOC_SETFLAGS */
	0x40046602, /* FS_IOC32_SETFLAGS */
	0x401c5820, /* FS_IOC_FSSETXATTR (one size for 32 and 64 bits) */
	0x40087602, /* FS_IOC_SETVERSION, EXT4_IOC_SETVERSION_OLD */
	0x40047602, /* FS_IOC32_SETVERSION */
	0x40086604, /* EXT4_IOC_SETVERSION */
	0x40046604, /* EXT4_IOC32_SETVERSION */
	0x40806685, /* FS_IOC_ENABLE_VERITY */
	0x800c6613, /* FS_IOC_SET_ENCRYPTION_POLICY */
	0x4004f50d, /* F2FS_IOC_SET_PIN_FILE */
	0x40047211, /* FAT_IOCTL_SET_ATTRIBUTES (read-only, hidden...) */
	0x4008941a, /* BTRFS_IOC_SUBVOL_SETFLAGS (a read-only subvolume) */
};

/* @d_path_ok as for report_file(). */
static __always_inline int check_ioctl(struct file *file, unsigned int cmd,
				       bool d_path_ok)
{
	bool changes_inode = false;

	for (__u32 i = 0; i < sizeof(inode_ioctls) / sizeof(*inode_ioctls); i++)
		changes_inode |= cmd == inode_ioctls[i];
	if (!changes_inode)
		return 0;
	return decide_file(WARD_OP_SETATTR, WARD_ACCESS_WRITE,
			   file->f_path.dentry, NULL, &file->f_path, d_path_ok);
}

/* One of the hooks 6.1 allows bpf_d_path() in; file_ioctl_compat is not. */
SEC("lsm/file_ioctl")
int BPF_PROG(hook_file_ioctl, struct file *file, unsigned int cmd)
{
	return check_ioctl(file, cmd, true);
}

/* Since 6.8 and in some stable kernels; loaded only where it exists. */
SEC("lsm/file_ioctl_compat")
int BPF_PROG(hook_file_ioctl_compat, struct file *file, unsigned int cmd)
{
	return check_ioctl(file, cmd, false);
}
