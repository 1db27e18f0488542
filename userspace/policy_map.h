/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ward - compiled policies in the kernel
 */

#ifndef WARD_POLICY_MAP_H
#define WARD_POLICY_MAP_H

#include "policy_compile.h"

/**
 * struct ward_maps - the maps a policy change touches
 * @policy: ward_policy, the array of maps: the active policy, and the
 *          next one while it is loaded
 * @info: ward_info
 * @state: ward_state
 * @app_names: ward_app_names
 * @epoch: ward_epoch
 */
struct ward_maps {
	int policy;
	int info;
	int state;
	int app_names;
	int epoch;
};

/* How long a load waits for the renames and links in flight. */
#define POLICY_MAP_CARRY_WAIT_MS 2000

/**
 * policy_map_install - make a compiled policy the active one
 * @maps: where
 * @c: the compiled policy
 *
 * Builds a new policy map and swaps it into ward_policy in one update:
 * tasks see the whole old policy or the whole new one.  The kernel waits
 * for programs still using the old map before the update returns; labels
 * cached under the old policy carry its epoch and are not believed, nor
 * any while the update is under way (struct ward_epoch).
 *
 * A file protected before and after the load is protected throughout: the
 * new map first goes in the next slot, where the programs carry labels
 * into it as into the active one (a file replaced by rename, as passwd
 * does); once the renames already in flight are over, every path the
 * policy was compiled from is looked at again, and an inode that changed
 * since gets the label in the new map, the stale one losing it (its
 * number could label whatever file reuses it).  Only then does the new
 * map become the active one.
 *
 * The map holds the policy's entries and room for the labels the
 * programs carry (policy_map_capacity()).
 *
 * Return: 0; -EAGAIN when the programs could not carry a label into the
 * new map (it was full); -E2BIG for more than WARD_POLICY_COMPILED_MAX
 * entries (the compiler refuses them first); or -errno.  On failure the old policy stays
 * active.
 */
int policy_map_install(const struct ward_maps *maps,
		       const struct compiled_policy *c);

/*
 * The max_entries of the map of a policy of @n entries: room for the
 * labels the programs carry while it is active (ward_abi.h).
 */
__u32 policy_map_capacity(size_t n);

/* The active policy map as an fd, or -errno (-ENOENT: none loaded). */
int policy_map_active(int outer_fd);

/*
 * The active policy's settings, both from the one map: @meta, and @kernel
 * unless NULL; each stays as it was where the map has no such entry.
 * Return: 0, or -errno (-ENOENT: none loaded).
 */
int policy_map_settings(int outer_fd, struct ward_meta *meta,
			struct ward_kernel *kernel);

#endif /* WARD_POLICY_MAP_H */
