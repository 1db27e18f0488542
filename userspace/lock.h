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
#define LOCK_BREAK_GLASS "ward=unlocked"

/* Does the kernel's command line hold LOCK_BREAK_GLASS? */
bool lock_break_glass(void);

/*
 * The running ward's enum ward_state_flags into @flags.  Returns 0, or -1
 * after p_err().
 */
int lock_flags(__u32 *flags);

/*
 * Refuses, with p_err() naming what @refused, when the running ward is
 * locked; returns 0 when it is not, -1 when it is or cannot be read.
 */
int require_unlocked(const char *refused);

#endif /* WARD_LOCK_H */
