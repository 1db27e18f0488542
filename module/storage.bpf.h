/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ward - what the programs keep on tasks and inodes, in local storage
 *
 * Only the programs see these: userspace neither reads nor writes them,
 * so they are not part of the ABI (ward_abi.h).
 */

#ifndef WARD_STORAGE_BPF_H
#define WARD_STORAGE_BPF_H

#include "policy.bpf.h"

/**
 * struct ward_carry - labels a rename or a link carries, from its check
 * to its end (fexit), in the task that makes it
 * @inode: the file that takes them.
 * @label: its own label to be, 0 for none; held from the check on.
 * @app: its app to be (an executable), 0 for none.
 * @flags: enum ward_carry_flags.
 * @was: the file's own label before, in the active policy of @serial
 *       (0 for none), given back if the operation fails.
 * @was_next: the same in the next policy, of @serial_next.
 * @serial: the active policy's serial at the check.
 * @serial_next: the next policy's.
 * @reserved: 0.
 */
struct ward_carry {
	struct ward_inode_ref inode;
	__u32 label;
	__u32 app;
	__u32 flags;
	__u32 was;
	__u32 was_next;
	__u32 serial;
	__u32 serial_next;
	__u32 reserved;
};

/* enum ward_carry_flags - struct ward_carry.flags */
enum ward_carry_flags {
	WARD_CARRY_PENDING = 1 << 0, /* reserved, waiting for the end */
	WARD_CARRY_NEXT = 1 << 1, /* reserved in the next policy too */
	WARD_CARRY_HELD = 1 << 2, /* @label held in the active policy */
	WARD_CARRY_HELD_NEXT = 1 << 3, /* and in the next one */
};

/**
 * struct ward_task - a task's domain, in task local storage
 * @app: the app whose domain the task is in, 0 for none.
 * @pending: the app of the file being executed, taken at commit.
 * @flags: enum ward_task_flags.
 * @exec_files: files an exec has checked so far: the file named, then
 *              its interpreters.
 * @checked: the address of the dentry a path hook has just allowed
 *           @checked_access on, so that the inode hook the same operation
 *           calls next need not decide again.  The inode hooks decide on
 *           what comes without a path hook: overlayfs's changes to its
 *           upper layer, nfsd, ksmbd.
 * @checked_access: the enum ward_access bits decided on @checked.
 * @reserved: 0.
 * @carry: a rename's or a link's labels, until it ends.
 */
struct ward_task {
	__u32 app;
	__u32 pending;
	__u32 flags;
	__u32 exec_files;
	__u64 checked;
	__u32 checked_access;
	__u32 reserved;
	struct ward_carry carry;
};

enum ward_task_flags {
	WARD_TASK_PENDING = 1 << 0, /* @pending is set */
};

/**
 * struct ward_inode - a cached label, in inode local storage
 * @generation: the struct ward_state generation it was resolved at.
 * @parent: the address of the dentry parent it was resolved through; a
 *          file moved elsewhere has another.
 * @epoch: the epoch of the policy it was resolved in (policy_epoch()).
 * @label: the label then, the inode's own or inherited.
 * @protects: what that policy says of @label, whoever asks: the accesses
 *            it protects (struct ward_label_info.protects),
 * @audit: those it audits,
 * @any: and those a rule grants "any" on it.
 * @seq: odd while a program writes the others (label.bpf.h).
 */
struct ward_inode {
	__u64 generation;
	__u64 parent;
	__u64 epoch;
	__u32 label;
	__u32 protects;
	__u32 audit;
	__u32 any;
	__u32 seq;
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct ward_task);
} ward_tasks SEC(".maps") __weak;

struct {
	__uint(type, BPF_MAP_TYPE_INODE_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct ward_inode);
} ward_inodes SEC(".maps") __weak;

#endif /* WARD_STORAGE_BPF_H */
