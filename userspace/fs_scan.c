// SPDX-License-Identifier: GPL-2.0
/*
 * ward - what the file system says about labelled files, beyond their
 * own inodes
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/vfs.h>

#include "fs_scan.h"

/* Reads "MAJ:MIN" from @path into @dev. */
static bool read_devno(const char *path, dev_t *dev)
{
	unsigned int maj, min;
	FILE *f = fopen(path, "re");
	bool ok;

	if (!f)
		return false;
	ok = fscanf(f, "%u:%u", &maj, &min) == 2;
	fclose(f);
	if (ok)
		*dev = makedev(maj, min);
	return ok;
}

struct devices {
	dev_t seen[FS_SCAN_DEVICES_MAX];
	int n;
	void (*visit)(dev_t rdev, const char *backing, void *arg);
	void *arg;
};

static void visit_device(struct devices *d, dev_t dev, int depth);

/* The file system that holds @path, in turn. */
static void visit_file_of(struct devices *d, const char *path, int depth)
{
	struct stat st;

	if (!stat(path, &st))
		visit_device(d, st.st_dev, depth + 1);
}

/*
 * Whether one of the devices of the btrfs file system whose sysfs devices
 * directory is @devices is @dev; with @visit, visits them all.
 */
static bool btrfs_devices(struct devices *d, const char *devices, dev_t dev,
			  int depth, bool visit)
{
	char file[2 * PATH_MAX];
	struct dirent *de;
	bool found = false;
	DIR *dir;
	dev_t one;

	dir = opendir(devices);
	while (dir && (de = readdir(dir))) {
		snprintf(file, sizeof(file), "%s/%s/dev", devices, de->d_name);
		if (de->d_name[0] == '.' || !read_devno(file, &one))
			continue;
		found |= one == dev;
		if (visit)
			visit_device(d, one, depth + 1);
	}
	if (dir)
		closedir(dir);
	return found;
}

/* Every device of the btrfs file system that has the device @dev. */
static void visit_btrfs(struct devices *d, dev_t dev, int depth)
{
	char devices[PATH_MAX];
	struct dirent *fs;
	DIR *all;

	all = opendir("/sys/fs/btrfs");
	while (all && (fs = readdir(all))) {
		if (fs->d_name[0] == '.')
			continue;
		snprintf(devices, sizeof(devices), "/sys/fs/btrfs/%s/devices",
			 fs->d_name);
		if (btrfs_devices(d, devices, dev, depth, false)) {
			btrfs_devices(d, devices, dev, depth, true);
			break;
		}
	}
	if (all)
		closedir(all);
}

/* Visits each layer directory of overlay mount options @opts. */
static void visit_layers(struct devices *d, char *opts, int depth)
{
	static const char *const keys[] = { "lowerdir=", "upperdir=" };
	char *opt, *save, *dir, *save_dir;

	for (opt = strtok_r(opts, ",", &save); opt;
	     opt = strtok_r(NULL, ",", &save))
		for (size_t k = 0; k < 2; k++) {
			if (strncmp(opt, keys[k], strlen(keys[k])))
				continue;
			for (dir = strtok_r(opt + strlen(keys[k]), ":",
					    &save_dir);
			     dir; dir = strtok_r(NULL, ":", &save_dir))
				visit_file_of(d, dir, depth);
		}
}

/*
 * A file system whose st_dev is no block device (btrfs, overlayfs): its
 * devices from /proc/self/mountinfo, where its source names its device
 * (btrfs: then all of that file system's devices) or its options its
 * layers (overlayfs: then what holds each).
 */
static void visit_mount_sources(struct devices *d, dev_t dev, int depth)
{
	char *line = NULL, type[64], source[PATH_MAX], opts[4 * PATH_MAX];
	unsigned int maj, min;
	size_t size = 0;
	struct stat st;
	FILE *f;

	f = fopen("/proc/self/mountinfo", "re");
	while (f && getline(&line, &size, f) > 0) {
		char *tail = strstr(line, " - ");

		if (sscanf(line, "%*u %*u %u:%u", &maj, &min) != 2 ||
		    makedev(maj, min) != dev || !tail ||
		    sscanf(tail, " - %63s %4095s %16383s", type, source,
			   opts) != 3)
			continue;
		if (!strcmp(type, "overlay"))
			visit_layers(d, opts, depth);
		else if (source[0] == '/' && !stat(source, &st) &&
			 S_ISBLK(st.st_mode)) {
			if (!strcmp(type, "btrfs"))
				visit_btrfs(d, st.st_rdev, depth);
			else
				visit_device(d, st.st_rdev, depth + 1);
		}
		break;
	}
	free(line);
	if (f)
		fclose(f);
}

static void visit_device(struct devices *d, dev_t dev, int depth)
{
	char sys[PATH_MAX], path[2 * PATH_MAX], backing[PATH_MAX];
	struct dirent *de;
	DIR *dir;
	dev_t up;
	FILE *f;

	if (depth > 8 || d->n == FS_SCAN_DEVICES_MAX)
		return;
	for (int i = 0; i < d->n; i++)
		if (d->seen[i] == dev)
			return;
	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u", major(dev),
		 minor(dev));
	if (!realpath(path, sys)) {
		/* Not a block device: a file system on others, or on none. */
		visit_mount_sources(d, dev, depth);
		return;
	}
	d->seen[d->n++] = dev;

	backing[0] = '\0';
	snprintf(path, sizeof(path), "%s/loop/backing_file", sys);
	f = fopen(path, "re");
	if (f) {
		if (fgets(backing, sizeof(backing), f))
			backing[strcspn(backing, "\n")] = '\0';
		fclose(f);
	}
	d->visit(dev, backing[0] ? backing : NULL, d->arg);
	if (backing[0])
		visit_file_of(d, backing, depth);

	/* A partition's disk: the directory above it in sysfs. */
	snprintf(path, sizeof(path), "%s/partition", sys);
	if (!access(path, F_OK)) {
		snprintf(path, sizeof(path), "%s/../dev", sys);
		if (read_devno(path, &up))
			visit_device(d, up, depth + 1);
	}
	snprintf(path, sizeof(path), "%s/slaves", sys);
	dir = opendir(path);
	while (dir && (de = readdir(dir))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/slaves/%s/dev", sys,
			 de->d_name);
		if (read_devno(path, &up))
			visit_device(d, up, depth + 1);
	}
	if (dir)
		closedir(dir);
}

int fs_block_devices(dev_t dev,
		     void (*visit)(dev_t rdev, const char *backing, void *arg),
		     void *arg)
{
	struct devices d = { .visit = visit, .arg = arg };

	visit_device(&d, dev, 0);
	return d.n;
}

/* Kernel file systems with nothing a label could protect by name. */
static bool pseudo_fs(int fd)
{
	static const long types[] = { PROC_SUPER_MAGIC, SYSFS_MAGIC,
				      CGROUP_SUPER_MAGIC, CGROUP2_SUPER_MAGIC,
				      BPF_FS_MAGIC, DEBUGFS_MAGIC,
				      TRACEFS_MAGIC, SECURITYFS_MAGIC };
	struct statfs st;

	if (fstatfs(fd, &st))
		return true;
	for (size_t i = 0; i < sizeof(types) / sizeof(*types); i++)
		if (st.f_type == types[i])
			return true;
	return false;
}

struct scan {
	bool (*visit)(const char *path, const struct stat *st,
		      bool mount_root, void *arg);
	void *arg;
	size_t entries;
	int err;
};

static void scan_dir(struct scan *sc, int fd, const char *path, dev_t dev,
		     int depth)
{
	struct dirent *de;
	DIR *dir;

	if (depth > FS_SCAN_DEPTH_MAX) {
		sc->err = -E2BIG;
		close(fd);
		return;
	}
	if (pseudo_fs(fd)) {
		close(fd);
		return;
	}
	dir = fdopendir(fd);
	if (!dir) {
		close(fd);
		return;
	}
	while ((de = readdir(dir))) {
		char child[PATH_MAX];
		struct stat st;
		bool mount_root;
		int cfd;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (++sc->entries > FS_SCAN_ENTRIES_MAX) {
			sc->err = -E2BIG;
			break;
		}
		if (fstatat(dirfd(dir), de->d_name, &st, AT_SYMLINK_NOFOLLOW))
			continue;
		if (snprintf(child, sizeof(child), "%s/%s",
			     strcmp(path, "/") ? path : "", de->d_name) >=
		    (int)sizeof(child))
			continue;
		if (S_ISREG(st.st_mode) && st.st_nlink > 1) {
			sc->visit(child, &st, false, sc->arg);
			continue;
		}
		if (!S_ISDIR(st.st_mode))
			continue;
		mount_root = st.st_dev != dev;
		if (!sc->visit(child, &st, mount_root, sc->arg))
			continue;
		cfd = openat(dirfd(dir), de->d_name,
			     O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (cfd >= 0)
			scan_dir(sc, cfd, child, st.st_dev, depth + 1);
	}
	closedir(dir);
}

int fs_scan_tree(const char *dir,
		 bool (*visit)(const char *path, const struct stat *st,
			       bool mount_root, void *arg),
		 void *arg)
{
	struct scan sc = { .visit = visit, .arg = arg };
	struct stat st;
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return 0;
	if (fstat(fd, &st)) {
		close(fd);
		return 0;
	}
	scan_dir(&sc, fd, dir, st.st_dev, 0);
	return sc.err;
}
