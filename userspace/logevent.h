/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ward - the records ward logd makes: of the kernel's events, and the
 * fields every one of its records has
 *
 * A record is a JSON object: "type", "time" (when it was written: the
 * store seals by it), "boot_id", then what the type says; the store adds
 * "seq" and "prev" (logstore.h).  Who did it is "subject" (pid, uid, euid,
 * loginuid, sessionid, comm, exe, app), what it was done to "object", and
 * "result" says whether it was allowed.  "policy" is the policy in force.
 * Documentation/admin-guide.rst lists the fields of each type.
 */

#ifndef WARD_LOGEVENT_H
#define WARD_LOGEVENT_H

#include <json-c/json.h>

#include "logrec.h"
#include "ward_abi.h"

/* A record of @type written now, in the boot @boot_id. */
json_object *record_new(const char *type, const char *boot_id);

/*
 * The record of @ev: DENY for a denial and for a complain-mode event
 * (result "allowed", "mode": "complain"), SHUTDOWN for a reboot(2),
 * CONFIG_CHANGE for the rest (changes the policy audits).  "event_time"
 * is when the kernel decided.  @app_name names the subject's app, NULL if
 * unknown.
 */
json_object *record_event(const struct ward_event *ev, __s64 boot_offset_ns,
			  const char *boot_id, const char *app_name);

/*
 * "policy": the name, version and hash of @info, and the mode @mode
 * (enum ward_mode); null for no policy.
 */
json_object *record_policy(const struct ward_policy_info *info, __u32 mode);

/* The subject of @c, a change a command of ward's queued. */
json_object *record_change_subject(const struct ward_change *c);

/* This boot's id (/proc/sys/kernel/random/boot_id); 0 or -errno. */
int record_boot_id(char buf[LOG_BOOT_ID_LEN]);

#endif /* WARD_LOGEVENT_H */
