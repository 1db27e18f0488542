// SPDX-License-Identifier: GPL-2.0
/*
 * ward - verifying the security log
 *
 * One pass over the records.  Seals follow the lessons of journald's
 * CVE-2023-31439 and CVE-2023-31438: a record must be sealed by the key
 * of its own epoch, not a later one (whoever holds today's key could
 * otherwise seal an edited past again), every epoch from the first seal
 * on has its seal (else a log cut short and continued would pass), and
 * records after the last valid seal are never taken as sealed.
 */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "logread.h"
#include "logverify.h"
#include "xalloc.h"

int log_verify_head(struct log_verify_opts *o, __u64 seq,
		    const unsigned char *hash, size_t len)
{
	if (len != LOG_HASH_LEN || !seq)
		return -EINVAL;
	o->head = true;
	o->head_seq = seq;
	memcpy(o->head_hash, hash, LOG_HASH_LEN);
	return 0;
}

/*
 * Seqs skipped, not yet found later: deleted, unless a record of theirs
 * comes after all (reordered).  Said at the end, where they were seen.
 */
#define GAPS_MAX 16
struct gap {
	__u64 from, to; /* the seqs missing */
	__u64 seq; /* the record after them */
	char *file;
	__u64 line;
};

/* What the pass knows so far. */
struct state {
	const struct log_verify_opts *o;
	struct log_verify_result *r;
	const struct log_line *line;
	char *prev_text; /* the previous record's line; NULL after a bad one */
	size_t prev_len;
	__u64 prev_seq;
	__u64 max_seq; /* the highest seq seen */
	struct gap gaps[GAPS_MAX];
	int n_gaps;
	bool any;
	__u64 dropped; /* the last seq that rotation says it dropped */
	bool head_found;
	/* Seals, with a key. */
	struct seal_key k; /* the key of the last epoch derived */
	bool sealed_once; /* a valid seal was seen */
	__u64 seal_epoch; /* the last valid seal's */
	__u64 pending_first; /* records since the last valid seal; 0: none */
	__u64 pending_last;
	__u64 pending_min, pending_min_seq; /* their earliest epoch */
	__u64 pending_max;
	bool other_key; /* seals of another key came after ours */
	bool other_said;
	bool missing_said;
};

static void problem(struct state *st, __u64 seq, bool tamper, const char *fmt,
		    ...) __attribute__((format(printf, 4, 5)));

static void problem(struct state *st, __u64 seq, bool tamper, const char *fmt,
		    ...)
{
	struct log_problem p = {
		.file = st->line ? st->line->file : "",
		.line = st->line ? st->line->lineno : 0,
		.seq = seq,
		.tamper = tamper,
	};
	char *what;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&what, fmt, ap) < 0)
		what = NULL;
	va_end(ap);
	p.what = what ? what : fmt;
	if (tamper)
		st->r->tampered = true;
	else
		st->r->incomplete = true;
	st->o->report(&p, st->o->ctx);
	free(what);
}

static const char *get_str(json_object *obj, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(obj, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

static bool get_u64(json_object *obj, const char *key, __u64 *out)
{
	json_object *v;

	if (!json_object_object_get_ex(obj, key, &v) ||
	    !json_object_is_type(v, json_type_int) ||
	    json_object_get_int64(v) < 0)
		return false;
	*out = json_object_get_int64(v);
	return true;
}

/* A seal of the key: valid, and covering the records pending. */
static void check_seal(struct state *st, json_object *obj, __u64 seq)
{
	const char *head = get_str(obj, "head"), *mac = get_str(obj, "mac");
	unsigned char h[LOG_HASH_LEN];
	char hex[2 * LOG_HASH_LEN + 1], want[SEAL_MAC_HEX];
	__u64 epoch, count;

	if (!get_u64(obj, "epoch", &epoch) || !get_u64(obj, "count", &count) ||
	    !head || !mac) {
		problem(st, seq, true,
			"seal lacks its epoch, count, head or mac");
		return;
	}
	if (epoch < st->k.epoch)
		st->k = *st->o->key; /* going back: derive it afresh */
	if (count + 1 != seq || !st->prev_text ||
	    log_hash(st->k.md, st->prev_text, st->prev_len, h) ||
	    (log_hex(h, LOG_HASH_LEN, hex), strcmp(hex, head)) ||
	    seal_key_evolve(&st->k, epoch) ||
	    seal_mac(&st->k, count, h, want) || strcmp(want, mac)) {
		problem(st, seq, true,
			"seal of epoch %llu does not verify: forged, or the records before it were changed",
			epoch);
		return;
	}
	if (st->sealed_once && epoch < st->seal_epoch)
		problem(st, seq, true,
			"seal of epoch %llu after one of epoch %llu: seals go backwards",
			epoch, st->seal_epoch);
	else if (st->sealed_once && epoch > st->seal_epoch + 1)
		problem(st, seq, true,
			"seals of epochs %llu..%llu are missing: the log was cut and continued",
			st->seal_epoch + 1, epoch - 1);
	if (st->pending_first && st->pending_min < epoch)
		problem(st, st->pending_min_seq, true,
			"record %llu of epoch %llu is sealed only by the seal of epoch %llu at seq %llu: sealed again with a later key",
			st->pending_min_seq, st->pending_min, epoch, seq);
	st->sealed_once = true;
	st->seal_epoch = epoch;
	st->pending_first = 0;
	st->r->seals++;
	st->r->sealed = count;
}

/* Seal bookkeeping for a record of @type at @time. */
static void seal_record(struct state *st, json_object *obj, const char *type,
			__u64 seq, __u64 time)
{
	const char *id;
	__u64 epoch;

	if (!strcmp(type, "SEAL")) {
		id = get_str(obj, "key");
		if (id && !strcmp(id, st->o->key->id)) {
			check_seal(st, obj, seq);
			st->other_key = false;
			return;
		}
		st->other_key = true;
		if (!st->other_said) {
			st->other_said = true;
			problem(st, seq, false,
				"seals of another key (%s) from here on: not checked with this key",
				id ? id : "none");
		}
		return;
	}
	epoch = seal_epoch_of(st->o->key, time);
	/* The writer seals before the first record of a later epoch. */
	if (st->pending_first && !st->other_key && !st->missing_said &&
	    epoch > st->pending_max &&
	    (!st->sealed_once || epoch > st->seal_epoch)) {
		st->missing_said = true;
		problem(st, seq, true,
			"records %llu..%llu of epoch %llu are not sealed, yet record %llu is of epoch %llu: their seal was removed",
			st->pending_first, st->pending_last, st->pending_max,
			seq, epoch);
	}
	if (!st->pending_first) {
		st->pending_first = seq;
		st->pending_min = st->pending_max = epoch;
		st->pending_min_seq = seq;
	}
	if (epoch < st->pending_min) {
		st->pending_min = epoch;
		st->pending_min_seq = seq;
	}
	if (epoch > st->pending_max)
		st->pending_max = epoch;
	st->pending_last = seq;
}

/* One record: its seq, its prev, its seal, the head. */
/* After a line that is no record, the next one starts the chain anew. */
static void bad_line(struct state *st, const char *what)
{
	problem(st, 0, true, "%s", what);
	free(st->prev_text);
	st->prev_text = NULL;
}

/* Forgets gap @i. */
static void drop_gap(struct state *st, int i)
{
	free(st->gaps[i].file);
	memmove(&st->gaps[i], &st->gaps[i + 1],
		(st->n_gaps - i - 1) * sizeof(st->gaps[0]));
	st->n_gaps--;
}

/* Says that gap @i is missing, where it was seen, and forgets it. */
static void say_gap(struct state *st, int i)
{
	struct gap *g = &st->gaps[i];
	const struct log_line *cur = st->line;
	struct log_line at = { .file = g->file, .lineno = g->line };

	st->line = &at;
	problem(st, g->seq, true, "records %llu..%llu are missing: deleted",
		g->from, g->to);
	st->line = cur;
	drop_gap(st, i);
}

/* Keeps @g, saying the oldest gap when there is no room. */
static void keep_gap(struct state *st, struct gap g)
{
	if (st->n_gaps == GAPS_MAX)
		say_gap(st, 0);
	st->gaps[st->n_gaps++] = g;
}

/*
 * Record @seq, at or below the highest seq seen: a record found out of its
 * place fills its gap, said unless it follows its own predecessor (the
 * first of those moved with it was said); else it is a copy.
 */
static void seq_back(struct state *st, __u64 seq, bool follows)
{
	struct gap *g, after;

	for (int i = 0; i < st->n_gaps; i++) {
		g = &st->gaps[i];
		if (seq < g->from || seq > g->to)
			continue;
		if (!follows)
			problem(st, seq, true,
				"record %llu follows record %llu: reordered",
				seq, st->prev_seq);
		if (g->from == g->to) {
			drop_gap(st, i);
		} else if (seq == g->from) {
			g->from++;
		} else if (seq == g->to) {
			g->to--;
		} else {
			after = *g;
			after.from = seq + 1;
			after.file = xstrdup(g->file);
			g->to = seq - 1;
			keep_gap(st, after);
		}
		return;
	}
	problem(st, seq, true, "record %llu follows record %llu: repeated", seq,
		st->prev_seq);
}

static void check_record(struct state *st, json_object *obj)
{
	const struct log_line *l = st->line;
	const char *type = get_str(obj, "type"), *time = get_str(obj, "time"),
		   *prev = get_str(obj, "prev");
	unsigned char want[LOG_HASH_LEN], got[LOG_HASH_LEN];
	const EVP_MD *md;
	__u64 seq, t, last;
	bool chained;

	if (!get_u64(obj, "seq", &seq) || !seq || !type || !time ||
	    log_time_parse(time, &t) || !prev ||
	    log_prev_parse(prev, &md, want)) {
		bad_line(
			st,
			"not a record (a seq, type, time and prev): damaged or edited");
		return;
	}
	chained = st->prev_text && seq == st->prev_seq + 1;
	if (!st->any) {
		st->r->first = seq;
		memset(got, 0, sizeof(got));
		if (seq == 1 && memcmp(want, got, LOG_HASH_LEN))
			problem(st, seq, true,
				"record 1 has a prev: records before it were removed");
	} else if (st->prev_text && seq != st->prev_seq + 1) {
		if (seq <= st->max_seq)
			seq_back(st, seq, false);
		else if (seq > st->max_seq + 1)
			keep_gap(st, (struct gap){ .from = st->max_seq + 1,
						   .to = seq - 1,
						   .seq = seq,
						   .file = xstrdup(l->file),
						   .line = l->lineno });
	} else if (st->prev_text && seq <= st->max_seq) {
		/* In its place after its predecessor, both moved. */
		seq_back(st, seq, true);
	}
	if (chained && (log_hash(md, st->prev_text, st->prev_len, got) ||
			memcmp(got, want, LOG_HASH_LEN)))
		problem(st, seq, true,
			"prev does not match record %llu: that record was changed, or records were reordered",
			st->prev_seq);
	if (!strcmp(type, "STORE") &&
	    !strcmp(get_str(obj, "event") ?: "", "dropped") &&
	    get_u64(obj, "last", &last) && last > st->dropped)
		st->dropped = last;
	if (st->o->key)
		seal_record(st, obj, type, seq, t);
	if (st->o->head && seq == st->o->head_seq) {
		st->head_found = true;
		if (log_hash(md, l->text, l->len, got) ||
		    memcmp(got, st->o->head_hash, LOG_HASH_LEN))
			problem(st, seq, true,
				"record %llu is not the one the kernel recorded last: changed",
				seq);
	}
	st->any = true;
	st->prev_seq = seq;
	if (seq > st->max_seq)
		st->max_seq = seq;
	st->r->last = seq;
	free(st->prev_text);
	st->prev_text = xstrndup(l->text, l->len);
	st->prev_len = l->len;
}

/* The first line of a bundle: its manifest. */
static int check_manifest(struct log_reader *rd)
{
	struct log_line l;
	json_object *obj, *v;
	int err = log_reader_next(rd, &l);

	if (err <= 0)
		return err ? err : -EINVAL;
	obj = json_tokener_parse(l.text);
	err = obj && json_object_object_get_ex(obj, LOG_BUNDLE_KEY, &v) &&
			      json_object_get_int(v) == 1 ?
		      0 :
		      -EINVAL;
	json_object_put(obj);
	return err;
}

static void check_end(struct state *st)
{
	struct log_verify_result *r = st->r;

	while (st->n_gaps)
		say_gap(st, 0);
	st->line = NULL;
	if (st->any && r->first > 1 && st->dropped < r->first - 1)
		problem(st, r->first, true,
			"records 1..%llu are missing and no record says rotation dropped them: deleted",
			r->first - 1);
	if (st->o->head && !st->head_found)
		problem(st, st->o->head_seq, true,
			"the log ends at record %llu, the kernel recorded %llu: records were cut off its end",
			r->last, st->o->head_seq);
	else if (st->o->head && r->last > st->o->head_seq)
		problem(st, st->o->head_seq + 1, false,
			"records %llu..%llu are past the head given",
			st->o->head_seq + 1, r->last);
	if (!st->o->key)
		problem(st, 0, false, "no key given: seals not checked");
	else if (st->pending_first)
		problem(st, st->pending_first, false,
			"unsealed tail: records %llu..%llu are covered by no valid seal",
			st->pending_first, st->pending_last);
}

int log_verify(const struct log_verify_opts *o, struct log_verify_result *r)
{
	struct state st = { .o = o, .r = r };
	struct log_reader *rd;
	struct log_line l;
	int err;

	*r = (struct log_verify_result){};
	if (o->key)
		st.k = *o->key;
	err = o->bundle ? log_reader_open_file(&rd, o->bundle) :
			  log_reader_open(&rd, o->dir);
	if (err)
		return err;
	if (o->bundle)
		err = check_manifest(rd);
	while (!err && (err = log_reader_next(rd, &l)) > 0) {
		json_object *obj;

		st.line = &l;
		r->records++;
		err = 0;
		if (!l.complete) {
			bad_line(
				&st,
				"incomplete last line: a torn write, or cut off");
			continue;
		}
		obj = json_tokener_parse(l.text);
		if (obj && json_object_is_type(obj, json_type_object) &&
		    strlen(l.text) == l.len)
			check_record(&st, obj);
		else
			bad_line(&st, "not JSON: damaged or edited");
		json_object_put(obj);
	}
	log_reader_close(rd);
	if (!err)
		check_end(&st);
	while (st.n_gaps)
		free(st.gaps[--st.n_gaps].file);
	free(st.prev_text);
	seal_key_wipe(&st.k);
	return err;
}
