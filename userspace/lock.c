// SPDX-License-Identifier: GPL-2.0
/*
 * ward - locked mode: see lock.h
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "change.h"
#include "lock.h"
#include "output.h"
#include "pin.h"
#include "system.h"

bool lock_break_glass(void)
{
	char line[4096], *save = NULL;

	if (read_line("/proc/cmdline", line, sizeof(line)))
		return false;
	for (char *w = strtok_r(line, " \t", &save); w;
	     w = strtok_r(NULL, " \t", &save))
		if (!strcmp(w, LOCK_CMDLINE))
			return true;
	return false;
}

static bool marked(const char *dir, const char *mark)
{
	char path[PATH_MAX];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", dir, mark);
	return !stat(path, &st);
}

__u32 lock_flags(const char *dir)
{
	return (marked(dir, LOCK_MARK_LOCKED) ? LOCK_LOCKED : 0) |
	       (marked(dir, LOCK_MARK_BREAK_GLASS) ? LOCK_BREAK_GLASS : 0);
}

int lock_mark(const char *dir, __u32 flags)
{
	char path[PATH_MAX];

	if (flags & LOCK_LOCKED) {
		snprintf(path, sizeof(path), "%s/%s", dir, LOCK_MARK_LOCKED);
		if (mkdir(path, 0500))
			return -errno;
	}
	if (flags & LOCK_BREAK_GLASS) {
		snprintf(path, sizeof(path), "%s/%s", dir,
			 LOCK_MARK_BREAK_GLASS);
		if (mkdir(path, 0500))
			return -errno;
	}
	return 0;
}

int lock_unmark(int dir_fd)
{
	static const char *const marks[] = { LOCK_MARK_LOCKED,
					     LOCK_MARK_BREAK_GLASS };

	for (size_t i = 0; i < sizeof(marks) / sizeof(*marks); i++)
		if (unlinkat(dir_fd, marks[i], AT_REMOVEDIR) && errno != ENOENT)
			return -errno;
	return 0;
}

int require_unlocked(__u32 op, const char *detail, const char *refused)
{
	if (!(lock_flags(WARD_PIN_DIR) & LOCK_LOCKED))
		return 0;
	change_report(-1, op, detail, -EPERM);
	return p_err(
		"ward is locked until the next boot: %s; to recover, boot with '%s' on the kernel command line",
		refused, LOCK_CMDLINE);
}
