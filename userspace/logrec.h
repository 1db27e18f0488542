/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ward - a record of the security log: its time, its type, the hash that
 * chains it to the next one (GB/T 39276 5.1.1.3, 5.2.1.3 d)
 */

#ifndef WARD_LOGREC_H
#define WARD_LOGREC_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include <openssl/evp.h>

/* "2026-11-29T23:12:16.123456789Z" and its NUL. */
#define LOG_TIME_LEN 31
/* A "boot_id" (/proc/sys/kernel/random/boot_id) and its NUL. */
#define LOG_BOOT_ID_LEN 37
/* A "type" a record of the daemon's has ("CONFIG_CHANGE"), and its NUL. */
#define LOG_TYPE_LEN 16

/* Both hashes a log may use, SHA-256 and SM3, have 32 bytes. */
#define LOG_HASH_LEN 32
/* "sha256:" and 64 hex digits, and a NUL. */
#define LOG_PREV_LEN 80
/* A record's line, without its newline, is at most this long. */
#define LOG_LINE_MAX 65536

/* Formats CLOCK_REALTIME nanoseconds @ns as UTC ISO 8601, to the ns. */
void log_time_format(__u64 ns, char buf[LOG_TIME_LEN]);

/**
 * log_time_parse - the nanoseconds since the epoch of a UTC time
 * @s: "YYYY-MM-DD", optionally followed by "THH:MM:SS" (or a space instead
 *     of the T), a fraction of up to 9 digits, and a "Z"
 * @ns: the result
 *
 * Return: 0, or -EINVAL when @s is not such a time.
 */
int log_time_parse(const char *s, __u64 *ns);

/* CLOCK_REALTIME now, in nanoseconds. */
__u64 log_realtime_ns(void);
/* CLOCK_BOOTTIME now, in nanoseconds: since the kernel booted. */
__u64 log_boottime_ns(void);

/* The hash named "sha256" or "sm3"; NULL for any other name. */
const EVP_MD *log_hash_md(const char *name);

/* Hashes @len bytes of @data into @out (LOG_HASH_LEN bytes); -EIO. */
int log_hash(const EVP_MD *md, const void *data, size_t len,
	     unsigned char out[LOG_HASH_LEN]);
/* The same with @ctx, kept by the caller from hash to hash: making and
 * freeing one each time was a third of hashing a record's line.  Not for
 * secrets: @ctx keeps the last block until the next use. */
int log_hash_ctx(EVP_MD_CTX *ctx, const EVP_MD *md, const void *data,
		 size_t len, unsigned char out[LOG_HASH_LEN]);

/* Writes @n bytes as 2 * @n lower-case hex digits and a NUL to @out. */
void log_hex(const unsigned char *b, size_t n, char *out);

/* Reads exactly @n bytes of hex from @s; -EINVAL for anything else. */
int log_unhex(const char *s, unsigned char *out, size_t n);

/*
 * Formats a record's "prev": "ALG:HEX", the hash of the previous line with
 * the log's hash, named.  Naming it lets the log change its hash, and lets
 * an auditor check a copy without the machine's configuration.
 */
void log_prev_format(const EVP_MD *md, const unsigned char *hash,
		     char out[LOG_PREV_LEN]);

/**
 * log_prev_parse - the hash and the hash function a "prev" names
 * @prev: "ALG:HEX"
 * @md: the hash function ALG names
 * @hash: the LOG_HASH_LEN bytes of HEX
 *
 * Return: 0, or -EINVAL for an unknown ALG or a malformed HEX.
 */
int log_prev_parse(const char *prev, const EVP_MD **md,
		   unsigned char hash[LOG_HASH_LEN]);

/*
 * Whether records of @type are kept when the log is full and its action is
 * keep-critical: all but DENY, which the writer counts instead.  LOST is
 * kept, for it holds those counts; ward logd writes it, while the log is
 * full, only before another record kept.
 */
bool log_type_critical(const char *type);

#endif /* WARD_LOGREC_H */
