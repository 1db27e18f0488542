/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ward - compiled policies in the kernel
 */

#ifndef WARD_POLICY_MAP_H
#define WARD_POLICY_MAP_H

#include "policy_compile.h"

/**
 * policy_map_install - make a compiled policy the active one
 * @outer_fd: the ward_policy map (array of maps)
 * @info_fd: the ward_info map
 * @c: the compiled policy
 *
 * Builds a new policy map, freezes it, and swaps it into ward_policy in
 * one update: tasks see the whole old policy or the whole new one.  On
 * failure the old policy stays active.
 *
 * Return: 0 or -errno.
 */
int policy_map_install(int outer_fd, int info_fd,
		       const struct compiled_policy *c);

/* The active policy map as an fd, or -errno (-ENOENT: none loaded). */
int policy_map_active(int outer_fd);

#endif /* WARD_POLICY_MAP_H */
