/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ward - the security log's store: append-only segments of JSON Lines,
 * each record chained to the one before by its hash and sealed forward-
 * securely (GB/T 39276 5.1.1.3 a-c, 5.2.1.3 d)
 *
 * One process writes (ward logd); anyone allowed reads the files.  Records
 * are JSON objects with at least "type" and "time"; the store adds "seq"
 * first and "prev" last.  Documentation/design.rst has the format.
 */

#ifndef WARD_LOGSTORE_H
#define WARD_LOGSTORE_H

#include <stdbool.h>
#include <stddef.h>
#include <json-c/json.h>
#include <linux/types.h>

#include "logconf.h"
#include "logrec.h"

struct log_store;

/**
 * log_store_open - open the log for writing
 * @s: set to the store
 * @conf: its settings, copied
 *
 * Creates the directory (0750, group @conf->auditor_group) if need be and
 * locks it: there is one writer.  A torn last record, which a power loss
 * leaves, is cut, and a STORE record says how many bytes.  A segment left
 * both plain and compressed is cleaned up and closed plain segments are
 * compressed.  The sealing key is loaded if @conf->seal_key exists.  A
 * CONFIG_CHANGE record is written when the log's hash changed, and when a
 * retention under six months is in force by log-retention-override.
 *
 * Return: 0, or -errno: -EBUSY another process writes the log, -ENOENT
 * the auditor group does not exist, -EINVAL an unknown hash or a key file
 * that is not one, -EIO a hash failed; or that of creating, locking,
 * reading or writing the directory, its segments or the key file.
 */
int log_store_open(struct log_store **s, const struct log_conf *conf);

/**
 * log_store_append - write one record
 * @s: the store
 * @rec: a JSON object with a string "type" and a "time" as
 *       log_time_format() gives; its "seq" and "prev", if any, are
 *       replaced.  The caller keeps its reference.
 *
 * Before a record of a later sealing epoch than the key's (by its "time"),
 * the records so far are sealed, then each epoch in between, and the key
 * moves on.  The line goes out in one write(); whatever fails, no part of
 * it stays.  The caller syncs with log_store_sync() or log_store_flush().
 *
 * Return: 0, or -errno: -EINVAL @rec lacks "type" or "time", or its time
 * is not one; -E2BIG its line is over LOG_LINE_MAX; -ENOSPC the log is
 * full and its full action refuses the record (keep-critical: DENY and
 * LOST; halt: all); that of write() (-ENOSPC, -EIO, -EFBIG, ...), of
 * opening or closing segments, or of saving the key.  A closed segment
 * is compressed by the store's worker thread, off the writer's path: one
 * that fails stays plain, and the next open compresses it.
 */
int log_store_append(struct log_store *s, json_object *rec);

/**
 * log_store_seal - seal the records written so far
 * @s: the store
 *
 * Seals the key's epoch and each epoch up to the clock's, evolves the
 * key to that, and seals again with it, unless the last record is
 * already that seal.  The daemon calls it every log-seal-interval and at
 * shutdown.  The records are synced.
 *
 * Return: 0 (also without a key: nothing to do), or -errno as for
 * log_store_append().
 */
int log_store_seal(struct log_store *s);

/**
 * log_store_sync - make every record appended so far durable
 * @s: the store
 *
 * fdatasync() of the current segment, waited for (closed segments were
 * synced when closed).  Before the daemon saves what a record says was
 * done (ward.conf's settings as recorded), and within log_store_seal().
 *
 * Return: 0, or -errno: that of fdatasync(), or the first a sync
 * log_store_flush() began failed with since.
 */
int log_store_sync(struct log_store *s);

/**
 * log_store_flush - begin making the records appended so far durable
 * @s: the store
 *
 * Every record is in its segment's file once appended (a kill of the
 * writer loses none); this has the store's worker thread fdatasync() it,
 * and returns without waiting for the disk.  A sync not yet begun is not
 * queued twice, and none is when no record was appended since the last
 * flush or sync.  The daemon calls it after each wakeup, once it drained
 * the ring buffer.
 *
 * Return: 0, or -errno: the first a sync begun earlier failed with
 * (reported once), or that of fdatasync() when no worker could be made
 * and it was done here.
 */
int log_store_flush(struct log_store *s);

/**
 * log_store_head - the last record, for the kernel to keep
 * @s: the store
 * @seq: its seq; 0 when the log is empty
 * @hash: its line's hash, with the hash its "prev" names; LOG_HASH_LEN
 *        bytes
 * @len: set to LOG_HASH_LEN
 *
 * "ward log verify --head" checks the log against these.
 *
 * Return: 0, or -ENODATA when the log is empty.
 */
int log_store_head(const struct log_store *s, __u64 *seq,
		   unsigned char hash[LOG_HASH_LEN], size_t *len);

/**
 * log_store_last_boot - the boot of the newest record that names one
 * @s: the store
 * @type: set to that record's "type"
 *
 * The daemon writes BOOT when the newest record is of another boot, and
 * says whether that boot's last record was its SHUTDOWN.  Looked for in
 * the newest segment only.
 *
 * Return: its "boot_id", or NULL when no record there names a boot.
 */
const char *log_store_last_boot(const struct log_store *s, const char **type);

/**
 * struct log_usage - how full the log is
 * @used: bytes of all segments
 * @max: log-max-size
 * @percent: @used in percent of @max
 * @warn: @percent reached log-warn-percent; a STORE record said so once
 *        when it did
 */
struct log_usage {
	__u64 used;
	__u64 max;
	unsigned int percent;
	bool warn;
};

void log_store_usage(const struct log_store *s, struct log_usage *u);

/* Closes the store, its lock and its key, once the worker has done every
 * sync and compression queued.  It does not seal. */
void log_store_close(struct log_store *s);

#endif /* WARD_LOGSTORE_H */
