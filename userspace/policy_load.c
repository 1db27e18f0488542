// SPDX-License-Identifier: GPL-2.0
/*
 * ward - from policy files to the active policy
 */

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "output.h"
#include "pin.h"
#include "policy_load.h"
#include "policy_names.h"
#include "policy_source.h"

/* The name of the one file a policy built from its text comes from. */
#define ACTIVE_NAME "<active policy>"

/* The canonical text of a policy, printed while it compiles. */
struct print_job {
	const struct policy *p;
	char *text;
};

static void *print_run(void *arg)
{
	struct print_job *job = arg;
	size_t len;
	FILE *out = open_memstream(&job->text, &len);

	if (!out)
		abort();
	policy_print(job->p, out);
	fclose(out);
	return NULL;
}

/*
 * After parsing (@err its outcome): checks the whole policy, compiles it
 * with @compile for a ward pinned in @pins, and prints its canonical text.
 * The paths of its files are resolved while it is checked, and the text
 * is printed while it compiles, each in a thread: a policy of a million
 * files takes seconds, most of them on one core.
 */
static int build_rest(struct built_policy *b, int err, bool compile,
		      const char *pins)
{
	struct policy_paths *paths = NULL;
	struct print_job job = { &b->policy, NULL };
	pthread_t printer;
	bool printing;

	if (!err && compile)
		paths = policy_paths_start(&b->policy);
	if (!err)
		err = policy_finish(&b->policy, &b->diags);
	/* This very binary: what it loads, it runs in ward's domain. */
	b->policy.self_exe = "/proc/self/exe";
	b->policy.self_pins = pins;
	if (err) {
		policy_paths_free(paths);
		return err;
	}
	printing = !pthread_create(&printer, NULL, print_run, &job);
	if (compile)
		err = policy_compile(&b->policy, paths, &b->compiled,
				     &b->diags);
	policy_paths_free(paths);
	if (printing)
		pthread_join(printer, NULL);
	else
		print_run(&job);
	b->text = job.text;
	return err;
}

int policy_build(struct built_policy *b, char **args, size_t n_args,
		 const char *pins)
{
	int err;

	memset(b, 0, sizeof(*b));
	policy_init(&b->policy);
	err = policy_files_collect(&b->files, args, n_args, &b->diags);
	for (size_t i = 0; !err && i < b->files.n; i++)
		if (policy_parse_file(&b->policy, b->files.paths[i], &b->diags))
			err = -EINVAL;
	return build_rest(b, err, true, pins);
}

int policy_build_text(struct built_policy *b, const char *text, bool compile)
{
	int err;

	memset(b, 0, sizeof(*b));
	policy_init(&b->policy);
	err = policy_parse(&b->policy, ACTIVE_NAME, text, strlen(text),
			   &b->diags);
	return build_rest(b, err, compile, WARD_PIN_DIR);
}

void policy_report(const struct built_policy *b, int err)
{
	json_object *obj;

	if (!json_output || !err) {
		diag_print(&b->diags, stderr);
		return;
	}
	obj = json_object_new_object();
	json_object_object_add(obj, "error",
			       json_object_new_string("the policy has errors"));
	json_object_object_add(obj, "diagnostics", diag_json(&b->diags));
	json_print(obj);
}

void built_policy_free(struct built_policy *b)
{
	/* The entries' paths are the policy's. */
	compiled_policy_free(&b->compiled);
	policy_files_free(&b->files);
	policy_free(&b->policy);
	free(b->text);
	diag_free(&b->diags);
}

int policy_activate(const struct ward_maps *maps, const char *maps_dir,
		    const struct built_policy *b)
{
	int err = policy_map_install(maps, &b->compiled);

	if (err == -EAGAIN)
		return p_err(
			"labelled files were replaced faster than the new policy could follow; the old one stays active: load it again");
	if (err)
		return p_err(
			"cannot install the policy: %s; the old one stays active",
			strerror(-err));
	err = source_store(maps_dir, b->text);
	if (err)
		return p_err(
			"the policy is active, but its text could not be kept for 'ward policy show': %s",
			strerror(-err));
	return 0;
}

/* The maps of the running ward; -1 after p_err() when it does not run. */
static void close_maps(struct ward_maps *maps)
{
	int *fds[] = { &maps->policy, &maps->info, &maps->state,
		       &maps->app_names, &maps->epoch };

	for (size_t i = 0; i < sizeof(fds) / sizeof(*fds); i++)
		if (*fds[i] >= 0)
			close(*fds[i]);
}

static int open_maps(struct ward_maps *maps)
{
	maps->policy = pin_open_map("ward_policy");
	maps->info = maps->policy < 0 ? -1 : pin_open_map("ward_info");
	maps->state = maps->info < 0 ? -1 : pin_open_map("ward_state");
	maps->app_names = maps->state < 0 ? -1 :
					    pin_open_map("ward_app_names");
	maps->epoch = maps->app_names < 0 ? -1 : pin_open_map("ward_epoch");
	if (maps->epoch >= 0)
		return 0;
	close_maps(maps);
	return -1;
}

int policy_activate_running(const struct built_policy *b, const char *what)
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
