/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ward - ABI shared by the BPF programs and the userspace tool
 *
 * Everything that crosses the kernel/user boundary is defined here once:
 * map keys and values, events and counters.  Only fixed-width types, no
 * implicit padding; the sizes are frozen by the assertions at the end.
 */

#ifndef WARD_ABI_H
#define WARD_ABI_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

/* Where ward pins its links and maps in the BPF filesystem. */
#define WARD_PIN_DIR "/sys/fs/bpf/ward"

/*
 * Ancestors looked at when resolving an object's label.  A walk that
 * reaches this bound without reaching the root denies (-ELOOP internally).
 */
#define WARD_WALK_MAX 128

/* Capacity of one compiled policy map; larger policies are refused. */
#define WARD_POLICY_MAX_ENTRIES 65536

#define WARD_NAME_MAX 64
#define WARD_VERSION_MAX 16
#define WARD_EVENT_PATH_MAX 256
#define WARD_COMM_MAX 16

/**
 * enum ward_access - accesses a rule grants
 *
 * @WARD_ACCESS_WRITE: open for writing, truncate, and changing a covered
 *                     directory's entries (create, unlink, rename, link).
 */
enum ward_access {
	WARD_ACCESS_WRITE = 1 << 0,
};

/**
 * enum ward_mode - what a policy does with an access it does not allow
 *
 * @WARD_MODE_ENFORCE: deny it with -EACCES and report it.
 * @WARD_MODE_COMPLAIN: allow it and report that it would have been denied.
 */
enum ward_mode {
	WARD_MODE_ENFORCE = 0,
	WARD_MODE_COMPLAIN = 1,
};

/**
 * enum ward_op - the operation an event reports
 */
enum ward_op {
	WARD_OP_OPEN = 1,
	WARD_OP_TRUNCATE,
	WARD_OP_CREATE,
	WARD_OP_MKDIR,
	WARD_OP_SYMLINK,
	WARD_OP_UNLINK,
	WARD_OP_RMDIR,
	WARD_OP_LINK,
	WARD_OP_RENAME,
	WARD_OP_MAX,
};

/**
 * enum ward_key_kind - kinds of entries in a compiled policy
 *
 * @WARD_KEY_META: the policy's settings; key has no further fields.
 * @WARD_KEY_OBJECT: an inode carrying a label (a directory's label covers
 *                   its subtree).
 * @WARD_KEY_EXE: an executable's inode, mapped to the app it belongs to.
 * @WARD_KEY_RULE: what an app may do to a label.
 */
enum ward_key_kind {
	WARD_KEY_META = 1,
	WARD_KEY_OBJECT,
	WARD_KEY_EXE,
	WARD_KEY_RULE,
};

/**
 * struct ward_inode_ref - an inode as the kernel names it
 *
 * @dev: the superblock's device number in the kernel's encoding
 *       (major << 20 | minor), not the stat(2) encoding.
 * @ino: the inode number.
 */
struct ward_inode_ref {
	__u64 dev;
	__u64 ino;
};

/**
 * struct ward_rule_ref - the (label, subject) pair a rule is keyed by
 *
 * @label: the object label, never 0.
 * @app: the subject app, never 0.
 * @reserved: must be 0.
 */
struct ward_rule_ref {
	__u32 label;
	__u32 app;
	__u64 reserved;
};

/**
 * struct ward_policy_key - key of an entry in a compiled policy map
 *
 * One hash map holds a whole policy, so that replacing the map replaces the
 * policy in one step: a task sees the whole old or the whole new policy.
 *
 * @kind: enum ward_key_kind.
 * @reserved: must be 0.
 * @inode: for WARD_KEY_OBJECT and WARD_KEY_EXE.
 * @rule: for WARD_KEY_RULE.
 *
 * Unused bytes must be 0: the kernel compares keys bytewise.
 */
struct ward_policy_key {
	__u32 kind;
	__u32 reserved;
	union {
		struct ward_inode_ref inode;
		struct ward_rule_ref rule;
	};
};

/**
 * union ward_policy_value - value of an entry in a compiled policy map
 *
 * @mode: WARD_KEY_META: enum ward_mode.
 * @label: WARD_KEY_OBJECT: the inode's label, never 0.
 * @app: WARD_KEY_EXE: the executable's app, never 0.
 * @access: WARD_KEY_RULE: the enum ward_access bits granted.
 */
union ward_policy_value {
	__u32 mode;
	__u32 label;
	__u32 app;
	__u32 access;
};

/**
 * struct ward_policy_info - what userspace records about the active policy
 *
 * Kept in the pinned ward_info map for ward status; the kernel does not
 * read it.
 *
 * @name: policy name, NUL-terminated.
 * @version: policy version (major.minor.patch), NUL-terminated.
 * @sha256: SHA-256 of the policy source.
 * @loaded_at: CLOCK_REALTIME seconds when it was loaded.
 * @objects: labelled inodes.
 * @exes: executables mapped to apps.
 * @rules: (label, app) rules.
 * @reserved: must be 0.
 */
struct ward_policy_info {
	char name[WARD_NAME_MAX];
	char version[WARD_VERSION_MAX];
	__u8 sha256[32];
	__u64 loaded_at;
	__u32 objects;
	__u32 exes;
	__u32 rules;
	__u32 reserved;
};

/**
 * enum ward_stat - counters in the per-CPU ward_stats map
 *
 * @WARD_STAT_DENIED: accesses denied.
 * @WARD_STAT_COMPLAINED: accesses allowed only because of complain mode.
 * @WARD_STAT_LOST: events dropped because the ring buffer was full.
 * @WARD_STAT_WALK_LIMIT: label walks that hit WARD_WALK_MAX.
 */
enum ward_stat {
	WARD_STAT_DENIED,
	WARD_STAT_COMPLAINED,
	WARD_STAT_LOST,
	WARD_STAT_WALK_LIMIT,
	WARD_STAT_MAX,
};

/* enum ward_event_flags - struct ward_event.flags */
enum ward_event_flags {
	WARD_EVENT_COMPLAIN = 1 << 0, /* allowed because of complain mode */
	WARD_EVENT_WALK_LIMIT = 1 << 1, /* denied: deeper than WARD_WALK_MAX */
	WARD_EVENT_PATH_PARENT = 1 << 2, /* @path is the parent directory */
};

/**
 * struct ward_event - one access decision reported through ward_events
 *
 * @boot_ns: CLOCK_BOOTTIME of the decision.
 * @object: the inode whose label decided, or the directory for creations.
 * @pid: thread group id of the subject.
 * @tid: thread id of the subject.
 * @uid: real uid of the subject.
 * @euid: effective uid of the subject.
 * @op: enum ward_op.
 * @access: enum ward_access requested.
 * @label: label of @object, 0 when the walk hit its limit.
 * @app: app of the subject's executable, 0 when it has none.
 * @error: what the access returned: 0 or -EACCES.
 * @flags: enum ward_event_flags.
 * @comm: the subject's comm.
 * @exe: the subject's executable path, possibly truncated.
 * @path: the object's path, possibly truncated; with
 *        WARD_EVENT_PATH_PARENT, the directory whose entry @name is.
 * @name: the entry's last component (creations, unlink, rename, link).
 */
struct ward_event {
	__u64 boot_ns;
	struct ward_inode_ref object;
	__u32 pid;
	__u32 tid;
	__u32 uid;
	__u32 euid;
	__u32 op;
	__u32 access;
	__u32 label;
	__u32 app;
	__s32 error;
	__u32 flags;
	char comm[WARD_COMM_MAX];
	char name[32];
	char exe[WARD_EVENT_PATH_MAX];
	char path[WARD_EVENT_PATH_MAX];
};

_Static_assert(sizeof(struct ward_inode_ref) == 16, "ABI: ward_inode_ref");
_Static_assert(sizeof(struct ward_rule_ref) == 16, "ABI: ward_rule_ref");
_Static_assert(sizeof(struct ward_policy_key) == 24, "ABI: ward_policy_key");
_Static_assert(sizeof(union ward_policy_value) == 4, "ABI: ward_policy_value");
_Static_assert(sizeof(struct ward_policy_info) == 136, "ABI: ward_policy_info");
_Static_assert(sizeof(struct ward_event) == 624, "ABI: ward_event");

#endif /* WARD_ABI_H */
