/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ward - ABI shared by the BPF programs and the userspace tool
 *
 * Everything that crosses the kernel/user boundary is defined here once:
 * map keys and values, events and counters.  Only fixed-width types, no
 * implicit padding; ward_abi_check() at the end freezes the layout.  What
 * only the programs keep (task and inode storage) is module/storage.bpf.h's;
 * where userspace pins ward, userspace/pin.h's.
 */

#ifndef WARD_ABI_H
#define WARD_ABI_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

/*
 * The version of this ABI: what the pinned maps hold and the programs
 * expect.  Any change to a map's key or value, to an event or to the
 * policy info bumps it.  It is recorded first in the pinned ward_info, in
 * every version, so that a ward binary refuses to work with the pinned
 * programs and maps of another (pin.c).
 */
#define WARD_ABI_VERSION 5

/*
 * Ancestors looked at when resolving an object's label.  A walk that
 * reaches this bound without reaching the root denies (-ELOOP internally).
 */
#define WARD_WALK_MAX 128

/*
 * Addresses of an sctp_bindx() or sctp_connectx() list checked one by
 * one; any past them need the rule for every port.
 */
#define WARD_SCTP_ADDRS_MAX 16

/*
 * A compiled policy map holds the policy's entries and room for those the
 * programs add while it is active: labels carried to the files that
 * replace labelled ones, and to a labelled file's second name
 * (carry.bpf.h).  Userspace sizes each map from its policy: the entries
 * and a quarter more, at least WARD_POLICY_ROOM_MIN more
 * (policy_map_capacity()); the kernel does not compare the max_entries of
 * a hash map with its template's (policy.bpf.h).  A policy of more than
 * WARD_POLICY_COMPILED_MAX entries (some 1.4 million files, each with its
 * own rule) is refused.
 */
#define WARD_POLICY_ROOM_MIN 65536
#define WARD_POLICY_COMPILED_MAX (4 << 20)

/*
 * struct ward_inode_ref.dev of the entry that labels a block device by its
 * device number (ino: the kernel's dev_t of the device), whatever node
 * opens it.  No superblock has this device number.
 */
#define WARD_DEV_BLOCK 0xffffffffffffffffULL

#define WARD_NAME_MAX 64
#define WARD_VERSION_MAX 16
/* An object's path: a directory and a name of NAME_MAX bytes fit. */
#define WARD_EVENT_PATH_MAX 512
#define WARD_EVENT_EXE_MAX 256
/* NAME_MAX and its NUL: a directory entry's name, whole. */
#define WARD_EVENT_NAME_MAX 256
#define WARD_COMM_MAX 16
/* The start of a sysctl's value or a mount's source, and its NUL. */
#define WARD_EVENT_VALUE_MAX 128

/**
 * enum ward_access - accesses to files a rule grants
 *
 * @WARD_ACCESS_READ: open for reading (a directory: list it).
 * @WARD_ACCESS_WRITE: open for writing, truncate, change attributes other
 *                     than mode and owner; on a directory: create entries
 *                     in it, remove or rename entries out of it.
 * @WARD_ACCESS_EXEC: execute, or map executable (mmap, mprotect).
 * @WARD_ACCESS_UNLINK: remove the object.
 * @WARD_ACCESS_RENAME: move the object elsewhere, itself or by renaming
 *                      a directory above it.
 * @WARD_ACCESS_LINK: make a hard link to the object.
 * @WARD_ACCESS_CHMOD: change its mode (or its ACL).
 * @WARD_ACCESS_CHOWN: change its owner or group.
 * @WARD_ACCESS_MOUNT: hide the object, or what its path names, behind
 *                     another file system: mount on it or above it, or
 *                     unmount, move or pivot away the mount that holds it.
 */
enum ward_access {
	WARD_ACCESS_READ = 1 << 0,
	WARD_ACCESS_WRITE = 1 << 1,
	WARD_ACCESS_EXEC = 1 << 2,
	WARD_ACCESS_UNLINK = 1 << 3,
	WARD_ACCESS_RENAME = 1 << 4,
	WARD_ACCESS_LINK = 1 << 5,
	WARD_ACCESS_CHMOD = 1 << 6,
	WARD_ACCESS_CHOWN = 1 << 7,
	WARD_ACCESS_MOUNT = 1 << 8,
};

#define WARD_ACCESS_BITS 9
#define WARD_ACCESS_ALL ((1u << WARD_ACCESS_BITS) - 1)
/* Everything but reading and executing: what changes the object. */
#define WARD_ACCESS_MODIFY \
	(WARD_ACCESS_ALL & ~(WARD_ACCESS_READ | WARD_ACCESS_EXEC))

/**
 * enum ward_net_op - network operations a rule grants a confined app
 *
 * @WARD_NET_BIND: bind a TCP, UDP or SCTP socket to a local port.
 * @WARD_NET_CONNECT: connect a TCP, UDP or SCTP socket to a remote port.
 */
enum ward_net_op {
	WARD_NET_BIND = 1 << 0,
	WARD_NET_CONNECT = 1 << 1,
};

/**
 * enum ward_socket_family - sockets other than TCP, UDP and SCTP a
 * confined app may create ("allow APP net create FAMILY")
 *
 * @WARD_SOCKET_UNIX: AF_UNIX.
 * @WARD_SOCKET_NETLINK: AF_NETLINK.
 * @WARD_SOCKET_PACKET: AF_PACKET.
 * @WARD_SOCKET_RAW: SOCK_RAW in AF_INET and AF_INET6.
 * @WARD_SOCKET_ICMP: ICMP ping sockets: SOCK_DGRAM with IPPROTO_ICMP in
 *                    AF_INET, IPPROTO_ICMPV6 in AF_INET6.
 */
enum ward_socket_family {
	WARD_SOCKET_UNIX = 1 << 0,
	WARD_SOCKET_NETLINK = 1 << 1,
	WARD_SOCKET_PACKET = 1 << 2,
	WARD_SOCKET_RAW = 1 << 3,
	WARD_SOCKET_ICMP = 1 << 4,
};

/**
 * enum ward_mode - what a policy does with an access it does not allow
 *
 * @WARD_MODE_ENFORCE: deny it with -EACCES (-EPERM for capabilities) and
 *                     report it.
 * @WARD_MODE_COMPLAIN: allow it and report that it would have been denied.
 */
enum ward_mode {
	WARD_MODE_ENFORCE = 0,
	WARD_MODE_COMPLAIN = 1,
};

/* An app's own mode, overriding the policy's (WARD_APP_MODE_INHERIT). */
enum ward_app_mode {
	WARD_APP_MODE_INHERIT = 0,
	WARD_APP_MODE_ENFORCE = 1,
	WARD_APP_MODE_COMPLAIN = 2,
};

/**
 * enum ward_op - the operation an event reports
 *
 * @WARD_OP_RECEIVE: a file descriptor received (SCM_RIGHTS, pidfd_getfd),
 *                   decided as an open.
 * @WARD_OP_PTRACE: a process of an app's domain traced, or its memory
 *                  written, from outside the domain: struct ward_event.access
 *                  is an enum ward_ptrace_access.
 * @WARD_OP_BPF: a bpf(2) command on ward's objects, or a program load the
 *               policy's "kernel bpf" forbids: access is the command, cap
 *               the program type (BPF_PROG_LOAD) or the object's id.
 * @WARD_OP_SIGNAL: a signal to a process of ward's own domain from outside
 *                  it: access is the signal, cap the target's thread group
 *                  id.
 * @WARD_OP_PRCTL: prctl(PR_SET_MM) replacing a process's executable, which
 *                 would forge the identity apps are known by: access is
 *                 the PR_SET_MM operation.
 * @WARD_OP_MODULE: a kernel module load: access is an enum
 *                  ward_module_reason; path the module file, or name the
 *                  module asked for (request_module).
 * @WARD_OP_KEXEC: kexec_load or kexec_file_load.
 * @WARD_OP_KMEM: /dev/mem, /dev/kmem, /dev/port or /proc/kcore opened:
 *                access is WARD_ACCESS_READ or WARD_ACCESS_WRITE.
 * @WARD_OP_REBOOT: reboot(2) asked for by a process allowed to (an audit
 *                  event, for the security log's SHUTDOWN record): access
 *                  is its LINUX_REBOOT_CMD_*.
 *
 * The security log's CONFIG_CHANGE records (GB/T 39276 5.1.1.3 a): audit
 * events of changes to the system's core configuration, made whenever a
 * policy is active, each once the change has succeeded (module/config.bpf.c):
 *
 * @WARD_OP_CLOCK: the system clock (CLOCK_REALTIME) set: access is an enum
 *                 ward_clock_change; object.dev the new time's seconds (a
 *                 __s64), object.ino its nanoseconds.
 * @WARD_OP_SYSCTL: a sysctl written (/proc/sys): access is
 *                  WARD_ACCESS_WRITE, object and path the file's, cap the
 *                  bytes the kernel took.  Its value is not reported.
 * @WARD_OP_MOUNTED: a mount made or changed in the initial mount namespace:
 *                   mount(2) (cap: its MS_* flags; name: the file system
 *                   type it was given, if any) or move_mount(2) and
 *                   mount(2)'s MS_MOVE (cap: MS_MOVE; name: the moved
 *                   mount's file system type).  Object and path: the mount
 *                   point.
 * @WARD_OP_UNMOUNTED: a mount detached in the initial mount namespace
 *                     (umount2): cap its MNT_* flags, name its file system
 *                     type, object and path its mount point.
 * WARD_OP_MODULE with access WARD_MODULE_LOADED: a module loaded and
 * initialised; name is the module's name.
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
	WARD_OP_SETATTR,
	WARD_OP_CHMOD,
	WARD_OP_CHOWN,
	WARD_OP_EXEC,
	WARD_OP_MMAP,
	WARD_OP_MPROTECT,
	WARD_OP_MOUNT,
	WARD_OP_SOCKET,
	WARD_OP_BIND,
	WARD_OP_CONNECT,
	WARD_OP_CAPABLE,
	WARD_OP_UMOUNT,
	WARD_OP_PIVOT_ROOT,
	WARD_OP_UNPIN,
	WARD_OP_RECEIVE,
	WARD_OP_PTRACE,
	WARD_OP_BPF,
	WARD_OP_SIGNAL,
	WARD_OP_PRCTL,
	WARD_OP_MODULE,
	WARD_OP_KEXEC,
	WARD_OP_KMEM,
	WARD_OP_REBOOT,
	WARD_OP_CLOCK,
	WARD_OP_SYSCTL,
	WARD_OP_MOUNTED,
	WARD_OP_UNMOUNTED,
	WARD_OP_MAX,
};

/**
 * enum ward_ptrace_access - how a WARD_OP_PTRACE event reaches the domain
 *
 * @WARD_PTRACE_ATTACH: ptrace attach, /proc/PID/mem, process_vm_writev,
 *                      pidfd_getfd (PTRACE_MODE_ATTACH) of a process in
 *                      the domain; the target is that process.
 * @WARD_PTRACE_TRACEME: PTRACE_TRACEME by a process in the domain; the
 *                       target is its parent, the would-be tracer.
 * @WARD_PTRACE_EXEC: an exec into the domain by a traced process; the
 *                    target is its tracer.
 */
enum ward_ptrace_access {
	WARD_PTRACE_ATTACH = 1 << 0,
	WARD_PTRACE_TRACEME = 1 << 1,
	WARD_PTRACE_EXEC = 1 << 2,
};

/**
 * enum ward_module_reason - why a WARD_OP_MODULE event's load was refused,
 * or that it loaded
 *
 * @WARD_MODULE_UNSIGNED: the image carries no appended module signature
 *                        ("kernel module signed").
 * @WARD_MODULE_UNTRUSTED: it carries one the kernel does not accept.
 * @WARD_MODULE_DENIED: no module may load ("kernel module deny").
 * @WARD_MODULE_UNLOAD: delete_module(), under "kernel module signed" or
 *                      "deny": what runs beneath the access control stays.
 * @WARD_MODULE_SIG_ENFORCE: sig_enforce opened for writing, under the same.
 * @WARD_MODULE_LOADED: not a refusal: the module loaded and its init
 *                      function succeeded (an audit event).
 */
enum ward_module_reason {
	WARD_MODULE_UNSIGNED = 1,
	WARD_MODULE_UNTRUSTED,
	WARD_MODULE_DENIED,
	WARD_MODULE_UNLOAD,
	WARD_MODULE_SIG_ENFORCE,
	WARD_MODULE_LOADED,
};

/**
 * enum ward_clock_change - how a WARD_OP_CLOCK event's clock was set
 *
 * @WARD_CLOCK_SET: to a time: settimeofday(), clock_settime(CLOCK_REALTIME),
 *                  or the kernel itself (a hypervisor's time sync).
 * @WARD_CLOCK_STEP: by an offset: adjtimex() or
 *                   clock_adjtime(CLOCK_REALTIME) with ADJ_SETOFFSET.  The
 *                   time reported is the one it stepped to.
 */
enum ward_clock_change {
	WARD_CLOCK_SET = 1,
	WARD_CLOCK_STEP,
};

/**
 * enum ward_key_kind - kinds of entries in a compiled policy
 *
 * @WARD_KEY_META: the policy's settings; no further key fields.
 * @WARD_KEY_OBJECT: an inode carrying a label; a directory's label covers
 *                   its subtree, and the deepest label wins.
 * @WARD_KEY_EXE: an executable's inode, mapped to the app it belongs to.
 * @WARD_KEY_RULE: the accesses a subject has on a label.
 * @WARD_KEY_LABEL: a label's properties.
 * @WARD_KEY_APP: an app's properties.
 * @WARD_KEY_CAPS: the capabilities a confined app may use.
 * @WARD_KEY_UID: the user sets a uid is in.
 * @WARD_KEY_GID: the user sets a gid is in.
 * @WARD_KEY_NET: the network operations a confined app has on a port.
 * @WARD_KEY_USERS_RULE: the user sets that hold one access on a label; the
 *                       key's rule.subject is the access's bit number.
 *                       (One lookup per access, however many sets.)
 * @WARD_KEY_BENEATH: a directory (the key's inode) above labelled
 *                    objects; value: the cover label, which stands for the
 *                    directory and all that is labelled beneath it, for
 *                    what changes their paths (WARD_ACCESS_MOUNT, rename).
 * @WARD_KEY_INTERP: an interpreter (the key's inode) that may run the
 *                   scripts of the app @aux.  Value: 1.
 * @WARD_KEY_KERNEL: the policy's "kernel" statements; no further key
 *                   fields.  Absent: every setting 0.
 * @WARD_KEY_BPF_LOADER: an executable (the key's inode) that may load
 *                       the BPF programs "kernel bpf" reserves to ward
 *                       ("kernel bpf loader PATH").  Value: 1.
 */
enum ward_key_kind {
	WARD_KEY_META = 1,
	WARD_KEY_OBJECT,
	WARD_KEY_EXE,
	WARD_KEY_RULE,
	WARD_KEY_LABEL,
	WARD_KEY_APP,
	WARD_KEY_CAPS,
	WARD_KEY_UID,
	WARD_KEY_GID,
	WARD_KEY_NET,
	WARD_KEY_USERS_RULE,
	WARD_KEY_BENEATH,
	WARD_KEY_INTERP,
	WARD_KEY_KERNEL,
	WARD_KEY_BPF_LOADER,
};

/*
 * Subjects of rules.  An app's id is a 31-bit hash of its name (never 0),
 * so that the domain a task carries keeps its meaning when a new policy
 * is loaded; "any" is all ones.  User sets are numbered, and their rules
 * are WARD_KEY_USERS_RULE entries.
 */
#define WARD_SUBJECT_ANY 0xffffffffu
#define WARD_SUBJECT_USERS 0x80000000u /* never an app id */
#define WARD_USER_SETS_MAX 64

/*
 * ward's own domain: the app "ward", whose executable is the ward binary
 * that loads the policy.  Every policy has it, with rights (secure exec,
 * no ptrace from outside), and only its processes reach ward's BPF
 * objects, pins and processes.  Its id is policy_app_id("ward").
 */
#define WARD_APP_SELF_NAME "ward"
#define WARD_APP_SELF 0x7afa5b33u

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
 * @subject: an app id, or WARD_SUBJECT_ANY; for WARD_KEY_USERS_RULE the
 *           bit number of an enum ward_access.
 * @reserved: must be 0.
 */
struct ward_rule_ref {
	__u32 label;
	__u32 subject;
	__u64 reserved;
};

/**
 * struct ward_id_ref - a key made of one number
 *
 * @id: the label (WARD_KEY_LABEL), app (WARD_KEY_APP, WARD_KEY_CAPS), uid
 *      (WARD_KEY_UID) or gid (WARD_KEY_GID).
 * @reserved: must be 0.
 * @reserved2: must be 0.
 */
struct ward_id_ref {
	__u32 id;
	__u32 reserved;
	__u64 reserved2;
};

/**
 * struct ward_net_ref - a confined app's rule for a port
 *
 * @app: the app.
 * @proto: IPPROTO_TCP (TCP, MPTCP), IPPROTO_UDP (UDP, UDP-Lite) or
 *         IPPROTO_SCTP.
 * @port: the local (bind) or remote (connect) port in host order; 0 for
 *        every port.
 * @reserved: must be 0.
 */
struct ward_net_ref {
	__u32 app;
	__u16 proto;
	__u16 port;
	__u64 reserved;
};

/**
 * struct ward_policy_key - key of an entry in a compiled policy map
 *
 * One hash map holds a whole policy, so that replacing the map replaces the
 * policy in one step: a task sees the whole old or the whole new policy.
 *
 * @kind: enum ward_key_kind.
 * @aux: WARD_KEY_INTERP: the app; else 0.
 * @inode: for WARD_KEY_OBJECT, WARD_KEY_EXE, WARD_KEY_BENEATH and
 *         WARD_KEY_INTERP.
 * @rule: for WARD_KEY_RULE.
 * @id: for WARD_KEY_LABEL, WARD_KEY_APP, WARD_KEY_CAPS, WARD_KEY_UID and
 *      WARD_KEY_GID.
 * @net: for WARD_KEY_NET.
 *
 * Unused bytes must be 0: the kernel compares keys bytewise.
 */
struct ward_policy_key {
	__u32 kind;
	__u32 aux;
	union {
		struct ward_inode_ref inode;
		struct ward_rule_ref rule;
		struct ward_id_ref id;
		struct ward_net_ref net;
	};
};

/**
 * struct ward_label_info - what a label is
 * @protects: the enum ward_access bits that need a rule, whoever asks:
 *            WARD_ACCESS_ALL for a label a rule for any, a user set or an
 *            unconfined app names; WARD_ACCESS_MODIFY for the executables
 *            of apps; 0 for a label only confined apps' rules name.
 * @audit: enum ward_access bits whose successful use is reported.
 * @unit: the policy file that defined the label (its index).
 */
struct ward_label_info {
	__u16 protects;
	__u16 audit;
	__u32 unit;
};

/*
 * struct ward_app_info.flags; the enum ward_socket_family bits sit at
 * WARD_APP_SOCKETS_SHIFT.
 *
 * @WARD_APP_CONFINED: default-deny ("confine APP").
 * @WARD_APP_TCP: some rule allows TCP, so the app may create TCP sockets.
 * @WARD_APP_UDP: likewise for UDP.
 * @WARD_APP_SCTP: likewise for SCTP.
 * @WARD_APP_INHERIT: a program of no app that the app executes stays in
 *                    its domain ("inherit APP"); without it, the task
 *                    leaves the domain, unless the app is confined.
 * @WARD_APP_GRANTS: the app has rights beyond the default (a rule names
 *                   it, or it is the installer): code from outside it
 *                   must not run in it (secure exec, no ptrace from
 *                   outside).  A domain without is only a name.
 */
enum ward_app_flags {
	WARD_APP_CONFINED = 1 << 0,
	WARD_APP_TCP = 1 << 1,
	WARD_APP_UDP = 1 << 2,
	WARD_APP_SCTP = 1 << 3,
	WARD_APP_INHERIT = 1 << 4,
	WARD_APP_GRANTS = 1 << 5,
};

#define WARD_APP_SOCKETS_SHIFT 8

/**
 * struct ward_app_info - what an app is
 * @flags: enum ward_app_flags, and the enum ward_socket_family bits it may
 *         create, shifted by WARD_APP_SOCKETS_SHIFT.
 * @mode: enum ward_app_mode.
 * @unit: the policy file that defined the app (its index): its own mode
 *        lets through only refusals on its confinement or on labels of
 *        that file, never another file's protection.
 */
struct ward_app_info {
	__u32 flags;
	__u16 mode;
	__u16 unit;
};

/**
 * struct ward_meta - a policy's settings
 * @mode: enum ward_mode, the policy's default.
 * @serial: this policy among those loaded since boot; labels cached under
 *          another policy are not believed under this one.
 */
struct ward_meta {
	__u32 mode;
	__u32 serial;
};

/**
 * enum ward_kernel_module - "kernel module allow|signed|deny"
 *
 * @WARD_KERNEL_MODULE_ALLOW: any module loads (the kernel's own checks only).
 * @WARD_KERNEL_MODULE_SIGNED: only images with an appended module signature,
 *                             and ward turns on sig_enforce.
 * @WARD_KERNEL_MODULE_DENY: no module loads after ward starts.
 */
enum ward_kernel_module {
	WARD_KERNEL_MODULE_ALLOW = 0,
	WARD_KERNEL_MODULE_SIGNED,
	WARD_KERNEL_MODULE_DENY,
};

/**
 * enum ward_kernel_bpf - "kernel bpf guard|allow|deny"
 *
 * @WARD_KERNEL_BPF_GUARD: the default: ward's objects are ward's alone, and
 *                         only ward and the named loaders load programs
 *                         that observe or change security decisions or
 *                         user memory (LSM, tracing, kprobe, tracepoint,
 *                         perf_event, raw tracepoint, struct_ops, ext).
 * @WARD_KERNEL_BPF_ALLOW: no BPF gate at all, ward's objects included.
 * @WARD_KERNEL_BPF_DENY: as guard, and other program types too.
 */
enum ward_kernel_bpf {
	WARD_KERNEL_BPF_GUARD = 0,
	WARD_KERNEL_BPF_ALLOW,
	WARD_KERNEL_BPF_DENY,
};

/**
 * enum ward_kernel_lockdown - "kernel lockdown none|integrity|confidentiality"
 */
enum ward_kernel_lockdown {
	WARD_KERNEL_LOCKDOWN_NONE = 0,
	WARD_KERNEL_LOCKDOWN_INTEGRITY,
	WARD_KERNEL_LOCKDOWN_CONFIDENTIALITY,
};

/**
 * struct ward_kernel - the policy's "kernel" statements (WARD_KEY_KERNEL)
 * @module: enum ward_kernel_module.
 * @bpf: enum ward_kernel_bpf.
 * @kexec: 1: kexec_load and kexec_file_load refused ("kernel kexec deny").
 * @kmem: 1: /dev/mem, /dev/kmem, /dev/port written and /proc/kcore read
 *        refused ("kernel kmem deny").
 * @lockdown: enum ward_kernel_lockdown: the level ward start raises the
 *            kernel's lockdown to (userspace only).
 * @lock: 1: the policy starts ward locked ("lock"; userspace only).
 * @path_missing: enum ward_path_missing, for @path (and @name).
 * @exe_missing: enum ward_path_missing, for @exe.
 */
struct ward_kernel {
	__u8 module;
	__u8 bpf;
	__u8 kexec;
	__u8 kmem;
	__u8 lockdown;
	__u8 lock;
	__u16 reserved;
};

/**
 * union ward_policy_value - value of an entry in a compiled policy map
 *
 * @meta: WARD_KEY_META.
 * @label: WARD_KEY_OBJECT: the inode's label; 0 as if absent.
 *         WARD_KEY_BENEATH: the cover label.
 * @app: WARD_KEY_EXE: the executable's app; 0 for an entry the programs
 *       reserved for an app not yet carried over (as if absent).
 * @access: WARD_KEY_RULE: the enum ward_access bits granted.
 * @label_info: WARD_KEY_LABEL.
 * @app_info: WARD_KEY_APP.
 * @caps: WARD_KEY_CAPS: bit N allows capability N.
 * @users: WARD_KEY_UID, WARD_KEY_GID, WARD_KEY_USERS_RULE: bit N for user
 *         set N.
 * @net: WARD_KEY_NET: the enum ward_net_op bits granted.
 * @present: WARD_KEY_INTERP, WARD_KEY_BPF_LOADER: 1.
 * @kernel: WARD_KEY_KERNEL.
 */
union ward_policy_value {
	struct ward_meta meta;
	__u32 present;
	__u32 label;
	__u32 app;
	__u32 access;
	struct ward_label_info label_info;
	struct ward_app_info app_info;
	__u64 caps;
	__u64 users;
	__u32 net;
	struct ward_kernel kernel;
};

/**
 * struct ward_policy_info - what userspace records about the active policy
 *
 * Kept in the pinned ward_info map for ward status; the kernel does not
 * read it.
 *
 * @abi: WARD_ABI_VERSION of the ward that loaded it; first, always.
 * @reserved: 0.
 * @name: policy name, NUL-terminated; for several files, the first one's.
 * @version: its version (major.minor.patch), NUL-terminated.
 * @sha256: SHA-256 over the files' SHA-256 digests, in order.
 * @loaded_at: CLOCK_REALTIME seconds when it was loaded.
 * @objects: labelled inodes.
 * @devices: block devices labelled by number ("storage").
 * @exes: executables mapped to apps.
 * @rules: (label, subject) rules.
 * @units: policy files it was made of.
 * @map_id: the kernel's id of the policy map it was loaded into: "ward
 *          status" reports another map in the active slot as tampering.
 */
struct ward_policy_info {
	__u32 abi;
	__u32 reserved;
	char name[WARD_NAME_MAX];
	char version[WARD_VERSION_MAX];
	__u8 sha256[32];
	__u64 loaded_at;
	__u32 objects;
	__u32 exes;
	__u32 rules;
	__u32 units;
	__u32 map_id;
	__u32 devices;
};

/*
 * The pinned ward_app_names map: app id -> name, for every app of the
 * active policy (and, during a load, of the next), so that events, which
 * name apps by id, can be printed without the policy's text.
 */
#define WARD_APP_NAMES_MAX 65536

/**
 * struct ward_app_name - a value of ward_app_names
 * @name: the app's name, NUL-terminated
 */
struct ward_app_name {
	char name[WARD_NAME_MAX];
};

/**
 * struct ward_state - what the programs and the loader share
 * @generation: bumped by the programs after a directory rename, when the
 *              labels cached for what is under it may be stale.
 * @unreserved: carries in flight that reserved no entry in the next
 *              policy (none was being loaded when they started); a load
 *              waits for them before it checks the new policy's paths.
 * @next_broken: carries the programs could not apply to the next policy:
 *               when it changes during a load, the load gives up and the
 *               active policy stays.
 * @pin_dev: the device of ward's pin directory (kernel encoding) ...
 * @pin_ino: ... and its inode: removing or renaming what is in it, or
 *           unmounting its file system, is reported (WARD_OP_UNPIN).
 */
struct ward_state {
	__u64 generation;
	__s64 unreserved;
	__u64 next_broken;
	__u64 pin_dev;
	__u64 pin_ino;
};

/**
 * struct ward_epoch - the epoch of the active policy
 * @epoch: even while one policy is active; ward makes it odd before it
 *         replaces the active policy and even again once the replacement
 *         is over.  The programs cache labels in inode storage with the
 *         epoch of the policy they were found in, and believe a cached
 *         label only in the same epoch: what the policy being replaced
 *         said is never believed in the new one, and during a replacement
 *         nothing cached is believed.
 *
 * Kept in the pinned ward_epoch map (BPF_F_MMAPABLE): only ward writes it,
 * with single aligned 8-byte stores into its mapping, which no reader can
 * see half-made (a map update copies bytes).  Reading it costs a program a
 * few instructions where the policy's own serial costs it a hash lookup.
 */
struct ward_epoch {
	__u64 epoch;
};

/**
 * struct ward_log_head - the security log's newest record, as ward logd
 * wrote it: in the kernel, so that cutting records off the end of the log
 * is seen while the system runs (ward log verify)
 *
 * Kept in the pinned ward_log_head map; the kernel does not read it.
 *
 * @seq: the record's sequence number; 0 before the first.
 * @lost: events the kernel counted lost (WARD_STAT_LOST) that LOST records
 *        account for: a restarted daemon records only those after them.
 * @hash: the hash of the record's line (SHA-256 or SM3, both 32 bytes).
 */
struct ward_log_head {
	__u64 seq;
	__u64 lost;
	__u8 hash[32];
};

/**
 * enum ward_change_op - what a command of ward's changed: struct ward_change
 *
 * @WARD_CHANGE_START: ward start (or was refused: already running, locked).
 * @WARD_CHANGE_STOP: ward stop.
 * @WARD_CHANGE_POLICY_LOAD: ward policy load.
 * @WARD_CHANGE_MODE: ward mode.
 * @WARD_CHANGE_POLICY_FILES: ward policy install or remove.
 */
enum ward_change_op {
	WARD_CHANGE_START = 1,
	WARD_CHANGE_STOP,
	WARD_CHANGE_POLICY_LOAD,
	WARD_CHANGE_MODE,
	WARD_CHANGE_POLICY_FILES,
	WARD_CHANGE_MAX,
};

/**
 * struct ward_change - who changed ward, or was refused: queued by ward's
 * commands in the pinned ward_changes map for the security log, which
 * records it with the policy before and after
 *
 * Kept in a map only ward may open; the kernel does not read it.
 *
 * @time_ns: CLOCK_REALTIME of the change.
 * @pid: the command's process.
 * @uid: its real uid.
 * @loginuid: its login uid, (__u32)-1 when unset.
 * @sessionid: its audit session, (__u32)-1 when unset.
 * @op: enum ward_change_op.
 * @error: 0, or the negative errno it was refused with.
 * @detail: what was asked, NUL-terminated, possibly truncated: the mode,
 *          the policy's name.
 */
struct ward_change {
	__u64 time_ns;
	__u32 pid;
	__u32 uid;
	__u32 loginuid;
	__u32 sessionid;
	__u32 op;
	__s32 error;
	char detail[64];
};

/**
 * enum ward_stat - counters in the per-CPU ward_stats map
 *
 * @WARD_STAT_DENIED: accesses denied.
 * @WARD_STAT_COMPLAINED: accesses allowed only because of complain mode.
 * @WARD_STAT_AUDITED: allowed accesses reported because of an audit rule.
 * @WARD_STAT_LOST: events dropped because the ring buffer was full.
 * @WARD_STAT_WALK_LIMIT: label walks that could not reach the root.
 * @WARD_STAT_MAP_FULL: operations refused because the policy map had no
 *                      room for the labels they would carry.
 * @WARD_STAT_NO_MEMORY: forks and execs refused because a task's domain
 *                       could not be stored.
 */
enum ward_stat {
	WARD_STAT_DENIED,
	WARD_STAT_COMPLAINED,
	WARD_STAT_AUDITED,
	WARD_STAT_LOST,
	WARD_STAT_WALK_LIMIT,
	WARD_STAT_MAP_FULL,
	WARD_STAT_NO_MEMORY,
	WARD_STAT_MAX,
};

/* enum ward_event_type - what an event reports */
enum ward_event_type {
	WARD_EVENT_DENIED = 1, /* denied */
	WARD_EVENT_COMPLAIN, /* would have been denied; complain mode */
	WARD_EVENT_AUDIT, /* allowed, and audited */
};

/* enum ward_event_flags - struct ward_event.flags */
enum ward_event_flags {
	/* The object's ancestry could not be followed to its root. */
	WARD_EVENT_WALK_LIMIT = 1 << 0,
	/* @path is the directory whose entry @name is. */
	WARD_EVENT_PATH_PARENT = 1 << 1,
	/* With WARD_EVENT_PATH_PARENT: the object decided on is the
	 * directory, not the entry (creating, or removing from, it). */
	WARD_EVENT_OBJECT_DIR = 1 << 2,
	/* Refused: the policy map had no room for the labels it carries. */
	WARD_EVENT_MAP_FULL = 1 << 3,
	/* @label is the object's cover label: it stands for the object and
	 * what is labelled beneath it, which the operation would move away
	 * or hide. */
	WARD_EVENT_BENEATH = 1 << 4,
};

/**
 * enum ward_path_missing - why a path of an event is not there in full:
 * struct ward_event.path_missing (the object's: @path, and @name with
 * WARD_EVENT_PATH_PARENT) and .exe_missing (the subject's executable)
 *
 * @WARD_PATH_WHOLE: the path is there, whole.
 * @WARD_PATH_MOUNT: the path starts at the root of the file system the
 *                   object is on (struct ward_event.object.dev): where
 *                   that is mounted is missing.  The hook gives no mount
 *                   (inode hooks), or the kernel lets ward follow none
 *                   (6.1 outside the hooks bpf_d_path() is allowed in).
 * @WARD_PATH_TOO_LONG: the path does not fit (WARD_EVENT_PATH_MAX, for
 *                      @exe WARD_EVENT_EXE_MAX, bytes with its NUL);
 *                      empty.
 * @WARD_PATH_TOO_DEEP: more directories above the object than ward
 *                      follows where it reads names itself; empty.
 * @WARD_PATH_UNREADABLE: a name could not be read (it changed as it was
 *                        read); empty, and so is @name.
 * @WARD_PATH_NONE: there is nothing to name: the object has no path
 *                  (a kernel thread has no executable).
 */
enum ward_path_missing {
	WARD_PATH_WHOLE,
	WARD_PATH_MOUNT,
	WARD_PATH_TOO_LONG,
	WARD_PATH_TOO_DEEP,
	WARD_PATH_UNREADABLE,
	WARD_PATH_NONE,
	WARD_PATH_MISSING_MAX,
};

/**
 * struct ward_event - one decision reported through ward_events
 *
 * @boot_ns: CLOCK_BOOTTIME of the decision.
 * @object: the inode whose label decided; for creations, the directory;
 *          WARD_OP_PTRACE: the target's executable.
 * @pid: thread group id of the subject.
 * @tid: thread id of the subject.
 * @uid: real uid of the subject.
 * @euid: effective uid of the subject.
 * @loginuid: the subject's login uid (who logged in, whatever it became
 *            since), (__u32)-1 when unset or unknown.
 * @sessionid: the subject's audit session, (__u32)-1 when unset.
 * @type: enum ward_event_type.
 * @op: enum ward_op.
 * @access: files: the enum ward_access bit needed; net: the enum
 *          ward_net_op bits; sockets: the enum ward_socket_family bit, 0
 *          for TCP, UDP, SCTP and sockets no rule can allow;
 *          WARD_OP_PTRACE: an enum ward_ptrace_access.
 * @label: label of @object, 0 for none; WARD_OP_PTRACE: the domain of the
 *         target, 0 for none.
 * @app: the domain of the subject, 0 for none.
 * @flags: enum ward_event_flags.
 * @error: what the operation returned: 0, -EACCES or -EPERM.
 * @cap: WARD_OP_CAPABLE: the capability; WARD_OP_PTRACE: the target's
 *       thread group id.
 * @family: net: the address family.
 * @proto: net and sockets: IPPROTO_TCP, IPPROTO_UDP or IPPROTO_SCTP
 *         (struct ward_net_ref); 0 for other sockets.
 * @port: net: the port, host order; 0 when only the rule for every port
 *        would have allowed it.
 * @comm: the subject's comm.
 * @name: the entry's last component (creations, unlink, rename, link),
 *        whole.
 * @exe: the subject's executable path, whole unless @exe_missing says.
 * @path: the object's path, whole unless @path_missing says; with
 *        WARD_EVENT_PATH_PARENT, the directory whose entry @name is;
 *        WARD_OP_PTRACE: the target's executable, where known.
 * @value_len: the bytes of the whole value @value starts: WARD_OP_SYSCTL:
 *             written; WARD_OP_MOUNTED, WARD_OP_UNMOUNTED: of the mount's
 *             source.  0: none known.  More than @value holds: it was cut
 *             short, or could not be read (@value empty).
 * @reserved: 0.
 * @value: WARD_OP_SYSCTL: the value written, as the writer's buffer held
 *         it when the write returned; WARD_OP_MOUNTED, WARD_OP_UNMOUNTED:
 *         the mount's source (a device, an export, a bind's path).  Its
 *         first WARD_EVENT_VALUE_MAX - 1 bytes and a NUL.
 */
struct ward_event {
	__u64 boot_ns;
	struct ward_inode_ref object;
	__u32 pid;
	__u32 tid;
	__u32 uid;
	__u32 euid;
	__u32 loginuid;
	__u32 sessionid;
	__u32 type;
	__u32 op;
	__u32 access;
	__u32 label;
	__u32 app;
	__u32 flags;
	__s32 error;
	__u32 cap;
	__u16 family;
	__u16 proto;
	__u16 port;
	__u8 path_missing;
	__u8 exe_missing;
	char comm[WARD_COMM_MAX];
	char name[WARD_EVENT_NAME_MAX];
	char exe[WARD_EVENT_EXE_MAX];
	char path[WARD_EVENT_PATH_MAX];
	__u32 value_len;
	__u32 reserved;
	char value[WARD_EVENT_VALUE_MAX];
};

/*
 * The layout, checked as Landlock's build_check_abi() checks its own, by
 * the BPF build and by userspace's alike: first that the members of @type
 * add up to its size, so that it has no hole and no padding at its end
 * (bytes nobody sets, in keys the kernel compares bytewise), then that
 * size, the same on every architecture.
 */
#define WARD_ABI_LAYOUT(type, members, size)                              \
	_Static_assert(sizeof(type) == (members), "ABI: hole in " #type); \
	_Static_assert(sizeof(type) == (size), "ABI: size of " #type)

/* Only constant expressions: never called. */
static inline void ward_abi_check(void)
{
	struct ward_inode_ref i;
	struct ward_rule_ref r;
	struct ward_id_ref id;
	struct ward_net_ref n;
	struct ward_policy_key k;
	struct ward_label_info l;
	struct ward_app_info a;
	struct ward_meta m;
	struct ward_kernel kn;
	struct ward_policy_info p;
	struct ward_app_name an;
	struct ward_state s;
	struct ward_log_head lh;
	struct ward_epoch ep;
	struct ward_change ch;
	struct ward_event e;

	WARD_ABI_LAYOUT(struct ward_inode_ref, sizeof(i.dev) + sizeof(i.ino),
			16);
	WARD_ABI_LAYOUT(
		struct ward_rule_ref,
		sizeof(r.label) + sizeof(r.subject) + sizeof(r.reserved), 16);
	WARD_ABI_LAYOUT(
		struct ward_id_ref,
		sizeof(id.id) + sizeof(id.reserved) + sizeof(id.reserved2), 16);
	WARD_ABI_LAYOUT(struct ward_net_ref,
			sizeof(n.app) + sizeof(n.proto) + sizeof(n.port) +
				sizeof(n.reserved),
			16);
	/* The union has no name to take the size of: it is where it starts. */
	_Static_assert(__builtin_offsetof(struct ward_policy_key, inode) ==
			       sizeof(k.kind) + sizeof(k.aux),
		       "ABI: hole in struct ward_policy_key");
	_Static_assert(sizeof(k.inode) == sizeof(k.rule) &&
			       sizeof(k.inode) == sizeof(k.id) &&
			       sizeof(k.inode) == sizeof(k.net),
		       "ABI: union in struct ward_policy_key");
	WARD_ABI_LAYOUT(struct ward_policy_key,
			sizeof(k.kind) + sizeof(k.aux) + sizeof(k.inode), 24);
	_Static_assert(sizeof(union ward_policy_value) == 8,
		       "ABI: size of union ward_policy_value");
	WARD_ABI_LAYOUT(struct ward_label_info,
			sizeof(l.protects) + sizeof(l.audit) + sizeof(l.unit),
			8);
	WARD_ABI_LAYOUT(struct ward_app_info,
			sizeof(a.flags) + sizeof(a.mode) + sizeof(a.unit), 8);
	WARD_ABI_LAYOUT(struct ward_meta, sizeof(m.mode) + sizeof(m.serial), 8);
	WARD_ABI_LAYOUT(struct ward_kernel,
			sizeof(kn.module) + sizeof(kn.bpf) + sizeof(kn.kexec) +
				sizeof(kn.kmem) + sizeof(kn.lockdown) +
				sizeof(kn.lock) + sizeof(kn.reserved),
			8);
	/* Where every version of ward looks for the version. */
	_Static_assert(__builtin_offsetof(struct ward_policy_info, abi) == 0,
		       "ABI: the version comes first");
	WARD_ABI_LAYOUT(struct ward_policy_info,
			sizeof(p.abi) + sizeof(p.reserved) + sizeof(p.name) +
				sizeof(p.version) + sizeof(p.sha256) +
				sizeof(p.loaded_at) + sizeof(p.objects) +
				sizeof(p.exes) + sizeof(p.rules) +
				sizeof(p.units) + sizeof(p.map_id) +
				sizeof(p.devices),
			152);
	WARD_ABI_LAYOUT(struct ward_app_name, sizeof(an.name), 64);
	WARD_ABI_LAYOUT(struct ward_state,
			sizeof(s.generation) + sizeof(s.unreserved) +
				sizeof(s.next_broken) + sizeof(s.pin_dev) +
				sizeof(s.pin_ino),
			40);
	WARD_ABI_LAYOUT(struct ward_log_head,
			sizeof(lh.seq) + sizeof(lh.lost) + sizeof(lh.hash), 48);
	WARD_ABI_LAYOUT(struct ward_epoch, sizeof(ep.epoch), 8);
	WARD_ABI_LAYOUT(struct ward_change,
			sizeof(ch.time_ns) + sizeof(ch.pid) + sizeof(ch.uid) +
				sizeof(ch.loginuid) + sizeof(ch.sessionid) +
				sizeof(ch.op) + sizeof(ch.error) +
				sizeof(ch.detail),
			96);
	WARD_ABI_LAYOUT(
		struct ward_event,
		sizeof(e.boot_ns) + sizeof(e.object) + sizeof(e.pid) +
			sizeof(e.tid) + sizeof(e.uid) + sizeof(e.euid) +
			sizeof(e.loginuid) + sizeof(e.sessionid) +
			sizeof(e.type) + sizeof(e.op) + sizeof(e.access) +
			sizeof(e.label) + sizeof(e.app) + sizeof(e.flags) +
			sizeof(e.error) + sizeof(e.cap) + sizeof(e.family) +
			sizeof(e.proto) + sizeof(e.port) +
			sizeof(e.path_missing) + sizeof(e.exe_missing) +
			sizeof(e.comm) + sizeof(e.name) + sizeof(e.exe) +
			sizeof(e.path) + sizeof(e.value_len) +
			sizeof(e.reserved) + sizeof(e.value),
		1264);
}

#endif /* WARD_ABI_H */
