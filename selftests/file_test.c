// SPDX-License-Identifier: GPL-2.0
/*
 * ward selftests - write protection of files and directory subtrees
 *
 * Each test starts ward on a fresh tree:
 *
 *   DIR/protected           labelled "secret"
 *   DIR/tree/...            labelled "tree" (a directory: its subtree)
 *   DIR/open/...            not labelled
 *   DIR/writer              a copy of this program, the app allowed to write
 *
 * The test program itself is not listed, so it is the unlisted program.
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <json-c/json.h>

#include "common.h"
#include "harness.h"
#include "ward_abi.h"

FIXTURE(tree)
{
	char dir[64];
};

static char *policy_text(FIXTURE_DATA(tree) * self, const char *mode)
{
	char *text;

	if (asprintf(&text,
		     "policy test 1.0.0\n"
		     "mode %s\n"
		     "files secret %s/protected\n"
		     "files tree %s/tree\n"
		     "app writer %s/writer\n"
		     "allow writer write secret tree\n"
		     "allow any read secret tree\n",
		     mode, self->dir, self->dir, self->dir) < 0)
		return NULL;
	return text;
}

static int start(FIXTURE_DATA(tree) * self, const char *mode)
{
	char *text = policy_text(self, mode);
	int status = ward_load_text(self->dir, text);

	free(text);
	return status;
}

FIXTURE_SETUP(tree)
{
	strcpy(self->dir, SCRATCH "/file-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	ASSERT_EQ(0, write_file(at(self, "protected"), "original\n"));
	ASSERT_EQ(0, mkdir(at(self, "tree"), 0755));
	ASSERT_EQ(0, mkdir(at(self, "tree/a"), 0755));
	ASSERT_EQ(0, mkdir(at(self, "tree/a/b"), 0755));
	ASSERT_EQ(0, mkdir(at(self, "tree/a/b/c"), 0755));
	ASSERT_EQ(0, mkdir(at(self, "tree/empty"), 0755));
	ASSERT_EQ(0, write_file(at(self, "tree/a/b/c/deep"), "deep\n"));
	ASSERT_EQ(0, mkdir(at(self, "open"), 0755));
	ASSERT_EQ(0, write_file(at(self, "open/free"), "free\n"));
	ASSERT_EQ(0, copy_file("/proc/self/exe", at(self, "writer")));
	ASSERT_EQ(0, start(self, "enforce"));
}

FIXTURE_TEARDOWN(tree)
{
	/* Leave a policy that protects nothing, to remove the tree. */
	ward_load_text("/tmp", "policy none 0.0.1\n");
	remove_tree(self->dir);
}

TEST_F(tree, unlisted_program_cannot_write_protected_file)
{
	char *text;

	EXPECT_EQ(EACCES, try_open(at(self, "protected"), O_WRONLY));
	EXPECT_EQ(EACCES, try_open(at(self, "protected"), O_RDWR));
	EXPECT_EQ(EACCES, try_open(at(self, "protected"), O_WRONLY | O_APPEND));
	EXPECT_EQ(EACCES, try_open(at(self, "protected"), O_WRONLY | O_TRUNC));
	/* Reading is not restricted by a write rule. */
	EXPECT_EQ(0, try_open(at(self, "protected"), O_RDONLY));
	text = read_file(at(self, "protected"));
	ASSERT_NE(NULL, text);
	EXPECT_STREQ("original\n", text);
	free(text);
}

TEST_F(tree, unlisted_program_cannot_write_deep_in_protected_dir)
{
	struct stat st;

	EXPECT_EQ(EACCES, try_open(at(self, "tree/a/b/c/deep"), O_WRONLY));
	EXPECT_EQ(EACCES,
		  try_open(at(self, "tree/a/b/new"), O_WRONLY | O_CREAT));
	EXPECT_EQ(ENOENT, errno_of(stat(at(self, "tree/a/b/new"), &st)));
	EXPECT_EQ(EACCES, errno_of(mkdir(at(self, "tree/a/newdir"), 0755)));
	EXPECT_EQ(EACCES,
		  errno_of(mknod(at(self, "tree/a/fifo"), S_IFIFO | 0644, 0)));
	/* Unlabelled files stay writable. */
	EXPECT_EQ(0, try_open(at(self, "open/free"), O_WRONLY));
	EXPECT_EQ(0, try_open(at(self, "open/new"), O_WRONLY | O_CREAT));
}

TEST_F(tree, listed_program_can_write)
{
	char *text;

	EXPECT_EQ(0, run_helper(at(self, "writer"), "append",
				at(self, "protected")));
	text = read_file(at(self, "protected"));
	ASSERT_NE(NULL, text);
	EXPECT_STREQ("original\nhelper\n", text);
	free(text);

	EXPECT_EQ(0, run_helper(at(self, "writer"), "append",
				at(self, "tree/a/b/c/deep")));
	text = read_file(at(self, "tree/a/b/c/deep"));
	ASSERT_NE(NULL, text);
	EXPECT_STREQ("deep\nhelper\n", text);
	free(text);
}

TEST_F(tree, rename_does_not_escape)
{
	EXPECT_EQ(EACCES, errno_of(rename(at(self, "protected"),
					  at(self, "open/stolen"))));
	EXPECT_EQ(EACCES,
		  errno_of(rename(at(self, "tree/a"), at(self, "open/a"))));
	EXPECT_EQ(EACCES, errno_of(rename(at(self, "open/free"),
					  at(self, "protected"))));
	EXPECT_EQ(EACCES, errno_of(rename(at(self, "open/free"),
					  at(self, "tree/a/free"))));
	EXPECT_EQ(EACCES,
		  errno_of(renameat2(AT_FDCWD, at(self, "open/free"), AT_FDCWD,
				     at(self, "protected"), RENAME_EXCHANGE)));
	EXPECT_EQ(0, access(at(self, "protected"), F_OK));
	EXPECT_EQ(0, access(at(self, "tree/a/b/c/deep"), F_OK));
}

TEST_F(tree, hardlink_does_not_escape)
{
	EXPECT_EQ(EACCES, errno_of(link(at(self, "protected"),
					at(self, "open/hardlink"))));
	EXPECT_EQ(EACCES, errno_of(link(at(self, "tree/a/b/c/deep"),
					at(self, "open/hardlink"))));
	EXPECT_EQ(EACCES, errno_of(link(at(self, "open/free"),
					at(self, "tree/a/hardlink"))));
}

TEST_F(tree, symlink_does_not_escape)
{
	ASSERT_EQ(0, symlink(at(self, "protected"), at(self, "open/symlink")));
	EXPECT_EQ(EACCES, try_open(at(self, "open/symlink"), O_WRONLY));
	ASSERT_EQ(0, symlink(at(self, "tree/a"), at(self, "open/dirlink")));
	EXPECT_EQ(EACCES,
		  try_open(at(self, "open/dirlink/b/c/deep"), O_WRONLY));
	EXPECT_EQ(EACCES,
		  errno_of(symlink("/etc", at(self, "tree/a/symlink"))));
}

TEST_F(tree, proc_self_fd_reopen_does_not_escape)
{
	char proc[64];
	int fd = open(at(self, "protected"), O_RDONLY | O_CLOEXEC);

	ASSERT_LE(0, fd);
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	EXPECT_EQ(EACCES, try_open(proc, O_WRONLY));
	EXPECT_EQ(EACCES, try_open(proc, O_RDWR));
	close(fd);
}

TEST_F(tree, openat_with_dirfd_does_not_escape)
{
	int dfd =
		open(at(self, "tree/a/b"), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int fd;

	ASSERT_LE(0, dfd);
	fd = openat(dfd, "c/deep", O_WRONLY | O_CLOEXEC);
	EXPECT_EQ(-1, fd);
	EXPECT_EQ(EACCES, errno);
	fd = openat(dfd, "../b/./c/deep", O_RDWR | O_CLOEXEC);
	EXPECT_EQ(-1, fd);
	EXPECT_EQ(EACCES, errno);
	fd = openat(dfd, "created", O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	EXPECT_EQ(-1, fd);
	EXPECT_EQ(EACCES, errno);
	close(dfd);
}

TEST_F(tree, o_path_reopen_does_not_escape)
{
	char proc[64];
	int fd = open(at(self, "protected"), O_PATH | O_CLOEXEC);

	ASSERT_LE(0, fd);
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	EXPECT_EQ(EACCES, try_open(proc, O_WRONLY));
	EXPECT_EQ(0, try_open(proc, O_RDONLY));
	close(fd);
}

TEST_F(tree, truncate_is_denied)
{
	char *text;

	EXPECT_EQ(EACCES, errno_of(truncate(at(self, "protected"), 0)));
	EXPECT_EQ(EACCES, errno_of(truncate(at(self, "tree/a/b/c/deep"), 1)));
	text = read_file(at(self, "protected"));
	ASSERT_NE(NULL, text);
	EXPECT_STREQ("original\n", text);
	free(text);
}

TEST_F(tree, unlink_and_rmdir_are_denied)
{
	EXPECT_EQ(EACCES, errno_of(unlink(at(self, "protected"))));
	EXPECT_EQ(EACCES, errno_of(unlink(at(self, "tree/a/b/c/deep"))));
	EXPECT_EQ(EACCES, errno_of(rmdir(at(self, "tree/empty"))));
	EXPECT_EQ(0, access(at(self, "protected"), F_OK));
	EXPECT_EQ(0, access(at(self, "tree/empty"), F_OK));
}

TEST_F(tree, stop_restores_access)
{
	EXPECT_EQ(EACCES, try_open(at(self, "protected"), O_WRONLY));
	ASSERT_EQ(0, ward_run(NULL, NULL, "stop", NULL));
	EXPECT_EQ(0, try_open(at(self, "protected"), O_WRONLY));
	EXPECT_EQ(0, errno_of(unlink(at(self, "tree/a/b/c/deep"))));
	EXPECT_EQ(3, ward_run(NULL, NULL, "status", NULL));
}

TEST_F(tree, denial_is_reported_with_its_fields)
{
	char exe[PATH_MAX], comm[32] = "";
	json_object *array, *ev;
	struct timespec before, after;
	ssize_t len;
	struct stat st;
	FILE *f;

	json_object_put(ward_events());
	ASSERT_EQ(0, stat(at(self, "protected"), &st));
	len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	ASSERT_LT(0, len);
	exe[len] = '\0';
	f = fopen("/proc/self/comm", "r");
	ASSERT_NE(NULL, f);
	ASSERT_NE(NULL, fgets(comm, sizeof(comm), f));
	fclose(f);
	comm[strcspn(comm, "\n")] = '\0';

	clock_gettime(CLOCK_REALTIME, &before);
	EXPECT_EQ(EACCES, try_open(at(self, "protected"), O_WRONLY));
	clock_gettime(CLOCK_REALTIME, &after);

	array = ward_events();
	ASSERT_EQ(1, (int)json_object_array_length(array));
	ev = event_find(array, "op", "open", NULL);
	ASSERT_NE(NULL, ev);
	EXPECT_STREQ("denied", event_str(ev, "result"));
	EXPECT_EQ(-EACCES, event_num(ev, "error"));
	EXPECT_STREQ("write", event_str(ev, "access"));
	EXPECT_STREQ(at(self, "protected"), event_str(ev, "path"));
	EXPECT_EQ((long long)st.st_ino, event_num(ev, "ino"));
	EXPECT_EQ(1, event_num(ev, "label"));
	EXPECT_EQ(getpid(), event_num(ev, "pid"));
	EXPECT_EQ(getuid(), event_num(ev, "uid"));
	EXPECT_EQ(geteuid(), event_num(ev, "euid"));
	EXPECT_STREQ(comm, event_str(ev, "comm"));
	EXPECT_STREQ(exe, event_str(ev, "exe"));
	EXPECT_EQ(0, event_num(ev, "app"));
	/* A second of slack: the clocks are read in different places. */
	EXPECT_LE((before.tv_sec - 1) * 1000000000LL, event_num(ev, "time_ns"));
	EXPECT_GE((after.tv_sec + 1) * 1000000000LL, event_num(ev, "time_ns"));
	json_object_put(array);
}

TEST_F(tree, directory_denial_names_the_entry)
{
	json_object *array, *ev;

	json_object_put(ward_events());
	EXPECT_EQ(EACCES, errno_of(unlink(at(self, "tree/a/b/c/deep"))));
	array = ward_events();
	ev = event_find(array, "op", "unlink", NULL);
	ASSERT_NE(NULL, ev);
	EXPECT_STREQ("denied", event_str(ev, "result"));
	EXPECT_STREQ("deep", event_str(ev, "name"));
	EXPECT_EQ(2, event_num(ev, "label"));
	EXPECT_EQ(getpid(), event_num(ev, "pid"));
	/* Without bpf_path_d_path (before 6.12) the path is read from the
	 * entries' names, up to the root of SCRATCH's file system. */
	if (kernel_has_symbol("bpf_path_d_path")) {
		EXPECT_STREQ(at(self, "tree/a/b/c/deep"),
			     event_str(ev, "path"));
		EXPECT_EQ(NULL, event_str(ev, "path_missing"));
	} else {
		const char *want = at(self, "tree/a/b/c/deep");
		const char *path = event_str(ev, "path");

		ASSERT_NE(NULL, path);
		ASSERT_LE(strlen("/tree/a/b/c/deep"), strlen(path));
		ASSERT_GE(strlen(want), strlen(path));
		EXPECT_STREQ(want + strlen(want) - strlen(path), path);
	}
	json_object_put(array);
}

TEST_F(tree, listed_program_is_not_reported)
{
	json_object *array;

	json_object_put(ward_events());
	EXPECT_EQ(0, run_helper(at(self, "writer"), "append",
				at(self, "protected")));
	array = ward_events();
	EXPECT_EQ(0, (int)json_object_array_length(array));
	json_object_put(array);
}

TEST_F(tree, complain_mode_allows_and_reports)
{
	json_object *array, *ev;

	ASSERT_EQ(0, start(self, "complain"));
	EXPECT_EQ(0, try_open(at(self, "protected"), O_WRONLY));
	array = ward_events();
	ev = event_find(array, "op", "open", NULL);
	ASSERT_NE(NULL, ev);
	EXPECT_STREQ("complain", event_str(ev, "type"));
	EXPECT_STREQ("allowed", event_str(ev, "result"));
	EXPECT_EQ(0, event_num(ev, "error"));
	EXPECT_STREQ(at(self, "protected"), event_str(ev, "path"));
	json_object_put(array);
}

/* Makes @depth nested directories under @base; returns the innermost. */
static int make_chain(const char *base, int depth)
{
	int fd = open(base, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	for (int i = 0; i < depth && fd >= 0; i++) {
		int next;

		if (mkdirat(fd, "d", 0755))
			return -1;
		next = openat(fd, "d", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		close(fd);
		fd = next;
	}
	return fd;
}

TEST_F(tree, walk_deeper_than_bound_is_denied)
{
	int shallow, deep;
	json_object *array, *ev;

	/* Build the chains with ward stopped: creating them is a write. */
	ASSERT_EQ(0, ward_run(NULL, NULL, "stop", NULL));
	ASSERT_EQ(0, mkdir(at(self, "open/shallow"), 0755));
	ASSERT_EQ(0, mkdir(at(self, "open/deep"), 0755));
	shallow = make_chain(at(self, "open/shallow"), WARD_WALK_MAX - 16);
	deep = make_chain(at(self, "open/deep"), WARD_WALK_MAX + 16);
	ASSERT_LE(0, shallow);
	ASSERT_LE(0, deep);
	ASSERT_EQ(0, try_openat(shallow, "file", O_WRONLY | O_CREAT));
	ASSERT_EQ(0, try_openat(deep, "file", O_WRONLY | O_CREAT));
	ASSERT_EQ(0, start(self, "enforce"));

	/* The label of the deep file cannot be known, so it is denied. */
	EXPECT_EQ(0, try_openat(shallow, "file", O_WRONLY));
	EXPECT_EQ(EACCES, try_openat(deep, "file", O_WRONLY));
	array = ward_events();
	ev = event_find(array, "op", "open", NULL);
	ASSERT_NE(NULL, ev);
	EXPECT_TRUE(json_object_get_boolean(
		json_object_object_get(ev, "walk_limit")));
	EXPECT_EQ(0, event_num(ev, "label"));
	json_object_put(array);
	close(shallow);
	close(deep);
}

/*
 * Names of every length an entry may have are reported whole: 40 bytes
 * (longer than a dentry's inline name) and 255 (NAME_MAX), by every
 * operation on an entry, allowed under an audit rule and denied.  The
 * tree is made in the root file system and in SCRATCH (a tmpfs mount in
 * scripts/vmtest's guest): where the kernel gives ward no mount to follow
 * (inode hooks such as setattr; every path hook before 6.12), a path
 * within a mounted file system is reported from that file system's root,
 * with path_missing "mount".
 */
FIXTURE(names)
{
	char dir[64];
	/* Where the file system that holds @dir is mounted ("/": none). */
	char mnt[PATH_MAX];
	char n40[41], n255[256];
};

FIXTURE_VARIANT(names)
{
	const char *base;
};

FIXTURE_VARIANT_ADD(names, root_fs)
{
	.base = "/ward-names-XXXXXX",
};

FIXTURE_VARIANT_ADD(names, scratch)
{
	.base = SCRATCH "/names-XXXXXX",
};

/*
 * The mount point of the file system @path is on: the last of its
 * ancestors on the same device as it, "/" for the root file system.
 */
static void mount_point(const char *path, char *mnt, size_t size)
{
	char up[PATH_MAX], *slash;
	struct stat st, upst;

	snprintf(mnt, size, "%s", path);
	if (stat(path, &st))
		return;
	while (strcmp(mnt, "/")) {
		snprintf(up, sizeof(up), "%s", mnt);
		slash = strrchr(up, '/');
		slash[slash == up ? 1 : 0] = '\0';
		if (stat(up, &upst) || upst.st_dev != st.st_dev)
			return;
		snprintf(mnt, size, "%s", up);
	}
}

FIXTURE_SETUP(names)
{
	char *text;

	memset(self->n40, 'a', 40);
	self->n40[40] = '\0';
	memset(self->n255, 'b', 255);
	self->n255[255] = '\0';
	strcpy(self->dir, variant->base);
	ASSERT_NE(NULL, mkdtemp(self->dir));
	mount_point(self->dir, self->mnt, sizeof(self->mnt));
	ASSERT_EQ(0, mkdir(at(self, "logged"), 0755));
	ASSERT_EQ(0, mkdir(at(self, "kept"), 0755));
	for (int i = 0; i < 2; i++) {
		const char *n = i ? self->n255 : self->n40;
		char rel[300];

		snprintf(rel, sizeof(rel), "logged/%s", n);
		ASSERT_EQ(0, write_file(at(self, rel), "x\n"));
		snprintf(rel, sizeof(rel), "kept/%s", n);
		ASSERT_EQ(0, write_file(at(self, rel), "x\n"));
	}
	ASSERT_EQ(0, asprintf(&text,
			      "policy names 1.0.0\n"
			      "mode enforce\n"
			      "files logged %s/logged\n"
			      "files kept %s/kept\n"
			      "allow any read kept\n"
			      "audit write,unlink,rename,link,chmod logged\n",
			      self->dir, self->dir) < 0);
	ASSERT_EQ(0, ward_load_text(self->dir, text));
	free(text);
}

FIXTURE_TEARDOWN(names)
{
	ward_load_text("/tmp", "policy none 0.0.1\n");
	remove_tree(self->dir);
}

/*
 * Checks that @array has an event of @op and @type whose path is @path:
 * whole, or with @in_hook_only (the hook has no mount: an inode hook), or
 * without the kfuncs of 6.12 (6.1's path hooks walk names), from the root
 * of its file system, with path_missing "mount", when that is not the
 * root file system.
 */
static void expect_named(struct __test_metadata *_metadata,
			 FIXTURE_DATA(names) * self, json_object *array,
			 const char *type, const char *op, const char *path,
			 const char *name, bool inode_hook)
{
	bool walked = inode_hook || !kernel_has_symbol("bpf_path_d_path");
	bool cut = walked && strcmp(self->mnt, "/");
	const char *want = cut ? path + strlen(self->mnt) : path;
	json_object *ev;

	ev = event_find(array, "type", type, "op", op, "path", want, NULL);
	ASSERT_NE(NULL, ev)
	{
		TH_LOG("no %s %s of %s in %s", type, op, want,
		       json_object_to_json_string(array));
	}
	if (cut) {
		EXPECT_STREQ("mount", event_str(ev, "path_missing"));
	} else {
		EXPECT_EQ(NULL, event_str(ev, "path_missing"));
	}
	if (name) {
		EXPECT_STREQ(name, event_str(ev, "name"));
	}
	EXPECT_EQ(NULL, event_str(ev, "exe_missing"));
}

/* @dir/@sub/@name, in a buffer of its own. */
static char *entry(FIXTURE_DATA(names) * self, const char *sub,
		   const char *name, char other)
{
	static char bufs[8][PATH_MAX];
	static unsigned int next;
	char *buf = bufs[next++ % 8];
	size_t len;

	len = snprintf(buf, PATH_MAX, "%s/%s/%s", self->dir, sub, name);
	if (other)
		buf[len - 1] = other;
	return buf;
}

static void each_op(struct __test_metadata *_metadata,
		    FIXTURE_DATA(names) * self, const char *sub,
		    const char *name, int err)
{
	const char *type = err ? "denial" : "audit";
	char *file = entry(self, sub, name, 0);
	char *moved = entry(self, sub, name, 'r');
	char *linked = entry(self, sub, name, 'l');
	char *made = entry(self, sub, name, 'c');
	char *dir = entry(self, sub, "", 0);
	json_object *array;
	int fd;

	dir[strlen(dir) - 1] = '\0';
	json_object_put(ward_events());
	EXPECT_EQ(err, errno_of(chmod(file, 0600)));
	EXPECT_EQ(err, errno_of(truncate(file, 0)));
	EXPECT_EQ(err, errno_of(utimensat(AT_FDCWD, file, NULL, 0)));
	EXPECT_EQ(err, errno_of(link(file, linked)));
	EXPECT_EQ(err, errno_of(rename(file, moved)));
	fd = open(made, O_WRONLY | O_CREAT, 0644);
	EXPECT_EQ(err, fd < 0 ? errno : 0);
	if (fd >= 0)
		close(fd);
	EXPECT_EQ(err, errno_of(unlink(err ? file : moved)));
	array = ward_events();
	expect_named(_metadata, self, array, type, "chmod", file, NULL, false);
	expect_named(_metadata, self, array, type, "truncate", file, NULL,
		     false);
	/* utimes has no path hook: inode_setattr decides. */
	expect_named(_metadata, self, array, type, "setattr", file, NULL,
		     true);
	/* Linking is checked on the new entry, which names it. */
	expect_named(_metadata, self, array, type, "link", linked,
		     linked + strlen(dir) + 1, false);
	expect_named(_metadata, self, array, type, "rename", file, name,
		     false);
	/* A creation is decided on the directory; the name is the entry. */
	expect_named(_metadata, self, array, type, "create", dir,
		     made + strlen(dir) + 1, false);
	expect_named(_metadata, self, array, type, "unlink",
		     err ? file : moved, NULL, false);
	json_object_put(array);
}

TEST_F(names, audited_changes_name_long_entries_whole)
{
	each_op(_metadata, self, "logged", self->n40, 0);
	each_op(_metadata, self, "logged", self->n255, 0);
}

TEST_F(names, denials_name_long_entries_whole)
{
	each_op(_metadata, self, "kept", self->n40, EACCES);
	each_op(_metadata, self, "kept", self->n255, EACCES);
}

WARD_TEST_MAIN
