// SPDX-License-Identifier: GPL-2.0
/*
 * ward - "ward start" and "ward stop": the lifecycle of the attachment
 *
 * start checks everything it can before it touches the kernel, then loads,
 * installs the policy, attaches and pins into a private directory that is
 * renamed into place last.  Any failure undoes what was done: nothing is
 * left half attached.
 */

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "main.h"
#include "output.h"
#include "pin.h"
#include "policy_compile.h"
#include "policy_map.h"
#include "system.h"
#include "ward.skel.h"

/* bpffs refuses names with dots. */
#define STAGING_PREFIX "ward-staging-"

/* Parses and compiles @file, printing its diagnostics. */
static int compile_file(const char *file, struct compiled_policy *c,
			struct policy *p)
{
	struct diag_list diags = {};
	int err;

	err = policy_parse_file(p, file, &diags);
	if (!err)
		err = policy_compile(p, c, &diags);
	if (json_output && err) {
		json_object *obj = json_object_new_object();

		json_object_object_add(
			obj, "error",
			json_object_new_string("the policy has errors"));
		json_object_object_add(obj, "diagnostics", diag_json(&diags));
		json_print(obj);
	} else {
		diag_print(&diags, stderr);
	}
	diag_free(&diags);
	return err;
}

/* Removes what a start killed half-way left behind. */
static void remove_stale_staging(void)
{
	DIR *dir = opendir(BPFFS_PATH);
	struct dirent *de;

	if (!dir)
		return;
	while ((de = readdir(dir))) {
		char path[512];
		pid_t pid;

		if (strncmp(de->d_name, STAGING_PREFIX, strlen(STAGING_PREFIX)))
			continue;
		pid = atoi(de->d_name + strlen(STAGING_PREFIX));
		if (pid > 0 && (!kill(pid, 0) || errno != ESRCH))
			continue;
		snprintf(path, sizeof(path), "%s/%s", BPFFS_PATH, de->d_name);
		pin_remove(path);
	}
	closedir(dir);
}

/* Pins maps and links under @dir; reports the failing pin with p_err(). */
static int pin_into(struct ward *skel, struct bpf_link **links, const char *dir)
{
	struct bpf_program *prog;
	struct bpf_map *map;
	char path[512];
	size_t i = 0;
	int err = 0;

	snprintf(path, sizeof(path), "%s", dir);
	if (mkdir(path, 0700))
		goto fail_errno;
	snprintf(path, sizeof(path), "%s/%s", dir, WARD_PIN_MAPS);
	if (mkdir(path, 0700))
		goto fail_errno;
	snprintf(path, sizeof(path), "%s/%s", dir, WARD_PIN_LINKS);
	if (mkdir(path, 0700))
		goto fail_errno;

	bpf_object__for_each_map(map, skel->obj) {
		if (bpf_map__is_internal(map))
			continue;
		snprintf(path, sizeof(path), "%s/%s/%s", dir, WARD_PIN_MAPS,
			 bpf_map__name(map));
		err = bpf_map__pin(map, path);
		if (err)
			goto fail;
	}
	bpf_object__for_each_program(prog, skel->obj) {
		snprintf(path, sizeof(path), "%s/%s/%s", dir, WARD_PIN_LINKS,
			 bpf_program__name(prog));
		err = bpf_link__pin(links[i++], path);
		if (err)
			goto fail;
	}
	return 0;

fail_errno:
	err = -errno;
fail:
	return p_err("cannot pin %s: %s", path, strerror(-err));
}

static void print_started(const struct compiled_policy *c, const char *file,
			  __u32 mode)
{
	const char *mode_name = policy_mode_name(mode);

	if (json_output) {
		json_object *obj = json_object_new_object();

		json_object_object_add(obj, "started",
				       json_object_new_boolean(true));
		json_object_object_add(obj, "policy",
				       json_object_new_string(c->info.name));
		json_object_object_add(obj, "version",
				       json_object_new_string(c->info.version));
		json_object_object_add(obj, "file",
				       json_object_new_string(file));
		json_object_object_add(obj, "mode",
				       json_object_new_string(mode_name));
		json_object_object_add(obj, "objects",
				       json_object_new_int64(c->info.objects));
		json_object_object_add(obj, "exes",
				       json_object_new_int64(c->info.exes));
		json_object_object_add(obj, "rules",
				       json_object_new_int64(c->info.rules));
		json_print(obj);
		return;
	}
	printf("ward: started: policy %s %s (%s), %u labelled files, %u executables, %u rules\n",
	       c->info.name, c->info.version, mode_name, c->info.objects,
	       c->info.exes, c->info.rules);
}

int do_start(int argc, char **argv)
{
	struct compiled_policy compiled = {};
	struct bpf_link **links = NULL;
	struct policy policy = {};
	struct bpf_program *prog;
	struct ward *skel = NULL;
	char staging[256];
	size_t n_links = 0;
	int err;

	if (argc != 1) {
		p_err("usage: ward start POLICY");
		return -EXIT_USAGE;
	}
	if (require_root())
		return -1;
	if (compile_file(argv[0], &compiled, &policy)) {
		err = -1;
		goto free_policy;
	}
	err = -1;
	if (require_bpffs() || require_bpf_lsm())
		goto free_policy;
	remove_stale_staging();
	if (ward_running()) {
		p_err("ward is already running: stop it first with 'ward stop'");
		goto free_policy;
	}

	skel = ward__open_and_load();
	if (!skel) {
		p_err("cannot load the BPF programs: %s (run 'ward --debug start' for the verifier's log)",
		      strerror(errno));
		goto free_policy;
	}
	err = policy_map_install(bpf_map__fd(skel->maps.ward_policy),
				 bpf_map__fd(skel->maps.ward_info), &compiled);
	if (err) {
		p_err("cannot install the policy: %s", strerror(-err));
		goto destroy_skel;
	}

	links = calloc(skel->skeleton->prog_cnt, sizeof(*links));
	if (!links) {
		err = p_err("out of memory");
		goto destroy_skel;
	}
	bpf_object__for_each_program(prog, skel->obj) {
		links[n_links] = bpf_program__attach(prog);
		if (!links[n_links]) {
			err = -errno;
			p_err("cannot attach %s: %s", bpf_program__name(prog),
			      strerror(-err));
			goto detach;
		}
		n_links++;
	}

	snprintf(staging, sizeof(staging), "%s/%s%d", BPFFS_PATH,
		 STAGING_PREFIX, getpid());
	err = pin_into(skel, links, staging);
	if (!err && rename(staging, WARD_PIN_DIR))
		err = p_err("cannot rename %s to %s: %s", staging, WARD_PIN_DIR,
			    strerror(errno));
	if (err) {
		pin_remove(staging);
		goto detach;
	}
	print_started(&compiled, argv[0], policy.mode);

detach:
	/* Pinned links stay attached; unpinned ones detach here. */
	for (size_t i = 0; i < n_links; i++)
		bpf_link__destroy(links[i]);
	free(links);
destroy_skel:
	ward__destroy(skel);
free_policy:
	compiled_policy_free(&compiled);
	policy_free(&policy);
	return err ? -1 : 0;
}

/*
 * The kernel releases an unpinned link later, from a workqueue, after an
 * RCU grace period: wait until every program is gone, so that "ward stop"
 * returns with nothing attached.
 */
static int wait_progs_gone(const struct pinned_link *links, size_t n)
{
	for (int tries = 0; tries < 3000; tries++) {
		size_t alive = 0;

		for (size_t i = 0; i < n; i++) {
			int fd = bpf_prog_get_fd_by_id(links[i].prog_id);

			if (fd >= 0) {
				close(fd);
				alive++;
			}
		}
		if (!alive)
			return 0;
		usleep(10000);
	}
	return -ETIMEDOUT;
}

int do_stop(int argc, char **argv)
{
	struct pinned_link links[64];
	size_t n_links;
	int err;

	(void)argv;
	if (argc) {
		p_err("usage: ward stop");
		return -EXIT_USAGE;
	}
	if (require_root() || require_bpffs())
		return -1;
	if (!ward_running())
		return p_err("ward is not running");
	n_links = pin_links(links, sizeof(links) / sizeof(*links));
	err = pin_remove(WARD_PIN_DIR);
	if (err)
		return p_err("cannot remove %s: %s", WARD_PIN_DIR,
			     strerror(-err));
	if (wait_progs_gone(links, n_links))
		return p_err(
			"unpinned, but the programs are still loaded after 30 s: a process holds them open");
	if (json_output) {
		json_object *obj = json_object_new_object();

		json_object_object_add(obj, "stopped",
				       json_object_new_boolean(true));
		json_print(obj);
	} else {
		printf("ward: stopped\n");
	}
	return 0;
}
