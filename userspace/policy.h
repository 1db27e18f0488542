/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ward - a policy as written, after parsing and before compiling
 *
 * The parser only reads text: it never looks at the file system or the
 * user database, so that "ward policy check" works on a build machine.
 * Resolving paths to inodes and names to ids is the compiler's job
 * (policy_compile.h).  Several files parse into one policy, in order; each
 * statement remembers the file and line it came from.
 */

#ifndef WARD_POLICY_H
#define WARD_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <linux/types.h>

#include "diag.h"
#include "ward_abi.h"

/* Longest line accepted, newline excluded. */
#define POLICY_LINE_MAX 4096
/* Largest policy file accepted: a million files, each with its rule. */
#define POLICY_SIZE_MAX (256 << 20)
/*
 * Most items of each kind in a whole policy: bounds the parser's memory;
 * the compiled policy has its own bound (WARD_POLICY_COMPILED_MAX).
 */
#define POLICY_ITEMS_MAX (4 << 20)
/* Apps: ward_app_names holds the old policy's and the new one's. */
#define POLICY_APPS_MAX (WARD_APP_NAMES_MAX / 2)

/* What the parser keeps of a policy between files, opaque here. */
struct parse_state;

/* Where a statement or one of its words is written. */
struct policy_loc {
	const char *file; /* points into &policy.units */
	unsigned int line;
	unsigned int col;
};

/**
 * struct policy_unit - one parsed file
 * @file: its path
 * @name: from its "policy" statement
 * @version: from its "policy" statement, MAJOR.MINOR.PATCH
 * @sha256: digest of its text
 * @loc: where the "policy" statement is
 */
struct policy_unit {
	char *file;
	char name[WARD_NAME_MAX];
	char version[WARD_VERSION_MAX];
	unsigned char sha256[32];
	struct policy_loc loc;
};

struct policy_path {
	char *path;
	struct policy_loc loc;
};

/**
 * struct policy_set - "files NAME PATH..." or "app NAME PATH..."
 * @name: the set's name
 * @paths: absolute paths; for files a directory covers its subtree
 * @n_paths: number of @paths
 * @loc: where the set is defined
 * @confined: apps: named by a "confine" statement
 * @inherit: apps: named by an "inherit" statement
 * @mode: apps: WARD_APP_MODE_* from "mode MODE APP..." (default: inherit)
 * @interps: apps: the interpreters "interpreter APP PATH..." lets run the
 *           app's scripts
 * @n_interps: number of @interps
 */
struct policy_set {
	char *name;
	struct policy_path *paths;
	size_t n_paths;
	struct policy_loc loc;
	bool confined;
	bool inherit;
	__u32 mode;
	struct policy_path *interps;
	size_t n_interps;
};

enum policy_member_kind {
	MEMBER_USER, /* a user name */
	MEMBER_UID, /* uid:N */
	MEMBER_GROUP, /* group:NAME */
	MEMBER_GID, /* gid:N */
};

struct policy_member {
	enum policy_member_kind kind;
	char *name; /* MEMBER_USER, MEMBER_GROUP */
	__u32 id; /* MEMBER_UID, MEMBER_GID */
	struct policy_loc loc;
};

/**
 * struct policy_users - "user NAME MEMBER..."
 * @name: the set's name
 * @members: users and groups; a task belongs when its uid or one of its
 *           groups matches
 * @n_members: number of @members
 * @loc: where the set is defined
 */
struct policy_users {
	char *name;
	struct policy_member *members;
	size_t n_members;
	struct policy_loc loc;
};

enum policy_subject_kind {
	SUBJECT_ANY, /* "any" */
	SUBJECT_APP, /* an app */
	SUBJECT_USERS, /* a user set */
	SUBJECT_SELF, /* "ward": ward's own app (WARD_APP_SELF) */
};

struct policy_subject {
	enum policy_subject_kind kind;
	size_t index; /* into &policy.apps or &policy.users */
	struct policy_loc loc;
};

/*
 * struct policy_object.files for what is not a "files" set: a path written
 * in place, and the two sets every policy has (policy-language.rst).
 */
#define POLICY_OBJECT_PATH SIZE_MAX
/* "executables": the executables of apps, and their interpreters. */
#define POLICY_OBJECT_EXECUTABLES (SIZE_MAX - 1)
/* "storage": the block devices under labelled files. */
#define POLICY_OBJECT_STORAGE (SIZE_MAX - 2)

/* An object of a rule: a files set by name, or a path written in place. */
struct policy_object {
	size_t files; /* index into &policy.files, or a POLICY_OBJECT_* */
	char *path;
	struct policy_loc loc;
};

/* tcp:PORT, tcp:LOW-HIGH, tcp:* (0-65535), likewise udp and sctp. */
struct policy_endpoint {
	__u16 proto; /* IPPROTO_TCP, IPPROTO_UDP or IPPROTO_SCTP */
	__u16 port_min;
	__u16 port_max;
	struct policy_loc loc;
};

enum policy_rule_kind {
	RULE_FILES, /* allow SUBJECT ACCESS OBJECT... */
	RULE_NET, /* allow APP net bind|connect ENDPOINT... */
	RULE_SOCKET, /* allow APP net create FAMILY... */
	RULE_CAP, /* allow APP cap CAP... */
	RULE_AUDIT, /* audit ACCESS OBJECT... */
};

/**
 * struct policy_rule - an "allow" or "audit" statement
 * @kind: which form
 * @subject: who (not for RULE_AUDIT)
 * @access: RULE_FILES, RULE_AUDIT: enum ward_access bits;
 *          RULE_NET: enum ward_net_op bits
 * @objects: RULE_FILES, RULE_AUDIT
 * @n_objects: number of @objects
 * @endpoints: RULE_NET
 * @n_endpoints: number of @endpoints
 * @families: RULE_SOCKET: enum ward_socket_family bits
 * @caps: RULE_CAP: bit N for capability N
 * @loc: where the statement is
 */
struct policy_rule {
	enum policy_rule_kind kind;
	struct policy_subject subject;
	__u32 access;
	struct policy_object *objects;
	size_t n_objects;
	struct policy_endpoint *endpoints;
	size_t n_endpoints;
	__u32 families;
	__u64 caps;
	struct policy_loc loc;
};

/* The settings of "kernel" statements and "lock", for &policy_kernel.loc. */
enum policy_kernel_setting {
	KERNEL_MODULE, /* kernel module allow|signed|deny */
	KERNEL_BPF, /* kernel bpf guard|allow|deny */
	KERNEL_KEXEC, /* kernel kexec allow|deny */
	KERNEL_KMEM, /* kernel kmem allow|deny */
	KERNEL_LOCKDOWN, /* kernel lockdown none|integrity|confidentiality */
	KERNEL_LOCK, /* lock */
	KERNEL_SETTINGS,
};

/**
 * struct policy_kernel - the "kernel" statements and "lock" of all files
 * @k: each setting the strictest any file asks for (module: deny > signed
 *     > allow; bpf: deny > guard > allow; lockdown: confidentiality >
 *     integrity > none; kexec, kmem: deny > allow; lock: set by any); all
 *     0 when no file says
 * @loc: per enum policy_kernel_setting, the statement that set the value
 *       in force, line 0 for the default
 * @loaders: "kernel bpf loader PATH...": executables that may load the
 *           BPF programs "kernel bpf" reserves to ward
 * @n_loaders: number of @loaders
 */
struct policy_kernel {
	struct ward_kernel k;
	struct policy_loc loc[KERNEL_SETTINGS];
	struct policy_path *loaders;
	size_t n_loaders;
};

/**
 * struct policy - a parsed policy, from one or more files
 * @units: the files, in the order parsed
 * @n_units: number of @units
 * @mode: enum ward_mode, from "mode MODE" (default enforce)
 * @mode_loc: where the default mode was set, line 0 when not set
 * @files: "files" sets
 * @apps: "app" sets
 * @users: "user" sets
 * @installer: the app "installer APP" names, SIZE_MAX for none
 * @installer_loc: where
 * @rules: "allow" and "audit" statements
 * @kernel: "kernel" statements and "lock"
 * @sha256: digest over the units' digests, in order (policy_finish())
 * @state: the parser's own, between files; freed by policy_free()
 */
struct policy {
	struct policy_unit *units;
	size_t n_units;
	__u32 mode;
	struct policy_loc mode_loc;
	struct policy_set *files;
	size_t n_files;
	struct policy_set *apps;
	size_t n_apps;
	struct policy_users *users;
	size_t n_users;
	size_t installer;
	struct policy_loc installer_loc;
	struct policy_rule *rules;
	size_t n_rules;
	struct policy_kernel kernel;
	unsigned char sha256[32];
	struct parse_state *state;
	/* The ward binary, the executable of ward's own domain, compiled
	 * into every policy to be loaded (WARD_APP_SELF), and the directory
	 * its objects are pinned in; NULL: none. */
	const char *self_exe;
	const char *self_pins;
};

/* An empty policy to parse files into. */
void policy_init(struct policy *p);

/**
 * policy_parse - parse one file's text into @p
 * @p: from policy_init(), possibly holding earlier files
 * @file: name used in messages
 * @text: the text, not necessarily NUL-terminated
 * @len: its length
 * @diags: errors and warnings are added here
 *
 * Names defined by earlier files may be used; a name defined twice is an
 * error wherever the two definitions are.
 *
 * Return: 0, or -EINVAL when this call added an error to @diags.
 */
int policy_parse(struct policy *p, const char *file, const char *text,
		 size_t len, struct diag_list *diags);

/* Reads @file and parses it; I/O errors are reported in @diags too. */
int policy_parse_file(struct policy *p, const char *file,
		      struct diag_list *diags);

/**
 * policy_finish - checks that need the whole policy, once all is parsed
 * @p: the policy
 * @diags: errors and warnings are added here
 *
 * Errors: no file at all.  Warnings: sets no rule uses, net and cap rules
 * for apps that are not confined (they restrict nothing), rules that grant
 * nothing new (the same subject, access and object already allowed).
 * Computes &policy.sha256.
 *
 * Return: 0, or -EINVAL when this call added an error to @diags.
 */
int policy_finish(struct policy *p, struct diag_list *diags);

void policy_free(struct policy *p);

/*
 * Writes @p in canonical form: one "policy" line per unit as a comment
 * header, then the statements in a fixed order and spelling, so that two
 * policies that mean the same print the same.  Parsing the output gives
 * back an equal policy.
 */
void policy_print(const struct policy *p, FILE *out);

#endif /* WARD_POLICY_H */
