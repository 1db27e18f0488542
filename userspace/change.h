/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ward - telling the security log who changed ward
 */

#ifndef WARD_CHANGE_H
#define WARD_CHANGE_H

#include "ward_abi.h"

/*
 * Queues what this process changed, op @op (enum ward_change_op) asking
 * @detail (NULL for nothing), or was refused with @error, in the queue
 * @fd, or in the running ward's when @fd is negative.  Best effort: the
 * daemon sees the change itself in the kernel's record of the policy,
 * only without who made it.
 */
void change_report(int fd, __u32 op, const char *detail, int error);

#endif /* WARD_CHANGE_H */
