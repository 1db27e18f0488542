// SPDX-License-Identifier: GPL-2.0
/*
 * ward - telling the security log who changed ward (GB/T 39276 5.1.1.3 a:
 * the subject of each configuration change)
 *
 * ward's commands queue who started, stopped, loaded a policy or changed
 * the mode, or was refused it, in the pinned ward_changes map.  Only ward
 * may open ward's maps (guard.bpf.c), so the entries are not forged; they
 * wait in the kernel until ward logd records them.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>

#include "change.h"
#include "pin.h"
#include "system.h"

/* /proc/self/loginuid and sessionid: unset is 4294967295 there too. */
static __u32 self_audit_id(const char *name)
{
	char path[64], buf[32];

	snprintf(path, sizeof(path), "/proc/self/%s", name);
	if (read_line(path, buf, sizeof(buf)))
		return (__u32)-1;
	return (__u32)strtoul(buf, NULL, 10);
}

void change_report(int fd, __u32 op, const char *detail, int error)
{
	struct ward_change c = {
		.pid = getpid(),
		.uid = getuid(),
		.loginuid = self_audit_id("loginuid"),
		.sessionid = self_audit_id("sessionid"),
		.op = op,
		.error = error,
	};
	struct timespec ts;
	int own = -1;

	clock_gettime(CLOCK_REALTIME, &ts);
	c.time_ns = ts.tv_sec * 1000000000ULL + ts.tv_nsec;
	if (detail)
		snprintf(c.detail, sizeof(c.detail), "%s", detail);
	if (fd < 0) {
		fd = own = pin_get_map("ward_changes");
		if (fd < 0)
			return;
	}
	/* Full (no daemon for long): the oldest entry gives way. */
	bpf_map_update_elem(fd, NULL, &c, BPF_EXIST);
	if (own >= 0)
		close(own);
}
