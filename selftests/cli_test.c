// SPDX-License-Identifier: GPL-2.0
/*
 * ward selftests - the ward tool's lifecycle commands and their errors
 *
 * Bad input must give one line saying what is wrong and what to do, a
 * non-zero exit, and leave nothing attached.
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <bpf/bpf.h>
#include <json-c/json.h>

#include "common.h"
#include "ward_abi.h"
#include "harness.h"

#define EXIT_NOT_RUNNING 3

static const char good_policy[] = "policy cli 2.3.4\n"
				  "files secret " SCRATCH "/cli-secret\n"
				  "app nobody /bin/true\n"
				  "allow nobody write secret\n";

/*
 * What a crash or root's tampering would leave, made by hand: with ward
 * guarding itself nobody but ward could (tamper_test), so these tests
 * turn the guard off.
 */
static const char unguarded[] = "policy unguarded 1.0.0\nkernel bpf allow\n";

FIXTURE(cli)
{
	char dir[64];
	char policy[PATH_MAX];
	char unguarded[PATH_MAX];
};

FIXTURE_SETUP(cli)
{
	/* These tests start ward themselves. */
	ward_stop_quietly();
	strcpy(self->dir, SCRATCH "/cli-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	snprintf(self->policy, sizeof(self->policy), "%s/good.policy",
		 self->dir);
	ASSERT_EQ(0, write_file(self->policy, good_policy));
	snprintf(self->unguarded, sizeof(self->unguarded),
		 "%s/unguarded.policy", self->dir);
	ASSERT_EQ(0, write_file(self->unguarded, unguarded));
	ASSERT_EQ(0, write_file(SCRATCH "/cli-secret", "secret\n"));
}

FIXTURE_TEARDOWN(cli)
{
	ward_stop_quietly();
	remove_tree(self->dir);
	unlink(SCRATCH "/cli-secret");
}

static int lines(const char *text)
{
	int n = 0;

	for (; text && *text; text++)
		n += *text == '\n';
	return n;
}

/* Nothing of ward may be left attached, loaded or pinned. */
static void assert_not_running(struct __test_metadata *_metadata)
{
	struct stat st;
	int fd;

	EXPECT_EQ(EXIT_NOT_RUNNING, ward_run(NULL, NULL, "status", NULL));
	EXPECT_EQ(0, attached_programs_named("hook_file_open"));
	EXPECT_EQ(-1, stat("/sys/fs/bpf/ward", &st));
	fd = open(SCRATCH "/cli-secret", O_WRONLY | O_CLOEXEC);
	EXPECT_LE(0, fd);
	if (fd >= 0)
		close(fd);
}

TEST_F(cli, start_then_stop)
{
	char *out = NULL;

	ASSERT_EQ(0, ward_run(&out, NULL, "start", self->policy, NULL));
	EXPECT_NE(NULL, strstr(out, "policy cli 2.3.4"));
	free(out);
	EXPECT_EQ(-1, open(SCRATCH "/cli-secret", O_WRONLY | O_CLOEXEC));
	EXPECT_EQ(EACCES, errno);
	EXPECT_EQ(0, ward_run(NULL, NULL, "stop", NULL));
	assert_not_running(_metadata);
}

TEST_F(cli, status_reads_the_policy_back)
{
	json_object *status, *policy, *programs, *counters;
	char *out = NULL;

	ASSERT_EQ(0, ward_run(NULL, NULL, "start", self->policy, NULL));
	EXPECT_EQ(-1, open(SCRATCH "/cli-secret", O_WRONLY | O_CLOEXEC));
	ASSERT_EQ(0, ward_run(&out, NULL, "--json", "status", NULL));
	status = json_tokener_parse(out);
	free(out);
	ASSERT_NE(NULL, status);
	EXPECT_TRUE(json_object_get_boolean(json_object_object_get(
		json_object_object_get(status, "lsm"), "bpf")));
	EXPECT_TRUE(json_object_get_boolean(
		json_object_object_get(status, "running")));
	programs = json_object_object_get(status, "programs");
	ASSERT_NE(NULL, programs);
	EXPECT_LT(0, (int)json_object_array_length(programs));
	for (size_t i = 0; i < json_object_array_length(programs); i++)
		EXPECT_TRUE(json_object_get_boolean(json_object_object_get(
			json_object_array_get_idx(programs, i), "attached")));
	policy = json_object_object_get(status, "policy");
	ASSERT_NE(NULL, policy);
	EXPECT_STREQ("cli", json_object_get_string(
				    json_object_object_get(policy, "name")));
	EXPECT_STREQ("2.3.4", json_object_get_string(json_object_object_get(
				      policy, "version")));
	EXPECT_STREQ("enforce", json_object_get_string(json_object_object_get(
					policy, "mode")));
	EXPECT_EQ(64, (int)strlen(json_object_get_string(
			      json_object_object_get(policy, "sha256"))));
	/* The secret, and the app's executable. */
	EXPECT_EQ(2, json_object_get_int(
			     json_object_object_get(policy, "objects")));
	EXPECT_EQ(1,
		  json_object_get_int(json_object_object_get(policy, "exes")));
	EXPECT_EQ(1,
		  json_object_get_int(json_object_object_get(policy, "rules")));
	counters = json_object_object_get(status, "counters");
	ASSERT_NE(NULL, counters);
	EXPECT_EQ(1, json_object_get_int(
			     json_object_object_get(counters, "denied")));
	/* Forks and execs refused for want of memory: none, but shown. */
	EXPECT_TRUE(json_object_object_get_ex(counters, "no_memory", NULL));
	EXPECT_EQ(0, json_object_get_int(
			     json_object_object_get(counters, "no_memory")));
	json_object_put(status);
	ASSERT_EQ(0, ward_run(&out, NULL, "status", NULL));
	EXPECT_NE(NULL, strstr(out, ", no_memory 0\n"))
	{
		TH_LOG("ward status said: %s", out);
	}
	free(out);
}

/*
 * The review's fourteenth finding: root swapped an empty map into the
 * active policy slot and ward status still reported the old policy.
 * Status reads the map that is active, not what was loaded.
 */
TEST_F(cli, status_sees_a_policy_map_swapped_underneath)
{
	LIBBPF_OPTS(bpf_map_create_opts, opts);
	struct ward_policy_key key = { .kind = WARD_KEY_KERNEL };
	union ward_policy_value value = {
		.kernel = { .bpf = WARD_KERNEL_BPF_ALLOW }
	};
	struct bpf_map_info info = {};
	__u32 len = sizeof(info), zero = 0, id;
	json_object *status, *policy;
	int outer, inner, fake;
	char *out = NULL, *err = NULL;

	ASSERT_EQ(0, ward_run(NULL, NULL, "start", self->policy,
			      self->unguarded, NULL));
	outer = bpf_obj_get("/sys/fs/bpf/ward/maps/ward_policy");
	ASSERT_LE(0, outer);
	ASSERT_EQ(0, bpf_map_lookup_elem(outer, &zero, &id));
	inner = bpf_map_get_fd_by_id(id);
	ASSERT_LE(0, inner);
	ASSERT_EQ(0, bpf_obj_get_info_by_fd(inner, &info, &len));
	opts.map_flags = info.map_flags;
	fake = bpf_map_create(info.type, "forged", info.key_size,
			      info.value_size, info.max_entries, &opts);
	ASSERT_LE(0, fake);
	/* Unguarded, or not even ward would reach its maps again. */
	ASSERT_EQ(0, bpf_map_update_elem(fake, &key, &value, BPF_ANY));
	ASSERT_EQ(0, bpf_map_update_elem(outer, &zero, &fake, BPF_ANY));
	close(fake);
	close(inner);
	close(outer);
	/* The forgery works: the secret is no longer protected... */
	EXPECT_EQ(0, try_open(SCRATCH "/cli-secret", O_WRONLY));

	/* ...and status says so, in both forms, with a failing exit. */
	EXPECT_EQ(1, ward_run(&out, &err, "status", NULL));
	EXPECT_NE(NULL, strstr(out, "NOT ACTIVE"))
	{
		TH_LOG("ward status said: %s", out);
	}
	EXPECT_STREQ(
		"ward: the active policy is not the one ward loaded: load a policy again with 'ward policy load'\n",
		err);
	free(out);
	free(err);
	EXPECT_EQ(1, ward_run(&out, NULL, "--json", "status", NULL));
	status = json_tokener_parse(out);
	free(out);
	ASSERT_NE(NULL, status);
	policy = json_object_object_get(status, "policy");
	EXPECT_FALSE(json_object_get_boolean(
		json_object_object_get(policy, "intact")));
	EXPECT_NE(json_object_get_int64(json_object_object_get(policy,
								"map_id")),
		  json_object_get_int64(json_object_object_get(
			  policy, "active_map_id")));
	json_object_put(status);

	/* A load puts a policy of ward's own back. */
	ASSERT_EQ(0, ward_run(NULL, NULL, "policy", "load", self->policy,
			      self->unguarded, NULL));
	EXPECT_EQ(0, ward_run(NULL, NULL, "status", NULL));
	EXPECT_EQ(EACCES, try_open(SCRATCH "/cli-secret", O_WRONLY));
}

/*
 * Whether @pid has a BPF map mapped: the ring buffer "log drain" reads
 * (libbpf keeps the mapping, not a descriptor).
 */
static bool maps_a_map(pid_t pid)
{
	char path[64], *maps;
	bool found;

	snprintf(path, sizeof(path), "/proc/%d/maps", pid);
	maps = read_file(path);
	found = maps && strstr(maps, "anon_inode:bpf-map");
	free(maps);
	return found;
}

/*
 * Starts "ward --json log drain -f" on a pipe, and waits until it reads
 * the ring buffer.  Returns its pid; *@fd is the pipe's end to read.
 */
static pid_t follow_log(int *fd)
{
	int pipefd[2];
	pid_t pid;

	if (pipe(pipefd))
		return -1;
	pid = fork();
	if (pid == 0) {
		dup2(pipefd[1], 1);
		close(pipefd[0]);
		close(pipefd[1]);
		execl(ward_bin(), ward_bin(), "--json", "log", "drain", "-f",
		      (char *)NULL);
		_exit(127);
	}
	close(pipefd[1]);
	*fd = pipefd[0];
	/* TCG on a loaded host: up to minutes, never a fixed sleep. */
	for (int i = 0; pid > 0 && i < 1200 && !maps_a_map(pid); i++) {
		if (waitpid(pid, NULL, WNOHANG) == pid)
			return -1; /* it ended: reported as such */
		usleep(100 * 1000);
	}
	return pid;
}

/* Ends the follower; the events it printed, as a JSON array. */
static json_object *follower_events(pid_t pid, int fd)
{
	json_object *array = json_object_new_array();
	char *out, *line, *save;

	kill(pid, SIGTERM);
	out = read_fd(fd);
	close(fd);
	waitpid(pid, NULL, 0);
	for (line = out ? strtok_r(out, "\n", &save) : NULL; line;
	     line = strtok_r(NULL, "\n", &save))
		json_object_array_add(array, json_tokener_parse(line));
	free(out);
	return array;
}

/*
 * Starts ward and a follower of its log, then takes ward's pins away,
 * by "ward stop" or (@by_hand) as root's rm -r would: the follower must
 * have read an unpin, reported while the programs were still attached.
 */
static void expect_unpin_reported(struct __test_metadata *_metadata,
				  FIXTURE_DATA(cli) * self, bool by_hand)
{
	json_object *events, *ev;
	pid_t pid;
	int fd;

	ASSERT_EQ(0, ward_run(NULL, NULL, "start", self->policy,
			      self->unguarded, NULL));
	json_object_put(ward_events()); /* the start's own, read */
	pid = follow_log(&fd);
	ASSERT_LT(0, pid);
	ASSERT_TRUE(maps_a_map(pid));
	if (by_hand)
		remove_tree("/sys/fs/bpf/ward");
	else
		ASSERT_EQ(0, ward_run(NULL, NULL, "stop", NULL));
	events = follower_events(pid, fd);
	ev = event_find(events, "op", "unpin", NULL);
	EXPECT_NE(NULL, ev)
	{
		TH_LOG("events: %s", json_object_to_json_string(events));
	}
	EXPECT_STREQ("audit", event_str(ev, "type"));
	json_object_put(events);
}

/*
 * The review's fourteenth, again: "ward stop", and root removing the
 * pins (rm -r /sys/fs/bpf/ward), detached ward without a record.
 */
/*
 * A ward binary must not work with the pinned maps of a ward of another
 * ABI version: each command that would open them says so, and changes
 * nothing.  Only stop, which opens none, works across versions.
 */
TEST_F(cli, another_abi_is_refused)
{
	static const char refusal[] =
		"ward: the running ward has ABI version %u, this ward binary %u: restart it with this binary ('ward stop', then 'ward start'), or reboot\n";
	char *err = NULL, want[256];
	struct ward_policy_info info;
	__u32 zero = 0;
	int fd;

	ASSERT_EQ(0, ward_run(NULL, NULL, "start", self->policy,
			      self->unguarded, NULL));
	fd = bpf_obj_get("/sys/fs/bpf/ward/maps/ward_info");
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, bpf_map_lookup_elem(fd, &zero, &info));
	ASSERT_EQ((__u32)WARD_ABI_VERSION, info.abi);
	/* As a later ward would have pinned it. */
	info.abi = WARD_ABI_VERSION + 1;
	ASSERT_EQ(0, bpf_map_update_elem(fd, &zero, &info, BPF_ANY));
	snprintf(want, sizeof(want), refusal, WARD_ABI_VERSION + 1,
		 WARD_ABI_VERSION);

	EXPECT_EQ(1, ward_run(NULL, &err, "status", NULL));
	EXPECT_STREQ(want, err);
	free(err);
	EXPECT_EQ(1, ward_run(NULL, &err, "policy", "load", self->policy,
			      NULL));
	EXPECT_STREQ(want, err);
	free(err);
	EXPECT_EQ(1, ward_run(NULL, &err, "log", "drain", NULL));
	EXPECT_STREQ(want, err);
	free(err);
	/* The load changed nothing. */
	ASSERT_EQ(0, bpf_map_lookup_elem(fd, &zero, &info));
	EXPECT_EQ((__u32)WARD_ABI_VERSION + 1, info.abi);
	close(fd);
	EXPECT_EQ(0, ward_run(NULL, NULL, "stop", NULL));
	EXPECT_FALSE(ward_is_running());
}

TEST_F(cli, stop_is_reported_before_the_programs_detach)
{
	expect_unpin_reported(_metadata, self, false);
	assert_not_running(_metadata);
}

TEST_F(cli, start_refuses_a_missing_policy_file)
{
	char *err = NULL;

	EXPECT_EQ(1,
		  ward_run(NULL, &err, "start", "/nonexistent.policy", NULL));
	EXPECT_STREQ(
		"/nonexistent.policy: error: cannot open: No such file or directory\n",
		err);
	free(err);
	assert_not_running(_metadata);
}

TEST_F(cli, start_refuses_a_malformed_policy)
{
	char *err = NULL;

	ASSERT_EQ(0,
		  write_file(self->policy, "policy cli 1.0\nfiles x /tmp\n"));
	EXPECT_EQ(1, ward_run(NULL, &err, "start", self->policy, NULL));
	EXPECT_NE(
		NULL,
		strstr(err,
		       "good.policy:1:12: error: invalid version '1.0': expected MAJOR.MINOR.PATCH"));
	EXPECT_EQ(1, lines(err));
	free(err);
	assert_not_running(_metadata);
}

TEST_F(cli, start_refuses_while_running)
{
	char *err = NULL;

	ASSERT_EQ(0, ward_run(NULL, NULL, "start", self->policy, NULL));
	EXPECT_EQ(1, ward_run(NULL, &err, "start", self->policy, NULL));
	EXPECT_STREQ(
		"ward: ward is already running: stop it first with 'ward stop'\n",
		err);
	free(err);
	/* The first start is untouched. */
	EXPECT_EQ(0, ward_run(NULL, NULL, "status", NULL));
	EXPECT_EQ(-1, open(SCRATCH "/cli-secret", O_WRONLY | O_CLOEXEC));
}

/* A pid no process has: one that has just exited. */
static pid_t dead_pid(void)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(0);
	waitpid(pid, NULL, 0);
	return pid;
}

/*
 * A stop killed after its first step, which renames the pins away, leaves
 * ward enforcing but not running: the next stop finishes it.
 */
TEST_F(cli, stop_finishes_an_interrupted_stop)
{
	char stopping[64], *out = NULL;
	struct stat st;

	ASSERT_EQ(0, ward_run(NULL, NULL, "start", self->policy,
			      self->unguarded, NULL));
	snprintf(stopping, sizeof(stopping), "/sys/fs/bpf/ward-stopping-%d",
		 dead_pid());
	ASSERT_EQ(0, rename("/sys/fs/bpf/ward", stopping));
	EXPECT_EQ(EXIT_NOT_RUNNING, ward_run(NULL, NULL, "status", NULL));
	EXPECT_EQ(EACCES, try_open(SCRATCH "/cli-secret", O_WRONLY));

	EXPECT_EQ(0, ward_run(&out, NULL, "stop", NULL));
	EXPECT_STREQ(
		"ward: stopped what an interrupted start or stop left attached\n",
		out);
	free(out);
	EXPECT_EQ(-1, stat(stopping, &st));
	assert_not_running(_metadata);
}

/*
 * A start killed between pinning and its rename into place leaves its
 * programs enforcing: the next start releases them before it attaches,
 * so that the two never enforce side by side.
 */
TEST_F(cli, start_releases_an_interrupted_start)
{
	char staging[64];
	struct stat st;

	ASSERT_EQ(0, ward_run(NULL, NULL, "start", self->policy,
			      self->unguarded, NULL));
	snprintf(staging, sizeof(staging), "/sys/fs/bpf/ward-staging-%d",
		 dead_pid());
	ASSERT_EQ(0, rename("/sys/fs/bpf/ward", staging));
	ASSERT_EQ(1, attached_programs_named("hook_file_open"));

	EXPECT_EQ(0, ward_run(NULL, NULL, "start", self->policy,
			      self->unguarded, NULL));
	EXPECT_EQ(-1, stat(staging, &st));
	EXPECT_EQ(1, attached_programs_named("hook_file_open"));
	EXPECT_EQ(0, ward_run(NULL, NULL, "stop", NULL));
	assert_not_running(_metadata);
}

/* A start in progress (its staging directory, its process alive). */
TEST_F(cli, start_refuses_while_another_start_is_in_progress)
{
	char staging[64], want[128], *err = NULL;

	snprintf(staging, sizeof(staging), "/sys/fs/bpf/ward-staging-%d",
		 getpid());
	ASSERT_EQ(0, mkdir(staging, 0700));
	EXPECT_EQ(1, ward_run(NULL, &err, "start", self->policy, NULL));
	snprintf(want, sizeof(want),
		 "ward: ward start is already in progress (pid %d)\n",
		 getpid());
	EXPECT_STREQ(want, err);
	free(err);
	EXPECT_EQ(0, rmdir(staging));
	assert_not_running(_metadata);
}

/* Runs ward in a child prepared by @prepare; returns ward's exit status. */
static int run_in_child(void (*prepare)(void), char **err, const char *arg,
			const char *arg2)
{
	int pipefd[2], status;
	pid_t pid;

	if (pipe(pipefd))
		return -1;
	pid = fork();
	if (pid == 0) {
		close(pipefd[0]);
		dup2(pipefd[1], 2);
		dup2(pipefd[1], 1);
		prepare();
		execl(ward_bin(), ward_bin(), arg, arg2, (char *)NULL);
		_exit(127);
	}
	close(pipefd[1]);
	*err = read_fd(pipefd[0]);
	close(pipefd[0]);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static void drop_root(void)
{
	if (setgid(65534) || setuid(65534))
		_exit(126);
}

TEST_F(cli, start_needs_root)
{
	char *err = NULL;

	EXPECT_EQ(1, run_in_child(drop_root, &err, "start", self->policy));
	EXPECT_STREQ(
		"ward: must be run as root: ward loads BPF programs and manages /sys/fs/bpf\n",
		err);
	free(err);
	assert_not_running(_metadata);
}

static void hide_bpffs(void)
{
	if (unshare(CLONE_NEWNS) ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	    umount2("/sys/fs/bpf", MNT_DETACH))
		_exit(126);
}

TEST_F(cli, start_needs_bpffs)
{
	char *err = NULL;

	EXPECT_EQ(1, run_in_child(hide_bpffs, &err, "start", self->policy));
	EXPECT_STREQ(
		"ward: no BPF file system at /sys/fs/bpf: mount it with 'mount -t bpf bpf /sys/fs/bpf'\n",
		err);
	free(err);
	assert_not_running(_metadata);
}

/* Shows ward an LSM list without bpf, as a kernel without it would. */
static void hide_bpf_lsm(void)
{
	if (unshare(CLONE_NEWNS) ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	    write_file(SCRATCH "/cli-lsm", "capability,landlock") ||
	    mount(SCRATCH "/cli-lsm", "/sys/kernel/security/lsm", NULL,
		  MS_BIND, NULL))
		_exit(126);
}

TEST_F(cli, start_needs_the_bpf_lsm)
{
	char *err = NULL;

	EXPECT_EQ(1, run_in_child(hide_bpf_lsm, &err, "start", self->policy));
	EXPECT_STREQ(
		"ward: the BPF LSM is not active (active: capability,landlock): add bpf to the lsm= kernel parameter and reboot\n",
		err);
	free(err);
	unlink(SCRATCH "/cli-lsm");
	assert_not_running(_metadata);
}

TEST_F(cli, stop_when_not_running_fails)
{
	char *err = NULL;

	EXPECT_EQ(1, ward_run(NULL, &err, "stop", NULL));
	EXPECT_STREQ("ward: ward is not running\n", err);
	free(err);
}

TEST_F(cli, errors_are_json_in_json_mode)
{
	json_object *obj;
	char *out = NULL;

	EXPECT_EQ(1, ward_run(&out, NULL, "--json", "stop", NULL));
	obj = json_tokener_parse(out);
	ASSERT_NE(NULL, obj);
	EXPECT_STREQ(
		"ward is not running",
		json_object_get_string(json_object_object_get(obj, "error")));
	json_object_put(obj);
	free(out);
}

TEST_F(cli, unknown_command_is_a_usage_error)
{
	char *err = NULL;

	EXPECT_EQ(2, ward_run(NULL, &err, "frobnicate", NULL));
	EXPECT_STREQ("ward: unknown command 'frobnicate': see 'ward help'\n",
		     err);
	free(err);
	EXPECT_EQ(2, ward_run(NULL, NULL, "start", "--frobnicate", NULL));
}

/*
 * Last in the file: on 6.12 the programs stay attached once their pins
 * are gone (admin guide, known limits), and no later test could start.
 */
TEST_F(cli, removing_the_pins_is_reported)
{
	expect_unpin_reported(_metadata, self, true);
}

WARD_TEST_MAIN
