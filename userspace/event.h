/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ward - events as people and programs read them
 */

#ifndef WARD_EVENT_H
#define WARD_EVENT_H

#include <stdio.h>
#include <json-c/json.h>

#include "ward_abi.h"

/* "open", "rename", ...; "unknown" for an op this ward does not know. */
const char *event_op_name(__u32 op);

/* What an event is about, which decides its fields. */
enum event_kind {
	EVENT_FILE,
	EVENT_NET,
	EVENT_SOCKET,
	EVENT_CAP,
	EVENT_PTRACE,
	EVENT_SIGNAL, /* to a process of ward's domain */
	EVENT_BPF, /* a bpf(2) command: the object's id or program type */
	EVENT_KERNEL, /* prctl, a module or a kexec image */
	EVENT_CLOCK, /* the system clock set */
	EVENT_SYSCTL, /* a sysctl written */
	EVENT_MOUNT, /* a mount made, moved or detached */
};

enum event_kind event_kind(const struct ward_event *ev);

/* "denial", "complain" or "audit". */
const char *event_type_name(const struct ward_event *ev);

/*
 * The path of the object decided on: the path, or for an operation on a
 * directory entry "DIR/NAME" ("NAME" alone when the kernel could not tell
 * DIR), or "DIR" when the directory itself was decided on (creating an
 * entry, removing one from it; empty when the kernel could not tell).
 */
void event_object_path(const struct ward_event *ev, char *buf, size_t size);

/*
 * Why a path is not there whole (enum ward_path_missing): "mount",
 * "too_long", "too_deep", "unreadable", "none", "unknown" for a reason
 * this ward does not know; NULL when it is whole.
 */
const char *event_path_missing(__u8 why);

/*
 * CLOCK_REALTIME nanoseconds of @ev, given @boot_offset_ns: realtime minus
 * boottime, as event_boot_offset() measures it.
 */
__u64 event_realtime_ns(const struct ward_event *ev, __s64 boot_offset_ns);
__s64 event_boot_offset(void);

json_object *event_json(const struct ward_event *ev, __s64 boot_offset_ns);

/*
 * One line: time, type, result, access, operation, object, then the
 * subject's fields; the app by @app_name, or by id when NULL.
 */
void event_print(const struct ward_event *ev, __s64 boot_offset_ns,
		 const char *app_name, FILE *out);

#endif /* WARD_EVENT_H */
