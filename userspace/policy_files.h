/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ward - which files make the policy
 *
 * Packages ship policies in WARD_VENDOR_DIR, administrators put theirs in
 * WARD_ADMIN_DIR.  As with systemd's configuration: a file in the admin
 * directory replaces the vendor file of the same name, and a symlink there
 * to /dev/null masks it.  The files are merged in the lexical order of
 * their names.
 */

#ifndef WARD_POLICY_FILES_H
#define WARD_POLICY_FILES_H

#include <stddef.h>

#include "diag.h"

#define WARD_VENDOR_DIR "/usr/lib/ward/policy.d"
#define WARD_ADMIN_DIR "/etc/ward/policy.d"
#define WARD_POLICY_SUFFIX ".policy"

struct policy_files {
	char **paths;
	size_t n;
};

/**
 * policy_files_collect - the policy files to parse, in order
 * @files: filled in; free with policy_files_free()
 * @args: files and directories given on the command line, in order; a
 *        directory stands for its *.policy files in lexical order.  With
 *        none, the layered vendor and admin directories.
 * @n_args: number of @args
 * @diags: a missing argument or unreadable directory is an error; no
 *         policy file at all is an error too
 *
 * Return: 0, or -EINVAL when @diags received an error.
 */
int policy_files_collect(struct policy_files *files, char **args, size_t n_args,
			 struct diag_list *diags);

void policy_files_free(struct policy_files *files);

#endif /* WARD_POLICY_FILES_H */
