// SPDX-License-Identifier: GPL-2.0
/*
 * ward - hooks on mounts: mounting over a protected object would hide it
 * behind another file system, so it is a write to the mount point
 */

#define WARD_OBJECT mount
#include "decide.bpf.h"
#include <bpf/bpf_tracing.h>

#define MS_REMOUNT 32
#define MS_UNBINDABLE (1 << 17)
#define MS_PRIVATE (1 << 18)
#define MS_SLAVE (1 << 19)
#define MS_SHARED (1 << 20)

char LICENSE[] SEC("license") = "GPL";

static __always_inline int check_mountpoint(const struct path *path)
{
	return decide_file(WARD_OP_MOUNT, WARD_ACCESS_WRITE, path->dentry, NULL,
			   path, false);
}

SEC("lsm/sb_mount")
int BPF_PROG(hook_sb_mount, const char *dev_name, const struct path *path,
	     const char *type, unsigned long flags, void *data)
{
	/* Changing a mount's options or propagation covers nothing new. */
	if (flags &
	    (MS_REMOUNT | MS_SHARED | MS_PRIVATE | MS_SLAVE | MS_UNBINDABLE))
		return 0;
	return check_mountpoint(path);
}

SEC("lsm/move_mount")
int BPF_PROG(hook_move_mount, const struct path *from_path,
	     const struct path *to_path)
{
	return check_mountpoint(to_path);
}
