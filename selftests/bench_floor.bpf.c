// SPDX-License-Identifier: GPL-2.0
/*
 * The floor of ward's cost, for the benchmark (bench.c): an empty BPF LSM
 * program on every LSM hook ward attaches to.  What is left of ward's
 * cost above it is ward's own work; below it, the price of the BPF LSM
 * trampolines that any BPF LSM pays.  The fexit programs ward also has
 * (vfs_rename, vfs_link, mounts, module and clock changes) are on none of
 * the paths the benchmark measures.
 */

#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

/* floor_HOOK: allows everything; bench.c loads only those the kernel has. */
#define FLOOR(hook)                                      \
	SEC("lsm/" #hook) int floor_##hook(void *ctx) \
	{                                                \
		return 0;                                \
	}

FLOOR(bpf)
FLOOR(bpf_map)
FLOOR(bpf_prog)
FLOOR(bprm_check_security)
FLOOR(bprm_committed_creds)
FLOOR(bprm_creds_for_exec)
FLOOR(capable)
FLOOR(file_ioctl)
FLOOR(file_ioctl_compat)
FLOOR(file_mprotect)
FLOOR(file_open)
FLOOR(file_receive)
FLOOR(file_send_sigiotask)
FLOOR(inode_create)
FLOOR(inode_free_security)
FLOOR(inode_link)
FLOOR(inode_mkdir)
FLOOR(inode_mknod)
FLOOR(inode_remove_acl)
FLOOR(inode_removexattr)
FLOOR(inode_rename)
FLOOR(inode_rmdir)
FLOOR(inode_set_acl)
FLOOR(inode_setattr)
FLOOR(inode_setxattr)
FLOOR(inode_symlink)
FLOOR(inode_unlink)
FLOOR(kernel_load_data)
FLOOR(kernel_module_request)
FLOOR(kernel_post_load_data)
FLOOR(kernel_post_read_file)
FLOOR(kernel_read_file)
FLOOR(mmap_file)
FLOOR(move_mount)
FLOOR(path_chmod)
FLOOR(path_chown)
FLOOR(path_link)
FLOOR(path_mkdir)
FLOOR(path_mknod)
FLOOR(path_rename)
FLOOR(path_rmdir)
FLOOR(path_symlink)
FLOOR(path_truncate)
FLOOR(path_unlink)
FLOOR(ptrace_access_check)
FLOOR(ptrace_traceme)
FLOOR(sb_mount)
FLOOR(sb_pivotroot)
FLOOR(sb_umount)
FLOOR(sctp_bind_connect)
FLOOR(socket_bind)
FLOOR(socket_connect)
FLOOR(socket_create)
FLOOR(socket_sendmsg)
FLOOR(task_alloc)
FLOOR(task_kill)
FLOOR(task_prctl)
