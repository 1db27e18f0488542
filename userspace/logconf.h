/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ward - the security log's configuration, /etc/ward/ward.conf: where the
 * log is kept, how long, how large, and how it is sealed (ward.conf(5))
 */

#ifndef WARD_LOGCONF_H
#define WARD_LOGCONF_H

#include <limits.h>
#include <stdbool.h>
#include <linux/types.h>

#define LOG_CONF_PATH "/etc/ward/ward.conf"
#define LOG_DIR_DEFAULT "/var/log/ward"
#define LOG_SEAL_KEY_DEFAULT "/var/lib/ward/log/seal.key"
/* China's Cybersecurity Law, art. 21: logs kept at least six months. */
#define LOG_RETENTION_MIN (180ULL * 24 * 3600)

/* What the log does when full and nothing is old enough to delete. */
enum log_full_action {
	LOG_FULL_ROTATE, /* delete the oldest segment past retention */
	LOG_FULL_KEEP_CRITICAL, /* refuse DENY and LOST records */
	LOG_FULL_HALT, /* refuse every record */
};

/**
 * struct log_conf - the log's settings
 * @dir: the directory of the segments (log-directory)
 * @hash: "sha256" or "sm3" (log-hash)
 * @max_size: bytes all segments may take (log-max-size)
 * @segment_size: bytes after which a segment is closed (log-segment-size)
 * @retention: seconds a segment is kept at least (log-retention)
 * @retention_override: a @retention under LOG_RETENTION_MIN is allowed
 *                      (log-retention-override)
 * @warn_percent: use of @max_size that is reported (log-warn-percent)
 * @compress: closed segments are gzipped (log-compress)
 * @full_action: what to do when full (log-full-action)
 * @seal_interval: seconds of a sealing epoch (log-seal-interval)
 * @seal_key: the sealing key's file (log-seal-key)
 * @auditor_group: the group that may read the log besides root; empty for
 *                 none (log-auditor-group)
 * @clock: CLOCK_REALTIME in ns, for the store's own records, retention and
 *         sealing; log_conf_read() sets the real one, tests their own
 */
struct log_conf {
	char dir[PATH_MAX];
	char hash[8];
	__u64 max_size;
	__u64 segment_size;
	__u64 retention;
	bool retention_override;
	unsigned int warn_percent;
	bool compress;
	enum log_full_action full_action;
	__u64 seal_interval;
	char seal_key[PATH_MAX];
	char auditor_group[64];
	__u64 (*clock)(void);
};

/* Fills @conf with the defaults of ward.conf(5). */
void log_conf_default(struct log_conf *conf);

/**
 * log_conf_read - read the log's configuration
 * @path: the file, usually LOG_CONF_PATH
 * @conf: filled with the defaults, then with the file's settings
 *
 * A missing file means the defaults.  Lines are "key = value"; "#" starts
 * a comment line.
 *
 * Return: 0, or -1 after p_err() naming the file and line, what is wrong
 * and what to do: an unreadable file, an unknown or repeated key, a bad
 * value, a retention under six months without log-retention-override,
 * or a segment size over the maximum size.
 */
int log_conf_read(const char *path, struct log_conf *conf);

/* "rotate", "keep-critical" or "halt". */
const char *log_full_action_name(enum log_full_action action);

#endif /* WARD_LOGCONF_H */
