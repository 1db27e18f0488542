// SPDX-License-Identifier: GPL-2.0
/*
 * ward - the words of the policy language, and the names of apps' ids
 *
 * Each vocabulary is one table, by bit or number, that every lookup below
 * reads, both from a name and to one.
 */

#include <linux/capability.h>
#include <netinet/in.h>
#include <string.h>

#include "policy.h"
#include "policy_names.h"
#include "xalloc.h"

static const char *const mode_names[] = {
	[WARD_MODE_ENFORCE] = "enforce",
	[WARD_MODE_COMPLAIN] = "complain",
};

/* By bit: enum ward_access. */
static const char *const access_names[] = { "read",   "write",	"exec",
					    "unlink", "rename", "link",
					    "chmod",  "chown",	"mount" };
_Static_assert(ARRAY_LEN(access_names) == WARD_ACCESS_BITS, "access names");

/* The files sets every policy has, by their struct policy_object.files. */
static const struct policy_builtin_files builtin_files[] = {
	{ "executables", POLICY_OBJECT_EXECUTABLES,
	  "the executables of apps and their interpreters" },
	{ "storage", POLICY_OBJECT_STORAGE,
	  "the block devices under labelled files" },
};

/* By bit: enum ward_net_op. */
static const char *const net_op_names[] = { "bind", "connect" };

/* By bit: enum ward_socket_family. */
static const char *const family_names[] = { "unix", "netlink", "packet", "raw",
					    "icmp" };

/* The protocols endpoints name, in the order of the language's grammar. */
static const struct {
	__u16 proto;
	const char *name;
} protocols[] = {
	{ IPPROTO_TCP, "tcp" },
	{ IPPROTO_UDP, "udp" },
	{ IPPROTO_SCTP, "sctp" },
};

/* capabilities(7), by number: the names of <linux/capability.h>. */
static const char *const cap_names[] = {
	[CAP_CHOWN] = "chown",
	[CAP_DAC_OVERRIDE] = "dac_override",
	[CAP_DAC_READ_SEARCH] = "dac_read_search",
	[CAP_FOWNER] = "fowner",
	[CAP_FSETID] = "fsetid",
	[CAP_KILL] = "kill",
	[CAP_SETGID] = "setgid",
	[CAP_SETUID] = "setuid",
	[CAP_SETPCAP] = "setpcap",
	[CAP_LINUX_IMMUTABLE] = "linux_immutable",
	[CAP_NET_BIND_SERVICE] = "net_bind_service",
	[CAP_NET_BROADCAST] = "net_broadcast",
	[CAP_NET_ADMIN] = "net_admin",
	[CAP_NET_RAW] = "net_raw",
	[CAP_IPC_LOCK] = "ipc_lock",
	[CAP_IPC_OWNER] = "ipc_owner",
	[CAP_SYS_MODULE] = "sys_module",
	[CAP_SYS_RAWIO] = "sys_rawio",
	[CAP_SYS_CHROOT] = "sys_chroot",
	[CAP_SYS_PTRACE] = "sys_ptrace",
	[CAP_SYS_PACCT] = "sys_pacct",
	[CAP_SYS_ADMIN] = "sys_admin",
	[CAP_SYS_BOOT] = "sys_boot",
	[CAP_SYS_NICE] = "sys_nice",
	[CAP_SYS_RESOURCE] = "sys_resource",
	[CAP_SYS_TIME] = "sys_time",
	[CAP_SYS_TTY_CONFIG] = "sys_tty_config",
	[CAP_MKNOD] = "mknod",
	[CAP_LEASE] = "lease",
	[CAP_AUDIT_WRITE] = "audit_write",
	[CAP_AUDIT_CONTROL] = "audit_control",
	[CAP_SETFCAP] = "setfcap",
	[CAP_MAC_OVERRIDE] = "mac_override",
	[CAP_MAC_ADMIN] = "mac_admin",
	[CAP_SYSLOG] = "syslog",
	[CAP_WAKE_ALARM] = "wake_alarm",
	[CAP_BLOCK_SUSPEND] = "block_suspend",
	[CAP_AUDIT_READ] = "audit_read",
	[CAP_PERFMON] = "perfmon",
	[CAP_BPF] = "bpf",
	[CAP_CHECKPOINT_RESTORE] = "checkpoint_restore",
};

_Static_assert(ARRAY_LEN(cap_names) == CAP_LAST_CAP + 1, "every capability");
_Static_assert(1U << (ARRAY_LEN(family_names) - 1) == WARD_SOCKET_ICMP,
	       "one name per ward_socket_family bit");
_Static_assert(1U << (ARRAY_LEN(net_op_names) - 1) == WARD_NET_CONNECT,
	       "one name per ward_net_op bit");

/* Whether the @len bytes at @s are @name. */
static bool is_named(const char *s, size_t len, const char *name)
{
	return name && len == strlen(name) && !memcmp(s, name, len);
}

/* The index of @s in @names, -1 if none. */
static int index_named(const char *const *names, size_t n, const char *s,
		       size_t len)
{
	for (size_t i = 0; i < n; i++)
		if (is_named(s, len, names[i]))
			return (int)i;
	return -1;
}

static const char *bit_name(const char *const *names, size_t n, __u64 bit)
{
	for (size_t i = 0; i < n; i++)
		if (bit == 1ULL << i)
			return names[i];
	return NULL;
}

static __u32 bit_named(const char *const *names, size_t n, const char *s,
		       size_t len)
{
	int i = index_named(names, n, s, len);

	return i < 0 ? 0 : 1U << i;
}

/* The names of the bits of @bits, by bit, joined by ','. */
static const char *bits_list(const char *const *names, size_t n, __u64 bits,
			     char *buf, size_t size)
{
	size_t len = 0;

	if (!size)
		return buf;
	buf[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		int more;

		if (!(bits & 1ULL << i))
			continue;
		more = snprintf(buf + len, size - len, "%s%s", len ? "," : "",
				names[i]);
		if (more < 0 || (size_t)more >= size - len) {
			buf[len] = '\0';
			break;
		}
		len += more;
	}
	return buf;
}

const char *policy_mode_name(__u32 mode)
{
	return mode_names[mode == WARD_MODE_COMPLAIN ? WARD_MODE_COMPLAIN :
						       WARD_MODE_ENFORCE];
}

bool policy_mode_named(const char *s, size_t len, __u32 *mode)
{
	int i = index_named(mode_names, ARRAY_LEN(mode_names), s, len);

	if (i < 0)
		return false;
	*mode = i;
	return true;
}

const char *policy_access_name(__u32 bit)
{
	return bit_name(access_names, ARRAY_LEN(access_names), bit);
}

__u32 policy_access_bit(const char *s, size_t len)
{
	return bit_named(access_names, ARRAY_LEN(access_names), s, len);
}

const char *policy_access_list(__u32 bits, char *buf, size_t size)
{
	return bits_list(access_names, ARRAY_LEN(access_names), bits, buf,
			 size);
}

__u32 policy_net_op_bit(const char *s, size_t len)
{
	return bit_named(net_op_names, ARRAY_LEN(net_op_names), s, len);
}

const char *policy_net_op_list(__u32 bits, char *buf, size_t size)
{
	return bits_list(net_op_names, ARRAY_LEN(net_op_names), bits, buf,
			 size);
}

const char *policy_cap_name(unsigned int cap)
{
	return cap < ARRAY_LEN(cap_names) ? cap_names[cap] : NULL;
}

int policy_cap_number(const char *s, size_t len)
{
	return index_named(cap_names, ARRAY_LEN(cap_names), s, len);
}

const char *policy_family_name(__u32 bit)
{
	return bit_name(family_names, ARRAY_LEN(family_names), bit);
}

__u32 policy_family_bit(const char *s, size_t len)
{
	return bit_named(family_names, ARRAY_LEN(family_names), s, len);
}

const char *policy_proto_name(__u16 proto)
{
	for (size_t i = 0; i < ARRAY_LEN(protocols); i++)
		if (protocols[i].proto == proto)
			return protocols[i].name;
	return NULL;
}

__u16 policy_proto_number(const char *s, size_t len)
{
	for (size_t i = 0; i < ARRAY_LEN(protocols); i++)
		if (is_named(s, len, protocols[i].name))
			return protocols[i].proto;
	return 0;
}

const struct policy_builtin_files *policy_builtin_files(const char *s,
							size_t len)
{
	for (size_t i = 0; i < ARRAY_LEN(builtin_files); i++)
		if (is_named(s, len, builtin_files[i].name))
			return &builtin_files[i];
	return NULL;
}

const char *policy_files_name(const struct policy *p, size_t files)
{
	for (size_t i = 0; i < ARRAY_LEN(builtin_files); i++)
		if (builtin_files[i].files == files)
			return builtin_files[i].name;
	return files < p->n_files ? p->files[files].name : "?";
}

__u32 policy_app_id(const char *name)
{
	__u32 hash = 2166136261u;

	for (const unsigned char *c = (const unsigned char *)name; *c; c++)
		hash = (hash ^ *c) * 16777619u;
	hash &= ~WARD_SUBJECT_USERS;
	return hash ? hash : 1;
}
