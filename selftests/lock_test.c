// SPDX-License-Identifier: GPL-2.0
/*
 * ward selftests - the way back from locked mode
 *
 * A boot with "ward=unlocked" on the kernel command line makes a locked
 * start unlocked, visibly: the administrator's way back from a lock
 * (GB/T 39276 5.1.1.2 c).  scripts/check boots these tests so; elsewhere
 * they skip.  The locked start itself is tamper_test's.
 */

#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "common.h"
#include "harness.h"

static const char policy[] = "policy lock 1.0.0\n"
			     "files secret " SCRATCH "/lock-secret\n"
			     "allow any read secret\n";

FIXTURE(lock)
{
	char policy[64];
};

FIXTURE_SETUP(lock)
{
	char *cmdline = read_file("/proc/cmdline");
	bool unlocked = cmdline && strstr(cmdline, "ward=unlocked");

	free(cmdline);
	if (!unlocked)
		SKIP(return,
			   "needs ward=unlocked on the kernel command line (scripts/check boots so)");
	ward_stop_quietly();
	strcpy(self->policy, SCRATCH "/lock.policy");
	ASSERT_EQ(0, write_file(self->policy, policy));
	ASSERT_EQ(0, write_file(SCRATCH "/lock-secret", "secret\n"));
}

FIXTURE_TEARDOWN(lock)
{
	ward_stop_quietly();
}

TEST_F(lock, the_command_line_makes_a_locked_start_unlocked)
{
	char *out = NULL, *err = NULL;
	json_object *status;

	ASSERT_EQ(0,
		  ward_run(&out, &err, "start", "--lock", self->policy, NULL));
	EXPECT_EQ(NULL, strstr(out, "locked until"));
	EXPECT_STREQ(
		"ward: warning: not locked: the kernel command line says 'ward=unlocked'\n",
		err);
	free(out);
	free(err);
	EXPECT_EQ(0, ward_run(&out, NULL, "status", NULL));
	EXPECT_TRUE(has_line(
		out,
		"lock:      NOT locked: the kernel command line says ward=unlocked"));
	free(out);
	EXPECT_EQ(0, ward_run(&out, NULL, "--json", "status", NULL));
	status = json_tokener_parse(out);
	free(out);
	ASSERT_NE(NULL, status);
	EXPECT_FALSE(json_object_get_boolean(
		json_object_object_get(status, "locked")));
	EXPECT_TRUE(json_object_get_boolean(
		json_object_object_get(status, "break_glass")));
	json_object_put(status);

	/* Enforcing all the same, and the administrator can stop it. */
	EXPECT_EQ(EACCES, try_append(SCRATCH "/lock-secret", "x\n"));
	EXPECT_EQ(0, ward_run(NULL, NULL, "mode", "complain", NULL));
	EXPECT_EQ(0, ward_run(NULL, NULL, "stop", NULL));
	EXPECT_FALSE(ward_is_running());
}

/* "lock" in the policy asks for the lock as --lock does. */
TEST_F(lock, a_policy_that_says_lock_asks_for_it_too)
{
	char *err = NULL;

	ASSERT_EQ(0, write_file(SCRATCH "/locking.policy",
				"policy locking 1.0.0\nlock\n"));
	ASSERT_EQ(0, ward_run(NULL, &err, "start", self->policy,
			      SCRATCH "/locking.policy", NULL));
	EXPECT_STREQ(
		"ward: warning: not locked: the kernel command line says 'ward=unlocked'\n",
		err);
	free(err);
	EXPECT_EQ(0, ward_run(NULL, NULL, "stop", NULL));
}

WARD_TEST_MAIN
