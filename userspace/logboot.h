/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ward - what the security log's BOOT and SHUTDOWN records say
 */

#ifndef WARD_LOGBOOT_H
#define WARD_LOGBOOT_H

#include <json-c/json.h>

/*
 * Adds to a BOOT record: "kernel", "kernel_version", "cmdline", "uptime"
 * and "enforcing_since" (seconds after the kernel booted; null when ward
 * enforces nothing), "locked" and "break_glass".
 */
void boot_facts(json_object *rec);

/*
 * Adds to the daemon's SHUTDOWN record: "source", "kind" (poweroff,
 * reboot, halt, kexec, soft-reboot; null when systemd is not shutting
 * down) and "uptime".
 */
void shutdown_facts(json_object *rec);

#endif /* WARD_LOGBOOT_H */
