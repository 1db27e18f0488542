// SPDX-License-Identifier: GPL-2.0
/*
 * ward selftests - changes to the core configuration are reported for the
 * security log's CONFIG_CHANGE records (GB/T 39276 5.1.1.3 a: time, type,
 * subject and result): the clock, sysctls, mounts and module loads, once
 * they succeeded, whatever the policy says, and never an attempt that
 * failed.
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <libgen.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/timex.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <linux/mount.h>
#include <json-c/json.h>

#include "common.h"
#include "harness.h"

#define DOMAINNAME "/proc/sys/kernel/domainname"
/* An int sysctl: a value that is no number is refused (EINVAL). */
#define INT_SYSCTL "/proc/sys/kernel/printk_ratelimit"
#define DEEP_SYSCTL "/proc/sys/net/ipv4/conf/lo/accept_local"
#define NOBODY 65534

FIXTURE(config)
{
	char dir[64];
	char mnt[PATH_MAX];
	char mnt2[PATH_MAX];
};

FIXTURE_SETUP(config)
{
	strcpy(self->dir, SCRATCH "/config-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	/* Open to nobody, whose attempts must reach the kernel's checks. */
	ASSERT_EQ(0, chmod(self->dir, 0755));
	snprintf(self->mnt, sizeof(self->mnt), "%s/mnt", self->dir);
	snprintf(self->mnt2, sizeof(self->mnt2), "%s/mnt2", self->dir);
	ASSERT_EQ(0, mkdir(self->mnt, 0755));
	ASSERT_EQ(0, mkdir(self->mnt2, 0755));
	/* No statement asks for these events: any policy will do. */
	ASSERT_EQ(0, ward_load_text(self->dir, "policy config 0.0.1\n"));
	json_object_put(ward_events());
}

FIXTURE_TEARDOWN(config)
{
	unmount_beneath(self->dir);
	remove_tree(self->dir);
}

/* The event of @pid with @op and @access, or NULL; checks what every such
 * event says. */
static json_object *find_event(struct __test_metadata *_metadata,
			       json_object *events, pid_t pid, const char *op,
			       const char *access)
{
	json_object *ev = event_find(events, "pid", pid_str(pid), "op", op,
				     "access", access, NULL);

	if (ev) {
		EXPECT_STREQ("audit", event_str(ev, "type"));
		EXPECT_STREQ("allowed", event_str(ev, "result"));
		EXPECT_EQ(0, event_num(ev, "error"));
	}
	return ev;
}

#define EXPECT_EVENT(ev, events, what)                      \
	ASSERT_NE(NULL, ev)                                 \
	{                                                   \
		TH_LOG("no %s event in %s", what,           \
		       json_object_to_json_string(events)); \
	}

/* How many events of @events have op @op. */
static int count_events(json_object *events, const char *op)
{
	int n = 0;

	for (size_t i = 0; i < json_object_array_length(events); i++) {
		const char *got =
			event_str(json_object_array_get_idx(events, i), "op");

		n += got && !strcmp(got, op);
	}
	return n;
}

/* Runs @fn as nobody in a child: its errno, and its pid in *@pid. */
static int as_nobody(pid_t *pid, int (*fn)(void *), void *arg)
{
	int status;

	*pid = fork();
	if (*pid < 0)
		return -1;
	if (!*pid) {
		if (setresgid(NOBODY, NOBODY, NOBODY) ||
		    setresuid(NOBODY, NOBODY, NOBODY))
			_exit(255);
		_exit(fn(arg));
	}
	if (waitpid(*pid, &status, 0) != *pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static int try_settimeofday(void *arg)
{
	struct timeval tv = { .tv_sec = 1000000000 };

	(void)arg;
	return errno_of(settimeofday(&tv, NULL));
}

static int try_step(void *arg)
{
	struct timex tx = { .modes = ADJ_SETOFFSET | ADJ_NANO,
			    .time = { .tv_sec = 3600 } };

	(void)arg;
	return clock_adjtime(CLOCK_REALTIME, &tx) < 0 ? errno : 0;
}

static int try_write(void *path)
{
	return try_append(path, "x");
}

static int try_mount(void *target)
{
	return errno_of(mount("tmpfs", target, "tmpfs", 0, NULL));
}

/* Steps the clock by @sec seconds: 0 or the errno. */
static int step(long sec)
{
	struct timex tx = { .modes = ADJ_SETOFFSET | ADJ_NANO,
			    .time = { .tv_sec = sec } };

	return clock_adjtime(CLOCK_REALTIME, &tx) < 0 ? errno : 0;
}

TEST_F(config, clock_set_is_reported_with_the_new_time)
{
	struct timespec now, later;
	json_object *events, *ev;
	struct timeval tv;
	char sec[32];

	ASSERT_EQ(0, clock_gettime(CLOCK_REALTIME, &now));
	tv.tv_sec = now.tv_sec + 86400;
	tv.tv_usec = 250000;
	ASSERT_EQ(0, settimeofday(&tv, NULL));
	/* clock_settime(CLOCK_REALTIME) too, and back by a day. */
	ASSERT_EQ(0, clock_gettime(CLOCK_REALTIME, &later));
	later.tv_sec -= 86400;
	ASSERT_EQ(0, clock_settime(CLOCK_REALTIME, &later));
	events = ward_events();
	snprintf(sec, sizeof(sec), "%lld", (long long)tv.tv_sec);
	ev = event_find(events, "pid", pid_str(getpid()), "op", "clock",
			"clock_sec", sec, NULL);
	EXPECT_EVENT(ev, events, "settimeofday");
	EXPECT_STREQ("set", event_str(ev, "access"));
	EXPECT_EQ(250000000, event_num(ev, "clock_nsec"));
	EXPECT_EQ(0, event_num(ev, "uid"));
	EXPECT_EQ(0, event_num(ev, "euid"));
	snprintf(sec, sizeof(sec), "%lld", (long long)later.tv_sec);
	ev = event_find(events, "pid", pid_str(getpid()), "op", "clock",
			"clock_sec", sec, NULL);
	EXPECT_EVENT(ev, events, "clock_settime");
	EXPECT_STREQ("set", event_str(ev, "access"));
	EXPECT_EQ(later.tv_nsec, event_num(ev, "clock_nsec"));
	json_object_put(events);
}

TEST_F(config, clock_step_is_reported_with_the_time_it_stepped_to)
{
	struct timex steer = { .modes = ADJ_OFFSET | ADJ_STATUS,
			       .status = STA_PLL };
	struct timespec before, after;
	json_object *events, *ev;
	long long sec;

	ASSERT_EQ(0, clock_gettime(CLOCK_REALTIME, &before));
	ASSERT_EQ(0, step(3600));
	ASSERT_EQ(0, clock_gettime(CLOCK_REALTIME, &after));
	ASSERT_EQ(0, step(-3600));
	/* Steering the clock (NTP's offset) sets no time: not reported. */
	ASSERT_LE(0, adjtimex(&steer));
	events = ward_events();
	ev = find_event(_metadata, events, getpid(), "clock", "step");
	EXPECT_EVENT(ev, events, "clock step");
	sec = event_num(ev, "clock_sec");
	EXPECT_LE(before.tv_sec + 3600, sec);
	EXPECT_GE(after.tv_sec, sec);
	/* The step back is the second, and nothing else was reported. */
	EXPECT_EQ(2, count_events(events, "clock"))
	{
		TH_LOG("%s", json_object_to_json_string(events));
	}
	json_object_put(events);
}

TEST_F(config, clock_change_that_failed_is_not_reported)
{
	struct timeval bad = { .tv_sec = 1000000000, .tv_usec = 2000000 };
	json_object *events;
	pid_t pid1, pid2;

	EXPECT_EQ(EPERM, as_nobody(&pid1, try_settimeofday, NULL));
	EXPECT_EQ(EPERM, as_nobody(&pid2, try_step, NULL));
	/* Root, with a time the kernel refuses. */
	EXPECT_EQ(EINVAL, errno_of(settimeofday(&bad, NULL)));
	events = ward_events();
	EXPECT_EQ(NULL, event_find(events, "op", "clock", NULL))
	{
		TH_LOG("%s", json_object_to_json_string(events));
	}
	json_object_put(events);
}

TEST_F(config, sysctl_write_is_reported_with_its_name)
{
	char *old = read_file(DOMAINNAME);
	json_object *events, *ev;
	char buf[128];

	ASSERT_NE(NULL, old);
	ASSERT_EQ(0, write_file(DOMAINNAME, "ward-selftests\n"));
	snprintf(buf, sizeof(buf), "%s", old);
	ASSERT_EQ(0, write_file(DOMAINNAME, buf));
	free(old);
	events = ward_events();
	ev = find_event(_metadata, events, getpid(), "sysctl", "write");
	EXPECT_EVENT(ev, events, "sysctl");
	EXPECT_STREQ(DOMAINNAME, event_str(ev, "path"));
	EXPECT_EQ((long long)strlen("ward-selftests\n"),
		  event_num(ev, "bytes"));
	EXPECT_STREQ("ward-selftests\n", event_str(ev, "value"));
	EXPECT_STREQ("false", event_str(ev, "value_truncated"));
	EXPECT_EQ(0, event_num(ev, "uid"));
	EXPECT_NE(0, event_num(ev, "ino"));
	json_object_put(events);
}

/*
 * A value longer than the event holds: its start, said to be cut short,
 * and all its bytes counted.  The writer's buffer has no NUL after it.
 */
TEST_F(config, sysctl_long_value_is_reported_truncated)
{
	char *old = read_file(DOMAINNAME), buf[256], want[128];
	json_object *events, *ev;
	int fd;

	ASSERT_NE(NULL, old);
	memset(buf, 'w', sizeof(buf));
	memset(want, 'w', sizeof(want) - 1);
	want[sizeof(want) - 1] = '\0';
	fd = open(DOMAINNAME, O_WRONLY);
	ASSERT_LE(0, fd);
	EXPECT_EQ(200, write(fd, buf, 200));
	close(fd);
	ASSERT_EQ(0, write_file(DOMAINNAME, old));
	free(old);
	events = ward_events();
	ev = find_event(_metadata, events, getpid(), "sysctl", "write");
	EXPECT_EVENT(ev, events, "sysctl");
	EXPECT_EQ(200, event_num(ev, "bytes"));
	EXPECT_STREQ(want, event_str(ev, "value"));
	EXPECT_STREQ("true", event_str(ev, "value_truncated"));
	json_object_put(events);
}

/*
 * A value writev(2) wrote in pieces is not read (its vector has moved on
 * when the write returns): empty, and said to be cut short.
 */
TEST_F(config, sysctl_value_written_in_pieces_is_not_read)
{
	char *old = read_file(DOMAINNAME);
	struct iovec iov[2] = { { "ward-", 5 }, { "pieces\n", 7 } };
	json_object *events, *ev;
	int fd;

	ASSERT_NE(NULL, old);
	fd = open(DOMAINNAME, O_WRONLY);
	ASSERT_LE(0, fd);
	EXPECT_EQ(12, writev(fd, iov, 2));
	close(fd);
	ASSERT_EQ(0, write_file(DOMAINNAME, old));
	free(old);
	events = ward_events();
	ev = find_event(_metadata, events, getpid(), "sysctl", "write");
	EXPECT_EVENT(ev, events, "sysctl");
	EXPECT_EQ(12, event_num(ev, "bytes"));
	EXPECT_STREQ("", event_str(ev, "value"));
	EXPECT_STREQ("true", event_str(ev, "value_truncated"));
	json_object_put(events);
}

/* Five components below /proc/sys, as deep as the event names whole. */
TEST_F(config, sysctl_write_is_reported_with_a_deep_name)
{
	char *old = read_file(DEEP_SYSCTL);
	json_object *events, *ev;

	ASSERT_NE(NULL, old);
	ASSERT_EQ(0, write_file(DEEP_SYSCTL, old));
	free(old);
	events = ward_events();
	ev = find_event(_metadata, events, getpid(), "sysctl", "write");
	EXPECT_EVENT(ev, events, "sysctl");
	EXPECT_STREQ(DEEP_SYSCTL, event_str(ev, "path"));
	json_object_put(events);
}

TEST_F(config, sysctl_write_that_failed_is_not_reported)
{
	json_object *events;
	pid_t pid;
	int fd;

	EXPECT_EQ(EACCES, as_nobody(&pid, try_write, DOMAINNAME));
	fd = open(INT_SYSCTL, O_WRONLY);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, write(fd, "not a number\n", 13));
	EXPECT_EQ(EINVAL, errno);
	close(fd);
	events = ward_events();
	EXPECT_EQ(NULL, event_find(events, "op", "sysctl", NULL))
	{
		TH_LOG("%s", json_object_to_json_string(events));
	}
	json_object_put(events);
}

/*
 * The mount point's path: whole from 6.2; before, only within the mount
 * that holds it (the tests' scratch is on /tmp's tmpfs), after "…"; for
 * an unmount, whose mount point is reached from the mount, nothing but
 * "…" (@within: the path is to the mount point, not to the mount).
 */
static void expect_mount_path(struct __test_metadata *_metadata,
			      json_object *ev, const char *path, bool within)
{
	const char *got = event_str(ev, "path");
	char want[PATH_MAX];

	ASSERT_NE(NULL, got);
	if (kernel_has_symbol("bpf_rdonly_cast")) {
		EXPECT_STREQ(path, got);
		return;
	}
	snprintf(want, sizeof(want), "\xe2\x80\xa6%s",
		 within ? strstr(path + 1, "/ward-selftests/") : "");
	EXPECT_STREQ(want, got);
}

/*
 * The source of a change to a mount that exists (remount, propagation,
 * move, unmount): read from struct mount, which only 6.2 on lets ward
 * read; none before.
 */
static void expect_mount_source(struct __test_metadata *_metadata,
				json_object *ev, const char *source)
{
	if (kernel_has_symbol("bpf_rdonly_cast")) {
		EXPECT_STREQ(source, event_str(ev, "source"));
		EXPECT_STREQ("false", event_str(ev, "source_truncated"));
	} else {
		EXPECT_EQ(NULL, event_str(ev, "source"));
	}
}

TEST_F(config, mounts_are_reported_with_mount_point_and_type)
{
	json_object *events, *ev;
	struct stat st;
	int fd;

	ASSERT_EQ(0, stat(self->mnt, &st));
	ASSERT_EQ(0, mount("ward-src", self->mnt, "tmpfs", 0, NULL));
	ASSERT_EQ(0, mount(self->mnt, self->mnt2, NULL, MS_BIND, NULL));
	ASSERT_EQ(0, mount(NULL, self->mnt, NULL, MS_REMOUNT, NULL));
	events = ward_events();
	ev = find_event(_metadata, events, getpid(), "mounted", "new");
	EXPECT_EVENT(ev, events, "mount");
	expect_mount_path(_metadata, ev, self->mnt, true);
	EXPECT_STREQ("tmpfs", event_str(ev, "fstype"));
	EXPECT_STREQ("ward-src", event_str(ev, "source"));
	EXPECT_STREQ("false", event_str(ev, "source_truncated"));
	EXPECT_EQ((long long)st.st_ino, event_num(ev, "ino"));
	EXPECT_EQ(0, event_num(ev, "uid"));
	ev = find_event(_metadata, events, getpid(), "mounted", "bind");
	EXPECT_EVENT(ev, events, "bind mount");
	expect_mount_path(_metadata, ev, self->mnt2, true);
	EXPECT_STREQ(self->mnt, event_str(ev, "source"));
	EXPECT_EQ(MS_BIND, event_num(ev, "flags"));
	/* A remount: the mount's own type, and its source where struct
	 * mount can be read (6.2 on). */
	ev = find_event(_metadata, events, getpid(), "mounted", "remount");
	EXPECT_EVENT(ev, events, "remount");
	EXPECT_STREQ("tmpfs", event_str(ev, "fstype"));
	expect_mount_source(_metadata, ev, "ward-src");
	json_object_put(events);

	/* Unmounted, then moved both ways: MS_MOVE and move_mount(2). */
	ASSERT_EQ(0, umount2(self->mnt2, 0));
	ASSERT_EQ(0, mount("tmpfs", self->mnt2, "tmpfs", 0, NULL));
	ASSERT_EQ(0, umount2(self->mnt2, MNT_DETACH));
	events = ward_events();
	ev = find_event(_metadata, events, getpid(), "unmounted", "umount");
	EXPECT_EVENT(ev, events, "umount");
	expect_mount_path(_metadata, ev, self->mnt2, false);
	EXPECT_STREQ("tmpfs", event_str(ev, "fstype"));
	expect_mount_source(_metadata, ev, "ward-src");
	ev = event_find(events, "pid", pid_str(getpid()), "op", "unmounted",
			"flags", "2", NULL);
	EXPECT_EVENT(ev, events, "umount MNT_DETACH");
	json_object_put(events);

	/*
	 * mount(2)'s MS_MOVE in the initial namespace moves what may be
	 * anything beneath the root, ward's own pins too: refused by every
	 * policy (mount_test), so not reported.  move_mount(2) of a clone
	 * (open_tree) is.  A private parent: the kernel moves nothing out of
	 * a shared one.
	 */
	ASSERT_EQ(0, mount(NULL, self->mnt, NULL, MS_PRIVATE, NULL));
	ASSERT_EQ(0, mkdir(path_in(self->mnt, "a"), 0755));
	ASSERT_EQ(0, mkdir(path_in(self->mnt, "b"), 0755));
	ASSERT_EQ(0, mount("ward-a", path_in(self->mnt, "a"), "tmpfs", 0, NULL));
	EXPECT_EQ(EACCES, errno_of(mount(path_in(self->mnt, "a"),
					 path_in(self->mnt, "b"), NULL, MS_MOVE,
					 NULL)));
	fd = syscall(SYS_open_tree, AT_FDCWD, path_in(self->mnt, "a"),
		     OPEN_TREE_CLONE);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, syscall(SYS_move_mount, fd, "", AT_FDCWD, self->mnt2,
			     MOVE_MOUNT_F_EMPTY_PATH));
	close(fd);
	events = ward_events();
	ev = find_event(_metadata, events, getpid(), "mounted", "move");
	EXPECT_EVENT(ev, events, "move_mount");
	expect_mount_path(_metadata, ev, self->mnt2, true);
	EXPECT_STREQ("tmpfs", event_str(ev, "fstype"));
	expect_mount_source(_metadata, ev, "ward-a");
	ev = find_event(_metadata, events, getpid(), "mounted", "propagation");
	EXPECT_EVENT(ev, events, "MS_PRIVATE");
	/* The path names the mount itself, as for an unmount. */
	expect_mount_path(_metadata, ev, self->mnt, false);
	EXPECT_STREQ("tmpfs", event_str(ev, "fstype"));
	expect_mount_source(_metadata, ev, "ward-src");
	/* And the new mount on a: not the refused MS_MOVE. */
	EXPECT_EQ(3, count_events(events, "mounted"))
	{
		TH_LOG("%s", json_object_to_json_string(events));
	}
	json_object_put(events);
}

TEST_F(config, mount_that_failed_is_not_reported)
{
	json_object *events;
	pid_t pid;

	EXPECT_EQ(EPERM, as_nobody(&pid, try_mount, self->mnt));
	/* Root, with a file system type no kernel has. */
	EXPECT_EQ(ENODEV,
		  errno_of(mount("x", self->mnt, "ward-no-such-fs", 0, NULL)));
	/* Root, unmounting what is no mount point. */
	EXPECT_EQ(EINVAL, errno_of(umount2(self->mnt, 0)));
	events = ward_events();
	EXPECT_EQ(NULL, event_find(events, "op", "mounted", NULL))
	{
		TH_LOG("%s", json_object_to_json_string(events));
	}
	EXPECT_EQ(NULL, event_find(events, "op", "unmounted", NULL));
	json_object_put(events);
}

TEST_F(config, mount_in_a_namespace_of_its_own_is_not_reported)
{
	json_object *events;
	pid_t pid = fork();
	int status;

	ASSERT_LE(0, pid);
	if (!pid) {
		if (unshare(CLONE_NEWNS) ||
		    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
			_exit(1);
		_exit(mount("tmpfs", self->mnt, "tmpfs", 0, NULL) ? 2 : 0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_EQ(0, WEXITSTATUS(status));
	events = ward_events();
	EXPECT_EQ(NULL, event_find(events, "pid", pid_str(pid), "op", "mounted",
				   "access", "new", NULL))
	{
		TH_LOG("%s", json_object_to_json_string(events));
	}
	json_object_put(events);
}

static int load_module(void *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), err;

	if (fd < 0)
		return errno;
	err = syscall(SYS_finit_module, fd, "", 0) ? errno : 0;
	close(fd);
	return err;
}

TEST_F(config, module_load_is_reported_with_its_name)
{
	char path[PATH_MAX];
	json_object *events, *ev;
	pid_t pid;

	kmod_path("selftests/modules/ward_hello.ko", path, sizeof(path));
	if (access(path, R_OK))
		SKIP(return, "the test module is not built: make modules");
	if (!access("/sys/module/ward_hello", F_OK))
		syscall(SYS_delete_module, "ward_hello", O_NONBLOCK);
	/* As nobody: refused (EPERM), not reported. */
	EXPECT_EQ(EPERM, as_nobody(&pid, load_module, path));
	ASSERT_EQ(0, load_module(path));
	/* Loaded already: the kernel refuses it again (EEXIST). */
	EXPECT_EQ(EEXIST, load_module(path));
	EXPECT_EQ(0, syscall(SYS_delete_module, "ward_hello", O_NONBLOCK));
	events = ward_events();
	ev = find_event(_metadata, events, getpid(), "module", "loaded");
	EXPECT_EVENT(ev, events, "module load");
	EXPECT_STREQ("ward_hello", event_str(ev, "name"));
	EXPECT_EQ(0, event_num(ev, "uid"));
	EXPECT_EQ(NULL, event_find(events, "pid", pid_str(pid), NULL));
	EXPECT_EQ(1, count_events(events, "module"))
	{
		TH_LOG("%s", json_object_to_json_string(events));
	}
	json_object_put(events);
}

WARD_TEST_MAIN
