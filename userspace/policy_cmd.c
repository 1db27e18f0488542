// SPDX-License-Identifier: GPL-2.0
/*
 * ward - "ward policy ..." and "ward mode": policies on disk and in the kernel
 *
 *   check [--werror] [PATH...]  lint, without a kernel
 *   load [PATH...]              replace the active policy at once
 *   show                        the active policy, read back from the kernel
 *   diff [PATH...]              the active policy against the one on disk
 *   suggest [EVENTS]            allow rules that would have let events pass
 *
 * PATH is a policy file or a directory of them; none means the layered
 * directories (policy_files.h).
 */

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include "main.h"
#include "output.h"
#include "pin.h"
#include "policy_load.h"
#include "policy_names.h"
#include "policy_source.h"
#include "policy_suggest.h"
#include "system.h"

#define ACTIVE_NAME "<active policy>"

static int usage(const char *what)
{
	p_err("usage: ward %s", what);
	return -EXIT_USAGE;
}

static size_t count(const struct diag_list *diags, enum diag_severity sev)
{
	size_t n = 0;

	for (size_t i = 0; i < diags->n; i++)
		n += diags->v[i].severity == sev;
	return n;
}

static int do_check(int argc, char **argv)
{
	static const struct option options[] = {
		{ "werror", no_argument, NULL, 'W' },
		{ 0 },
	};
	size_t errors, warnings;
	struct built_policy b;
	bool werror = false;
	int opt, err;

	/* argv[-1] is "check", which getopt takes for the program name. */
	optind = 0;
	while ((opt = getopt_long(argc + 1, argv - 1, "+W", options, NULL)) >=
	       0) {
		if (opt != 'W')
			return usage("policy check [--werror] [PATH...]");
		werror = true;
	}
	argc -= optind - 1;
	argv += optind - 1;

	err = policy_build(&b, argv, argc);
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

/* The maps of the running ward; -1 after p_err() when it does not run. */
static int open_maps(struct ward_maps *maps)
{
	maps->policy = pin_open_map("ward_policy");
	maps->info = maps->policy < 0 ? -1 : pin_open_map("ward_info");
	maps->state = maps->info < 0 ? -1 : pin_open_map("ward_state");
	if (maps->state >= 0)
		return 0;
	if (maps->info >= 0)
		close(maps->info);
	if (maps->policy >= 0)
		close(maps->policy);
	return -1;
}

static void close_maps(struct ward_maps *maps)
{
	close(maps->policy);
	close(maps->info);
	close(maps->state);
}

/* Activates @b in the running ward and says so. */
static int activate(struct built_policy *b, const char *what)
{
	char maps_dir[256];
	struct ward_maps maps;
	int err;

	if (open_maps(&maps))
		return -1;
	snprintf(maps_dir, sizeof(maps_dir), "%s/%s", WARD_PIN_DIR,
		 WARD_PIN_MAPS);
	err = policy_activate(&maps, maps_dir, b);
	close_maps(&maps);
	if (err)
		return -1;
	if (json_output) {
		json_object *obj = json_object_new_object();

		json_object_object_add(obj, what,
				       json_object_new_boolean(true));
		json_object_object_add(
			obj, "policy",
			json_object_new_string(b->compiled.info.name));
		json_object_object_add(
			obj, "version",
			json_object_new_string(b->compiled.info.version));
		json_object_object_add(obj, "mode",
				       json_object_new_string(policy_mode_name(
					       b->policy.mode)));
		json_print(obj);
	} else {
		printf("ward: %s: policy %s %s (%s), %u labelled files, %u executables, %u rules\n",
		       what, b->compiled.info.name, b->compiled.info.version,
		       policy_mode_name(b->policy.mode),
		       b->compiled.info.objects, b->compiled.info.exes,
		       b->compiled.info.rules);
	}
	return 0;
}

static int do_load(int argc, char **argv)
{
	struct built_policy b;
	int err;

	if (argc && argv[0][0] == '-')
		return usage("policy load [PATH...]");
	if (require_root() || require_bpffs())
		return -1;
	if (!ward_running())
		return p_err("ward is not running: start it with 'ward start'");
	err = policy_build(&b, argv, argc);
	policy_report(&b, err);
	if (!err)
		err = activate(&b, "loaded");
	built_policy_free(&b);
	return err ? -1 : 0;
}

static int do_show(int argc, char **argv)
{
	char *text;

	(void)argv;
	if (argc)
		return usage("policy show");
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

	if (argc && argv[0][0] == '-')
		return usage("policy diff [PATH...]");
	if (require_root())
		return -1;
	active = source_read();
	if (!active)
		return -1;
	err = policy_build(&b, argv, argc);
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
	if (argc > 1 || (argc && !strcmp(argv[0], "-h")))
		return usage("policy suggest [EVENTS_FILE|-]");
	return policy_suggest(argc ? argv[0] : NULL);
}

static int do_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr,
		"Usage: ward policy check [--werror] [PATH...]\n"
		"       ward policy load [PATH...]\n"
		"       ward policy show\n"
		"       ward policy diff [PATH...]\n"
		"       ward policy suggest [EVENTS_FILE|-]\n"
		"PATH: a policy file or directory; none: %s and %s\n",
		WARD_VENDOR_DIR, WARD_ADMIN_DIR);
	return 0;
}

int do_policy(int argc, char **argv)
{
	static const struct cmd cmds[] = {
		{ "check", do_check },	   { "load", do_load },
		{ "show", do_show },	   { "diff", do_diff },
		{ "suggest", do_suggest }, { NULL, NULL },
	};

	return cmd_select(cmds, argc, argv, do_help);
}

/*
 * Builds @b from @text, as if it were the one file "<active policy>".
 * Returns 0, or -1 after reporting the diagnostics.
 */
static int build_text(struct built_policy *b, const char *text, bool compile)
{
	size_t len;
	FILE *out;
	int err;

	memset(b, 0, sizeof(*b));
	policy_init(&b->policy);
	err = policy_parse(&b->policy, ACTIVE_NAME, text, strlen(text),
			   &b->diags);
	if (!err)
		err = policy_finish(&b->policy, &b->diags);
	if (!err && compile)
		err = policy_compile(&b->policy, &b->compiled, &b->diags);
	policy_report(b, err);
	if (err)
		return -1;
	out = open_memstream(&b->text, &len);
	if (!out)
		abort();
	policy_print(&b->policy, out);
	fclose(out);
	return 0;
}

/* Sets the default mode, or with @apps the mode of each app in @p. */
static int set_mode(struct policy *p, __u32 mode, int n_apps, char **apps)
{
	if (!n_apps)
		p->mode = mode;
	for (int i = 0; i < n_apps; i++) {
		size_t k;

		for (k = 0; k < p->n_apps; k++)
			if (!strcmp(p->apps[k].name, apps[i]))
				break;
		if (k == p->n_apps)
			return p_err(
				"no app '%s' in the active policy: see 'ward policy show'",
				apps[i]);
		p->apps[k].mode = mode == WARD_MODE_COMPLAIN ?
					  WARD_APP_MODE_COMPLAIN :
					  WARD_APP_MODE_ENFORCE;
	}
	return 0;
}

/*
 * The mode is changed in the active policy's text, which is then loaded
 * like any policy: until the next load from disk, "ward policy show"
 * and "ward policy diff" show the change.
 */
int do_mode(int argc, char **argv)
{
	struct built_policy active, changed;
	char *text;
	__u32 mode;
	int err;

	if (argc < 1)
		return usage("mode enforce|complain [APP...]");
	if (!policy_mode_named(argv[0], strlen(argv[0]), &mode))
		return usage("mode enforce|complain [APP...]");
	if (require_root())
		return -1;
	if (!ward_running())
		return p_err("ward is not running: start it with 'ward start'");
	text = source_read();
	if (!text)
		return -1;
	err = build_text(&active, text, false);
	free(text);
	if (!err)
		err = set_mode(&active.policy, mode, argc - 1, argv + 1);
	if (!err) {
		size_t len;
		FILE *out = open_memstream(&text, &len);

		if (!out)
			abort();
		policy_print(&active.policy, out);
		fclose(out);
		err = build_text(&changed, text, true);
		free(text);
		if (!err)
			err = activate(&changed, "mode changed");
		built_policy_free(&changed);
	}
	built_policy_free(&active);
	return err ? -1 : 0;
}
