// SPDX-License-Identifier: GPL-2.0
/*
 * ward selftests - ways around a protected tree, none of which may work
 *
 * Each test starts from:
 *
 *   DIR/protected           labelled "secret"
 *   DIR/etc/passwd          labelled "secret", in a directory of no label
 *   DIR/tree/a/b/c/deep     under DIR/tree, labelled "tree" (its subtree)
 *   DIR/open/...            no label
 *   DIR/writer              a copy of this program: the app that may write
 *
 * This program is not listed: it is the unlisted program, and whatever way
 * it tries to write through, the result must be EACCES and the protected
 * files must stay as they were (content, inode and directory entries).
 *
 * Tests that try to mount over what is protected do it in the initial
 * mount namespace, which everyone sees (the teardown unmounts what they
 * mount); the others in one of their own, private.  The overlayfs tests need the
 * overlay file system, and the open_by_handle_at() test a loop device
 * (tmpfs keeps every dentry, so none could come back disconnected): where
 * the kernel has them as modules that cannot be loaded, they skip.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/fs.h>
#include <linux/io_uring.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <json-c/json.h>

#include "common.h"
#include "harness.h"
#include "ward_abi.h"

#define MOUNTS_MAX 16

FIXTURE(evasion)
{
	char dir[64];
	ino_t ino[3]; /* protected, etc/passwd, tree/a/b/c/deep */
	char mounts[MOUNTS_MAX][PATH_MAX];
	int n_mounts;
};

/* Entries of the directory @path, "." and ".." aside; -1 if unreadable. */
static int entries(const char *path)
{
	struct dirent **list;
	int n = scandir(path, &list, NULL, NULL);

	if (n < 0)
		return -1;
	for (int i = 0; i < n; i++)
		free(list[i]);
	free(list);
	return n - 2;
}

/* The protected files are as the fixture made them, and only they. */
static void expect_intact(struct __test_metadata *_metadata,
			  FIXTURE_DATA(evasion) * self)
{
	expect_content(_metadata, at(self, "protected"), "original\n");
	expect_content(_metadata, at(self, "etc/passwd"), "root:x:0:0\n");
	expect_content(_metadata, at(self, "tree/a/b/c/deep"), "deep\n");
	EXPECT_EQ(self->ino[0], ino_of(at(self, "protected")));
	EXPECT_EQ(self->ino[1], ino_of(at(self, "etc/passwd")));
	EXPECT_EQ(self->ino[2], ino_of(at(self, "tree/a/b/c/deep")));
	EXPECT_EQ(1, entries(at(self, "etc")));
	EXPECT_EQ(1, entries(at(self, "tree")));
	EXPECT_EQ(1, entries(at(self, "tree/a")));
	EXPECT_EQ(1, entries(at(self, "tree/a/b")));
	EXPECT_EQ(1, entries(at(self, "tree/a/b/c")));
}

static char *policy_text(FIXTURE_DATA(evasion) * self, const char *more)
{
	char *text;

	if (asprintf(&text,
		     "policy evasion 1.0.0\n"
		     "files secret %s/protected %s/etc/passwd\n"
		     "files tree %s/tree\n"
		     "app writer %s/writer\n"
		     "allow writer write secret tree\n"
		     "allow any read secret tree\n"
		     "%s",
		     self->dir, self->dir, self->dir, self->dir,
		     more ? more : "") < 0)
		return NULL;
	return text;
}

static int load(FIXTURE_DATA(evasion) * self, const char *more)
{
	char *text = policy_text(self, more);
	int status = text ? ward_load_text(self->dir, text) : -1;

	free(text);
	return status;
}

/* load() with @fmt, one %s for @path, as more policy text. */
static int load_fmt(FIXTURE_DATA(evasion) * self, const char *fmt,
		    const char *path)
{
	char *more;
	int status;

	if (asprintf(&more, fmt, path) < 0)
		return -1;
	status = load(self, more);
	free(more);
	return status;
}

FIXTURE_SETUP(evasion)
{
	strcpy(self->dir, SCRATCH "/evasion-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	ASSERT_EQ(0, write_file(at(self, "protected"), "original\n"));
	ASSERT_EQ(0, mkdir(at(self, "etc"), 0755));
	ASSERT_EQ(0, write_file(at(self, "etc/passwd"), "root:x:0:0\n"));
	ASSERT_EQ(0, mkdir(at(self, "tree"), 0755));
	ASSERT_EQ(0, mkdir(at(self, "tree/a"), 0755));
	ASSERT_EQ(0, mkdir(at(self, "tree/a/b"), 0755));
	ASSERT_EQ(0, mkdir(at(self, "tree/a/b/c"), 0755));
	ASSERT_EQ(0, write_file(at(self, "tree/a/b/c/deep"), "deep\n"));
	ASSERT_EQ(0, mkdir(at(self, "open"), 0755));
	ASSERT_EQ(0, write_file(at(self, "open/free"), "free\n"));
	ASSERT_EQ(0, copy_file("/proc/self/exe", at(self, "writer")));
	self->ino[0] = ino_of(at(self, "protected"));
	self->ino[1] = ino_of(at(self, "etc/passwd"));
	self->ino[2] = ino_of(at(self, "tree/a/b/c/deep"));
	ASSERT_EQ(0, load(self, NULL));
}

/* Unmounts what the test mounted, mounts stacked on one another too. */
static void unmount_all(FIXTURE_DATA(evasion) * self)
{
	while (self->n_mounts > 0) {
		const char *target = self->mounts[--self->n_mounts];

		while (!umount2(target, MNT_DETACH))
			;
	}
}

FIXTURE_TEARDOWN(evasion)
{
	unmount_all(self);
	/* Leave a policy that protects nothing, to remove the tree. */
	ward_load_text(self->dir, "policy none 0.0.1\n");
	/* What an inode flag test may have left immutable. */
	run_op(NULL, NULL, "setflags", at(self, "protected"), "0", NULL);
	remove_tree(self->dir);
}

/* A mount namespace of the test's own, where no mount propagates. */
static void private_mounts(struct __test_metadata *_metadata)
{
	ASSERT_EQ(0, unshare(CLONE_NEWNS));
	ASSERT_EQ(0, mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL));
}

/* mount(2), remembered for the teardown when it works; 0 or its errno. */
static int mount_at(FIXTURE_DATA(evasion) * self, const char *source,
		    const char *target, const char *type, unsigned long flags,
		    const char *data)
{
	if (mount(source, target, type, flags, data))
		return errno;
	if (self->n_mounts < MOUNTS_MAX)
		strcpy(self->mounts[self->n_mounts++], target);
	return 0;
}

static const char *ev_str(json_object *ev, const char *key)
{
	const char *s = json_object_get_string(json_object_object_get(ev, key));

	return s ? s : "";
}

static long long ev_num(json_object *ev, const char *key)
{
	return json_object_get_int64(json_object_object_get(ev, key));
}

/* The first denial of @op in @array, or NULL. */
static json_object *find_denial(json_object *array, const char *op)
{
	for (size_t i = 0; i < json_object_array_length(array); i++) {
		json_object *ev = json_object_array_get_idx(array, i);

		if (ev && !strcmp(ev_str(ev, "op"), op) &&
		    !strcmp(ev_str(ev, "result"), "denied"))
			return ev;
	}
	return NULL;
}

/* A page shared with a forked child, for the results it reports. */
static int *shared_results(void)
{
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/* Waits for @pid: its exit status, or -1. */
static int wait_exit(pid_t pid)
{
	int status;

	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/* The inode flags (FS_IOC_GETFLAGS) of @path, or -1. */
static int inode_flags(const char *path)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC), flags = -1;

	if (fd < 0)
		return -1;
	if (ioctl(fd, FS_IOC_GETFLAGS, &flags))
		flags = -1;
	close(fd);
	return flags;
}

/* The permission bits of @path, or -1. */
static int mode_of(const char *path)
{
	struct stat st;

	return stat(path, &st) ? -1 : (int)(st.st_mode & 07777);
}

/* The owner of @path, or -1. */
static int owner_of(const char *path)
{
	struct stat st;

	return stat(path, &st) ? -1 : (int)st.st_uid;
}

/* The denials of @op reported for @pid, consumed. */
static int denials_of(pid_t pid, const char *op)
{
	json_object *events = ward_events();
	int n = 0;

	for (size_t i = 0; i < json_object_array_length(events); i++) {
		json_object *ev = json_object_array_get_idx(events, i);

		n += ev && ev_num(ev, "pid") == pid &&
		     !strcmp(ev_str(ev, "op"), op) &&
		     !strcmp(ev_str(ev, "result"), "denied");
	}
	json_object_put(events);
	return n;
}

TEST_F(evasion, symlink_does_not_escape)
{
	/* A link to the file, to the tree, and a chain of links: EACCES. */
	ASSERT_EQ(0, symlink(at(self, "protected"), at(self, "open/file")));
	ASSERT_EQ(0, symlink(at(self, "tree/a"), at(self, "open/dir")));
	ASSERT_EQ(0, symlink(at(self, "open/dir"), at(self, "open/chain")));
	EXPECT_EQ(EACCES, try_open(at(self, "open/file"), O_WRONLY));
	EXPECT_EQ(EACCES, try_open(at(self, "open/file"), O_RDWR | O_TRUNC));
	EXPECT_EQ(EACCES, try_open(at(self, "open/dir/b/c/deep"), O_WRONLY));
	EXPECT_EQ(EACCES, try_open(at(self, "open/chain/b/c/deep"), O_RDWR));
	EXPECT_EQ(EACCES, try_open(at(self, "open/chain/b/new"),
				   O_WRONLY | O_CREAT | O_EXCL));
	EXPECT_EQ(EACCES, errno_of(unlink(at(self, "open/chain/b/c/deep"))));
	/* Reading through them is allowed ("allow any read"). */
	EXPECT_EQ(0, try_open(at(self, "open/chain/b/c/deep"), O_RDONLY));
	expect_intact(_metadata, self);
}

TEST_F(evasion, hardlink_to_protected_file_is_denied)
{
	/* A second name outside would be an unprotected way in: EACCES. */
	EXPECT_EQ(EACCES,
		  errno_of(link(at(self, "protected"), at(self, "open/link"))));
	EXPECT_EQ(EACCES, errno_of(link(at(self, "etc/passwd"),
					at(self, "open/link"))));
	EXPECT_EQ(EACCES, errno_of(link(at(self, "tree/a/b/c/deep"),
					at(self, "open/link"))));
	EXPECT_EQ(EACCES, errno_of(linkat(AT_FDCWD, at(self, "tree/a/b/c/deep"),
					  AT_FDCWD, at(self, "open/link"),
					  AT_SYMLINK_FOLLOW)));
	EXPECT_EQ(-1, access(at(self, "open/link"), F_OK));
	expect_intact(_metadata, self);
}

TEST_F(evasion, rename_out_of_tree_is_denied)
{
	/* The file, its parent directory, the tree itself: EACCES. */
	EXPECT_EQ(EACCES, errno_of(rename(at(self, "tree/a/b/c/deep"),
					  at(self, "open/deep"))));
	EXPECT_EQ(EACCES,
		  errno_of(rename(at(self, "tree/a/b/c"), at(self, "open/c"))));
	EXPECT_EQ(EACCES,
		  errno_of(rename(at(self, "tree/a"), at(self, "open/a"))));
	EXPECT_EQ(EACCES,
		  errno_of(rename(at(self, "tree"), at(self, "open/tree"))));
	EXPECT_EQ(EACCES, errno_of(rename(at(self, "protected"),
					  at(self, "open/protected"))));
	EXPECT_EQ(EACCES, errno_of(rename(at(self, "etc/passwd"),
					  at(self, "open/passwd"))));
	/*
	 * Nor the unlabelled directory that holds a labelled file, nor one
	 * above it: another etc/ with other files would take its path (the
	 * files keep their labels, but not their paths, which is what every
	 * reader goes by).  Nor swapped with another directory.
	 */
	EXPECT_EQ(EACCES,
		  errno_of(rename(at(self, "etc"), at(self, "open/etc"))));
	EXPECT_EQ(EACCES, errno_of(rename(self->dir, SCRATCH "/moved")));
	ASSERT_EQ(0, mkdir(at(self, "open/fake"), 0755));
	EXPECT_EQ(EACCES, errno_of(renameat2(AT_FDCWD, at(self, "open/fake"),
					     AT_FDCWD, at(self, "etc"),
					     RENAME_EXCHANGE)));
	expect_intact(_metadata, self);
	/* A directory with nothing labelled beneath it moves freely. */
	EXPECT_EQ(0, errno_of(rename(at(self, "open/fake"),
				     at(self, "open/fake2"))));
}

TEST_F(evasion, bind_mount_of_protected_dir_keeps_protection)
{
	private_mounts(_metadata);
	ASSERT_EQ(0, mkdir(at(self, "open/mnt"), 0755));
	ASSERT_EQ(0, write_file(at(self, "open/file"), ""));

	/* Mounting the tree elsewhere writes nothing protected: allowed. */
	ASSERT_EQ(0, mount_at(self, at(self, "tree"), at(self, "open/mnt"),
			      NULL, MS_BIND, NULL));
	ASSERT_EQ(0, mount_at(self, at(self, "protected"),
			      at(self, "open/file"), NULL, MS_BIND, NULL));
	/* What is seen through them is still protected: EACCES. */
	EXPECT_EQ(EACCES, try_open(at(self, "open/mnt/a/b/c/deep"), O_WRONLY));
	EXPECT_EQ(EACCES, try_open(at(self, "open/mnt/a/b/new"),
				   O_WRONLY | O_CREAT | O_EXCL));
	EXPECT_EQ(EACCES, errno_of(unlink(at(self, "open/mnt/a/b/c/deep"))));
	EXPECT_EQ(EACCES, errno_of(rename(at(self, "open/mnt/a/b/c/deep"),
					  at(self, "open/mnt/deep"))));
	EXPECT_EQ(EACCES,
		  errno_of(truncate(at(self, "open/mnt/a/b/c/deep"), 0)));
	EXPECT_EQ(EACCES, try_open(at(self, "open/file"), O_WRONLY));
	EXPECT_EQ(EACCES, errno_of(truncate(at(self, "open/file"), 0)));
	/* A bind mount of a bind mount is no different. */
	ASSERT_EQ(0, mkdir(at(self, "open/mnt2"), 0755));
	ASSERT_EQ(0, mount_at(self, at(self, "open/mnt/a/b"),
			      at(self, "open/mnt2"), NULL, MS_BIND, NULL));
	EXPECT_EQ(EACCES, try_open(at(self, "open/mnt2/c/deep"), O_WRONLY));
	expect_intact(_metadata, self);
}

TEST_F(evasion, mount_over_protected_path_is_denied)
{
	/* In the initial namespace, which everyone sees: mount_test. */
	ASSERT_EQ(0, mkdir(at(self, "open/src"), 0755));
	ASSERT_EQ(0, write_file(at(self, "open/src/deep"), "evil\n"));

	/* Hiding a protected object behind another mount writes it. */
	EXPECT_EQ(EACCES, mount_at(self, at(self, "open/src"), at(self, "tree"),
				   NULL, MS_BIND, NULL));
	EXPECT_EQ(EACCES,
		  mount_at(self, at(self, "open/src"), at(self, "tree/a/b/c"),
			   NULL, MS_BIND, NULL));
	EXPECT_EQ(EACCES,
		  mount_at(self, at(self, "open/src/deep"),
			   at(self, "tree/a/b/c/deep"), NULL, MS_BIND, NULL));
	EXPECT_EQ(EACCES, mount_at(self, at(self, "open/free"),
				   at(self, "protected"), NULL, MS_BIND, NULL));
	EXPECT_EQ(EACCES,
		  mount_at(self, at(self, "open/free"), at(self, "etc/passwd"),
			   NULL, MS_BIND, NULL));
	EXPECT_EQ(EACCES,
		  mount_at(self, "tmpfs", at(self, "tree"), "tmpfs", 0, NULL));
	EXPECT_EQ(EACCES, mount_at(self, "tmpfs", at(self, "tree/a/b"), "tmpfs",
				   0, NULL));
	EXPECT_EQ(EACCES,
		  mount_at(self, at(self, "open/src"), at(self, "tree/a"), NULL,
			   MS_BIND | MS_REC, NULL));
	expect_intact(_metadata, self);
	/* The same mounts on a directory of no label work. */
	ASSERT_EQ(0, mkdir(at(self, "open/dst"), 0755));
	EXPECT_EQ(0, mount_at(self, "tmpfs", at(self, "open/dst"), "tmpfs", 0,
			      NULL));
	EXPECT_EQ(0, mount_at(self, at(self, "open/src"), at(self, "open/dst"),
			      NULL, MS_BIND, NULL));
}

TEST_F(evasion, moving_a_mount_onto_protected_path_is_denied)
{
	int fs, mnt, tree;

	/* In the initial namespace, which everyone sees: mount_test. */
	ASSERT_EQ(0, mkdir(at(self, "open/m"), 0755));
	ASSERT_EQ(0, mkdir(at(self, "open/dst"), 0755));
	ASSERT_EQ(0, mount_at(self, "tmpfs", at(self, "open/m"), "tmpfs", 0,
			      NULL));
	ASSERT_EQ(0, write_file(at(self, "open/m/deep"), "evil\n"));

	/* mount --move (MS_MOVE), checked by sb_mount: EACCES. */
	EXPECT_EQ(EACCES, errno_of(mount(at(self, "open/m"), at(self, "tree"),
					 NULL, MS_MOVE, NULL)));
	EXPECT_EQ(EACCES,
		  errno_of(mount(at(self, "open/m"), at(self, "tree/a/b/c"),
				 NULL, MS_MOVE, NULL)));
	/* move_mount(2) of an attached mount: EACCES. */
	EXPECT_EQ(EACCES,
		  errno_of(move_mount(AT_FDCWD, at(self, "open/m"), AT_FDCWD,
				      at(self, "tree/a"), 0)));
	/* A new, detached file system (fsopen, fsmount): EACCES. */
	fs = fsopen("tmpfs", FSOPEN_CLOEXEC);
	ASSERT_LE(0, fs);
	ASSERT_EQ(0, fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0));
	mnt = fsmount(fs, FSMOUNT_CLOEXEC, 0);
	ASSERT_LE(0, mnt);
	EXPECT_EQ(EACCES,
		  errno_of(move_mount(mnt, "", AT_FDCWD, at(self, "tree/a/b"),
				      MOVE_MOUNT_F_EMPTY_PATH)));
	/* A detached copy of a file (open_tree), onto the file: EACCES. */
	tree = open_tree(AT_FDCWD, at(self, "open/free"),
			 OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
	ASSERT_LE(0, tree);
	EXPECT_EQ(EACCES,
		  errno_of(move_mount(tree, "", AT_FDCWD, at(self, "protected"),
				      MOVE_MOUNT_F_EMPTY_PATH)));
	close(tree);
	expect_intact(_metadata, self);

	/* Onto a directory of no label, move_mount() works both ways... */
	EXPECT_EQ(0,
		  errno_of(move_mount(mnt, "", AT_FDCWD, at(self, "open/dst"),
				      MOVE_MOUNT_F_EMPTY_PATH)));
	if (self->n_mounts < MOUNTS_MAX)
		strcpy(self->mounts[self->n_mounts++], at(self, "open/dst"));
	/* ...but MS_MOVE names its source to no hook: it might move away
	 * anything, and is refused where the namespace is shared. */
	EXPECT_EQ(EACCES, errno_of(mount(at(self, "open/m"), at(self, "open/dst"),
					 NULL, MS_MOVE, NULL)));
	EXPECT_EQ(0, errno_of(move_mount(AT_FDCWD, at(self, "open/m"), AT_FDCWD,
					 at(self, "open/dst"), 0)));
	close(mnt);
	close(fs);
}

TEST_F(evasion, new_mount_namespace_does_not_escape)
{
	/* Another view of the same inodes: EACCES as before (a mount there
	 * changes only that view: mount_test). */
	ASSERT_EQ(0, unshare(CLONE_NEWNS));
	ASSERT_EQ(0, mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL));
	EXPECT_EQ(EACCES, try_open(at(self, "protected"), O_WRONLY));
	EXPECT_EQ(EACCES, try_open(at(self, "etc/passwd"), O_WRONLY));
	EXPECT_EQ(EACCES, try_open(at(self, "tree/a/b/c/deep"), O_WRONLY));
	EXPECT_EQ(EACCES, try_open(at(self, "tree/a/b/new"),
				   O_WRONLY | O_CREAT | O_EXCL));
	EXPECT_EQ(EACCES, errno_of(unlink(at(self, "tree/a/b/c/deep"))));
	expect_intact(_metadata, self);
}

TEST_F(evasion, chroot_does_not_escape)
{
	int *res = shared_results();
	pid_t pid;

	ASSERT_NE(NULL, res);
	pid = fork();
	if (pid == 0) {
		/* The tree's parent as root: "/tree" is the same tree. */
		if (chroot(self->dir) || chdir("/"))
			_exit(1);
		res[0] = try_open("/protected", O_WRONLY);
		res[1] = try_open("/tree/a/b/c/deep", O_WRONLY);
		res[2] = try_open("/tree/a/b/new", O_WRONLY | O_CREAT | O_EXCL);
		res[3] = errno_of(rename("/tree/a/b/c/deep", "/open/deep"));
		res[4] = errno_of(link("/etc/passwd", "/open/passwd"));
		/* Inside the tree, its root is no boundary either. */
		if (chroot("/tree/a") || chdir("/"))
			_exit(2);
		res[5] = try_open("/b/c/deep", O_WRONLY);
		res[6] = errno_of(unlink("/b/c/deep"));
		res[7] = errno_of(mkdir("/b/new", 0755));
		_exit(0);
	}
	ASSERT_EQ(0, wait_exit(pid));
	for (int i = 0; i < 8; i++) {
		EXPECT_EQ(EACCES, res[i])
		{
			TH_LOG("operation %d in the chroot", i);
		}
	}
	munmap(res, 4096);
	expect_intact(_metadata, self);
}

TEST_F(evasion, proc_self_root_does_not_escape)
{
	char path[PATH_MAX];

	/* /proc/self/root and /proc/self/cwd are magic links: EACCES. */
	snprintf(path, sizeof(path), "/proc/self/root%s/protected", self->dir);
	EXPECT_EQ(EACCES, try_open(path, O_WRONLY));
	snprintf(path, sizeof(path), "/proc/%d/root%s/tree/a/b/c/deep",
		 getpid(), self->dir);
	EXPECT_EQ(EACCES, try_open(path, O_RDWR));
	snprintf(path, sizeof(path), "/proc/self/root%s/tree/a/b/new",
		 self->dir);
	EXPECT_EQ(EACCES, try_open(path, O_WRONLY | O_CREAT | O_EXCL));
	ASSERT_EQ(0, chdir(at(self, "tree/a")));
	EXPECT_EQ(EACCES, try_open("/proc/self/cwd/b/c/deep", O_WRONLY));
	EXPECT_EQ(EACCES, errno_of(unlink("/proc/self/cwd/b/c/deep")));
	EXPECT_EQ(EACCES, try_open("b/c/deep", O_WRONLY));
	ASSERT_EQ(0, chdir("/"));
	expect_intact(_metadata, self);
}

TEST_F(evasion, proc_fd_and_o_path_reopen_do_not_escape)
{
	char path[PATH_MAX];
	int fd, opath, dir;

	/* A read-only descriptor reopened for writing: EACCES. */
	fd = open(at(self, "tree/a/b/c/deep"), O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	EXPECT_EQ(EACCES, try_open(path, O_WRONLY));
	EXPECT_EQ(EACCES, try_open(path, O_RDWR | O_TRUNC));
	close(fd);

	/* An O_PATH descriptor: reopened, or linked (AT_EMPTY_PATH). */
	opath = open(at(self, "protected"), O_PATH | O_CLOEXEC);
	ASSERT_LE(0, opath);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", opath);
	EXPECT_EQ(EACCES, try_open(path, O_WRONLY));
	EXPECT_EQ(0, try_open(path, O_RDONLY));
	EXPECT_EQ(EACCES,
		  errno_of(linkat(opath, "", AT_FDCWD, at(self, "open/link"),
				  AT_EMPTY_PATH)));
	EXPECT_EQ(EACCES,
		  errno_of(linkat(AT_FDCWD, path, AT_FDCWD,
				  at(self, "open/link"), AT_SYMLINK_FOLLOW)));
	close(opath);

	/* An O_PATH directory in the tree, through /proc: EACCES. */
	dir = open(at(self, "tree/a/b"), O_PATH | O_DIRECTORY | O_CLOEXEC);
	ASSERT_LE(0, dir);
	snprintf(path, sizeof(path), "/proc/self/fd/%d/c/deep", dir);
	EXPECT_EQ(EACCES, try_open(path, O_WRONLY));
	snprintf(path, sizeof(path), "/proc/self/fd/%d/new", dir);
	EXPECT_EQ(EACCES, try_open(path, O_WRONLY | O_CREAT | O_EXCL));
	close(dir);
	expect_intact(_metadata, self);
}

TEST_F(evasion, openat_with_dirfd_does_not_escape)
{
	int dir, opath;

	/* Relative to a directory of the tree, however named: EACCES. */
	dir = open(at(self, "tree/a"), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	opath = open(at(self, "tree/a/b"), O_PATH | O_DIRECTORY | O_CLOEXEC);
	ASSERT_LE(0, dir);
	ASSERT_LE(0, opath);
	EXPECT_EQ(EACCES, try_openat(dir, "b/c/deep", O_WRONLY));
	EXPECT_EQ(EACCES, try_openat(dir, "./b/../b/c/deep", O_RDWR));
	EXPECT_EQ(EACCES, try_openat(dir, "new", O_WRONLY | O_CREAT | O_EXCL));
	EXPECT_EQ(EACCES, try_openat(opath, "c/deep", O_WRONLY));
	EXPECT_EQ(EACCES, try_openat(opath, "c/new", O_WRONLY | O_CREAT));
	EXPECT_EQ(EACCES, errno_of(unlinkat(opath, "c/deep", 0)));
	EXPECT_EQ(EACCES, errno_of(renameat(opath, "c/deep", AT_FDCWD,
					    at(self, "open/deep"))));
	EXPECT_EQ(EACCES, errno_of(mkdirat(dir, "newdir", 0755)));
	/* A directory outside, and a path going back in. */
	close(dir);
	dir = open(at(self, "open"), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ASSERT_LE(0, dir);
	EXPECT_EQ(EACCES, try_openat(dir, "../tree/a/b/c/deep", O_WRONLY));
	EXPECT_EQ(EACCES, try_openat(dir, "../protected", O_WRONLY));
	close(dir);
	close(opath);
	expect_intact(_metadata, self);
}

TEST_F(evasion, read_deeper_than_walk_bound_is_denied)
{
	int top, sub, n = WARD_WALK_MAX - 28;
	json_object *array, *ev;
	char rel[4 * WARD_WALK_MAX];

	/*
	 * Two chains of @n directories, each shallow enough to be made
	 * while ward runs; moving one to the bottom of the other makes a
	 * file deeper than the walk bound without stopping ward.
	 */
	strcpy(rel, "open/top");
	ASSERT_EQ(0, mkdir(at(self, rel), 0755));
	for (int i = 0; i < n; i++) {
		strcat(rel, "/d");
		ASSERT_EQ(0, mkdir(at(self, rel), 0755));
	}
	ASSERT_EQ(0, mkdir(at(self, "open/sub"), 0755));
	sub = open(at(self, "open/sub"), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ASSERT_LE(0, sub);
	for (int i = 0; i < n; i++) {
		int next;

		ASSERT_EQ(0, mkdirat(sub, "d", 0755));
		next = openat(sub, "d", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		ASSERT_LE(0, next);
		close(sub);
		sub = next;
	}
	ASSERT_EQ(0, try_openat(sub, "file", O_WRONLY | O_CREAT | O_EXCL));
	/* n + 4 below the root of /tmp, its label is known: readable. */
	EXPECT_EQ(0, try_openat(sub, "file", O_RDONLY));
	top = open(at(self, rel), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ASSERT_LE(0, top);
	ASSERT_EQ(0, renameat(AT_FDCWD, at(self, "open/sub"), top, "sub"));
	json_object_put(ward_events());

	/* 2n + 5 below it, it is not: even reading is denied, EACCES. */
	EXPECT_EQ(EACCES, try_openat(sub, "file", O_RDONLY));
	EXPECT_EQ(EACCES, try_openat(sub, "file", O_WRONLY));
	array = ward_events();
	ev = find_denial(array, "open");
	ASSERT_NE(NULL, ev);
	EXPECT_STREQ("read", ev_str(ev, "access"));
	EXPECT_TRUE(json_object_get_boolean(
		json_object_object_get(ev, "walk_limit")));
	EXPECT_EQ(0, ev_num(ev, "label"));
	json_object_put(array);

	/* Moved back up, it is readable again (and can be removed). */
	ASSERT_EQ(0, renameat(top, "sub", AT_FDCWD, at(self, "open/sub")));
	EXPECT_EQ(0, try_openat(sub, "file", O_RDONLY));
	close(sub);
	close(top);
	expect_intact(_metadata, self);
}

/* Connects a TCP socket to 127.0.0.1:@port with IORING_OP_CONNECT. */
static int uring_connect(int port)
{
	struct sockaddr_in addr = {
		.sin_family = AF_INET,
		.sin_port = htons(port),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	struct io_uring_sqe sqe = {
		.opcode = IORING_OP_CONNECT,
		.addr = (uintptr_t)&addr,
		.off = sizeof(addr),
	};
	struct ring r;
	int err = ring_init(&r);

	if (err)
		return -err;
	sqe.fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (sqe.fd < 0) {
		err = errno;
		ring_exit(&r);
		return err;
	}
	err = -ring_run(&r, &sqe);
	close(sqe.fd);
	ring_exit(&r);
	return err;
}

static int plain_connect(int port)
{
	struct sockaddr_in addr = {
		.sin_family = AF_INET,
		.sin_port = htons(port),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), err;

	if (fd < 0)
		return errno;
	err = errno_of(connect(fd, (struct sockaddr *)&addr, sizeof(addr)));
	close(fd);
	return err;
}

/* The helper's operations of this program; the others are common.c's. */
static int evasion_helper(int argc, char **argv)
{
	struct ring r;
	int err;

	if (argc == 2 && !strcmp(argv[0], "uring-append")) {
		err = ring_init(&r);
		if (err)
			return -err;
		err = uring_open(&r, argv[1], O_WRONLY | O_APPEND);
		ring_exit(&r);
		return err ? err : try_append(argv[1], "helper\n");
	}
	if (argc == 2 && !strcmp(argv[0], "uring-connect"))
		return uring_connect(atoi(argv[1]));
	if (argc == 2 && !strcmp(argv[0], "connect"))
		return plain_connect(atoi(argv[1]));
	return helper_main(argc, argv);
}

TEST_F(evasion, io_uring_open_rename_unlink_are_denied)
{
	const char *why = uring_unavailable();
	struct ring r;

	if (why)
		SKIP(return, "%s", why);
	ASSERT_EQ(0, ring_init(&r));
	/* The same hooks as the system calls: EACCES. */
	EXPECT_EQ(EACCES, uring_open(&r, at(self, "protected"), O_WRONLY));
	EXPECT_EQ(EACCES, uring_open(&r, at(self, "tree/a/b/c/deep"),
				     O_RDWR | O_TRUNC));
	EXPECT_EQ(EACCES, uring_open(&r, at(self, "tree/a/b/new"),
				     O_WRONLY | O_CREAT | O_EXCL));
	EXPECT_EQ(EACCES, uring_rename(&r, at(self, "tree/a/b/c/deep"),
				       at(self, "open/deep")));
	EXPECT_EQ(EACCES, uring_rename(&r, at(self, "open/free"),
				       at(self, "etc/passwd")));
	EXPECT_EQ(EACCES, uring_unlink(&r, at(self, "tree/a/b/c/deep")));
	EXPECT_EQ(0, uring_open(&r, at(self, "protected"), O_RDONLY));
	ring_exit(&r);
	expect_intact(_metadata, self);
	/* The listed app, through io_uring too, may write. */
	EXPECT_EQ(0, run_helper(at(self, "writer"), "uring-append",
				at(self, "protected")));
	expect_content(_metadata, at(self, "protected"), "original\nhelper\n");
}

/* Brings the loopback interface up, as a VM without network has it down. */
static int loopback_up(void)
{
	struct ifreq ifr = { .ifr_name = "lo" };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), err = 0;

	if (fd < 0)
		return errno;
	if (ioctl(fd, SIOCGIFFLAGS, &ifr))
		err = errno;
	else if (!(ifr.ifr_flags & IFF_UP)) {
		ifr.ifr_flags |= IFF_UP;
		if (ioctl(fd, SIOCSIFFLAGS, &ifr))
			err = errno;
	}
	close(fd);
	return err;
}

/* A TCP socket listening on 127.0.0.1; *@port gets its port. */
static int listener(int *port)
{
	struct sockaddr_in addr = {
		.sin_family = AF_INET,
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	socklen_t len = sizeof(addr);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0 || bind(fd, (struct sockaddr *)&addr, sizeof(addr)) ||
	    listen(fd, 16) || getsockname(fd, (struct sockaddr *)&addr, &len))
		return -1;
	*port = ntohs(addr.sin_port);
	return fd;
}

/*
 * The files a confined copy of this program needs to run: the library
 * directories and the loader's cache, each inode once, as policy paths.
 */
static char *runtime_paths(void)
{
	static const char *const candidates[] = {
		"/lib", "/lib64", "/usr/lib", "/usr/lib64", "/etc/ld.so.cache",
	};
	struct stat seen[5];
	size_t n_seen = 0, len = 0;
	char *text = calloc(1, 1024);

	for (size_t i = 0; text && i < 5; i++) {
		struct stat st;
		bool dup = false;

		if (stat(candidates[i], &st))
			continue;
		for (size_t k = 0; k < n_seen; k++)
			dup |= seen[k].st_dev == st.st_dev &&
			       seen[k].st_ino == st.st_ino;
		if (dup)
			continue;
		seen[n_seen++] = st;
		len += snprintf(text + len, 1024 - len, " %s", candidates[i]);
	}
	return text;
}

TEST_F(evasion, io_uring_connect_of_confined_app_is_denied)
{
	const char *why = uring_unavailable();
	int ok_fd, denied_fd, ok_port, denied_port;
	char *runtime, *more, port[16];
	json_object *array, *ev;

	if (why)
		SKIP(return, "%s", why);
	ASSERT_EQ(0, loopback_up());
	ok_fd = listener(&ok_port);
	denied_fd = listener(&denied_port);
	ASSERT_LE(0, ok_fd);
	ASSERT_LE(0, denied_fd);
	ASSERT_EQ(0, copy_file("/proc/self/exe", at(self, "netapp")));
	runtime = runtime_paths();
	ASSERT_NE(NULL, runtime);
	ASSERT_LT(0, asprintf(&more,
			      "app netapp %s/netapp\n"
			      "files runtime %s/netapp%s\n"
			      "confine netapp\n"
			      "allow netapp read,exec runtime\n"
			      "allow netapp net connect tcp:%d\n",
			      self->dir, self->dir, runtime, ok_port));
	ASSERT_EQ(0, load(self, more));
	free(more);
	free(runtime);
	json_object_put(ward_events());

	/* The port it may connect to, with connect(2) and io_uring. */
	snprintf(port, sizeof(port), "%d", ok_port);
	EXPECT_EQ(0, run_helper(at(self, "netapp"), "connect", port));
	EXPECT_EQ(0, run_helper(at(self, "netapp"), "uring-connect", port));
	/* Another: EACCES, through io_uring as through connect(2). */
	snprintf(port, sizeof(port), "%d", denied_port);
	EXPECT_EQ(EACCES, run_helper(at(self, "netapp"), "connect", port));
	EXPECT_EQ(EACCES,
		  run_helper(at(self, "netapp"), "uring-connect", port));
	array = ward_events();
	ev = find_denial(array, "connect");
	ASSERT_NE(NULL, ev);
	EXPECT_EQ(denied_port, ev_num(ev, "port"));
	EXPECT_NE(0, ev_num(ev, "app"));
	json_object_put(array);
	/* This program is not confined: it connects anywhere. */
	EXPECT_EQ(0, plain_connect(denied_port));
	close(ok_fd);
	close(denied_fd);
}

/*
 * Ioctls that change an inode (its flags, attributes, version, verity or
 * encryption) through any descriptor, a read-only one too: writes.
 */
static const struct {
	const char *cmd, *name;
} inode_ioctls[] = {
	{ "40086602", "FS_IOC_SETFLAGS" },
	{ "40046602", "FS_IOC32_SETFLAGS" },
	{ "401c5820", "FS_IOC_FSSETXATTR" },
	{ "40087602", "FS_IOC_SETVERSION" },
	{ "40047602", "FS_IOC32_SETVERSION" },
	{ "40086604", "EXT4_IOC_SETVERSION" },
	{ "40046604", "EXT4_IOC32_SETVERSION" },
	{ "40806685", "FS_IOC_ENABLE_VERITY" },
	{ "800c6613", "FS_IOC_SET_ENCRYPTION_POLICY" },
	{ "4004f50d", "F2FS_IOC_SET_PIN_FILE" },
	{ "40047211", "FAT_IOCTL_SET_ATTRIBUTES" },
	{ "4008941a", "BTRFS_IOC_SUBVOL_SETFLAGS" },
};

/* ENOSYS, or killed by a signal: no 32-bit system calls here. */
static bool have_compat_syscalls(FIXTURE_DATA(evasion) * self)
{
	int err = run_op(NULL, NULL, "ioctl32", at(self, "open/free"),
			 "40046602", "0", NULL);

	return err != ENOSYS && err != -1;
}

TEST_F(evasion, ioctls_that_change_an_inode_are_writes)
{
	bool compat = have_compat_syscalls(self);

	for (size_t i = 0; i < sizeof(inode_ioctls) / sizeof(*inode_ioctls);
	     i++) {
		const char *cmd = inode_ioctls[i].cmd;
		pid_t pid;

		json_object_put(ward_events());
		EXPECT_EQ(EACCES,
			  run_op(&pid, NULL, "ioctl", at(self, "protected"),
				 cmd, "10", NULL))
		{
			TH_LOG("%s on a protected file", inode_ioctls[i].name);
		}
		EXPECT_EQ(1, denials_of(pid, "setattr"))
		{
			TH_LOG("%s was not reported", inode_ioctls[i].name);
		}
		if (!compat)
			continue;
		EXPECT_EQ(EACCES,
			  run_op(NULL, NULL, "ioctl32", at(self, "protected"),
				 cmd, "10", NULL))
		{
			TH_LOG("%s by a 32-bit process", inode_ioctls[i].name);
		}
	}
	EXPECT_EQ(0, inode_flags(at(self, "protected")) & FS_IMMUTABLE_FL);
	expect_intact(_metadata, self);
	if (!compat)
		SKIP(return,
			   "no 32-bit system calls (int $0x80) on this kernel");
}

TEST_F(evasion, compat_ioctl_cannot_make_a_protected_file_immutable)
{
	pid_t pid;

	if (!have_compat_syscalls(self))
		SKIP(return,
			   "no 32-bit system calls (int $0x80) on this kernel");
	json_object_put(ward_events());
	/* chattr +i as a 32-bit chattr does it, through a read-only fd. */
	EXPECT_EQ(EACCES, run_op(&pid, NULL, "ioctl32", at(self, "protected"),
				 "40046602", "10", NULL));
	EXPECT_EQ(1, denials_of(pid, "setattr"));
	/* FS_IOC_FSSETXATTR, the same number in 32 bits: FS_XFLAG_IMMUTABLE. */
	EXPECT_EQ(EACCES, run_op(NULL, NULL, "ioctl32", at(self, "protected"),
				 "401c5820", "8", NULL));
	EXPECT_EQ(0, inode_flags(at(self, "protected")) & FS_IMMUTABLE_FL);
	/* So the app that may write still can; and it may set flags. */
	EXPECT_EQ(0, run_op(NULL, at(self, "writer"), "ioctl32",
			    at(self, "protected"), "40046602", "0", NULL));
	EXPECT_EQ(0, run_op(NULL, at(self, "writer"), "open-write",
			    at(self, "protected"), NULL));
	expect_intact(_metadata, self);
}

/*
 * A POSIX ACL is a mode: setting or removing one (setxattr of
 * system.posix_acl_access, through inode_set_acl from 6.2) is a chmod,
 * and needs chmod rather than write.
 */
TEST_F(evasion, acls_are_chmod)
{
	pid_t pid;

	ASSERT_EQ(0, copy_file("/proc/self/exe", at(self, "moder")));
	ASSERT_EQ(0, load_fmt(self, "app moder %s\nallow moder chmod secret\n",
			      at(self, "moder")));
	json_object_put(ward_events());
	/* 0644 to 0666 as an ACL: neither unlisted nor with write alone. */
	EXPECT_EQ(EACCES, run_op(&pid, NULL, "setacl", at(self, "protected"),
				 "666", NULL));
	EXPECT_EQ(1, denials_of(pid, "chmod"));
	EXPECT_EQ(EACCES, run_op(NULL, at(self, "writer"), "setacl",
				 at(self, "protected"), "666", NULL));
	EXPECT_EQ(0644, mode_of(at(self, "protected")));
	/* The app that may chmod may set one, and remove it. */
	EXPECT_EQ(0, run_op(NULL, at(self, "moder"), "setacl-user",
			    at(self, "protected"), "640", NULL));
	EXPECT_EQ(0640, mode_of(at(self, "protected")));
	EXPECT_EQ(EACCES,
		  run_op(&pid, NULL, "removeacl", at(self, "protected"), NULL));
	EXPECT_EQ(1, denials_of(pid, "chmod"));
	EXPECT_EQ(EACCES, run_op(NULL, at(self, "writer"), "removeacl",
				 at(self, "protected"), NULL));
	EXPECT_EQ(0, run_op(NULL, at(self, "moder"), "removeacl",
			    at(self, "protected"), NULL));
	/* Other attributes are writes still. */
	EXPECT_EQ(EACCES,
		  run_op(NULL, at(self, "moder"), "setxattr",
			 at(self, "protected"), "trusted.ward", "x", NULL));
	EXPECT_EQ(0, run_op(NULL, at(self, "writer"), "setxattr",
			    at(self, "protected"), "trusted.ward", "x", NULL));
	expect_intact(_metadata, self);
}

/* Receives one descriptor from @sock: it, or -1; *@flags the msg_flags. */
static int receive_fd(int sock, int *flags)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} control = {};
	char byte;
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr msg = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = control.buf,
		.msg_controllen = sizeof(control.buf),
	};
	struct cmsghdr *cmsg;
	int fd = -1;

	if (recvmsg(sock, &msg, MSG_CMSG_CLOEXEC) < 0)
		return -1;
	*flags = msg.msg_flags;
	cmsg = CMSG_FIRSTHDR(&msg);
	if (cmsg && cmsg->cmsg_type == SCM_RIGHTS &&
	    cmsg->cmsg_len == CMSG_LEN(sizeof(int)))
		memcpy(&fd, CMSG_DATA(cmsg), sizeof(int));
	return fd;
}

TEST_F(evasion, descriptor_received_over_a_socket_is_checked)
{
	int sv[2], fd, flags = 0;
	json_object *events, *ev;

	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
	json_object_put(ward_events());
	/* The app that may write opens the file, and passes it on. */
	ASSERT_EQ(0, run_op(NULL, at(self, "writer"), "send-fd",
			    at(self, "protected"), "w", pid_str(sv[1]), NULL));
	fd = receive_fd(sv[0], &flags);
	EXPECT_EQ(-1, fd);
	EXPECT_TRUE(flags & MSG_CTRUNC);
	if (fd >= 0) {
		EXPECT_EQ(-1, write(fd, "evil\n", 5));
		close(fd);
	}
	events = ward_events();
	ev = event_find(events, "op", "receive", "pid", pid_str(getpid()),
			NULL);
	ASSERT_NE(NULL, ev);
	EXPECT_STREQ("denied", event_str(ev, "result"));
	EXPECT_STREQ("write", event_str(ev, "access"));
	EXPECT_EQ(1, event_num(ev, "label"));
	json_object_put(events);
	/* One to read it, which any may: received. */
	ASSERT_EQ(0, run_op(NULL, at(self, "writer"), "send-fd",
			    at(self, "protected"), "r", pid_str(sv[1]), NULL));
	fd = receive_fd(sv[0], &flags);
	EXPECT_LE(0, fd);
	if (fd >= 0)
		close(fd);
	close(sv[0]);
	close(sv[1]);
	expect_intact(_metadata, self);
}

/*
 * A named FIFO holds no data: what a received one reaches, its sender
 * chose (systemd-logind hands sshd the FIFO of each session it opens).
 * Opening it by its path is checked as any file.
 */
TEST_F(evasion, received_fifo_passes_its_path_does_not)
{
	int sv[2], rd, fd, flags = 0;

	ASSERT_EQ(0, ward_load_text(self->dir, "policy none 0.0.1\n"));
	ASSERT_EQ(0, mkfifo(at(self, "tree/a/fifo"), 0666));
	ASSERT_EQ(0, load(self, ""));
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
	/* A reader first, so that opening it for writing does not wait. */
	rd = open(at(self, "tree/a/fifo"), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	ASSERT_LE(0, rd);
	EXPECT_EQ(EACCES, try_open(at(self, "tree/a/fifo"), O_WRONLY));
	ASSERT_EQ(0, run_op(NULL, at(self, "writer"), "send-fd",
			    at(self, "tree/a/fifo"), "w", pid_str(sv[1]),
			    NULL));
	fd = receive_fd(sv[0], &flags);
	EXPECT_LE(0, fd);
	EXPECT_FALSE(flags & MSG_CTRUNC);
	if (fd >= 0) {
		EXPECT_EQ(2, write(fd, "x\n", 2));
		close(fd);
	}
	close(rd);
	close(sv[0]);
	close(sv[1]);
}

TEST_F(evasion, descriptor_taken_with_pidfd_getfd_is_checked)
{
	int ready[2], hold[2], remote = -1, pidfd, fd;
	pid_t holder;

	/* A process of no app opened it for writing before it was protected. */
	ASSERT_EQ(0, ward_load_text(self->dir, "policy none 0.0.1\n"));
	ASSERT_EQ(0, pipe2(ready, O_CLOEXEC));
	ASSERT_EQ(0, pipe2(hold, O_CLOEXEC));
	holder = fork();
	ASSERT_LE(0, holder);
	if (holder == 0) {
		char c;

		close(hold[1]);
		fd = open(at(self, "protected"), O_WRONLY | O_APPEND);
		if (write(ready[1], &fd, sizeof(fd)) != sizeof(fd) ||
		    read(hold[0], &c, 1) < 0)
			_exit(1);
		_exit(0);
	}
	ASSERT_EQ((ssize_t)sizeof(remote),
		  read(ready[0], &remote, sizeof(remote)));
	ASSERT_LE(0, remote);
	ASSERT_EQ(0, load(self, NULL));
	json_object_put(ward_events());
	/* Taking it is opening it for writing. */
	pidfd = syscall(SYS_pidfd_open, holder, 0);
	ASSERT_LE(0, pidfd);
	fd = syscall(SYS_pidfd_getfd, pidfd, remote, 0);
	EXPECT_EQ(-1, fd);
	EXPECT_EQ(EACCES, errno);
	if (fd >= 0) {
		EXPECT_EQ(-1, write(fd, "evil\n", 5));
		close(fd);
	}
	EXPECT_EQ(1, denials_of(getpid(), "receive"));
	close(pidfd);
	close(hold[1]);
	EXPECT_EQ(0, wait_exit(holder));
	close(hold[0]);
	close(ready[0]);
	close(ready[1]);
	expect_intact(_metadata, self);
}

/*
 * Overlayfs.  A kernel whose overlayfs is a module may need it loaded.
 */

static bool have_filesystem(const char *name)
{
	char *list = read_file("/proc/filesystems"), *line, *save;
	bool found = false;

	for (line = list ? strtok_r(list, "\n", &save) : NULL; line && !found;
	     line = strtok_r(NULL, "\n", &save)) {
		char *word = strrchr(line, '\t');

		found = !strcmp(word ? word + 1 : line, name);
	}
	free(list);
	return found;
}

static bool have_overlayfs(void)
{
	if (!have_filesystem("overlay") &&
	    system("modprobe overlay >/dev/null 2>&1") != -1)
		return have_filesystem("overlay");
	return true;
}

static int mount_overlay(FIXTURE_DATA(evasion) * self, const char *lower,
			 const char *upper, const char *work,
			 const char *target)
{
	char opts[3 * PATH_MAX + 64];

	snprintf(opts, sizeof(opts), "lowerdir=%s,upperdir=%s,workdir=%s",
		 lower, upper, work);
	return mount_at(self, "overlay", target, "overlay", 0, opts);
}

TEST_F(evasion, overlay_on_protected_lower_copies_up)
{
	if (!have_overlayfs())
		SKIP(return,
			   "overlayfs is not available (not built in, modprobe overlay failed)");
	private_mounts(_metadata);
	ASSERT_EQ(0, mkdir(at(self, "open/upper"), 0755));
	ASSERT_EQ(0, mkdir(at(self, "open/work"), 0755));
	ASSERT_EQ(0, mkdir(at(self, "open/merged"), 0755));
	/* The tree as a read-only layer: mounting elsewhere is allowed. */
	ASSERT_EQ(0, mount_overlay(
			     self, at(self, "tree"), at(self, "open/upper"),
			     at(self, "open/work"), at(self, "open/merged")));

	/* Writes go to a copy in the upper layer, not to the tree. */
	EXPECT_EQ(0, try_append(at(self, "open/merged/a/b/c/deep"), "evil\n"));
	expect_content(_metadata, at(self, "open/merged/a/b/c/deep"),
		       "deep\nevil\n");
	expect_content(_metadata, at(self, "open/upper/a/b/c/deep"),
		       "deep\nevil\n");
	EXPECT_EQ(0, try_open(at(self, "open/merged/a/b/new"),
			      O_WRONLY | O_CREAT | O_EXCL));
	EXPECT_EQ(0, access(at(self, "open/upper/a/b/new"), F_OK));
	EXPECT_EQ(0, errno_of(unlink(at(self, "open/merged/a/b/c/deep"))));
	EXPECT_EQ(-1, access(at(self, "open/merged/a/b/c/deep"), F_OK));
	expect_intact(_metadata, self);
}

TEST_F(evasion, overlay_over_protected_path_is_denied)
{
	if (!have_overlayfs())
		SKIP(return,
			   "overlayfs is not available (not built in, modprobe overlay failed)");
	/* In the initial namespace, which everyone sees: mount_test. */
	ASSERT_EQ(0, mkdir(at(self, "open/lower"), 0755));
	ASSERT_EQ(0, write_file(at(self, "open/lower/deep"), "evil\n"));
	ASSERT_EQ(0, mkdir(at(self, "open/upper"), 0755));
	ASSERT_EQ(0, mkdir(at(self, "open/work"), 0755));

	/* Mounted over the tree or in it, it would hide it: EACCES. */
	EXPECT_EQ(EACCES,
		  mount_overlay(self, at(self, "open/lower"),
				at(self, "open/upper"), at(self, "open/work"),
				at(self, "tree")));
	EXPECT_EQ(EACCES,
		  mount_overlay(self, at(self, "open/lower"),
				at(self, "open/upper"), at(self, "open/work"),
				at(self, "tree/a/b/c")));
	/* With the tree as its own lower layer, the same. */
	EXPECT_EQ(EACCES,
		  mount_overlay(self, at(self, "tree/a"),
				at(self, "open/upper"), at(self, "open/work"),
				at(self, "tree/a")));
	expect_intact(_metadata, self);
}

TEST_F(evasion, overlay_with_protected_upper_does_not_escape)
{
	int err;

	if (!have_overlayfs())
		SKIP(return,
			   "overlayfs is not available (not built in, modprobe overlay failed)");
	private_mounts(_metadata);
	ASSERT_EQ(0, mkdir(at(self, "open/lower"), 0755));
	ASSERT_EQ(0, write_file(at(self, "open/lower/evil"), "evil\n"));
	ASSERT_EQ(0, mkdir(at(self, "open/work"), 0755));
	ASSERT_EQ(0, mkdir(at(self, "open/merged"), 0755));

	/*
	 * The upper layer is written by the kernel on the mounter's behalf:
	 * every change through the overlay is a change to the protected
	 * directory.  Refusing the mount (EACCES) would do; otherwise each
	 * change must be refused.
	 */
	err = mount_overlay(self, at(self, "open/lower"), at(self, "tree/a"),
			    at(self, "open/work"), at(self, "open/merged"));
	if (err) {
		EXPECT_EQ(EACCES, err);
	} else {
		/*
		 * Before backing files (6.6), overlayfs opens an upper file
		 * under the overlay's path: a label the file inherits from
		 * the upper layer's directories cannot be found then (see
		 * Documentation/admin-guide.rst, known limits).
		 */
		if (kernel_has_symbol("backing_file_open")) {
			EXPECT_EQ(EACCES,
				  try_append(at(self, "open/merged/b/c/deep"),
					     "evil\n"));
		} else {
			TH_LOG("no backing files: content writes to the upper layer are a known gap");
		}
		EXPECT_EQ(EACCES, errno_of(mkdir(at(self, "open/merged/newdir"),
						 0755)));
		EXPECT_EQ(EACCES, try_open(at(self, "open/merged/newfile"),
					   O_WRONLY | O_CREAT | O_EXCL));
		EXPECT_EQ(EACCES,
			  errno_of(rename(at(self, "open/merged/b/c/deep"),
					  at(self, "open/merged/b/c/moved"))));
		EXPECT_EQ(EACCES,
			  errno_of(unlink(at(self, "open/merged/b/c/deep"))));
		/* A write to a lower file would copy it up into the tree. */
		EXPECT_EQ(EACCES,
			  try_append(at(self, "open/merged/evil"), "x\n"));
		EXPECT_EQ(EACCES,
			  errno_of(utimensat(AT_FDCWD,
					     at(self, "open/merged/evil"), NULL,
					     0)));
	}

	/* A labelled file in a directory of no label, the same. */
	ASSERT_EQ(0, mkdir(at(self, "open/merged2"), 0755));
	ASSERT_EQ(0, mkdir(at(self, "open/work2"), 0755));
	err = mount_overlay(self, at(self, "open/lower"), at(self, "etc"),
			    at(self, "open/work2"), at(self, "open/merged2"));
	if (err) {
		EXPECT_EQ(EACCES, err);
	} else {
		EXPECT_EQ(EACCES, try_append(at(self, "open/merged2/passwd"),
					     "evil\n"));
		EXPECT_EQ(EACCES,
			  errno_of(unlink(at(self, "open/merged2/passwd"))));
		EXPECT_EQ(EACCES,
			  errno_of(rename(at(self, "open/merged2/evil"),
					  at(self, "open/merged2/passwd"))));
	}
	unmount_all(self);
	/*
	 * Renaming a lower file copies it up first: into etc, which no label
	 * covers, so that is allowed; the rename over passwd is not.
	 */
	unlink(at(self, "etc/evil"));
	expect_intact(_metadata, self);
}

/*
 * Overlayfs changes the mode and owner of its upper layer's files through
 * notify_change() alone, as nfsd and ksmbd do: no path hook sees that, and
 * the inode hook must decide (and once, for a chmod the path hook saw).
 */
TEST_F(evasion, overlay_chmod_and_chown_of_protected_upper_are_denied)
{
	int err;
	pid_t pid;

	if (!have_overlayfs())
		SKIP(return,
			   "overlayfs is not available (not built in, modprobe overlay failed)");
	private_mounts(_metadata);
	ASSERT_EQ(0, mkdir(at(self, "open/lower"), 0755));
	ASSERT_EQ(0, mkdir(at(self, "open/work"), 0755));
	ASSERT_EQ(0, mkdir(at(self, "open/merged"), 0755));
	err = mount_overlay(self, at(self, "open/lower"), at(self, "etc"),
			    at(self, "open/work"), at(self, "open/merged"));
	if (err) {
		EXPECT_EQ(EACCES, err);
		return;
	}
	json_object_put(ward_events());
	EXPECT_EQ(EACCES, run_op(&pid, NULL, "chmod",
				 at(self, "open/merged/passwd"), "666", NULL));
	EXPECT_EQ(1, denials_of(pid, "chmod"));
	EXPECT_EQ(EACCES,
		  run_op(&pid, NULL, "chown", at(self, "open/merged/passwd"),
			 "65534", "-1", NULL));
	EXPECT_EQ(1, denials_of(pid, "chown"));
	/* chattr through the overlay: overlayfs asks file_ioctl on the upper. */
	EXPECT_EQ(EACCES, run_op(NULL, NULL, "setflags",
				 at(self, "open/merged/passwd"), "10", NULL));
	EXPECT_EQ(0, inode_flags(at(self, "etc/passwd")) & FS_IMMUTABLE_FL);
	unmount_all(self);
	EXPECT_EQ(0644, mode_of(at(self, "etc/passwd")));
	EXPECT_EQ(0, owner_of(at(self, "etc/passwd")));
	/* A chmod refused by its path hook is reported once, not twice. */
	EXPECT_EQ(EACCES, run_op(&pid, NULL, "chmod", at(self, "etc/passwd"),
				 "666", NULL));
	EXPECT_EQ(1, denials_of(pid, "chmod"));
	expect_intact(_metadata, self);
}

/*
 * open_by_handle_at() on a file system whose dentries can be dropped
 * (tmpfs pins them all), made on a loop device in a private namespace.
 */

FIXTURE(handle)
{
	struct scratch_disk disk;
};

FIXTURE_SETUP(handle)
{
	char *text;
	int err;

	err = scratch_disk_make(&self->disk, "handle");
	if (err > 0)
		return;
	ASSERT_EQ(0, err);
	ASSERT_EQ(0, copy_file("/proc/self/exe",
			       path_in(self->disk.dir, "writer")));
	ASSERT_EQ(0, write_file(in_mnt(self, "protected"), "original\n"));
	ASSERT_EQ(0, mkdir(in_mnt(self, "tree"), 0755));
	ASSERT_EQ(0, mkdir(in_mnt(self, "tree/a"), 0755));
	ASSERT_EQ(0, mkdir(in_mnt(self, "tree/a/b"), 0755));
	ASSERT_EQ(0, mkdir(in_mnt(self, "tree/a/b/c"), 0755));
	ASSERT_EQ(0, write_file(in_mnt(self, "tree/a/b/c/deep"), "deep\n"));
	ASSERT_LT(0, asprintf(&text,
			      "policy handle 1.0.0\n"
			      "files secret %s/protected\n"
			      "files tree %s/tree\n"
			      "app writer %s/writer\n"
			      "allow writer write secret tree\n"
			      "allow any read secret tree\n",
			      self->disk.mnt, self->disk.mnt, self->disk.dir));
	ASSERT_EQ(0, ward_load_text(self->disk.dir, text));
	free(text);
}

FIXTURE_TEARDOWN(handle)
{
	scratch_disk_remove(&self->disk);
}

/* A handle of @path; NULL on failure. */
static struct file_handle *handle_of(const char *path)
{
	struct file_handle *fh = calloc(1, sizeof(*fh) + MAX_HANDLE_SZ);
	int mount_id;

	if (!fh)
		return NULL;
	fh->handle_bytes = MAX_HANDLE_SZ;
	if (name_to_handle_at(AT_FDCWD, path, fh, &mount_id, 0)) {
		free(fh);
		return NULL;
	}
	return fh;
}

static int open_handle(int mount_fd, struct file_handle *fh, int flags)
{
	int fd = open_by_handle_at(mount_fd, fh, flags | O_CLOEXEC);

	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

/* Drops unused dentries and inodes: what is opened by handle next comes
 * back disconnected from its parents. */
static int drop_dentries(void)
{
	sync();
	return write_file("/proc/sys/vm/drop_caches", "2\n");
}

TEST_F(handle, open_by_handle_of_disconnected_file_is_denied)
{
	struct file_handle *deep, *own;
	json_object *array, *ev;
	char *text;
	int mount_fd;

	if (self->disk.skip[0])
		SKIP(return, "%s", self->disk.skip);
	deep = handle_of(in_mnt(self, "tree/a/b/c/deep"));
	own = handle_of(in_mnt(self, "protected"));
	ASSERT_NE(NULL, deep);
	ASSERT_NE(NULL, own);
	mount_fd = open(self->disk.mnt, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ASSERT_LE(0, mount_fd);
	json_object_put(ward_events());

	/*
	 * Deep in the tree, it carries no label of its own, and its
	 * ancestry cannot be walked: denied, and reported as such.
	 */
	ASSERT_EQ(0, drop_dentries());
	EXPECT_EQ(EACCES, open_handle(mount_fd, deep, O_WRONLY));
	array = ward_events();
	ev = find_denial(array, "open");
	ASSERT_NE(NULL, ev);
	EXPECT_STREQ("write", ev_str(ev, "access"));
	EXPECT_TRUE(json_object_get_boolean(
		json_object_object_get(ev, "walk_limit")))
	{
		TH_LOG("the dentry stayed connected: the test proved nothing");
	}
	json_object_put(array);
	/* A file labelled itself needs no walk: denied by its label. */
	ASSERT_EQ(0, drop_dentries());
	EXPECT_EQ(EACCES, open_handle(mount_fd, own, O_WRONLY));
	EXPECT_EQ(EACCES, open_handle(mount_fd, own, O_RDWR | O_TRUNC));
	close(mount_fd);

	text = read_file(in_mnt(self, "tree/a/b/c/deep"));
	ASSERT_NE(NULL, text);
	EXPECT_STREQ("deep\n", text);
	free(text);
	text = read_file(in_mnt(self, "protected"));
	ASSERT_NE(NULL, text);
	EXPECT_STREQ("original\n", text);
	free(text);
	free(deep);
	free(own);
}

WARD_TEST_MAIN_WITH(evasion_helper)
