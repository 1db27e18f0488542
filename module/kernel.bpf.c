// SPDX-License-Identifier: GPL-2.0
/*
 * ward - the kernel hooks of the policy's "kernel" statements: module
 * loading ("kernel module"), kexec ("kernel kexec"); the kernel's memory
 * is file_open's (kernel.bpf.h)
 *
 * GB/T 39276 5.1.1.2 c: no component may bypass the access control, and
 * a module or a kexec'd kernel is code that runs above it.
 *
 * "kernel module signed" is the kernel's own signature check, made
 * mandatory: userspace turns on sig_enforce (userspace/kernel.c), so that
 * the kernel rejects a module it cannot verify, and here an image without
 * the appended signature is refused before the kernel parses any of it.
 * A compressed image (finit_module with MODULE_INIT_COMPRESSED_FILE) is
 * signed inside, where these hooks cannot look: it is left to the
 * kernel's check after decompression, which sig_enforce makes fatal.  On
 * a kernel without module signing userspace installs "deny" instead.
 */

#define WARD_OBJECT kernel
#include "kernel.bpf.h"
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

/*
 * The module signature's trailer (MODULE_SIG_STRING), in the hexadecimal
 * that "%pi6" prints of its first and its last 16 bytes: bpf_snprintf()
 * reads exactly 16 bytes for it, where "%s" would read past the image,
 * and lockdown allows it, unlike bpf_probe_read_kernel().
 */
#define SIG_MARKER_LEN 28
static const char sig_marker_hex[] = "7e4d6f64756c65207369676e61747572"
				     "617475726520617070656e6465647e0a";
/* "\x7fELF" as "%pi4" prints it, dotted decimal: not compressed. */
static const char elf_magic_ip4[] = "127.069.076.070";

/*
 * Does the image @buf of @size bytes end in a module signature's trailer?
 * A compressed image counts as signed: see the top of this file.  An image
 * that cannot be read does not.
 */
static __always_inline bool image_signed(const char *buf, loff_t size)
{
	char hex[sizeof(sig_marker_hex)];
	__u64 args[2];

	if (size < SIG_MARKER_LEN)
		return false;
	args[0] = (__u64)buf;
	if (bpf_snprintf(hex, sizeof(hex), "%pi4", args, sizeof(__u64)) !=
	    sizeof(elf_magic_ip4))
		return false;
	if (bpf_strncmp(hex, sizeof(elf_magic_ip4), elf_magic_ip4))
		return true;
	args[0] = (__u64)(buf + size - SIG_MARKER_LEN);
	args[1] = (__u64)(buf + size - 16);
	if (bpf_snprintf(hex, sizeof(hex), "%pi6%pi6", args, sizeof(args)) !=
	    sizeof(hex))
		return false;
	return !bpf_strncmp(hex, sizeof(hex), sig_marker_hex);
}

/*
 * Refuses a load of @op (WARD_OP_MODULE, WARD_OP_KEXEC) for @access (an
 * enum ward_module_reason, or 0) and reports it: the object and path are
 * @file's, if any, its name in @name too (the path needs kfuncs before
 * 6.12 lacks in these hooks); else @what, a kernel string, is the name.
 */
static __always_inline int refuse_load(void *policy, __u32 op, __u32 access,
				       struct file *file, const char *what)
{
	struct decision d = { .op = op, .access = access };
	struct ward_event *ev;
	struct subject s;
	int err;

	subject_get(policy, &s);
	err = refuse(policy, &s, &d, -EPERM, false);
	ev = event_reserve(d.type);
	if (!ev)
		return err;
	event_fill(ev, &d, &s);
	if (file) {
		event_inode(ev, untrusted(file)->f_inode);
		ev->path_missing =
			entry_name(ev->name, untrusted(file)->f_path.dentry);
		event_paths(ev, &file->f_path, NULL, false, false);
	} else {
		if (what) {
			__u64 args[1] = { (__u64)what };

			bpf_snprintf(ev->name, sizeof(ev->name), "%s", args,
				     sizeof(args));
		}
		event_paths(ev, NULL, NULL, false, false);
	}
	bpf_ringbuf_submit(ev, 0);
	return err;
}

/* The settings of the active policy; NULL when it asks nothing. */
static __always_inline struct ward_kernel *settings(void **policy)
{
	*policy = policy_active();
	return *policy ? kernel_settings(*policy) : NULL;
}

/*
 * A module (@module) or a kexec image about to be loaded from @file (NULL
 * for init_module and kexec_load): a module is refused under "kernel
 * module deny", and under "signed" when it would not come whole to the
 * check of its image (check_image()); a kexec image under "kexec deny".
 */
static __always_inline int check_load(bool module, bool contents,
				      struct file *file)
{
	struct ward_kernel *k;
	void *policy;

	k = settings(&policy);
	if (!k)
		return 0;
	if (module) {
		if (k->module == WARD_KERNEL_MODULE_DENY)
			return refuse_load(policy, WARD_OP_MODULE,
					   WARD_MODULE_DENIED, file, NULL);
		if (k->module == WARD_KERNEL_MODULE_SIGNED && !contents)
			return refuse_load(policy, WARD_OP_MODULE,
					   WARD_MODULE_UNSIGNED, file, NULL);
		return 0;
	}
	if (k->kexec)
		return refuse_load(policy, WARD_OP_KEXEC, 0, file, NULL);
	return 0;
}

/* A module's image @buf, whole: under "signed", it must carry one. */
static __always_inline int check_image(char *buf, loff_t size,
				       struct file *file)
{
	struct ward_kernel *k;
	void *policy;

	k = settings(&policy);
	if (!k || k->module != WARD_KERNEL_MODULE_SIGNED ||
	    image_signed(buf, size))
		return 0;
	return refuse_load(policy, WARD_OP_MODULE, WARD_MODULE_UNSIGNED, file,
			   NULL);
}

/* init_module (before its image is copied), kexec_load. */
SEC("lsm/kernel_load_data")
int BPF_PROG(hook_kernel_load_data, enum kernel_load_data_id id, bool contents)
{
	if (id != LOADING_MODULE && id != LOADING_KEXEC_IMAGE &&
	    id != LOADING_KEXEC_INITRAMFS)
		return 0;
	return check_load(id == LOADING_MODULE, contents, NULL);
}

/* init_module's image, copied. */
SEC("lsm/kernel_post_load_data")
int BPF_PROG(hook_kernel_post_load_data, char *buf, loff_t size,
	     enum kernel_load_data_id id, char *description)
{
	if (id != LOADING_MODULE)
		return 0;
	return check_image(buf, size, NULL);
}

/* finit_module (read in parts, it never comes whole to the check of its
 * image), kexec_file_load (its kernel and initramfs). */
SEC("lsm/kernel_read_file")
int BPF_PROG(hook_kernel_read_file, struct file *file,
	     enum kernel_read_file_id id, bool contents)
{
	if (id != READING_MODULE && id != READING_KEXEC_IMAGE &&
	    id != READING_KEXEC_INITRAMFS)
		return 0;
	return check_load(id == READING_MODULE, contents, file);
}

/* finit_module's image, read whole. */
SEC("lsm/kernel_post_read_file")
int BPF_PROG(hook_kernel_post_read_file, struct file *file, char *buf,
	     loff_t size, enum kernel_read_file_id id)
{
	if (id != READING_MODULE)
		return 0;
	return check_image(buf, size, file);
}

/* request_module(): a module the kernel would load by name on its own. */
SEC("lsm/kernel_module_request")
int BPF_PROG(hook_kernel_module_request, char *kmod_name)
{
	struct ward_kernel *k;
	void *policy;

	k = settings(&policy);
	if (!k || k->module != WARD_KERNEL_MODULE_DENY)
		return 0;
	return refuse_load(policy, WARD_OP_MODULE, WARD_MODULE_DENIED, NULL,
			   kmod_name);
}

/*
 * Under "kernel module signed" the kernel's own check (module_sig_check(),
 * made fatal by sig_enforce) refuses what ward let through: a signature
 * by a key it does not trust, or one it cannot parse.  Reported here, by
 * its return value; loaded only where the kernel has the function.
 */
SEC("fexit/module_sig_check")
int BPF_PROG(fexit_module_sig_check, void *info, int flags, int ret)
{
	struct ward_kernel *k;
	struct decision d = { .op = WARD_OP_MODULE,
			      .access = WARD_MODULE_UNTRUSTED,
			      .type = WARD_EVENT_DENIED,
			      .error = ret };
	/* No paths: the kfuncs that find them are for LSM programs only. */
	struct event_about about = {};
	struct subject s;
	void *policy;

	if (!ret)
		return 0;
	k = settings(&policy);
	if (!k || k->module != WARD_KERNEL_MODULE_SIGNED)
		return 0;
	subject_get(policy, &s);
	stat_inc(WARD_STAT_DENIED);
	event_report(&d, &s, &about);
	return 0;
}

#define CAP_SYS_MODULE 16
/* delete_module's number on x86-64 and in its 32-bit ABI; no other
 * system call of either asks for CAP_SYS_MODULE with that number. */
#define NR_DELETE_MODULE 176
#define NR_DELETE_MODULE_IA32 129
#define X32_SYSCALL_BIT 0x40000000

/*
 * The system call the current task is in, its registers in @regs, where
 * pt_regs has the number (x86); -1 elsewhere.
 */
static __always_inline long syscall_nr(struct pt_regs **regs)
{
	if (!bpf_core_field_exists(((struct pt_regs *)0)->orig_ax))
		return -1;
	*regs = (struct pt_regs *)bpf_task_pt_regs(bpf_get_current_task_btf());
	return (*regs)->orig_ax & ~X32_SYSCALL_BIT;
}

/*
 * delete_module() has no LSM hook but asks capable(CAP_SYS_MODULE) first:
 * under "kernel module signed" or "deny", unloading is refused (-EPERM),
 * so that what runs beneath the access control stays as ward started it
 * (GB/T 39276 5.1.1.2 c).  Told apart from the loads by the system call
 * number, where pt_regs has one (x86); elsewhere unloading is not
 * refused, which the admin guide says.
 */
SEC("lsm/capable")
int BPF_PROG(hook_capable_module, const struct cred *cred,
	     struct user_namespace *ns, int cap, unsigned int opts)
{
	struct decision d = { .op = WARD_OP_MODULE,
			      .access = WARD_MODULE_UNLOAD };
	/* No paths: capable() may be called under task_lock(). */
	struct event_about about = {};
	struct ward_kernel *k;
	struct pt_regs *regs;
	struct subject s;
	void *policy;
	long nr;
	int err;

	if (cap != CAP_SYS_MODULE)
		return 0;
	nr = syscall_nr(&regs);
	if (nr != NR_DELETE_MODULE && nr != NR_DELETE_MODULE_IA32)
		return 0;
	k = settings(&policy);
	if (!k || k->module == WARD_KERNEL_MODULE_ALLOW)
		return 0;
	subject_get(policy, &s);
	err = refuse(policy, &s, &d, -EPERM, false);
	/*
	 * Without the module's name: it is still in the caller's memory, and
	 * under lockdown libbpf turns bpf_probe_read_user_str() into a helper
	 * LSM programs may not call.
	 */
	event_report(&d, &s, &about);
	return err;
}

#define CAP_SYS_BOOT 22
/* reboot's number on x86-64 and in its 32-bit ABI. */
#define NR_REBOOT 169
#define NR_REBOOT_IA32 88

/*
 * reboot(2) has no LSM hook but asks capable(CAP_SYS_BOOT) first: who asked
 * for a restart, halt, power-off or kexec is reported (an audit event) for
 * the security log's SHUTDOWN record (GB/T 39276 5.1.1.3 a), so that a
 * "reboot -ff", which no service sees, is recorded too.  The command is
 * the third argument in both ABIs (rdx, edx).  Reported whether the call
 * then succeeds or not: the kernel checks the magic numbers afterwards.
 */
SEC("lsm/capable")
int BPF_PROG(hook_capable_reboot, const struct cred *cred,
	     struct user_namespace *ns, int cap, unsigned int opts)
{
	struct decision d = { .op = WARD_OP_REBOOT, .type = WARD_EVENT_AUDIT };
	/* No paths: capable() may be called under task_lock(). */
	struct event_about about = {};
	struct pt_regs *regs;
	struct subject s;
	void *policy;
	long nr;

	if (cap != CAP_SYS_BOOT)
		return 0;
	nr = syscall_nr(&regs);
	if (nr != NR_REBOOT && nr != NR_REBOOT_IA32)
		return 0;
	policy = policy_active();
	if (!policy)
		return 0;
	d.access = (__u32)regs->dx;
	subject_get(policy, &s);
	stat_inc(WARD_STAT_AUDITED);
	event_report(&d, &s, &about);
	return 0;
}
