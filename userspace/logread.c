// SPDX-License-Identifier: GPL-2.0
/*
 * ward - reading the security log
 *
 * zlib reads plain files as they are, so one reader serves both kinds of
 * segment and the export bundle.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <zlib.h>

#include <json-c/json.h>

#include "logread.h"
#include "logrec.h"
#include "xalloc.h"

/* The seq a segment's name gives, and whether it is compressed; -EINVAL. */
static int segment_name(const char *name, __u64 *first, bool *gz)
{
	const char *p = name;

	*first = 0;
	for (int i = 0; i < LOG_SEG_DIGITS; i++, p++) {
		if (*p < '0' || *p > '9')
			return -EINVAL;
		*first = *first * 10 + (*p - '0');
	}
	if (!strcmp(p, ".jsonl"))
		*gz = false;
	else if (!strcmp(p, ".jsonl.gz"))
		*gz = true;
	else
		return -EINVAL;
	return 0;
}

static int by_first(const void *a, const void *b)
{
	const struct log_segment *x = a, *y = b;

	if (x->first != y->first)
		return x->first < y->first ? -1 : 1;
	return x->gz - y->gz;
}

int log_segments(int dirfd, struct log_segment **segs, size_t *n)
{
	struct log_segment *s = NULL;
	size_t len = 0, cap = 0, out = 0;
	struct dirent *de;
	DIR *d;
	int fd;

	fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return -errno;
	}
	while ((errno = 0, de = readdir(d))) {
		struct log_segment seg = {};
		struct stat st;

		if (strlen(de->d_name) >= sizeof(seg.name) ||
		    segment_name(de->d_name, &seg.first, &seg.gz) ||
		    fstatat(dirfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) ||
		    !S_ISREG(st.st_mode))
			continue;
		strcpy(seg.name, de->d_name);
		seg.size = st.st_size;
		seg.mtime = st.st_mtime;
		GROW(s, len, cap);
		s[len++] = seg;
	}
	if (errno) {
		int err = -errno;

		closedir(d);
		free(s);
		return err;
	}
	closedir(d);
	qsort(s, len, sizeof(*s), by_first);
	for (size_t i = 0; i < len; i++)
		if (!out || s[out - 1].first != s[i].first)
			s[out++] = s[i];
	*segs = s;
	*n = out;
	return 0;
}

struct log_reader {
	int dirfd; /* -1: one file */
	char path[PATH_MAX];
	struct log_segment *segs;
	size_t nsegs, next;
	gzFile gz;
	const char *file;
	__u64 lineno;
	char *buf;
	size_t cap;
};

int log_reader_open(struct log_reader **r, const char *dir)
{
	struct log_reader *rd = xcalloc(1, sizeof(*rd));
	int err;

	rd->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (rd->dirfd < 0) {
		err = -errno;
		free(rd);
		return err;
	}
	err = log_segments(rd->dirfd, &rd->segs, &rd->nsegs);
	if (err) {
		close(rd->dirfd);
		free(rd);
		return err;
	}
	*r = rd;
	return 0;
}

int log_reader_open_file(struct log_reader **r, const char *path)
{
	struct log_reader *rd = xcalloc(1, sizeof(*rd));
	int fd;

	rd->dirfd = -1;
	snprintf(rd->path, sizeof(rd->path), "%s", path);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || !(rd->gz = gzdopen(fd, "r"))) {
		int err = fd < 0 ? -errno : -ENOMEM;

		if (fd >= 0)
			close(fd);
		free(rd);
		return err;
	}
	rd->file = rd->path;
	*r = rd;
	return 0;
}

/* Opens the next segment; 0, 1 when there is none, or -errno. */
static int next_segment(struct log_reader *r)
{
	struct log_segment *seg;
	int fd;

	if (r->dirfd < 0 || r->next == r->nsegs)
		return 1;
	seg = &r->segs[r->next++];
	fd = openat(r->dirfd, seg->name, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT && !seg->gz) {
		/* Compressed since it was listed. */
		strcat(seg->name, ".gz");
		seg->gz = true;
		fd = openat(r->dirfd, seg->name, O_RDONLY | O_CLOEXEC);
	}
	if (fd < 0)
		return -errno;
	r->gz = gzdopen(fd, "r");
	if (!r->gz) {
		close(fd);
		return -ENOMEM;
	}
	r->file = seg->name;
	r->lineno = 0;
	return 0;
}

int log_reader_next(struct log_reader *r, struct log_line *line)
{
	size_t len = 0;
	int err;

	for (;;) {
		if (!r->gz) {
			err = next_segment(r);
			if (err)
				return err > 0 ? 0 : err;
		}
		for (;;) {
			int errnum;

			if (r->cap - len < 2) {
				r->cap = r->cap ? r->cap * 2 : 4096;
				r->buf = xrealloc(r->buf, r->cap, 1);
			}
			if (!gzgets(r->gz, r->buf + len, r->cap - len)) {
				gzerror(r->gz, &errnum);
				/* A gzip stream cut short is damage too. */
				if (errnum != Z_OK)
					return -EIO;
				break;
			}
			len += strlen(r->buf + len);
			if (r->buf[len - 1] == '\n')
				break;
		}
		if (len)
			break;
		gzclose(r->gz);
		r->gz = NULL;
		if (r->dirfd < 0)
			return 0;
	}
	line->complete = r->buf[len - 1] == '\n';
	if (line->complete)
		r->buf[--len] = '\0';
	line->text = r->buf;
	line->len = len;
	line->file = r->file;
	line->lineno = ++r->lineno;
	return 1;
}

void log_reader_close(struct log_reader *r)
{
	if (!r)
		return;
	if (r->gz)
		gzclose(r->gz);
	if (r->dirfd >= 0)
		close(r->dirfd);
	free(r->segs);
	free(r->buf);
	free(r);
}

/* The seq of a line that is a record, else 0; for the manifest only. */
static __u64 line_seq(const char *text)
{
	json_object *obj = json_tokener_parse(text), *v;
	__u64 seq = 0;

	if (obj && json_object_is_type(obj, json_type_object) &&
	    json_object_object_get_ex(obj, "seq", &v))
		seq = json_object_get_int64(v);
	json_object_put(obj);
	return seq;
}

/* Every line of @dir into @gz, after the manifest @first..@last. */
static int copy_lines(const char *dir, gzFile gz, json_object *manifest)
{
	__u64 first = 0, last = 0, n = 0;
	struct log_reader *r;
	struct log_line l;
	const char *m;
	int err;

	/* Two passes: the manifest, which comes first, counts the lines. */
	err = log_reader_open(&r, dir);
	while (!err && (err = log_reader_next(r, &l)) > 0) {
		__u64 seq = line_seq(l.text);

		if (!first)
			first = seq;
		last = seq ? seq : last;
		n++;
		err = 0;
	}
	log_reader_close(r);
	if (err)
		return err;
	json_object_object_add(manifest, "first", json_object_new_int64(first));
	json_object_object_add(manifest, "last", json_object_new_int64(last));
	json_object_object_add(manifest, "lines", json_object_new_int64(n));
	m = json_object_to_json_string_ext(manifest, JSON_C_TO_STRING_PLAIN);
	if (gzprintf(gz, "%s\n", m) <= 0)
		return -EIO;
	err = log_reader_open(&r, dir);
	while (!err && (err = log_reader_next(r, &l)) > 0) {
		err = 0;
		if (gzwrite(gz, l.text, l.len) != (int)l.len ||
		    (l.complete && gzputc(gz, '\n') < 0))
			err = -EIO;
	}
	log_reader_close(r);
	return err;
}

int log_export(const char *dir, const char *out, __u64 now_ns)
{
	json_object *manifest = json_object_new_object();
	char t[LOG_TIME_LEN];
	gzFile gz;
	int fd, syncfd, err;

	log_time_format(now_ns, t);
	json_object_object_add(manifest, LOG_BUNDLE_KEY,
			       json_object_new_int(1));
	json_object_object_add(manifest, "exported", json_object_new_string(t));
	fd = open(out, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
	if (fd < 0) {
		json_object_put(manifest);
		return -errno;
	}
	syncfd = dup(fd);
	gz = syncfd < 0 ? NULL : gzdopen(fd, "wb");
	if (!gz) {
		err = syncfd < 0 ? -errno : -ENOMEM;
		close(fd);
	} else {
		err = copy_lines(dir, gz, manifest);
		if (gzclose(gz) != Z_OK && !err)
			err = -EIO;
	}
	json_object_put(manifest);
	if (!err && fsync(syncfd))
		err = -errno;
	if (syncfd >= 0)
		close(syncfd);
	if (err)
		unlink(out);
	return err;
}
