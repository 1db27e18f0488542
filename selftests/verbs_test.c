// SPDX-License-Identifier: GPL-2.0
/*
 * ward selftests - every verb, for every kind of subject, enforced and in
 * complain mode; and how labels come to protect files
 *
 * The verbs fixture makes, in DIR (mode 0777, so that other users work in
 * it too):
 *
 *   DIR/mine, DIR/mine.d        label "obj": the subject is granted VERB
 *   DIR/theirs, DIR/theirs.d    label "obj": another subject tries here
 *   DIR/lacking, DIR/lacking.d  label "other": the subject has every verb
 *                               but VERB
 *   DIR/actor                   a copy of this program, the app "actor"
 *
 * The files are copies of this program (so that exec runs them), mode
 * 0777 and owned by the subject's user, so that DAC lets every operation
 * through and only ward decides.  Each test loads
 *
 *   allow SUBJECT VERB[,WHAT-THE-OPERATION-ALSO-NEEDS] obj
 *   allow SUBJECT EVERY-OTHER-VERB other
 *
 * and checks that the subject may use VERB on mine, that it may not on
 * lacking (EACCES and a denial event, or success and a complain event in
 * complain mode), and that a subject outside the rule may not on theirs
 * (with any, which names everyone, that the app "actor" may).  The
 * variants are the kinds of subject: an app, a user set by uid, by primary
 * gid and by supplementary group, and any; each enforced and complaining.
 *
 * The labels fixture checks which rules protect a label, audit rules,
 * directory labels, nested labels, and what else write covers.
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <json-c/json.h>

#include "common.h"
#include "harness.h"

/* Labels are numbered in the order the files sets are defined. */
#define LABEL_OBJ 1
#define LABEL_OTHER 2

/* Who is not in the rule, in the user set variants. */
#define STRANGER "4321"

enum subject_kind {
	SUBJECT_APP,
	SUBJECT_UID,
	SUBJECT_GID,
	SUBJECT_GROUPS,
	SUBJECT_ANY
};

FIXTURE(verbs)
{
	char dir[64];
};

FIXTURE_VARIANT(verbs)
{
	enum subject_kind kind;
	bool complain;
	/* The rule's subject, and the user set statement it needs. */
	const char *subject;
	const char *users;
	/* The subject's credentials ("as" arguments), NULL: root. */
	const char *uid, *gid, *groups;
	/* A group the subject may give its files (chown). */
	const char *chgrp;
};

#define APP_VARIANT(name, mode)                                            \
	FIXTURE_VARIANT_ADD(verbs, name)                                   \
	{                                                                  \
		.kind = SUBJECT_APP, .complain = mode, .subject = "actor", \
		.chgrp = "4242",                                           \
	}

APP_VARIANT(app, false);
APP_VARIANT(app_complain, true);

#define USERS_VARIANT(name, kind_, mode, member, u, g, gs)              \
	FIXTURE_VARIANT_ADD(verbs, name)                                \
	{                                                               \
		.kind = kind_, .complain = mode, .subject = "staff",    \
		.users = "user staff " member "\n", .uid = u, .gid = g, \
		.groups = gs, .chgrp = g,                               \
	}

USERS_VARIANT(uid, SUBJECT_UID, false, "uid:1234", "1234", "1234", "-");
USERS_VARIANT(uid_complain, SUBJECT_UID, true, "uid:1234", "1234", "1234", "-");
USERS_VARIANT(gid, SUBJECT_GID, false, "gid:2345", "1235", "2345", "-");
USERS_VARIANT(gid_complain, SUBJECT_GID, true, "gid:2345", "1235", "2345", "-");
USERS_VARIANT(supplementary_group, SUBJECT_GROUPS, false, "gid:2346", "1236",
	      "1236", "2346");
USERS_VARIANT(supplementary_group_complain, SUBJECT_GROUPS, true, "gid:2346",
	      "1236", "1236", "2346");

FIXTURE_VARIANT_ADD(verbs, any){
	.kind = SUBJECT_ANY,
	.complain = false,
	.subject = "any",
	.chgrp = "4242",
};

FIXTURE_VARIANT_ADD(verbs, any_complain){
	.kind = SUBJECT_ANY,
	.complain = true,
	.subject = "any",
	.chgrp = "4242",
};

FIXTURE_SETUP(verbs)
{
	static const char *const targets[] = { "mine", "theirs", "lacking" };
	uid_t owner = variant->uid ? (uid_t)atoi(variant->uid) : 0;
	char name[32];

	strcpy(self->dir, SCRATCH "/verbs-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	ASSERT_EQ(0, chmod(self->dir, 0777));
	ASSERT_EQ(0, copy_file("/proc/self/exe", at(self, "actor")));
	for (size_t i = 0; i < 3; i++) {
		const char *file = at(self, targets[i]);
		struct timespec epoch[2] = { { 0, 0 }, { 0, 0 } };

		ASSERT_EQ(0, copy_file("/proc/self/exe", file));
		ASSERT_EQ(0, chmod(file, 0777));
		ASSERT_EQ(0, chown(file, owner, 0));
		/* So that utimes shows. */
		ASSERT_EQ(0, utimensat(AT_FDCWD, file, epoch, 0));
		snprintf(name, sizeof(name), "%s.d", targets[i]);
		ASSERT_EQ(0, mkdir(at(self, name), 0777));
		ASSERT_EQ(0, chmod(at(self, name), 0777));
		ASSERT_EQ(0, chown(at(self, name), owner, 0));
	}
}

FIXTURE_TEARDOWN(verbs)
{
	/* Leave a policy that protects nothing, to remove the tree. */
	ward_load_text("/tmp", "policy none 0.0.1\n");
	remove_tree(self->dir);
}

static const char *const all_verbs[] = { "read",   "write", "exec",  "unlink",
					 "rename", "link",  "chmod", "chown" };

/* The verbs but @verb, comma-separated. */
static void verbs_but(const char *verb, char *buf, size_t size)
{
	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(all_verbs) / sizeof(*all_verbs); i++) {
		if (!strcmp(all_verbs[i], verb))
			continue;
		if (buf[0])
			strncat(buf, ",", size - strlen(buf) - 1);
		strncat(buf, all_verbs[i], size - strlen(buf) - 1);
	}
}

/*
 * Loads the policy granting the variant's subject @verb (and @needs, the
 * verbs the operation needs besides) on obj, and all but @verb on other.
 */
static int load_verb_policy(FIXTURE_DATA(verbs) * self,
			    const FIXTURE_VARIANT(verbs) * variant,
			    const char *verb, const char *needs)
{
	char others[128], *text;
	int status;

	verbs_but(verb, others, sizeof(others));
	if (asprintf(&text,
		     "policy verbs 1.0.0\n"
		     "mode %s\n"
		     "files obj %s %s %s %s\n"
		     "files other %s %s\n"
		     "app actor %s\n"
		     "%s"
		     "allow %s %s%s%s obj\n"
		     "allow %s %s other\n",
		     variant->complain ? "complain" : "enforce",
		     at(self, "mine"), at(self, "mine.d"), at(self, "theirs"),
		     at(self, "theirs.d"), at(self, "lacking"),
		     at(self, "lacking.d"), at(self, "actor"),
		     variant->users ? variant->users : "", variant->subject,
		     verb, needs ? "," : "", needs ? needs : "",
		     variant->subject, others) < 0)
		return -1;
	status = ward_load_text(self->dir, text);
	free(text);
	return status;
}

enum who { MEMBER, STRANGER_SUBJECT };

/*
 * Runs @argv as the variant's subject (MEMBER) or as one the rules do not
 * name (STRANGER_SUBJECT): for an app, a task of no app; for a user set,
 * a user outside it; for any, which names everyone, the app.
 */
static int run_as(const FIXTURE_VARIANT(verbs) * variant,
		  FIXTURE_DATA(verbs) * self, enum who who, char **argv,
		  pid_t *pid)
{
	char *args[16];
	int n = 0;

	if (variant->kind == SUBJECT_APP && who == MEMBER)
		return run_opv(pid, at(self, "actor"), argv);
	if (variant->kind == SUBJECT_ANY && who == STRANGER_SUBJECT)
		return run_opv(pid, at(self, "actor"), argv);
	if (variant->uid) {
		args[n++] = "as";
		args[n++] = (char *)(who == MEMBER ? variant->uid : STRANGER);
		args[n++] = (char *)(who == MEMBER ? variant->gid : STRANGER);
		args[n++] = (char *)(who == MEMBER ? variant->groups : "-");
	}
	for (int i = 0; argv[i] && n < 15; i++)
		args[n++] = argv[i];
	args[n] = NULL;
	return run_opv(pid, NULL, args);
}

/* The operation @op on the target @name, as the arguments of test_op(). */
static void op_args(FIXTURE_DATA(verbs) * self,
		    const FIXTURE_VARIANT(verbs) * variant, const char *op,
		    const char *name, char **argv, char bufs[2][PATH_MAX])
{
	int n = 0;

	argv[n++] = (char *)op;
	snprintf(bufs[0], PATH_MAX, "%s/%s", self->dir, name);
	argv[n++] = bufs[0];
	if (!strcmp(op, "create")) {
		/* In the directory target. */
		snprintf(bufs[0], PATH_MAX, "%s/%s.d/new", self->dir, name);
	} else if (!strcmp(op, "read-dir")) {
		argv[0] = "read";
		snprintf(bufs[0], PATH_MAX, "%s/%s.d", self->dir, name);
	} else if (!strcmp(op, "rename")) {
		snprintf(bufs[1], PATH_MAX, "%s/%s.moved", self->dir, name);
		argv[n++] = bufs[1];
	} else if (!strcmp(op, "link")) {
		snprintf(bufs[1], PATH_MAX, "%s/%s.link", self->dir, name);
		argv[n++] = bufs[1];
	} else if (!strcmp(op, "chmod")) {
		argv[n++] = "700";
	} else if (!strcmp(op, "chown")) {
		argv[n++] = "-1";
		argv[n++] = (char *)variant->chgrp;
	} else if (!strcmp(op, "exec")) {
		argv[n++] = "--helper";
		argv[n++] = "nop";
	}
	argv[n] = NULL;
}

/* Did @op on the target @name take effect? 1, 0, or -1: cannot tell. */
static int took_effect(FIXTURE_DATA(verbs) * self,
		       const FIXTURE_VARIANT(verbs) * variant, const char *op,
		       const char *name)
{
	char path[PATH_MAX], other[PATH_MAX + 8];
	struct stat st, orig;

	snprintf(path, sizeof(path), "%s/%s", self->dir, name);
	if (stat(path, &st) && errno == ENOENT)
		return !strcmp(op, "unlink") || !strcmp(op, "rename");
	if (!strcmp(op, "write")) {
		if (stat("/proc/self/exe", &orig))
			return false;
		return st.st_size == orig.st_size + 8;
	}
	if (!strcmp(op, "truncate"))
		return st.st_size == 0;
	if (!strcmp(op, "utimes"))
		return st.st_mtime != 0;
	if (!strcmp(op, "create")) {
		snprintf(other, sizeof(other), "%s.d/new", path);
		return !access(other, F_OK);
	}
	if (!strcmp(op, "link"))
		return st.st_nlink == 2;
	if (!strcmp(op, "chmod"))
		return (st.st_mode & 07777) == 0700;
	if (!strcmp(op, "chown"))
		return st.st_gid == (gid_t)atoi(variant->chgrp);
	/* unlink and rename left the file: not done. */
	if (!strcmp(op, "unlink") || !strcmp(op, "rename"))
		return false;
	return -1; /* read, exec, mmap, mprotect: only the result says */
}

/*
 * Is @got the path @want as an event names it?  Whole; or, with
 * @walked (the hook leaves ward to read names, with no mount to follow
 * out of a mounted file system), possibly from the root of the file
 * system @want is on, which path_missing "mount" says.
 */
static void expect_path(struct __test_metadata *_metadata, json_object *ev,
			const char *want, bool walked)
{
	const char *got = event_str(ev, "path");
	const char *why = event_str(ev, "path_missing");
	size_t cut;

	ASSERT_NE(NULL, got);
	if (!walked || !why) {
		EXPECT_STREQ(want, got);
		EXPECT_EQ(NULL, why);
		return;
	}
	EXPECT_STREQ("mount", why);
	ASSERT_GT(strlen(want), strlen(got));
	cut = strlen(want) - strlen(got);
	EXPECT_STREQ(want + cut, got);
	EXPECT_EQ('/', got[0]);
}

/* What the event of a refused @op on @name says about where it is. */
static void expect_event_path(struct __test_metadata *_metadata,
			      FIXTURE_DATA(verbs) * self, json_object *ev,
			      const char *op, const char *name)
{
	/* Before 6.12 the path hooks read names (no bpf_path_d_path). */
	bool walked = !kernel_has_symbol("bpf_path_d_path");
	char path[PATH_MAX], entry[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s%s", self->dir, name,
		 strcmp(op, "read-dir") ? "" : ".d");
	if (!strcmp(op, "create")) {
		/* The new entry; the object decided on is its directory. */
		EXPECT_STREQ("new", event_str(ev, "name"));
		snprintf(entry, sizeof(entry), "%s/%s.d", self->dir, name);
		expect_path(_metadata, ev, entry, walked);
	} else if (!strcmp(op, "link")) {
		/* The new entry; the object is the file linked (its ino). */
		snprintf(entry, sizeof(entry), "%s.link", name);
		EXPECT_STREQ(entry, event_str(ev, "name"));
		snprintf(entry, sizeof(entry), "%s/%s.link", self->dir, name);
		expect_path(_metadata, ev, entry, walked);
	} else if (!strcmp(op, "unlink") || !strcmp(op, "rename")) {
		EXPECT_STREQ(name, event_str(ev, "name"));
		expect_path(_metadata, ev, path, walked);
	} else if (!strcmp(op, "utimes") || !strcmp(op, "mprotect")) {
		/* No mount in these hooks on any kernel. */
		EXPECT_STREQ(name, event_str(ev, "name"));
		expect_path(_metadata, ev, path, true);
	} else {
		/* file_open, mmap_file and bprm_check_security have
		 * bpf_d_path() on 6.1. */
		expect_path(_metadata, ev, path,
			    walked && strcmp(op, "read") &&
				    strcmp(op, "read-dir") &&
				    strcmp(op, "write") && strcmp(op, "exec") &&
				    strcmp(op, "mmap"));
	}
	/* The subjects run from SCRATCH: on 6.1, outside the hooks that
	 * have bpf_d_path(), their executable is read from its names. */
	if (event_str(ev, "exe_missing")) {
		EXPECT_TRUE(walked);
		EXPECT_STREQ("mount", event_str(ev, "exe_missing"));
	}
}


/*
 * The test of one verb: @op (a test_op() operation, or "read-dir") needs
 * @verb, and @needs besides; the event reports @event_op.
 */
static void check_verb(struct __test_metadata *_metadata,
		       FIXTURE_DATA(verbs) * self,
		       const FIXTURE_VARIANT(verbs) * variant, const char *verb,
		       const char *needs, const char *op, const char *event_op)
{
	char *argv[16], bufs[2][PATH_MAX], pidstr[16];
	pid_t mine_pid, theirs_pid = 0, lacking_pid;
	const char *effect_op = strcmp(op, "read-dir") ? op : "read";
	int mine, theirs = 0, lacking;
	json_object *events, *ev;
	struct stat st;

	/* Events are told apart by pid: no need to drain older ones. */
	ASSERT_EQ(0, load_verb_policy(self, variant, verb, needs));

	op_args(self, variant, op, "mine", argv, bufs);
	mine = run_as(variant, self, MEMBER, argv, &mine_pid);
	op_args(self, variant, op, "lacking", argv, bufs);
	lacking = run_as(variant, self, MEMBER, argv, &lacking_pid);
	if (!variant->complain) {
		op_args(self, variant, op, "theirs", argv, bufs);
		theirs = run_as(variant, self, STRANGER_SUBJECT, argv,
				&theirs_pid);
	}
	events = ward_events();

	/* The subject with the verb. */
	EXPECT_EQ(0, mine);
	EXPECT_NE(0, took_effect(self, variant, effect_op, "mine"));
	snprintf(pidstr, sizeof(pidstr), "%d", mine_pid);
	ev = event_find(events, "pid", pidstr, NULL);
	EXPECT_EQ(NULL, ev)
	{
		TH_LOG("unexpected: %s", json_object_to_json_string(ev));
	}

	/* The subject without the verb. */
	snprintf(pidstr, sizeof(pidstr), "%d", lacking_pid);
	ev = event_find(events, "pid", pidstr, "op", event_op, NULL);
	ASSERT_NE(NULL, ev)
	{
		TH_LOG("no %s event for pid %s in %s", event_op, pidstr,
		       json_object_to_json_string(events));
	}
	if (variant->complain) {
		EXPECT_EQ(0, lacking);
		EXPECT_NE(0, took_effect(self, variant, effect_op, "lacking"));
		EXPECT_STREQ("complain", event_str(ev, "type"));
		EXPECT_STREQ("allowed", event_str(ev, "result"));
		EXPECT_EQ(0, event_num(ev, "error"));
	} else {
		EXPECT_EQ(EACCES, lacking);
		EXPECT_NE(1, took_effect(self, variant, effect_op, "lacking"));
		EXPECT_STREQ("denial", event_str(ev, "type"));
		EXPECT_STREQ("denied", event_str(ev, "result"));
		EXPECT_EQ(-EACCES, event_num(ev, "error"));
	}
	EXPECT_STREQ(verb, event_str(ev, "access"));
	EXPECT_EQ(LABEL_OTHER, event_num(ev, "label"));
	EXPECT_EQ(variant->kind == SUBJECT_APP ? ward_app_id("actor") : 0,
		  event_num(ev, "app"));
	EXPECT_EQ(lacking_pid, event_num(ev, "pid"));
	EXPECT_EQ(variant->uid ? atoi(variant->uid) : 0, event_num(ev, "uid"));
	expect_event_path(_metadata, self, ev, op, "lacking");
	if (strcmp(op, "create") && strcmp(op, "rename") &&
	    strcmp(op, "unlink")) {
		/* The object is the file itself (and it is still there). */
		snprintf(bufs[0], PATH_MAX, "%s/lacking%s", self->dir,
			 strcmp(op, "read-dir") ? "" : ".d");
		if (!stat(bufs[0], &st))
			EXPECT_EQ((long long)st.st_ino, event_num(ev, "ino"));
	}

	/* A subject the rule does not name. */
	if (!variant->complain) {
		snprintf(pidstr, sizeof(pidstr), "%d", theirs_pid);
		ev = event_find(events, "pid", pidstr, NULL);
		if (variant->kind == SUBJECT_ANY) {
			/* any names every subject. */
			EXPECT_EQ(0, theirs);
			EXPECT_NE(0, took_effect(self, variant, effect_op,
						 "theirs"));
			EXPECT_EQ(NULL, ev);
		} else {
			EXPECT_EQ(EACCES, theirs);
			EXPECT_NE(1, took_effect(self, variant, effect_op,
						 "theirs"));
			ASSERT_NE(NULL, ev);
			EXPECT_STREQ("denied", event_str(ev, "result"));
			EXPECT_EQ(LABEL_OBJ, event_num(ev, "label"));
		}
	}
	json_object_put(events);
}

TEST_F(verbs, read_opens_files)
{
	check_verb(_metadata, self, variant, "read", NULL, "read", "open");
}

TEST_F(verbs, read_lists_directories)
{
	check_verb(_metadata, self, variant, "read", NULL, "read-dir", "open");
}

TEST_F(verbs, write_opens_files_for_writing)
{
	check_verb(_metadata, self, variant, "write", NULL, "write", "open");
}

TEST_F(verbs, write_truncates)
{
	check_verb(_metadata, self, variant, "write", NULL, "truncate",
		   "truncate");
}

TEST_F(verbs, write_sets_times)
{
	check_verb(_metadata, self, variant, "write", NULL, "utimes",
		   "setattr");
}

TEST_F(verbs, write_creates_entries_in_directories)
{
	check_verb(_metadata, self, variant, "write", NULL, "create", "create");
}

TEST_F(verbs, exec_runs_programs)
{
	check_verb(_metadata, self, variant, "exec", NULL, "exec", "exec");
}

TEST_F(verbs, exec_maps_executable)
{
	check_verb(_metadata, self, variant, "exec", "read", "mmap", "mmap");
}

TEST_F(verbs, exec_mprotects_executable)
{
	check_verb(_metadata, self, variant, "exec", "read", "mprotect",
		   "mprotect");
}

TEST_F(verbs, unlink_removes)
{
	check_verb(_metadata, self, variant, "unlink", NULL, "unlink",
		   "unlink");
}

TEST_F(verbs, rename_moves)
{
	check_verb(_metadata, self, variant, "rename", NULL, "rename",
		   "rename");
}

TEST_F(verbs, link_makes_hard_links)
{
	check_verb(_metadata, self, variant, "link", NULL, "link", "link");
}

TEST_F(verbs, chmod_changes_mode)
{
	check_verb(_metadata, self, variant, "chmod", NULL, "chmod", "chmod");
}

TEST_F(verbs, chown_changes_owner)
{
	check_verb(_metadata, self, variant, "chown", NULL, "chown", "chown");
}

/*
 * How labels come to protect: which rules protect, audit rules, labels of
 * directories and of what is created in them, nested labels.
 *
 *   DIR/actor    a copy of this program, the app "actor"
 *   DIR/jail     a copy of this program, the confined app "jail"
 */
FIXTURE(labels)
{
	char dir[64];
	char *jail_rules;
};

static const char *lat(FIXTURE_DATA(labels) * self, const char *rel)
{
	static char paths[8][PATH_MAX];
	static unsigned int next;
	char *path = paths[next++ % 8];

	snprintf(path, PATH_MAX, "%s/%s", self->dir, rel);
	return path;
}

FIXTURE_SETUP(labels)
{
	strcpy(self->dir, SCRATCH "/labels-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	ASSERT_EQ(0, chmod(self->dir, 0777));
	ASSERT_EQ(0, copy_file("/proc/self/exe", lat(self, "actor")));
	ASSERT_EQ(0, copy_file("/proc/self/exe", lat(self, "jail")));
	self->jail_rules = confined_program_rules("jail", lat(self, "jail"));
	ASSERT_NE(NULL, self->jail_rules);
}

FIXTURE_TEARDOWN(labels)
{
	ward_load_text("/tmp", "policy none 0.0.1\n");
	/* What an inode flag test may have left immutable. */
	run_op(NULL, NULL, "setflags", lat(self, "conf"), "0", NULL);
	remove_tree(self->dir);
	free(self->jail_rules);
}

/* Loads "policy labels", the apps, then @rules (a format for lat()s). */
static int load_labels(FIXTURE_DATA(labels) * self, const char *rules)
{
	char *text;
	int status;

	if (asprintf(&text,
		     "policy labels 1.0.0\n"
		     "app actor %s\n"
		     "app jail %s\n"
		     "confine jail\n"
		     "%s%s",
		     lat(self, "actor"), lat(self, "jail"), self->jail_rules,
		     rules) < 0)
		return -1;
	status = ward_load_text(self->dir, text);
	free(text);
	return status;
}

static const char *pid_str_of(pid_t pid)
{
	static char buf[4][16];
	static unsigned int next;
	char *s = buf[next++ % 4];

	snprintf(s, 16, "%d", pid);
	return s;
}

static void put_file(struct __test_metadata *_metadata, const char *path)
{
	ASSERT_EQ(0, write_file(path, "content\n"));
	ASSERT_EQ(0, chmod(path, 0666));
}

TEST_F(labels, unprotected_label_restricts_nobody_else)
{
	char *rules, appstr[16];
	json_object *events;

	put_file(_metadata, lat(self, "granted"));
	put_file(_metadata, lat(self, "elsewhere"));
	/* Named only by a rule of a confined app: a grant, not a guard. */
	ASSERT_LE(0, asprintf(&rules, "allow jail read,write,chmod %s\n",
			      lat(self, "granted")));
	ASSERT_EQ(0, load_labels(self, rules));
	free(rules);
	json_object_put(ward_events());

	/* The confined app may, and nothing else. */
	EXPECT_EQ(0, run_op(NULL, lat(self, "jail"), "write",
			    lat(self, "granted"), NULL));
	EXPECT_EQ(EACCES, run_op(NULL, lat(self, "jail"), "write",
				 lat(self, "elsewhere"), NULL));
	/* Everybody else is unrestricted: root, another user, an app. */
	EXPECT_EQ(0, run_op(NULL, NULL, "write", lat(self, "granted"), NULL));
	EXPECT_EQ(0, run_op(NULL, NULL, "as", STRANGER, STRANGER, "-", "write",
			    lat(self, "granted"), NULL));
	EXPECT_EQ(0, run_op(NULL, lat(self, "actor"), "write",
			    lat(self, "granted"), NULL));
	EXPECT_EQ(0, run_op(NULL, NULL, "unlink", lat(self, "granted"), NULL));

	events = ward_events();
	/* Only the confined app's write elsewhere was refused. */
	EXPECT_EQ(1, (int)json_object_array_length(events));
	snprintf(appstr, sizeof(appstr), "%u", ward_app_id("jail"));
	EXPECT_NE(NULL,
		  event_find(events, "op", "open", "path",
			     lat(self, "elsewhere"), "app", appstr, NULL));
	EXPECT_EQ(NULL, event_find(events, "path", lat(self, "granted"), NULL));
	json_object_put(events);
}

TEST_F(labels, audit_reports_successful_writes)
{
	char *rules, appstr[16];
	json_object *events, *ev;
	pid_t actor_pid, root_pid, notes_pid;
	struct stat st;

	put_file(_metadata, lat(self, "conf"));
	put_file(_metadata, lat(self, "notes"));
	ASSERT_LE(0, asprintf(&rules,
			      "files conf %s\n"
			      "files notes %s\n"
			      "allow actor write conf\n"
			      "allow any read conf\n"
			      "audit write,chmod conf\n"
			      "audit write notes\n",
			      lat(self, "conf"), lat(self, "notes")));
	ASSERT_EQ(0, load_labels(self, rules));
	free(rules);
	ASSERT_EQ(0, stat(lat(self, "conf"), &st));
	json_object_put(ward_events());

	/* An allowed write is reported as such. */
	EXPECT_EQ(0, run_op(&actor_pid, lat(self, "actor"), "write",
			    lat(self, "conf"), NULL));
	/* A refused one is a denial, not an audit. */
	EXPECT_EQ(EACCES,
		  run_op(&root_pid, NULL, "write", lat(self, "conf"), NULL));
	/* Reading is not audited. */
	EXPECT_EQ(0, run_op(NULL, NULL, "read", lat(self, "conf"), NULL));
	/* An audit rule alone protects nothing, and still reports. */
	EXPECT_EQ(0,
		  run_op(&notes_pid, NULL, "write", lat(self, "notes"), NULL));
	EXPECT_EQ(0, run_op(NULL, NULL, "read", lat(self, "notes"), NULL));

	events = ward_events();
	snprintf(appstr, sizeof(appstr), "%u", ward_app_id("actor"));
	ev = event_find(events, "type", "audit", "op", "open", "app", appstr,
			NULL);
	ASSERT_NE(NULL, ev)
	{
		TH_LOG("events: %s", json_object_to_json_string(events));
	}
	EXPECT_STREQ("allowed", event_str(ev, "result"));
	EXPECT_EQ(0, event_num(ev, "error"));
	EXPECT_STREQ("write", event_str(ev, "access"));
	EXPECT_STREQ(lat(self, "conf"), event_str(ev, "path"));
	EXPECT_EQ((long long)st.st_ino, event_num(ev, "ino"));
	EXPECT_EQ(1, event_num(ev, "label"));
	EXPECT_EQ(actor_pid, event_num(ev, "pid"));

	ev = event_find(events, "type", "denial", "path", lat(self, "conf"),
			NULL);
	ASSERT_NE(NULL, ev);
	EXPECT_EQ(root_pid, event_num(ev, "pid"));
	EXPECT_EQ(NULL, event_find(events, "access", "read", NULL));

	ev = event_find(events, "type", "audit", "path", lat(self, "notes"),
			NULL);
	ASSERT_NE(NULL, ev);
	EXPECT_STREQ("allowed", event_str(ev, "result"));
	EXPECT_EQ(notes_pid, event_num(ev, "pid"));
	EXPECT_EQ(2, event_num(ev, "label"));
	EXPECT_EQ(3, (int)json_object_array_length(events));
	json_object_put(events);

	/* chmod is audited on conf, and nobody is granted it. */
	EXPECT_EQ(EACCES, run_op(NULL, lat(self, "actor"), "chmod",
				 lat(self, "conf"), "600", NULL));
	events = ward_events();
	ev = event_find(events, "op", "chmod", NULL);
	ASSERT_NE(NULL, ev);
	EXPECT_STREQ("denial", event_str(ev, "type"));
	json_object_put(events);
}

TEST_F(labels, directory_label_covers_files_created_later)
{
	char *rules;
	json_object *events, *ev;
	pid_t pid;

	ASSERT_EQ(0, mkdir(lat(self, "box"), 0777));
	ASSERT_LE(0, asprintf(&rules,
			      "files box %s\n"
			      "allow actor read,write box\n",
			      lat(self, "box")));
	ASSERT_EQ(0, load_labels(self, rules));
	free(rules);

	/* Made after the policy loaded, by the app allowed to. */
	EXPECT_EQ(0, run_op(NULL, lat(self, "actor"), "create",
			    lat(self, "box/new"), NULL));
	EXPECT_EQ(0, run_op(NULL, lat(self, "actor"), "mkdir",
			    lat(self, "box/sub"), NULL));
	EXPECT_EQ(0, run_op(NULL, lat(self, "actor"), "create",
			    lat(self, "box/sub/deeper"), NULL));
	EXPECT_EQ(0, run_op(NULL, lat(self, "actor"), "write",
			    lat(self, "box/sub/deeper"), NULL));
	json_object_put(ward_events());

	/* They carry the directory's label. */
	EXPECT_EQ(EACCES,
		  run_op(&pid, NULL, "write", lat(self, "box/new"), NULL));
	EXPECT_EQ(EACCES, run_op(NULL, NULL, "read",
				 lat(self, "box/sub/deeper"), NULL));
	EXPECT_EQ(EACCES, run_op(NULL, NULL, "create",
				 lat(self, "box/sub/other"), NULL));
	events = ward_events();
	ev = event_find(events, "op", "open", "path", lat(self, "box/new"),
			NULL);
	ASSERT_NE(NULL, ev);
	EXPECT_EQ(1, event_num(ev, "label"));
	EXPECT_EQ(pid, event_num(ev, "pid"));
	ev = event_find(events, "op", "open", "path",
			lat(self, "box/sub/deeper"), NULL);
	ASSERT_NE(NULL, ev);
	EXPECT_EQ(1, event_num(ev, "label"));
	json_object_put(events);
}

TEST_F(labels, deepest_label_wins)
{
	char *rules;
	json_object *events, *ev;

	ASSERT_EQ(0, mkdir(lat(self, "outer"), 0777));
	ASSERT_EQ(0, mkdir(lat(self, "outer/inner"), 0777));
	put_file(_metadata, lat(self, "outer/file"));
	put_file(_metadata, lat(self, "outer/inner/file"));
	put_file(_metadata, lat(self, "outer/inner/leaf"));
	ASSERT_LE(0, asprintf(&rules,
			      "files outer %s\n"
			      "files inner %s\n"
			      "files leaf %s\n"
			      "allow any read,write outer\n"
			      "allow any read inner\n"
			      "allow any write leaf\n",
			      lat(self, "outer"), lat(self, "outer/inner"),
			      lat(self, "outer/inner/leaf")));
	ASSERT_EQ(0, load_labels(self, rules));
	free(rules);
	json_object_put(ward_events());

	/* outer's rules do not reach into inner, which has its own. */
	EXPECT_EQ(0,
		  run_op(NULL, NULL, "write", lat(self, "outer/file"), NULL));
	EXPECT_EQ(0, run_op(NULL, NULL, "read", lat(self, "outer/inner/file"),
			    NULL));
	EXPECT_EQ(EACCES, run_op(NULL, NULL, "write",
				 lat(self, "outer/inner/file"), NULL));
	/* A file's own label is deeper still. */
	EXPECT_EQ(0, run_op(NULL, NULL, "write", lat(self, "outer/inner/leaf"),
			    NULL));
	EXPECT_EQ(EACCES, run_op(NULL, NULL, "read",
				 lat(self, "outer/inner/leaf"), NULL));

	events = ward_events();
	ev = event_find(events, "path", lat(self, "outer/inner/file"), NULL);
	ASSERT_NE(NULL, ev);
	EXPECT_STREQ("write", event_str(ev, "access"));
	EXPECT_EQ(2, event_num(ev, "label"));
	ev = event_find(events, "path", lat(self, "outer/inner/leaf"), NULL);
	ASSERT_NE(NULL, ev);
	EXPECT_STREQ("read", event_str(ev, "access"));
	EXPECT_EQ(3, event_num(ev, "label"));
	EXPECT_EQ(2, (int)json_object_array_length(events));
	json_object_put(events);
}

/* conf: labelled, any may read it, the app actor may also write it. */
static int load_conf(struct __test_metadata *_metadata,
		     FIXTURE_DATA(labels) * self, const char *more)
{
	char *rules;
	int status;

	put_file(_metadata, lat(self, "conf"));
	if (asprintf(&rules,
		     "files conf %s\n"
		     "allow any read conf\n"
		     "allow actor write conf\n"
		     "%s",
		     lat(self, "conf"), more) < 0)
		return -1;
	status = load_labels(self, rules);
	free(rules);
	return status;
}

TEST_F(labels, rename_over_a_file_needs_write_on_it)
{
	char *more;
	json_object *events, *ev;
	pid_t pid;

	put_file(_metadata, lat(self, "new"));
	put_file(_metadata, lat(self, "newer"));
	ASSERT_LE(0, asprintf(&more, "allow any rename conf\n"));
	ASSERT_EQ(0, load_conf(_metadata, self, more));
	free(more);
	json_object_put(ward_events());

	/* Moving a file over conf replaces it: a write to conf. */
	EXPECT_EQ(EACCES, run_op(&pid, NULL, "rename", lat(self, "new"),
				 lat(self, "conf"), NULL));
	EXPECT_EQ(0, access(lat(self, "new"), F_OK));
	events = ward_events();
	ev = event_find(events, "pid", pid_str_of(pid), NULL);
	ASSERT_NE(NULL, ev);
	EXPECT_STREQ("rename", event_str(ev, "op"));
	EXPECT_STREQ("write", event_str(ev, "access"));
	EXPECT_EQ(1, event_num(ev, "label"));
	json_object_put(events);
	/* The app that may write it may replace it. */
	EXPECT_EQ(0, run_op(NULL, lat(self, "actor"), "rename",
			    lat(self, "newer"), lat(self, "conf"), NULL));
	EXPECT_EQ(-1, access(lat(self, "newer"), F_OK));
}

TEST_F(labels, write_covers_extended_attributes)
{
	json_object *events, *ev;
	pid_t pid;

	ASSERT_EQ(0, load_conf(_metadata, self, ""));
	json_object_put(ward_events());
	/* An attribute other than mode and owner: not without write. */
	EXPECT_EQ(EACCES, run_op(&pid, NULL, "setxattr", lat(self, "conf"),
				 "trusted.ward", "x", NULL));
	events = ward_events();
	ev = event_find(events, "pid", pid_str_of(pid), NULL);
	EXPECT_NE(NULL, ev)
	{
		TH_LOG("setxattr by a task without write was not reported");
	}
	json_object_put(events);
	EXPECT_EQ(0, run_op(NULL, lat(self, "actor"), "setxattr",
			    lat(self, "conf"), "trusted.ward", "y", NULL));
	EXPECT_EQ(EACCES, run_op(NULL, NULL, "removexattr", lat(self, "conf"),
				 "trusted.ward", NULL));
	EXPECT_EQ(0, run_op(NULL, lat(self, "actor"), "removexattr",
			    lat(self, "conf"), "trusted.ward", NULL));
}

TEST_F(labels, write_covers_inode_flags)
{
	json_object *events, *ev;
	pid_t pid;

	/* FS_APPEND_FL, FS_IMMUTABLE_FL: chattr +a, chattr +i. */
	ASSERT_EQ(0, load_conf(_metadata, self, ""));
	json_object_put(ward_events());
	EXPECT_EQ(EACCES, run_op(&pid, NULL, "setflags", lat(self, "conf"),
				 "10", NULL));
	events = ward_events();
	ev = event_find(events, "pid", pid_str_of(pid), NULL);
	EXPECT_NE(NULL, ev)
	{
		TH_LOG("chattr +i by a task without write was not reported");
	}
	json_object_put(events);
	/* Which would keep the app that may write it from writing. */
	EXPECT_EQ(0, run_op(NULL, lat(self, "actor"), "write",
			    lat(self, "conf"), NULL));
	EXPECT_EQ(EACCES, run_op(NULL, NULL, "setflags", lat(self, "conf"),
				 "20", NULL));
	EXPECT_EQ(0, run_op(NULL, lat(self, "actor"), "setflags",
			    lat(self, "conf"), "0", NULL));
}

WARD_TEST_MAIN
