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
	if (!realpath(path, sys))
		return; /* not a block device */
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
