// SPDX-License-Identifier: GPL-2.0
/*
 * ward - events as people and programs read them
 */

#include <string.h>
#include <time.h>
#include <linux/bpf.h>

#include "event.h"
#include "policy_names.h"

static const char *const op_names[WARD_OP_MAX] = {
	[WARD_OP_OPEN] = "open",	 [WARD_OP_TRUNCATE] = "truncate",
	[WARD_OP_CREATE] = "create",	 [WARD_OP_MKDIR] = "mkdir",
	[WARD_OP_SYMLINK] = "symlink",	 [WARD_OP_UNLINK] = "unlink",
	[WARD_OP_RMDIR] = "rmdir",	 [WARD_OP_LINK] = "link",
	[WARD_OP_RENAME] = "rename",	 [WARD_OP_SETATTR] = "setattr",
	[WARD_OP_CHMOD] = "chmod",	 [WARD_OP_CHOWN] = "chown",
	[WARD_OP_EXEC] = "exec",	 [WARD_OP_MMAP] = "mmap",
	[WARD_OP_MPROTECT] = "mprotect", [WARD_OP_MOUNT] = "mount",
	[WARD_OP_SOCKET] = "socket",	 [WARD_OP_BIND] = "bind",
	[WARD_OP_CONNECT] = "connect",	 [WARD_OP_CAPABLE] = "capable",
	[WARD_OP_UMOUNT] = "umount",	 [WARD_OP_PIVOT_ROOT] = "pivot_root",
	[WARD_OP_UNPIN] = "unpin",
	[WARD_OP_RECEIVE] = "receive",	 [WARD_OP_PTRACE] = "ptrace",
	[WARD_OP_BPF] = "bpf",		 [WARD_OP_SIGNAL] = "signal",
	[WARD_OP_PRCTL] = "prctl",	 [WARD_OP_MODULE] = "module",
	[WARD_OP_KEXEC] = "kexec",	 [WARD_OP_KMEM] = "kmem",
	[WARD_OP_REBOOT] = "reboot",	 [WARD_OP_CLOCK] = "clock",
	[WARD_OP_SYSCTL] = "sysctl",	 [WARD_OP_MOUNTED] = "mounted",
	[WARD_OP_UNMOUNTED] = "unmounted",
};

const char *event_op_name(__u32 op)
{
	return op < WARD_OP_MAX && op_names[op] ? op_names[op] : "unknown";
}

enum event_kind event_kind(const struct ward_event *ev)
{
	switch (ev->op) {
	case WARD_OP_SOCKET:
		return EVENT_SOCKET;
	case WARD_OP_BIND:
	case WARD_OP_CONNECT:
		return EVENT_NET;
	case WARD_OP_CAPABLE:
		return EVENT_CAP;
	case WARD_OP_PTRACE:
		return EVENT_PTRACE;
	case WARD_OP_SIGNAL:
		return EVENT_SIGNAL;
	case WARD_OP_BPF:
		return EVENT_BPF;
	case WARD_OP_PRCTL:
	case WARD_OP_MODULE:
	case WARD_OP_KEXEC:
	case WARD_OP_REBOOT:
		return EVENT_KERNEL;
	case WARD_OP_CLOCK:
		return EVENT_CLOCK;
	case WARD_OP_SYSCTL:
		return EVENT_SYSCTL;
	case WARD_OP_MOUNTED:
	case WARD_OP_UNMOUNTED:
		return EVENT_MOUNT;
	default:
		return EVENT_FILE;
	}
}

const char *event_type_name(const struct ward_event *ev)
{
	switch (ev->type) {
	case WARD_EVENT_DENIED:
		return "denial";
	case WARD_EVENT_COMPLAIN:
		return "complain";
	case WARD_EVENT_AUDIT:
		return "audit";
	}
	return "unknown";
}

static const char *result_name(const struct ward_event *ev)
{
	return ev->type == WARD_EVENT_DENIED ? "denied" : "allowed";
}

static const char *family_name(__u16 family)
{
	switch (family) {
	case 1:
		return "unix";
	case 2:
		return "inet";
	case 10:
		return "inet6";
	case 16:
		return "netlink";
	case 17:
		return "packet";
	}
	return "other";
}

static const char *proto_name(__u16 proto)
{
	const char *name = policy_proto_name(proto);

	return name ? name : "other";
}

/* The kind of socket a creation event is about: tcp, sctp, icmp, unix... */
static const char *socket_name(const struct ward_event *ev)
{
	const char *name;

	if (!ev->access)
		return proto_name(ev->proto);
	name = policy_family_name(ev->access);
	return name ? name : "other";
}

/* The bpf(2) commands ward refuses. */
static const char *bpf_cmd_name(__u32 cmd)
{
	switch (cmd) {
	case BPF_PROG_LOAD:
		return "prog_load";
	case BPF_MAP_GET_FD_BY_ID:
		return "map_get_fd";
	case BPF_PROG_GET_FD_BY_ID:
		return "prog_get_fd";
	}
	return NULL;
}

/* LINUX_REBOOT_CMD_* of <linux/reboot.h>, as reboot(8) names them. */
static const char *reboot_cmd_name(__u32 cmd)
{
	switch (cmd) {
	case 0x01234567:
		return "restart";
	case 0xa1b2c3d4:
		return "restart2";
	case 0xcdef0123:
		return "halt";
	case 0x4321fedc:
		return "poweroff";
	case 0x45584543:
		return "kexec";
	case 0xd000fce2:
		return "suspend";
	case 0x89abcdef:
		return "cad_on";
	case 0:
		return "cad_off";
	}
	return NULL;
}

/* What a WARD_OP_PRCTL, WARD_OP_MODULE, WARD_OP_KEXEC or WARD_OP_REBOOT
 * event reports. */
static const char *kernel_access_name(const struct ward_event *ev)
{
	switch (ev->op) {
	case WARD_OP_PRCTL:
		return ev->access == 13 ? "set_mm_exe_file" :
		       ev->access == 14 ? "set_mm_map" :
					  NULL;
	case WARD_OP_MODULE:
		return ev->access == WARD_MODULE_UNSIGNED  ? "unsigned" :
		       ev->access == WARD_MODULE_UNTRUSTED ? "untrusted" :
		       ev->access == WARD_MODULE_DENIED	   ? "denied" :
		       ev->access == WARD_MODULE_UNLOAD	   ? "unload" :
		       ev->access == WARD_MODULE_SIG_ENFORCE ? "sig_enforce" :
		       ev->access == WARD_MODULE_LOADED	     ? "loaded" :
							       NULL;
	case WARD_OP_KEXEC:
		return "load";
	case WARD_OP_REBOOT:
		return reboot_cmd_name(ev->access);
	}
	return NULL;
}

/* mount(2)'s flags (struct ward_event.cap of a WARD_OP_MOUNTED event). */
#define MS_REMOUNT 32
#define MS_BIND 4096
#define MS_MOVE 8192
#define MS_PROPAGATION ((1 << 17) | (1 << 18) | (1 << 19) | (1 << 20))

/* What a WARD_OP_MOUNTED or WARD_OP_UNMOUNTED event's change was. */
static const char *mount_access_name(const struct ward_event *ev)
{
	if (ev->op == WARD_OP_UNMOUNTED)
		return "umount";
	if (ev->cap & MS_MOVE)
		return "move";
	if (ev->cap & MS_REMOUNT)
		return "remount";
	if (ev->cap & MS_BIND)
		return "bind";
	if (ev->cap & MS_PROPAGATION)
		return "propagation";
	return "new";
}

/* The name of the access an event reports, by its kind. */
static const char *access_name(const struct ward_event *ev)
{
	static __thread char buf[128];
	const char *name = NULL;

	switch (event_kind(ev)) {
	case EVENT_FILE:
		name = policy_access_list(ev->access, buf, sizeof(buf));
		break;
	case EVENT_NET:
		if (!(ev->access & ~(WARD_NET_BIND | WARD_NET_CONNECT)))
			name = policy_net_op_list(ev->access, buf, sizeof(buf));
		break;
	case EVENT_SOCKET:
		name = "create";
		break;
	case EVENT_CAP:
		name = policy_cap_name(ev->cap);
		break;
	case EVENT_PTRACE:
		name = ev->access == WARD_PTRACE_ATTACH	 ? "attach" :
		       ev->access == WARD_PTRACE_TRACEME ? "traceme" :
		       ev->access == WARD_PTRACE_EXEC	 ? "exec" :
							   NULL;
		break;
	case EVENT_SIGNAL:
		name = ev->access < 65 ? sigabbrev_np(ev->access) : NULL;
		break;
	case EVENT_BPF:
		name = bpf_cmd_name(ev->access);
		break;
	case EVENT_KERNEL:
		name = kernel_access_name(ev);
		break;
	case EVENT_CLOCK:
		name = ev->access == WARD_CLOCK_SET  ? "set" :
		       ev->access == WARD_CLOCK_STEP ? "step" :
						       NULL;
		break;
	case EVENT_SYSCTL:
		name = "write";
		break;
	case EVENT_MOUNT:
		name = mount_access_name(ev);
		break;
	}
	return name && *name ? name : "unknown";
}

/* The kernel fills these without a guarantee of termination. */
static void copy_str(char *dst, const char *src, size_t size, size_t max)
{
	size_t len = strnlen(src, max);

	if (len >= size)
		len = size - 1;
	memcpy(dst, src, len);
	dst[len] = '\0';
}

void event_object_path(const struct ward_event *ev, char *buf, size_t size)
{
	char dir[WARD_EVENT_PATH_MAX + 1], name[sizeof(ev->name) + 1];

	copy_str(dir, ev->path, sizeof(dir), sizeof(ev->path));
	if (!(ev->flags & WARD_EVENT_PATH_PARENT)) {
		copy_str(buf, dir, size, sizeof(dir));
		return;
	}
	copy_str(name, ev->name, sizeof(name), sizeof(ev->name));
	if (ev->flags & WARD_EVENT_OBJECT_DIR)
		copy_str(buf, dir, size, sizeof(dir));
	else if (!dir[0])
		snprintf(buf, size, "%s", name);
	else
		snprintf(buf, size, "%s%s%s", dir, strcmp(dir, "/") ? "/" : "",
			 name);
}

const char *event_path_missing(__u8 why)
{
	static const char *const names[WARD_PATH_MISSING_MAX] = {
		[WARD_PATH_MOUNT] = "mount",
		[WARD_PATH_TOO_LONG] = "too_long",
		[WARD_PATH_TOO_DEEP] = "too_deep",
		[WARD_PATH_UNREADABLE] = "unreadable",
		[WARD_PATH_NONE] = "none",
	};

	if (why == WARD_PATH_WHOLE)
		return NULL;
	return why < WARD_PATH_MISSING_MAX ? names[why] : "unknown";
}

__s64 event_boot_offset(void)
{
	struct timespec real, boot;

	clock_gettime(CLOCK_REALTIME, &real);
	clock_gettime(CLOCK_BOOTTIME, &boot);
	return (real.tv_sec - boot.tv_sec) * 1000000000LL +
	       (real.tv_nsec - boot.tv_nsec);
}

__u64 event_realtime_ns(const struct ward_event *ev, __s64 boot_offset_ns)
{
	return ev->boot_ns + boot_offset_ns;
}

static void format_time(__u64 ns, char *buf, size_t size)
{
	time_t sec = ns / 1000000000;
	struct tm tm;
	size_t len;

	gmtime_r(&sec, &tm);
	len = strftime(buf, size, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + len, size - len, ".%06lluZ",
		 (unsigned long long)(ns % 1000000000) / 1000);
}

/*
 * Copies @src to @dst with '"', '\\' and control characters escaped (\",
 * \\, \xHH): a subject chooses its comm and the names of its files, and
 * must not end a field or the line with them.  @size must be at least
 * 4 * strlen(@src) + 1, or the copy stops short.
 */
static void escape(char *dst, size_t size, const char *src)
{
	size_t n = 0;

	for (; *src && n + 4 < size; src++) {
		unsigned char c = *src;

		if (c == '"' || c == '\\') {
			dst[n++] = '\\';
			dst[n++] = c;
		} else if (c < 0x20 || c == 0x7f) {
			n += snprintf(dst + n, size - n, "\\x%02x", c);
		} else {
			dst[n++] = c;
		}
	}
	dst[n] = '\0';
}

static void add_str(json_object *obj, const char *key, const char *value)
{
	json_object_object_add(obj, key, json_object_new_string(value));
}

static void add_int(json_object *obj, const char *key, __s64 value)
{
	json_object_object_add(obj, key, json_object_new_int64(value));
}

/*
 * @key: @ev's value (a sysctl's, a mount's source), and "@key_truncated"
 * when it is not whole (struct ward_event.value_len); neither when there
 * is none.
 */
static void add_value(json_object *obj, const char *key,
		      const struct ward_event *ev)
{
	char str[sizeof(ev->value) + 1], name[32];

	if (!ev->value_len)
		return;
	copy_str(str, ev->value, sizeof(str), sizeof(ev->value));
	add_str(obj, key, str);
	snprintf(name, sizeof(name), "%s_truncated", key);
	json_object_object_add(
		obj, name, json_object_new_boolean(ev->value_len > strlen(str)));
}

/* @key: why the path is not whole, only when it is not. */
static void add_missing(json_object *obj, const char *key, __u8 why)
{
	const char *name = event_path_missing(why);

	if (name)
		add_str(obj, key, name);
}

/* The time a WARD_OP_CLOCK event's clock was set to, in nanoseconds. */
static __u64 clock_set_ns(const struct ward_event *ev)
{
	return ev->object.dev * 1000000000 + ev->object.ino;
}

json_object *event_json(const struct ward_event *ev, __s64 boot_offset_ns)
{
	char path[2 * WARD_EVENT_PATH_MAX], str[WARD_EVENT_PATH_MAX + 1];
	__u64 ns = event_realtime_ns(ev, boot_offset_ns);
	json_object *obj = json_object_new_object();

	format_time(ns, str, sizeof(str));
	add_str(obj, "time", str);
	json_object_object_add(obj, "time_ns", json_object_new_uint64(ns));
	add_str(obj, "type", event_type_name(ev));
	add_str(obj, "result", result_name(ev));
	add_int(obj, "error", ev->error);
	add_str(obj, "op", event_op_name(ev->op));
	add_str(obj, "access", access_name(ev));
	switch (event_kind(ev)) {
	case EVENT_FILE:
		event_object_path(ev, path, sizeof(path));
		add_str(obj, "path", path);
		add_missing(obj, "path_missing", ev->path_missing);
		copy_str(str, ev->name, sizeof(str), sizeof(ev->name));
		add_str(obj, "name", str);
		json_object_object_add(obj, "dev",
				       json_object_new_uint64(ev->object.dev));
		json_object_object_add(obj, "ino",
				       json_object_new_uint64(ev->object.ino));
		add_int(obj, "label", ev->label);
		json_object_object_add(
			obj, "walk_limit",
			json_object_new_boolean(
				!!(ev->flags & WARD_EVENT_WALK_LIMIT)));
		json_object_object_add(
			obj, "map_full",
			json_object_new_boolean(
				!!(ev->flags & WARD_EVENT_MAP_FULL)));
		json_object_object_add(
			obj, "beneath",
			json_object_new_boolean(
				!!(ev->flags & WARD_EVENT_BENEATH)));
		break;
	case EVENT_NET:
		add_str(obj, "proto", proto_name(ev->proto));
		add_int(obj, "port", ev->port);
		add_str(obj, "family", family_name(ev->family));
		break;
	case EVENT_SOCKET:
		add_str(obj, "socket", socket_name(ev));
		add_str(obj, "family", family_name(ev->family));
		break;
	case EVENT_CAP:
		add_int(obj, "cap_number", ev->cap);
		break;
	case EVENT_PTRACE:
	case EVENT_SIGNAL:
		add_int(obj, "target_pid", ev->cap);
		add_int(obj, "target_app", ev->label);
		json_object_object_add(obj, "target_dev",
				       json_object_new_uint64(ev->object.dev));
		json_object_object_add(obj, "target_ino",
				       json_object_new_uint64(ev->object.ino));
		break;
	case EVENT_BPF:
		add_int(obj, ev->access == BPF_PROG_LOAD ? "prog_type" : "id",
			ev->cap);
		break;
	case EVENT_KERNEL:
		event_object_path(ev, path, sizeof(path));
		add_str(obj, "path", path);
		add_missing(obj, "path_missing", ev->path_missing);
		copy_str(str, ev->name, sizeof(str), sizeof(ev->name));
		add_str(obj, "name", str);
		break;
	case EVENT_CLOCK:
		format_time(clock_set_ns(ev), str, sizeof(str));
		add_str(obj, "clock", str);
		add_int(obj, "clock_sec", (__s64)ev->object.dev);
		add_int(obj, "clock_nsec", (__s64)ev->object.ino);
		break;
	case EVENT_SYSCTL:
	case EVENT_MOUNT:
		copy_str(str, ev->path, sizeof(str), sizeof(ev->path));
		add_str(obj, "path", str);
		json_object_object_add(obj, "dev",
				       json_object_new_uint64(ev->object.dev));
		json_object_object_add(obj, "ino",
				       json_object_new_uint64(ev->object.ino));
		if (event_kind(ev) == EVENT_SYSCTL) {
			add_int(obj, "bytes", ev->cap);
			add_value(obj, "value", ev);
			break;
		}
		copy_str(str, ev->name, sizeof(str), sizeof(ev->name));
		add_str(obj, "fstype", str);
		add_value(obj, "source", ev);
		add_int(obj, "flags", ev->cap);
		break;
	}
	add_int(obj, "pid", ev->pid);
	add_int(obj, "tid", ev->tid);
	add_int(obj, "uid", ev->uid);
	add_int(obj, "euid", ev->euid);
	/* -1 (unset) as the kernel's audit records print it. */
	add_int(obj, "loginuid", (__s32)ev->loginuid);
	add_int(obj, "sessionid", (__s32)ev->sessionid);
	copy_str(str, ev->comm, sizeof(str), sizeof(ev->comm));
	add_str(obj, "comm", str);
	copy_str(str, ev->exe, sizeof(str), sizeof(ev->exe));
	add_str(obj, "exe", str);
	add_missing(obj, "exe_missing", ev->exe_missing);
	add_int(obj, "app", ev->app);
	return obj;
}

/* " KEY=\"VALUE\"" of @ev's value, escaped, "..." after it when cut
 * short; "" when there is none. */
static void value_text(const struct ward_event *ev, const char *key,
		       char *buf, size_t size)
{
	char str[sizeof(ev->value) + 1], q[4 * sizeof(str)];

	buf[0] = '\0';
	if (!ev->value_len)
		return;
	copy_str(str, ev->value, sizeof(str), sizeof(ev->value));
	escape(q, sizeof(q), str);
	snprintf(buf, size, " %s=\"%s\"%s", key, q,
		 ev->value_len > strlen(str) ? "..." : "");
}

void event_print(const struct ward_event *ev, __s64 boot_offset_ns,
		 const char *app_name, FILE *out)
{
	char path[2 * WARD_EVENT_PATH_MAX], qpath[4 * sizeof(path)];
	char comm[sizeof(ev->comm) + 1], exe[sizeof(ev->exe) + 1];
	char qcomm[4 * sizeof(comm)], qexe[4 * sizeof(exe)];
	char name[sizeof(ev->name) + 1], qname[4 * sizeof(name)];
	char when[64], object[sizeof(qpath) + sizeof(qname) + 128];
	char missing[64] = "", exe_missing[64] = "";
	char qvalue[4 * sizeof(ev->value) + 64];

	format_time(event_realtime_ns(ev, boot_offset_ns), when, sizeof(when));
	if (event_path_missing(ev->path_missing))
		snprintf(missing, sizeof(missing), " path_missing=%s",
			 event_path_missing(ev->path_missing));
	if (event_path_missing(ev->exe_missing))
		snprintf(exe_missing, sizeof(exe_missing), " exe_missing=%s",
			 event_path_missing(ev->exe_missing));
	switch (event_kind(ev)) {
	case EVENT_FILE:
		event_object_path(ev, path, sizeof(path));
		escape(qpath, sizeof(qpath), path);
		snprintf(object, sizeof(object),
			 "path=\"%s\"%s ino=%llu:%llu label=%u%s%s%s", qpath,
			 missing,
			 (unsigned long long)ev->object.dev,
			 (unsigned long long)ev->object.ino, ev->label,
			 ev->flags & WARD_EVENT_WALK_LIMIT ? " walk_limit" : "",
			 ev->flags & WARD_EVENT_MAP_FULL ? " map_full" : "",
			 ev->flags & WARD_EVENT_BENEATH ? " beneath" : "");
		break;
	case EVENT_NET:
		snprintf(object, sizeof(object), "%s:%u family=%s",
			 proto_name(ev->proto), ev->port,
			 family_name(ev->family));
		break;
	case EVENT_SOCKET:
		snprintf(object, sizeof(object), "socket=%s family=%s",
			 socket_name(ev), family_name(ev->family));
		break;
	case EVENT_CAP:
		snprintf(object, sizeof(object), "cap=%u", ev->cap);
		break;
	case EVENT_PTRACE:
	case EVENT_SIGNAL:
		snprintf(object, sizeof(object),
			 "target_pid=%u target_app=%u target_ino=%llu:%llu",
			 ev->cap, ev->label, (unsigned long long)ev->object.dev,
			 (unsigned long long)ev->object.ino);
		break;
	case EVENT_BPF:
		snprintf(object, sizeof(object), "%s=%u",
			 ev->access == BPF_PROG_LOAD ? "prog_type" : "id",
			 ev->cap);
		break;
	case EVENT_KERNEL:
		event_object_path(ev, path, sizeof(path));
		escape(qpath, sizeof(qpath), path);
		copy_str(name, ev->name, sizeof(name), sizeof(ev->name));
		escape(qname, sizeof(qname), name);
		snprintf(object, sizeof(object), "path=\"%s\"%s name=\"%s\"",
			 qpath, missing, qname);
		break;
	case EVENT_CLOCK:
		format_time(clock_set_ns(ev), path, sizeof(path));
		snprintf(object, sizeof(object), "clock=%s", path);
		break;
	case EVENT_SYSCTL:
		copy_str(path, ev->path, sizeof(path), sizeof(ev->path));
		escape(qpath, sizeof(qpath), path);
		value_text(ev, "value", qvalue, sizeof(qvalue));
		snprintf(object, sizeof(object),
			 "path=\"%s\" ino=%llu:%llu bytes=%u%s", qpath,
			 (unsigned long long)ev->object.dev,
			 (unsigned long long)ev->object.ino, ev->cap, qvalue);
		break;
	case EVENT_MOUNT:
		copy_str(path, ev->path, sizeof(path), sizeof(ev->path));
		escape(qpath, sizeof(qpath), path);
		/* The type is the caller's string: escaped too. */
		copy_str(name, ev->name, sizeof(name), sizeof(ev->name));
		escape(qname, sizeof(qname), name);
		value_text(ev, "source", qvalue, sizeof(qvalue));
		snprintf(object, sizeof(object),
			 "path=\"%s\" ino=%llu:%llu fstype=\"%s\"%s flags=%#x",
			 qpath, (unsigned long long)ev->object.dev,
			 (unsigned long long)ev->object.ino, qname, qvalue,
			 ev->cap);
		break;
	}
	copy_str(comm, ev->comm, sizeof(comm), sizeof(ev->comm));
	copy_str(exe, ev->exe, sizeof(exe), sizeof(ev->exe));
	escape(qcomm, sizeof(qcomm), comm);
	escape(qexe, sizeof(qexe), exe);
	fprintf(out,
		"%s %s %s %s %s %s pid=%u uid=%u euid=%u auid=%d ses=%d comm=\"%s\" exe=\"%s\"%s ",
		when, event_type_name(ev), result_name(ev), access_name(ev),
		event_op_name(ev->op), object, ev->pid, ev->uid, ev->euid,
		(__s32)ev->loginuid, (__s32)ev->sessionid, qcomm, qexe,
		exe_missing);
	if (app_name)
		fprintf(out, "app=%s\n", app_name);
	else
		fprintf(out, "app=%u\n", ev->app);
}
