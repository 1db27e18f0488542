/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ward - the words of the policy language, and the names of apps' ids
 *
 * One table per vocabulary (modes, access verbs, network operations,
 * capabilities, socket families, protocols, the files sets every policy
 * has), looked up both ways here and nowhere else, so that the parser,
 * the printer, events and suggestions spell each word alike.
 */

#ifndef WARD_POLICY_NAMES_H
#define WARD_POLICY_NAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

struct policy;
struct ward_kernel;

/* "enforce" or "complain". */
const char *policy_mode_name(__u32 mode);

/* The WARD_MODE_* that @s names ("enforce", "complain"); false if none. */
bool policy_mode_named(const char *s, size_t len, __u32 *mode);

/* "write" for WARD_ACCESS_WRITE, and so on; NULL if unknown. */
const char *policy_access_name(__u32 bit);

/* WARD_ACCESS_WRITE for "write", and so on; 0 if unknown. */
__u32 policy_access_bit(const char *s, size_t len);

/*
 * The names of the access bits of @bits joined by ',' in enum ward_access
 * order, as the policy writes them, into @buf: "" for none.  Returns @buf.
 * A name that does not fit in @size is left out, with those after it.
 */
const char *policy_access_list(__u32 bits, char *buf, size_t size);

/* WARD_NET_BIND for "bind", WARD_NET_CONNECT for "connect"; 0 if unknown. */
__u32 policy_net_op_bit(const char *s, size_t len);

/* policy_access_list() for enum ward_net_op bits: "bind,connect". */
const char *policy_net_op_list(__u32 bits, char *buf, size_t size);

/* "net_bind_service" for CAP_NET_BIND_SERVICE (10); NULL if unknown. */
const char *policy_cap_name(unsigned int cap);

/* CAP_NET_BIND_SERVICE (10) for "net_bind_service"; -1 if unknown. */
int policy_cap_number(const char *s, size_t len);

/* "icmp" for WARD_SOCKET_ICMP, and so on; NULL if unknown. */
const char *policy_family_name(__u32 bit);

/* WARD_SOCKET_ICMP for "icmp", and so on; 0 if unknown. */
__u32 policy_family_bit(const char *s, size_t len);

/* "tcp", "udp" or "sctp" for an endpoint's protocol; NULL if unknown. */
const char *policy_proto_name(__u16 proto);

/* IPPROTO_TCP for "tcp", likewise udp and sctp; 0 if unknown. */
__u16 policy_proto_number(const char *s, size_t len);

/*
 * The words of "kernel SETTING VALUE" and "lock", by enum
 * policy_kernel_setting: the setting's name ("module"; "lock" for
 * KERNEL_LOCK), and the words of its values by their number in struct
 * ward_kernel, listed from the weakest to the strictest.
 */
const char *policy_kernel_setting_name(unsigned int setting);

/* The setting (KERNEL_MODULE...) "kernel @s" names; -1 if none. */
int policy_kernel_setting_named(const char *s, size_t len);

/* "signed" for WARD_KERNEL_MODULE_SIGNED of KERNEL_MODULE; NULL if none. */
const char *policy_kernel_value_name(unsigned int setting, unsigned int value);

/* The value @s names for @setting; false if none. */
bool policy_kernel_value_named(unsigned int setting, const char *s, size_t len,
			       __u8 *value);

/* How strict @value of @setting is: 0 for the weakest. */
unsigned int policy_kernel_rank(unsigned int setting, unsigned int value);

/* The values of @setting for messages: "allow, signed or deny". */
const char *policy_kernel_values(unsigned int setting);

/* The value of @setting in @k, and setting it. */
__u8 policy_kernel_get(const struct ward_kernel *k, unsigned int setting);
void policy_kernel_set(struct ward_kernel *k, unsigned int setting, __u8 value);

/**
 * struct policy_builtin_files - a files set every policy has
 * @name: its name, reserved
 * @files: its struct policy_object.files, a POLICY_OBJECT_*
 * @what: what it holds, for messages
 */
struct policy_builtin_files {
	const char *name;
	size_t files;
	const char *what;
};

/* The built-in files set @s names; NULL if none. */
const struct policy_builtin_files *policy_builtin_files(const char *s,
							size_t len);

/* The name of files set @files (struct policy_object.files) in @p. */
const char *policy_files_name(const struct policy *p, size_t files);

/*
 * An app's id: a 31-bit FNV-1a hash of its name, never 0, so that a
 * task's domain keeps its meaning across policy loads.
 */
__u32 policy_app_id(const char *name);

#endif /* WARD_POLICY_NAMES_H */
