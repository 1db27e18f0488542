// SPDX-License-Identifier: GPL-2.0
/*
 * ward - the records ward logd makes: of the kernel's events, and the
 * fields every one of its records has
 *
 * An event of the kernel (event.c's JSON) is regrouped into who did it
 * ("subject"), to what ("object") and how it ended, and given the log's
 * type: the kernel reports denials, would-be denials in complain mode,
 * changes the policy audits and reboot(2).
 */

#include <string.h>

#include "event.h"
#include "logevent.h"
#include "system.h"

json_object *record_new(const char *type, const char *boot_id)
{
	json_object *rec = json_object_new_object();
	char when[LOG_TIME_LEN];

	log_time_format(log_realtime_ns(), when);
	json_object_object_add(rec, "type", json_object_new_string(type));
	json_object_object_add(rec, "time", json_object_new_string(when));
	json_object_object_add(rec, "boot_id", json_object_new_string(boot_id));
	return rec;
}

/* The fields of event_json() that say who acted. */
static const char *const subject_keys[] = {
	"pid", "tid", "uid", "euid", "loginuid", "sessionid", "comm", "exe",
	"app", NULL,
};

/* Those that say how it ended, kept at the top; "time" and "type" are
 * the record's own. */
static const char *const result_keys[] = {
	"op", "access", "result", "error", NULL,
};

static bool listed(const char *const *keys, const char *key)
{
	for (; *keys; keys++)
		if (!strcmp(*keys, key))
			return true;
	return false;
}

static const char *record_type(const struct ward_event *ev)
{
	if (ev->type != WARD_EVENT_AUDIT)
		return "DENY";
	return ev->op == WARD_OP_REBOOT ? "SHUTDOWN" : "CONFIG_CHANGE";
}

json_object *record_event(const struct ward_event *ev, __s64 boot_offset_ns,
			  const char *boot_id, const char *app_name)
{
	json_object *flat = event_json(ev, boot_offset_ns);
	json_object *rec, *subject, *object;
	char when[LOG_TIME_LEN];

	rec = record_new(record_type(ev), boot_id);
	log_time_format(event_realtime_ns(ev, boot_offset_ns), when);
	json_object_object_add(rec, "event_time", json_object_new_string(when));
	subject = json_object_new_object();
	object = json_object_new_object();
	json_object_object_foreach(flat, key, value)
	{
		json_object *to = listed(subject_keys, key) ? subject :
				  listed(result_keys, key)  ? rec :
							      object;

		if (!strcmp(key, "time") || !strcmp(key, "time_ns") ||
		    !strcmp(key, "type"))
			continue;
		json_object_object_add(to, key, json_object_get(value));
	}
	json_object_put(flat);
	if (app_name)
		json_object_object_add(subject, "app_name",
				       json_object_new_string(app_name));
	if (ev->type == WARD_EVENT_COMPLAIN)
		json_object_object_add(rec, "mode",
				       json_object_new_string("complain"));
	if (ev->op == WARD_OP_REBOOT)
		json_object_object_add(rec, "source",
				       json_object_new_string("reboot(2)"));
	json_object_object_add(rec, "subject", subject);
	json_object_object_add(rec, "object", object);
	return rec;
}

static json_object *string_of(const char *s, size_t max)
{
	return json_object_new_string_len(s, strnlen(s, max));
}

json_object *record_policy(const struct ward_policy_info *info, __u32 mode)
{
	char hash[2 * sizeof(info->sha256) + 1];
	json_object *policy;

	if (!info)
		return NULL;
	log_hex(info->sha256, sizeof(info->sha256), hash);
	policy = json_object_new_object();
	json_object_object_add(policy, "name",
			       string_of(info->name, sizeof(info->name)));
	json_object_object_add(policy, "version",
			       string_of(info->version, sizeof(info->version)));
	json_object_object_add(policy, "sha256", json_object_new_string(hash));
	json_object_object_add(policy, "mode",
			       json_object_new_string(mode == WARD_MODE_COMPLAIN ?
							      "complain" :
							      "enforce"));
	return policy;
}

json_object *record_change_subject(const struct ward_change *c)
{
	json_object *subject = json_object_new_object();

	json_object_object_add(subject, "pid", json_object_new_int64(c->pid));
	json_object_object_add(subject, "uid", json_object_new_int64(c->uid));
	/* -1 (unset) as the kernel's audit records print it. */
	json_object_object_add(subject, "loginuid",
			       json_object_new_int64((__s32)c->loginuid));
	json_object_object_add(subject, "sessionid",
			       json_object_new_int64((__s32)c->sessionid));
	json_object_object_add(subject, "exe", json_object_new_string("ward"));
	return subject;
}

int record_boot_id(char buf[LOG_BOOT_ID_LEN])
{
	return read_line("/proc/sys/kernel/random/boot_id", buf,
			 LOG_BOOT_ID_LEN);
}
