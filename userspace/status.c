// SPDX-License-Identifier: GPL-2.0
/*
 * ward - "ward status": is ward in the kernel, with which policy, doing what
 *
 * Everything is read back from the kernel: the LSM list, the pinned links
 * and the active policy map, not from files the tool left behind.  The
 * record of the policy ward loaded names the map it loaded it into: a map
 * in the active slot that is not that one was put there behind ward's
 * back, and is reported so, with a failing exit status.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "kernel.h"
#include "lock.h"
#include "main.h"
#include "output.h"
#include "pin.h"
#include "policy_names.h"
#include "policy_map.h"
#include "status.h"
#include "system.h"

static const char *const stat_names[WARD_STAT_MAX] = {
	[WARD_STAT_DENIED] = "denied",
	[WARD_STAT_COMPLAINED] = "complained",
	[WARD_STAT_AUDITED] = "audited",
	[WARD_STAT_LOST] = "lost",
	[WARD_STAT_WALK_LIMIT] = "walk_limit",
	[WARD_STAT_MAP_FULL] = "map_full",
	[WARD_STAT_NO_MEMORY] = "no_memory",
};

struct status {
	char lsm[512];
	bool lsm_bpf;
	bool running;
	json_object *programs;
	size_t attached; /* of @programs */
	struct ward_policy_info info;
	bool have_policy;
	__u32 active_map_id; /* 0: no policy map is active */
	__u32 mode;
	__u32 flags; /* enum lock_flags */
	struct ward_kernel kernel; /* the active policy's */
	__u64 stats[WARD_STAT_MAX];
	struct protection protections[16];
	size_t n_protections;
};

/* The programs whose links are pinned, and whether each is attached. */
static json_object *read_programs(void)
{
	json_object *array = json_object_new_array();
	struct pinned_link links[64];
	size_t n = pin_links(links, sizeof(links) / sizeof(*links));

	for (size_t i = 0; i < n; i++) {
		json_object *obj = json_object_new_object();

		json_object_object_add(obj, "name",
				       json_object_new_string(links[i].name));
		json_object_object_add(
			obj, "attached",
			json_object_new_boolean(links[i].attached));
		if (links[i].attached) {
			json_object_object_add(
				obj, "link_id",
				json_object_new_int64(links[i].link_id));
			json_object_object_add(
				obj, "prog_id",
				json_object_new_int64(links[i].prog_id));
		}
		json_object_array_add(array, obj);
	}
	return array;
}

__u64 stat_sum(int stats_fd, __u32 stat)
{
	int ncpus = libbpf_num_possible_cpus();
	__u64 sum = 0;

	if (stats_fd < 0 || ncpus <= 0)
		return 0;
	{
		__u64 per_cpu[ncpus];

		if (bpf_map_lookup_elem(stats_fd, &stat, per_cpu))
			return 0;
		for (int c = 0; c < ncpus; c++)
			sum += per_cpu[c];
	}
	return sum;
}

static int read_policy(struct status *st)
{
	int info_fd, stats_fd, outer_fd;
	struct ward_meta meta = {};
	__u32 zero = 0;
	int err = -1;

	info_fd = pin_open_map("ward_info");
	stats_fd = pin_open_map("ward_stats");
	outer_fd = pin_open_map("ward_policy");
	if (info_fd < 0 || stats_fd < 0 || outer_fd < 0)
		goto close;

	st->have_policy = !bpf_map_lookup_elem(info_fd, &zero, &st->info);
	if (bpf_map_lookup_elem(outer_fd, &zero, &st->active_map_id))
		st->active_map_id = 0;
	policy_map_settings(outer_fd, &meta, &st->kernel);
	st->mode = meta.mode;
	for (__u32 i = 0; i < WARD_STAT_MAX; i++)
		st->stats[i] = stat_sum(stats_fd, i);
	st->flags = lock_flags(WARD_PIN_DIR);
	err = 0;
close:
	if (info_fd >= 0)
		close(info_fd);
	if (stats_fd >= 0)
		close(stats_fd);
	if (outer_fd >= 0)
		close(outer_fd);
	return err;
}

/* The active policy map is the one ward loaded the recorded policy into. */
static bool policy_intact(const struct status *st)
{
	return st->have_policy && st->active_map_id &&
	       st->active_map_id == st->info.map_id;
}

static void protect(struct status *st, const char *name, bool in_force,
		    const char *detail)
{
	struct protection *p = &st->protections[st->n_protections++];

	p->name = name;
	p->in_force = in_force;
	snprintf(p->detail, sizeof(p->detail), "%.*s",
		 (int)sizeof(p->detail) - 1, detail);
}

/*
 * Each protection, and whether it is in force: ward's own (attached,
 * policy intact, locked, the BPF gate), then those of the policy's
 * "kernel" statements, as the kernel reports them.
 */
static void read_protections(struct status *st)
{
	size_t n = json_object_array_length(st->programs);
	char detail[160];

	snprintf(detail, sizeof(detail), "lsm=%.150s", st->lsm);
	protect(st, "BPF LSM", st->lsm_bpf, detail);
	snprintf(detail, sizeof(detail), "%zu of %zu programs attached",
		 st->attached, n);
	protect(st, "ward", st->running && n && st->attached == n,
		st->running ? detail : "not running");
	if (!st->running)
		return;
	protect(st, "policy", policy_intact(st),
		policy_intact(st) ?
			"the one ward loaded is active" :
			"the active policy map is not the one ward loaded");
	protect(st, "lock", st->flags & LOCK_LOCKED,
		st->flags & LOCK_LOCKED ? "locked until the next boot" :
		st->flags & LOCK_BREAK_GLASS ?
						"not locked: the kernel command line says " LOCK_CMDLINE :
						"not locked: start with --lock");
	protect(st, "kernel bpf", st->kernel.bpf != WARD_KERNEL_BPF_ALLOW,
		st->kernel.bpf == WARD_KERNEL_BPF_DENY ?
			"deny: programs load only from ward and the loaders" :
		st->kernel.bpf == WARD_KERNEL_BPF_GUARD ?
			"guard: ward's objects are ward's, tracing programs load only from ward and the loaders" :
			"allow: no BPF gate, ward's objects included");
	st->n_protections += kernel_protections(
		&st->kernel, st->protections + st->n_protections,
		sizeof(st->protections) / sizeof(*st->protections) -
			st->n_protections);
}

/* The names of the protections not in force, comma-separated; "" none. */
static void not_in_force(const struct status *st, char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < st->n_protections && len < size; i++)
		if (!st->protections[i].in_force)
			len += snprintf(buf + len, size - len, "%s%s",
					len ? ", " : "",
					st->protections[i].name);
}

static void hex(const __u8 *bytes, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", bytes[i]);
}

static void print_json(const struct status *st)
{
	json_object *obj = json_object_new_object(), *lsm, *policy, *stats;
	json_object *protections;
	char sha[65];

	lsm = json_object_new_object();
	json_object_object_add(lsm, "bpf",
			       json_object_new_boolean(st->lsm_bpf));
	json_object_object_add(lsm, "active", json_object_new_string(st->lsm));
	json_object_object_add(obj, "lsm", lsm);
	json_object_object_add(obj, "running",
			       json_object_new_boolean(st->running));
	json_object_object_add(obj, "programs", json_object_get(st->programs));
	if (st->running) {
		json_object_object_add(
			obj, "locked",
			json_object_new_boolean(st->flags & LOCK_LOCKED));
		json_object_object_add(
			obj, "break_glass",
			json_object_new_boolean(st->flags &
						LOCK_BREAK_GLASS));
	}
	if (st->have_policy) {
		policy = json_object_new_object();
		hex(st->info.sha256, sizeof(st->info.sha256), sha);
		json_object_object_add(policy, "name",
				       json_object_new_string(st->info.name));
		json_object_object_add(
			policy, "version",
			json_object_new_string(st->info.version));
		json_object_object_add(policy, "sha256",
				       json_object_new_string(sha));
		json_object_object_add(
			policy, "mode",
			json_object_new_string(policy_mode_name(st->mode)));
		json_object_object_add(
			policy, "loaded_at",
			json_object_new_int64(st->info.loaded_at));
		json_object_object_add(policy, "objects",
				       json_object_new_int64(st->info.objects));
		json_object_object_add(policy, "exes",
				       json_object_new_int64(st->info.exes));
		json_object_object_add(policy, "rules",
				       json_object_new_int64(st->info.rules));
		json_object_object_add(policy, "intact",
				       json_object_new_boolean(policy_intact(st)));
		json_object_object_add(policy, "map_id",
				       json_object_new_int64(st->info.map_id));
		json_object_object_add(
			policy, "active_map_id",
			json_object_new_int64(st->active_map_id));
		json_object_object_add(obj, "policy", policy);
	}
	protections = json_object_new_array();
	for (size_t i = 0; i < st->n_protections; i++) {
		json_object *p = json_object_new_object();

		json_object_object_add(
			p, "name",
			json_object_new_string(st->protections[i].name));
		json_object_object_add(
			p, "in_force",
			json_object_new_boolean(st->protections[i].in_force));
		json_object_object_add(
			p, "detail",
			json_object_new_string(st->protections[i].detail));
		json_object_array_add(protections, p);
	}
	json_object_object_add(obj, "protections", protections);
	if (st->running) {
		stats = json_object_new_object();
		for (int i = 0; i < WARD_STAT_MAX; i++)
			json_object_object_add(
				stats, stat_names[i],
				json_object_new_uint64(st->stats[i]));
		json_object_object_add(obj, "counters", stats);
	}
	json_print(obj);
}

static void print_text(const struct status *st)
{
	size_t n = json_object_array_length(st->programs);
	char sha[65], when[32];
	time_t t;

	printf("BPF LSM:   %s (%s)\n", st->lsm_bpf ? "active" : "NOT active",
	       st->lsm[0] ? st->lsm : "unknown");
	if (!st->running) {
		printf("ward:      not running\n");
		return;
	}
	printf("ward:      running, %zu of %zu programs attached\n",
	       st->attached, n);
	if (st->flags & LOCK_LOCKED)
		printf("lock:      locked until the next boot\n");
	else if (st->flags & LOCK_BREAK_GLASS)
		printf("lock:      NOT locked: the kernel command line says %s\n",
		       LOCK_CMDLINE);
	else
		printf("lock:      not locked\n");
	if (st->have_policy) {
		t = st->info.loaded_at;
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
		hex(st->info.sha256, sizeof(st->info.sha256), sha);
		printf("policy:    %s %s, mode %s, loaded %s\n", st->info.name,
		       st->info.version, policy_mode_name(st->mode), when);
		printf("           sha256 %s\n", sha);
		printf("           %u labelled files, %u executables, %u rules\n",
		       st->info.objects, st->info.exes, st->info.rules);
		if (!st->active_map_id)
			printf("           NOT ACTIVE: no policy map is in the active slot\n");
		else if (!policy_intact(st))
			printf("           NOT ACTIVE: the active policy map (id %u) is not the one ward loaded it into (id %u)\n",
			       st->active_map_id, st->info.map_id);
	} else {
		printf("policy:    none\n");
	}
	printf("counters: ");
	for (int i = 0; i < WARD_STAT_MAX; i++)
		printf(" %s %llu%s", stat_names[i],
		       (unsigned long long)st->stats[i],
		       i + 1 < WARD_STAT_MAX ? "," : "\n");
	printf("protections:\n");
	for (size_t i = 0; i < st->n_protections; i++)
		printf("  %-16s %-14s %s\n", st->protections[i].name,
		       st->protections[i].in_force ? "in force" :
						     "NOT in force",
		       st->protections[i].detail);
}

int do_status(int argc, char **argv)
{
	bool strict = false;
	const struct cmd_option opts[] = { { "strict", 's', &strict, NULL }, {} };
	struct status st = {};
	char missing[512];
	int err;

	err = cmd_options(&argc, &argv, opts, 0, "status [--strict]");
	if (err)
		return err;
	if (require_root())
		return -1;
	st.lsm_bpf = !lsm_list(st.lsm, sizeof(st.lsm)) &&
		     lsm_list_has_bpf(st.lsm);
	st.running = ward_running();
	st.programs = st.running ? read_programs() : json_object_new_array();
	if (st.running && read_policy(&st)) {
		json_object_put(st.programs);
		return -1;
	}
	for (size_t i = 0; i < json_object_array_length(st.programs); i++)
		st.attached += json_object_get_boolean(json_object_object_get(
			json_object_array_get_idx(st.programs, i),
			"attached"));
	read_protections(&st);
	if (json_output)
		print_json(&st);
	else
		print_text(&st);
	json_object_put(st.programs);
	err = st.running ? 0 : EXIT_NOT_RUNNING;
	if (st.running && st.have_policy && !policy_intact(&st)) {
		fprintf(stderr,
			"ward: the active policy is not the one ward loaded: load a policy again with 'ward policy load'\n");
		err = 1;
	}
	not_in_force(&st, missing, sizeof(missing));
	if (strict && missing[0] && !json_output)
		fprintf(stderr, "ward: not in force: %s\n", missing);
	if (strict && missing[0] && !err)
		err = 1;
	return err;
}
