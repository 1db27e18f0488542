/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ward - locked mode
 *
 * A ward started locked ("ward start --lock", or a policy that says
 * "lock") cannot be stopped, lowered to complain mode or given another
 * policy until the next boot (GB/T 39276 5.1.1.2 c).  Only ward itself
 * could do those things (module/guard.bpf.c keeps everyone else from its
 * objects, pins and processes), and it refuses.  The way back is a boot
 * with "ward=unlocked" on the kernel's command line, which is visible:
 * ward then starts unlocked and says so.
 */

#ifndef WARD_LOCK_H
#define WARD_LOCK_H

#include <stdbool.h>
#include <linux/types.h>

/* The kernel command-line word that makes a locked start unlocked. */
#define LOCK_CMDLINE "ward=unlocked"

/*
 * The lock is recorded as directories in ward's pin directory: only ward
 * may change what is there (compile_self() labels it), and every version
 * of ward finds them, whatever its ABI, so that a newer binary does not
 * stop a locked ward of an older one.
 */
#define LOCK_MARK_LOCKED "locked"
#define LOCK_MARK_BREAK_GLASS "break-glass"

/**
 * enum lock_flags - what lock_flags() finds
 * @LOCK_LOCKED: until the next boot ward cannot be stopped, its mode not
 *               lowered to complain, its policy not replaced but by a
 *               signed, newer one (policy_trust.h).
 * @LOCK_BREAK_GLASS: started unlocked though asked to lock, because the
 *                    kernel's command line says LOCK_CMDLINE.
 */
enum lock_flags {
	LOCK_LOCKED = 1 << 0,
	LOCK_BREAK_GLASS = 1 << 1,
};

/* Does the kernel's command line hold LOCK_CMDLINE? */
bool lock_break_glass(void);

/* The enum lock_flags of the ward pinned in @dir. */
__u32 lock_flags(const char *dir);

/* Records @flags in @dir, a pin directory being made; 0 or -errno. */
int lock_mark(const char *dir, __u32 flags);

/* Removes what lock_mark() made in @dir; 0 or -errno. */
int lock_unmark(int dir_fd);

/*
 * Refuses, with p_err() naming what @refused, when the running ward is
 * locked, and tells the security log who was refused @op (enum
 * ward_change_op) asking @detail (change_report()); returns 0 when it is
 * not, -1 when it is.
 */
int require_unlocked(__u32 op, const char *detail, const char *refused);

#endif /* WARD_LOCK_H */
