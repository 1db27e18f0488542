// SPDX-License-Identifier: GPL-2.0
/*
 * ward selftests - root against a locked ward
 *
 * Once ward runs locked, nothing may switch it off or get under it, root
 * included (GB/T 39276 5.1.1.2 c): its processes, BPF objects, pins and
 * binary are out of reach, and the ward tool itself refuses to stop, to
 * lower its mode or to replace its policy.  Each test makes one attack,
 * checks its errno and its event, and ends with a fresh denial that
 * proves ward still enforces.
 *
 * ward is started locked once, by the first test, and stays so until the
 * guest powers off: these tests run only in a throw-away guest
 * ($WARD_VM_THROWAWAY, set by scripts/vmtest), and run_tests runs them
 * last.
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/bpf.h>
#include <linux/io_uring.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <bpf/bpf.h>
#include <json-c/json.h>

#include "common.h"
#include "ward_abi.h"
#include "harness.h"

/* Outside SCRATCH, which run_tests empties: the locked ward outlives it. */
#define DIR "/tmp/ward-tamper"
#define SECRET DIR "/secret"
#define PINS "/sys/fs/bpf/ward"

/* A copy of this program, which the policy names as a BPF loader. */
#define LOADER DIR "/loader"

static const char policy[] = "policy tamper 1.0.0\n"
			     "files secret " SECRET "\n"
			     "allow any read secret\n"
			     "kernel bpf loader " LOADER "\n";

FIXTURE(tamper)
{
	char ward[PATH_MAX];
};

FIXTURE_SETUP(tamper)
{
	char *out = NULL, *err = NULL;

	if (!getenv("WARD_VM_THROWAWAY"))
		SKIP(return,
			   "locks ward until the next boot: only in a throw-away guest (WARD_VM_THROWAWAY=1)");
	ASSERT_NE(NULL, realpath(ward_bin(), self->ward));
	if (ward_is_running())
		return;
	ASSERT_EQ(0, mkdir(DIR, 0755) && errno != EEXIST ? -1 : 0);
	ASSERT_EQ(0, write_file(DIR "/tamper.policy", policy));
	ASSERT_EQ(0, write_file(SECRET, "secret\n"));
	ASSERT_EQ(0, copy_file("/proc/self/exe", LOADER));
	ASSERT_EQ(0, ward_run(&out, &err, "start", "--lock",
			      DIR "/tamper.policy", NULL))
	{
		TH_LOG("ward start --lock: %s%s", out, err);
	}
	EXPECT_NE(NULL, strstr(out, "ward: locked until the next boot\n"));
	free(out);
	free(err);
	json_object_put(ward_events());
}

FIXTURE_TEARDOWN(tamper)
{
}

/* The inode number of @path, in decimal, as events give it. */
static const char *ino_text(const char *path)
{
	static char buf[32];
	struct stat st;

	if (stat(path, &st))
		return "none";
	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)st.st_ino);
	return buf;
}

/*
 * Ends a test: writing the secret is still refused, and reported.  The
 * events since the last call, that one included, are returned for the
 * test's own checks.
 */
static json_object *still_enforcing(struct __test_metadata *_metadata)
{
	json_object *events;

	EXPECT_EQ(EACCES, try_append(SECRET, "tampered\n"));
	events = ward_events();
	EXPECT_NE(NULL, event_find(events, "op", "open", "path", SECRET, "type",
				   "denial", NULL))
	{
		TH_LOG("events: %s", json_object_to_json_string(events));
	}
	return events;
}

/* still_enforcing(), and an event with these fields (KEY, VALUE, NULL). */
#define EXPECT_EVENT(...)                                               \
	do {                                                            \
		json_object *_events = still_enforcing(_metadata);      \
		EXPECT_NE(NULL, event_find(_events, __VA_ARGS__, NULL)) \
		{                                                       \
			TH_LOG("events: %s",                            \
			       json_object_to_json_string(_events));    \
		}                                                       \
		json_object_put(_events);                               \
	} while (0)

/*
 * A process of ward's domain to attack: "ward policy suggest -" reading
 * its standard input, *@in.  It has executed ward once /proc/PID/exe
 * says so.
 */
static pid_t ward_process(FIXTURE_DATA(tamper) * self, int *in)
{
	char exe[PATH_MAX], link[64];
	int pipefd[2];
	pid_t pid;

	if (pipe(pipefd))
		return -1;
	pid = fork();
	if (pid == 0) {
		dup2(pipefd[0], 0);
		close(pipefd[0]);
		close(pipefd[1]);
		execl(self->ward, self->ward, "policy", "suggest", "-",
		      (char *)NULL);
		_exit(127);
	}
	close(pipefd[0]);
	*in = pipefd[1];
	snprintf(link, sizeof(link), "/proc/%d/exe", pid);
	for (int i = 0; pid > 0 && i < 3000; i++) {
		ssize_t len = readlink(link, exe, sizeof(exe) - 1);

		if (len > 0 && (exe[len] = '\0', !strcmp(exe, self->ward)))
			return pid;
		usleep(10 * 1000);
	}
	return -1;
}

/* Ends ward_process() by ending its input: it must exit by itself. */
static void end_ward_process(struct __test_metadata *_metadata, pid_t pid,
			     int in)
{
	int status;

	close(in);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
}

/* Sends @sig to a ward process: refused, and it lives on. */
static void expect_signal_refused(struct __test_metadata *_metadata,
				  FIXTURE_DATA(tamper) * self, int sig,
				  const char *name)
{
	int in;
	pid_t pid = ward_process(self, &in);

	ASSERT_LT(0, pid);
	EXPECT_EQ(EPERM, errno_of(kill(pid, sig)));
	EXPECT_EQ(0, waitpid(pid, NULL, WNOHANG));
	end_ward_process(_metadata, pid, in);
	EXPECT_EVENT("op", "signal", "access", name, "target_pid", pid_str(pid),
		     "pid", pid_str(getpid()), "type", "denial");
}

TEST_F(tamper, sigkill_of_a_ward_process_is_refused)
{
	expect_signal_refused(_metadata, self, SIGKILL, "KILL");
}

TEST_F(tamper, sigstop_of_a_ward_process_is_refused)
{
	expect_signal_refused(_metadata, self, SIGSTOP, "STOP");
}

TEST_F(tamper, sigterm_of_a_ward_process_is_refused)
{
	expect_signal_refused(_metadata, self, SIGTERM, "TERM");
}

TEST_F(tamper, pidfd_send_signal_to_a_ward_process_is_refused)
{
	int in, pidfd;
	pid_t pid = ward_process(self, &in);

	ASSERT_LT(0, pid);
	pidfd = syscall(SYS_pidfd_open, pid, 0);
	ASSERT_LE(0, pidfd);
	EXPECT_EQ(EPERM, errno_of(syscall(SYS_pidfd_send_signal, pidfd, SIGKILL,
					  NULL, 0)));
	close(pidfd);
	end_ward_process(_metadata, pid, in);
	EXPECT_EVENT("op", "signal", "access", "KILL", "target_pid",
		     pid_str(pid));
}

/* F_SETSIG makes SIGIO any signal: SIGKILL, from a pipe ward owns. */
TEST_F(tamper, sigio_made_sigkill_to_a_ward_process_is_refused)
{
	int in, p[2];
	pid_t pid = ward_process(self, &in);

	ASSERT_LT(0, pid);
	ASSERT_EQ(0, pipe(p));
	ASSERT_EQ(0, fcntl(p[0], F_SETOWN, pid));
	ASSERT_EQ(0, fcntl(p[0], F_SETSIG, SIGKILL));
	ASSERT_EQ(0, fcntl(p[0], F_SETFL, O_ASYNC));
	ASSERT_EQ(1, write(p[1], "x", 1));
	close(p[0]);
	close(p[1]);
	EXPECT_EQ(0, waitpid(pid, NULL, WNOHANG));
	end_ward_process(_metadata, pid, in);
	EXPECT_EVENT("op", "signal", "access", "KILL", "target_pid",
		     pid_str(pid));
}

TEST_F(tamper, signal_0_still_finds_a_ward_process)
{
	int in;
	pid_t pid = ward_process(self, &in);

	ASSERT_LT(0, pid);
	EXPECT_EQ(0, kill(pid, 0));
	end_ward_process(_metadata, pid, in);
	json_object_put(still_enforcing(_metadata));
}

TEST_F(tamper, ptrace_attach_to_a_ward_process_is_refused)
{
	int in;
	pid_t pid = ward_process(self, &in);

	ASSERT_LT(0, pid);
	EXPECT_EQ(EPERM, errno_of(ptrace(PTRACE_ATTACH, pid, 0, 0)));
	EXPECT_EQ(EPERM, errno_of(ptrace(PTRACE_SEIZE, pid, 0, 0)));
	end_ward_process(_metadata, pid, in);
	EXPECT_EVENT("op", "ptrace", "access", "attach", "target_pid",
		     pid_str(pid));
}

TEST_F(tamper, writing_a_ward_process_memory_is_refused)
{
	char path[64];
	int in;
	pid_t pid = ward_process(self, &in);

	ASSERT_LT(0, pid);
	snprintf(path, sizeof(path), "/proc/%d/mem", pid);
	EXPECT_EQ(EACCES, try_open(path, O_RDWR));
	end_ward_process(_metadata, pid, in);
	EXPECT_EVENT("op", "ptrace", "target_pid", pid_str(pid));
}

/* process_vm_readv() or process_vm_writev() with a ward process. */
static void expect_vm_refused(
	struct __test_metadata *_metadata, FIXTURE_DATA(tamper) * self,
	ssize_t (*vm_rw)(pid_t, const struct iovec *, unsigned long,
			 const struct iovec *, unsigned long, unsigned long))
{
	char buf[8] = "tamper";
	struct iovec local = { buf, sizeof(buf) };
	struct iovec remote = { (void *)0x10000, sizeof(buf) };
	int in;
	pid_t pid = ward_process(self, &in);

	ASSERT_LT(0, pid);
	EXPECT_EQ(EPERM, errno_of(vm_rw(pid, &local, 1, &remote, 1, 0)));
	end_ward_process(_metadata, pid, in);
	EXPECT_EVENT("op", "ptrace", "target_pid", pid_str(pid));
}

TEST_F(tamper, process_vm_writev_into_a_ward_process_is_refused)
{
	expect_vm_refused(_metadata, self, process_vm_writev);
}

TEST_F(tamper, process_vm_readv_from_a_ward_process_is_refused)
{
	expect_vm_refused(_metadata, self, process_vm_readv);
}

TEST_F(tamper, pidfd_getfd_from_a_ward_process_is_refused)
{
	int in, pidfd;
	pid_t pid = ward_process(self, &in);

	ASSERT_LT(0, pid);
	pidfd = syscall(SYS_pidfd_open, pid, 0);
	ASSERT_LE(0, pidfd);
	EXPECT_EQ(EPERM, errno_of(syscall(SYS_pidfd_getfd, pidfd, 0, 0)));
	close(pidfd);
	end_ward_process(_metadata, pid, in);
	EXPECT_EVENT("op", "ptrace", "target_pid", pid_str(pid));
}

/* "ward --json status": the ids of the active policy map and programs. */
static json_object *status_json(void)
{
	char *out = NULL;
	json_object *status;

	ward_run(&out, NULL, "--json", "status", NULL);
	status = out ? json_tokener_parse(out) : NULL;
	free(out);
	return status;
}

TEST_F(tamper, wards_maps_by_id_are_refused)
{
	json_object *status = status_json(), *policy;
	__u32 id = 0, policy_id;
	int refused = 0, fd;
	bool policy_refused = false;

	ASSERT_NE(NULL, status);
	ASSERT_TRUE(json_object_object_get_ex(status, "policy", &policy));
	policy_id = json_object_get_int64(
		json_object_object_get(policy, "active_map_id"));
	json_object_put(status);
	ASSERT_NE(0U, policy_id);
	while (!bpf_map_get_next_id(id, &id)) {
		struct bpf_map_info info = {};
		__u32 len = sizeof(info);

		fd = bpf_map_get_fd_by_id(id);
		if (fd < 0) {
			EXPECT_EQ(EPERM, errno);
			refused++;
			policy_refused |= id == policy_id;
			continue;
		}
		/* What is not refused is not ward's. */
		ASSERT_EQ(0, bpf_obj_get_info_by_fd(fd, &info, &len));
		EXPECT_NE(0, strncmp(info.name, "ward", 4))
		{
			TH_LOG("map %u (%s) is open to root", id, info.name);
		}
		close(fd);
	}
	/* ward_policy and its active map, ward_info, ward_state... */
	EXPECT_LE(8, refused);
	EXPECT_TRUE(policy_refused);
	EXPECT_EVENT("op", "bpf", "access", "map_get_fd", "id",
		     pid_str(policy_id));
}

TEST_F(tamper, wards_pinned_maps_are_refused)
{
	EXPECT_EQ(EPERM, errno_of(bpf_obj_get(PINS "/maps/ward_policy")));
	EXPECT_EQ(EPERM, errno_of(bpf_obj_get(PINS "/maps/ward_state")));
	EXPECT_EQ(EPERM, errno_of(bpf_obj_get(PINS "/maps/ward_epoch")));
	EXPECT_EVENT("op", "bpf", "access", "map_get_fd");
}

TEST_F(tamper, a_map_named_as_wards_is_refused)
{
	EXPECT_EQ(EPERM,
		  errno_of(bpf_map_create(BPF_MAP_TYPE_ARRAY, "ward_policy", 4,
					  8, 1, NULL)));
	EXPECT_EVENT("op", "bpf", "access", "map_get_fd");
}

TEST_F(tamper, wards_programs_by_id_are_refused)
{
	json_object *status = status_json(), *programs;
	size_t n;

	ASSERT_NE(NULL, status);
	ASSERT_TRUE(json_object_object_get_ex(status, "programs", &programs));
	n = json_object_array_length(programs);
	ASSERT_LE(30, (int)n);
	for (size_t i = 0; i < n; i++) {
		json_object *prog = json_object_array_get_idx(programs, i);
		__u32 id = json_object_get_int64(
			json_object_object_get(prog, "prog_id"));

		EXPECT_EQ(EPERM, errno_of(bpf_prog_get_fd_by_id(id)))
		{
			TH_LOG("program %s (%u) is open to root",
			       json_object_get_string(
				       json_object_object_get(prog, "name")),
			       id);
		}
	}
	json_object_put(status);
	EXPECT_EVENT("op", "bpf", "access", "prog_get_fd");
}

/*
 * A link's descriptor is not refused (the hook cannot tell ward's link
 * from its id), but confers nothing: a tracing link can be neither
 * detached nor given another program.
 */
TEST_F(tamper, a_link_of_ward_detaches_nothing)
{
	json_object *status = status_json(), *programs, *prog;
	__u32 id;
	int fd;

	ASSERT_NE(NULL, status);
	ASSERT_TRUE(json_object_object_get_ex(status, "programs", &programs));
	prog = json_object_array_get_idx(programs, 0);
	ASSERT_NE(NULL, prog);
	id = json_object_get_int64(json_object_object_get(prog, "link_id"));
	json_object_put(status);
	fd = bpf_link_get_fd_by_id(id);
	ASSERT_LE(0, fd);
	EXPECT_NE(0, bpf_link_detach(fd));
	EXPECT_NE(0, bpf_link_update(fd, fd, NULL));
	close(fd);
	json_object_put(still_enforcing(_metadata));
}

/*
 * Loads a two-instruction program of @type: refused (EPERM) before the
 * kernel looks at anything else, or, without ward, refused by the
 * verifier for its missing attach point (EINVAL) or loaded.
 */
static int load_program(enum bpf_prog_type type, enum bpf_attach_type attach)
{
	struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = attach);
	int fd = bpf_prog_load(type, NULL, "GPL", insns, 2, &opts);

	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

#define PROGRAM_TEST(name, type, attach)                                      \
	TEST_F(tamper, loading_##name##_program_is_refused)                   \
	{                                                                     \
		char t[16];                                                   \
                                                                              \
		EXPECT_EQ(EPERM, load_program(type, attach));                 \
		snprintf(t, sizeof(t), "%d", type);                           \
		EXPECT_EVENT("op", "bpf", "access", "prog_load", "prog_type", \
			     t, "pid", pid_str(getpid()));                    \
	}

PROGRAM_TEST(an_lsm, BPF_PROG_TYPE_LSM, BPF_LSM_MAC)
PROGRAM_TEST(an_fmod_ret, BPF_PROG_TYPE_TRACING, BPF_MODIFY_RETURN)
PROGRAM_TEST(an_fentry, BPF_PROG_TYPE_TRACING, BPF_TRACE_FENTRY)
PROGRAM_TEST(an_iterator, BPF_PROG_TYPE_TRACING, BPF_TRACE_ITER)
PROGRAM_TEST(a_kprobe, BPF_PROG_TYPE_KPROBE, 0)
PROGRAM_TEST(a_tracepoint, BPF_PROG_TYPE_TRACEPOINT, 0)
PROGRAM_TEST(a_raw_tracepoint, BPF_PROG_TYPE_RAW_TRACEPOINT, 0)
PROGRAM_TEST(a_perf_event, BPF_PROG_TYPE_PERF_EVENT, 0)
PROGRAM_TEST(a_struct_ops, BPF_PROG_TYPE_STRUCT_OPS, 0)
PROGRAM_TEST(an_extension, BPF_PROG_TYPE_EXT, 0)
PROGRAM_TEST(a_syscall, BPF_PROG_TYPE_SYSCALL, 0)

/* The loader's side: loads a program of type argv[1]; exits with errno. */
static int tamper_helper(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[0], "prog_load"))
		return load_program(atoi(argv[1]), BPF_LSM_MAC);
	return helper_main(argc, argv);
}

/*
 * A loader the policy names gets past the gate: the kernel then refuses
 * the program for its missing attach point, not ward.
 */
TEST_F(tamper, a_loader_the_policy_names_may_load_an_lsm_program)
{
	char type[16];

	snprintf(type, sizeof(type), "%d", BPF_PROG_TYPE_LSM);
	EXPECT_EQ(EINVAL, run_helper(LOADER, "prog_load", type));
	json_object_put(still_enforcing(_metadata));
}

/* The other types stay open: "kernel bpf deny" would close them too. */
TEST_F(tamper, a_socket_filter_still_loads)
{
	EXPECT_EQ(0, load_program(BPF_PROG_TYPE_SOCKET_FILTER, 0));
	json_object_put(still_enforcing(_metadata));
}

TEST_F(tamper, unlinking_a_pin_is_refused)
{
	EXPECT_EQ(EACCES, errno_of(unlink(PINS "/maps/ward_stats")));
	EXPECT_EQ(EACCES, errno_of(unlink(PINS "/links/hook_file_open")));
	/* 6.1 reports the name, not the path, of what a path hook refuses. */
	EXPECT_EVENT("op", "unlink", "name", "ward_stats", "type", "denial");
}

TEST_F(tamper, removing_the_pin_directory_is_refused)
{
	EXPECT_EQ(EACCES, errno_of(rmdir(PINS "/links")));
	EXPECT_EQ(EACCES, errno_of(rmdir(PINS)));
	EXPECT_EVENT("op", "rmdir", "type", "denial");
}

TEST_F(tamper, renaming_the_pin_directory_is_refused)
{
	EXPECT_EQ(EACCES, errno_of(rename(PINS, "/sys/fs/bpf/elsewhere")));
	EXPECT_EQ(EACCES,
		  errno_of(rename(PINS "/maps", "/sys/fs/bpf/elsewhere")));
	EXPECT_EVENT("op", "rename", "type", "denial");
}

TEST_F(tamper, io_uring_unlink_and_rename_of_pins_are_refused)
{
	const char *why = uring_unavailable();
	struct ring r;

	if (why)
		SKIP(return, "%s", why);
	ASSERT_EQ(0, ring_init(&r));
	EXPECT_EQ(EACCES, uring_unlink(&r, PINS "/maps/ward_stats"));
	EXPECT_EQ(EACCES, uring_rename(&r, PINS, "/sys/fs/bpf/elsewhere"));
	ring_exit(&r);
	EXPECT_EVENT("op", "unlink", "name", "ward_stats");
}

TEST_F(tamper, unmounting_the_bpf_file_system_is_refused)
{
	EXPECT_EQ(EACCES, errno_of(umount2("/sys/fs/bpf", 0)));
	EXPECT_EQ(EACCES, errno_of(umount2("/sys/fs/bpf", MNT_DETACH)));
	EXPECT_EVENT("op", "umount", "type", "denial");
}

/* A lazy unmount of /sys takes the mounts beneath it along. */
TEST_F(tamper, unmounting_what_holds_the_bpf_file_system_is_refused)
{
	EXPECT_EQ(EACCES, errno_of(umount2("/sys", MNT_DETACH)));
	EXPECT_EVENT("op", "umount", "type", "denial");
}

TEST_F(tamper, mounting_over_the_pins_is_refused)
{
	EXPECT_EQ(EACCES, errno_of(mount("none", PINS, "tmpfs", 0, NULL)));
	EXPECT_EQ(EACCES,
		  errno_of(mount("none", "/sys/fs/bpf", "tmpfs", 0, NULL)));
	EXPECT_EQ(EACCES, errno_of(mount("none", "/sys/fs", "tmpfs", 0, NULL)));
	EXPECT_EVENT("op", "mount", "type", "denial");
}

TEST_F(tamper, chmod_of_the_ward_binary_is_refused)
{
	EXPECT_EQ(EACCES, errno_of(chmod(self->ward, 04755)));
	EXPECT_EVENT("op", "chmod", "ino", ino_text(self->ward));
}

TEST_F(tamper, chown_of_the_ward_binary_is_refused)
{
	EXPECT_EQ(EACCES, errno_of(chown(self->ward, 1, 1)));
	EXPECT_EVENT("op", "chown", "ino", ino_text(self->ward));
}

TEST_F(tamper, writing_the_ward_binary_is_refused)
{
	EXPECT_EQ(EACCES, try_open(self->ward, O_WRONLY));
	EXPECT_EVENT("op", "open", "ino", ino_text(self->ward));
}

TEST_F(tamper, replacing_the_ward_binary_by_rename_is_refused)
{
	char copy[PATH_MAX + 8];

	snprintf(copy, sizeof(copy), "%s.new", self->ward);
	ASSERT_EQ(0, copy_file(self->ward, copy));
	EXPECT_EQ(EACCES, errno_of(rename(copy, self->ward)));
	EXPECT_EQ(0, unlink(copy));
	EXPECT_EVENT("op", "rename", "type", "denial");
}

TEST_F(tamper, unlinking_or_linking_the_ward_binary_is_refused)
{
	char link_path[PATH_MAX + 8];

	snprintf(link_path, sizeof(link_path), "%s.link", self->ward);
	EXPECT_EQ(EACCES, errno_of(unlink(self->ward)));
	EXPECT_EQ(EACCES, errno_of(link(self->ward, link_path)));
	EXPECT_EVENT("op", "unlink", "type", "denial");
}

/* A copy is another inode: not ward, whatever it is named. */
TEST_F(tamper, a_copy_of_the_ward_binary_is_not_ward)
{
	char *err = NULL;
	int status;

	ASSERT_EQ(0, copy_file(self->ward, DIR "/ward"));
	setenv("WARD", DIR "/ward", 1);
	status = ward_run(NULL, &err, "status", NULL);
	unsetenv("WARD");
	EXPECT_EQ(1, status);
	EXPECT_NE(NULL, strstr(err, "Operation not permitted"))
	{
		TH_LOG("the copy said: %s", err);
	}
	free(err);
	EXPECT_TRUE(ward_is_running());
	/* Refused: what ward itself does is not. */
	EXPECT_EVENT("op", "bpf", "access", "map_get_fd", "comm", "ward");
}

TEST_F(tamper, replacing_the_executable_with_prctl_is_refused)
{
	int fd = open(self->ward, O_RDONLY | O_CLOEXEC);

	ASSERT_LE(0, fd);
	EXPECT_EQ(EPERM,
		  errno_of(prctl(PR_SET_MM, PR_SET_MM_EXE_FILE, fd, 0, 0)));
	close(fd);
	EXPECT_EVENT("op", "prctl", "access", "set_mm_exe_file");
}

static void expect_locked_refusal(struct __test_metadata *_metadata,
				  const char *what, const char *arg,
				  const char *arg2, const char *arg3)
{
	char want[256], *err = NULL;

	snprintf(
		want, sizeof(want),
		"ward: ward is locked until the next boot: %s; to recover, boot with 'ward=unlocked' on the kernel command line\n",
		what);
	EXPECT_EQ(1, ward_run(NULL, &err, arg, arg2, arg3, NULL));
	EXPECT_STREQ(want, err);
	free(err);
	EXPECT_TRUE(ward_is_running());
}

TEST_F(tamper, stop_is_refused_while_locked)
{
	expect_locked_refusal(_metadata, "it cannot be stopped", "stop", NULL,
			      NULL);
	json_object_put(still_enforcing(_metadata));
}

TEST_F(tamper, complain_mode_is_refused_while_locked)
{
	expect_locked_refusal(_metadata,
			      "its mode cannot be lowered to complain", "mode",
			      "complain", NULL);
	json_object_put(still_enforcing(_metadata));
}

/*
 * Locked, ward takes another policy only signed and newer
 * (require-signed-policy's default; signed_test and system/signed.sh test
 * the signed ones): an unsigned one is refused, saying why.
 */
TEST_F(tamper, loading_an_unsigned_policy_is_refused_while_locked)
{
	char *err = NULL;

	ASSERT_EQ(0, write_file(DIR "/empty.policy", "policy empty 1.0.0\n"));
	EXPECT_EQ(1, ward_run(NULL, &err, "policy", "load",
			      DIR "/empty.policy", NULL));
	EXPECT_STREQ("ward: refused: " DIR "/empty.policy: not signed: no " DIR
		     "/empty.policy.sig\n",
		     err);
	free(err);
	EXPECT_TRUE(ward_is_running());
	json_object_put(still_enforcing(_metadata));
}

TEST_F(tamper, installing_a_policy_file_is_refused_while_locked)
{
	expect_locked_refusal(_metadata, "its policy files cannot be changed",
			      "policy", "install", DIR "/empty.policy");
	json_object_put(still_enforcing(_metadata));
}

/* Which inodes the paths name is read again, as after pwconv. */
TEST_F(tamper, loading_the_same_policy_again_is_allowed_while_locked)
{
	EXPECT_EQ(0, ward_run(NULL, NULL, "policy", "load",
			      DIR "/tamper.policy", NULL));
	json_object_put(still_enforcing(_metadata));
}

TEST_F(tamper, starting_again_is_refused_while_locked)
{
	char *err = NULL;

	EXPECT_EQ(1, ward_run(NULL, &err, "start", "--lock",
			      DIR "/tamper.policy", NULL));
	EXPECT_STREQ(
		"ward: ward is already running, locked until the next boot\n",
		err);
	free(err);
	json_object_put(still_enforcing(_metadata));
}

/* Enforcing is as strict as it gets: allowed. */
TEST_F(tamper, enforce_mode_is_allowed_while_locked)
{
	EXPECT_EQ(0, ward_run(NULL, NULL, "mode", "enforce", NULL));
	json_object_put(still_enforcing(_metadata));
}

TEST_F(tamper, status_says_locked)
{
	json_object *status = status_json();
	char *out = NULL;

	ASSERT_NE(NULL, status);
	EXPECT_TRUE(json_object_get_boolean(
		json_object_object_get(status, "locked")));
	EXPECT_FALSE(json_object_get_boolean(
		json_object_object_get(status, "break_glass")));
	json_object_put(status);
	EXPECT_EQ(0, ward_run(&out, NULL, "status", NULL));
	EXPECT_TRUE(has_line(out, "lock:      locked until the next boot"));
	free(out);
	json_object_put(still_enforcing(_metadata));
}

/*
 * This policy leaves modules, kexec, kernel memory and lockdown to the
 * kernel: --strict says so, and fails.
 */
TEST_F(tamper, status_strict_names_what_is_not_in_force)
{
	json_object *status = status_json(), *protections;
	char *out = NULL, *err = NULL;
	int in_force = 0;

	ASSERT_NE(NULL, status);
	ASSERT_TRUE(
		json_object_object_get_ex(status, "protections", &protections));
	for (size_t i = 0; i < json_object_array_length(protections); i++)
		in_force += json_object_get_boolean(json_object_object_get(
			json_object_array_get_idx(protections, i), "in_force"));
	/* BPF LSM, ward, policy, lock, kernel bpf. */
	EXPECT_EQ(5, in_force);
	json_object_put(status);
	EXPECT_EQ(0, ward_run(&out, NULL, "status", NULL));
	EXPECT_NE(NULL, strstr(out, "lock             in force"));
	free(out);
	EXPECT_EQ(1, ward_run(NULL, &err, "status", "--strict", NULL));
	EXPECT_STREQ(
		"ward: not in force: kernel module, kernel kexec, kernel kmem, kernel lockdown\n",
		err);
	free(err);
	json_object_put(still_enforcing(_metadata));
}

WARD_TEST_MAIN_WITH(tamper_helper)
