/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ward - reading the events the programs reported
 */

#ifndef WARD_LOG_H
#define WARD_LOG_H

#include <stdbool.h>

#include "ward_abi.h"

/**
 * log_read - consume the events waiting in the pinned ring buffer
 * @fn: called for each event, with @ctx and the realtime offset of its
 *      boot_ns (event_boot_offset())
 * @ctx: for @fn
 * @follow: keep waiting for new events until SIGINT or SIGTERM
 *
 * Return: 0, or -1 after p_err().
 */
int log_read(void (*fn)(const struct ward_event *ev, __s64 boot_offset,
			void *ctx),
	     void *ctx, bool follow);

#endif /* WARD_LOG_H */
