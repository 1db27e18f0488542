/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ward - what the file system says about labelled files, beyond their
 * own inodes: the block devices that hold them, and the names and file
 * systems under a labelled directory that a label must reach
 */

#ifndef WARD_FS_SCAN_H
#define WARD_FS_SCAN_H

#include <stdbool.h>
#include <sys/stat.h>
#include <sys/types.h>

/* Most block devices visited behind one file system. */
#define FS_SCAN_DEVICES_MAX 64
/* Most entries looked at under one directory, and how deep. */
#define FS_SCAN_ENTRIES_MAX 1000000
#define FS_SCAN_DEPTH_MAX 64

/**
 * fs_block_devices - the block devices whose writing changes the files of
 * the file system on @dev
 * @dev: a file system's st_dev
 * @visit: called with each device number (userspace dev_t); for a loop
 *         device, with its backing file's path too (else NULL)
 * @arg: for @visit
 *
 * The device itself, the disk of a partition, the devices under a
 * device-mapper or md device (its "slaves"), and the file behind a loop
 * device and, in turn, what holds that file; from /sys/dev/block.  For a
 * file system whose st_dev is no block device, what /proc/self/mountinfo
 * says: every device of a btrfs file system, what holds each layer of an
 * overlay.  One on no block device at all (tmpfs, proc) has none.
 *
 * Return: the number of devices visited.
 */
int fs_block_devices(dev_t dev,
		     void (*visit)(dev_t rdev, const char *backing, void *arg),
		     void *arg);

/**
 * fs_scan_tree - what under @dir a label must reach by inode
 * @dir: a directory
 * @visit: called with each directory below @dir, @mount_root set for one
 *         that is the root of another file system (whose files' ancestry
 *         stops there), and returning false to skip its contents; and with
 *         each regular file that has more than one name (a name elsewhere
 *         would escape the directory's label)
 * @arg: for @visit
 *
 * Symbolic links are not followed; proc, sysfs and the like are not
 * entered.  At most FS_SCAN_ENTRIES_MAX entries, FS_SCAN_DEPTH_MAX deep.
 *
 * Return: 0, or -E2BIG when a limit cut the scan short.
 */
int fs_scan_tree(const char *dir,
		 bool (*visit)(const char *path, const struct stat *st,
			       bool mount_root, void *arg),
		 void *arg);

#endif /* WARD_FS_SCAN_H */
