// SPDX-License-Identifier: GPL-2.0
/*
 * ward unit tests - events as JSON and as text (event.c)
 *
 * Events of each kind (files, ports, sockets, capabilities) are built by
 * hand as the BPF programs fill them, including strings the kernel left
 * unterminated, and checked field by field and line by line.
 */

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <json-c/json.h>
#include <linux/bpf.h>

#include "unit.h"
#include "event.h"
#include "policy.h"
#include "policy_names.h"

/* 2023-11-14T22:13:20.123456789Z, 5.123456789 s after boot. */
#define BOOT_NS 5123456789ULL
#define OFFSET_NS 1699999995000000000LL
#define TIME_NS 1700000000123456789ULL
#define TIME_STR "2023-11-14T22:13:20.123456Z"
#define DEV ((8ULL << 20) | 1)

/* Fields every event has, and how many the JSON of each kind has. */
#define COMMON_FIELDS 16
#define FILE_FIELDS (COMMON_FIELDS + 8)
#define NET_FIELDS (COMMON_FIELDS + 3)
#define SOCKET_FIELDS (COMMON_FIELDS + 2)
#define CAP_FIELDS (COMMON_FIELDS + 1)
#define PTRACE_FIELDS (COMMON_FIELDS + 4)
#define CLOCK_FIELDS (COMMON_FIELDS + 3)
#define SYSCTL_FIELDS (COMMON_FIELDS + 4)
#define MOUNT_FIELDS (COMMON_FIELDS + 5)

/* The subject: pid 100, thread 101, uid 1000 running as root, in no app. */
static void subject(struct ward_event *ev, const char *comm, const char *exe)
{
	memset(ev, 0, sizeof(*ev));
	ev->boot_ns = BOOT_NS;
	ev->pid = 100;
	ev->tid = 101;
	ev->uid = 1000;
	ev->euid = 0;
	ev->type = WARD_EVENT_DENIED;
	strcpy(ev->comm, comm);
	strcpy(ev->exe, exe);
}

/* cat denied opening /etc/passwd for writing. */
static void denial(struct ward_event *ev)
{
	subject(ev, "cat", "/usr/bin/cat");
	ev->object.dev = DEV;
	ev->object.ino = 42;
	ev->op = WARD_OP_OPEN;
	ev->access = WARD_ACCESS_WRITE;
	ev->label = 3;
	ev->error = -EACCES;
	strcpy(ev->path, "/etc/passwd");
}

/* App 2 renaming /srv/data/new.txt, let through by complain mode. */
static void complaint(struct ward_event *ev)
{
	denial(ev);
	ev->type = WARD_EVENT_COMPLAIN;
	ev->op = WARD_OP_RENAME;
	ev->access = WARD_ACCESS_RENAME;
	ev->error = 0;
	ev->label = 0;
	ev->app = 2;
	ev->flags = WARD_EVENT_WALK_LIMIT | WARD_EVENT_PATH_PARENT;
	strcpy(ev->comm, "mv");
	strcpy(ev->exe, "/usr/bin/mv");
	strcpy(ev->path, "/srv/data");
	strcpy(ev->name, "new.txt");
}

/* App 7 creating /srv/data/new.txt, audited: the directory decides. */
static void creation(struct ward_event *ev)
{
	complaint(ev);
	ev->type = WARD_EVENT_AUDIT;
	ev->op = WARD_OP_CREATE;
	ev->access = WARD_ACCESS_WRITE;
	ev->label = 5;
	ev->app = 7;
	ev->flags = WARD_EVENT_PATH_PARENT | WARD_EVENT_OBJECT_DIR;
}

/* App 9, nginx, denied binding TCP port 80. */
static void net_denial(struct ward_event *ev)
{
	subject(ev, "nginx", "/usr/sbin/nginx");
	ev->op = WARD_OP_BIND;
	ev->access = WARD_NET_BIND;
	ev->error = -EACCES;
	ev->app = 9;
	ev->family = AF_INET;
	ev->proto = IPPROTO_TCP;
	ev->port = 80;
}

/* App 9 denied creating a packet socket. */
static void socket_denial(struct ward_event *ev)
{
	subject(ev, "tcpdump", "/usr/bin/tcpdump");
	ev->op = WARD_OP_SOCKET;
	ev->access = WARD_SOCKET_PACKET;
	ev->error = -EACCES;
	ev->app = 9;
	ev->family = AF_PACKET;
}

/* App 9 denied CAP_SYS_ADMIN. */
static void cap_denial(struct ward_event *ev)
{
	subject(ev, "mount", "/usr/bin/mount");
	ev->op = WARD_OP_CAPABLE;
	ev->error = -EPERM;
	ev->app = 9;
	ev->cap = 21;
}

/* gdb, in no app, denied attaching to pid 4242 of app 9, /usr/sbin/sshd. */
static void ptrace_denial(struct ward_event *ev)
{
	subject(ev, "gdb", "/usr/bin/gdb");
	ev->op = WARD_OP_PTRACE;
	ev->access = WARD_PTRACE_ATTACH;
	ev->error = -EPERM;
	ev->label = 9;
	ev->cap = 4242;
	ev->object.dev = DEV;
	ev->object.ino = 77;
}

TEST(event_kind_follows_the_op)
{
	struct ward_event ev;

	memset(&ev, 0, sizeof(ev));
	for (__u32 op = WARD_OP_OPEN; op <= WARD_OP_MOUNT; op++) {
		ev.op = op;
		EXPECT_EQ((int)EVENT_FILE, (int)event_kind(&ev))
		{
			TH_LOG("op %u", op);
		}
	}
	ev.op = WARD_OP_SOCKET;
	EXPECT_EQ((int)EVENT_SOCKET, (int)event_kind(&ev));
	ev.op = WARD_OP_BIND;
	EXPECT_EQ((int)EVENT_NET, (int)event_kind(&ev));
	ev.op = WARD_OP_CONNECT;
	EXPECT_EQ((int)EVENT_NET, (int)event_kind(&ev));
	ev.op = WARD_OP_CAPABLE;
	EXPECT_EQ((int)EVENT_CAP, (int)event_kind(&ev));
	/* A received descriptor is a file; tracing is about a task. */
	ev.op = WARD_OP_RECEIVE;
	EXPECT_EQ((int)EVENT_FILE, (int)event_kind(&ev));
	ev.op = WARD_OP_PTRACE;
	EXPECT_EQ((int)EVENT_PTRACE, (int)event_kind(&ev));
	ev.op = WARD_OP_SIGNAL;
	EXPECT_EQ((int)EVENT_SIGNAL, (int)event_kind(&ev));
	ev.op = WARD_OP_BPF;
	EXPECT_EQ((int)EVENT_BPF, (int)event_kind(&ev));
	ev.op = WARD_OP_PRCTL;
	EXPECT_EQ((int)EVENT_KERNEL, (int)event_kind(&ev));
	ev.op = WARD_OP_MODULE;
	EXPECT_EQ((int)EVENT_KERNEL, (int)event_kind(&ev));
	ev.op = WARD_OP_KEXEC;
	EXPECT_EQ((int)EVENT_KERNEL, (int)event_kind(&ev));
	ev.op = WARD_OP_CLOCK;
	EXPECT_EQ((int)EVENT_CLOCK, (int)event_kind(&ev));
	ev.op = WARD_OP_SYSCTL;
	EXPECT_EQ((int)EVENT_SYSCTL, (int)event_kind(&ev));
	ev.op = WARD_OP_MOUNTED;
	EXPECT_EQ((int)EVENT_MOUNT, (int)event_kind(&ev));
	ev.op = WARD_OP_UNMOUNTED;
	EXPECT_EQ((int)EVENT_MOUNT, (int)event_kind(&ev));
	/* /dev/mem and /proc/kcore are files. */
	ev.op = WARD_OP_KMEM;
	EXPECT_EQ((int)EVENT_FILE, (int)event_kind(&ev));
	/* What ward does not know is shown as a file event. */
	ev.op = 0;
	EXPECT_EQ((int)EVENT_FILE, (int)event_kind(&ev));
	ev.op = WARD_OP_MAX;
	EXPECT_EQ((int)EVENT_FILE, (int)event_kind(&ev));
}

TEST(event_type_names)
{
	static const struct {
		__u32 type;
		const char *name;
	} types[] = {
		{ WARD_EVENT_DENIED, "denial" },
		{ WARD_EVENT_COMPLAIN, "complain" },
		{ WARD_EVENT_AUDIT, "audit" },
		{ 0, "unknown" },
		{ WARD_EVENT_AUDIT + 1, "unknown" },
		{ UINT32_MAX, "unknown" },
	};
	struct ward_event ev;

	memset(&ev, 0, sizeof(ev));
	for (size_t i = 0; i < ARRAY_SIZE(types); i++) {
		ev.type = types[i].type;
		EXPECT_STREQ(types[i].name, event_type_name(&ev));
	}
}

TEST(event_op_names)
{
	static const struct {
		__u32 op;
		const char *name;
	} ops[] = {
		{ WARD_OP_OPEN, "open" },
		{ WARD_OP_TRUNCATE, "truncate" },
		{ WARD_OP_CREATE, "create" },
		{ WARD_OP_MKDIR, "mkdir" },
		{ WARD_OP_SYMLINK, "symlink" },
		{ WARD_OP_UNLINK, "unlink" },
		{ WARD_OP_RMDIR, "rmdir" },
		{ WARD_OP_LINK, "link" },
		{ WARD_OP_RENAME, "rename" },
		{ WARD_OP_SETATTR, "setattr" },
		{ WARD_OP_CHMOD, "chmod" },
		{ WARD_OP_CHOWN, "chown" },
		{ WARD_OP_EXEC, "exec" },
		{ WARD_OP_MMAP, "mmap" },
		{ WARD_OP_MPROTECT, "mprotect" },
		{ WARD_OP_MOUNT, "mount" },
		{ WARD_OP_SOCKET, "socket" },
		{ WARD_OP_BIND, "bind" },
		{ WARD_OP_CONNECT, "connect" },
		{ WARD_OP_CAPABLE, "capable" },
		{ WARD_OP_UMOUNT, "umount" },
		{ WARD_OP_PIVOT_ROOT, "pivot_root" },
		{ WARD_OP_UNPIN, "unpin" },
		{ WARD_OP_RECEIVE, "receive" },
		{ WARD_OP_PTRACE, "ptrace" },
		{ WARD_OP_BPF, "bpf" },
		{ WARD_OP_SIGNAL, "signal" },
		{ WARD_OP_PRCTL, "prctl" },
		{ WARD_OP_MODULE, "module" },
		{ WARD_OP_KEXEC, "kexec" },
		{ WARD_OP_KMEM, "kmem" },
		{ WARD_OP_REBOOT, "reboot" },
		{ WARD_OP_CLOCK, "clock" },
		{ WARD_OP_SYSCTL, "sysctl" },
		{ WARD_OP_MOUNTED, "mounted" },
		{ WARD_OP_UNMOUNTED, "unmounted" },
		{ 0, "unknown" },
		{ WARD_OP_MAX, "unknown" },
		{ UINT32_MAX, "unknown" },
	};

	/* Every op but the sentinels is named. */
	ASSERT_EQ(WARD_OP_MAX + 2, (int)ARRAY_SIZE(ops));
	for (size_t i = 0; i < ARRAY_SIZE(ops); i++) {
		EXPECT_STREQ(ops[i].name, event_op_name(ops[i].op));
	}
}

static const char *object_path(const struct ward_event *ev)
{
	static char buf[2 * WARD_EVENT_PATH_MAX];

	event_object_path(ev, buf, sizeof(buf));
	return buf;
}

TEST(event_object_path_is_the_path)
{
	struct ward_event ev;

	denial(&ev);
	strcpy(ev.name, "ignored");
	EXPECT_STREQ("/etc/passwd", object_path(&ev));
	/* Without an entry, the directory flag changes nothing. */
	ev.flags = WARD_EVENT_OBJECT_DIR;
	EXPECT_STREQ("/etc/passwd", object_path(&ev));
}

TEST(event_object_path_joins_the_directory_and_the_name)
{
	struct ward_event ev;

	complaint(&ev);
	EXPECT_STREQ("/srv/data/new.txt", object_path(&ev));
}

TEST(event_object_path_under_the_root_has_one_slash)
{
	struct ward_event ev;

	complaint(&ev);
	strcpy(ev.path, "/");
	strcpy(ev.name, "etc");
	EXPECT_STREQ("/etc", object_path(&ev));
}

TEST(event_object_path_is_the_name_when_the_directory_is_unknown)
{
	struct ward_event ev;

	complaint(&ev);
	ev.path[0] = '\0';
	EXPECT_STREQ("new.txt", object_path(&ev));
}

TEST(event_object_path_is_the_directory_when_it_decided)
{
	struct ward_event ev;

	creation(&ev);
	EXPECT_STREQ("/srv/data", object_path(&ev));
	strcpy(ev.path, "/");
	EXPECT_STREQ("/", object_path(&ev));
	/* Not the entry's name when the directory is unknown. */
	ev.path[0] = '\0';
	EXPECT_STREQ("", object_path(&ev));
}

TEST(event_object_path_fits_the_buffer)
{
	struct ward_event ev;
	char buf[5];

	denial(&ev);
	memset(buf, 'x', sizeof(buf));
	event_object_path(&ev, buf, sizeof(buf));
	EXPECT_STREQ("/etc", buf);
	memset(buf, 'x', sizeof(buf));
	event_object_path(&ev, buf, 1);
	EXPECT_STREQ("", buf);

	complaint(&ev);
	memset(buf, 'x', sizeof(buf));
	event_object_path(&ev, buf, sizeof(buf));
	EXPECT_STREQ("/srv", buf);
	strcpy(ev.path, "/");
	memset(buf, 'x', sizeof(buf));
	event_object_path(&ev, buf, sizeof(buf));
	EXPECT_STREQ("/new", buf);

	creation(&ev);
	memset(buf, 'x', sizeof(buf));
	event_object_path(&ev, buf, sizeof(buf));
	EXPECT_STREQ("/srv", buf);
}

TEST(event_realtime_adds_the_boot_offset)
{
	struct ward_event ev;

	denial(&ev);
	EXPECT_EQ(TIME_NS, event_realtime_ns(&ev, OFFSET_NS));
	EXPECT_EQ(BOOT_NS, event_realtime_ns(&ev, 0));
	EXPECT_EQ(BOOT_NS - 123456789, event_realtime_ns(&ev, -123456789));
}

TEST(event_boot_offset_maps_boottime_to_realtime)
{
	struct timespec boot, real;
	struct ward_event ev;
	__s64 offset, diff;

	memset(&ev, 0, sizeof(ev));
	ASSERT_EQ(0, clock_gettime(CLOCK_BOOTTIME, &boot));
	offset = event_boot_offset();
	ASSERT_EQ(0, clock_gettime(CLOCK_REALTIME, &real));
	ev.boot_ns = boot.tv_sec * 1000000000ULL + boot.tv_nsec;
	diff = (real.tv_sec * 1000000000LL + real.tv_nsec) -
	       (__s64)event_realtime_ns(&ev, offset);
	EXPECT_LE(0, diff);
	EXPECT_GT(1000000000LL, diff);
}

/* The string @key of @obj; NULL if it is missing or not a string. */
static const char *jstr(json_object *obj, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(obj, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

/* The integer @key of @obj; INT64_MIN if it is missing or not an integer. */
static int64_t jint(json_object *obj, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(obj, key, &v) ||
	    !json_object_is_type(v, json_type_int))
		return INT64_MIN;
	return json_object_get_int64(v);
}

static uint64_t juint(json_object *obj, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(obj, key, &v) ||
	    !json_object_is_type(v, json_type_int))
		return 0;
	return json_object_get_uint64(v);
}

/* The boolean @key of @obj: 0, 1, or -1 if missing or not a boolean. */
static int jbool(json_object *obj, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(obj, key, &v) ||
	    !json_object_is_type(v, json_type_boolean))
		return -1;
	return !!json_object_get_boolean(v);
}

static bool jhas(json_object *obj, const char *key)
{
	return json_object_object_get_ex(obj, key, NULL);
}

/* The subject's fields, as subject() and its callers set them. */
static void expect_subject(struct __test_metadata *_metadata, json_object *obj,
			   const char *comm, const char *exe, int64_t app)
{
	EXPECT_STREQ(TIME_STR, jstr(obj, "time"));
	EXPECT_EQ(TIME_NS, juint(obj, "time_ns"));
	EXPECT_EQ(100, jint(obj, "pid"));
	EXPECT_EQ(101, jint(obj, "tid"));
	EXPECT_EQ(1000, jint(obj, "uid"));
	EXPECT_EQ(0, jint(obj, "euid"));
	EXPECT_STREQ(comm, jstr(obj, "comm"));
	EXPECT_STREQ(exe, jstr(obj, "exe"));
	EXPECT_EQ(app, jint(obj, "app"));
}

TEST(event_json_reports_a_file_denial)
{
	struct ward_event ev;
	json_object *obj;

	denial(&ev);
	obj = event_json(&ev, OFFSET_NS);
	ASSERT_NE(NULL, obj);
	expect_subject(_metadata, obj, "cat", "/usr/bin/cat", 0);
	EXPECT_STREQ("denial", jstr(obj, "type"));
	EXPECT_STREQ("denied", jstr(obj, "result"));
	EXPECT_EQ(-EACCES, jint(obj, "error"));
	EXPECT_STREQ("open", jstr(obj, "op"));
	EXPECT_STREQ("write", jstr(obj, "access"));
	EXPECT_STREQ("/etc/passwd", jstr(obj, "path"));
	EXPECT_STREQ("", jstr(obj, "name"));
	EXPECT_EQ(DEV, juint(obj, "dev"));
	EXPECT_EQ(42ULL, juint(obj, "ino"));
	EXPECT_EQ(3, jint(obj, "label"));
	EXPECT_EQ(0, jbool(obj, "walk_limit"));
	EXPECT_EQ(0, jbool(obj, "map_full"));
	EXPECT_EQ(0, jbool(obj, "beneath"));
	/* Nothing else: a new field is a change of the output format. */
	EXPECT_EQ(FILE_FIELDS, json_object_object_length(obj));
	json_object_put(obj);
}

TEST(event_json_reports_complain_walk_limit_and_entry)
{
	struct ward_event ev;
	json_object *obj;

	complaint(&ev);
	obj = event_json(&ev, OFFSET_NS);
	ASSERT_NE(NULL, obj);
	expect_subject(_metadata, obj, "mv", "/usr/bin/mv", 2);
	EXPECT_STREQ("complain", jstr(obj, "type"));
	EXPECT_STREQ("allowed", jstr(obj, "result"));
	EXPECT_EQ(0, jint(obj, "error"));
	EXPECT_STREQ("rename", jstr(obj, "op"));
	EXPECT_STREQ("rename", jstr(obj, "access"));
	EXPECT_STREQ("/srv/data/new.txt", jstr(obj, "path"));
	EXPECT_STREQ("new.txt", jstr(obj, "name"));
	EXPECT_EQ(0, jint(obj, "label"));
	EXPECT_EQ(1, jbool(obj, "walk_limit"));
	EXPECT_EQ(FILE_FIELDS, json_object_object_length(obj));
	/* As printed, the boolean is a JSON true. */
	EXPECT_NE(NULL, strstr(json_object_to_json_string_ext(
				       obj, JSON_C_TO_STRING_PLAIN),
			       "\"walk_limit\":true"));
	json_object_put(obj);
}

/* A mount refused for a label beneath, a rename refused for lack of room. */
TEST(event_json_reports_beneath_and_map_full)
{
	struct ward_event ev;
	json_object *obj;

	denial(&ev);
	ev.op = WARD_OP_MOUNT;
	ev.access = WARD_ACCESS_MOUNT;
	ev.flags = WARD_EVENT_BENEATH;
	obj = event_json(&ev, OFFSET_NS);
	ASSERT_NE(NULL, obj);
	EXPECT_STREQ("mount", jstr(obj, "op"));
	EXPECT_STREQ("mount", jstr(obj, "access"));
	EXPECT_EQ(1, jbool(obj, "beneath"));
	EXPECT_EQ(0, jbool(obj, "map_full"));
	json_object_put(obj);

	ev.op = WARD_OP_RENAME;
	ev.access = 0;
	ev.error = -ENOSPC;
	ev.flags = WARD_EVENT_MAP_FULL;
	obj = event_json(&ev, OFFSET_NS);
	ASSERT_NE(NULL, obj);
	EXPECT_EQ(-ENOSPC, jint(obj, "error"));
	EXPECT_EQ(1, jbool(obj, "map_full"));
	EXPECT_EQ(0, jbool(obj, "beneath"));
	json_object_put(obj);
}

/* Loads into the kernel name why they were refused. */
TEST(event_json_names_module_reasons_and_kernel_memory)
{
	static const struct {
		__u32 op, access;
		const char *name;
	} cases[] = {
		{ WARD_OP_MODULE, WARD_MODULE_UNSIGNED, "unsigned" },
		{ WARD_OP_MODULE, WARD_MODULE_UNTRUSTED, "untrusted" },
		{ WARD_OP_MODULE, WARD_MODULE_DENIED, "denied" },
		{ WARD_OP_MODULE, WARD_MODULE_LOADED, "loaded" },
		{ WARD_OP_MODULE, 0, "unknown" },
		{ WARD_OP_KEXEC, 0, "load" },
		{ WARD_OP_KMEM, WARD_ACCESS_WRITE, "write" },
		{ WARD_OP_KMEM, WARD_ACCESS_READ, "read" },
		{ WARD_OP_REBOOT, 0x4321fedc, "poweroff" },
		{ WARD_OP_REBOOT, 0x01234567, "restart" },
		{ WARD_OP_REBOOT, 0x45584543, "kexec" },
		{ WARD_OP_REBOOT, 0x12, "unknown" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct ward_event ev;
		json_object *obj;

		denial(&ev);
		ev.op = cases[i].op;
		ev.access = cases[i].access;
		ev.error = -EPERM;
		strcpy(ev.path, "/lib/modules/x.ko");
		strcpy(ev.name, "x.ko");
		obj = event_json(&ev, OFFSET_NS);
		ASSERT_NE(NULL, obj);
		EXPECT_STREQ(cases[i].name, jstr(obj, "access"));
		EXPECT_STREQ("/lib/modules/x.ko", jstr(obj, "path"));
		EXPECT_STREQ("x.ko", jstr(obj, "name"));
		json_object_put(obj);
	}
}

/* A change to the core configuration: an audit event of the kernel. */
static void config_change(struct ward_event *ev, __u32 op, __u32 access)
{
	denial(ev);
	ev->type = WARD_EVENT_AUDIT;
	ev->error = 0;
	ev->op = op;
	ev->access = access;
	ev->label = 0;
	ev->exe[0] = '\0';
}

TEST(event_json_reports_the_time_the_clock_was_set_to)
{
	static const struct {
		__u32 access;
		const char *name;
	} cases[] = {
		{ WARD_CLOCK_SET, "set" },
		{ WARD_CLOCK_STEP, "step" },
		{ 0, "unknown" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct ward_event ev;
		json_object *obj;

		config_change(&ev, WARD_OP_CLOCK, cases[i].access);
		ev.object.dev = 1767225600; /* 2026-01-01 */
		ev.object.ino = 123456789;
		obj = event_json(&ev, OFFSET_NS);
		ASSERT_NE(NULL, obj);
		EXPECT_STREQ("audit", jstr(obj, "type"));
		EXPECT_STREQ("allowed", jstr(obj, "result"));
		EXPECT_STREQ("clock", jstr(obj, "op"));
		EXPECT_STREQ(cases[i].name, jstr(obj, "access"));
		EXPECT_STREQ("2026-01-01T00:00:00.123456Z", jstr(obj, "clock"));
		EXPECT_EQ(1767225600, jint(obj, "clock_sec"));
		EXPECT_EQ(123456789, jint(obj, "clock_nsec"));
		EXPECT_FALSE(jhas(obj, "path"));
		EXPECT_EQ(CLOCK_FIELDS, json_object_object_length(obj));
		json_object_put(obj);
	}
}

TEST(event_json_reports_a_sysctl_by_its_path)
{
	struct ward_event ev;
	json_object *obj;

	config_change(&ev, WARD_OP_SYSCTL, WARD_ACCESS_WRITE);
	strcpy(ev.path, "/proc/sys/net/ipv4/ip_forward");
	ev.cap = 2;
	obj = event_json(&ev, OFFSET_NS);
	ASSERT_NE(NULL, obj);
	EXPECT_STREQ("sysctl", jstr(obj, "op"));
	EXPECT_STREQ("write", jstr(obj, "access"));
	EXPECT_STREQ("/proc/sys/net/ipv4/ip_forward", jstr(obj, "path"));
	EXPECT_EQ(DEV, juint(obj, "dev"));
	EXPECT_EQ(42ULL, juint(obj, "ino"));
	EXPECT_EQ(2, jint(obj, "bytes"));
	EXPECT_FALSE(jhas(obj, "fstype"));
	/* No value known: neither field. */
	EXPECT_FALSE(jhas(obj, "value"));
	EXPECT_EQ(SYSCTL_FIELDS, json_object_object_length(obj));
	json_object_put(obj);
}

/*
 * The value written: whole when value_len says so; cut short when there
 * were more bytes than it holds, or when it could not be read (empty).
 */
TEST(event_json_reports_a_sysctl_value_and_whether_it_is_whole)
{
	static const struct {
		const char *value;
		__u32 len;
		bool truncated;
	} cases[] = {
		{ "1\n", 2, false },
		{ "0123456789", 200, true },
		{ "", 12, true },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct ward_event ev;
		json_object *obj;

		config_change(&ev, WARD_OP_SYSCTL, WARD_ACCESS_WRITE);
		strcpy(ev.path, "/proc/sys/net/ipv4/ip_forward");
		strcpy(ev.value, cases[i].value);
		ev.value_len = cases[i].len;
		ev.cap = cases[i].len;
		obj = event_json(&ev, OFFSET_NS);
		ASSERT_NE(NULL, obj);
		EXPECT_STREQ(cases[i].value, jstr(obj, "value"));
		EXPECT_EQ(cases[i].truncated,
			  json_object_get_boolean(
				  json_object_object_get(obj, "value_truncated")));
		EXPECT_EQ(SYSCTL_FIELDS + 2, json_object_object_length(obj));
		json_object_put(obj);
	}
}

/* A value of every byte the event holds, with no NUL: cut at its size. */
TEST(event_json_reads_no_further_than_the_value)
{
	struct ward_event ev;
	json_object *obj;

	config_change(&ev, WARD_OP_MOUNTED, WARD_ACCESS_MOUNT);
	memset(ev.value, 'v', sizeof(ev.value));
	ev.value_len = 1000;
	obj = event_json(&ev, OFFSET_NS);
	ASSERT_NE(NULL, obj);
	EXPECT_EQ(sizeof(ev.value), strlen(jstr(obj, "source")));
	EXPECT_TRUE(json_object_get_boolean(
		json_object_object_get(obj, "source_truncated")));
	json_object_put(obj);
}

TEST(event_json_names_the_mount_change_by_its_flags)
{
	static const struct {
		__u32 op, flags;
		const char *name;
	} cases[] = {
		{ WARD_OP_MOUNTED, 0, "new" },
		{ WARD_OP_MOUNTED, 4096, "bind" },
		{ WARD_OP_MOUNTED, 4096 | 32, "remount" },
		{ WARD_OP_MOUNTED, 1 << 18, "propagation" },
		{ WARD_OP_MOUNTED, 8192, "move" },
		{ WARD_OP_UNMOUNTED, 2, "umount" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct ward_event ev;
		json_object *obj;

		config_change(&ev, cases[i].op, WARD_ACCESS_MOUNT);
		strcpy(ev.path, "/mnt");
		strcpy(ev.name, "ext4");
		ev.cap = cases[i].flags;
		obj = event_json(&ev, OFFSET_NS);
		ASSERT_NE(NULL, obj);
		EXPECT_STREQ(cases[i].name, jstr(obj, "access"));
		EXPECT_STREQ("/mnt", jstr(obj, "path"));
		EXPECT_STREQ("ext4", jstr(obj, "fstype"));
		EXPECT_EQ(cases[i].flags, jint(obj, "flags"));
		EXPECT_EQ(MOUNT_FIELDS, json_object_object_length(obj));
		json_object_put(obj);
	}
}

TEST(event_json_reports_an_audited_creation_on_the_directory)
{
	struct ward_event ev;
	json_object *obj;

	creation(&ev);
	obj = event_json(&ev, OFFSET_NS);
	ASSERT_NE(NULL, obj);
	EXPECT_STREQ("audit", jstr(obj, "type"));
	EXPECT_STREQ("allowed", jstr(obj, "result"));
	EXPECT_STREQ("create", jstr(obj, "op"));
	EXPECT_STREQ("write", jstr(obj, "access"));
	EXPECT_STREQ("/srv/data", jstr(obj, "path"));
	EXPECT_STREQ("new.txt", jstr(obj, "name"));
	EXPECT_EQ(5, jint(obj, "label"));
	EXPECT_EQ(0, jbool(obj, "walk_limit"));
	EXPECT_EQ(7, jint(obj, "app"));
	EXPECT_NE(NULL, strstr(json_object_to_json_string_ext(
				       obj, JSON_C_TO_STRING_PLAIN),
			       "\"walk_limit\":false"));
	json_object_put(obj);
}

/* dpkg touching /vmlinuz-6.12.9+deb13-amd64 on /boot, by its inode. */
static void boot_setattr(struct ward_event *ev)
{
	denial(ev);
	ev->type = WARD_EVENT_AUDIT;
	ev->op = WARD_OP_SETATTR;
	ev->error = 0;
	ev->flags = WARD_EVENT_PATH_PARENT;
	ev->path_missing = WARD_PATH_MOUNT;
	ev->exe_missing = WARD_PATH_TOO_LONG;
	strcpy(ev->path, "/");
	strcpy(ev->name, "vmlinuz-6.12.9+deb13-amd64");
	ev->exe[0] = '\0';
}

TEST(event_path_missing_names_every_reason)
{
	EXPECT_EQ(NULL, event_path_missing(WARD_PATH_WHOLE));
	EXPECT_STREQ("mount", event_path_missing(WARD_PATH_MOUNT));
	EXPECT_STREQ("too_long", event_path_missing(WARD_PATH_TOO_LONG));
	EXPECT_STREQ("too_deep", event_path_missing(WARD_PATH_TOO_DEEP));
	EXPECT_STREQ("unreadable", event_path_missing(WARD_PATH_UNREADABLE));
	EXPECT_STREQ("none", event_path_missing(WARD_PATH_NONE));
	EXPECT_STREQ("unknown", event_path_missing(WARD_PATH_MISSING_MAX));
	EXPECT_STREQ("unknown", event_path_missing(255));
}

TEST(event_json_says_why_a_path_is_missing)
{
	struct ward_event ev;
	json_object *obj;

	boot_setattr(&ev);
	obj = event_json(&ev, OFFSET_NS);
	ASSERT_NE(NULL, obj);
	EXPECT_STREQ("/vmlinuz-6.12.9+deb13-amd64", jstr(obj, "path"));
	EXPECT_STREQ("mount", jstr(obj, "path_missing"));
	EXPECT_STREQ("", jstr(obj, "exe"));
	EXPECT_STREQ("too_long", jstr(obj, "exe_missing"));
	/* The two keys, only when something is missing. */
	EXPECT_EQ(FILE_FIELDS + 2, json_object_object_length(obj));
	json_object_put(obj);
}

TEST(event_json_keeps_a_name_of_name_max_bytes)
{
	char name[WARD_EVENT_NAME_MAX], path[2 * WARD_EVENT_PATH_MAX];
	struct ward_event ev;
	json_object *obj;

	complaint(&ev);
	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	memcpy(ev.name, name, sizeof(ev.name));
	/* The kernel fills it whole: no NUL at the end. */
	ev.name[sizeof(ev.name) - 1] = 'n';
	snprintf(path, sizeof(path), "/srv/data/%sn", name);
	obj = event_json(&ev, OFFSET_NS);
	ASSERT_NE(NULL, obj);
	EXPECT_EQ(sizeof(ev.name), strlen(jstr(obj, "name")));
	EXPECT_STREQ(path, jstr(obj, "path"));
	EXPECT_FALSE(jhas(obj, "path_missing"));
	json_object_put(obj);
}

TEST(event_json_reports_a_port)
{
	struct ward_event ev;
	json_object *obj;

	net_denial(&ev);
	obj = event_json(&ev, OFFSET_NS);
	ASSERT_NE(NULL, obj);
	expect_subject(_metadata, obj, "nginx", "/usr/sbin/nginx", 9);
	EXPECT_STREQ("denial", jstr(obj, "type"));
	EXPECT_STREQ("denied", jstr(obj, "result"));
	EXPECT_EQ(-EACCES, jint(obj, "error"));
	EXPECT_STREQ("bind", jstr(obj, "op"));
	EXPECT_STREQ("bind", jstr(obj, "access"));
	EXPECT_STREQ("tcp", jstr(obj, "proto"));
	EXPECT_EQ(80, jint(obj, "port"));
	EXPECT_STREQ("inet", jstr(obj, "family"));
	EXPECT_FALSE(jhas(obj, "path"));
	EXPECT_FALSE(jhas(obj, "label"));
	EXPECT_EQ(NET_FIELDS, json_object_object_length(obj));
	json_object_put(obj);

	ev.op = WARD_OP_CONNECT;
	ev.access = WARD_NET_CONNECT;
	ev.type = WARD_EVENT_COMPLAIN;
	ev.error = 0;
	ev.family = AF_INET6;
	ev.proto = IPPROTO_UDP;
	ev.port = 65535;
	obj = event_json(&ev, OFFSET_NS);
	ASSERT_NE(NULL, obj);
	EXPECT_STREQ("complain", jstr(obj, "type"));
	EXPECT_STREQ("allowed", jstr(obj, "result"));
	EXPECT_STREQ("connect", jstr(obj, "op"));
	EXPECT_STREQ("connect", jstr(obj, "access"));
	EXPECT_STREQ("udp", jstr(obj, "proto"));
	EXPECT_EQ(65535, jint(obj, "port"));
	EXPECT_STREQ("inet6", jstr(obj, "family"));
	json_object_put(obj);
}

TEST(event_json_reports_a_socket_family)
{
	static const struct {
		__u16 family;
		__u32 access;
		const char *name;
	} families[] = {
		{ AF_UNIX, WARD_SOCKET_UNIX, "unix" },
		{ AF_NETLINK, WARD_SOCKET_NETLINK, "netlink" },
		{ AF_PACKET, WARD_SOCKET_PACKET, "packet" },
		{ AF_INET, 0, "inet" },
		{ AF_INET6, 0, "inet6" },
		{ AF_BLUETOOTH, 0, "other" },
	};
	struct ward_event ev;
	json_object *obj;

	socket_denial(&ev);
	obj = event_json(&ev, OFFSET_NS);
	ASSERT_NE(NULL, obj);
	expect_subject(_metadata, obj, "tcpdump", "/usr/bin/tcpdump", 9);
	EXPECT_STREQ("denied", jstr(obj, "result"));
	EXPECT_EQ(-EACCES, jint(obj, "error"));
	EXPECT_STREQ("socket", jstr(obj, "op"));
	EXPECT_STREQ("create", jstr(obj, "access"));
	EXPECT_STREQ("packet", jstr(obj, "family"));
	EXPECT_STREQ("packet", jstr(obj, "socket"));
	EXPECT_FALSE(jhas(obj, "port"));
	EXPECT_FALSE(jhas(obj, "path"));
	EXPECT_EQ(SOCKET_FIELDS, json_object_object_length(obj));
	json_object_put(obj);

	for (size_t i = 0; i < ARRAY_SIZE(families); i++) {
		ev.family = families[i].family;
		ev.access = families[i].access;
		obj = event_json(&ev, OFFSET_NS);
		ASSERT_NE(NULL, obj);
		EXPECT_STREQ(families[i].name, jstr(obj, "family"));
		json_object_put(obj);
	}
}

TEST(event_json_names_the_capability)
{
	struct ward_event ev;
	json_object *obj;

	cap_denial(&ev);
	obj = event_json(&ev, OFFSET_NS);
	ASSERT_NE(NULL, obj);
	expect_subject(_metadata, obj, "mount", "/usr/bin/mount", 9);
	EXPECT_STREQ("denied", jstr(obj, "result"));
	EXPECT_EQ(-EPERM, jint(obj, "error"));
	EXPECT_STREQ("capable", jstr(obj, "op"));
	EXPECT_STREQ(policy_cap_name(21), jstr(obj, "access"));
	EXPECT_STREQ("sys_admin", jstr(obj, "access"));
	EXPECT_EQ(21, jint(obj, "cap_number"));
	EXPECT_FALSE(jhas(obj, "path"));
	EXPECT_EQ(CAP_FIELDS, json_object_object_length(obj));
	json_object_put(obj);

	ev.cap = 0;
	obj = event_json(&ev, OFFSET_NS);
	EXPECT_STREQ("chown", jstr(obj, "access"));
	EXPECT_EQ(0, jint(obj, "cap_number"));
	json_object_put(obj);

	ev.cap = 40;
	obj = event_json(&ev, OFFSET_NS);
	EXPECT_STREQ("checkpoint_restore", jstr(obj, "access"));
	json_object_put(obj);

	/* A capability newer than ward: its number still tells which. */
	ev.cap = 41;
	obj = event_json(&ev, OFFSET_NS);
	EXPECT_STREQ("unknown", jstr(obj, "access"));
	EXPECT_EQ(41, jint(obj, "cap_number"));
	json_object_put(obj);
}

TEST(event_json_names_the_traced_task)
{
	static const struct {
		__u32 access;
		const char *name;
	} kinds[] = {
		{ WARD_PTRACE_ATTACH, "attach" },
		{ WARD_PTRACE_TRACEME, "traceme" },
		{ WARD_PTRACE_EXEC, "exec" },
		{ 0, "unknown" },
		{ WARD_PTRACE_EXEC << 1, "unknown" },
	};
	struct ward_event ev;
	json_object *obj;

	ptrace_denial(&ev);
	obj = event_json(&ev, OFFSET_NS);
	ASSERT_NE(NULL, obj);
	expect_subject(_metadata, obj, "gdb", "/usr/bin/gdb", 0);
	EXPECT_STREQ("denied", jstr(obj, "result"));
	EXPECT_EQ(-EPERM, jint(obj, "error"));
	EXPECT_STREQ("ptrace", jstr(obj, "op"));
	EXPECT_STREQ("attach", jstr(obj, "access"));
	EXPECT_EQ(4242, jint(obj, "target_pid"));
	EXPECT_EQ(9, jint(obj, "target_app"));
	EXPECT_EQ((int64_t)DEV, jint(obj, "target_dev"));
	EXPECT_EQ(77, jint(obj, "target_ino"));
	EXPECT_FALSE(jhas(obj, "path"));
	EXPECT_EQ(PTRACE_FIELDS, json_object_object_length(obj));
	json_object_put(obj);
	for (size_t i = 0; i < ARRAY_SIZE(kinds); i++) {
		ev.access = kinds[i].access;
		obj = event_json(&ev, OFFSET_NS);
		EXPECT_STREQ(kinds[i].name, jstr(obj, "access"));
		json_object_put(obj);
	}
}

TEST(event_json_names_unknown_op_and_access)
{
	struct ward_event ev;
	json_object *obj;

	denial(&ev);
	ev.op = 0;
	ev.access = 0;
	obj = event_json(&ev, OFFSET_NS);
	EXPECT_STREQ("unknown", jstr(obj, "op"));
	EXPECT_STREQ("unknown", jstr(obj, "access"));
	json_object_put(obj);

	/* Several bits are listed as the policy writes them. */
	ev.op = 1000;
	ev.access = WARD_ACCESS_READ | WARD_ACCESS_WRITE;
	obj = event_json(&ev, OFFSET_NS);
	EXPECT_STREQ("unknown", jstr(obj, "op"));
	EXPECT_STREQ("read,write", jstr(obj, "access"));
	json_object_put(obj);

	ev.access = 1U << WARD_ACCESS_BITS;
	obj = event_json(&ev, OFFSET_NS);
	EXPECT_STREQ("unknown", jstr(obj, "access"));
	json_object_put(obj);

	ev.type = 0;
	obj = event_json(&ev, OFFSET_NS);
	EXPECT_STREQ("unknown", jstr(obj, "type"));
	json_object_put(obj);
}

TEST(event_json_names_every_file_access)
{
	static const char *const names[] = {
		"read", "write", "exec",  "unlink", "rename",
		"link", "chmod", "chown", "mount",
	};
	struct ward_event ev;
	json_object *obj;

	_Static_assert(ARRAY_SIZE(names) == WARD_ACCESS_BITS, "every access");
	denial(&ev);
	for (unsigned int bit = 0; bit < ARRAY_SIZE(names); bit++) {
		ev.access = 1U << bit;
		obj = event_json(&ev, OFFSET_NS);
		EXPECT_STREQ(names[bit], jstr(obj, "access"));
		json_object_put(obj);
	}
}

TEST(event_json_keeps_full_width_values)
{
	struct ward_event ev;
	json_object *obj;

	denial(&ev);
	ev.object.dev = (0xfffULL << 20) | 0xfffff;
	ev.object.ino = UINT64_MAX - 1;
	ev.pid = INT32_MAX;
	ev.tid = UINT32_MAX;
	ev.uid = UINT32_MAX;
	ev.euid = UINT32_MAX - 1;
	ev.loginuid = UINT32_MAX;
	ev.sessionid = 7;
	ev.label = UINT32_MAX;
	ev.app = UINT32_MAX;
	ev.error = INT32_MIN;
	obj = event_json(&ev, OFFSET_NS);
	EXPECT_EQ((0xfffULL << 20) | 0xfffff, juint(obj, "dev"));
	EXPECT_EQ(UINT64_MAX - 1, juint(obj, "ino"));
	EXPECT_EQ(INT32_MAX, jint(obj, "pid"));
	EXPECT_EQ((int64_t)UINT32_MAX, jint(obj, "tid"));
	EXPECT_EQ((int64_t)UINT32_MAX, jint(obj, "uid"));
	EXPECT_EQ((int64_t)UINT32_MAX - 1, jint(obj, "euid"));
	/* Unset, as the kernel's audit records print it. */
	EXPECT_EQ(-1, jint(obj, "loginuid"));
	EXPECT_EQ(7, jint(obj, "sessionid"));
	EXPECT_EQ((int64_t)UINT32_MAX, jint(obj, "label"));
	EXPECT_EQ((int64_t)UINT32_MAX, jint(obj, "app"));
	EXPECT_EQ(INT32_MIN, jint(obj, "error"));
	json_object_put(obj);

	net_denial(&ev);
	ev.port = UINT16_MAX;
	obj = event_json(&ev, OFFSET_NS);
	EXPECT_EQ(UINT16_MAX, jint(obj, "port"));
	json_object_put(obj);

	cap_denial(&ev);
	ev.cap = UINT32_MAX;
	obj = event_json(&ev, OFFSET_NS);
	EXPECT_EQ((int64_t)UINT32_MAX, jint(obj, "cap_number"));
	json_object_put(obj);
}

TEST(event_time_is_utc_with_truncated_microseconds)
{
	struct ward_event ev;
	json_object *obj;

	denial(&ev);
	ev.boot_ns = 999999999;
	obj = event_json(&ev, 0);
	EXPECT_STREQ("1970-01-01T00:00:00.999999Z", jstr(obj, "time"));
	json_object_put(obj);

	/* 2099-12-31T23:59:59 and 1 ns. */
	ev.boot_ns = 1;
	obj = event_json(&ev, 4102444799000000000LL);
	EXPECT_STREQ("2099-12-31T23:59:59.000000Z", jstr(obj, "time"));
	EXPECT_EQ(4102444799000000001ULL, juint(obj, "time_ns"));
	json_object_put(obj);
}

TEST(event_json_strings_survive_a_round_trip)
{
	struct ward_event ev;
	json_object *obj, *back;
	const char *text;

	complaint(&ev);
	strcpy(ev.name, "x\"\nfake\\");
	strcpy(ev.comm, "a\\b\tc\x7f");
	strcpy(ev.exe, "/tmp/\r\x1b[2J");
	obj = event_json(&ev, OFFSET_NS);
	ASSERT_NE(NULL, obj);
	text = json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN);
	ASSERT_NE(NULL, text);
	/* One line, whatever the names hold. */
	for (const char *c = text; *c; c++) {
		EXPECT_LE(0x20, (int)(unsigned char)*c)
		{
			TH_LOG("control byte 0x%02x in %s", *c, text);
		}
	}
	back = json_tokener_parse(text);
	ASSERT_NE(NULL, back);
	EXPECT_STREQ("/srv/data/x\"\nfake\\", jstr(back, "path"));
	EXPECT_STREQ("x\"\nfake\\", jstr(back, "name"));
	EXPECT_STREQ("a\\b\tc\x7f", jstr(back, "comm"));
	EXPECT_STREQ("/tmp/\r\x1b[2J", jstr(back, "exe"));
	json_object_put(back);
	json_object_put(obj);
}

/* What event_print() writes for @ev. */
static char *print(const struct ward_event *ev, __s64 offset)
{
	char *out = NULL;
	size_t size;
	FILE *f = open_memstream(&out, &size);

	if (!f)
		return NULL;
	event_print(ev, offset, NULL, f);
	if (fclose(f)) {
		free(out);
		return NULL;
	}
	return out;
}

TEST(event_print_writes_a_file_denial)
{
	struct ward_event ev;
	char *out;

	denial(&ev);
	out = print(&ev, OFFSET_NS);
	ASSERT_NE(NULL, out);
	EXPECT_STREQ(TIME_STR " denial denied write open path=\"/etc/passwd\" "
			      "ino=8388609:42 label=3 pid=100 uid=1000 euid=0 auid=0 ses=0 "
			      "comm=\"cat\" exe=\"/usr/bin/cat\" app=0\n",
		     out);
	free(out);
}

TEST(event_print_says_why_a_path_is_missing)
{
	struct ward_event ev;
	char *out;

	boot_setattr(&ev);
	out = print(&ev, OFFSET_NS);
	ASSERT_NE(NULL, out);
	EXPECT_STREQ(TIME_STR " audit allowed write setattr "
			      "path=\"/vmlinuz-6.12.9+deb13-amd64\" "
			      "path_missing=mount ino=8388609:42 label=3 "
			      "pid=100 uid=1000 euid=0 auid=0 ses=0 "
			      "comm=\"cat\" exe=\"\" exe_missing=too_long "
			      "app=0\n",
		     out);
	free(out);
}

TEST(event_print_marks_complain_and_walk_limit)
{
	struct ward_event ev;
	char *out;

	complaint(&ev);
	out = print(&ev, OFFSET_NS);
	ASSERT_NE(NULL, out);
	EXPECT_STREQ(TIME_STR " complain allowed rename rename "
			      "path=\"/srv/data/new.txt\" ino=8388609:42 "
			      "label=0 walk_limit pid=100 uid=1000 euid=0 auid=0 ses=0 "
			      "comm=\"mv\" exe=\"/usr/bin/mv\" app=2\n",
		     out);
	free(out);
}

TEST(event_print_writes_an_audit_of_the_directory)
{
	struct ward_event ev;
	char *out;

	creation(&ev);
	out = print(&ev, OFFSET_NS);
	ASSERT_NE(NULL, out);
	EXPECT_STREQ(TIME_STR " audit allowed write create "
			      "path=\"/srv/data\" ino=8388609:42 label=5 "
			      "pid=100 uid=1000 euid=0 auid=0 ses=0 comm=\"mv\" "
			      "exe=\"/usr/bin/mv\" app=7\n",
		     out);
	free(out);
}

TEST(event_print_writes_a_port)
{
	struct ward_event ev;
	char *out;

	net_denial(&ev);
	out = print(&ev, OFFSET_NS);
	ASSERT_NE(NULL, out);
	EXPECT_STREQ(TIME_STR " denial denied bind bind tcp:80 family=inet "
			      "pid=100 uid=1000 euid=0 auid=0 ses=0 comm=\"nginx\" "
			      "exe=\"/usr/sbin/nginx\" app=9\n",
		     out);
	free(out);

	ev.type = WARD_EVENT_COMPLAIN;
	ev.op = WARD_OP_CONNECT;
	ev.access = WARD_NET_CONNECT;
	ev.family = AF_INET6;
	ev.proto = IPPROTO_UDP;
	ev.port = 53;
	out = print(&ev, OFFSET_NS);
	ASSERT_NE(NULL, out);
	EXPECT_STREQ(TIME_STR " complain allowed connect connect udp:53 "
			      "family=inet6 pid=100 uid=1000 euid=0 auid=0 ses=0 "
			      "comm=\"nginx\" exe=\"/usr/sbin/nginx\" app=9\n",
		     out);
	free(out);
}

TEST(event_print_writes_a_socket)
{
	struct ward_event ev;
	char *out;

	socket_denial(&ev);
	out = print(&ev, OFFSET_NS);
	ASSERT_NE(NULL, out);
	EXPECT_STREQ(TIME_STR " denial denied create socket socket=packet family=packet "
			      "pid=100 uid=1000 euid=0 auid=0 ses=0 comm=\"tcpdump\" "
			      "exe=\"/usr/bin/tcpdump\" app=9\n",
		     out);
	free(out);
}

TEST(event_print_writes_a_capability)
{
	struct ward_event ev;
	char *out;

	cap_denial(&ev);
	out = print(&ev, OFFSET_NS);
	ASSERT_NE(NULL, out);
	EXPECT_STREQ(TIME_STR " denial denied sys_admin capable cap=21 "
			      "pid=100 uid=1000 euid=0 auid=0 ses=0 comm=\"mount\" "
			      "exe=\"/usr/bin/mount\" app=9\n",
		     out);
	free(out);
}

TEST(event_print_writes_a_traced_task)
{
	struct ward_event ev;
	char *out;

	ptrace_denial(&ev);
	out = print(&ev, OFFSET_NS);
	ASSERT_NE(NULL, out);
	EXPECT_STREQ(TIME_STR " denial denied attach ptrace target_pid=4242 "
			      "target_app=9 target_ino=8388609:77 "
			      "pid=100 uid=1000 euid=0 auid=0 ses=0 comm=\"gdb\" "
			      "exe=\"/usr/bin/gdb\" app=0\n",
		     out);
	free(out);
}

/* A shell's kill -9 of a ward process, pid 4242, refused. */
TEST(event_print_writes_a_signal_and_a_bpf_command)
{
	struct ward_event ev;
	char *out;

	ptrace_denial(&ev);
	memcpy(ev.comm, "sh", 3);
	memset(ev.exe, 0, sizeof(ev.exe));
	strcpy(ev.exe, "/usr/bin/dash");
	ev.op = WARD_OP_SIGNAL;
	ev.access = 9;
	ev.label = WARD_APP_SELF;
	out = print(&ev, OFFSET_NS);
	ASSERT_NE(NULL, out);
	EXPECT_STREQ(TIME_STR " denial denied KILL signal target_pid=4242 "
			      "target_app=2063227699 target_ino=8388609:77 "
			      "pid=100 uid=1000 euid=0 auid=0 ses=0 comm=\"sh\" "
			      "exe=\"/usr/bin/dash\" app=0\n",
		     out);
	free(out);

	ev.op = WARD_OP_BPF;
	ev.access = BPF_MAP_GET_FD_BY_ID;
	ev.cap = 17;
	out = print(&ev, OFFSET_NS);
	ASSERT_NE(NULL, out);
	EXPECT_STREQ(TIME_STR " denial denied map_get_fd bpf id=17 "
			      "pid=100 uid=1000 euid=0 auid=0 ses=0 comm=\"sh\" "
			      "exe=\"/usr/bin/dash\" app=0\n",
		     out);
	free(out);
}

TEST(event_print_keeps_names_inside_their_field_and_line)
{
	struct ward_event ev;
	char *out;

	/*
	 * A subject chooses its comm (PR_SET_NAME) and the names of the
	 * files it creates: it must not be able to forge a field or a line.
	 */
	complaint(&ev);
	strcpy(ev.name, "x\"\nfake\\");
	strcpy(ev.comm, "a\\b\tc\x7f");
	strcpy(ev.exe, "/tmp/\r\x1b[2J\"");
	out = print(&ev, OFFSET_NS);
	ASSERT_NE(NULL, out);
	EXPECT_STREQ(TIME_STR " complain allowed rename rename "
			      "path=\"/srv/data/x\\\"\\x0afake\\\\\" "
			      "ino=8388609:42 label=0 walk_limit pid=100 "
			      "uid=1000 euid=0 auid=0 ses=0 comm=\"a\\\\b\\x09c\\x7f\" "
			      "exe=\"/tmp/\\x0d\\x1b[2J\\\"\" app=2\n",
		     out);
	free(out);

	/* In the directory too, and UTF-8 passes as it is. */
	creation(&ev);
	strcpy(ev.path, "/srv/caf\xc3\xa9\x01\"");
	out = print(&ev, OFFSET_NS);
	ASSERT_NE(NULL, out);
	EXPECT_STREQ(TIME_STR " audit allowed write create "
			      "path=\"/srv/caf\xc3\xa9\\x01\\\"\" "
			      "ino=8388609:42 label=5 pid=100 uid=1000 euid=0 auid=0 ses=0 "
			      "comm=\"mv\" exe=\"/usr/bin/mv\" app=7\n",
		     out);
	free(out);
}

TEST(event_print_escapes_a_path_of_control_bytes_entirely)
{
	struct ward_event ev;
	char *out, *expected, *p;

	/* The longest object path, every byte of it escaped to four. */
	complaint(&ev);
	memset(ev.path, '\n', sizeof(ev.path) - 1);
	ev.path[sizeof(ev.path) - 1] = '\0';
	memset(ev.name, '\x1f', sizeof(ev.name) - 1);
	ev.name[sizeof(ev.name) - 1] = '\0';
	out = print(&ev, OFFSET_NS);
	ASSERT_NE(NULL, out);
	expected = malloc(8 * WARD_EVENT_PATH_MAX);
	ASSERT_NE(NULL, expected);
	p = expected;
	for (size_t i = 0; i < sizeof(ev.path) - 1; i++)
		p += sprintf(p, "\\x0a");
	p += sprintf(p, "/");
	for (size_t i = 0; i < sizeof(ev.name) - 1; i++)
		p += sprintf(p, "\\x1f");
	EXPECT_NE(NULL, strstr(out, expected));
	/* One line. */
	EXPECT_EQ((int)strlen(out) - 1, (int)(strchr(out, '\n') - out));
	free(expected);
	free(out);
}

/*
 * The kernel does not terminate comm, name, exe or path when they are
 * full.  The event is put at the end of a page followed by an inaccessible
 * one, so reading past @path faults; reading past the others would pick up
 * the next field, which the expected strings exclude.
 */
TEST(event_unterminated_strings_are_bounded)
{
	struct ward_event *ev;
	long page = sysconf(_SC_PAGESIZE);
	char comm[sizeof(ev->comm) + 1], name[sizeof(ev->name) + 1];
	char exe[sizeof(ev->exe) + 1], path[sizeof(ev->path) + 1];
	char joined[2 * WARD_EVENT_PATH_MAX], *line, *out;
	json_object *obj;
	char *mem;

	mem = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, mem);
	ASSERT_EQ(0, mprotect(mem + page, page, PROT_NONE));
	ev = (struct ward_event *)(mem + page - sizeof(*ev));

	denial(ev);
	ev->flags = WARD_EVENT_PATH_PARENT;
	memset(ev->comm, 'c', sizeof(ev->comm));
	memset(ev->name, 'n', sizeof(ev->name));
	memset(ev->exe, 'e', sizeof(ev->exe));
	memset(ev->path, 'p', sizeof(ev->path));
	memset(comm, 'c', sizeof(comm) - 1);
	comm[sizeof(comm) - 1] = '\0';
	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	memset(exe, 'e', sizeof(exe) - 1);
	exe[sizeof(exe) - 1] = '\0';
	memset(path, 'p', sizeof(path) - 1);
	path[sizeof(path) - 1] = '\0';
	snprintf(joined, sizeof(joined), "%s/%s", path, name);

	EXPECT_STREQ(joined, object_path(ev));

	obj = event_json(ev, OFFSET_NS);
	ASSERT_NE(NULL, obj);
	EXPECT_STREQ(comm, jstr(obj, "comm"));
	EXPECT_STREQ(name, jstr(obj, "name"));
	EXPECT_STREQ(exe, jstr(obj, "exe"));
	EXPECT_STREQ(joined, jstr(obj, "path"));
	json_object_put(obj);

	out = print(ev, OFFSET_NS);
	ASSERT_NE(NULL, out);
	ASSERT_LE(0, asprintf(&line,
			      TIME_STR
			      " denial denied write open path=\"%s\" "
			      "ino=8388609:42 label=3 pid=100 uid=1000 euid=0 auid=0 ses=0 "
			      "comm=\"%s\" exe=\"%s\" app=0\n",
			      joined, comm, exe));
	EXPECT_STREQ(line, out);
	free(line);
	free(out);

	/* The directory itself, up to the guard page. */
	ev->flags = WARD_EVENT_PATH_PARENT | WARD_EVENT_OBJECT_DIR;
	EXPECT_STREQ(path, object_path(ev));

	/* Without a name, the path alone, up to the guard page. */
	ev->flags = 0;
	EXPECT_STREQ(path, object_path(ev));
	obj = event_json(ev, OFFSET_NS);
	EXPECT_STREQ(path, jstr(obj, "path"));
	json_object_put(obj);

	/* The other kinds print comm and exe bounded as well. */
	ev->op = WARD_OP_CAPABLE;
	ev->cap = 21;
	out = print(ev, OFFSET_NS);
	ASSERT_NE(NULL, out);
	ASSERT_LE(0, asprintf(&line,
			      TIME_STR
			      " denial denied sys_admin capable cap=21 "
			      "pid=100 uid=1000 euid=0 auid=0 ses=0 comm=\"%s\" exe=\"%s\" "
			      "app=0\n",
			      comm, exe));
	EXPECT_STREQ(line, out);
	free(line);
	free(out);

	munmap(mem, 2 * page);
}

TEST(event_tells_inet_sockets_apart)
{
	static const struct {
		__u32 access;
		__u16 proto;
		const char *name;
	} sockets[] = {
		{ WARD_SOCKET_RAW, 0, "raw" },
		{ WARD_SOCKET_ICMP, 0, "icmp" },
		{ 0, IPPROTO_TCP, "tcp" },
		{ 0, IPPROTO_UDP, "udp" },
		{ 0, IPPROTO_SCTP, "sctp" },
		/* A protocol no rule can allow, or a family bit unknown. */
		{ 0, 0, "other" },
		{ 0, IPPROTO_DCCP, "other" },
		{ 1U << 31, 0, "other" },
	};
	struct ward_event ev;
	json_object *obj;

	socket_denial(&ev);
	ev.family = AF_INET;
	for (size_t i = 0; i < ARRAY_SIZE(sockets); i++) {
		ev.access = sockets[i].access;
		ev.proto = sockets[i].proto;
		obj = event_json(&ev, OFFSET_NS);
		ASSERT_NE(NULL, obj);
		EXPECT_STREQ(sockets[i].name, jstr(obj, "socket"));
		EXPECT_STREQ("inet", jstr(obj, "family"));
		json_object_put(obj);
	}
}

TEST(event_names_sctp_ports_and_both_operations)
{
	struct ward_event ev;
	json_object *obj;
	char *out;

	net_denial(&ev);
	ev.proto = IPPROTO_SCTP;
	ev.port = 36412;
	obj = event_json(&ev, OFFSET_NS);
	ASSERT_NE(NULL, obj);
	EXPECT_STREQ("sctp", jstr(obj, "proto"));
	EXPECT_EQ(36412, jint(obj, "port"));
	json_object_put(obj);

	/* An SCTP request the module does not know needs both. */
	ev.op = WARD_OP_CONNECT;
	ev.access = WARD_NET_BIND | WARD_NET_CONNECT;
	ev.port = 0;
	out = print(&ev, OFFSET_NS);
	ASSERT_NE(NULL, out);
	EXPECT_STREQ(TIME_STR " denial denied bind,connect connect sctp:0 "
			      "family=inet pid=100 uid=1000 euid=0 auid=0 ses=0 "
			      "comm=\"nginx\" exe=\"/usr/sbin/nginx\" app=9\n",
		     out);
	free(out);
}

TEST(event_print_writes_config_changes)
{
	struct ward_event ev;
	char *out;

	config_change(&ev, WARD_OP_MOUNTED, WARD_ACCESS_MOUNT);
	strcpy(ev.path, "/mnt");
	strcpy(ev.name, "fuse.\"x\"");
	out = print(&ev, OFFSET_NS);
	ASSERT_NE(NULL, out);
	EXPECT_STREQ(TIME_STR " audit allowed new mounted path=\"/mnt\" "
			      "ino=8388609:42 fstype=\"fuse.\\\"x\\\"\" flags=0 pid=100 "
			      "uid=1000 euid=0 auid=0 ses=0 comm=\"cat\" exe=\"\" app=0\n",
		     out);
	free(out);
	/* The source, escaped, and "..." when cut short. */
	strcpy(ev.value, "srv:/\"x\"");
	ev.value_len = 300;
	out = print(&ev, OFFSET_NS);
	ASSERT_NE(NULL, out);
	EXPECT_NE(NULL, strstr(out, " fstype=\"fuse.\\\"x\\\"\" "
				    "source=\"srv:/\\\"x\\\"\"... flags=0 "))
	TH_LOG("%s", out);
	free(out);
	config_change(&ev, WARD_OP_SYSCTL, WARD_ACCESS_WRITE);
	strcpy(ev.path, "/proc/sys/kernel/domainname");
	strcpy(ev.value, "x\n");
	ev.value_len = ev.cap = 2;
	out = print(&ev, OFFSET_NS);
	ASSERT_NE(NULL, out);
	EXPECT_NE(NULL, strstr(out, " bytes=2 value=\"x\\x0a\" pid="))
	TH_LOG("%s", out);
	free(out);
	config_change(&ev, WARD_OP_CLOCK, WARD_CLOCK_STEP);
	ev.object.dev = 1767225600;
	ev.object.ino = 0;
	out = print(&ev, OFFSET_NS);
	ASSERT_NE(NULL, out);
	EXPECT_STREQ(TIME_STR " audit allowed step clock "
			      "clock=2026-01-01T00:00:00.000000Z pid=100 uid=1000 "
			      "euid=0 auid=0 ses=0 comm=\"cat\" exe=\"\" app=0\n",
		     out);
	free(out);
}

TEST_HARNESS_MAIN
