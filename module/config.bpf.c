// SPDX-License-Identifier: GPL-2.0
/*
 * ward - changes to the core configuration, reported for the security
 * log's CONFIG_CHANGE records (GB/T 39276 5.1.1.3 a: time, type, subject
 * and result): the system clock, sysctls and module loads; mounts are
 * mount.bpf.c's.  Each is reported whenever a policy is active, with no
 * statement asking for it, and only once it has succeeded: from the
 * return of the kernel function that made the change (fexit), never from
 * an LSM hook, which asks before the change and may see it fail.
 */

#define WARD_OBJECT config
#include "config.bpf.h"
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

#define ADJ_SETOFFSET 0x0100
#define STA_NANO 0x2000

/* The clock set, @how, to @sec seconds and @nsec nanoseconds. */
static __always_inline void report_clock(__u32 how, __s64 sec, __s64 nsec)
{
	struct ward_event *ev = config_event(WARD_OP_CLOCK, how);

	if (!ev)
		return;
	ev->object.dev = sec;
	ev->object.ino = nsec;
	bpf_ringbuf_submit(ev, 0);
}

/*
 * Where every setting of the clock to a time ends: settimeofday() and
 * clock_settime(CLOCK_REALTIME) (through do_sys_settimeofday64()), and the
 * kernel's own (a hypervisor's time sync).  The LSM hook settime asks
 * before, and the kernel may still refuse the time (EINVAL).
 */
SEC("fexit/do_settimeofday64")
int BPF_PROG(fexit_do_settimeofday64, const struct timespec64 *ts, int ret)
{
	if (!ret)
		report_clock(WARD_CLOCK_SET, ts->tv_sec, ts->tv_nsec);
	return 0;
}

/*
 * adjtimex() and clock_adjtime(CLOCK_REALTIME): only ADJ_SETOFFSET sets
 * the time, by a step.  The rest steers it (NTP's offset, frequency and
 * status, which chronyd or ntpd change every few seconds) and is not
 * reported.  On return @txc holds the time after the step (microseconds
 * unless STA_NANO); the step's size is gone, and a non-negative return is
 * the clock's state.
 */
SEC("fexit/do_adjtimex")
int BPF_PROG(fexit_do_adjtimex, struct __kernel_timex *txc, int ret)
{
	__s64 nsec;

	if (ret < 0 || !(txc->modes & ADJ_SETOFFSET))
		return 0;
	nsec = txc->time.tv_usec;
	if (!(txc->status & STA_NANO))
		nsec *= 1000;
	report_clock(WARD_CLOCK_STEP, txc->time.tv_sec, nsec);
	return 0;
}

static const char sysctl_fmt[] = "/proc/sys%s%s%s%s%s%s%s%s%s%s%s";

/*
 * A write to /proc/sys that the sysctl's handler took (@ret bytes), and
 * what was written.  Of the choices, the cgroup sysctl program
 * (BPF_PROG_TYPE_CGROUP_SYSCTL on the root cgroup) is the one that sees
 * the new value, the kernel's copy of it, but it runs before the handler,
 * which may still refuse the value (EINVAL); it also needs a cgroup2
 * mount to attach to.  Here, on return, that copy is freed: the value is
 * read from the writer's buffer, which write(2) and pwrite(2) hand over
 * whole (ITER_UBUF; a writev(2)'s vector has moved on, and its value is
 * not read).  bpf_snprintf()'s "%pus" reads it, which a locked-down
 * kernel allows, unlike bpf_probe_read_user() (libbpf turns it into
 * bpf_probe_read() where lockdown hides bpf_probe_read_kernel()).  It
 * reads up to a NUL, which the buffer need not have, and is cut to the
 * bytes written.  A writer that changes its buffer after the write (a
 * second thread) changes what is reported, not what was set.
 */
static __always_inline void sysctl_value(struct ward_event *ev,
					 struct iov_iter *iter, __u32 len)
{
	struct iov_iter *it = untrusted(iter);
	__u64 args[1];

	ev->value_len = len;
	if (it->iter_type != bpf_core_enum_value(enum iter_type, ITER_UBUF))
		return;
	args[0] = (__u64)it->ubuf;
	if (bpf_snprintf(ev->value, sizeof(ev->value), "%pus", args,
			 sizeof(args)) > 0 &&
	    len < sizeof(ev->value))
		ev->value[len & (sizeof(ev->value) - 1)] = '\0';
}

SEC("fexit/proc_sys_call_handler")
int BPF_PROG(fexit_proc_sys_call_handler, struct kiocb *iocb,
	     struct iov_iter *iter, int write, ssize_t ret)
{
	struct ward_event *ev;
	struct dentry *dentry;
	struct file *file;

	if (!write || ret <= 0)
		return 0;
	ev = config_event(WARD_OP_SYSCTL, WARD_ACCESS_WRITE);
	if (!ev)
		return 0;
	file = untrusted(iocb)->ki_filp;
	dentry = file->f_path.dentry;
	event_inode(ev, file->f_inode);
	ev->cap = ret;
	sysctl_value(ev, iter, ret);
	mount_walk_path(ev->path, sizeof(ev->path), sysctl_fmt, dentry, NULL,
		  dentry->d_sb->s_root);
	bpf_ringbuf_submit(ev, 0);
	return 0;
}

/*
 * init_module() and finit_module(), once the module's init function has
 * succeeded; a failed one is freed before this returns.  The name is the
 * module's own (struct module.name, inline).
 */
SEC("fexit/do_init_module")
int BPF_PROG(fexit_do_init_module, struct module *mod, int ret)
{
	struct ward_event *ev;

	if (ret)
		return 0;
	ev = config_event(WARD_OP_MODULE, WARD_MODULE_LOADED);
	if (!ev)
		return 0;
	/* The smaller of the two: struct module's is MODULE_NAME_LEN. */
	_Static_assert(sizeof(mod->name) <= sizeof(ev->name),
		       "a module's name fits an event's");
	__builtin_memcpy(ev->name, untrusted(mod)->name, sizeof(mod->name));
	ev->name[sizeof(mod->name) - 1] = '\0';
	bpf_ringbuf_submit(ev, 0);
	return 0;
}
