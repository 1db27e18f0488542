/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ward - a policy as written, after parsing and before compiling
 *
 * The parser only reads text: it never looks at the file system, so that
 * "ward policy check" works on a build machine.  Resolving paths to inodes
 * is the compiler's job (policy_compile.h).
 */

#ifndef WARD_POLICY_H
#define WARD_POLICY_H

#include <stddef.h>
#include <linux/types.h>

#include "diag.h"
#include "ward_abi.h"

/* Longest line accepted, newline excluded. */
#define POLICY_LINE_MAX 4096
/* Largest policy file accepted. */
#define POLICY_SIZE_MAX (16 << 20)

struct policy_path {
	char *path;
	unsigned int col;
};

/**
 * struct policy_set - a named set of paths ("files" or "app")
 * @name: the set's name
 * @paths: absolute paths; for files a directory covers its subtree
 * @n_paths: number of @paths
 * @line: where the set is defined
 */
struct policy_set {
	char *name;
	struct policy_path *paths;
	size_t n_paths;
	unsigned int line;
};

/**
 * struct policy_rule - "allow APP ACCESS FILES..."
 * @app: index into &policy.apps
 * @access: enum ward_access bits
 * @files: indexes into &policy.files
 * @n_files: number of @files
 * @line: where the rule is written
 */
struct policy_rule {
	size_t app;
	__u32 access;
	size_t *files;
	size_t n_files;
	unsigned int line;
};

/**
 * struct policy - a parsed policy
 * @file: where it was read from, for messages
 * @name: from the "policy" statement
 * @version: from the "policy" statement, major.minor.patch
 * @mode: enum ward_mode, from the "mode" statement (default enforce)
 * @files: the "files" sets
 * @apps: the "app" sets
 * @rules: the "allow" rules
 * @sha256: digest of the policy text
 */
struct policy {
	char *file;
	char name[WARD_NAME_MAX];
	char version[WARD_VERSION_MAX];
	__u32 mode;
	struct policy_set *files;
	size_t n_files;
	struct policy_set *apps;
	size_t n_apps;
	struct policy_rule *rules;
	size_t n_rules;
	unsigned char sha256[32];
};

/**
 * policy_parse - parse a policy text
 * @p: filled in; free with policy_free() whatever the result
 * @file: name used in messages
 * @text: the text, not necessarily NUL-terminated
 * @len: its length
 * @diags: errors and warnings are added here
 *
 * Return: 0, or -EINVAL when @diags holds at least one error.
 */
int policy_parse(struct policy *p, const char *file, const char *text,
		 size_t len, struct diag_list *diags);

/* Reads @file and parses it; I/O errors are reported in @diags too. */
int policy_parse_file(struct policy *p, const char *file,
		      struct diag_list *diags);

void policy_free(struct policy *p);

/* "enforce" or "complain". */
const char *policy_mode_name(__u32 mode);

/* "write" for WARD_ACCESS_WRITE, and so on; NULL if unknown. */
const char *policy_access_name(__u32 bit);

#endif /* WARD_POLICY_H */
