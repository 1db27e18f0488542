// SPDX-License-Identifier: GPL-2.0
/*
 * ward - unit tests of the records ward logd makes of the kernel's events
 * (logevent.c): who in "subject", what in "object", the log's type.
 */

#include <errno.h>
#include <string.h>
#include <json-c/json.h>

#include "unit.h"
#include "logevent.h"

#define BOOT_ID "cee74cea-30ac-4e2f-a4af-aa4f6690fa0b"

static json_object *get(json_object *obj, const char *path)
{
	char key[64];
	const char *dot;

	while (obj && (dot = strchr(path, '.'))) {
		snprintf(key, sizeof(key), "%.*s", (int)(dot - path), path);
		obj = json_object_object_get(obj, key);
		path = dot + 1;
	}
	return obj ? json_object_object_get(obj, path) : NULL;
}

static const char *str(json_object *obj, const char *path)
{
	return json_object_get_string(get(obj, path));
}

/* uid 1000, logged in as 1000 in session 7, writing /etc/passwd. */
static void event(struct ward_event *ev, __u32 type)
{
	memset(ev, 0, sizeof(*ev));
	ev->boot_ns = 5000000000ULL;
	ev->type = type;
	ev->op = WARD_OP_OPEN;
	ev->access = WARD_ACCESS_WRITE;
	ev->error = type == WARD_EVENT_DENIED ? -EACCES : 0;
	ev->pid = ev->tid = 100;
	ev->uid = ev->loginuid = 1000;
	ev->sessionid = 7;
	ev->object.ino = 42;
	strcpy(ev->comm, "cat");
	strcpy(ev->exe, "/usr/bin/cat");
	strcpy(ev->path, "/etc/passwd");
}

TEST(a_denial_is_deny_with_subject_and_object_apart)
{
	struct ward_event ev;
	json_object *rec;

	event(&ev, WARD_EVENT_DENIED);
	rec = record_event(&ev, 1700000000000000000LL, BOOT_ID, "shell");
	ASSERT_NE(NULL, rec);
	EXPECT_STREQ("DENY", str(rec, "type"));
	EXPECT_STREQ(BOOT_ID, str(rec, "boot_id"));
	/* When the kernel decided: not the record's own time. */
	EXPECT_STREQ("2023-11-14T22:13:25.000000000Z", str(rec, "event_time"));
	EXPECT_STREQ("denied", str(rec, "result"));
	EXPECT_EQ(-EACCES, json_object_get_int(get(rec, "error")));
	EXPECT_STREQ("open", str(rec, "op"));
	EXPECT_STREQ("write", str(rec, "access"));
	EXPECT_EQ(1000, json_object_get_int(get(rec, "subject.loginuid")));
	EXPECT_EQ(7, json_object_get_int(get(rec, "subject.sessionid")));
	EXPECT_STREQ("/usr/bin/cat", str(rec, "subject.exe"));
	EXPECT_STREQ("shell", str(rec, "subject.app_name"));
	EXPECT_STREQ("/etc/passwd", str(rec, "object.path"));
	EXPECT_EQ(42, json_object_get_int(get(rec, "object.ino")));
	/* Nothing of the subject's or the object's is left at the top. */
	EXPECT_EQ(NULL, get(rec, "pid"));
	EXPECT_EQ(NULL, get(rec, "path"));
	EXPECT_EQ(NULL, get(rec, "mode"));
	json_object_put(rec);
}

TEST(a_complaint_is_deny_allowed_in_complain_mode)
{
	struct ward_event ev;
	json_object *rec;

	event(&ev, WARD_EVENT_COMPLAIN);
	rec = record_event(&ev, 0, BOOT_ID, NULL);
	EXPECT_STREQ("DENY", str(rec, "type"));
	EXPECT_STREQ("allowed", str(rec, "result"));
	EXPECT_STREQ("complain", str(rec, "mode"));
	EXPECT_EQ(NULL, get(rec, "subject.app_name"));
	json_object_put(rec);
}

TEST(an_audited_change_is_config_change_and_reboot_shutdown)
{
	struct ward_event ev;
	json_object *rec;

	event(&ev, WARD_EVENT_AUDIT);
	rec = record_event(&ev, 0, BOOT_ID, NULL);
	EXPECT_STREQ("CONFIG_CHANGE", str(rec, "type"));
	EXPECT_STREQ("allowed", str(rec, "result"));
	json_object_put(rec);

	ev.op = WARD_OP_REBOOT;
	ev.access = 0x4321fedc;
	rec = record_event(&ev, 0, BOOT_ID, NULL);
	EXPECT_STREQ("SHUTDOWN", str(rec, "type"));
	EXPECT_STREQ("reboot(2)", str(rec, "source"));
	EXPECT_STREQ("poweroff", str(rec, "access"));
	json_object_put(rec);
}

TEST(the_policy_names_itself_its_hash_and_mode)
{
	struct ward_policy_info info = { .sha256 = { 0xab, 0x01 } };
	json_object *policy;

	strcpy(info.name, "base");
	strcpy(info.version, "1.0.0");
	policy = record_policy(&info, WARD_MODE_COMPLAIN);
	EXPECT_STREQ("base", str(policy, "name"));
	EXPECT_STREQ("1.0.0", str(policy, "version"));
	EXPECT_EQ(0, strncmp("ab01000000", str(policy, "sha256"), 10));
	EXPECT_EQ(64U, strlen(str(policy, "sha256")));
	EXPECT_STREQ("complain", str(policy, "mode"));
	json_object_put(policy);
	EXPECT_EQ(NULL, record_policy(NULL, 0));
}

TEST(a_change_names_who_made_it)
{
	struct ward_change c = { .pid = 42,
				 .uid = 0,
				 .loginuid = 1000,
				 .sessionid = (__u32)-1 };
	json_object *subject = record_change_subject(&c);

	EXPECT_EQ(42, json_object_get_int(get(subject, "pid")));
	EXPECT_EQ(1000, json_object_get_int(get(subject, "loginuid")));
	EXPECT_EQ(-1, json_object_get_int(get(subject, "sessionid")));
	json_object_put(subject);
}

TEST_HARNESS_MAIN
