/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ward - verifying the security log: every line a record, seqs without
 * gaps, each record chained to the one before, the seals, and the end
 * against the head the kernel keeps (GB/T 39276 5.2.1.3 d)
 */

#ifndef WARD_LOGVERIFY_H
#define WARD_LOGVERIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

#include "logrec.h"
#include "logseal.h"

/**
 * struct log_problem - what verify found
 * @file: the segment or bundle
 * @line: the line there; 0 for the log as a whole
 * @seq: the record's seq; 0 when there is none
 * @tamper: records were changed, removed or forged; else the log is only
 *          not fully checked (unsealed records, no key, another key)
 * @what: one sentence
 */
struct log_problem {
	const char *file;
	__u64 line;
	__u64 seq;
	bool tamper;
	const char *what;
};

/**
 * struct log_verify_opts - what to verify, and how
 * @dir: a log directory, or
 * @bundle: an export bundle
 * @key: the verification key (at epoch 0); NULL: seals are not checked
 * @head: whether @head_seq and @head_hash are given (log_verify_head())
 * @head_seq: the seq of the last record, as the kernel keeps it
 * @head_hash: its line's hash
 * @report: called for each problem, in the order of the log
 * @ctx: for @report
 */
struct log_verify_opts {
	const char *dir;
	const char *bundle;
	const struct seal_key *key;
	bool head;
	__u64 head_seq;
	unsigned char head_hash[LOG_HASH_LEN];
	void (*report)(const struct log_problem *p, void *ctx);
	void *ctx;
};

/**
 * struct log_verify_result - the summary
 * @records: lines read
 * @first: the first record's seq
 * @last: the last record's seq
 * @seals: valid seals of the key
 * @sealed: the seq of the last record a valid seal covers
 * @tampered: a problem was tampering
 * @incomplete: a problem was not (unsealed records, no key, ...)
 */
struct log_verify_result {
	__u64 records;
	__u64 first;
	__u64 last;
	__u64 seals;
	__u64 sealed;
	bool tampered;
	bool incomplete;
};

/**
 * log_verify_head - have verify check the end of the log
 * @o: the options
 * @seq: the seq of the last record written, as kept in the kernel
 * @hash: the hash of its line (log_store_head())
 * @len: LOG_HASH_LEN
 *
 * A log that ends before @seq was cut; a record @seq of another hash was
 * changed.
 *
 * Return: 0, or -EINVAL for a @len that is not LOG_HASH_LEN or a @seq of 0.
 */
int log_verify_head(struct log_verify_opts *o, __u64 seq,
		    const unsigned char *hash, size_t len);

/**
 * log_verify - verify a log directory or bundle
 * @o: what and how
 * @r: the summary
 *
 * Return: 0 when the log could be read to the end (the problems are in
 * @r and were reported), or -errno: the directory, a segment or the
 * bundle cannot be read (-EIO: a damaged gzip stream), -EINVAL the bundle
 * is not one.
 */
int log_verify(const struct log_verify_opts *o, struct log_verify_result *r);

#endif /* WARD_LOGVERIFY_H */
