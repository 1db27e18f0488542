/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ward - policy compiler: struct policy to the entries of a policy map
 */

#ifndef WARD_POLICY_COMPILE_H
#define WARD_POLICY_COMPILE_H

#include "policy.h"

/**
 * struct policy_entry - one entry of a policy map, and where it came from
 * @key: the map key
 * @value: the map value
 * @line: the statement it was compiled from, for messages
 * @col: the path it was compiled from, for messages
 */
struct policy_entry {
	struct ward_policy_key key;
	union ward_policy_value value;
	unsigned int line;
	unsigned int col;
};

/**
 * struct compiled_policy - what goes into the kernel
 * @entries: the policy map's contents
 * @n: number of @entries
 * @cap: allocated @entries
 * @info: the record for "ward status"
 */
struct compiled_policy {
	struct policy_entry *entries;
	size_t n;
	size_t cap;
	struct ward_policy_info info;
};

/**
 * policy_compile - resolve a policy's paths to inodes and build its entries
 * @p: a policy policy_parse() accepted
 * @out: filled in; free with compiled_policy_free() whatever the result
 * @diags: a path that does not exist is a warning (the policy may cover
 *         software that is not installed); an inode in two files sets, an
 *         executable in two apps, or too many entries are errors
 *
 * Labels are numbered from 1 in the order of the files statements, apps
 * likewise.
 *
 * Return: 0, or -EINVAL when @diags received an error.
 */
int policy_compile(const struct policy *p, struct compiled_policy *out,
		   struct diag_list *diags);

void compiled_policy_free(struct compiled_policy *c);

/* The kernel's dev_t encoding of a stat(2) st_dev. */
__u64 kernel_dev(dev_t dev);

#endif /* WARD_POLICY_COMPILE_H */
