/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ward - taking ward's programs out of the kernel, and knowing when they
 * are out
 *
 * A pinned link keeps its program attached.  Unpinning alone leaves the
 * detach to the kernel, later (from 6.6 in a workqueue, after an RCU grace
 * period); holding the link open across the unpin and closing it last
 * makes the detach happen in that close(), so that it is over when
 * release_dir() returns.  The kernel still decides when a program is
 * freed, so what counts is whether ward's programs are loaded at all:
 * programs that use a map named "ward_policy".
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
 * release_wait - wait until the kernel holds no program of ward's
 *
 * For when no ward runs: after a stop, or before a start, so that the
 * programs of an earlier ward (a start killed before it pinned, a stop
 * killed after it unpinned) never enforce beside a new one.
 *
 * Return: 0, -ETIMEDOUT after RELEASE_TIMEOUT_MS with programs still
 * loaded (some process holds them open), or -errno if they cannot be
 * listed.
 */
int release_wait(void);

#endif /* WARD_RELEASE_H */
