// SPDX-License-Identifier: GPL-2.0
/*
 * ward selftests - the storage under labelled files is itself protected
 *
 * The review's eleventh finding: writing the block device under a
 * protected file system (or debugfs -w) rewrote a protected file without
 * a single file hook.  The block devices that hold labelled files, by
 * whatever node they are opened, and a loop device's backing file carry
 * the built-in label "storage", which nobody may read or write unless a
 * rule names it.
 *
 * The tree, in a mount namespace of the test's own:
 *
 *   DIR/image      an ext2 image, the backing file of a loop device
 *   DIR/mnt/       the image mounted; DIR/mnt/conf has the label "disk"
 *   DIR/tool       a copy of this program, the app "tool"
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <json-c/json.h>

#include "common.h"
#include "harness.h"

FIXTURE(storage)
{
	char dir[64];
	char dev[64]; /* the loop device under DIR/mnt */
	char skip[128];
};

static int load(FIXTURE_DATA(storage) * self, const char *more)
{
	char *text;
	int status;

	if (asprintf(&text,
		     "policy storage 1.0.0\n"
		     "files disk %s\n"
		     "app tool %s\n"
		     "allow any read disk\n"
		     "%s",
		     at(self, "mnt/conf"), at(self, "tool"), more) < 0)
		return -1;
	status = ward_load_text(self->dir, text);
	free(text);
	return status;
}

/* The /dev node of the block device @dev, from sysfs, into @buf. */
static int dev_node(dev_t dev, char *buf, size_t size)
{
	char path[64], *uevent, *name;

	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u/uevent", major(dev),
		 minor(dev));
	uevent = read_file(path);
	name = uevent ? strstr(uevent, "DEVNAME=") : NULL;
	if (!name) {
		free(uevent);
		return -ENOENT;
	}
	name += strlen("DEVNAME=");
	name[strcspn(name, "\n")] = 0;
	snprintf(buf, size, "/dev/%s", name);
	free(uevent);
	return 0;
}

FIXTURE_SETUP(storage)
{
	struct stat st;
	int err;

	strcpy(self->dir, SCRATCH "/storage-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	err = mount_scratch_ext2(self->dir, at(self, "mnt"), self->skip,
				 sizeof(self->skip));
	if (err > 0)
		return;
	ASSERT_EQ(0, err);
	ASSERT_EQ(0, write_file(at(self, "mnt/conf"), "original\n"));
	ASSERT_EQ(0, stat(at(self, "mnt"), &st));
	ASSERT_EQ(0, dev_node(st.st_dev, self->dev, sizeof(self->dev)));
	ASSERT_EQ(0, copy_file("/proc/self/exe", at(self, "tool")));
	ASSERT_EQ(0, load(self, ""));
}

FIXTURE_TEARDOWN(storage)
{
	ward_load_text(self->dir, "policy none 0.0.1\n");
	remove_tree(self->dir);
}

#define SKIP_WITHOUT_DISK()                        \
	do {                                       \
		if (self->skip[0])                 \
			SKIP(return, "%s", self->skip); \
	} while (0)

TEST_F(storage, block_device_under_a_labelled_file_is_protected)
{
	json_object *events, *ev;

	SKIP_WITHOUT_DISK();
	json_object_put(ward_events());
	EXPECT_EQ(EACCES, try_open(self->dev, O_WRONLY));
	EXPECT_EQ(EACCES, try_open(self->dev, O_RDONLY));
	events = ward_events();
	ev = event_find(events, "op", "open", "result", "denied", "path",
			self->dev, NULL);
	EXPECT_NE(NULL, ev)
	{
		TH_LOG("events: %s", json_object_to_json_string(events));
	}
	json_object_put(events);
}

/* Labelled files on an overlay: the devices under its layers. */
TEST_F(storage, block_device_under_an_overlay_is_protected)
{
	char opts[3 * PATH_MAX], *text;

	SKIP_WITHOUT_DISK();
	ASSERT_EQ(0, mkdir(at(self, "mnt/lower"), 0755));
	ASSERT_EQ(0, mkdir(at(self, "mnt/upper"), 0755));
	ASSERT_EQ(0, mkdir(at(self, "mnt/work"), 0755));
	ASSERT_EQ(0, mkdir(at(self, "ov"), 0755));
	ASSERT_EQ(0, write_file(at(self, "mnt/lower/conf"), "lower\n"));
	snprintf(opts, sizeof(opts), "lowerdir=%s,upperdir=%s,workdir=%s",
		 at(self, "mnt/lower"), at(self, "mnt/upper"),
		 at(self, "mnt/work"));
	ASSERT_EQ(0, mount("overlay", at(self, "ov"), "overlay", 0, opts));
	/* Only the overlay's file is named. */
	ASSERT_LE(0, asprintf(&text,
			      "policy storage 1.0.1\n"
			      "files disk %s\n"
			      "allow any read disk\n",
			      at(self, "ov/conf")));
	ASSERT_EQ(0, ward_load_text(self->dir, text));
	free(text);
	EXPECT_EQ(EACCES, try_open(self->dev, O_WRONLY));
	EXPECT_EQ(EACCES, try_open(at(self, "image"), O_WRONLY));
	EXPECT_EQ(EACCES, try_open(at(self, "ov/conf"), O_WRONLY));
}

/* A block device is labelled by its number, not by its node. */
TEST_F(storage, another_node_of_the_device_is_protected)
{
	struct stat st;

	SKIP_WITHOUT_DISK();
	ASSERT_EQ(0, stat(self->dev, &st));
	ASSERT_EQ(0, mknod(at(self, "node"), S_IFBLK | 0600, st.st_rdev));
	EXPECT_EQ(EACCES, try_open(at(self, "node"), O_RDWR));
}

TEST_F(storage, backing_file_of_the_loop_device_is_protected)
{
	SKIP_WITHOUT_DISK();
	EXPECT_EQ(EACCES, try_open(at(self, "image"), O_WRONLY));
	EXPECT_EQ(EACCES, try_open(at(self, "image"), O_RDONLY));
}

/* fsck, mkfs, a backup tool: the policy names them. */
TEST_F(storage, app_granted_storage_may_use_it)
{
	char *text;

	SKIP_WITHOUT_DISK();
	ASSERT_EQ(0, load(self, "allow tool read,write storage\n"));
	EXPECT_EQ(0, run_op(NULL, at(self, "tool"), "open-write", self->dev,
			    NULL));
	EXPECT_EQ(0, run_op(NULL, at(self, "tool"), "read", self->dev, NULL));
	EXPECT_EQ(EACCES, try_open(self->dev, O_WRONLY));
	text = read_file(at(self, "mnt/conf"));
	EXPECT_STREQ("original\n", text);
	free(text);
}

/* Devices under no labelled file are none of ward's business. */
TEST_F(storage, other_block_devices_are_not_protected)
{
	char dev[64];
	int loop;

	SKIP_WITHOUT_DISK();
	ASSERT_EQ(0, write_file(at(self, "other"), ""));
	ASSERT_EQ(0, truncate(at(self, "other"), 1 << 20));
	loop = loop_attach(at(self, "other"), dev, sizeof(dev));
	ASSERT_LE(0, loop);
	/* Attached when the policy loads, yet under nothing labelled. */
	ASSERT_EQ(0, load(self, ""));
	EXPECT_EQ(0, try_open(dev, O_RDWR));
	EXPECT_EQ(0, try_open(at(self, "other"), O_RDWR));
	close(loop);
}

WARD_TEST_MAIN
