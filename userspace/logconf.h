/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ward - the security log's configuration, /etc/ward/ward.conf: where the
 * log is kept, how long, how large, and how it is sealed (ward.conf(5))
 */

#ifndef WARD_LOGCONF_H
#define WARD_LOGCONF_H

#include <limits.h>
#include <stdbool.h>
#include <json-c/json.h>
#include <linux/types.h>

#define LOG_CONF_PATH "/etc/ward/ward.conf"
#define LOG_DIR_DEFAULT "/var/log/ward"
#define LOG_SEAL_KEY_DEFAULT "/var/lib/ward/log/seal.key"
/* The settings last recorded: only ward writes there (files wardlog). */
#define LOG_CONF_STATE "/var/lib/ward/log/conf.json"
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

/**
 * conf_value - one setting of ward.conf that is not the log's
 * @path: the file, usually LOG_CONF_PATH
 * @key: the key, one log_conf_read() leaves to others
 * @value: set to its value, trimmed
 * @size: @value's size
 *
 * The line syntax is log_conf_read()'s; the caller checks the value.
 *
 * Return: 0; -ENOENT when the file or the key is missing; -EINVAL when
 * the key is set twice or its value does not fit; -errno of reading.
 */
int conf_value(const char *path, const char *key, char *value, size_t size);

/*
 * The settings of @conf as an object keyed as ward.conf's keys: sizes in
 * bytes, durations in seconds, yes/no as booleans, the rest as strings.
 */
json_object *log_conf_json(const struct log_conf *conf);

/**
 * log_conf_changes - how the settings differ from those last recorded
 * @state: the file that keeps those, LOG_CONF_STATE
 * @conf: the settings in force
 * @old: set to the settings @state holds (log_conf_json()), or NULL when
 *       it holds none: missing, unreadable, or not such an object
 * @new: set to log_conf_json(@conf)
 *
 * The caller puts @old and @new.  A record of the change, once in the
 * log, is followed by log_conf_save() of @new.
 *
 * Return: the names of the keys that differ, a JSON array (each key of
 * @new when @old is NULL), or NULL when none does.
 */
json_object *log_conf_changes(const char *state, const struct log_conf *conf,
			      json_object **old, json_object **new);

/**
 * log_conf_save - keep @settings as the settings last recorded
 * @state: LOG_CONF_STATE
 * @settings: from log_conf_changes()
 *
 * Written beside @state, synced, and renamed over it: @state is the old
 * settings or the new, whole, whenever the machine stops.
 *
 * Return: 0, or -errno of creating, writing, syncing or renaming the file.
 */
int log_conf_save(const char *state, json_object *settings);

/* "rotate", "keep-critical" or "halt". */
const char *log_full_action_name(enum log_full_action action);

#endif /* WARD_LOGCONF_H */
