// SPDX-License-Identifier: GPL-2.0
/*
 * ward - ward's objects pinned in the BPF file system
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <bpf/bpf.h>

#include "output.h"
#include "lock.h"
#include "pin.h"
#include "ward_abi.h"

bool ward_running(void)
{
	struct stat st;

	return !stat(WARD_PIN_DIR, &st);
}

/*
 * Does the running ward speak this binary's ABI?  Every version of ward
 * keeps the version first in ward_info's value; a value of another size
 * is another ABI too.  Asked and reported once; 0 when ward_info cannot
 * be opened, which the caller reports.
 */
static int check_abi(void)
{
	static int known; /* 1: the same ABI, -1: another (reported) */
	struct bpf_map_info info = {};
	__u32 len = sizeof(info), zero = 0, abi = 0;
	void *value = NULL;
	char path[256];
	int fd, err = 0;

	if (known)
		return known > 0 ? 0 : -1;
	snprintf(path, sizeof(path), "%s/%s/ward_info", WARD_PIN_DIR,
		 WARD_PIN_MAPS);
	fd = bpf_obj_get(path);
	if (fd < 0)
		return 0;
	if (bpf_map_get_info_by_fd(fd, &info, &len) ||
	    info.value_size < sizeof(abi) ||
	    !(value = calloc(1, info.value_size)) ||
	    bpf_map_lookup_elem(fd, &zero, value)) {
		err = p_err("cannot read %s: %s", path, strerror(errno));
		goto out;
	}
	memcpy(&abi, value, sizeof(abi));
	if (abi != WARD_ABI_VERSION ||
	    info.value_size != sizeof(struct ward_policy_info))
		err = p_err(
			"the running ward has ABI version %u, this ward binary %u: restart it with this binary ('ward stop', then 'ward start'), or reboot",
			abi, WARD_ABI_VERSION);
out:
	free(value);
	close(fd);
	known = err ? -1 : 1;
	return err;
}

int pin_get_map(const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s/%s", WARD_PIN_DIR, WARD_PIN_MAPS,
		 name);
	return bpf_obj_get(path);
}

int pin_open_map(const char *name)
{
	int fd;

	if (check_abi())
		return -1;
	fd = pin_get_map(name);
	if (fd < 0) {
		if (errno == ENOENT && !ward_running())
			return p_err(
				"ward is not running: start it with 'ward start POLICY'");
		return p_err("cannot open %s/%s/%s: %s", WARD_PIN_DIR,
			     WARD_PIN_MAPS, name, strerror(errno));
	}
	return fd;
}

size_t pin_links(struct pinned_link *links, size_t max)
{
	char path[512];
	struct dirent *de;
	size_t n = 0;
	DIR *dir;

	snprintf(path, sizeof(path), "%s/%s", WARD_PIN_DIR, WARD_PIN_LINKS);
	dir = opendir(path);
	if (!dir)
		return 0;
	while ((de = readdir(dir)) && n < max) {
		struct pinned_link *link = &links[n];
		struct bpf_link_info info = {};
		__u32 len = sizeof(info);
		int fd;

		if (de->d_name[0] == '.')
			continue;
		memset(link, 0, sizeof(*link));
		snprintf(link->name, sizeof(link->name), "%s", de->d_name);
		snprintf(path, sizeof(path), "%s/%s/%s", WARD_PIN_DIR,
			 WARD_PIN_LINKS, de->d_name);
		fd = bpf_obj_get(path);
		if (fd >= 0 && !bpf_link_get_info_by_fd(fd, &info, &len)) {
			link->attached = true;
			link->link_id = info.id;
			link->prog_id = info.prog_id;
		}
		if (fd >= 0)
			close(fd);
		n++;
	}
	closedir(dir);
	return n;
}

static int remove_dir(int parent, const char *name)
{
	int fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct dirent *de;
	int err = 0;
	DIR *dir;

	if (fd < 0)
		return errno == ENOENT ? 0 : -errno;
	dir = fdopendir(fd);
	if (!dir) {
		close(fd);
		return -errno;
	}
	while ((de = readdir(dir)))
		if (de->d_name[0] != '.' && unlinkat(fd, de->d_name, 0))
			err = -errno;
	closedir(dir);
	if (unlinkat(parent, name, AT_REMOVEDIR) && !err)
		err = -errno;
	return err;
}

int pin_remove(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int err;

	if (fd < 0)
		return -errno;
	err = remove_dir(fd, WARD_PIN_LINKS);
	if (!err)
		err = remove_dir(fd, WARD_PIN_MAPS);
	if (!err)
		err = lock_unmark(fd);
	close(fd);
	if (!err && rmdir(path))
		err = -errno;
	return err;
}
