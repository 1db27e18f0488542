// SPDX-License-Identifier: GPL-2.0
/*
 * ward selftests - a confined app uses only the capabilities its rules
 * name, even as root
 *
 *   DIR/capapp    a copy of this program, the confined app "capapp",
 *                 allowed to chown DIR/file and to create entries in DIR
 *   DIR/file      a file of root's
 *
 * The test runs as root and belongs to no app.
 */

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <json-c/json.h>

#include "common.h"
#include "harness.h"

/* Capability numbers, as in linux/capability.h. */
#define CAP_CHOWN 0
#define CAP_NET_BIND_SERVICE 10
#define CAP_SYS_ADMIN 21
#define CAP_MKNOD 27
#define CAP_SYSLOG 34

FIXTURE(cap)
{
	char dir[64];
	char capapp[PATH_MAX];
	char file[PATH_MAX];
	char node[PATH_MAX];
	char hostname[256];
	char *rules;
};

FIXTURE_SETUP(cap)
{
	strcpy(self->dir, SCRATCH "/cap-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	snprintf(self->capapp, sizeof(self->capapp), "%s/capapp", self->dir);
	snprintf(self->file, sizeof(self->file), "%s/file", self->dir);
	snprintf(self->node, sizeof(self->node), "%s/null", self->dir);
	ASSERT_EQ(0, copy_file("/proc/self/exe", self->capapp));
	ASSERT_EQ(0, write_file(self->file, "file\n"));
	ASSERT_EQ(0, gethostname(self->hostname, sizeof(self->hostname)));
	self->rules = confined_program_rules("capapp", self->capapp);
	ASSERT_NE(NULL, self->rules);
}

FIXTURE_TEARDOWN(cap)
{
	ward_load_text("/tmp", "policy none 0.0.1\n");
	sethostname(self->hostname, strlen(self->hostname));
	remove_tree(self->dir);
	free(self->rules);
}

/* Loads a policy confining capapp, with its file rules and @more. */
static int load(FIXTURE_DATA(cap) * self, const char *more)
{
	char *text;
	int status;

	if (asprintf(&text,
		     "policy cap 1.0.0\n"
		     "app capapp %s\n"
		     "confine capapp\n"
		     "%s"
		     "allow capapp chown %s\n"
		     "allow capapp write %s\n"
		     "allow capapp read /proc/kallsyms\n"
		     "allow capapp net bind tcp:80\n"
		     "%s",
		     self->capapp, self->rules, self->file, self->dir,
		     more) < 0)
		return -1;
	status = ward_load_text(self->dir, text);
	free(text);
	return status;
}

/* The capability event of @pid; checks what every one says. */
static json_object *cap_event(struct __test_metadata *_metadata,
			      json_object *events, pid_t pid, int cap,
			      bool complain)
{
	char cap_str[16];
	json_object *ev;

	snprintf(cap_str, sizeof(cap_str), "%d", cap);
	ev = event_find(events, "pid", pid_str(pid), "op", "capable",
			"cap_number", cap_str, NULL);
	EXPECT_NE(NULL, ev)
	{
		TH_LOG("no capable %d event of %d in %s", cap, pid,
		       json_object_to_json_string(events));
	}
	if (!ev)
		return NULL;
	EXPECT_STREQ(complain ? "complain" : "denial", event_str(ev, "type"));
	EXPECT_STREQ(complain ? "allowed" : "denied", event_str(ev, "result"));
	EXPECT_EQ(complain ? 0 : -EPERM, event_num(ev, "error"));
	EXPECT_EQ(ward_app_id("capapp"), event_num(ev, "app"));
	EXPECT_EQ(0, event_num(ev, "uid"));
	EXPECT_EQ(0, event_num(ev, "euid"));
	return ev;
}

/*
 * Does /proc/kallsyms show addresses only with CAP_SYSLOG?  Yes with
 * kptr_restrict 1, or 0 when perf_event_paranoid is above 1.
 */
static bool kallsyms_needs_syslog(void)
{
	char *kptr = read_file("/proc/sys/kernel/kptr_restrict");
	char *perf = read_file("/proc/sys/kernel/perf_event_paranoid");
	bool needs = kptr && perf &&
		     (atoi(kptr) == 1 || (atoi(kptr) == 0 && atoi(perf) > 1));

	free(kptr);
	free(perf);
	return needs;
}

TEST_F(cap, chown_needs_cap_chown)
{
	json_object *events, *ev;
	struct stat st;
	pid_t pid;

	ASSERT_EQ(0, load(self, ""));
	json_object_put(ward_events());
	EXPECT_EQ(EPERM, run_op(&pid, self->capapp, "chown", self->file, "1234",
				"-1", NULL));
	ASSERT_EQ(0, stat(self->file, &st));
	EXPECT_EQ(0U, st.st_uid);
	events = ward_events();
	ev = cap_event(_metadata, events, pid, CAP_CHOWN, false);
	EXPECT_STREQ("chown", event_str(ev, "access"));
	json_object_put(events);

	ASSERT_EQ(0, load(self, "allow capapp cap chown\n"));
	EXPECT_EQ(0, run_op(NULL, self->capapp, "chown", self->file, "1234",
			    "-1", NULL));
	ASSERT_EQ(0, stat(self->file, &st));
	EXPECT_EQ(1234U, st.st_uid);
}

TEST_F(cap, sethostname_needs_cap_sys_admin)
{
	json_object *events;
	pid_t pid;

	ASSERT_EQ(0, load(self, ""));
	json_object_put(ward_events());
	/* The name it has: nothing changes, the check is made all the same. */
	EXPECT_EQ(EPERM, run_op(&pid, self->capapp, "sethostname",
				self->hostname, NULL));
	events = ward_events();
	cap_event(_metadata, events, pid, CAP_SYS_ADMIN, false);
	json_object_put(events);

	ASSERT_EQ(0, load(self, "allow capapp cap sys_admin\n"));
	EXPECT_EQ(0, run_op(NULL, self->capapp, "sethostname", self->hostname,
			    NULL));
}

TEST_F(cap, binding_port_80_needs_cap_net_bind_service)
{
	json_object *events;
	pid_t pid;

	/* The port is allowed ("net bind tcp:80"); the capability is not. */
	ASSERT_EQ(0, load(self, ""));
	json_object_put(ward_events());
	/* bind(2) reports a missing CAP_NET_BIND_SERVICE as EACCES. */
	EXPECT_EQ(EACCES,
		  run_op(&pid, self->capapp, "bind", "tcp", "80", NULL));
	events = ward_events();
	cap_event(_metadata, events, pid, CAP_NET_BIND_SERVICE, false);
	json_object_put(events);

	ASSERT_EQ(0, load(self, "allow capapp cap net_bind_service\n"));
	EXPECT_EQ(0, run_op(NULL, self->capapp, "bind", "tcp", "80", NULL));
}

TEST_F(cap, mknod_of_char_device_needs_cap_mknod)
{
	json_object *events;
	struct stat st;
	pid_t pid;

	ASSERT_EQ(0, load(self, ""));
	json_object_put(ward_events());
	EXPECT_EQ(EPERM, run_op(&pid, self->capapp, "mknod", self->node, "1",
				"3", NULL));
	EXPECT_EQ(-1, stat(self->node, &st));
	events = ward_events();
	cap_event(_metadata, events, pid, CAP_MKNOD, false);
	json_object_put(events);

	ASSERT_EQ(0, load(self, "allow capapp cap mknod\n"));
	EXPECT_EQ(0, run_op(NULL, self->capapp, "mknod", self->node, "1", "3",
			    NULL));
	ASSERT_EQ(0, stat(self->node, &st));
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	EXPECT_EQ(makedev(1, 3), st.st_rdev);
}

TEST_F(cap, a_cap_rule_grants_only_its_capabilities)
{
	ASSERT_EQ(0, load(self, "allow capapp cap mknod sys_admin\n"));
	EXPECT_EQ(0, run_op(NULL, self->capapp, "sethostname", self->hostname,
			    NULL));
	EXPECT_EQ(EPERM, run_op(NULL, self->capapp, "chown", self->file, "1234",
				"-1", NULL));
	EXPECT_EQ(EACCES,
		  run_op(NULL, self->capapp, "bind", "tcp", "80", NULL));
}

TEST_F(cap, complain_mode_allows_and_reports_cap_number)
{
	json_object *events;
	struct stat st;
	pid_t chown_pid, mknod_pid;

	ASSERT_EQ(0, load(self, "mode complain capapp\n"));
	json_object_put(ward_events());
	EXPECT_EQ(0, run_op(&chown_pid, self->capapp, "chown", self->file,
			    "1234", "-1", NULL));
	EXPECT_EQ(0, run_op(&mknod_pid, self->capapp, "mknod", self->node, "1",
			    "3", NULL));
	ASSERT_EQ(0, stat(self->file, &st));
	EXPECT_EQ(1234U, st.st_uid);
	events = ward_events();
	cap_event(_metadata, events, chown_pid, CAP_CHOWN, true);
	cap_event(_metadata, events, mknod_pid, CAP_MKNOD, true);
	json_object_put(events);
}

TEST_F(cap, unconfined_root_is_not_restricted)
{
	json_object *events;
	struct stat st;

	ASSERT_EQ(0, load(self, ""));
	json_object_put(ward_events());
	EXPECT_EQ(0,
		  run_op(NULL, NULL, "chown", self->file, "1234", "-1", NULL));
	EXPECT_EQ(0, run_op(NULL, NULL, "sethostname", self->hostname, NULL));
	EXPECT_EQ(0, run_op(NULL, NULL, "bind", "tcp", "80", NULL));
	EXPECT_EQ(0, run_op(NULL, NULL, "mknod", self->node, "1", "3", NULL));
	if (kallsyms_needs_syslog())
		EXPECT_EQ(0, run_op(NULL, NULL, "kallsyms", NULL));
	ASSERT_EQ(0, stat(self->file, &st));
	EXPECT_EQ(1234U, st.st_uid);
	events = ward_events();
	EXPECT_EQ(0, (int)json_object_array_length(events));
	json_object_put(events);
}

TEST_F(cap, unaudited_capability_probe_is_denied_silently)
{
	json_object *events;
	pid_t pid;

	/* kallsyms_show_value() asks for CAP_SYSLOG with CAP_OPT_NOAUDIT. */
	if (!kallsyms_needs_syslog())
		SKIP(return,
			   "/proc/kallsyms does not depend on CAP_SYSLOG here");
	ASSERT_EQ(0, load(self, ""));
	json_object_put(ward_events());
	EXPECT_EQ(EPERM, run_op(&pid, self->capapp, "kallsyms", NULL));
	events = ward_events();
	EXPECT_EQ(NULL, event_find(events, "pid", pid_str(pid), NULL));
	json_object_put(events);

	ASSERT_EQ(0, load(self, "allow capapp cap syslog\n"));
	EXPECT_EQ(0, run_op(NULL, self->capapp, "kallsyms", NULL));
}

WARD_TEST_MAIN
