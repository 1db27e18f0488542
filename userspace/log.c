// SPDX-License-Identifier: GPL-2.0
/*
 * ward - "ward log": the events the BPF programs reported, and the
 * security log ward logd keeps of them (GB/T 39276 5.1.1.3, 5.2.1.3 d)
 *
 * "drain" reads the pinned ward_events ring buffer; reading consumes the
 * events.  The other commands read the log's store: show, tail, verify,
 * export; setup makes its sealing key.
 */

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/inotify.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <openssl/crypto.h>

#include "event.h"
#include "log.h"
#include "logconf.h"
#include "logread.h"
#include "logseal.h"
#include "logstore.h"
#include "logverify.h"
#include "policy_source.h"
#include "main.h"
#include "output.h"
#include "pin.h"
#include "system.h"
#include "xalloc.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

struct reader {
	void (*fn)(const struct ward_event *ev, __s64 boot_offset, void *ctx);
	void *ctx;
	__s64 boot_offset;
};

static int handle_event(void *ctx, void *data, size_t size)
{
	struct reader *r = ctx;
	const struct ward_event *ev = data;

	if (size < sizeof(*ev))
		return 0;
	/* The clock was set: realtime is no longer boottime plus the old
	 * offset, for this event (made after the change) and those after. */
	if (ev->op == WARD_OP_CLOCK)
		r->boot_offset = event_boot_offset();
	r->fn(ev, r->boot_offset, r->ctx);
	return 0;
}

int log_read(void (*fn)(const struct ward_event *ev, __s64 boot_offset,
			void *ctx),
	     void *ctx, bool follow)
{
	struct reader r = { .fn = fn, .ctx = ctx };
	struct ring_buffer *rb;
	int fd, err;

	fd = pin_open_map("ward_events");
	if (fd < 0)
		return -1;
	r.boot_offset = event_boot_offset();
	rb = ring_buffer__new(fd, handle_event, &r, NULL);
	close(fd);
	if (!rb)
		return p_err("cannot read the event ring buffer: %s",
			     strerror(errno));
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	err = ring_buffer__consume(rb);
	while (follow && !stop && err >= 0) {
		err = ring_buffer__poll(rb, 500);
		if (err == -EINTR)
			err = 0;
	}
	ring_buffer__free(rb);
	if (err < 0)
		return p_err("reading events failed: %s", strerror(-err));
	return 0;
}

/* Events name apps by id; @ctx points to ward_app_names, for their names. */
static void print_event(const struct ward_event *ev, __s64 boot_offset,
			void *ctx)
{
	struct ward_app_name buf;
	const char *app = app_name_of(*(int *)ctx, ev->app, &buf);
	json_object *obj;

	if (!json_output) {
		event_print(ev, boot_offset, app, stdout);
		return;
	}
	obj = event_json(ev, boot_offset);
	if (app)
		json_object_object_add(obj, "app_name",
				       json_object_new_string(app));
	json_print(obj);
}

static int do_drain(int argc, char **argv)
{
	bool follow = false;
	const struct cmd_option opts[] = { { "follow", 'f', &follow, NULL },
					   {} };
	int err, names;

	err = cmd_options(&argc, &argv, opts, 0, "log drain [-f|--follow]");
	if (err)
		return err;
	if (require_root())
		return -1;
	setvbuf(stdout, NULL, _IOLBF, 0);
	names = app_names_open();
	err = log_read(print_event, &names, follow);
	if (names >= 0)
		close(names);
	return err;
}

static int ignore_event(void *ctx, void *data, size_t size)
{
	(void)ctx;
	(void)data;
	(void)size;
	return 0;
}

/* Whether ward logd has recorded every change ward's commands queued. */
static bool changes_recorded(int changes)
{
	struct ward_change c;

	return changes < 0 || bpf_map_lookup_elem(changes, NULL, &c);
}

/*
 * "log sync": waits until ward logd has written every event the kernel
 * reported, and every change ward's commands queued, before the call.  The
 * daemon moves the ring buffer's consumer position past an event, and
 * takes a change off its queue, once its record is written: reading the
 * positions and peeking at the queue consume nothing.
 */
static int do_sync(int argc, char **argv)
{
	const char *timeout = NULL;
	const struct cmd_option opts[] = { { "timeout", 't', NULL, &timeout },
					   {} };
	struct ring_buffer *rb;
	unsigned long target;
	struct ring *ring;
	int err, fd, waited, changes;
	long seconds = 60;
	bool done = false;

	err = cmd_options(&argc, &argv, opts, 0, "log sync [--timeout S]");
	if (err)
		return err;
	if (timeout && (seconds = strtol(timeout, NULL, 10)) <= 0)
		return p_err("bad --timeout '%s': give seconds, at least 1",
			     timeout);
	if (require_root())
		return -1;
	fd = pin_open_map("ward_events");
	if (fd < 0)
		return -1;
	rb = ring_buffer__new(fd, ignore_event, NULL, NULL);
	close(fd);
	if (!rb)
		return p_err("cannot read the event ring buffer: %s",
			     strerror(errno));
	changes = pin_get_map("ward_changes");
	ring = ring_buffer__ring(rb, 0);
	target = ring__producer_pos(ring);
	for (waited = 0; waited < seconds * 10; waited++) {
		done = ring__consumer_pos(ring) >= target &&
		       changes_recorded(changes);
		if (done)
			break;
		usleep(100000);
	}
	err = done ? 0 :
		     p_err("ward logd has not written the events of the last %ld s: is ward-logd.service running?",
			   seconds);
	if (changes >= 0)
		close(changes);
	ring_buffer__free(rb);
	return err;
}

/* The log's settings; the directory @dir instead of its own, if given. */
static int read_conf(struct log_conf *conf, const char *dir)
{
	if (log_conf_read(LOG_CONF_PATH, conf))
		return -1;
	if (dir && snprintf(conf->dir, sizeof(conf->dir), "%s", dir) >=
			   (int)sizeof(conf->dir))
		return p_err("%s: path too long", dir);
	return 0;
}

static void print_field(const char *key, json_object *val)
{
	printf(" %s=%s", key,
	       json_object_is_type(val, json_type_string) ?
		       json_object_get_string(val) :
		       json_object_to_json_string_ext(
			       val, JSON_C_TO_STRING_PLAIN |
					    JSON_C_TO_STRING_NOSLASHESCAPE));
}

/*
 * A record as a line: its time, seq and type, then its other fields as
 * key=value.
 */
static void print_record(const char *line)
{
	json_object *obj = json_tokener_parse(line), *v;

	if (json_output) {
		puts(line);
		json_object_put(obj);
		return;
	}
	if (!obj || !json_object_is_type(obj, json_type_object)) {
		printf("(not a record) %s\n", line);
		json_object_put(obj);
		return;
	}
	printf("%s %llu %s",
	       json_object_object_get_ex(obj, "time", &v) ?
		       json_object_get_string(v) :
		       "-",
	       json_object_object_get_ex(obj, "seq", &v) ?
		       (unsigned long long)json_object_get_int64(v) :
		       0ULL,
	       json_object_object_get_ex(obj, "type", &v) ?
		       json_object_get_string(v) :
		       "-");
	for (struct lh_entry *e = json_object_get_object(obj)->head; e;
	     e = e->next) {
		const char *key = lh_entry_k(e);

		if (strcmp(key, "time") && strcmp(key, "seq") &&
		    strcmp(key, "type") && strcmp(key, "prev"))
			print_field(key, lh_entry_v(e));
	}
	putchar('\n');
	json_object_put(obj);
}

/* What "show" keeps. */
struct filter {
	__u64 since, until; /* ns; until 0: no end */
	const char *types; /* "T,T", NULL: all */
	bool user;
	uid_t uid;
	char name[64];
	__u64 from, to; /* seqs of the boot; to 0: no end */
};

static bool in_list(const char *list, const char *word)
{
	size_t len = strlen(word);

	for (const char *p = list; *p;) {
		size_t n = strcspn(p, ",");

		if (n == len && !strncmp(p, word, n))
			return true;
		p += n + (p[n] == ',');
	}
	return false;
}

static bool keep(const struct filter *f, json_object *obj)
{
	json_object *v;
	__u64 seq = 0, t;

	if (json_object_object_get_ex(obj, "seq", &v))
		seq = json_object_get_int64(v);
	if (seq < f->from || (f->to && seq >= f->to))
		return false;
	if (!json_object_object_get_ex(obj, "time", &v) ||
	    log_time_parse(json_object_get_string(v), &t) || t < f->since ||
	    (f->until && t > f->until))
		return false;
	if (f->types && (!json_object_object_get_ex(obj, "type", &v) ||
			 !in_list(f->types, json_object_get_string(v))))
		return false;
	if (f->user)
		return (json_object_object_get_ex(obj, "uid", &v) &&
			json_object_is_type(v, json_type_int) &&
			json_object_get_int64(v) == f->uid) ||
		       (json_object_object_get_ex(obj, "user", &v) &&
			!strcmp(json_object_get_string(v), f->name));
	return true;
}

static int parse_time(const char *s, __u64 *ns)
{
	if (log_time_parse(s, ns))
		return p_err(
			"bad time '%s': give YYYY-MM-DD[THH:MM:SS[.N]][Z], UTC",
			s);
	return 0;
}

/* --user NAME|UID: both, as records may carry either. */
static int parse_user(struct filter *f, const char *user)
{
	char *end;
	unsigned long n = strtoul(user, &end, 10);
	struct passwd *pw;

	f->user = true;
	if (*user && !*end) {
		f->uid = n;
		pw = getpwuid(n);
		snprintf(f->name, sizeof(f->name), "%s", pw ? pw->pw_name : "");
		return 0;
	}
	pw = getpwnam(user);
	if (!pw)
		return p_err("no user '%s': give a user name or a uid", user);
	f->uid = pw->pw_uid;
	snprintf(f->name, sizeof(f->name), "%s", user);
	return 0;
}

/*
 * --boot ID|-N: the seqs from that boot's BOOT record to the next one's.
 * 0 is the current boot, -1 the one before; an ID is a BOOT's "boot_id".
 */
static int find_boot(struct filter *f, const char *dir, const char *boot)
{
	__u64 *starts = NULL;
	size_t n = 0, cap = 0, want;
	struct log_reader *r;
	struct log_line l;
	char *end;
	long back = strtol(boot, &end, 10);
	bool by_index = *boot && !*end && back <= 0;
	long match = -1;
	int err;

	err = log_reader_open(&r, dir);
	while (!err && (err = log_reader_next(r, &l)) > 0) {
		json_object *obj, *v;

		err = 0;
		if (!strstr(l.text, "\"type\":\"BOOT\""))
			continue;
		obj = json_tokener_parse(l.text);
		if (obj && json_object_object_get_ex(obj, "seq", &v)) {
			GROW(starts, n, cap);
			starts[n++] = json_object_get_int64(v);
			if (!by_index &&
			    json_object_object_get_ex(obj, "boot_id", &v) &&
			    !strcmp(json_object_get_string(v), boot))
				match = n - 1;
		}
		json_object_put(obj);
	}
	log_reader_close(r);
	if (err) {
		free(starts);
		return p_err("cannot read the log in %s: %s", dir,
			     strerror(-err));
	}
	want = by_index ? n - 1 + back : (size_t)match;
	if ((by_index && (long)n - 1 + back < 0) || (!by_index && match < 0)) {
		free(starts);
		return p_err(
			"no boot '%s' in the log: see 'ward log show --type BOOT'",
			boot);
	}
	f->from = starts[want];
	f->to = want + 1 < n ? starts[want + 1] : 0;
	free(starts);
	return 0;
}

static int do_show(int argc, char **argv)
{
	const char *since = NULL, *until = NULL, *user = NULL, *boot = NULL,
		   *dir = NULL;
	struct filter f = {};
	const struct cmd_option opts[] = {
		{ "since", 0, NULL, &since },
		{ "until", 0, NULL, &until },
		{ "type", 't', NULL, &f.types },
		{ "user", 'u', NULL, &user },
		{ "boot", 'b', NULL, &boot },
		{ "dir", 'D', NULL, &dir },
		{},
	};
	struct log_conf conf;
	struct log_reader *r;
	struct log_line l;
	int err;

	err = cmd_options(
		&argc, &argv, opts, 0,
		"log show [--since T] [--until T] [--type T[,T]] [--user NAME|UID] [--boot ID|-N] [--dir DIR]");
	if (err)
		return err;
	if (read_conf(&conf, dir))
		return -1;
	if ((since && parse_time(since, &f.since)) ||
	    (until && parse_time(until, &f.until)))
		return -1;
	if (user && parse_user(&f, user))
		return -1;
	if (boot && find_boot(&f, conf.dir, boot))
		return -1;
	err = log_reader_open(&r, conf.dir);
	while (!err && (err = log_reader_next(r, &l)) > 0) {
		json_object *obj = json_tokener_parse(l.text);

		err = 0;
		if (obj && json_object_is_type(obj, json_type_object) &&
		    keep(&f, obj))
			print_record(l.text);
		json_object_put(obj);
	}
	log_reader_close(r);
	if (err)
		return p_err("cannot read the log in %s: %s", conf.dir,
			     strerror(-err));
	return 0;
}

/* The last segment and its size, to follow from. */
static int last_segment(int dirfd, struct log_segment *seg)
{
	struct log_segment *segs;
	size_t n;
	int err = log_segments(dirfd, &segs, &n);

	if (err)
		return err;
	if (n)
		*seg = segs[n - 1];
	else
		seg->name[0] = '\0';
	free(segs);
	return 0;
}

/*
 * Waits until the log's directory @ifd watches changes (a record appended,
 * a segment created), or a signal comes; without a watch, a quarter of a
 * second.  poll() returns on a signal whatever SA_RESTART says.
 */
static void wait_for_records(int ifd)
{
	struct pollfd p = { .fd = ifd, .events = POLLIN };
	char ev[4096] __attribute__((aligned(__alignof__(struct inotify_event))));

	if (ifd < 0) {
		usleep(250000);
		return;
	}
	if (poll(&p, 1, -1) > 0)
		while (read(ifd, ev, sizeof(ev)) > 0)
			;
}

/*
 * Prints the lines written to the log after @seg's first @off bytes, as
 * they come, moving on to each newer segment once this one has been read
 * to its end; until SIGINT or SIGTERM.  Woken by inotify.
 */
static int follow(const char *dir, struct log_segment seg, __u64 off)
{
	int dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), fd = -1;
	int ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	char *buf = NULL;
	size_t len = 0, cap = 0;

	if (dirfd < 0)
		return p_err("cannot open %s: %s", dir, strerror(errno));
	/* Watched before the first read: nothing written after it is
	 * missed. */
	if (ifd >= 0 &&
	    inotify_add_watch(ifd, dir,
			      IN_MODIFY | IN_CREATE | IN_MOVED_TO) < 0) {
		close(ifd);
		ifd = -1;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	while (!stop) {
		struct log_segment next;
		ssize_t n;

		if (fd < 0 && seg.name[0] && !seg.gz) {
			fd = openat(dirfd, seg.name, O_RDONLY | O_CLOEXEC);
			if (fd >= 0 && lseek(fd, off, SEEK_SET) < 0)
				break;
		}
		n = 0;
		if (fd >= 0) {
			GROW(buf, len + 4096, cap);
			n = read(fd, buf + len, 4096);
		}
		if (n > 0) {
			char *nl;

			len += n;
			while ((nl = memchr(buf, '\n', len))) {
				*nl = '\0';
				print_record(buf);
				len -= nl + 1 - buf;
				memmove(buf, nl + 1, len);
			}
			continue;
		}
		/* At the end: a newer segment means this one is closed. */
		if (!last_segment(dirfd, &next) && next.first > seg.first) {
			if (fd >= 0)
				close(fd);
			fd = -1;
			seg = next;
			off = 0;
			len = 0;
			continue;
		}
		wait_for_records(ifd);
	}
	if (fd >= 0)
		close(fd);
	if (ifd >= 0)
		close(ifd);
	close(dirfd);
	free(buf);
	return 0;
}

static int do_tail(int argc, char **argv)
{
	const char *lines = NULL, *dir = NULL;
	bool follow_on = false;
	const struct cmd_option opts[] = {
		{ "lines", 'n', NULL, &lines },
		{ "follow", 'f', &follow_on, NULL },
		{ "dir", 'D', NULL, &dir },
		{},
	};
	struct log_segment seg = {};
	struct log_conf conf;
	struct log_reader *r;
	struct log_line l;
	unsigned long n = 10;
	char **ring, *end;
	__u64 seen = 0, off = 0;
	int err, dirfd;

	err = cmd_options(&argc, &argv, opts, 0,
			  "log tail [-n N] [-f|--follow] [--dir DIR]");
	if (err)
		return err;
	if (lines && ((n = strtoul(lines, &end, 10)), *end || !*lines))
		return cmd_usage("log tail [-n N] [-f|--follow] [--dir DIR]");
	if (read_conf(&conf, dir))
		return -1;
	setvbuf(stdout, NULL, _IOLBF, 0);
	/* Where following starts: the last segment as it is now. */
	dirfd = open(conf.dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0 || last_segment(dirfd, &seg))
		return p_err("cannot read the log in %s: %s", conf.dir,
			     strerror(errno));
	close(dirfd);
	ring = xcalloc(n + 1, sizeof(*ring));
	err = log_reader_open(&r, conf.dir);
	while (!err && (err = log_reader_next(r, &l)) > 0) {
		err = 0;
		if (!strcmp(l.file, seg.name))
			off += l.len + l.complete;
		if (!n)
			continue;
		free(ring[seen % n]);
		ring[seen++ % n] = xstrndup(l.text, l.len);
	}
	log_reader_close(r);
	for (__u64 i = seen > n ? seen - n : 0; !err && i < seen; i++)
		print_record(ring[i % n]);
	for (unsigned long i = 0; i < n; i++)
		free(ring[i]);
	free(ring);
	if (err)
		return p_err("cannot read the log in %s: %s", conf.dir,
			     strerror(-err));
	return follow_on ? follow(conf.dir, seg, off) : 0;
}

/* Verify's problems, printed as they come. */
static void print_problem(const struct log_problem *p, void *ctx)
{
	json_object *obj;

	if (!json_output) {
		if (*p->file)
			printf("%s:%llu: ", p->file, p->line);
		if (p->seq)
			printf("seq %llu: ", p->seq);
		printf("%s%s\n", p->tamper ? "TAMPERED: " : "", p->what);
		return;
	}
	obj = json_object_new_object();
	json_object_object_add(obj, "file", json_object_new_string(p->file));
	json_object_object_add(obj, "line", json_object_new_int64(p->line));
	json_object_object_add(obj, "seq", json_object_new_int64(p->seq));
	json_object_object_add(obj, "tamper",
			       json_object_new_boolean(p->tamper));
	json_object_object_add(obj, "what", json_object_new_string(p->what));
	json_object_array_add(ctx, obj);
}

/* The verification key of --key or --key-file; 0 or p_err(). */
static int read_vkey(struct seal_key *k, const char *key, const char *file)
{
	char buf[SEAL_VKEY_LEN * 2];
	FILE *f;

	if (file) {
		f = fopen(file, "re");
		if (!f)
			return p_err("cannot read %s: %s", file,
				     strerror(errno));
		if (!fgets(buf, sizeof(buf), f))
			buf[0] = '\0';
		fclose(f);
		buf[strcspn(buf, "\n")] = '\0';
		key = buf;
	}
	if (seal_vkey_parse(key, k))
		return p_err(
			"%s is not a verification key: give the one 'ward log setup' printed",
			file ? file : "--key");
	return 0;
}

/* --head SEQ:HEX, the kernel's record of the last record. */
static int parse_head(struct log_verify_opts *o, const char *head)
{
	unsigned char h[LOG_HASH_LEN];
	unsigned long long seq;
	char *end;

	seq = strtoull(head, &end, 10);
	if (*end != ':' || log_unhex(end + 1, h, sizeof(h)) ||
	    log_verify_head(o, seq, h, sizeof(h)))
		return p_err("bad --head '%s': give SEQ:HASH, the hash in hex",
			     head);
	return 0;
}

/*
 * The kernel's record of the last record the daemon wrote, for verify to
 * check the end of this machine's log against: false when ward or the
 * daemon has not run in this boot.
 */
static bool kernel_head(struct log_verify_opts *o)
{
	struct ward_log_head head;
	__u32 zero = 0;
	bool found;
	int fd;

	fd = pin_get_map("ward_log_head");
	if (fd < 0)
		return false;
	found = !bpf_map_lookup_elem(fd, &zero, &head) && head.seq &&
		!log_verify_head(o, head.seq, head.hash, sizeof(head.hash));
	close(fd);
	return found;
}

/* Exit statuses of "log verify", in ward(8). */
#define VERIFY_INTACT 0
#define VERIFY_TAMPERED 1
#define VERIFY_CANNOT 2
#define VERIFY_INCOMPLETE 3

static int do_verify(int argc, char **argv)
{
	static const char usage[] =
		"log verify [--key KEY|--key-file FILE] [--dir DIR|--bundle FILE] [--head SEQ:HASH]";
	const char *key = NULL, *key_file = NULL, *dir = NULL, *bundle = NULL,
		   *head = NULL;
	const struct cmd_option opts[] = {
		{ "key", 'k', NULL, &key },
		{ "key-file", 'K', NULL, &key_file },
		{ "dir", 'D', NULL, &dir },
		{ "bundle", 'B', NULL, &bundle },
		{ "head", 0, NULL, &head },
		{},
	};
	struct log_verify_opts o = { .report = print_problem };
	struct log_verify_result r;
	struct seal_key k;
	struct log_conf conf;
	json_object *problems = NULL, *obj;
	const char *verdict;
	int err;

	err = cmd_options(&argc, &argv, opts, 0, usage);
	if (err)
		return err;
	if ((key && key_file) || (dir && bundle)) {
		cmd_usage(usage);
		return VERIFY_CANNOT;
	}
	if ((key || key_file) && read_vkey(&k, key, key_file))
		return VERIFY_CANNOT;
	o.key = key || key_file ? &k : NULL;
	if (head && parse_head(&o, head))
		return VERIFY_CANNOT;
	if (bundle)
		o.bundle = bundle;
	else if (read_conf(&conf, dir))
		return VERIFY_CANNOT;
	else
		o.dir = conf.dir;
	/* This machine's log: its end as the kernel keeps it. */
	if (!head && !dir && !bundle)
		kernel_head(&o);
	if (json_output)
		o.ctx = problems = json_object_new_array();
	err = log_verify(&o, &r);
	seal_key_wipe(&k);
	if (err) {
		json_object_put(problems);
		p_err("cannot read %s: %s", bundle ? bundle : conf.dir,
		      err == -EINVAL ? "not an export bundle" : strerror(-err));
		return VERIFY_CANNOT;
	}
	verdict = r.tampered   ? "tampered" :
		  r.incomplete ? "incomplete" :
				 "intact";
	if (json_output) {
		obj = json_object_new_object();
		json_object_object_add(obj, "result",
				       json_object_new_string(verdict));
		json_object_object_add(obj, "records",
				       json_object_new_int64(r.records));
		json_object_object_add(obj, "first",
				       json_object_new_int64(r.first));
		json_object_object_add(obj, "last",
				       json_object_new_int64(r.last));
		json_object_object_add(obj, "seals",
				       json_object_new_int64(r.seals));
		json_object_object_add(obj, "sealed",
				       json_object_new_int64(r.sealed));
		json_object_object_add(obj, "problems", problems);
		json_print(obj);
	} else {
		printf("%llu records (seq %llu..%llu), %llu valid seals, sealed up to %llu: %s\n",
		       r.records, r.first, r.last, r.seals, r.sealed,
		       r.tampered ?
			       "TAMPERED" :
		       r.incomplete ?
			       "intact as far as checked, not fully sealed" :
			       "intact");
	}
	return r.tampered   ? VERIFY_TAMPERED :
	       r.incomplete ? VERIFY_INCOMPLETE :
			      VERIFY_INTACT;
}

static int do_export(int argc, char **argv)
{
	static const char usage[] = "log export [--dir DIR] -o FILE";
	const char *dir = NULL, *out = NULL;
	const struct cmd_option opts[] = {
		{ "dir", 'D', NULL, &dir },
		{ "output", 'o', NULL, &out },
		{},
	};
	struct log_conf conf;
	int err;

	err = cmd_options(&argc, &argv, opts, 0, usage);
	if (err)
		return err;
	if (!out)
		return cmd_usage(usage);
	if (read_conf(&conf, dir))
		return -1;
	err = log_export(conf.dir, out, conf.clock());
	if (err)
		return p_err("cannot export %s to %s: %s", conf.dir, out,
			     strerror(-err));
	return 0;
}

/* Records the new key, unless the running writer does (it holds the log). */
static void record_setup(const struct log_conf *conf, const struct seal_key *k,
			 bool replaced)
{
	json_object *rec = json_object_new_object();
	struct log_store *s;
	char t[LOG_TIME_LEN];
	int err = log_store_open(&s, conf);

	if (err == -EBUSY)
		goto out;
	if (err) {
		p_warn("the new key is not recorded in %s: %s", conf->dir,
		       strerror(-err));
		goto out;
	}
	log_time_format(conf->clock(), t);
	json_object_object_add(rec, "type",
			       json_object_new_string("CONFIG_CHANGE"));
	json_object_object_add(rec, "time", json_object_new_string(t));
	json_object_object_add(rec, "what",
			       json_object_new_string("log-seal-key"));
	json_object_object_add(rec, "action",
			       json_object_new_string(replaced ? "replaced" :
								 "installed"));
	json_object_object_add(rec, "key", json_object_new_string(k->id));
	err = log_store_append(s, rec);
	if (!err)
		err = log_store_seal(s);
	if (err)
		p_warn("the new key is not recorded in %s: %s", conf->dir,
		       strerror(-err));
	log_store_close(s);
out:
	json_object_put(rec);
}

static int do_setup(int argc, char **argv)
{
	bool force = false;
	const struct cmd_option opts[] = { { "force", 0, &force, NULL }, {} };
	char vkey[SEAL_VKEY_LEN];
	struct log_conf conf;
	struct seal_key k;
	bool exists;
	int err;

	err = cmd_options(&argc, &argv, opts, 0, "log setup [--force]");
	if (err)
		return err;
	if (require_root() || read_conf(&conf, NULL))
		return -1;
	exists = !access(conf.seal_key, F_OK);
	if (exists && !force)
		return p_err(
			"a sealing key exists in %s: --force replaces it (the log records that), and seals made since can then be checked only with the old verification key",
			conf.seal_key);
	err = seal_key_new(&k, log_hash_md(conf.hash),
			   conf.clock() / 1000000000ULL, conf.seal_interval);
	if (!err)
		err = seal_key_create(conf.seal_key, &k);
	if (err) {
		seal_key_wipe(&k);
		return p_err("cannot write %s: %s", conf.seal_key,
			     strerror(-err));
	}
	seal_vkey_format(&k, vkey);
	if (json_output) {
		json_object *obj = json_object_new_object();

		json_object_object_add(obj, "verification_key",
				       json_object_new_string(vkey));
		json_object_object_add(obj, "key_id",
				       json_object_new_string(k.id));
		json_print(obj);
	} else {
		printf("%s\n", vkey);
		fprintf(stderr,
			"ward: the verification key above is shown this once: keep it away from this machine; 'ward log verify --key-file FILE' checks the log with it\n");
	}
	OPENSSL_cleanse(vkey, sizeof(vkey));
	record_setup(&conf, &k, exists);
	seal_key_wipe(&k);
	return 0;
}

static int do_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr,
		"Usage: ward log drain [-f|--follow]\n"
		"       ward log show [--since T] [--until T] [--type T[,T]] [--user NAME|UID] [--boot ID|-N] [--dir DIR]\n"
		"       ward log tail [-n N] [-f|--follow] [--dir DIR]\n"
		"       ward log verify [--key KEY|--key-file FILE] [--dir DIR|--bundle FILE] [--head SEQ:HASH]\n"
		"       ward log export [--dir DIR] -o FILE\n"
		"       ward log setup [--force]\n"
		"       ward log sync [--timeout S]\n");
	return 0;
}

int do_log(int argc, char **argv)
{
	static const struct cmd cmds[] = {
		{ "drain", do_drain },	 { "show", do_show },
		{ "tail", do_tail },	 { "verify", do_verify },
		{ "export", do_export }, { "setup", do_setup },
		{ "sync", do_sync },
		{ NULL, NULL },
	};

	return cmd_select(cmds, argc, argv, do_help);
}
