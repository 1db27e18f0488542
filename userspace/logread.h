/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ward - reading the security log: its segments in order, plain or
 * gzipped, line by line
 */

#ifndef WARD_LOGREAD_H
#define WARD_LOGREAD_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>
#include <linux/types.h>

/* A segment is named by the seq of its first record: 20 digits. */
#define LOG_SEG_DIGITS 20
#define LOG_SEG_NAME_MAX 40
/* The first line of an export bundle says what it is. */
#define LOG_BUNDLE_KEY "ward-log-bundle"

/**
 * struct log_segment - a segment file of the log directory
 * @name: "SEQ.jsonl" or, closed and compressed, "SEQ.jsonl.gz"
 * @first: the seq its name gives
 * @size: its size in bytes
 * @mtime: when it was last written
 * @gz: whether it is compressed
 */
struct log_segment {
	char name[LOG_SEG_NAME_MAX];
	__u64 first;
	__u64 size;
	time_t mtime;
	bool gz;
};

/**
 * log_segments - the segments of a log directory, in order
 * @dirfd: the directory
 * @segs: set to an array to free()
 * @n: set to its length
 *
 * A segment both plain and compressed (a compression cut short) is listed
 * once, plain; other files are not listed.
 *
 * Return: 0, or the -errno of reading the directory.
 */
int log_segments(int dirfd, struct log_segment **segs, size_t *n);

/**
 * struct log_line - a line read
 * @text: its bytes, NUL-terminated, without the newline
 * @len: their number
 * @complete: whether a newline ended it (not so for a torn last line)
 * @file: the segment or file it is in
 * @lineno: its line number there, from 1
 */
struct log_line {
	const char *text;
	size_t len;
	bool complete;
	const char *file;
	__u64 lineno;
};

struct log_reader;

/**
 * log_reader_open - read every segment of a log directory, in order
 * @r: set to the reader
 * @dir: the directory
 *
 * Return: 0, or -errno: the directory cannot be opened or read, -ENOMEM.
 */
int log_reader_open(struct log_reader **r, const char *dir);

/* Reads one file, plain or gzipped (an export bundle); as above. */
int log_reader_open_file(struct log_reader **r, const char *path);

/**
 * log_reader_next - the next line
 * @r: the reader
 * @line: filled; valid until the next call
 *
 * Return: 1 for a line, 0 at the end, or -errno: a segment cannot be
 * opened or read (-EIO for a damaged gzip stream).
 */
int log_reader_next(struct log_reader *r, struct log_line *line);

void log_reader_close(struct log_reader *r);

#endif /* WARD_LOGREAD_H */

/**
 * log_export - write a log directory's records to one bundle
 * @dir: the log directory
 * @out: the bundle: gzipped JSON Lines, first a manifest
 *       {"ward-log-bundle":1,"exported":TIME,"first":SEQ,"last":SEQ,
 *       "lines":N}, then every line of every segment as it is
 * @now_ns: the export's time, for the manifest
 *
 * Return: 0, or -errno of reading the log or writing @out (-EIO for
 * gzip); @out is removed on failure.
 */
int log_export(const char *dir, const char *out, __u64 now_ns);
