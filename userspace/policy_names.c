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

/*
 * "kernel" settings, by enum policy_kernel_setting: their value words by
 * value, and the values from the weakest to the strictest.
 */
static const struct {
	const char *name;
	const char *values[3];
	__u8 by_rank[3];
	unsigned int n;
	const char *list;
} kernel_settings[] = {
	[KERNEL_MODULE] = { "module",
			    { [WARD_KERNEL_MODULE_ALLOW] = "allow",
			      [WARD_KERNEL_MODULE_SIGNED] = "signed",
			      [WARD_KERNEL_MODULE_DENY] = "deny" },
			    { WARD_KERNEL_MODULE_ALLOW,
			      WARD_KERNEL_MODULE_SIGNED,
			      WARD_KERNEL_MODULE_DENY },
			    3,
			    "allow, signed or deny" },
	[KERNEL_BPF] = { "bpf",
			 { [WARD_KERNEL_BPF_GUARD] = "guard",
			   [WARD_KERNEL_BPF_ALLOW] = "allow",
			   [WARD_KERNEL_BPF_DENY] = "deny" },
			 { WARD_KERNEL_BPF_ALLOW, WARD_KERNEL_BPF_GUARD,
			   WARD_KERNEL_BPF_DENY },
			 3,
			 "guard, allow, deny or loader PATH..." },
	[KERNEL_KEXEC] = { "kexec",
			   { "allow", "deny" },
			   { 0, 1 },
			   2,
			   "allow or deny" },
	[KERNEL_KMEM] = { "kmem",
			  { "allow", "deny" },
			  { 0, 1 },
			  2,
			  "allow or deny" },
	[KERNEL_LOCKDOWN] = { "lockdown",
			      { [WARD_KERNEL_LOCKDOWN_NONE] = "none",
				[WARD_KERNEL_LOCKDOWN_INTEGRITY] = "integrity",
				[WARD_KERNEL_LOCKDOWN_CONFIDENTIALITY] =
					"confidentiality" },
			      { WARD_KERNEL_LOCKDOWN_NONE,
				WARD_KERNEL_LOCKDOWN_INTEGRITY,
				WARD_KERNEL_LOCKDOWN_CONFIDENTIALITY },
			      3,
			      "none, integrity or confidentiality" },
	[KERNEL_LOCK] = { "lock", { "unlocked", "locked" }, { 0, 1 }, 2, "" },
};
_Static_assert(ARRAY_LEN(kernel_settings) == KERNEL_SETTINGS,
	       "kernel settings");

const char *policy_kernel_setting_name(unsigned int setting)
{
	return setting < KERNEL_SETTINGS ? kernel_settings[setting].name : NULL;
}

int policy_kernel_setting_named(const char *s, size_t len)
{
	/* "lock" is a statement of its own, not a "kernel" setting. */
	for (unsigned int i = 0; i < KERNEL_LOCK; i++)
		if (strlen(kernel_settings[i].name) == len &&
		    !memcmp(kernel_settings[i].name, s, len))
			return (int)i;
	return -1;
}

const char *policy_kernel_value_name(unsigned int setting, unsigned int value)
{
	if (setting >= KERNEL_SETTINGS || value >= kernel_settings[setting].n)
		return NULL;
	return kernel_settings[setting].values[value];
}

bool policy_kernel_value_named(unsigned int setting, const char *s, size_t len,
			       __u8 *value)
{
	if (setting >= KERNEL_SETTINGS)
		return false;
	for (unsigned int i = 0; i < kernel_settings[setting].n; i++) {
		const char *name = kernel_settings[setting].values[i];

		if (strlen(name) == len && !memcmp(name, s, len)) {
			*value = (__u8)i;
			return true;
		}
	}
	return false;
}

unsigned int policy_kernel_rank(unsigned int setting, unsigned int value)
{
	for (unsigned int i = 0;
	     setting < KERNEL_SETTINGS && i < kernel_settings[setting].n; i++)
		if (kernel_settings[setting].by_rank[i] == value)
			return i;
	return 0;
}

const char *policy_kernel_values(unsigned int setting)
{
	return setting < KERNEL_SETTINGS ? kernel_settings[setting].list : "";
}

__u8 policy_kernel_get(const struct ward_kernel *k, unsigned int setting)
{
	switch (setting) {
	case KERNEL_MODULE:
		return k->module;
	case KERNEL_BPF:
		return k->bpf;
	case KERNEL_KEXEC:
		return k->kexec;
	case KERNEL_KMEM:
		return k->kmem;
	case KERNEL_LOCKDOWN:
		return k->lockdown;
	default:
		return k->lock;
	}
}

void policy_kernel_set(struct ward_kernel *k, unsigned int setting, __u8 value)
{
	switch (setting) {
	case KERNEL_MODULE:
		k->module = value;
		break;
	case KERNEL_BPF:
		k->bpf = value;
		break;
	case KERNEL_KEXEC:
		k->kexec = value;
		break;
	case KERNEL_KMEM:
		k->kmem = value;
		break;
	case KERNEL_LOCKDOWN:
		k->lockdown = value;
		break;
	default:
		k->lock = value;
		break;
	}
}

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
