/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ward - "ward status": what it reads from the kernel that the log daemon
 * reads too
 */

#ifndef WARD_STATUS_H
#define WARD_STATUS_H

#include <linux/types.h>

/*
 * Counter @stat (enum ward_stat) of the per-CPU map ward_stats, open as
 * @stats_fd, summed over the CPUs; 0 when it cannot be read.
 */
__u64 stat_sum(int stats_fd, __u32 stat);

#endif /* WARD_STATUS_H */
