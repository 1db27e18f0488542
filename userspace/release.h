/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ward - taking ward's programs out of the kernel, and knowing when they
 * are out
 *
 * A pinned link keeps its program attached.  Unpinning alone leaves the
 * detach to the kernel, later (from 6.6 in a workqueue, after an RCU grace
 * period); holding the link open across the unpin and closing it last
 * makes the detach happen in that close(), so that it is over when
 * release_dir() returns.  What enforces is an attached program: what
 * counts is whether a link attaches a program of ward's (one that uses a
 * map named "ward_policy").  When the kernel frees the detached programs
 * (after an RCU grace period, seconds under TCG) does not matter.
 */

#ifndef WARD_RELEASE_H
#define WARD_RELEASE_H

/* bpffs refuses names with dots. */
#define RELEASE_STAGING_PREFIX "ward-staging-"
#define RELEASE_STOPPING_PREFIX "ward-stopping-"

/* How long programs may take to go once unpinned, before it is an error. */
#define RELEASE_TIMEOUT_MS 120000

/**
 * release_dir - detach and unpin a pin directory of ward's
 * @dir: WARD_PIN_DIR's layout: links/ and maps/
 *
 * Return: 0; -ENOENT if @dir does not exist; another -errno if a pin could
 * not be removed (what could be is removed, links first).
 */
int release_dir(const char *dir);

/**
 * release_stale - release what a start or a stop that died left behind
 * @busy_pid: set to the pid of a start still in progress, else 0
 *
 * Staging directories of starts and stopping directories of stops whose
 * process is gone are released.
 *
 * Return: the number released, or -errno.
 */
int release_stale(int *busy_pid);

/**
 * release_wait - wait until no program of ward's is attached
 *
 * For when no ward runs: after a stop, or before a start, so that the
 * programs of an earlier ward (a start killed before it pinned, a stop
 * killed after it unpinned) never enforce beside a new one.
 *
 * Return: 0, -ETIMEDOUT after RELEASE_TIMEOUT_MS with links still
 * attached (some process holds them open), or -errno if they cannot be
 * listed.
 */
int release_wait(void);

#endif /* WARD_RELEASE_H */
