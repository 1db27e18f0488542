// SPDX-License-Identifier: GPL-2.0
/*
 * ward - the security log's store, its one writer
 *
 * Segments are named by their first seq, so their order is their name's.
 * A record is one write() with O_APPEND; a failed one is truncated away,
 * so a reader never sees half a record but one a power loss tore, which
 * the next open cuts and says so.  Closed segments are gzipped aside and
 * renamed into place before the plain one goes.
 */

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <zlib.h>

#include "logread.h"
#include "logseal.h"
#include "logstore.h"
#include "xalloc.h"

/* A line being printed. */
struct line_buf {
	char *p;
	size_t len, cap;
};

/* What the store's worker thread does off the writer's path. */
enum job_kind {
	JOB_SYNC, /* fdatasync() of a segment the writer flushed */
	JOB_COMPRESS, /* gzip of a closed segment */
};

struct job {
	enum job_kind kind;
	int fd; /* JOB_SYNC: a dup() of the segment's */
	bool dir; /* and the directory first, where it was made */
	struct log_segment seg;
	struct job *next;
};

/*
 * The worker: a queue of jobs done in order, one at a time.  Jobs are
 * queued by the writer only, under @lock; @busy while one runs.
 */
struct worker {
	bool started;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake, idle;
	struct job *head, *tail;
	bool busy, stop;
	int sync_err; /* the first a background fdatasync() failed with */
	/* Bytes compression took off the log, for the writer's total. */
	_Atomic __u64 shrunk;
};

struct log_store {
	struct log_conf conf;
	const EVP_MD *md;
	int dirfd;
	int fd; /* the current segment; -1: the next record opens one */
	/* It was made, and the directory's sync not queued for the worker
	 * (@dir_unsynced), or not known to be done (@dir_unknown: what
	 * log_store_sync() and the close then do themselves). */
	bool dir_unsynced, dir_unknown;
	bool unflushed; /* records written since the last flush or sync */
	char seg[LOG_SEG_NAME_MAX];
	__u64 seg_size;
	__u64 total;
	__u64 seq;
	char *last; /* the last record's line */
	size_t last_len, last_cap;
	unsigned char head[LOG_HASH_LEN]; /* its hash, with its own hash */
	const EVP_MD *head_md; /* that hash */
	EVP_MD_CTX *hctx; /* for the lines' hashes */
	struct line_buf line; /* the next record's, kept for its memory */
	bool last_is_seal; /* and it is a seal of the key's epoch */
	bool keyed;
	struct seal_key key;
	int keyfd;
	struct stat key_st;
	int key_watch; /* inotify on the key's directory; -1: none */
	__u64 key_checked; /* CLOCK_MONOTONIC_COARSE ns of its last stat */
	__u64 key_polled; /* and of the last look at the watch */
	/* The file system's free bytes at the last look, and since. */
	bool fs_known;
	__u64 fs_free;
	__u64 fs_written;
	__u64 fs_checked; /* CLOCK_MONOTONIC_COARSE ns of that look */
	unsigned int fs_records; /* records since */
	bool warned;
	gid_t gid; /* (gid_t)-1: no auditor group */
	/* The last record of the current segment that names a boot. */
	char last_boot[LOG_BOOT_ID_LEN];
	char last_boot_type[LOG_TYPE_LEN];
	struct worker w;
};

static __u64 now_ns(const struct log_store *s)
{
	return s->conf.clock();
}

/* Cheap (vDSO, no system call): for how long a cached look holds. */
static __u64 coarse_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return (__u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static int sync_dir(struct log_store *s)
{
	return fsync(s->dirfd) ? -errno : 0;
}

/* Makes a file the store created 0640, of the auditor group. */
static int set_mode(const struct log_store *s, int fd)
{
	if (fchmod(fd, 0640))
		return -errno;
	if (s->gid != (gid_t)-1 && fchown(fd, -1, s->gid))
		return -errno;
	return 0;
}

/* Reads a whole segment, plain or gzipped, into a buffer to free(). */
static int read_segment(struct log_store *s, const struct log_segment *seg,
			char **buf, size_t *len)
{
	size_t cap = 0, n = 0;
	char *b = NULL;
	gzFile gz;
	int fd, got;

	fd = openat(s->dirfd, seg->name, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	gz = gzdopen(fd, "r");
	if (!gz) {
		close(fd);
		return -ENOMEM;
	}
	do {
		if (cap - n < 65536) {
			cap = cap ? cap * 2 : 1 << 20;
			b = xrealloc(b, cap, 1);
		}
		got = gzread(gz, b + n, cap - n - 1);
		if (got > 0)
			n += got;
	} while (got > 0);
	gzclose(gz);
	if (got < 0) {
		free(b);
		return -EIO;
	}
	if (!b)
		b = xcalloc(1, 1);
	b[n] = '\0';
	*buf = b;
	*len = n;
	return 0;
}

/* A line's seq, if it is a record: an object with an integer "seq". */
static json_object *parse_record(const char *line, size_t len, __u64 *seq)
{
	json_object *obj = json_tokener_parse(line), *v;

	if (strlen(line) != len || !obj ||
	    !json_object_is_type(obj, json_type_object) ||
	    !json_object_object_get_ex(obj, "seq", &v) ||
	    !json_object_is_type(v, json_type_int) ||
	    json_object_get_int64(v) < 1) {
		json_object_put(obj);
		return NULL;
	}
	*seq = json_object_get_int64(v);
	return obj;
}

/* Copies @src into @dst of @size bytes, cut short if need be, unless it
 * is there already: snprintf() of both for each record was a twentieth
 * of an append. */
static void keep_string(char *dst, size_t size, const char *src)
{
	size_t len = strnlen(src, size - 1);

	if (strncmp(dst, src, size) == 0)
		return;
	memcpy(dst, src, len);
	dst[len] = '\0';
}

/* Keeps @rec's boot and type if it names a boot. */
static void note_boot(struct log_store *s, json_object *rec)
{
	json_object *boot, *type;
	const char *b, *t;

	if (!json_object_object_get_ex(rec, "boot_id", &boot) ||
	    !json_object_object_get_ex(rec, "type", &type) ||
	    !(b = json_object_get_string(boot)) ||
	    !(t = json_object_get_string(type)))
		return;
	keep_string(s->last_boot, sizeof(s->last_boot), b);
	keep_string(s->last_boot_type, sizeof(s->last_boot_type), t);
}

/* The last record of @buf's @len bytes of lines that names a boot. */
static void find_last_boot(struct log_store *s, char *buf, size_t len)
{
	while (len && !s->last_boot[0]) {
		char *start = memrchr(buf, '\n', len - 1);
		json_object *obj;
		__u64 seq;

		start = start ? start + 1 : buf;
		buf[len - 1] = '\0';
		obj = parse_record(start, buf + len - 1 - start, &seq);
		buf[len - 1] = '\n';
		if (obj)
			note_boot(s, obj);
		json_object_put(obj);
		len = start - buf;
	}
}

static int set_head(struct log_store *s, const char *line, size_t len,
		    const EVP_MD *md)
{
	if (len + 1 > s->last_cap) {
		s->last_cap = len + 1 > 4096 ? len + 1 : 4096;
		free(s->last);
		s->last = xcalloc(s->last_cap, 1);
	}
	memcpy(s->last, line, len);
	s->last[len] = '\0';
	s->last_len = len;
	s->head_md = md;
	return log_hash_ctx(s->hctx, md, line, len, s->head);
}

/* The last SEAL of @key's id in @buf: its epoch, so the key catches up. */
static void last_seal_epoch(const struct log_store *s, char *buf, __u64 *epoch)
{
	for (char *line = buf, *nl; *line; line = nl + 1) {
		json_object *obj, *v;
		__u64 seq;

		nl = strchr(line, '\n');
		if (!nl)
			break;
		*nl = '\0';
		if (strstr(line, "\"type\":\"SEAL\"") &&
		    (obj = parse_record(line, nl - line, &seq))) {
			if (json_object_object_get_ex(obj, "key", &v) &&
			    !strcmp(json_object_get_string(v), s->key.id) &&
			    json_object_object_get_ex(obj, "epoch", &v) &&
			    (__u64)json_object_get_int64(v) > *epoch)
				*epoch = json_object_get_int64(v);
			json_object_put(obj);
		}
		*nl = '\n';
	}
}

/* Gzips the closed segment @seg; its plain file goes once the copy is in. */
static int compress_segment(struct log_store *s, struct log_segment *seg)
{
	char gzname[LOG_SEG_NAME_MAX + 4], tmp[LOG_SEG_NAME_MAX + 8];
	struct timespec times[2];
	size_t len;
	char *buf;
	gzFile gz;
	int fd, syncfd, err;

	err = read_segment(s, seg, &buf, &len);
	if (err)
		return err;
	snprintf(gzname, sizeof(gzname), "%s.gz", seg->name);
	snprintf(tmp, sizeof(tmp), "%s.new", gzname);
	fd = openat(s->dirfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
		    0640);
	if (fd < 0) {
		free(buf);
		return -errno;
	}
	syncfd = dup(fd);
	/* The writer waits meanwhile: level 9 took a third of its time in a
	 * storm, level 1 a tenth for files a fifth larger (about 9%). */
	gz = syncfd < 0 ? NULL : gzdopen(fd, "wb1");
	if (!gz) {
		err = -errno ? -errno : -ENOMEM;
		close(fd);
	} else {
		if (len && gzwrite(gz, buf, len) != (int)len)
			err = -EIO;
		if (gzclose(gz) != Z_OK && !err)
			err = -EIO;
	}
	free(buf);
	/* Retention counts from the last record written, not compression. */
	times[0] = times[1] = (struct timespec){ .tv_sec = seg->mtime };
	if (!err &&
	    (set_mode(s, syncfd) || futimens(syncfd, times) || fsync(syncfd)))
		err = -errno;
	if (syncfd >= 0)
		close(syncfd);
	if (!err && renameat(s->dirfd, tmp, s->dirfd, gzname))
		err = -errno;
	if (err) {
		unlinkat(s->dirfd, tmp, 0);
		return err;
	}
	if (unlinkat(s->dirfd, seg->name, 0))
		return -errno;
	strcpy(seg->name, gzname);
	seg->gz = true;
	return sync_dir(s);
}

/* The bytes of all segments. */
static int total_size(struct log_store *s)
{
	struct log_segment *segs;
	size_t n;
	int err = log_segments(s->dirfd, &segs, &n);

	if (err)
		return err;
	s->total = 0;
	for (size_t i = 0; i < n; i++) {
		struct stat st;

		if (!fstatat(s->dirfd, segs[i].name, &st, 0))
			s->total += st.st_size;
	}
	free(segs);
	return 0;
}

/* ---- the worker ---------------------------------------------------- */

/*
 * Compresses a closed segment and says by how much the log shrank.  One
 * that fails stays plain, whole and verifiable: the next open
 * compresses it.
 */
static void compress_job(struct log_store *s, struct log_segment *seg)
{
	struct stat plain, gz;

	if (fstatat(s->dirfd, seg->name, &plain, 0) ||
	    compress_segment(s, seg) || fstatat(s->dirfd, seg->name, &gz, 0))
		return;
	if (plain.st_size > gz.st_size)
		atomic_fetch_add(&s->w.shrunk, plain.st_size - gz.st_size);
}

static void *work(void *arg)
{
	struct log_store *s = arg;
	struct worker *w = &s->w;

	pthread_mutex_lock(&w->lock);
	for (;;) {
		struct job *j = w->head;
		int err = 0;

		if (!j) {
			if (w->stop)
				break;
			pthread_cond_wait(&w->wake, &w->lock);
			continue;
		}
		w->head = j->next;
		if (!w->head)
			w->tail = NULL;
		w->busy = true;
		pthread_mutex_unlock(&w->lock);
		if (j->kind == JOB_SYNC) {
			if ((j->dir && fsync(s->dirfd)) || fdatasync(j->fd))
				err = -errno;
			close(j->fd);
		} else {
			compress_job(s, &j->seg);
		}
		free(j);
		pthread_mutex_lock(&w->lock);
		if (err && !w->sync_err)
			w->sync_err = err;
		w->busy = false;
		if (!w->head)
			pthread_cond_broadcast(&w->idle);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

/* Starts the worker, with every signal blocked: logd takes its stop
 * signals from a signalfd, which only a signal blocked everywhere
 * reaches. */
static int start_worker(struct log_store *s)
{
	sigset_t all, old;
	int err;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	err = -pthread_create(&s->w.thread, NULL, work, s);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (!err)
		s->w.started = true;
	return err;
}

/*
 * Queues @j, starting the worker if need be.  Without a worker (no
 * thread could be made) the job is done here: the same, only waited for.
 */
static int queue_job(struct log_store *s, struct job *j)
{
	struct worker *w = &s->w;

	if (!w->started && start_worker(s)) {
		int err = 0;

		if (j->kind == JOB_SYNC) {
			err = (j->dir && fsync(s->dirfd)) || fdatasync(j->fd) ?
				      -errno :
				      0;
			close(j->fd);
		} else {
			compress_job(s, &j->seg);
		}
		free(j);
		return err;
	}
	pthread_mutex_lock(&w->lock);
	/* A sync not yet begun covers what was written since. */
	for (struct job *q = w->head; j->kind == JOB_SYNC && q; q = q->next)
		if (q->kind == JOB_SYNC && !strcmp(q->seg.name, j->seg.name)) {
			pthread_mutex_unlock(&w->lock);
			close(j->fd);
			free(j);
			return 0;
		}
	if (w->tail)
		w->tail->next = j;
	else
		w->head = j;
	w->tail = j;
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->lock);
	return 0;
}

/* Waits until the worker has done every job queued. */
static void wait_worker(struct log_store *s)
{
	struct worker *w = &s->w;

	if (!w->started)
		return;
	pthread_mutex_lock(&w->lock);
	while (w->head || w->busy)
		pthread_cond_wait(&w->idle, &w->lock);
	pthread_mutex_unlock(&w->lock);
}

/* The first error of a background fdatasync() since the last call. */
static int take_sync_err(struct log_store *s)
{
	struct worker *w = &s->w;
	int err;

	if (!w->started)
		return 0;
	pthread_mutex_lock(&w->lock);
	err = w->sync_err;
	w->sync_err = 0;
	pthread_mutex_unlock(&w->lock);
	return err;
}

static void stop_worker(struct log_store *s)
{
	struct worker *w = &s->w;

	if (!w->started)
		return;
	pthread_mutex_lock(&w->lock);
	w->stop = true;
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	w->started = false;
}

/* What the worker's compression took off the total since. */
static void recount(struct log_store *s)
{
	__u64 shrunk;

	if (!atomic_load_explicit(&s->w.shrunk, memory_order_relaxed))
		return;
	shrunk = atomic_exchange(&s->w.shrunk, 0);
	s->total = s->total > shrunk ? s->total - shrunk : 0;
}

/*
 * Removes what a crash in compress_segment() left: a copy not renamed in,
 * or a compressed copy beside its plain segment.
 */
static int clean_leftovers(struct log_store *s, struct log_segment *segs,
			   size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char name[LOG_SEG_NAME_MAX + 8];

		if (segs[i].gz)
			continue;
		snprintf(name, sizeof(name), "%s.gz.new", segs[i].name);
		if (unlinkat(s->dirfd, name, 0) && errno != ENOENT)
			return -errno;
		name[strlen(name) - 4] = '\0';
		if (unlinkat(s->dirfd, name, 0) && errno != ENOENT)
			return -errno;
	}
	return 0;
}

/* Cuts segment @name to @size bytes, for good. */
static int cut_segment(struct log_store *s, const char *name, size_t size)
{
	int fd = openat(s->dirfd, name, O_WRONLY | O_CLOEXEC), err = 0;

	if (fd < 0)
		return -errno;
	if (ftruncate(fd, size) || fdatasync(fd))
		err = -errno;
	close(fd);
	return err;
}

static bool is_seal_of(const struct log_store *s, json_object *obj)
{
	json_object *v;

	return json_object_object_get_ex(obj, "type", &v) &&
	       !strcmp(json_object_get_string(v), "SEAL") &&
	       json_object_object_get_ex(obj, "key", &v) &&
	       !strcmp(json_object_get_string(v), s->key.id);
}

/*
 * Finds the last record: cuts a torn tail off the last segment (and the
 * segment if nothing is left of it), and takes the last line's seq and
 * hash.  @cut is set to the bytes cut, @cut_seg to where; @seal_epoch to
 * the epoch of the last seal of the key there, if later.
 */
static int find_last(struct log_store *s, struct log_segment *segs, size_t n,
		     __u64 *cut, char *cut_seg, __u64 *seal_epoch)
{
	*cut = 0;
	for (; n; n--) {
		struct log_segment *seg = &segs[n - 1];
		json_object *obj = NULL, *v;
		unsigned char h[LOG_HASH_LEN];
		char *buf, *start = NULL;
		const EVP_MD *md;
		size_t len, good;
		int err = read_segment(s, seg, &buf, &len);

		if (err)
			return err;
		/* Back to the last complete line that is a record. */
		for (good = len; good && !obj;) {
			char *end = memrchr(buf, '\n', good);
			__u64 seq;

			if (!end) {
				good = 0;
			} else if (end + 1 != buf + good) {
				good = end + 1 - buf;
			} else {
				*end = '\0';
				start = memrchr(buf, '\n', end - buf);
				start = start ? start + 1 : buf;
				obj = parse_record(start, end - start, &seq);
				if (obj)
					s->seq = seq;
				else
					good = start - buf;
				*end = '\n';
			}
		}
		if (good != len) {
			/* A closed segment is never torn: that is damage. */
			err = seg->gz ? -EIO :
			      good    ? cut_segment(s, seg->name, good) :
			      unlinkat(s->dirfd, seg->name, 0) ? -errno :
								 0;
			*cut += len - good;
			strcpy(cut_seg, seg->name);
			seg->size = good;
		}
		if (err || !obj) {
			free(buf);
			json_object_put(obj);
			if (err)
				return err;
			continue;
		}
		buf[good] = '\0';
		find_last_boot(s, buf, good);
		if (s->keyed)
			last_seal_epoch(s, buf, seal_epoch);
		s->last_is_seal = s->keyed && is_seal_of(s, obj);
		/* A mangled "prev" is for verify to report; writing goes on. */
		md = s->md;
		if (json_object_object_get_ex(obj, "prev", &v) &&
		    log_prev_parse(json_object_get_string(v), &md, h))
			md = s->md;
		err = set_head(s, start, buf + good - 1 - start, md);
		json_object_put(obj);
		free(buf);
		/* SEAL and STORE records name no boot: a segment may hold
		 * nothing else, as when a seal at shutdown opened it. */
		while (!err && --n && !s->last_boot[0]) {
			err = read_segment(s, &segs[n - 1], &buf, &len);
			if (!err) {
				find_last_boot(s, buf, len);
				free(buf);
			}
		}
		return err;
	}
	return 0;
}

/*
 * Closes the current segment, synced before the next is made: a power
 * loss never leaves a later segment behind a torn one.  The worker
 * compresses it if so configured; the writer goes on meanwhile.
 */
static int close_segment(struct log_store *s)
{
	struct job *j;
	struct stat st;
	int err = 0;

	if (s->fd < 0)
		return 0;
	if (fstat(s->fd, &st) || fdatasync(s->fd) ||
	    (s->dir_unknown && sync_dir(s)))
		err = -errno;
	s->dir_unsynced = s->dir_unknown = false;
	close(s->fd);
	s->fd = -1;
	if (err || !s->conf.compress)
		return err;
	j = xcalloc(1, sizeof(*j));
	j->kind = JOB_COMPRESS;
	strcpy(j->seg.name, s->seg);
	j->seg.mtime = st.st_mtime;
	s->fs_known = false;
	return queue_job(s, j);
}

/* Opens a new segment for the record of seq @first. */
static int new_segment(struct log_store *s, __u64 first)
{
	int err = close_segment(s);

	if (err)
		return err;
	snprintf(s->seg, sizeof(s->seg), "%0*llu.jsonl", LOG_SEG_DIGITS, first);
	s->fd = openat(s->dirfd, s->seg,
		       O_WRONLY | O_APPEND | O_CREAT | O_EXCL | O_CLOEXEC,
		       0640);
	if (s->fd < 0)
		return -errno;
	s->seg_size = 0;
	/* The directory is synced with the segment's first sync, not here:
	 * a wait for the disk the writer need not make. */
	s->dir_unsynced = s->dir_unknown = true;
	return set_mode(s, s->fd);
}

static int write_record(struct log_store *s, json_object *rec, bool own);

/* A record the store writes about itself, of its time. */
static json_object *own_record(struct log_store *s, const char *type)
{
	json_object *rec = json_object_new_object();
	char t[LOG_TIME_LEN];

	log_time_format(now_ns(s), t);
	json_object_object_add(rec, "type", json_object_new_string(type));
	json_object_object_add(rec, "time", json_object_new_string(t));
	return rec;
}

static int write_own(struct log_store *s, json_object *rec)
{
	int err = write_record(s, rec, true);

	json_object_put(rec);
	return err;
}

/*
 * Makes room for @need more bytes, deleting the oldest closed segments
 * past retention.  Each deletion is said by a STORE record naming the
 * seqs it dropped, so that verify knows the gap at the start is rotation.
 */
static int rotate_out(struct log_store *s, __u64 need)
{
	struct log_segment *segs;
	size_t n, i;
	__u64 now_s = now_ns(s) / 1000000000ULL;
	int err = log_segments(s->dirfd, &segs, &n);

	if (err)
		return err;
	/* The last segment is the current one, or the next to append to. */
	for (i = 0; i + 1 < n && s->total + need > s->conf.max_size; i++) {
		json_object *rec;
		struct stat st;

		if (segs[i].mtime + s->conf.retention > now_s)
			break;
		if (fstatat(s->dirfd, segs[i].name, &st, 0) ||
		    unlinkat(s->dirfd, segs[i].name, 0)) {
			err = -errno;
			break;
		}
		s->total -= st.st_size;
		rec = own_record(s, "STORE");
		json_object_object_add(rec, "event",
				       json_object_new_string("dropped"));
		json_object_object_add(rec, "segment",
				       json_object_new_string(segs[i].name));
		json_object_object_add(rec, "first",
				       json_object_new_int64(segs[i].first));
		json_object_object_add(
			rec, "last",
			json_object_new_int64(segs[i + 1].first - 1));
		err = sync_dir(s);
		if (!err)
			err = write_own(s, rec);
		else
			json_object_put(rec);
		if (err)
			break;
	}
	free(segs);
	return err;
}

/*
 * What the file system keeps free for the records that are kept when the
 * log is full: denials that fill the disk before log-max-size is reached
 * do not take the room of the change, login or shutdown after them.
 */
#define LOG_FS_RESERVE (4 * LOG_LINE_MAX)

/*
 * A look at the free space holds, while this much more than the reserve
 * stays free after the records written since, for FS_CHECK_RECORDS
 * records and FS_CHECK_NS at most: other writers would have to take
 * FS_CHECK_SLACK in that time for a denial to reach into the reserve.
 * Nearer the reserve every record looks (fstatvfs() for each record was
 * a fifth of the store's time in a storm).
 */
#define FS_CHECK_SLACK (16ULL << 20)
#define FS_CHECK_RECORDS 256
#define FS_CHECK_NS 100000000ULL

static bool fs_short(struct log_store *s, __u64 need)
{
	__u64 now = coarse_ns();
	struct statvfs st;

	if (s->fs_known && s->fs_records < FS_CHECK_RECORDS &&
	    now - s->fs_checked < FS_CHECK_NS &&
	    s->fs_free >=
		    s->fs_written + need + LOG_FS_RESERVE + FS_CHECK_SLACK) {
		s->fs_records++;
		return false;
	}
	s->fs_known = false;
	if (fstatvfs(s->dirfd, &st))
		return false;
	s->fs_known = true;
	s->fs_free = (__u64)st.f_bavail * st.f_frsize;
	s->fs_written = 0;
	s->fs_records = 0;
	s->fs_checked = now;
	return s->fs_free < need + LOG_FS_RESERVE;
}

/* Whether a record of @type may take @need more bytes, per full action. */
static int make_room(struct log_store *s, const char *type, __u64 need,
		     bool own)
{
	if (!own && !log_type_critical(type) && fs_short(s, need))
		return -ENOSPC;
	if (s->total + need <= s->conf.max_size)
		return 0;
	/* The total counts a segment being compressed at its plain size:
	 * what the log holds is known once the worker is done. */
	wait_worker(s);
	recount(s);
	if (s->total + need <= s->conf.max_size)
		return 0;
	switch (s->conf.full_action) {
	case LOG_FULL_ROTATE:
		/* The store's own records may go over, not recurse. */
		if (!own) {
			int err = rotate_out(s, need);

			if (err)
				return err;
		}
		if (s->total + need <= s->conf.max_size)
			return 0;
		/* Nothing is old enough to go: keep what matters most. */
		/* fallthrough */
	case LOG_FULL_KEEP_CRITICAL:
		return log_type_critical(type) ? 0 : -ENOSPC;
	case LOG_FULL_HALT:
		break;
	}
	return -ENOSPC;
}

/* Reports the usage crossing log-warn-percent, once each time it does. */
static int check_usage(struct log_store *s)
{
	struct log_usage u;
	json_object *rec;

	log_store_usage(s, &u);
	if (!u.warn) {
		s->warned = false;
		return 0;
	}
	if (s->warned)
		return 0;
	s->warned = true;
	rec = own_record(s, "STORE");
	json_object_object_add(rec, "event", json_object_new_string("usage"));
	json_object_object_add(rec, "used", json_object_new_int64(u.used));
	json_object_object_add(rec, "max", json_object_new_int64(u.max));
	json_object_object_add(rec, "percent", json_object_new_int(u.percent));
	return write_own(s, rec);
}

/* Makes room for @n more bytes and a newline and NUL after them. */
static void reserve(struct line_buf *b, size_t n)
{
	if (b->len + n + 2 > b->cap) {
		b->cap = b->cap * 2 > b->len + n + 2 ? b->cap * 2 :
						       b->len + n + 1024;
		b->p = xrealloc(b->p, b->cap, 1);
	}
}

static void put(struct line_buf *b, const char *s, size_t n)
{
	reserve(b, n);
	memcpy(b->p + b->len, s, n);
	b->len += n;
}

#define PUT(b, lit) put(b, lit, sizeof(lit) - 1)

/* As printf("%lld"), which took a tenth of printing a record. */
static void put_int(struct line_buf *b, __s64 i)
{
	char num[24], *p = num + sizeof(num);
	__u64 u = i < 0 ? -(__u64)i : (__u64)i;

	do
		*--p = '0' + u % 10;
	while (u /= 10);
	if (i < 0)
		*--p = '-';
	put(b, p, num + sizeof(num) - p);
}

/* The letter json-c escapes @c by after a backslash, or 0. */
static char short_escape(unsigned char c)
{
	switch (c) {
	case '\b':
		return 'b';
	case '\n':
		return 'n';
	case '\r':
		return 'r';
	case '\t':
		return 't';
	case '\f':
		return 'f';
	case '"':
	case '\\':
		return c;
	}
	return 0;
}

/*
 * A string as json-c escapes it, '/' left as it is; written in place,
 * room made first for the longest escape of each byte.
 */
static void put_string(struct line_buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	char *o;

	reserve(b, 6 * n + 2);
	o = b->p + b->len;
	*o++ = '"';
	for (size_t i = 0; i < n; i++) {
		unsigned char c = s[i];
		char e;

		if (c >= ' ' && c != '"' && c != '\\') {
			*o++ = c;
			continue;
		}
		*o++ = '\\';
		e = short_escape(c);
		if (e) {
			*o++ = e;
			continue;
		}
		*o++ = 'u';
		*o++ = '0';
		*o++ = '0';
		*o++ = hex[c >> 4];
		*o++ = hex[c & 15];
	}
	*o++ = '"';
	b->len = o - b->p;
}

#define PRINT_FLAGS (JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)

static void put_value(struct line_buf *b, json_object *v);

/* An object's members, each after a comma when @comma; "seq" and "prev"
 * left out at the top. */
static void put_members(struct line_buf *b, json_object *obj, bool top,
			bool comma)
{
	json_object_object_foreach(obj, key, val)
	{
		if (top && ((key[0] == 's' && !strcmp(key, "seq")) ||
			    (key[0] == 'p' && !strcmp(key, "prev"))))
			continue;
		if (comma)
			PUT(b, ",");
		comma = true;
		put_string(b, key, strlen(key));
		PUT(b, ":");
		put_value(b, val);
	}
}

/*
 * @v as json_object_to_json_string_ext(PRINT_FLAGS) prints it, without
 * its object trees and printf(): a third of the store's time.  Doubles,
 * and integers past INT64_MAX, which json-c prints its own ways, are
 * left to it.
 */
static void put_value(struct line_buf *b, json_object *v)
{
	__s64 i;

	switch (json_object_get_type(v)) {
	case json_type_null:
		PUT(b, "null");
		return;
	case json_type_boolean:
		if (json_object_get_boolean(v))
			PUT(b, "true");
		else
			PUT(b, "false");
		return;
	case json_type_int:
		i = json_object_get_int64(v);
		if (i == INT64_MAX)
			break;
		put_int(b, i);
		return;
	case json_type_string:
		put_string(b, json_object_get_string(v),
			   json_object_get_string_len(v));
		return;
	case json_type_object:
		PUT(b, "{");
		put_members(b, v, false, false);
		PUT(b, "}");
		return;
	case json_type_array:
		PUT(b, "[");
		for (size_t n = 0; n < json_object_array_length(v); n++) {
			if (n)
				PUT(b, ",");
			put_value(b, json_object_array_get_idx(v, n));
		}
		PUT(b, "]");
		return;
	default:
		break;
	}
	{
		const char *s = json_object_to_json_string_ext(v, PRINT_FLAGS);

		put(b, s, strlen(s));
	}
}

/*
 * The line of @rec as the next record: seq first, prev last, a newline;
 * byte for byte what json-c prints of a copy of @rec with those.  It is
 * in the store's buffer, until the next.
 */
static int build_line(struct log_store *s, json_object *rec, char **line,
		      size_t *len)
{
	unsigned char prev[LOG_HASH_LEN] = {};
	char prevhex[LOG_PREV_LEN];
	struct line_buf *b = &s->line;
	int err = 0;

	/* The head is the last line's hash already, unless open() took it
	 * by another hash. */
	if (s->last && s->head_md == s->md)
		memcpy(prev, s->head, LOG_HASH_LEN);
	else if (s->last)
		err = log_hash(s->md, s->last, s->last_len, prev);
	if (err)
		return err;
	log_prev_format(s->md, prev, prevhex);
	b->len = 0;
	PUT(b, "{\"seq\":");
	put_int(b, s->seq + 1);
	put_members(b, rec, true, true);
	PUT(b, ",\"prev\":\"");
	put(b, prevhex, strlen(prevhex));
	PUT(b, "\"}");
	if (b->len > LOG_LINE_MAX)
		return -E2BIG;
	b->p[b->len++] = '\n';
	b->p[b->len] = '\0';
	*line = b->p;
	*len = b->len;
	return 0;
}

/*
 * Writes @rec with its seq and prev: the line, then the store's state,
 * only once the whole line is in.  @own: the store's own record.
 */
static int write_record(struct log_store *s, json_object *rec, bool own)
{
	const char *type;
	size_t len, done = 0;
	char *line;
	json_object *v;
	__u64 seq;
	int err;

	if (!json_object_object_get_ex(rec, "type", &v) ||
	    !json_object_is_type(v, json_type_string))
		return -EINVAL;
	type = json_object_get_string(v);
	recount(s);
	err = build_line(s, rec, &line, &len);
	if (!err && (s->fd < 0 ||
		     (s->seg_size && s->seg_size + len > s->conf.segment_size)))
		err = new_segment(s, s->seq + 1);
	seq = s->seq;
	if (!err)
		err = make_room(s, type, len, own);
	if (!err && s->seq != seq) {
		/* Records of dropped segments went first. */
		err = build_line(s, rec, &line, &len);
	}
	while (!err && done < len) {
		ssize_t n = write(s->fd, line + done, len - done);

		if (n < 0 && errno != EINTR)
			err = -errno;
		else if (n > 0)
			done += n;
	}
	/* No half line stays behind, whatever the writer sees next. */
	if (err && done && ftruncate(s->fd, s->seg_size))
		err = -errno;
	if (!err) {
		s->unflushed = true;
		s->seq++;
		s->seg_size += len;
		s->total += len;
		s->fs_written += len;
		err = set_head(s, line, len - 1, s->md);
		s->last_is_seal = own && !strcmp(type, "SEAL");
		note_boot(s, rec);
	}
	/* The record is in: a usage report refused (halt) is not its error,
	 * and is tried again with the next record. */
	if (!err && !own && check_usage(s))
		s->warned = false;
	return err;
}

/* Writes the seal of the key's epoch over every record so far. */
static int write_seal(struct log_store *s)
{
	unsigned char head[LOG_HASH_LEN];
	char mac[SEAL_MAC_HEX], hex[2 * LOG_HASH_LEN + 1];
	json_object *rec;
	int err;

	err = log_hash(s->key.md, s->last, s->last_len, head);
	if (!err)
		err = seal_mac(&s->key, s->seq, head, mac);
	if (err)
		return err;
	log_hex(head, LOG_HASH_LEN, hex);
	rec = own_record(s, "SEAL");
	json_object_object_add(rec, "key", json_object_new_string(s->key.id));
	json_object_object_add(rec, "epoch",
			       json_object_new_int64(s->key.epoch));
	json_object_object_add(rec, "count", json_object_new_int64(s->seq));
	json_object_object_add(rec, "head", json_object_new_string(hex));
	json_object_object_add(rec, "mac", json_object_new_string(mac));
	return write_own(s, rec);
}

/*
 * Seals the key's epoch and every epoch before @epoch, one seal each, so
 * that a log cut short and continued lacks the seals of the epochs in
 * between; then moves the key to @epoch and saves it.  An epoch already
 * sealed last is not sealed twice.
 */
static int seal_until(struct log_store *s, __u64 epoch)
{
	int err = 0;

	while (!err && s->key.epoch < epoch) {
		if (!s->last_is_seal && s->last)
			err = write_seal(s);
		if (!err)
			err = log_store_sync(s);
		if (!err) {
			err = seal_key_evolve(&s->key, s->key.epoch + 1);
			s->last_is_seal = false;
		}
	}
	if (!err && s->keyfd >= 0)
		err = seal_key_save(s->keyfd, &s->key);
	return err;
}

/* Loads the key file if there is one; -errno. */
static int load_key(struct log_store *s)
{
	struct stat st;
	int fd, err;

	fd = open(s->conf.seal_key, O_RDWR | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return errno == ENOENT ? 0 : -errno;
	if (fstat(fd, &st)) {
		err = -errno;
		close(fd);
		return err;
	}
	err = seal_key_load(fd, &s->key);
	if (err) {
		close(fd);
		return err;
	}
	s->keyfd = fd;
	s->key_st = st;
	s->keyed = true;
	return 0;
}

static void drop_key(struct log_store *s)
{
	if (s->keyfd >= 0)
		close(s->keyfd);
	s->keyfd = -1;
	s->keyed = false;
	seal_key_wipe(&s->key);
}

static int key_record(struct log_store *s, const char *action)
{
	json_object *rec = own_record(s, "CONFIG_CHANGE");

	json_object_object_add(rec, "what",
			       json_object_new_string("log-seal-key"));
	json_object_object_add(rec, "action", json_object_new_string(action));
	if (s->keyed)
		json_object_object_add(rec, "key",
				       json_object_new_string(s->key.id));
	return write_own(s, rec);
}

/* How long a stat() of the key file holds at most, watched or not. */
#define KEY_CHECK_NS 1000000000ULL

/*
 * Watches the key file's directory for a key made, replaced or removed,
 * so that refresh_key() need not stat() it for every record (a tenth of
 * the store's time).  Without a watch (no directory, no inotify), it
 * does.
 */
static void watch_key(struct log_store *s)
{
	char dir[PATH_MAX], *slash;

	snprintf(dir, sizeof(dir), "%s", s->conf.seal_key);
	slash = strrchr(dir, '/');
	if (!slash)
		return;
	*(slash == dir ? slash + 1 : slash) = '\0';
	s->key_watch = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (s->key_watch >= 0 &&
	    inotify_add_watch(s->key_watch, dir,
			      IN_CREATE | IN_DELETE | IN_MOVED_FROM |
				      IN_MOVED_TO | IN_ATTRIB | IN_CLOSE_WRITE |
				      IN_DELETE_SELF | IN_MOVE_SELF |
				      IN_ONLYDIR) < 0) {
		close(s->key_watch);
		s->key_watch = -1;
	}
}

/*
 * Whether the key file may have changed since its last stat(): always
 * without a watch, and once a second with one (a directory above the
 * watched one renamed is not seen).  The watch is read once a tick of
 * the coarse clock (1 to 10 ms): a read() a record was a third of a
 * write()'s cost.  The watch goes when its directory does, or the kernel
 * dropped events.
 */
static bool key_may_have_changed(struct log_store *s)
{
	char buf[4096]
		__attribute__((aligned(__alignof__(struct inotify_event))));
	bool changed = false;
	__u64 now = coarse_ns();
	ssize_t n;

	if (s->key_watch < 0 || now - s->key_checked >= KEY_CHECK_NS) {
		s->key_checked = now;
		changed = true;
	} else if (now == s->key_polled) {
		return false;
	}
	s->key_polled = now;
	while (s->key_watch >= 0 &&
	       (n = read(s->key_watch, buf, sizeof(buf))) > 0) {
		changed = true;
		for (char *p = buf; p < buf + n;) {
			struct inotify_event *e = (struct inotify_event *)p;

			if (e->mask &
			    (IN_IGNORED | IN_Q_OVERFLOW | IN_DELETE_SELF |
			     IN_MOVE_SELF | IN_UNMOUNT)) {
				close(s->key_watch);
				s->key_watch = -1;
				break;
			}
			p += sizeof(*e) + e->len;
		}
	}
	return changed;
}

/*
 * Follows "ward log setup" made while the store is open: a new key file
 * (another inode) replaces the key, after a last seal with the old one.
 */
static int refresh_key(struct log_store *s)
{
	struct stat st;
	bool had = s->keyed;
	int err;

	if (!key_may_have_changed(s))
		return 0;
	if (stat(s->conf.seal_key, &st)) {
		if (errno != ENOENT || !had)
			return errno == ENOENT ? 0 : -errno;
		drop_key(s);
		return key_record(s, "removed");
	}
	if (had && st.st_dev == s->key_st.st_dev &&
	    st.st_ino == s->key_st.st_ino)
		return 0;
	if (had && s->last && !s->last_is_seal) {
		err = write_seal(s);
		if (err)
			return err;
	}
	drop_key(s);
	err = load_key(s);
	if (err)
		return err;
	s->last_is_seal = false;
	return key_record(s, had ? "replaced" : "installed");
}

int log_store_append(struct log_store *s, json_object *rec)
{
	json_object *v;
	__u64 t;
	int err;

	if (!json_object_is_type(rec, json_type_object) ||
	    !json_object_object_get_ex(rec, "time", &v) ||
	    !json_object_is_type(v, json_type_string) ||
	    log_time_parse(json_object_get_string(v), &t))
		return -EINVAL;
	err = refresh_key(s);
	if (!err && s->keyed && seal_epoch_of(&s->key, t) > s->key.epoch)
		err = seal_until(s, seal_epoch_of(&s->key, t));
	return err ? err : write_record(s, rec, false);
}

int log_store_seal(struct log_store *s)
{
	int err = refresh_key(s);

	if (err || !s->keyed)
		return err;
	err = seal_until(s, seal_epoch_of(&s->key, now_ns(s)));
	if (!err && !s->last_is_seal && s->last)
		err = write_seal(s);
	return err ? err : log_store_sync(s);
}

int log_store_sync(struct log_store *s)
{
	int err = take_sync_err(s);

	/* The worker's sync of the directory may not have run yet. */
	if (s->fd >= 0 && s->dir_unknown) {
		if (sync_dir(s))
			err = err ?: -errno;
		else
			s->dir_unsynced = s->dir_unknown = false;
	}
	if (s->fd >= 0 && fdatasync(s->fd))
		err = err ?: -errno;
	else
		s->unflushed = false;
	return err;
}

int log_store_flush(struct log_store *s)
{
	int err = take_sync_err(s), qerr;
	struct job *j;

	/* An idle daemon wakes every second: no cache flush of the disk
	 * each time. */
	if (s->fd < 0 || !s->unflushed)
		return err;
	j = xcalloc(1, sizeof(*j));
	j->kind = JOB_SYNC;
	j->dir = s->dir_unsynced;
	strcpy(j->seg.name, s->seg);
	j->fd = fcntl(s->fd, F_DUPFD_CLOEXEC, 0);
	if (j->fd < 0) {
		free(j);
		qerr = log_store_sync(s);
		return qerr ?: err;
	}
	qerr = queue_job(s, j);
	if (!qerr)
		s->dir_unsynced = s->unflushed = false;
	return qerr ?: err;
}

int log_store_head(const struct log_store *s, __u64 *seq,
		   unsigned char hash[LOG_HASH_LEN], size_t *len)
{
	if (!s->last)
		return -ENODATA;
	*seq = s->seq;
	memcpy(hash, s->head, LOG_HASH_LEN);
	*len = LOG_HASH_LEN;
	return 0;
}

const char *log_store_last_boot(const struct log_store *s, const char **type)
{
	*type = s->last_boot_type;
	return s->last_boot[0] ? s->last_boot : NULL;
}

void log_store_usage(const struct log_store *s, struct log_usage *u)
{
	u->used = s->total;
	u->max = s->conf.max_size;
	u->percent = s->total * 100 / s->conf.max_size;
	u->warn = u->percent >= s->conf.warn_percent;
}

void log_store_close(struct log_store *s)
{
	if (!s)
		return;
	/* Every job queued is done first. */
	stop_worker(s);
	pthread_mutex_destroy(&s->w.lock);
	pthread_cond_destroy(&s->w.wake);
	pthread_cond_destroy(&s->w.idle);
	if (s->fd >= 0) {
		log_store_sync(s);
		close(s->fd);
	}
	drop_key(s);
	EVP_MD_CTX_free(s->hctx);
	free(s->line.p);
	if (s->key_watch >= 0)
		close(s->key_watch);
	close(s->dirfd);
	free(s->last);
	free(s);
}

/* Creates the directory if need be, 0750 of the auditor group, locked. */
static int open_dir(struct log_store *s)
{
	if (mkdir(s->conf.dir, 0750) && errno != EEXIST)
		return -errno;
	s->dirfd = open(s->conf.dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (s->dirfd < 0)
		return -errno;
	if (flock(s->dirfd, LOCK_EX | LOCK_NB))
		return errno == EWOULDBLOCK ? -EBUSY : -errno;
	if (fchmod(s->dirfd, 0750))
		return -errno;
	if (s->gid != (gid_t)-1 && fchown(s->dirfd, -1, s->gid))
		return -errno;
	return 0;
}

/* The records open writes about what it found and what is in force. */
static int open_records(struct log_store *s, __u64 cut, const char *cut_seg,
			const EVP_MD *last_md)
{
	json_object *rec;
	int err = 0;

	if (cut) {
		rec = own_record(s, "STORE");
		json_object_object_add(rec, "event",
				       json_object_new_string("cut"));
		json_object_object_add(rec, "segment",
				       json_object_new_string(cut_seg));
		json_object_object_add(rec, "bytes",
				       json_object_new_int64(cut));
		err = write_own(s, rec);
	}
	if (!err && s->last && last_md != s->md) {
		rec = own_record(s, "CONFIG_CHANGE");
		json_object_object_add(rec, "what",
				       json_object_new_string("log-hash"));
		json_object_object_add(rec, "hash",
				       json_object_new_string(s->conf.hash));
		err = write_own(s, rec);
	}
	if (!err && s->conf.retention < LOG_RETENTION_MIN) {
		rec = own_record(s, "CONFIG_CHANGE");
		json_object_object_add(
			rec, "what",
			json_object_new_string("log-retention-override"));
		json_object_object_add(
			rec, "retention",
			json_object_new_int64(s->conf.retention));
		err = write_own(s, rec);
	}
	return err;
}

/*
 * Takes up the last segment to append to, or leaves the next record to
 * start one; compresses the closed ones a crash left plain.
 */
static int open_segments(struct log_store *s)
{
	struct log_segment *segs;
	size_t n;
	int err = log_segments(s->dirfd, &segs, &n);

	if (err)
		return err;
	err = clean_leftovers(s, segs, n);
	for (size_t i = 0; !err && i + 1 < n; i++)
		if (!segs[i].gz && s->conf.compress)
			err = compress_segment(s, &segs[i]);
	if (!err && n && !segs[n - 1].gz &&
	    segs[n - 1].size < s->conf.segment_size) {
		strcpy(s->seg, segs[n - 1].name);
		s->seg_size = segs[n - 1].size;
		s->fd = openat(s->dirfd, s->seg,
			       O_WRONLY | O_APPEND | O_CLOEXEC);
		if (s->fd < 0)
			err = -errno;
	}
	free(segs);
	return err ? err : total_size(s);
}

int log_store_open(struct log_store **sp, const struct log_conf *conf)
{
	struct log_store *s = xcalloc(1, sizeof(*s));
	struct log_segment *segs = NULL;
	__u64 cut = 0, seal_epoch = 0;
	char cut_seg[LOG_SEG_NAME_MAX] = "";
	const EVP_MD *last_md;
	size_t n;
	int err;

	s->conf = *conf;
	pthread_mutex_init(&s->w.lock, NULL);
	pthread_cond_init(&s->w.wake, NULL);
	pthread_cond_init(&s->w.idle, NULL);
	s->hctx = EVP_MD_CTX_new();
	if (!s->hctx) {
		free(s);
		return -ENOMEM;
	}
	s->dirfd = s->fd = s->keyfd = s->key_watch = -1;
	s->gid = -1;
	s->md = log_hash_md(conf->hash);
	err = s->md ? 0 : -EINVAL;
	if (!err && conf->auditor_group[0]) {
		struct group *g = getgrnam(conf->auditor_group);

		if (g)
			s->gid = g->gr_gid;
		else
			err = -ENOENT;
	}
	if (!err)
		err = open_dir(s);
	/* Before the key is read: a key made meanwhile is then seen. */
	if (!err)
		watch_key(s);
	if (!err)
		err = load_key(s);
	if (!err)
		err = log_segments(s->dirfd, &segs, &n);
	if (!err)
		err = clean_leftovers(s, segs, n);
	if (!err)
		err = find_last(s, segs, n, &cut, cut_seg, &seal_epoch);
	free(segs);
	last_md = s->md;
	if (!err && s->last) {
		/* The hash the last record's "prev" named, for open_records. */
		unsigned char h[LOG_HASH_LEN];

		if (log_hash(s->md, s->last, s->last_len, h) ||
		    memcmp(h, s->head, LOG_HASH_LEN))
			last_md = NULL;
	}
	/* A crash between a seal and saving the evolved key. */
	if (!err && s->keyed && seal_epoch > s->key.epoch) {
		err = seal_key_evolve(&s->key, seal_epoch);
		if (!err)
			err = seal_key_save(s->keyfd, &s->key);
	}
	if (s->keyed)
		s->last_is_seal = s->last_is_seal && seal_epoch == s->key.epoch;
	if (!err)
		err = open_segments(s);
	if (!err)
		err = open_records(s, cut, cut_seg, last_md);
	if (err) {
		log_store_close(s);
		return err;
	}
	*sp = s;
	return 0;
}
