// SPDX-License-Identifier: GPL-2.0
/*
 * ward selftests - the policy commands: check, load, show, diff, suggest,
 * mode, and the layered policy directories
 *
 *   DIR/secret      labelled "secret": the app "writer" may write it
 *   DIR/writer      a copy of this program, app "writer"
 *   DIR/tool        a copy, app "tool" where a policy names it
 *   DIR/stranger    a copy no policy names
 *
 * This program is not listed: it is the unlisted program.
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <regex.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <json-c/json.h>

#include "common.h"
#include "harness.h"

#define VENDOR_DIR "/usr/lib/ward/policy.d"
#define ADMIN_DIR "/etc/ward/policy.d"

static int lines(const char *text)
{
	int n = 0;

	for (; text && *text; text++)
		n += *text == '\n';
	return n;
}

/* Does every line of @text match the extended regex @pattern? */
static bool all_lines_match(const char *text, const char *pattern)
{
	char *copy = strdup(text ? text : ""), *line, *save;
	bool all = true;
	regex_t re;

	if (!copy || regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB)) {
		free(copy);
		return false;
	}
	for (line = strtok_r(copy, "\n", &save); line && all;
	     line = strtok_r(NULL, "\n", &save))
		all = !regexec(&re, line, 0, NULL, 0);
	regfree(&re);
	free(copy);
	return all;
}

static json_object *json_get(json_object *obj, const char *key)
{
	return json_object_object_get(obj, key);
}

static const char *json_str(json_object *obj, const char *key)
{
	return json_object_get_string(json_get(obj, key));
}

/* The events reported so far, consumed: JSON Lines, to free(). */
static char *take_events(void)
{
	char *out = NULL;

	if (ward_run(&out, NULL, "--json", "log", "drain", NULL)) {
		free(out);
		return NULL;
	}
	return out;
}

/* Counts the events of @text whose @key is @value. */
static int count_events(const char *text, const char *key, const char *value)
{
	char *copy = strdup(text ? text : ""), *line, *save;
	int n = 0;

	for (line = strtok_r(copy, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		json_object *ev = json_tokener_parse(line);
		const char *s = json_str(ev, key);

		n += s && !strcmp(s, value);
		json_object_put(ev);
	}
	free(copy);
	return n;
}

/* "ward --json status", parsed. */
static json_object *status_json(void)
{
	char *out = NULL;
	json_object *obj = NULL;

	if (ward_run(&out, NULL, "--json", "status", NULL) == 0)
		obj = json_tokener_parse(out);
	free(out);
	return obj;
}

static char *status_field(const char *key)
{
	json_object *obj = status_json();
	const char *value = json_str(json_get(obj, "policy"), key);
	char *copy = value ? strdup(value) : NULL;

	json_object_put(obj);
	return copy;
}

FIXTURE(cmd)
{
	char dir[64];
	char policy[PATH_MAX];
};

static char *base_policy(FIXTURE_DATA(cmd) * self, const char *mode,
			 const char *more)
{
	char *text;

	if (asprintf(&text,
		     "policy cmds 1.0.0\n"
		     "mode %s\n"
		     "files secret %s/secret\n"
		     "app writer %s/writer\n"
		     "allow writer write secret\n"
		     "allow any read secret\n"
		     "%s",
		     mode, self->dir, self->dir, more ? more : "") < 0)
		return NULL;
	return text;
}

/* Writes the base policy (and @more) to DIR/test.policy and loads it. */
static int load_base(FIXTURE_DATA(cmd) * self, const char *mode,
		     const char *more)
{
	char *text = base_policy(self, mode, more);
	int status = text ? ward_load_text(self->dir, text) : -1;

	free(text);
	return status;
}

FIXTURE_SETUP(cmd)
{
	strcpy(self->dir, SCRATCH "/policy-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	snprintf(self->policy, sizeof(self->policy), "%s/test.policy",
		 self->dir);
	ASSERT_EQ(0, write_file(at(self, "secret"), "secret\n"));
	ASSERT_EQ(0, copy_file("/proc/self/exe", at(self, "writer")));
	ASSERT_EQ(0, copy_file("/proc/self/exe", at(self, "tool")));
	ASSERT_EQ(0, copy_file("/proc/self/exe", at(self, "stranger")));
	ASSERT_EQ(0, load_base(self, "enforce", NULL));
}

FIXTURE_TEARDOWN(cmd)
{
	ward_load_text(self->dir, "policy none 0.0.1\n");
	remove_tree(self->dir);
}

TEST_F(cmd, check_accepts_a_good_policy)
{
	char *out = NULL, *err = NULL;

	EXPECT_EQ(0,
		  ward_run(&out, &err, "policy", "check", self->policy, NULL));
	EXPECT_STREQ("", out);
	EXPECT_STREQ("ward: 1 file checked: 0 errors, 0 warnings\n", err);
	free(out);
	free(err);
}

TEST_F(cmd, check_reports_each_error_at_its_place)
{
	const char *bad = at(self, "bad.policy");
	char *err = NULL, want[PATH_MAX + 256];

	ASSERT_EQ(0, write_file(bad, "policy bad 1.0.0\n"
				     "files x relative/path\n"
				     "allow nobody write x\n"));
	EXPECT_EQ(1, ward_run(NULL, &err, "policy", "check", bad, NULL));
	/* All the mistakes, each as FILE:LINE:COL: error: ..., then a sum. */
	EXPECT_EQ(3, lines(err));
	snprintf(
		want, sizeof(want),
		"%s:2:9: error: 'relative/path' is not an absolute path: start it with '/'",
		bad);
	EXPECT_TRUE(has_line(err, want));
	snprintf(
		want, sizeof(want),
		"%s:3:7: error: unknown subject 'nobody': expected any, ward, or an app or a user set defined before this line",
		bad);
	EXPECT_TRUE(has_line(err, want));
	EXPECT_TRUE(
		has_line(err, "ward: 1 file checked: 2 errors, 0 warnings"));
	EXPECT_TRUE(all_lines_match(err, "^(/[^:]+:[0-9]+:[0-9]+: error: .+|"
					 "ward: 1 file checked: .*)$"))
	{
		TH_LOG("stderr: %s", err);
	}
	free(err);
}

TEST_F(cmd, check_json_lists_files_and_diagnostics)
{
	const char *bad = at(self, "bad.policy");
	json_object *obj, *diags, *d;
	char *out = NULL;

	ASSERT_EQ(0, write_file(bad, "policy bad 1.0.0\n"
				     "files x /tmp\n"
				     "allow nobody write x\n"));
	EXPECT_EQ(1,
		  ward_run(&out, NULL, "--json", "policy", "check", bad, NULL));
	obj = json_tokener_parse(out);
	free(out);
	ASSERT_NE(NULL, obj);
	EXPECT_EQ(1, (int)json_object_array_length(json_get(obj, "files")));
	EXPECT_STREQ(bad, json_object_get_string(json_object_array_get_idx(
				  json_get(obj, "files"), 0)));
	EXPECT_EQ(1, json_object_get_int(json_get(obj, "errors")));
	EXPECT_EQ(0, json_object_get_int(json_get(obj, "warnings")));
	diags = json_get(obj, "diagnostics");
	ASSERT_EQ(1, (int)json_object_array_length(diags));
	d = json_object_array_get_idx(diags, 0);
	EXPECT_STREQ(bad, json_str(d, "file"));
	EXPECT_EQ(3, json_object_get_int(json_get(d, "line")));
	EXPECT_EQ(7, json_object_get_int(json_get(d, "col")));
	EXPECT_STREQ("error", json_str(d, "severity"));
	EXPECT_STREQ(
		"unknown subject 'nobody': expected any, ward, or an app or a user set defined before this line",
		json_str(d, "message"));
	json_object_put(obj);

	/* A good policy: no diagnostics, exit 0. */
	EXPECT_EQ(0, ward_run(&out, NULL, "--json", "policy", "check",
			      self->policy, NULL));
	obj = json_tokener_parse(out);
	free(out);
	ASSERT_NE(NULL, obj);
	EXPECT_EQ(0, json_object_get_int(json_get(obj, "errors")));
	EXPECT_EQ(0,
		  (int)json_object_array_length(json_get(obj, "diagnostics")));
	json_object_put(obj);
}

TEST_F(cmd, check_werror_fails_on_warnings)
{
	const char *warn = at(self, "warn.policy");
	char *out = NULL, *err = NULL, want[PATH_MAX + 128];
	json_object *obj;

	ASSERT_EQ(0, write_file(warn, "policy warn 1.0.0\n"
				      "files unused /tmp\n"));
	snprintf(
		want, sizeof(want),
		"%s:2:7: warning: files 'unused' is defined but no rule uses it",
		warn);
	/* A warning does not refuse a policy... */
	EXPECT_EQ(0, ward_run(NULL, &err, "policy", "check", warn, NULL));
	EXPECT_TRUE(has_line(err, want));
	EXPECT_TRUE(has_line(err, "ward: 1 file checked: 0 errors, 1 warning"));
	free(err);
	/* ...unless asked to. */
	EXPECT_EQ(1, ward_run(NULL, &err, "policy", "check", "--werror", warn,
			      NULL));
	EXPECT_TRUE(has_line(err, want));
	free(err);
	EXPECT_EQ(1, ward_run(&out, NULL, "--json", "policy", "check",
			      "--werror", warn, NULL));
	obj = json_tokener_parse(out);
	free(out);
	ASSERT_NE(NULL, obj);
	EXPECT_EQ(0, json_object_get_int(json_get(obj, "errors")));
	EXPECT_EQ(1, json_object_get_int(json_get(obj, "warnings")));
	EXPECT_STREQ("warning",
		     json_str(json_object_array_get_idx(
				      json_get(obj, "diagnostics"), 0),
			      "severity"));
	json_object_put(obj);
	/* A policy without warnings passes --werror. */
	EXPECT_EQ(0, ward_run(NULL, NULL, "policy", "check", "--werror",
			      self->policy, NULL));
}

TEST_F(cmd, check_directory_takes_its_policy_files_in_order)
{
	char d[128], *out = NULL, *text;
	json_object *obj, *files;

	snprintf(d, sizeof(d), "%s/d", self->dir);
	ASSERT_EQ(0, mkdir(d, 0755));
	ASSERT_LT(0, asprintf(&text, "policy a 1.0.0\nfiles af %s/secret\n",
			      self->dir));
	ASSERT_EQ(0, write_file(path_in(d, "10-a.policy"), text));
	free(text);
	ASSERT_EQ(0, write_file(path_in(d, "20-b.policy"),
				"policy b 1.0.0\nallow any read af\n"));
	/* Neither a *.policy name nor a hidden one: not taken. */
	ASSERT_EQ(0, write_file(path_in(d, "README"), "not a policy\n"));
	ASSERT_EQ(0, write_file(path_in(d, ".hidden.policy"), "nonsense\n"));
	EXPECT_EQ(0,
		  ward_run(&out, NULL, "--json", "policy", "check", d, NULL));
	obj = json_tokener_parse(out);
	free(out);
	ASSERT_NE(NULL, obj);
	files = json_get(obj, "files");
	ASSERT_EQ(2, (int)json_object_array_length(files));
	EXPECT_STREQ(
		path_in(d, "10-a.policy"),
		json_object_get_string(json_object_array_get_idx(files, 0)));
	EXPECT_STREQ(
		path_in(d, "20-b.policy"),
		json_object_get_string(json_object_array_get_idx(files, 1)));
	json_object_put(obj);
}

TEST_F(cmd, load_replaces_the_active_policy)
{
	const char *other = at(self, "other.policy");
	char *out = NULL, *name;

	EXPECT_EQ(EACCES, try_open(at(self, "secret"), O_WRONLY));
	ASSERT_EQ(0, write_file(other, "policy other 2.0.0\n"));
	EXPECT_EQ(0, ward_run(&out, NULL, "policy", "load", other, NULL));
	EXPECT_STREQ(
		"ward: loaded: policy other 2.0.0 (enforce), 0 labelled files, 0 executables, 0 rules\n",
		out);
	free(out);
	/* At once: the file is no longer protected. */
	EXPECT_EQ(0, try_open(at(self, "secret"), O_WRONLY));
	name = status_field("name");
	EXPECT_STREQ("other", name);
	free(name);
	/* And back. */
	EXPECT_EQ(0,
		  ward_run(NULL, NULL, "policy", "load", self->policy, NULL));
	EXPECT_EQ(EACCES, try_open(at(self, "secret"), O_WRONLY));
	EXPECT_EQ(0,
		  run_helper(at(self, "writer"), "write", at(self, "secret")));
	name = status_field("name");
	EXPECT_STREQ("cmds", name);
	free(name);
}

TEST_F(cmd, load_of_a_bad_policy_keeps_the_old_one)
{
	const char *bad = at(self, "bad.policy");
	char *err = NULL, *before = NULL, *after = NULL, *name, want[256];

	ASSERT_EQ(0, ward_run(&before, NULL, "policy", "show", NULL));
	ASSERT_EQ(0, write_file(bad, "policy bad 1.0.0\n"
				     "allow nobody write /tmp\n"));
	EXPECT_EQ(1, ward_run(NULL, &err, "policy", "load", bad, NULL));
	/* One line: where, and what is wrong. */
	EXPECT_EQ(1, lines(err));
	snprintf(want, sizeof(want), "%s:2:7: error: unknown subject 'nobody'",
		 bad);
	EXPECT_EQ(0, strncmp(want, err, strlen(want)))
	{
		TH_LOG("stderr: %s", err);
	}
	free(err);
	/* A file that is not there: the same. */
	EXPECT_EQ(1, ward_run(NULL, &err, "policy", "load", at(self, "none"),
			      NULL));
	EXPECT_EQ(1, lines(err));
	EXPECT_NE(NULL, strstr(err, "error: cannot open: No such file"));
	free(err);
	/* The active policy is the one before, and it still enforces. */
	name = status_field("name");
	EXPECT_STREQ("cmds", name);
	free(name);
	ASSERT_EQ(0, ward_run(&after, NULL, "policy", "show", NULL));
	EXPECT_STREQ(before, after);
	EXPECT_EQ(EACCES, try_open(at(self, "secret"), O_WRONLY));
	EXPECT_EQ(0,
		  run_helper(at(self, "writer"), "write", at(self, "secret")));
	free(before);
	free(after);
}

/* @text without its first line, which must match @pattern. */
static const char *after_first_line(struct __test_metadata *_metadata,
				    const char *text, const char *pattern)
{
	const char *nl = strchr(text ? text : "", '\n');
	char first[PATH_MAX + 128];

	EXPECT_NE(NULL, nl);
	if (!nl)
		return "";
	snprintf(first, sizeof(first), "%.*s", (int)(nl - text), text);
	EXPECT_TRUE(all_lines_match(first, pattern))
	{
		TH_LOG("first line: %s", first);
	}
	return nl + 1;
}

TEST_F(cmd, show_prints_the_loaded_policy_from_the_kernel)
{
	char *out = NULL, *json = NULL, *want, pattern[PATH_MAX + 64];
	const char *d = self->dir;
	json_object *obj;

	/* The file changes on disk after the load: show does not see it. */
	ASSERT_EQ(0, write_file(self->policy, "policy changed 9.9.9\n"));
	ASSERT_EQ(0, ward_run(&out, NULL, "policy", "show", NULL));
	snprintf(pattern, sizeof(pattern),
		 "^# unit cmds 1\\.0\\.0 %s [0-9a-f]{64}$", self->policy);
	ASSERT_LT(0, asprintf(&want,
			      "policy cmds 1.0.0\n"
			      "mode enforce\n"
			      "\n"
			      "files secret %s/secret\n"
			      "app writer %s/writer\n"
			      "\n"
			      "allow writer write secret\n"
			      "allow any read secret\n",
			      d, d));
	EXPECT_STREQ(want, after_first_line(_metadata, out, pattern));
	free(want);
	EXPECT_EQ(NULL, strstr(out, "changed"));
	/* The same text in JSON. */
	ASSERT_EQ(0, ward_run(&json, NULL, "--json", "policy", "show", NULL));
	obj = json_tokener_parse(json);
	ASSERT_NE(NULL, obj);
	EXPECT_STREQ(out, json_str(obj, "text"));
	json_object_put(obj);
	/* It is a policy: it parses, and loads. */
	ASSERT_EQ(0, write_file(at(self, "shown.policy"), out));
	EXPECT_EQ(0, ward_run(NULL, NULL, "policy", "check", "--werror",
			      at(self, "shown.policy"), NULL));
	free(out);
	free(json);
}

TEST_F(cmd, show_follows_each_load)
{
	const char *other = at(self, "other.policy");
	char *out = NULL;

	ASSERT_EQ(0, write_file(other, "policy other 2.0.0\nmode complain\n"));
	ASSERT_EQ(0, ward_run(NULL, NULL, "policy", "load", other, NULL));
	ASSERT_EQ(0, ward_run(&out, NULL, "policy", "show", NULL));
	EXPECT_TRUE(has_line(out, "policy other 2.0.0"));
	EXPECT_TRUE(has_line(out, "mode complain"));
	EXPECT_EQ(NULL, strstr(out, "secret"));
	free(out);
}

TEST_F(cmd, diff_compares_the_active_policy_with_the_files)
{
	char *out = NULL, *err = NULL, *text;
	json_object *obj;

	/* The files that were loaded: no difference, exit 0. */
	EXPECT_EQ(0,
		  ward_run(&out, NULL, "policy", "diff", self->policy, NULL));
	EXPECT_STREQ("", out);
	free(out);

	/* Changed on disk: a unified diff, exit 1. */
	text = base_policy(self, "complain", NULL);
	ASSERT_NE(NULL, text);
	ASSERT_EQ(0, write_file(self->policy, text));
	free(text);
	EXPECT_EQ(1,
		  ward_run(&out, NULL, "policy", "diff", self->policy, NULL));
	EXPECT_TRUE(has_line(out, "--- active"));
	EXPECT_TRUE(has_line(out, "+++ disk"));
	EXPECT_TRUE(has_line(out, "-mode enforce"));
	EXPECT_TRUE(has_line(out, "+mode complain"));
	EXPECT_TRUE(all_lines_match(out, "^(--- active|\\+\\+\\+ disk|@@ .* @@|"
					 "[-+ ].*)$"))
	{
		TH_LOG("diff: %s", out);
	}
	free(out);
	EXPECT_EQ(1, ward_run(&out, NULL, "--json", "policy", "diff",
			      self->policy, NULL));
	obj = json_tokener_parse(out);
	free(out);
	ASSERT_NE(NULL, obj);
	EXPECT_FALSE(json_object_get_boolean(json_get(obj, "same")));
	EXPECT_NE(NULL, strstr(json_str(obj, "diff"), "+mode complain"));
	json_object_put(obj);
	/* Nothing was loaded by diff. */
	EXPECT_EQ(EACCES, try_open(at(self, "secret"), O_WRONLY));

	/* A policy with an error cannot be compared: exit 1, no diff. */
	ASSERT_EQ(0, write_file(self->policy, "policy x 1.0\n"));
	EXPECT_EQ(1,
		  ward_run(&out, &err, "policy", "diff", self->policy, NULL));
	EXPECT_STREQ("", out);
	EXPECT_NE(NULL, strstr(err, ":1:10: error: invalid version '1.0'"));
	free(out);
	free(err);
}

TEST_F(cmd, mode_complain_and_enforce_change_enforcement_at_once)
{
	char *out = NULL, *mode, *events;

	EXPECT_EQ(EACCES, try_open(at(self, "secret"), O_WRONLY));

	EXPECT_EQ(0, ward_run(NULL, NULL, "mode", "complain", NULL));
	/* Allowed now, and reported as what would have been denied. */
	free(take_events());
	EXPECT_EQ(0, try_open(at(self, "secret"), O_WRONLY));
	events = take_events();
	EXPECT_EQ(1, count_events(events, "type", "complain"));
	EXPECT_EQ(0, count_events(events, "type", "denial"));
	free(events);
	ASSERT_EQ(0, ward_run(&out, NULL, "policy", "show", NULL));
	EXPECT_TRUE(has_line(out, "mode complain"));
	free(out);
	mode = status_field("mode");
	EXPECT_STREQ("complain", mode);
	free(mode);
	ASSERT_EQ(0, ward_run(&out, NULL, "status", NULL));
	EXPECT_NE(NULL, strstr(out, ", mode complain,"));
	free(out);
	/* ward policy diff sees the change against the file. */
	EXPECT_EQ(1,
		  ward_run(NULL, NULL, "policy", "diff", self->policy, NULL));

	EXPECT_EQ(0, ward_run(NULL, NULL, "mode", "enforce", NULL));
	EXPECT_EQ(EACCES, try_open(at(self, "secret"), O_WRONLY));
	ASSERT_EQ(0, ward_run(&out, NULL, "policy", "show", NULL));
	EXPECT_TRUE(has_line(out, "mode enforce"));
	free(out);
	mode = status_field("mode");
	EXPECT_STREQ("enforce", mode);
	free(mode);
	EXPECT_EQ(0,
		  run_helper(at(self, "writer"), "write", at(self, "secret")));
}

TEST_F(cmd, mode_of_one_app_changes_only_its_tasks)
{
	char *more, *out = NULL, *err = NULL, *mode, *events;

	ASSERT_LT(0,
		  asprintf(&more, "app tool %s/tool\nallow tool read secret\n",
			   self->dir));
	ASSERT_EQ(0, load_base(self, "enforce", more));
	free(more);
	EXPECT_EQ(EACCES,
		  run_helper(at(self, "tool"), "write", at(self, "secret")));

	EXPECT_EQ(0, ward_run(NULL, NULL, "mode", "complain", "tool", NULL));
	free(take_events());
	/* The app's tasks complain; the others are still denied. */
	EXPECT_EQ(0, run_helper(at(self, "tool"), "write", at(self, "secret")));
	EXPECT_EQ(EACCES, run_helper(at(self, "stranger"), "write",
				     at(self, "secret")));
	EXPECT_EQ(EACCES, try_open(at(self, "secret"), O_WRONLY));
	events = take_events();
	EXPECT_EQ(1, count_events(events, "type", "complain"));
	EXPECT_EQ(2, count_events(events, "type", "denial"));
	free(events);
	ASSERT_EQ(0, ward_run(&out, NULL, "policy", "show", NULL));
	EXPECT_TRUE(has_line(out, "mode complain tool"));
	EXPECT_TRUE(has_line(out, "mode enforce"));
	free(out);
	/* The policy's own mode is unchanged. */
	mode = status_field("mode");
	EXPECT_STREQ("enforce", mode);
	free(mode);

	EXPECT_EQ(0, ward_run(NULL, NULL, "mode", "enforce", "tool", NULL));
	EXPECT_EQ(EACCES,
		  run_helper(at(self, "tool"), "write", at(self, "secret")));
	ASSERT_EQ(0, ward_run(&out, NULL, "policy", "show", NULL));
	EXPECT_TRUE(has_line(out, "mode enforce tool"));
	free(out);

	/* An app the policy does not have: exit 1, nothing changed. */
	EXPECT_EQ(1, ward_run(NULL, &err, "mode", "complain", "nosuch", NULL));
	EXPECT_STREQ(
		"ward: no app 'nosuch' in the active policy: see 'ward policy show'\n",
		err);
	free(err);
	EXPECT_EQ(EACCES,
		  run_helper(at(self, "tool"), "write", at(self, "secret")));
}

/*
 * An app's complain mode, set in its own policy file (a vendor's profile,
 * a drop-in), waives what that file protects, never the labels of
 * another: the review found a drop-in's "mode complain APP" let the app
 * write the base policy's files.
 */
TEST_F(cmd, app_complain_mode_waives_only_its_own_files_labels)
{
	char units[PATH_MAX], *text, *events;

	snprintf(units, sizeof(units), "%s", at(self, "units"));
	ASSERT_EQ(0, mkdir(units, 0755));
	ASSERT_EQ(0, write_file(at(self, "mine"), "mine\n"));
	ASSERT_LT(0, asprintf(&text,
			      "policy base 1.0.0\n"
			      "files secret %s\n"
			      "allow any read secret\n",
			      at(self, "secret")));
	ASSERT_EQ(0, write_file(path_in(units, "10-base.policy"), text));
	free(text);
	ASSERT_LT(0, asprintf(&text,
			      "policy tool 1.0.0\n"
			      "files mine %s\n"
			      "app tool %s\n"
			      "mode complain tool\n"
			      "allow tool read mine\n",
			      at(self, "mine"), at(self, "tool")));
	ASSERT_EQ(0, write_file(path_in(units, "20-tool.policy"), text));
	free(text);
	ASSERT_EQ(0, ward_run(NULL, NULL, "policy", "load", units, NULL));
	free(take_events());

	EXPECT_EQ(0, run_helper(at(self, "tool"), "write", at(self, "mine")));
	EXPECT_EQ(EACCES,
		  run_helper(at(self, "tool"), "write", at(self, "secret")));
	EXPECT_EQ(EACCES,
		  run_helper(at(self, "stranger"), "write", at(self, "mine")));
	events = take_events();
	EXPECT_EQ(1, count_events(events, "type", "complain"));
	EXPECT_EQ(2, count_events(events, "type", "denial"));
	free(events);
	text = read_file(at(self, "secret"));
	EXPECT_STREQ("secret\n", text);
	free(text);
}

TEST_F(cmd, suggest_turns_complaints_into_rules_that_pass)
{
	char *more, *events, *out = NULL, *out2 = NULL, *text, *want;
	const char *d = self->dir;
	json_object *obj;

	ASSERT_EQ(0, write_file(at(self, "secret2"), "secret2\n"));
	ASSERT_EQ(0, copy_file("/proc/self/exe", at(self, "other")));
	ASSERT_LT(0, asprintf(&more,
			      "files secret2 %s/secret2\n"
			      "app tool %s/tool\n"
			      "allow writer read,write secret2\n"
			      "mode complain tool\n",
			      d, d));
	ASSERT_EQ(0, load_base(self, "complain", more));
	free(take_events());

	/* In complain mode these pass, and are reported. */
	EXPECT_EQ(0, run_helper(at(self, "tool"), "write", at(self, "secret")));
	EXPECT_EQ(0, run_helper(at(self, "tool"), "read", at(self, "secret2")));
	EXPECT_EQ(0, run_helper(at(self, "stranger"), "write",
				at(self, "secret")));
	events = take_events();
	ASSERT_NE(NULL, events);
	EXPECT_EQ(3, count_events(events, "type", "complain"));

	/* Suggestions from the events, as "ward --json log drain" gave them. */
	EXPECT_EQ(0, ward_run_input(events, &out, NULL, "policy", "suggest",
				    NULL));
	EXPECT_TRUE(has_line(
		out,
		"# ward policy suggest: 3 refused accesses; review before adding"));
	ASSERT_LT(0, asprintf(&want, "allow tool write %s/secret", d));
	EXPECT_TRUE(has_line(out, want));
	free(want);
	ASSERT_LT(0, asprintf(&want, "allow tool read %s/secret2", d));
	EXPECT_TRUE(has_line(out, want));
	free(want);
	ASSERT_LT(0, asprintf(&want, "app stranger %s/stranger", d));
	EXPECT_TRUE(has_line(out, want));
	free(want);
	ASSERT_LT(0, asprintf(&want, "allow stranger write %s/secret", d));
	EXPECT_TRUE(has_line(out, want));
	free(want);
	/* From a file named "-", the same; in JSON, the rules. */
	EXPECT_EQ(0, ward_run_input(events, &out2, NULL, "policy", "suggest",
				    "-", NULL));
	EXPECT_STREQ(out, out2);
	free(out2);
	EXPECT_EQ(0, ward_run_input(events, &out2, NULL, "--json", "policy",
				    "suggest", NULL));
	obj = json_tokener_parse(out2);
	free(out2);
	ASSERT_NE(NULL, obj);
	EXPECT_EQ(3, json_object_get_int(json_get(obj, "events")));
	EXPECT_EQ(lines(out) - 1,
		  (int)json_object_array_length(json_get(obj, "rules")));
	json_object_put(obj);
	free(events);

	/* Added to the policy, in enforce mode, they let the same pass. */
	free(more);
	ASSERT_LT(0, asprintf(&more,
			      "files secret2 %s/secret2\n"
			      "app tool %s/tool\n"
			      "allow writer read,write secret2\n"
			      "%s",
			      d, d, out));
	text = base_policy(self, "enforce", more);
	ASSERT_NE(NULL, text);
	free(more);
	ASSERT_EQ(0, write_file(at(self, "suggested.policy"), text));
	free(text);
	ASSERT_EQ(0, ward_run(NULL, NULL, "policy", "load",
			      at(self, "suggested.policy"), NULL));
	free(take_events());
	EXPECT_EQ(0, run_helper(at(self, "tool"), "write", at(self, "secret")));
	EXPECT_EQ(0, run_helper(at(self, "tool"), "read", at(self, "secret2")));
	EXPECT_EQ(0, run_helper(at(self, "stranger"), "write",
				at(self, "secret")));
	events = take_events();
	EXPECT_EQ(0, count_events(events, "type", "denial"));
	EXPECT_EQ(0, count_events(events, "type", "complain"));
	free(events);
	/* Nothing more: a program still unlisted is denied. */
	EXPECT_EQ(EACCES,
		  run_helper(at(self, "other"), "write", at(self, "secret")));
	free(out);
}

/*
 * The layered directories, with no PATH argument.  The test mounts a tmpfs
 * on each in a mount namespace of its own, so that whatever a machine has
 * there stays untouched, and whatever the test writes goes with it.
 */

FIXTURE(layers)
{
	char dir[64];
	char created[8][PATH_MAX];
	int n_created;
	int n_mounted;
};

/* mkdir -p @path, remembering what it made (deepest last). */
static int make_dirs(FIXTURE_DATA(layers) * self, const char *path)
{
	char partial[PATH_MAX];

	for (const char *p = strchr(path + 1, '/');; p = strchr(p + 1, '/')) {
		size_t len = p ? (size_t)(p - path) : strlen(path);

		snprintf(partial, sizeof(partial), "%.*s", (int)len, path);
		if (!mkdir(partial, 0755)) {
			if (self->n_created < 8)
				strcpy(self->created[self->n_created++],
				       partial);
		} else if (errno != EEXIST) {
			return -errno;
		}
		if (!p)
			return 0;
	}
}

FIXTURE_SETUP(layers)
{
	char *text;

	strcpy(self->dir, SCRATCH "/layers-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	ASSERT_EQ(0, write_file(at(self, "a"), "a\n"));
	ASSERT_EQ(0, write_file(at(self, "c"), "c\n"));
	ASSERT_EQ(0, copy_file("/proc/self/exe", at(self, "writer")));
	ASSERT_EQ(0, unshare(CLONE_NEWNS));
	ASSERT_EQ(0, mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL));
	ASSERT_EQ(0, make_dirs(self, VENDOR_DIR));
	ASSERT_EQ(0, make_dirs(self, ADMIN_DIR));
	ASSERT_EQ(0, mount("tmpfs", VENDOR_DIR, "tmpfs", 0, "mode=0755"));
	self->n_mounted++;
	ASSERT_EQ(0, mount("tmpfs", ADMIN_DIR, "tmpfs", 0, "mode=0755"));
	self->n_mounted++;
	/* The vendor's files: 10-a defines, 20-b uses what 10-a defined. */
	ASSERT_LT(0, asprintf(&text,
			      "policy a 1.0.0\n"
			      "files af %s/a\n"
			      "app w %s/writer\n"
			      "allow w write af\n",
			      self->dir, self->dir));
	ASSERT_EQ(0, write_file(VENDOR_DIR "/10-a.policy", text));
	free(text);
	ASSERT_EQ(0, write_file(VENDOR_DIR "/20-b.policy",
				"policy b 2.0.0\n"
				"allow any read,write af\n"));
	ASSERT_EQ(0, ward_load_text(self->dir, "policy start 0.0.1\n"));
}

FIXTURE_TEARDOWN(layers)
{
	ward_load_text(self->dir, "policy none 0.0.1\n");
	if (self->n_mounted > 1)
		umount2(ADMIN_DIR, MNT_DETACH);
	if (self->n_mounted > 0)
		umount2(VENDOR_DIR, MNT_DETACH);
	while (self->n_created > 0)
		rmdir(self->created[--self->n_created]);
	remove_tree(self->dir);
}

/* The files "ward --json policy check" (no PATH) takes, one a line. */
static char *layered_files(int *status)
{
	char *out = NULL, *list = NULL;
	size_t len = 0;
	json_object *obj, *files;
	FILE *f;

	*status = ward_run(&out, NULL, "--json", "policy", "check", NULL);
	obj = json_tokener_parse(out);
	free(out);
	files = json_get(obj, "files");
	f = open_memstream(&list, &len);
	for (size_t i = 0; f && i < json_object_array_length(files); i++)
		fprintf(f, "%s\n",
			json_object_get_string(
				json_object_array_get_idx(files, i)));
	if (f)
		fclose(f);
	json_object_put(obj);
	return list;
}

/* Checks the layered policy's files, then loads them; the load status. */
static int check_and_load(struct __test_metadata *_metadata,
			  const char *want_files)
{
	char *files;
	int status;

	files = layered_files(&status);
	EXPECT_EQ(0, status);
	EXPECT_STREQ(want_files, files);
	free(files);
	return ward_run(NULL, NULL, "policy", "load", NULL);
}

TEST_F(layers, no_path_means_the_layered_directories)
{
	char *out = NULL, pattern[PATH_MAX];

	EXPECT_EQ(0,
		  check_and_load(_metadata, VENDOR_DIR
				 "/10-a.policy\n" VENDOR_DIR "/20-b.policy\n"));
	/* Both files are active: 20-b lets anyone write what 10-a named. */
	EXPECT_EQ(0, try_open(at(self, "a"), O_WRONLY));
	ASSERT_EQ(0, ward_run(&out, NULL, "policy", "show", NULL));
	snprintf(pattern, sizeof(pattern),
		 "^# unit a 1\\.0\\.0 " VENDOR_DIR
		 "/10-a\\.policy [0-9a-f]{64}$");
	EXPECT_TRUE(all_lines_match(strtok(out, "\n"), pattern));
	snprintf(pattern, sizeof(pattern),
		 "^# unit b 2\\.0\\.0 " VENDOR_DIR
		 "/20-b\\.policy [0-9a-f]{64}$");
	EXPECT_TRUE(all_lines_match(strtok(NULL, "\n"), pattern));
	/* The first file names the policy. */
	EXPECT_STREQ("policy a 1.0.0", strtok(NULL, "\n"));
	free(out);
	/* ward policy diff, without PATH, compares with them too. */
	EXPECT_EQ(0, ward_run(NULL, NULL, "policy", "diff", NULL));
}

TEST_F(layers, admin_file_replaces_vendor_file_of_the_same_name)
{
	char *out = NULL;

	ASSERT_EQ(0,
		  write_file(ADMIN_DIR "/20-b.policy", "policy b 3.0.0\n"
						       "allow any read af\n"));
	EXPECT_EQ(0,
		  check_and_load(_metadata, VENDOR_DIR
				 "/10-a.policy\n" ADMIN_DIR "/20-b.policy\n"));
	/* The vendor's 20-b is not used: nobody but the app may write. */
	EXPECT_EQ(EACCES, try_open(at(self, "a"), O_WRONLY));
	EXPECT_EQ(0, run_helper(at(self, "writer"), "write", at(self, "a")));
	ASSERT_EQ(0, ward_run(&out, NULL, "policy", "show", NULL));
	EXPECT_NE(NULL,
		  strstr(out, "# unit b 3.0.0 " ADMIN_DIR "/20-b.policy "));
	EXPECT_EQ(NULL, strstr(out, VENDOR_DIR "/20-b.policy"));
	free(out);
}

TEST_F(layers, symlink_to_dev_null_masks_vendor_file)
{
	ASSERT_EQ(0, symlink("/dev/null", ADMIN_DIR "/20-b.policy"));
	EXPECT_EQ(0, check_and_load(_metadata, VENDOR_DIR "/10-a.policy\n"));
	EXPECT_EQ(EACCES, try_open(at(self, "a"), O_WRONLY));
	EXPECT_EQ(0, run_helper(at(self, "writer"), "write", at(self, "a")));
	/* Unmasked, the vendor's file is back. */
	ASSERT_EQ(0, unlink(ADMIN_DIR "/20-b.policy"));
	EXPECT_EQ(0,
		  check_and_load(_metadata, VENDOR_DIR
				 "/10-a.policy\n" VENDOR_DIR "/20-b.policy\n"));
	EXPECT_EQ(0, try_open(at(self, "a"), O_WRONLY));
}

TEST_F(layers, files_merge_in_lexical_order_across_directories)
{
	char *text, *err = NULL, *name;

	/* 15-c, between the vendor's two, uses 10-a's app. */
	ASSERT_LT(0, asprintf(&text,
			      "policy c 1.0.0\n"
			      "files cf %s/c\n"
			      "allow w write cf\n",
			      self->dir));
	ASSERT_EQ(0, write_file(ADMIN_DIR "/15-c.policy", text));
	free(text);
	EXPECT_EQ(0,
		  check_and_load(_metadata, VENDOR_DIR
				 "/10-a.policy\n" ADMIN_DIR
				 "/15-c.policy\n" VENDOR_DIR "/20-b.policy\n"));
	EXPECT_EQ(EACCES, try_open(at(self, "c"), O_WRONLY));
	EXPECT_EQ(0, run_helper(at(self, "writer"), "write", at(self, "c")));

	/* 05-early comes first: 10-a's names are not defined yet. */
	ASSERT_EQ(0, write_file(ADMIN_DIR "/05-early.policy",
				"policy early 1.0.0\n"
				"allow any read af\n"));
	EXPECT_EQ(1, ward_run(NULL, &err, "policy", "check", NULL));
	EXPECT_TRUE(has_line(
		err, ADMIN_DIR
		"/05-early.policy:2:16: error: unknown files 'af': define it with 'files NAME PATH...' before this line, or write an absolute path"))
	{
		TH_LOG("stderr: %s", err);
	}
	free(err);
	/* Refused as a whole: the active policy stays. */
	EXPECT_EQ(1, ward_run(NULL, &err, "policy", "load", NULL));
	EXPECT_EQ(1, lines(err));
	free(err);
	name = status_field("name");
	EXPECT_STREQ("a", name);
	free(name);
	EXPECT_EQ(EACCES, try_open(at(self, "c"), O_WRONLY));
}

/* Runs "ward policy check" (no PATH): is @line among its messages? */
static bool check_says(struct __test_metadata *_metadata, const char *line)
{
	char *err = NULL;
	bool found;

	EXPECT_EQ(1, ward_run(NULL, &err, "policy", "check", NULL));
	found = has_line(err, line);
	if (!found)
		TH_LOG("no '%s' in: %s", line, err);
	free(err);
	return found;
}

TEST_F(layers, conflicts_are_reported_with_both_places)
{
	char *text, *err = NULL, want[2 * PATH_MAX];

	/* A files set name defined again in another file. */
	ASSERT_LT(0, asprintf(&text, "policy x 1.0.0\nfiles af %s/c\n",
			      self->dir));
	ASSERT_EQ(0, write_file(ADMIN_DIR "/30-x.policy", text));
	free(text);
	EXPECT_TRUE(check_says(
		_metadata, ADMIN_DIR
		"/30-x.policy:2:7: error: 'af' is already defined at " VENDOR_DIR
		"/10-a.policy:2 as a files set: names are unique across files sets, apps and user sets"));

	/* One path in two files sets of two files. */
	ASSERT_LT(0, asprintf(&text, "policy x 1.0.0\nfiles xf %s/a\n",
			      self->dir));
	ASSERT_EQ(0, write_file(ADMIN_DIR "/30-x.policy", text));
	free(text);
	snprintf(
		want, sizeof(want),
		ADMIN_DIR
		"/30-x.policy:2:10: error: '%s/a' is already in files 'af' (" VENDOR_DIR
		"/10-a.policy:2): a file has one label, so list it in one files set",
		self->dir);
	EXPECT_TRUE(check_says(_metadata, want));

	/* The default mode, set in two files. */
	ASSERT_EQ(0, write_file(ADMIN_DIR "/30-x.policy",
				"policy x 1.0.0\nmode complain\n"));
	ASSERT_EQ(0, write_file(ADMIN_DIR "/40-y.policy",
				"policy y 1.0.0\nmode enforce\n"));
	EXPECT_TRUE(check_says(
		_metadata, ADMIN_DIR
		"/40-y.policy:2:1: error: the default mode is already set at " ADMIN_DIR
		"/30-x.policy:2: set it once in the whole policy, or give apps their own with 'mode MODE APP...'"));
	/* None of them loads. */
	EXPECT_EQ(1, ward_run(NULL, &err, "policy", "load", NULL));
	EXPECT_NE(NULL, strstr(err, "error: the default mode is already set"));
	free(err);
}

TEST_F(layers, no_policy_files_is_an_error)
{
	char *err = NULL;

	ASSERT_EQ(0, unlink(VENDOR_DIR "/10-a.policy"));
	ASSERT_EQ(0, unlink(VENDOR_DIR "/20-b.policy"));
	EXPECT_EQ(1, ward_run(NULL, &err, "policy", "check", NULL));
	EXPECT_TRUE(has_line(
		err, ADMIN_DIR
		": error: no policy files (*.policy) found: give a policy file or directory"))
	{
		TH_LOG("stderr: %s", err);
	}
	free(err);
	EXPECT_EQ(1, ward_run(NULL, &err, "policy", "load", NULL));
	EXPECT_TRUE(has_line(
		err, ADMIN_DIR
		": error: no policy files (*.policy) found: give a policy file or directory"));
	free(err);
}

/*
 * "ward policy install": the file is checked with the layers it joins,
 * then goes in by its name; the layered policy takes it from then on.
 */
TEST_F(layers, install_adds_a_file_checked_with_the_layers)
{
	char *out = NULL, *text;

	/* Names what 10-a defines: it could not be checked alone. */
	ASSERT_EQ(0, write_file(at(self, "30-c.policy"),
				"policy c 1.0.0\nallow any read af\n"));
	EXPECT_EQ(0, ward_run(&out, NULL, "policy", "install",
			      at(self, "30-c.policy"), NULL));
	EXPECT_STREQ("ward: installed " ADMIN_DIR "/30-c.policy\n"
		     "ward: run 'ward policy load' to enforce it\n",
		     out);
	free(out);
	text = read_file(ADMIN_DIR "/30-c.policy");
	EXPECT_STREQ("policy c 1.0.0\nallow any read af\n", text);
	free(text);
	EXPECT_EQ(0, check_and_load(_metadata,
				    VENDOR_DIR "/10-a.policy\n" VENDOR_DIR
					       "/20-b.policy\n" ADMIN_DIR
					       "/30-c.policy\n"));
}

TEST_F(layers, install_of_a_file_with_errors_changes_nothing)
{
	char *err = NULL, want[PATH_MAX + 64];
	struct stat st;

	ASSERT_EQ(0, write_file(at(self, "30-c.policy"),
				"policy c 1.0.0\nallow any read nosuch\n"));
	EXPECT_EQ(1, ward_run(NULL, &err, "policy", "install",
			      at(self, "30-c.policy"), NULL));
	EXPECT_TRUE(has_line(
		err, "ward: the policy would have errors: nothing changed"))
	{
		TH_LOG("stderr: %s", err);
	}
	free(err);
	EXPECT_EQ(-1, stat(ADMIN_DIR "/30-c.policy", &st));
	EXPECT_EQ(-1, stat(ADMIN_DIR "/.30-c.policy.new", &st));
	EXPECT_EQ(1, ward_run(NULL, &err, "policy", "install",
			      at(self, "a"), NULL));
	snprintf(want, sizeof(want),
		 "ward: %s: not a policy file name: NAME.policy\n",
		 at(self, "a"));
	EXPECT_STREQ(want, err);
	free(err);
}

/* An admin file replaces the vendor's; removing it brings it back. */
TEST_F(layers, remove_brings_back_the_vendor_file)
{
	char *out = NULL;

	ASSERT_EQ(0, write_file(at(self, "20-b.policy"),
				"policy b 3.0.0\nallow any read af\n"));
	ASSERT_EQ(0, ward_run(NULL, NULL, "policy", "install",
			      at(self, "20-b.policy"), NULL));
	EXPECT_EQ(0, check_and_load(_metadata, VENDOR_DIR
				    "/10-a.policy\n" ADMIN_DIR "/20-b.policy\n"));
	EXPECT_EQ(0, ward_run(&out, NULL, "policy", "remove", "20-b.policy",
			      NULL));
	EXPECT_STREQ("ward: removed " ADMIN_DIR "/20-b.policy\n"
		     "ward: run 'ward policy load' to enforce it\n",
		     out);
	free(out);
	EXPECT_EQ(0, check_and_load(_metadata, VENDOR_DIR
				    "/10-a.policy\n" VENDOR_DIR "/20-b.policy\n"));
	EXPECT_EQ(1, ward_run(NULL, NULL, "policy", "remove", "20-b.policy",
			      NULL));
}

WARD_TEST_MAIN
