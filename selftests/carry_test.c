// SPDX-License-Identifier: GPL-2.0
/*
 * ward selftests - labels and apps follow files only when the operation
 * succeeded, reach every name of a file, survive a full policy map and a
 * policy load
 *
 * The tree:
 *
 *   DIR/secret     label "secret": only the app "writer" may write it
 *   DIR/bin/       root's, mode 0755: DIR/bin/writer is the app's
 *   DIR/tree/      label "tree": only the app "mover" may write in it
 *   DIR/out/       no label, mode 0777
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <json-c/json.h>

#include "common.h"
#include "harness.h"
#include "ward_abi.h"

FIXTURE(carry)
{
	char dir[64];
};

static int load(FIXTURE_DATA(carry) * self, const char *more)
{
	char *text;
	int status;

	if (asprintf(&text,
		     "policy carry 1.0.0\n"
		     "files secret %s\n"
		     "files tree %s\n"
		     "app writer %s\n"
		     "app mover %s\n"
		     "allow writer write,rename secret\n"
		     "allow mover write,rename tree\n"
		     "allow any read secret tree\n"
		     "%s",
		     at(self, "secret"), at(self, "tree"),
		     at(self, "bin/writer"), at(self, "bin/mover"), more) < 0)
		return -1;
	status = ward_load_text(self->dir, text);
	free(text);
	return status;
}

FIXTURE_SETUP(carry)
{
	strcpy(self->dir, SCRATCH "/carry-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	ASSERT_EQ(0, chmod(self->dir, 0755));
	ASSERT_EQ(0, write_file(at(self, "secret"), "original\n"));
	ASSERT_EQ(0, mkdir(at(self, "bin"), 0755));
	ASSERT_EQ(0, copy_file("/proc/self/exe", at(self, "bin/writer")));
	ASSERT_EQ(0, copy_file("/proc/self/exe", at(self, "bin/mover")));
	ASSERT_EQ(0, mkdir(at(self, "tree"), 0755));
	ASSERT_EQ(0, write_file(at(self, "tree/conf"), "original\n"));
	ASSERT_EQ(0, mkdir(at(self, "out"), 0777));
	ASSERT_EQ(0, chmod(at(self, "out"), 0777));
}

FIXTURE_TEARDOWN(carry)
{
	ward_load_text(self->dir, "policy none 0.0.1\n");
	remove_tree(self->dir);
}

/*
 * The review's third finding, by an ordinary user: the label and the app
 * of a rename's target went to the source at the check, before the
 * kernel's own permission checks refused the rename; the user's program
 * then ran as the app.  Here ward lets anyone replace the executable, and
 * the directory's mode alone refuses the user.
 */
TEST_F(carry, failed_rename_hands_over_nothing)
{
	ASSERT_EQ(0, load(self, "allow any write,rename executables\n"));
	ASSERT_EQ(0, copy_file("/proc/self/exe", at(self, "out/evil")));
	ASSERT_EQ(0, chown(at(self, "out/evil"), 1234, 1234));
	EXPECT_EQ(EACCES, run_op(NULL, NULL, "as", "1234", "1234", "-",
				 "rename", at(self, "out/evil"),
				 at(self, "bin/writer"), NULL));
	/* The user's program is no app, and does not write the secret. */
	EXPECT_EQ(EACCES,
		  run_helper(at(self, "out/evil"), "append", at(self, "secret")));
	EXPECT_EQ(0, run_helper(at(self, "bin/writer"), "append",
				at(self, "secret")));
	expect_content(_metadata, at(self, "secret"), "original\nhelper\n");
}

/*
 * A replace holds the replaced file's label on the newcomer from its
 * check on (module/carry.bpf.h).  One the kernel then refuses (here the
 * directory's mode refuses the user) gives the newcomer back what it had:
 * no label, or its own.  "secret" grants no chmod, "other" no read and
 * "secret" read to any: a chmod and a read tell the three apart.
 */
TEST_F(carry, failed_rename_gives_back_the_label_it_held)
{
	char *more;

	ASSERT_EQ(0, write_file(at(self, "out/plain"), "mine\n"));
	ASSERT_EQ(0, write_file(at(self, "out/mine"), "mine\n"));
	ASSERT_EQ(0, chown(at(self, "out/plain"), 1234, 1234));
	ASSERT_EQ(0, chown(at(self, "out/mine"), 1234, 1234));
	ASSERT_LE(0, asprintf(&more,
			      "files other %s\n"
			      "allow any write,rename secret other\n",
			      at(self, "out/mine")));
	ASSERT_EQ(0, load(self, more));
	free(more);
	/* Labels cached before the rename, too. */
	ASSERT_EQ(0, errno_of(chmod(at(self, "out/plain"), 0644)));
	ASSERT_EQ(EACCES, try_open(at(self, "out/mine"), O_RDONLY));
	EXPECT_EQ(EACCES, run_op(NULL, NULL, "as", "1234", "1234", "-",
				 "rename", at(self, "out/plain"),
				 at(self, "secret"), NULL));
	EXPECT_EQ(EACCES, run_op(NULL, NULL, "as", "1234", "1234", "-",
				 "rename", at(self, "out/mine"),
				 at(self, "secret"), NULL));
	EXPECT_EQ(0, errno_of(chmod(at(self, "out/plain"), 0644)));
	EXPECT_EQ(EACCES, try_open(at(self, "out/mine"), O_RDONLY));
	expect_content(_metadata, at(self, "secret"), "original\n");
}

/*
 * The newcomer is reachable at the replaced file's name as soon as the
 * kernel has renamed it, before the rename's end (fexit) runs: it must be
 * protected from the check on.  Opens race replaces by the app; none may
 * write.  Not deterministic: a window of the kind fails it most runs.
 */
TEST_F_TIMEOUT(carry, replaced_file_is_never_open_in_between, 300)
{
	int opens = 0, opened = 0, status;
	pid_t replacer;

	ASSERT_EQ(0, load(self, ""));
	replacer = fork();
	ASSERT_LE(0, replacer);
	if (replacer == 0) {
		int failed = 0;

		for (int i = 0; i < 200; i++) {
			write_file(at(self, "secret.x"), "new\n");
			failed += !!run_op(NULL, at(self, "bin/writer"),
					   "rename", at(self, "secret.x"),
					   at(self, "secret"), NULL);
		}
		_exit(failed ? 1 : 0);
	}
	while (waitpid(replacer, &status, WNOHANG) == 0) {
		opens++;
		if (try_open(at(self, "secret"), O_WRONLY) != EACCES)
			opened++;
	}
	EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status));
	EXPECT_EQ(0, opened)
	{
		TH_LOG("%d of %d opens wrote the newcomer", opened, opens);
	}
	EXPECT_EQ(EACCES, try_open(at(self, "secret"), O_WRONLY));
	/* Each open refused was reported: out of the way of later tests. */
	json_object_put(ward_events());
}

/*
 * The review's tenth: a second name, made before the policy labelled the
 * directory, wrote the protected file.
 */
TEST_F(carry, name_made_before_the_label_does_not_escape_it)
{
	ASSERT_EQ(0, link(at(self, "tree/conf"), at(self, "out/alias")));
	ASSERT_EQ(0, load(self, ""));
	EXPECT_EQ(EACCES, try_open(at(self, "out/alias"), O_WRONLY));
	EXPECT_EQ(EACCES, try_open(at(self, "tree/conf"), O_WRONLY));
	expect_content(_metadata, at(self, "out/alias"), "original\n");
}

/* A second name made afterwards, by one allowed to, takes the label too. */
TEST_F(carry, name_made_afterwards_takes_the_label)
{
	ASSERT_EQ(0, load(self, "allow any link tree\n"));
	ASSERT_EQ(0, link(at(self, "tree/conf"), at(self, "out/alias")));
	EXPECT_EQ(EACCES, try_open(at(self, "out/alias"), O_WRONLY));
}

/*
 * A link the kernel refuses after ward allowed it (here the target
 * directory's mode) leaves the file as it was: its label still comes
 * from where it is, and goes when it moves out.
 */
TEST_F(carry, failed_link_pins_nothing)
{
	ASSERT_EQ(0, load(self, "allow any link,chown tree\n"));
	ASSERT_EQ(0, chown(at(self, "tree/conf"), 1234, 1234));
	EXPECT_EQ(EACCES, run_op(NULL, NULL, "as", "1234", "1234", "-", "link",
				 at(self, "tree/conf"), at(self, "bin/alias"),
				 NULL));
	EXPECT_EQ(0, run_op(NULL, at(self, "bin/mover"), "rename",
			    at(self, "tree/conf"), at(self, "out/conf"), NULL));
	EXPECT_EQ(0, try_open(at(self, "out/conf"), O_WRONLY));
}

/* A file with a name outside, moved under the labelled directory. */
TEST_F(carry, file_moved_in_takes_the_label_for_every_name)
{
	ASSERT_EQ(0, load(self, ""));
	ASSERT_EQ(0, write_file(at(self, "out/x"), "mine\n"));
	ASSERT_EQ(0, link(at(self, "out/x"), at(self, "out/y")));
	EXPECT_EQ(0, run_op(NULL, at(self, "bin/mover"), "rename",
			    at(self, "out/x"), at(self, "tree/x"), NULL));
	EXPECT_EQ(EACCES, try_open(at(self, "out/y"), O_WRONLY));
	EXPECT_EQ(EACCES, try_open(at(self, "tree/x"), O_WRONLY));
}

/* Writes @path.new and renames it over @path: 0 or an errno. */
static int replace(const char *path)
{
	char tmp[PATH_MAX];

	snprintf(tmp, sizeof(tmp), "%s.new", path);
	if (write_file(tmp, "replaced\n"))
		return EIO;
	return errno_of(rename(tmp, path));
}

/*
 * The review's fifth: with the map full, the label a replaced file hands
 * over was lost and the newcomer was writable.  Every replace here keeps
 * the old file by another name, so each carry takes one more entry, until
 * none is left: the rename is then refused, reported and counted.
 */
TEST_F(carry, full_policy_map_refuses_what_it_cannot_carry)
{
	json_object *status, *counters, *events, *ev;
	char keep[PATH_MAX], *out = NULL;
	int err = 0, n;

	ASSERT_EQ(0, load(self, "allow any write,rename,link secret\n"));
	ASSERT_EQ(0, mkdir(at(self, "keep"), 0755));
	for (n = 0; n < WARD_POLICY_ROOM_MIN + 100 && !err; n++) {
		snprintf(keep, sizeof(keep), "%s/%d", at(self, "keep"), n);
		ASSERT_EQ(0, link(at(self, "secret"), keep));
		err = replace(at(self, "secret"));
	}
	EXPECT_EQ(ENOSPC, err)
	{
		TH_LOG("%d replaces, the last: %s", n, strerror(err));
	}
	EXPECT_LT(WARD_POLICY_ROOM_MIN - 100, n);
	/* A new policy, a new map: the events of the old one first. */
	ASSERT_EQ(0, ward_load_text(self->dir,
				    "policy carry 1.0.1\n"
				    "files secret /nonexistent\n"));
	events = ward_events();
	ev = event_find(events, "op", "rename", "result", "denied", NULL);
	ASSERT_NE(NULL, ev)
	{
		TH_LOG("no refused rename in the events");
	}
	EXPECT_EQ(-ENOSPC, event_num(ev, "error"));
	EXPECT_TRUE(json_object_get_boolean(json_object_object_get(ev,
								  "map_full")));
	json_object_put(events);
	ASSERT_EQ(0, ward_run(&out, NULL, "--json", "status", NULL));
	status = json_tokener_parse(out);
	free(out);
	counters = json_object_object_get(status, "counters");
	EXPECT_LE(1, json_object_get_int(
			     json_object_object_get(counters, "map_full")));
	json_object_put(status);
}

/*
 * The review's fourth: a file replaced by rename between a load's compile
 * and its install ended up unlabelled.  With a replacer at work all the
 * time, each load must leave the file at the path protected.
 */
TEST_F_TIMEOUT(carry, policy_load_converges_with_files_being_replaced, 600)
{
	char stop[PATH_MAX], *text;
	int unprotected = 0;
	pid_t replacer;

	ASSERT_EQ(0, load(self, ""));
	snprintf(stop, sizeof(stop), "%s", at(self, "stop"));
	/* passwd's way: a new file renamed over the old, by the app. */
	replacer = fork();
	ASSERT_LE(0, replacer);
	if (replacer == 0) {
		while (access(stop, F_OK)) {
			write_file(at(self, "secret.x"), "new\n");
			run_op(NULL, at(self, "bin/writer"), "rename",
			       at(self, "secret.x"), at(self, "secret"), NULL);
		}
		_exit(0);
	}
	for (int i = 0; i < 20; i++) {
		ASSERT_LE(0, asprintf(&text,
				      "allow any read %s\n# load %d\n",
				      at(self, "out"), i));
		ASSERT_EQ(0, load(self, text));
		free(text);
		if (try_open(at(self, "secret"), O_WRONLY) != EACCES)
			unprotected++;
	}
	write_file(stop, "");
	waitpid(replacer, NULL, 0);
	EXPECT_EQ(0, unprotected);
	EXPECT_EQ(EACCES, try_open(at(self, "secret"), O_WRONLY));
}

WARD_TEST_MAIN
