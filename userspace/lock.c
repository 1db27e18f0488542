// SPDX-License-Identifier: GPL-2.0
/*
 * ward - locked mode: see lock.h
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>

#include "lock.h"
#include "output.h"
#include "pin.h"
#include "system.h"
#include "ward_abi.h"

bool lock_break_glass(void)
{
	char line[4096], *save = NULL;

	if (read_line("/proc/cmdline", line, sizeof(line)))
		return false;
	for (char *w = strtok_r(line, " \t", &save); w;
	     w = strtok_r(NULL, " \t", &save))
		if (!strcmp(w, LOCK_BREAK_GLASS))
			return true;
	return false;
}

int lock_flags(__u32 *flags)
{
	struct ward_state st;
	__u32 zero = 0;
	int fd = pin_open_map("ward_state");

	if (fd < 0)
		return -1;
	if (bpf_map_lookup_elem(fd, &zero, &st)) {
		close(fd);
		return p_err("cannot read ward_state: %s", strerror(errno));
	}
	close(fd);
	*flags = st.flags;
	return 0;
}

int require_unlocked(const char *refused)
{
	__u32 flags;

	if (lock_flags(&flags))
		return -1;
	if (flags & WARD_STATE_LOCKED)
		return p_err(
			"ward is locked until the next boot: %s; to recover, boot with '%s' on the kernel command line",
			refused, LOCK_BREAK_GLASS);
	return 0;
}
