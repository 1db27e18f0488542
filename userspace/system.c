// SPDX-License-Identifier: GPL-2.0
/*
 * ward - what ward needs from the running system
 */

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <linux/magic.h>
#include <sys/vfs.h>

#include "output.h"
#include "system.h"

int require_root(void)
{
	if (geteuid() != 0)
		return p_err(
			"must be run as root: ward loads BPF programs and manages %s",
			BPFFS_PATH);
	return 0;
}

int require_bpffs(void)
{
	struct statfs st;

	if (statfs(BPFFS_PATH, &st) || st.f_type != BPF_FS_MAGIC)
		return p_err(
			"no BPF file system at %s: mount it with 'mount -t bpf bpf %s'",
			BPFFS_PATH, BPFFS_PATH);
	return 0;
}

int read_line(const char *path, char *buf, size_t size)
{
	ssize_t len;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	len = read(fd, buf, size - 1);
	close(fd);
	if (len < 0)
		return -errno;
	buf[len] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

int lsm_list(char *buf, size_t size)
{
	return read_line(LSM_LIST_PATH, buf, size);
}

bool lsm_list_has_bpf(const char *list)
{
	size_t len = strlen(list);

	for (const char *s = list; s < list + len;) {
		size_t n = strcspn(s, ",");

		if (n == 3 && !strncmp(s, "bpf", 3))
			return true;
		s += n + 1;
	}
	return false;
}

int require_bpf_lsm(void)
{
	char list[512];
	int err = lsm_list(list, sizeof(list));

	if (err)
		return p_err(
			"cannot read %s (%s): mount securityfs with 'mount -t securityfs securityfs /sys/kernel/security'",
			LSM_LIST_PATH, strerror(-err));
	if (!lsm_list_has_bpf(list))
		return p_err(
			"the BPF LSM is not active (active: %s): add bpf to the lsm= kernel parameter and reboot",
			list);
	return 0;
}
