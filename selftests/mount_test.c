// SPDX-License-Identifier: GPL-2.0
/*
 * ward selftests - mounts cannot hide, move away or uncover what a label
 * protects, whatever the flags or the API
 *
 * A mount on a labelled object, or on a directory above one, shows other
 * files at its path; unmounting, moving or pivoting away the mount that
 * holds it does too.  In the initial mount namespace, which every service
 * and login sees, or on a mount that propagates to it, every label beneath
 * counts; in another namespace only the view of its tasks changes, and
 * nothing is checked.
 *
 * The tree; each test starts in a mount namespace of its own, and goes
 * back to the initial one to try what a root shell there would:
 *
 *   DIR/etc/passwd   label "secret": only the app "writer" may write it
 *   DIR/etc/         no label: a directory above a labelled file
 *   DIR/open/        no label, nothing labelled beneath
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <json-c/json.h>

#include "common.h"
#include "harness.h"

FIXTURE(mounts)
{
	char dir[64];
	int initial; /* the initial mount namespace, to go back to */
	char src[64]; /* outside the tree, on a mount of no propagation */
};

static int load(FIXTURE_DATA(mounts) * self, const char *more)
{
	char *text;
	int status;

	if (asprintf(&text,
		     "policy mounts 1.0.0\n"
		     "files secret %s\n"
		     "app writer %s\n"
		     "allow writer write secret\n"
		     "allow any read secret\n"
		     "%s",
		     at(self, "etc/passwd"), at(self, "writer"), more) < 0)
		return -1;
	status = ward_load_text(self->dir, text);
	free(text);
	return status;
}

FIXTURE_SETUP(mounts)
{
	self->initial = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, self->initial);
	strcpy(self->dir, SCRATCH "/mounts-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	strcpy(self->src, SCRATCH "/mounts-src-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->src));
	ASSERT_EQ(0, mkdir(at(self, "etc"), 0755));
	ASSERT_EQ(0, write_file(at(self, "etc/passwd"), "root:x:0:0\n"));
	ASSERT_EQ(0, mkdir(at(self, "open"), 0755));
	ASSERT_EQ(0, mkdir(at(self, "open/a"), 0755));
	ASSERT_EQ(0, write_file(at(self, "open/free"), "free\n"));
	ASSERT_EQ(0, copy_file("/proc/self/exe", at(self, "writer")));
	ASSERT_EQ(0, load(self, ""));
	/* No mount of a test reaches the namespace the others run in. */
	ASSERT_EQ(0, unshare(CLONE_NEWNS));
	ASSERT_EQ(0, mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL));
}

FIXTURE_TEARDOWN(mounts)
{
	close(self->initial);
	ward_load_text(self->dir, "policy none 0.0.1\n");
	unmount_beneath(self->dir);
	unmount_beneath(self->src);
	remove_tree(self->dir);
	rmdir(self->src);
}

/* Back to the initial namespace, where a mount changes every task's view
 * (teardown unmounts what a test leaves there). */
static void to_initial(struct __test_metadata *_metadata,
		       FIXTURE_DATA(mounts) * self)
{
	ASSERT_EQ(0, setns(self->initial, CLONE_NEWNS));
}

static int errno_of_mount(const char *src, const char *dst, const char *type,
			  unsigned long flags)
{
	return errno_of(mount(src, dst, type, flags, NULL));
}

/* The passwd file is still there, as it was. */
static void expect_intact(struct __test_metadata *_metadata,
			  FIXTURE_DATA(mounts) * self)
{
	char *text = read_file(at(self, "etc/passwd"));

	EXPECT_NE(NULL, text);
	if (text)
		EXPECT_STREQ("root:x:0:0\n", text);
	free(text);
}

/*
 * The review's first finding: a propagation flag with MS_BIND made
 * sb_mount pass, while the kernel bound first.
 */
TEST_F(mounts, bind_with_a_propagation_flag_is_a_bind)
{
	static const unsigned long flags[] = { MS_PRIVATE, MS_SHARED, MS_SLAVE,
					       MS_UNBINDABLE, MS_REC };

	to_initial(_metadata, self);
	for (size_t i = 0; i < sizeof(flags) / sizeof(*flags); i++) {
		unsigned long f = MS_BIND | flags[i];

		EXPECT_EQ(EACCES, errno_of_mount(at(self, "open/free"),
						 at(self, "etc/passwd"), NULL,
						 f))
		{
			TH_LOG("flags %#lx", f);
		}
	}
	expect_intact(_metadata, self);
}

/*
 * The new mount API attaches in move_mount(): a new file system
 * (fsopen, fsmount) or a copy of a tree (open_tree) is checked where it
 * goes, as mount(2) is.
 */
TEST_F(mounts, new_mount_api_is_checked_as_mount)
{
	int fs, mnt, tree;

	to_initial(_metadata, self);
	fs = fsopen("tmpfs", FSOPEN_CLOEXEC);
	ASSERT_LE(0, fs);
	ASSERT_EQ(0, fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0));
	mnt = fsmount(fs, FSMOUNT_CLOEXEC, 0);
	ASSERT_LE(0, mnt);
	EXPECT_EQ(EACCES, errno_of(move_mount(mnt, "", AT_FDCWD,
					      at(self, "etc"),
					      MOVE_MOUNT_F_EMPTY_PATH)));
	tree = open_tree(AT_FDCWD, at(self, "open/free"),
			 OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
	ASSERT_LE(0, tree);
	EXPECT_EQ(EACCES, errno_of(move_mount(tree, "", AT_FDCWD,
					      at(self, "etc/passwd"),
					      MOVE_MOUNT_F_EMPTY_PATH)));
	expect_intact(_metadata, self);
	/* Where nothing labelled lies beneath, they attach. */
	EXPECT_EQ(0, errno_of(move_mount(mnt, "", AT_FDCWD,
					 at(self, "open/a"),
					 MOVE_MOUNT_F_EMPTY_PATH)));
	close(tree);
	close(mnt);
	close(fs);
}

/*
 * A remount, of a bind too (MS_REMOUNT | MS_BIND), changes a mount's
 * options, never what its paths name: the kernel decides MS_REMOUNT
 * before MS_BIND.
 */
TEST_F(mounts, remount_of_a_bind_binds_nothing)
{
	to_initial(_metadata, self);
	ASSERT_EQ(0, load(self, "allow any mount secret\n"));
	ASSERT_EQ(0, mount(at(self, "etc/passwd"), at(self, "etc/passwd"),
			   NULL, MS_BIND, NULL));
	ASSERT_EQ(0, load(self, ""));
	EXPECT_EQ(0, errno_of_mount(at(self, "open/free"),
				    at(self, "etc/passwd"), NULL,
				    MS_REMOUNT | MS_BIND | MS_RDONLY));
	expect_intact(_metadata, self);
	EXPECT_EQ(EROFS, try_open(at(self, "etc/passwd"), O_WRONLY));
}

/*
 * The review's twelfth: a mount on a directory above a labelled file (a
 * tmpfs, a bind, an overlay on /etc) replaces what every reader sees at
 * the file's path, in every namespace that shares it.
 */
TEST_F(mounts, mount_above_a_labelled_file_is_refused_where_shared)
{
	json_object *events, *ev;
	char opts[3 * PATH_MAX], ino[32];
	struct stat st;

	ASSERT_EQ(0, stat(at(self, "etc"), &st));
	snprintf(ino, sizeof(ino), "%llu", (unsigned long long)st.st_ino);
	to_initial(_metadata, self);
	json_object_put(ward_events());
	EXPECT_EQ(EACCES, errno_of_mount("tmpfs", at(self, "etc"), "tmpfs", 0));
	EXPECT_EQ(EACCES, errno_of_mount(at(self, "open"), at(self, "etc"),
					 NULL, MS_BIND));
	EXPECT_EQ(EACCES, errno_of_mount("tmpfs", self->dir, "tmpfs", 0));
	ASSERT_EQ(0, mkdir(at(self, "open/upper"), 0755));
	ASSERT_EQ(0, mkdir(at(self, "open/work"), 0755));
	snprintf(opts, sizeof(opts), "lowerdir=%s,upperdir=%s,workdir=%s",
		 at(self, "etc"), at(self, "open/upper"), at(self, "open/work"));
	EXPECT_EQ(EACCES, errno_of(mount("overlay", at(self, "etc"), "overlay",
					 0, opts)));
	expect_intact(_metadata, self);
	events = ward_events();
	ev = event_find(events, "op", "mount", "result", "denied", "ino", ino,
			NULL);
	ASSERT_NE(NULL, ev)
	{
		TH_LOG("events: %s", json_object_to_json_string(events));
	}
	EXPECT_TRUE(json_object_get_boolean(json_object_object_get(ev, "beneath")));
	json_object_put(events);

	/* Nothing labelled beneath: a mount goes. */
	EXPECT_EQ(0, errno_of_mount("tmpfs", at(self, "open/a"), "tmpfs", 0));
	EXPECT_EQ(0, umount2(at(self, "open/a"), 0));
}

TEST_F(mounts, mount_above_a_labelled_file_needs_mount_on_its_label)
{
	to_initial(_metadata, self);
	ASSERT_EQ(0, load(self, "allow any mount secret\n"));
	EXPECT_EQ(0, errno_of_mount("tmpfs", at(self, "etc"), "tmpfs", 0));
	EXPECT_EQ(0, umount2(at(self, "etc"), 0));
	expect_intact(_metadata, self);
}

/*
 * Unmounting what holds labelled objects in a namespace of one's own:
 * before 6.2 the parent mount, whose propagation decides, cannot be read,
 * and it is checked as in a shared one (admin guide, known limits).
 */
static int own_umount_errno(void)
{
	return kernel_has_symbol("bpf_rdonly_cast") ? 0 : EACCES;
}

/*
 * In a namespace of the caller's own, only its view changes, as when
 * systemd binds /etc onto itself for ProtectSystem=: labels go with the
 * inodes, whatever path shows them there.  Held open by another
 * descriptor (systemd holds one while it sets up), it is the same.
 */
TEST_F(mounts, own_namespace_changes_only_the_callers_view)
{
	int held = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);

	ASSERT_LE(0, held);
	EXPECT_EQ(0, errno_of_mount("tmpfs", at(self, "etc"), "tmpfs", 0));
	EXPECT_EQ(0, umount2(at(self, "etc"), 0));
	EXPECT_EQ(0, errno_of_mount(at(self, "etc"), at(self, "etc"), NULL,
				    MS_BIND));
	EXPECT_EQ(0, errno_of_mount(at(self, "open/free"),
				    at(self, "etc/passwd"), NULL, MS_BIND));
	EXPECT_EQ(0, umount2(at(self, "etc/passwd"), 0));
	EXPECT_EQ(own_umount_errno(), errno_of(umount2(at(self, "etc"), 0)));
	expect_intact(_metadata, self);
	close(held);
}

/*
 * A namespace of one's own is not private if its mounts are shared: a
 * mount there propagates to the peers, in the namespace everyone uses
 * (unshare -m --propagation unchanged, where / is shared).  Here the
 * peers are in the test's first namespace of its own.
 */
TEST_F(mounts, mount_that_propagates_is_refused_in_own_namespace)
{
	int outer;

	ASSERT_EQ(0, mount(self->dir, self->dir, NULL, MS_BIND, NULL));
	ASSERT_EQ(0, mount(NULL, self->dir, NULL, MS_SHARED, NULL));
	outer = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, outer);
	ASSERT_EQ(0, unshare(CLONE_NEWNS));
	EXPECT_EQ(EACCES, errno_of_mount("tmpfs", at(self, "etc"), "tmpfs", 0));
	EXPECT_EQ(EACCES, errno_of_mount(at(self, "open"), at(self, "etc"),
					 NULL, MS_BIND));
	/*
	 * A mount moved in from a private place (systemd's credentials):
	 * only where it lands counts.
	 */
	ASSERT_EQ(0, mount("tmpfs", self->src, "tmpfs", 0, NULL));
	EXPECT_EQ(EACCES, errno_of_mount(self->src, at(self, "etc"), NULL,
					 MS_MOVE));
	EXPECT_EQ(0, errno_of_mount(self->src, at(self, "open/a"), NULL,
				    MS_MOVE));
	EXPECT_EQ(0, umount2(at(self, "open/a"), 0));
	expect_intact(_metadata, self);
	/* Made private, it is the caller's view again. */
	ASSERT_EQ(0, mount(NULL, self->dir, NULL, MS_PRIVATE, NULL));
	EXPECT_EQ(0, errno_of_mount("tmpfs", at(self, "etc"), "tmpfs", 0));
	EXPECT_EQ(0, umount2(at(self, "etc"), 0));
	EXPECT_EQ(own_umount_errno(), errno_of(umount2(self->dir, MNT_DETACH)));
	close(outer);
}

/*
 * The review's ninth: unmounting a file system that holds labelled files
 * uncovers its mount point, where other files can be planted.
 */
TEST_F(mounts, unmount_of_a_labelled_file_system_is_refused)
{
	char mnt[PATH_MAX], *text;

	snprintf(mnt, sizeof(mnt), "%s", at(self, "disk"));
	ASSERT_EQ(0, mkdir(mnt, 0755));
	to_initial(_metadata, self);
	ASSERT_EQ(0, mount("tmpfs", mnt, "tmpfs", 0, NULL));
	ASSERT_EQ(0, write_file(path_in(mnt, "conf"), "original\n"));
	ASSERT_LE(0, asprintf(&text, "files disk %s\nallow any read disk\n",
			      mnt));
	ASSERT_EQ(0, load(self, text));
	free(text);

	EXPECT_EQ(EACCES, errno_of(umount2(mnt, 0)));
	EXPECT_EQ(EACCES, errno_of(umount2(mnt, MNT_DETACH)));
	text = read_file(path_in(mnt, "conf"));
	EXPECT_STREQ("original\n", text);
	free(text);
	/* Said so, it goes. */
	ASSERT_LE(0, asprintf(&text,
			      "files disk %s\nallow any read,mount disk\n",
			      mnt));
	ASSERT_EQ(0, load(self, text));
	free(text);
	EXPECT_EQ(0, errno_of(umount2(mnt, 0)));
}

/*
 * Moving away a mount that holds labelled files (mount --move, or
 * move_mount(2) of an attached mount) uncovers its mount point too.
 */
TEST_F(mounts, moving_a_mount_away_is_refused_where_shared)
{
	ASSERT_EQ(0, mkdir(at(self, "open/dst"), 0755));
	to_initial(_metadata, self);
	ASSERT_EQ(0, load(self, "allow any mount secret\n"));
	ASSERT_EQ(0, mount(at(self, "etc"), at(self, "etc"), NULL, MS_BIND,
			   NULL));
	ASSERT_EQ(0, load(self, ""));
	EXPECT_EQ(EACCES, errno_of_mount(at(self, "etc"), at(self, "open/dst"),
					 NULL, MS_MOVE));
	EXPECT_EQ(EACCES, errno_of(syscall(SYS_move_mount, AT_FDCWD,
					   at(self, "etc"), AT_FDCWD,
					   at(self, "open/dst"), 0)));
	EXPECT_EQ(EACCES, errno_of(umount2(at(self, "etc"), MNT_DETACH)));
	expect_intact(_metadata, self);
}

/* The root moved away hides every labelled file at once. */
TEST_F(mounts, pivot_root_is_refused_where_shared)
{
	to_initial(_metadata, self);
	ASSERT_EQ(0, mount("tmpfs", at(self, "open/a"), "tmpfs", 0, NULL));
	ASSERT_EQ(0, mkdir(at(self, "open/a/old"), 0755));
	EXPECT_EQ(EACCES, errno_of(syscall(SYS_pivot_root, at(self, "open/a"),
					   at(self, "open/a/old"))));
	expect_intact(_metadata, self);
}

WARD_TEST_MAIN
