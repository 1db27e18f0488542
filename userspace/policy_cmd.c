// SPDX-License-Identifier: GPL-2.0
/*
 * ward - "ward policy ...": policies on disk and in the kernel
 *
 *   check [--werror] [PATH...]  lint, without a kernel
 *   load [--allow-downgrade] [PATH...]  replace the active policy at once
 *                               (signed, newer: policy_trust.h)
 *   show                        the active policy, read back from the kernel
 *   diff [PATH...]              the active policy against the one on disk
 *   suggest [EVENTS]            allow rules that would have let events pass
 *   install FILE..., remove NAME...  the admin's files (policy_install.c)
 *   sign FILE, verify FILE [SIG]  detached signatures (sign_cmd.c)
 *
 * PATH is a policy file or a directory of them; none means the layered
 * directories (policy_files.h).
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include "change.h"
#include "kernel.h"
#include "lock.h"
#include "logconf.h"
#include "main.h"
#include "output.h"
#include "pin.h"
#include "policy_install.h"
#include "policy_load.h"
#include "policy_source.h"
#include "policy_suggest.h"
#include "policy_trust.h"
#include "sign_cmd.h"
#include "system.h"

static size_t count(const struct diag_list *diags, enum diag_severity sev)
{
	size_t n = 0;

	for (size_t i = 0; i < diags->n; i++)
		n += diags->v[i].severity == sev;
	return n;
}

static int do_check(int argc, char **argv)
{
	bool werror = false;
	const struct cmd_option opts[] = { { "werror", 'W', &werror, NULL }, {} };
	size_t errors, warnings;
	struct built_policy b;
	int err;

	err = cmd_options(&argc, &argv, opts, CMD_OPERANDS_ANY,
			  "policy check [--werror] [PATH...]");
	if (err)
		return err;
	err = policy_build(&b, argv, argc, NULL);
	errors = count(&b.diags, DIAG_ERROR);
	warnings = count(&b.diags, DIAG_WARNING);
	if (json_output) {
		json_object *obj = json_object_new_object();
		json_object *files = json_object_new_array();

		for (size_t i = 0; i < b.files.n; i++)
			json_object_array_add(files, json_object_new_string(
							     b.files.paths[i]));
		json_object_object_add(obj, "files", files);
		json_object_object_add(obj, "errors",
				       json_object_new_int64(errors));
		json_object_object_add(obj, "warnings",
				       json_object_new_int64(warnings));
		json_object_object_add(obj, "diagnostics", diag_json(&b.diags));
		json_print(obj);
	} else {
		diag_print(&b.diags, stderr);
		fprintf(stderr,
			"ward: %zu file%s checked: %zu error%s, %zu warning%s\n",
			b.files.n, b.files.n == 1 ? "" : "s", errors,
			errors == 1 ? "" : "s", warnings,
			warnings == 1 ? "" : "s");
	}
	built_policy_free(&b);
	return err || (werror && warnings) ? 1 : 0;
}

/*
 * A policy name of the active policy (@active, its "# unit NAME ..."
 * lines) that @p lacks, in @name; false when it lacks none.
 */
static bool lacks_unit(const char *active, const struct policy *p,
		       char name[WARD_NAME_MAX])
{
	for (const char *line = active; line; line = strchr(line, '\n')) {
		size_t len;
		bool found = false;

		line += *line == '\n';
		if (strncmp(line, "# unit ", 7))
			continue;
		len = strcspn(line + 7, " \n");
		if (len >= WARD_NAME_MAX)
			continue;
		snprintf(name, WARD_NAME_MAX, "%.*s", (int)len, line + 7);
		for (size_t i = 0; i < p->n_units && !found; i++)
			found = !strcmp(p->units[i].name, name);
		if (!found)
			return true;
	}
	return false;
}

/*
 * Whether @b needs trust_gate() (policy_trust.h), and is not refused
 * before: a locked ward takes the same policy again (its files
 * unchanged: re-reading which inodes its paths name, as after pwconv)
 * unchecked, another only signed and newer, and only when ward.conf's
 * require-signed-policy is not "no".  The override of the floor is the
 * administrator's, refused by a locked ward, as is a signed policy that
 * lacks one of the active policy's files (by policy name).
 */
static int load_gate(const struct built_policy *b, bool allow_downgrade,
		     struct trust_check *c)
{
	bool locked = lock_flags(WARD_PIN_DIR) & LOCK_LOCKED;
	char name[WARD_NAME_MAX], why[160];
	enum trust_require req;
	bool same, missing;
	char *active;
	int err;

	c->allow_downgrade = allow_downgrade;
	if (allow_downgrade &&
	    require_unlocked(WARD_CHANGE_POLICY_LOAD, "allow-downgrade",
			     "the policy floor cannot be overridden"))
		return -1;
	err = trust_conf_read(LOG_CONF_PATH, &req);
	if (err) {
		change_report(-1, WARD_CHANGE_POLICY_LOAD, TRUST_CONF_KEY, err);
		return p_err("%s: %s: %s: give yes, no or locked (ward.conf(5))",
			     LOG_CONF_PATH, TRUST_CONF_KEY,
			     err == -EINVAL ? "bad value, or set twice" :
					      strerror(-err));
	}
	c->required = req == TRUST_REQUIRE_YES ||
		      (req == TRUST_REQUIRE_LOCKED && locked);
	if (!locked)
		return trust_gate(&b->policy, WARD_CHANGE_POLICY_LOAD, c);
	active = source_read();
	if (!active)
		return -1;
	same = !strcmp(active, b->text);
	if (same) {
		free(active);
		c->required = false;
		return trust_gate(&b->policy, WARD_CHANGE_POLICY_LOAD, c);
	}
	if (!c->required) {
		free(active);
		return require_unlocked(
			WARD_CHANGE_POLICY_LOAD, NULL,
			"its policy cannot be replaced, only loaded again unchanged (require-signed-policy = no)");
	}
	err = trust_gate(&b->policy, WARD_CHANGE_POLICY_LOAD, c);
	/* Signed files taken away would lift their confinement. */
	missing = !err && lacks_unit(active, &b->policy, name);
	free(active);
	if (err || !missing)
		return err;
	snprintf(why, sizeof(why),
		 "its policy %s cannot be taken away, only replaced by a signed, newer one",
		 name);
	return require_unlocked(WARD_CHANGE_POLICY_LOAD, name, why);
}

static int do_load(int argc, char **argv)
{
	bool allow_downgrade = false;
	const struct cmd_option opts[] = {
		{ "allow-downgrade", 0, &allow_downgrade, NULL }, {}
	};
	struct trust_check tc = {};
	struct built_policy b;
	int err;

	err = cmd_options(&argc, &argv, opts, CMD_OPERANDS_ANY,
			  "policy load [--allow-downgrade] [PATH...]");
	if (err)
		return err;
	if (require_root() || require_bpffs())
		return -1;
	if (!ward_running())
		return p_err("ward is not running: start it with 'ward start'");
	err = policy_build(&b, argv, argc, WARD_PIN_DIR);
	policy_report(&b, err);
	if (!err)
		err = load_gate(&b, allow_downgrade, &tc);
	if (!err)
		err = kernel_check(&b.compiled);
	if (!err)
		err = policy_activate_running(&b, "loaded");
	if (!err)
		err = kernel_apply(&b.compiled.kernel);
	if (!err)
		change_report(-1, WARD_CHANGE_POLICY_LOAD,
			      tc.detail[0] ? tc.detail : NULL, 0);
	/* The floor rises once the policy is in force, not before. */
	if (!err)
		err = trust_gate_commit(&b.policy, &tc);
	trust_check_free(&tc);
	built_policy_free(&b);
	return err ? -1 : 0;
}

static int do_show(int argc, char **argv)
{
	char *text;

	int err = cmd_options(&argc, &argv, NULL, 0, "policy show");

	if (err)
		return err;
	if (require_root())
		return -1;
	text = source_read();
	if (!text)
		return -1;
	if (json_output) {
		json_object *obj = json_object_new_object();

		json_object_object_add(obj, "text",
				       json_object_new_string(text));
		json_print(obj);
	} else {
		fputs(text, stdout);
	}
	free(text);
	return 0;
}

/* Writes @text to a new temporary file whose name goes into @path. */
static int write_temp(char path[64], const char *text)
{
	int fd;

	strcpy(path, "/tmp/ward-diff-XXXXXX");
	fd = mkstemp(path);
	if (fd < 0)
		return -1;
	if (write(fd, text, strlen(text)) != (ssize_t)strlen(text)) {
		close(fd);
		unlink(path);
		return -1;
	}
	return close(fd);
}

/* Runs diff(1) -u on the two texts; returns its exit status, 2 on trouble. */
static int run_diff(const char *active, const char *disk, char **out)
{
	char a[64], b[64], *cmd;
	size_t len = 0;
	int status = 2;
	FILE *pipe;

	*out = NULL;
	if (write_temp(a, active))
		return 2;
	if (write_temp(b, disk)) {
		unlink(a);
		return 2;
	}
	if (asprintf(&cmd, "diff -u --label active --label disk %s %s", a, b) >=
	    0) {
		pipe = popen(cmd, "r");
		if (pipe) {
			FILE *mem = open_memstream(out, &len);
			char buf[4096];
			size_t n;

			while ((n = fread(buf, 1, sizeof(buf), pipe)) > 0)
				fwrite(buf, 1, n, mem);
			fclose(mem);
			status = pclose(pipe);
			status = WIFEXITED(status) ? WEXITSTATUS(status) : 2;
		}
		free(cmd);
	}
	unlink(a);
	unlink(b);
	return status;
}

static int do_diff(int argc, char **argv)
{
	struct built_policy b;
	char *active, *diff;
	int err, status;

	err = cmd_options(&argc, &argv, NULL, CMD_OPERANDS_ANY,
			  "policy diff [PATH...]");
	if (err)
		return err;
	if (require_root())
		return -1;
	active = source_read();
	if (!active)
		return -1;
	err = policy_build(&b, argv, argc, WARD_PIN_DIR);
	policy_report(&b, err);
	if (err) {
		free(active);
		built_policy_free(&b);
		return -1;
	}
	status = run_diff(active, b.text, &diff);
	if (status > 1) {
		err = p_err("cannot compare the policies: diff(1) failed");
	} else if (json_output) {
		json_object *obj = json_object_new_object();

		json_object_object_add(obj, "same",
				       json_object_new_boolean(status == 0));
		json_object_object_add(
			obj, "diff", json_object_new_string(diff ? diff : ""));
		json_print(obj);
	} else if (diff) {
		fputs(diff, stdout);
	}
	free(diff);
	free(active);
	built_policy_free(&b);
	/* As diff(1): 0 the same, 1 different. */
	return err ? -1 : status;
}

static int do_suggest(int argc, char **argv)
{
	int err = cmd_options(&argc, &argv, NULL, 1,
			      "policy suggest [EVENTS_FILE|-]");

	if (err)
		return err;
	return policy_suggest(argc ? argv[0] : NULL);
}

static int do_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr,
		"Usage: ward policy check [--werror] [PATH...]\n"
		"       ward policy load [--allow-downgrade] [PATH...]\n"
		"       ward policy show\n"
		"       ward policy diff [PATH...]\n"
		"       ward policy suggest [EVENTS_FILE|-]\n"
		"       ward policy install FILE...\n"
		"       ward policy remove NAME...\n"
		"       ward policy sign --key KEY --cert CERT [--chain FILE] [-o OUT] FILE\n"
		"       ward policy verify [--keys DIR[:DIR]...] FILE [SIG]\n"
		"PATH: a policy file or directory; none: %s and %s\n",
		WARD_VENDOR_DIR, WARD_ADMIN_DIR);
	return 0;
}

int do_policy(int argc, char **argv)
{
	static const struct cmd cmds[] = {
		{ "check", do_check },	   { "load", do_load },
		{ "show", do_show },	   { "diff", do_diff },
		{ "suggest", do_suggest }, { "install", do_policy_install },
		{ "remove", do_policy_remove }, { "sign", do_policy_sign },
		{ "verify", do_policy_verify }, { NULL, NULL },
	};

	return cmd_select(cmds, argc, argv, do_help);
}
