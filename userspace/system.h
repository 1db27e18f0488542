/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ward - what ward needs from the running system, checked up front so that
 * a missing piece gives one clear line instead of a failed syscall
 */

#ifndef WARD_SYSTEM_H
#define WARD_SYSTEM_H

#include <stdbool.h>
#include <stddef.h>

#define LSM_LIST_PATH "/sys/kernel/security/lsm"
#define BPFFS_PATH "/sys/fs/bpf"

/* Each returns 0, or reports what is missing with p_err() and returns -1. */
int require_root(void);
int require_bpffs(void);
int require_bpf_lsm(void);

/*
 * Reads the first line of the kernel's file @path (sysfs, procfs) into
 * @buf, without its newline; 0 or -errno.
 */
int read_line(const char *path, char *buf, size_t size);

/* Reads the kernel's active LSMs into @buf; -errno on failure. */
int lsm_list(char *buf, size_t size);

/* Is "bpf" one of the comma-separated names in @list? */
bool lsm_list_has_bpf(const char *list);

#endif /* WARD_SYSTEM_H */
