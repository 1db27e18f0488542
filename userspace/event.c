// SPDX-License-Identifier: GPL-2.0
/*
 * ward - events as people and programs read them
 */

#include <string.h>
#include <time.h>

#include "event.h"
#include "policy.h"

static const char *const op_names[WARD_OP_MAX] = {
	[WARD_OP_OPEN] = "open",       [WARD_OP_TRUNCATE] = "truncate",
	[WARD_OP_CREATE] = "create",   [WARD_OP_MKDIR] = "mkdir",
	[WARD_OP_SYMLINK] = "symlink", [WARD_OP_UNLINK] = "unlink",
	[WARD_OP_RMDIR] = "rmdir",     [WARD_OP_LINK] = "link",
	[WARD_OP_RENAME] = "rename",
};

const char *event_op_name(__u32 op)
{
	return op < WARD_OP_MAX && op_names[op] ? op_names[op] : "unknown";
}

static const char *result_name(const struct ward_event *ev)
{
	return ev->flags & WARD_EVENT_COMPLAIN ? "complain" : "denied";
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
	if (!dir[0])
		snprintf(buf, size, "%s", name);
	else
		snprintf(buf, size, "%s%s%s", dir, strcmp(dir, "/") ? "/" : "",
			 name);
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

static const char *access_name(__u32 access)
{
	const char *name = policy_access_name(access);

	return name ? name : "unknown";
}

json_object *event_json(const struct ward_event *ev, __s64 boot_offset_ns)
{
	char path[2 * WARD_EVENT_PATH_MAX], str[WARD_EVENT_PATH_MAX + 1];
	__u64 ns = event_realtime_ns(ev, boot_offset_ns);
	json_object *obj = json_object_new_object();

	format_time(ns, str, sizeof(str));
	json_object_object_add(obj, "time", json_object_new_string(str));
	json_object_object_add(obj, "time_ns", json_object_new_uint64(ns));
	json_object_object_add(obj, "result",
			       json_object_new_string(result_name(ev)));
	json_object_object_add(obj, "error", json_object_new_int(ev->error));
	json_object_object_add(obj, "op",
			       json_object_new_string(event_op_name(ev->op)));
	json_object_object_add(obj, "access",
			       json_object_new_string(access_name(ev->access)));
	event_object_path(ev, path, sizeof(path));
	json_object_object_add(obj, "path", json_object_new_string(path));
	copy_str(str, ev->name, sizeof(str), sizeof(ev->name));
	json_object_object_add(obj, "name", json_object_new_string(str));
	json_object_object_add(obj, "dev",
			       json_object_new_uint64(ev->object.dev));
	json_object_object_add(obj, "ino",
			       json_object_new_uint64(ev->object.ino));
	json_object_object_add(obj, "label", json_object_new_int64(ev->label));
	json_object_object_add(
		obj, "walk_limit",
		json_object_new_boolean(!!(ev->flags & WARD_EVENT_WALK_LIMIT)));
	json_object_object_add(obj, "pid", json_object_new_int64(ev->pid));
	json_object_object_add(obj, "tid", json_object_new_int64(ev->tid));
	json_object_object_add(obj, "uid", json_object_new_int64(ev->uid));
	json_object_object_add(obj, "euid", json_object_new_int64(ev->euid));
	copy_str(str, ev->comm, sizeof(str), sizeof(ev->comm));
	json_object_object_add(obj, "comm", json_object_new_string(str));
	copy_str(str, ev->exe, sizeof(str), sizeof(ev->exe));
	json_object_object_add(obj, "exe", json_object_new_string(str));
	json_object_object_add(obj, "app", json_object_new_int64(ev->app));
	return obj;
}

void event_print(const struct ward_event *ev, __s64 boot_offset_ns, FILE *out)
{
	char path[2 * WARD_EVENT_PATH_MAX], when[64];
	char comm[sizeof(ev->comm) + 1], exe[sizeof(ev->exe) + 1];
	char qpath[4 * sizeof(path)], qcomm[4 * sizeof(comm)];
	char qexe[4 * sizeof(exe)];

	format_time(event_realtime_ns(ev, boot_offset_ns), when, sizeof(when));
	event_object_path(ev, path, sizeof(path));
	copy_str(comm, ev->comm, sizeof(comm), sizeof(ev->comm));
	copy_str(exe, ev->exe, sizeof(exe), sizeof(ev->exe));
	escape(qpath, sizeof(qpath), path);
	escape(qcomm, sizeof(qcomm), comm);
	escape(qexe, sizeof(qexe), exe);
	fprintf(out,
		"%s %s %s %s path=\"%s\" ino=%llu:%llu label=%u%s pid=%u uid=%u euid=%u comm=\"%s\" exe=\"%s\" app=%u\n",
		when, result_name(ev), access_name(ev->access),
		event_op_name(ev->op), qpath,
		(unsigned long long)ev->object.dev,
		(unsigned long long)ev->object.ino, ev->label,
		ev->flags & WARD_EVENT_WALK_LIMIT ? " walk_limit" : "", ev->pid,
		ev->uid, ev->euid, qcomm, qexe, ev->app);
}
