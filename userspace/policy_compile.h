/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ward - policy compiler: struct policy to the entries of a policy map
 */

#ifndef WARD_POLICY_COMPILE_H
#define WARD_POLICY_COMPILE_H

#include <sys/types.h>

#include "policy.h"

/**
 * struct policy_entry - one entry of a policy map, and where it came from
 * @key: the map key
 * @value: the map value
 * @loc: the statement or path it was compiled from, for messages
 * @path: WARD_KEY_OBJECT, WARD_KEY_EXE: the path the inode was found at
 *        (NULL for a block device), which a load looks at again once the
 *        new policy is in place (policy_map.c): the policy's own string
 *        unless @own_path, so that the policy is freed after its entries
 * @unit: the index of @loc's file in the policy, to order by
 * @own_path: @path is the entry's copy (a path found on disk, or ward's)
 * @plain: @path's last component is known not to be a symbolic link, so
 *         that the directories above the object are its parent's
 *         (policy_cover.c)
 */
struct policy_entry {
	struct ward_policy_key key;
	union ward_policy_value value;
	struct policy_loc loc;
	char *path;
	__u32 unit;
	bool own_path;
	bool plain;
};

/*
 * The order of compiled entries: memcmp()'s, so that entries sharing a
 * prefix of the key (a label's rules: kind, aux, label) stand together,
 * as the cover's ranges need (policy_cover.c); three 64-bit words read as
 * big-endian compare faster than memcmp() of 24 bytes, which a 1M-rule
 * sort calls some 60M times.
 */
int policy_key_cmp(const struct ward_policy_key *a,
		   const struct ward_policy_key *b);

/**
 * struct compiled_app - an entry of the ward_app_names map
 * @id: the app's id, as events carry it
 * @name: its name
 */
struct compiled_app {
	__u32 id;
	struct ward_app_name name;
};

/**
 * struct compiled_policy - what goes into the kernel
 * @entries: the policy map's contents, sorted by key
 * @n: number of @entries
 * @cap: allocated @entries
 * @info: the record for "ward status"
 * @apps: the app names, one per app, in the policy's order
 * @n_apps: number of @apps
 * @kernel: the value of its WARD_KEY_KERNEL entry: the "kernel" settings
 */
struct compiled_policy {
	struct policy_entry *entries;
	size_t n;
	size_t cap;
	struct ward_policy_info info;
	struct compiled_app *apps;
	size_t n_apps;
	struct ward_kernel kernel;
};

struct policy_paths;

/**
 * policy_paths_start - resolve the paths of files sets ahead of the compile
 * @p: a parsed policy, whose files sets stay as they are until
 *     policy_paths_free()
 *
 * Starts a thread that stat()s the paths, so that it runs while @p is
 * linted; policy_compile() takes its share and the results.
 *
 * Return: what to give policy_compile(), then policy_paths_free(); NULL
 * when the paths are too few to be worth a thread.
 */
struct policy_paths *policy_paths_start(const struct policy *p);

/* Stops and frees what policy_paths_start() gave; NULL: nothing. */
void policy_paths_free(struct policy_paths *pp);

/**
 * policy_compile - resolve a policy's names and build its map entries
 * @p: a policy policy_parse() and policy_finish() accepted
 * @paths: policy_paths_start() of @p, or NULL
 * @out: filled in; free with compiled_policy_free() whatever the result,
 *       before @p: the paths of its entries are @p's
 * @diags: what cannot be resolved is a warning (a path that does not
 *         exist, a user or group that is unknown: the policy may cover
 *         software or accounts that are not installed); an inode in two
 *         files sets, an executable in two apps, an app that is not a
 *         regular file, colliding app ids, too many user sets, a port
 *         range too wide, or too many entries are errors
 *
 * Each distinct inode named gets one label: files sets are numbered from
 * 1 in order, then each app's executables (the files of "app" statements
 * no files set claims), the interpreters, the block devices under the
 * labelled files ("storage"), then paths written in rules that no set
 * covers.  A label protects every access when a rule for any, a user set
 * or an unconfined app names it; an app's executables protect what changes
 * them, writable by the installer; storage protects every access.
 *
 * What the file system says goes in too: the block devices holding
 * labelled files, by device number; under each protected directory, the
 * files with several names and the roots of other file systems, labelled
 * by inode so that no name or mount escapes; and the directories above
 * each labelled object, with their cover labels (policy_cover.h).
 *
 * Return: 0, or -EINVAL when @diags received an error.
 */
int policy_compile(const struct policy *p, struct policy_paths *paths,
		   struct compiled_policy *out, struct diag_list *diags);

void compiled_policy_free(struct compiled_policy *c);

/* The kernel's dev_t encoding of a stat(2) st_dev. */
__u64 kernel_dev(dev_t dev);

/* Widest port range expanded into single ports; use tcp:* beyond. */
#define POLICY_PORT_RANGE_MAX 1024

#endif /* WARD_POLICY_COMPILE_H */
