/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ward - compiled policies in the kernel
 */

#ifndef WARD_POLICY_MAP_H
#define WARD_POLICY_MAP_H

#include "policy_compile.h"

/**
 * struct ward_maps - the maps a policy change touches
 * @policy: ward_policy, the array of maps holding the active policy
 * @info: ward_info
 */
struct ward_maps {
	int policy;
	int info;
};

/**
 * policy_map_install - make a compiled policy the active one
 * @maps: where
 * @c: the compiled policy
 *
 * Builds a new policy map and swaps it into ward_policy in one update:
 * tasks see the whole old policy or the whole new one.  The kernel waits
 * for programs still using the old map before the update returns; labels
 * cached under the old policy carry its serial and are not believed.  On
 * failure the old policy stays active.
 *
 * Return: 0 or -errno.
 */
int policy_map_install(const struct ward_maps *maps,
		       const struct compiled_policy *c);

/* The active policy map as an fd, or -errno (-ENOENT: none loaded). */
int policy_map_active(int outer_fd);

#endif /* WARD_POLICY_MAP_H */
