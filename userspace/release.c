// SPDX-License-Identifier: GPL-2.0
/*
 * ward - taking ward's programs out of the kernel, and knowing when they
 * are out
 */

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>

#include "pin.h"
#include "release.h"
#include "system.h"

/* The map every program of ward's uses: see policy.bpf.h. */
#define WARD_POLICY_MAP "ward_policy"
#define POLICY_MAPS_MAX 16
#define PROG_MAPS_MAX 64

int release_dir(const char *dir)
{
	char path[PATH_MAX];
	struct dirent *de;
	int *fds = NULL;
	size_t n = 0;
	DIR *links;
	int err;

	snprintf(path, sizeof(path), "%s/%s", dir, WARD_PIN_LINKS);
	links = opendir(path);
	if (!links && errno != ENOENT)
		return -errno;
	while (links && (de = readdir(links))) {
		int *more;

		if (de->d_name[0] == '.')
			continue;
		more = realloc(fds, (n + 1) * sizeof(*fds));
		if (!more)
			break; /* those not held detach later, all the same */
		fds = more;
		snprintf(path, sizeof(path), "%s/%s/%s", dir, WARD_PIN_LINKS,
			 de->d_name);
		fds[n++] = bpf_obj_get(path);
	}
	if (links)
		closedir(links);
	err = pin_remove(dir);
	/* The last reference: the links detach in these close()s. */
	for (size_t i = 0; i < n; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	free(fds);
	return err;
}

static bool pid_alive(pid_t pid)
{
	return pid > 0 && (!kill(pid, 0) || errno != ESRCH);
}

int release_stale(int *busy_pid)
{
	static const char *const prefixes[] = { RELEASE_STAGING_PREFIX,
						RELEASE_STOPPING_PREFIX };
	struct dirent *de;
	int released = 0;
	DIR *dir;

	*busy_pid = 0;
	dir = opendir(BPFFS_PATH);
	if (!dir)
		return -errno;
	while ((de = readdir(dir))) {
		char path[PATH_MAX];
		size_t len;
		pid_t pid;

		for (size_t i = 0; i < 2; i++) {
			len = strlen(prefixes[i]);
			if (strncmp(de->d_name, prefixes[i], len))
				continue;
			pid = atoi(de->d_name + len);
			if (pid_alive(pid)) {
				if (i == 0)
					*busy_pid = pid;
				break;
			}
			snprintf(path, sizeof(path), "%s/%s", BPFFS_PATH,
				 de->d_name);
			if (!release_dir(path))
				released++;
			break;
		}
	}
	closedir(dir);
	return released;
}

/*
 * The ids of the maps named WARD_POLICY_MAP, one per ward loaded: their
 * number, or -errno.
 */
static int policy_maps(__u32 *ids, int max)
{
	__u32 id = 0;
	int n = 0;

	while (n < max) {
		if (bpf_map_get_next_id(id, &id))
			return errno == ENOENT ? n : -errno;
		struct bpf_map_info info = {};
		__u32 len = sizeof(info);
		int fd = bpf_map_get_fd_by_id(id);

		if (fd < 0)
			continue;
		if (!bpf_map_get_info_by_fd(fd, &info, &len) &&
		    !strcmp(info.name, WARD_POLICY_MAP))
			ids[n++] = id;
		close(fd);
	}
	return n;
}

static bool prog_uses(__u32 prog_id, const __u32 *maps, int n_maps)
{
	__u32 map_ids[PROG_MAPS_MAX], len;
	struct bpf_prog_info info;
	bool found = false;
	int fd;

	fd = bpf_prog_get_fd_by_id(prog_id);
	if (fd < 0)
		return false;
	memset(&info, 0, sizeof(info));
	info.nr_map_ids = PROG_MAPS_MAX;
	info.map_ids = (__u64)(unsigned long)map_ids;
	len = sizeof(info);
	if (!bpf_prog_get_info_by_fd(fd, &info, &len))
		for (__u32 i = 0; i < info.nr_map_ids && i < PROG_MAPS_MAX;
		     i++)
			for (int j = 0; j < n_maps; j++)
				found |= map_ids[i] == maps[j];
	close(fd);
	return found;
}

/* The program @link_id attaches, or 0 if the link is gone. */
static __u32 link_prog(__u32 link_id)
{
	struct bpf_link_info info = {};
	__u32 len = sizeof(info);
	int fd = bpf_link_get_fd_by_id(link_id);

	if (fd < 0)
		return 0;
	if (bpf_link_get_info_by_fd(fd, &info, &len))
		info.prog_id = 0;
	close(fd);
	return info.prog_id;
}

/* How many links attach programs of ward's, or -errno. */
static int ward_links(void)
{
	__u32 maps[POLICY_MAPS_MAX], id = 0;
	int n_maps = policy_maps(maps, POLICY_MAPS_MAX);
	int n = 0;

	if (n_maps <= 0)
		return n_maps;
	while (!bpf_link_get_next_id(id, &id)) {
		__u32 prog = link_prog(id);

		n += prog && prog_uses(prog, maps, n_maps);
	}
	return errno == ENOENT ? n : -errno;
}

int release_wait(void)
{
	unsigned int waited = 0, delay = 1;
	int n;

	/* Mostly over at once: a link held elsewhere detaches when closed. */
	while ((n = ward_links()) > 0) {
		if (waited >= RELEASE_TIMEOUT_MS)
			return -ETIMEDOUT;
		usleep(delay * 1000);
		waited += delay;
		delay = delay < 64 ? delay * 2 : 100;
	}
	return n;
}
