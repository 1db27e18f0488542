// SPDX-License-Identifier: GPL-2.0
/*
 * ward unit tests - events as JSON and as text (event.c)
 *
 * Events are built by hand as the BPF programs fill them, including strings
 * the kernel left unterminated, and checked field by field.
 */

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <json-c/json.h>

#include "kselftest_harness.h"
#include "event.h"

/* 2023-11-14T22:13:20.123456789Z, 5.123456789 s after boot. */
#define BOOT_NS 5123456789ULL
#define OFFSET_NS 1699999995000000000LL
#define TIME_NS 1700000000123456789ULL
#define TIME_STR "2023-11-14T22:13:20.123456Z"
#define DEV ((8ULL << 20) | 1)

/* cat, run by uid 1000 as root, denied opening /etc/passwd for writing. */
static void denial(struct ward_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	ev->boot_ns = BOOT_NS;
	ev->object.dev = DEV;
	ev->object.ino = 42;
	ev->pid = 100;
	ev->tid = 101;
	ev->uid = 1000;
	ev->euid = 0;
	ev->op = WARD_OP_OPEN;
	ev->access = WARD_ACCESS_WRITE;
	ev->label = 3;
	ev->app = 0;
	ev->error = -EACCES;
	strcpy(ev->comm, "cat");
	strcpy(ev->exe, "/usr/bin/cat");
	strcpy(ev->path, "/etc/passwd");
}

/* App 2 renaming to /srv/data/new.txt, let through by complain mode. */
static void complaint(struct ward_event *ev)
{
	denial(ev);
	ev->op = WARD_OP_RENAME;
	ev->error = 0;
	ev->label = 0;
	ev->app = 2;
	ev->flags = WARD_EVENT_COMPLAIN | WARD_EVENT_WALK_LIMIT |
		    WARD_EVENT_PATH_PARENT;
	strcpy(ev->comm, "mv");
	strcpy(ev->exe, "/usr/bin/mv");
	strcpy(ev->path, "/srv/data");
	strcpy(ev->name, "new.txt");
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

TEST(event_object_path_fits_the_buffer)
{
	struct ward_event ev;
	char buf[5];

	denial(&ev);
	memset(buf, 'x', sizeof(buf));
	event_object_path(&ev, buf, sizeof(buf));
	EXPECT_STREQ("/etc", buf);
	event_object_path(&ev, buf, 1);
	EXPECT_STREQ("", buf);

	complaint(&ev);
	memset(buf, 'x', sizeof(buf));
	event_object_path(&ev, buf, sizeof(buf));
	EXPECT_STREQ("/srv", buf);
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
		{ 0, "unknown" },
		{ WARD_OP_MAX, "unknown" },
		{ UINT32_MAX, "unknown" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(ops); i++)
		EXPECT_STREQ(ops[i].name, event_op_name(ops[i].op));
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

TEST(event_json_reports_a_denial)
{
	struct ward_event ev;
	json_object *obj;

	denial(&ev);
	obj = event_json(&ev, OFFSET_NS);
	ASSERT_NE(NULL, obj);
	EXPECT_STREQ(TIME_STR, jstr(obj, "time"));
	EXPECT_EQ(TIME_NS, juint(obj, "time_ns"));
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
	EXPECT_EQ(100, jint(obj, "pid"));
	EXPECT_EQ(101, jint(obj, "tid"));
	EXPECT_EQ(1000, jint(obj, "uid"));
	EXPECT_EQ(0, jint(obj, "euid"));
	EXPECT_STREQ("cat", jstr(obj, "comm"));
	EXPECT_STREQ("/usr/bin/cat", jstr(obj, "exe"));
	EXPECT_EQ(0, jint(obj, "app"));
	/* Nothing else: a new field is a change of the output format. */
	EXPECT_EQ(19, json_object_object_length(obj));
	json_object_put(obj);
}

TEST(event_json_reports_complain_walk_limit_and_entry)
{
	struct ward_event ev;
	json_object *obj;

	complaint(&ev);
	obj = event_json(&ev, OFFSET_NS);
	ASSERT_NE(NULL, obj);
	EXPECT_STREQ("complain", jstr(obj, "result"));
	EXPECT_EQ(0, jint(obj, "error"));
	EXPECT_STREQ("rename", jstr(obj, "op"));
	EXPECT_STREQ("/srv/data/new.txt", jstr(obj, "path"));
	EXPECT_STREQ("new.txt", jstr(obj, "name"));
	EXPECT_EQ(0, jint(obj, "label"));
	EXPECT_EQ(1, jbool(obj, "walk_limit"));
	EXPECT_STREQ("mv", jstr(obj, "comm"));
	EXPECT_STREQ("/usr/bin/mv", jstr(obj, "exe"));
	EXPECT_EQ(2, jint(obj, "app"));
	/* As printed, the boolean is a JSON true. */
	EXPECT_NE(NULL, strstr(json_object_to_json_string_ext(
				       obj, JSON_C_TO_STRING_PLAIN),
			       "\"walk_limit\":true"));
	json_object_put(obj);
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

	ev.op = 1000;
	ev.access = WARD_ACCESS_WRITE << 1;
	obj = event_json(&ev, OFFSET_NS);
	EXPECT_STREQ("unknown", jstr(obj, "op"));
	EXPECT_STREQ("unknown", jstr(obj, "access"));
	json_object_put(obj);
}

TEST(event_json_keeps_full_width_values)
{
	struct ward_event ev;
	json_object *obj;

	denial(&ev);
	ev.object.dev = (0xfffULL << 20) | 0xfffff;
	ev.object.ino = UINT64_MAX - 1;
	ev.pid = INT32_MAX;
	ev.uid = UINT32_MAX;
	ev.euid = UINT32_MAX - 1;
	ev.label = UINT32_MAX;
	ev.app = UINT32_MAX;
	obj = event_json(&ev, OFFSET_NS);
	EXPECT_EQ((0xfffULL << 20) | 0xfffff, juint(obj, "dev"));
	EXPECT_EQ(UINT64_MAX - 1, juint(obj, "ino"));
	EXPECT_EQ(INT32_MAX, jint(obj, "pid"));
	EXPECT_EQ((int64_t)UINT32_MAX, jint(obj, "uid"));
	EXPECT_EQ((int64_t)UINT32_MAX - 1, jint(obj, "euid"));
	EXPECT_EQ((int64_t)UINT32_MAX, jint(obj, "label"));
	EXPECT_EQ((int64_t)UINT32_MAX, jint(obj, "app"));
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

/* What event_print() writes for @ev. */
static char *print(const struct ward_event *ev, __s64 offset)
{
	char *out = NULL;
	size_t size;
	FILE *f = open_memstream(&out, &size);

	if (!f)
		return NULL;
	event_print(ev, offset, f);
	if (fclose(f)) {
		free(out);
		return NULL;
	}
	return out;
}

TEST(event_print_writes_one_line_with_the_fields)
{
	struct ward_event ev;
	char *out;

	denial(&ev);
	out = print(&ev, OFFSET_NS);
	ASSERT_NE(NULL, out);
	EXPECT_STREQ(TIME_STR " denied write open path=\"/etc/passwd\" "
			      "ino=8388609:42 label=3 pid=100 uid=1000 euid=0 "
			      "comm=\"cat\" exe=\"/usr/bin/cat\" app=0\n",
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
	EXPECT_STREQ(TIME_STR " complain write rename "
			      "path=\"/srv/data/new.txt\" ino=8388609:42 "
			      "label=0 walk_limit pid=100 uid=1000 euid=0 "
			      "comm=\"mv\" exe=\"/usr/bin/mv\" app=2\n",
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
	strcpy(ev.name, "x\"\nfake");
	strcpy(ev.comm, "a\\b\tc\x7f");
	strcpy(ev.exe, "/tmp/\r\x1b[2J");
	out = print(&ev, OFFSET_NS);
	ASSERT_NE(NULL, out);
	EXPECT_STREQ(TIME_STR " complain write rename "
			      "path=\"/srv/data/x\\\"\\x0afake\" "
			      "ino=8388609:42 label=0 walk_limit pid=100 "
			      "uid=1000 euid=0 comm=\"a\\\\b\\x09c\\x7f\" "
			      "exe=\"/tmp/\\x0d\\x1b[2J\" app=2\n",
		     out);
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
			      " denied write open path=\"%s\" "
			      "ino=8388609:42 label=3 pid=100 uid=1000 euid=0 "
			      "comm=\"%s\" exe=\"%s\" app=0\n",
			      joined, comm, exe));
	EXPECT_STREQ(line, out);
	free(line);
	free(out);

	/* Without a name, the path alone, up to the guard page. */
	ev->flags = 0;
	EXPECT_STREQ(path, object_path(ev));
	obj = event_json(ev, OFFSET_NS);
	EXPECT_STREQ(path, jstr(obj, "path"));
	json_object_put(obj);

	munmap(mem, 2 * page);
}

TEST_HARNESS_MAIN
