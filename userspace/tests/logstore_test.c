// SPDX-License-Identifier: GPL-2.0
/*
 * ward unit tests - the security log's store, seals and verify
 * (logstore.c, logseal.c, logverify.c, logread.c)
 *
 * A log is written in a temporary directory with a clock the test sets,
 * then tampered with as an attacker would: records edited, deleted,
 * reordered, cut off, torn, sealed again with a key taken later, seals
 * removed, segments swapped.  verify must name each.  Then the full log:
 * rotation, keep-critical, halt, and a write that fails half way.
 */

#include <dirent.h>
#include <limits.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <json-c/json.h>
#include <zlib.h>

#include "unit.h"
#include "logread.h"
#include "logseal.h"
#include "logstore.h"
#include "logverify.h"

/* 2025-11-30T00:00:00Z, the start of epoch 0; 15 min epochs. */
#define T0 1764460800ULL
#define INTERVAL 900ULL
#define NS 1000000000ULL
#define AT(epoch, s) (((T0 + (epoch)*INTERVAL) + (s)) * NS)

static __u64 fake_ns;

static __u64 fake_clock(void)
{
	return fake_ns;
}

/* A record of @type at @ns, written by the store; its error. */
static int put(struct log_store *s, const char *type, __u64 ns)
{
	json_object *rec = json_object_new_object();
	char t[LOG_TIME_LEN];
	int err;

	fake_ns = ns;
	log_time_format(ns, t);
	json_object_object_add(rec, "type", json_object_new_string(type));
	json_object_object_add(rec, "time", json_object_new_string(t));
	json_object_object_add(rec, "uid", json_object_new_int(1000));
	err = log_store_append(s, rec);
	json_object_put(rec);
	return err;
}

/* What verify said: its problems, one a line, and its summary. */
struct verdict {
	struct log_verify_result r;
	char text[8192];
	int err;
};

static void collect(const struct log_problem *p, void *ctx)
{
	struct verdict *v = ctx;
	size_t len = strlen(v->text);

	snprintf(v->text + len, sizeof(v->text) - len,
		 "%s:%llu: seq %llu: %s%s\n", p->file, p->line, p->seq,
		 p->tamper ? "TAMPER " : "", p->what);
}

FIXTURE(log)
{
	char dir[64];
	struct log_conf conf;
	struct log_store *s;
	struct seal_key k0; /* the auditor's verification key */
};

FIXTURE_SETUP(log)
{
	strcpy(self->dir, "/tmp/ward-log-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	log_conf_default(&self->conf);
	snprintf(self->conf.dir, sizeof(self->conf.dir), "%s/log", self->dir);
	snprintf(self->conf.seal_key, sizeof(self->conf.seal_key), "%s/key",
		 self->dir);
	self->conf.clock = fake_clock;
	self->conf.seal_interval = INTERVAL;
	fake_ns = AT(0, 0);
}

FIXTURE_TEARDOWN(log)
{
	char cmd[128];

	log_store_close(self->s);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", self->dir);
	if (system(cmd))
		TH_LOG("could not remove %s", self->dir);
}

/* "ward log setup": a key of epoch 0 at T0, kept by the auditor. */
static int setup_key(struct __test_metadata *_metadata,
		     FIXTURE_DATA(log) * self, const char *hash)
{
	ASSERT_EQ(0, seal_key_new(&self->k0, log_hash_md(hash), T0, INTERVAL));
	return seal_key_create(self->conf.seal_key, &self->k0);
}

static void verify(FIXTURE_DATA(log) * self, const struct seal_key *key,
		   struct verdict *v)
{
	struct log_verify_opts o = {
		.dir = self->conf.dir, .key = key, .report = collect, .ctx = v
	};

	memset(v, 0, sizeof(*v));
	v->err = log_verify(&o, &v->r);
}

/* A segment's path. */
static void seg_path(FIXTURE_DATA(log) * self, __u64 first, char *buf,
		     size_t size)
{
	snprintf(buf, size, "%s/%020llu.jsonl", self->conf.dir, first);
}

/* The lines of a plain file, to edit; written back by put_lines(). */
static int get_lines(const char *path, char lines[][2048], int max)
{
	FILE *f = fopen(path, "r");
	int n = 0;

	if (!f)
		return -1;
	while (n < max && fgets(lines[n], sizeof(lines[n]), f))
		n++;
	fclose(f);
	return n;
}

static int put_lines(const char *path, char lines[][2048], int n)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	for (int i = 0; i < n; i++)
		fputs(lines[i], f);
	return fclose(f);
}

/* Replaces @from with @to in @line. */
static void edit(char *line, const char *from, const char *to)
{
	char *p = strstr(line, from), rest[2048];

	if (!p)
		return;
	strcpy(rest, p + strlen(from));
	strcpy(p, to);
	strcat(p, rest);
}

/* Ten records over epochs 0..2, sealed; the store is closed. */
static void write_ten(struct __test_metadata *_metadata,
		      FIXTURE_DATA(log) * self)
{
	ASSERT_EQ(0, log_store_open(&self->s, &self->conf));
	for (int i = 0; i < 10; i++)
		ASSERT_EQ(0, put(self->s, i % 2 ? "LOGIN" : "DENY",
				 AT(i / 4, 10 + i)));
	fake_ns = AT(2, 500);
	ASSERT_EQ(0, log_store_seal(self->s));
	log_store_close(self->s);
	self->s = NULL;
}

TEST_F(log, intact_log_verifies)
{
	struct verdict v;
	__u64 seq;
	unsigned char h[LOG_HASH_LEN];
	size_t len;

	ASSERT_EQ(0, setup_key(_metadata, self, "sha256"));
	write_ten(_metadata, self);
	/* Reopened: seq and chain go on. */
	ASSERT_EQ(0, log_store_open(&self->s, &self->conf));
	ASSERT_EQ(0, put(self->s, "LOGOUT", AT(2, 600)));
	ASSERT_EQ(0, log_store_seal(self->s));
	ASSERT_EQ(0, log_store_head(self->s, &seq, h, &len));
	log_store_close(self->s);
	self->s = NULL;
	verify(self, &self->k0, &v);
	ASSERT_EQ(0, v.err);
	EXPECT_STREQ("", v.text);
	EXPECT_FALSE(v.r.tampered);
	EXPECT_FALSE(v.r.incomplete);
	EXPECT_EQ(1ULL, v.r.first);
	EXPECT_EQ(seq, v.r.last);
	/* Seals of epochs 0, 1, 2 at the changes, 2 by seal(), twice. */
	EXPECT_EQ(4ULL, v.r.seals);
	/* Without the key: intact, but the seals are not checked. */
	verify(self, NULL, &v);
	EXPECT_FALSE(v.r.tampered);
	EXPECT_TRUE(v.r.incomplete);
	EXPECT_NE(NULL, strstr(v.text, "no key given"));
}

TEST_F(log, records_have_seq_first_prev_last_and_ns_times)
{
	char path[PATH_MAX + 32], lines[4][2048];

	write_ten(_metadata, self);
	seg_path(self, 1, path, sizeof(path));
	ASSERT_EQ(10, get_lines(path, lines, 4) + 6);
	EXPECT_EQ((char *)lines[0],
		  strstr(lines[0],
			 "{\"seq\":1,\"type\":\"DENY\","
			 "\"time\":\"2025-11-30T00:00:10.000000000Z\","
			 "\"uid\":1000,\"prev\":\"sha256:0000"));
	EXPECT_EQ(0, strncmp(lines[1], "{\"seq\":2,", 9));
}

/*
 * The store prints lines itself (logstore.c put_value()): each must be
 * what json-c prints of the record with "seq" first and "prev" last, as
 * verify and every reader parse it: every byte in strings and keys,
 * nested objects and arrays, null, booleans, integers at their limits,
 * doubles, and a "seq" and "prev" of the record's own, replaced.
 */
TEST_F(log, lines_are_what_json_c_prints)
{
	char path[PATH_MAX + 32], lines[2][2048], bytes[256], t[LOG_TIME_LEN];
	json_object *rec, *inner, *arr, *expect, *got, *v;
	const char *str;

	for (int i = 0; i < 256; i++)
		bytes[i] = i ? i : 'x';
	log_time_format(AT(0, 1), t);
	rec = json_object_new_object();
	json_object_object_add(rec, "seq", json_object_new_int(77));
	json_object_object_add(rec, "type", json_object_new_string("DENY"));
	json_object_object_add(rec, "time", json_object_new_string(t));
	json_object_object_add(rec, "bytes",
			       json_object_new_string_len(bytes, 256));
	json_object_object_add(rec, "nul",
			       json_object_new_string_len("a\0b", 3));
	json_object_object_add(rec, "k\"e\\y/\n\x01", json_object_new_int(-1));
	json_object_object_add(rec, "null", NULL);
	json_object_object_add(rec, "yes", json_object_new_boolean(1));
	json_object_object_add(rec, "no", json_object_new_boolean(0));
	json_object_object_add(rec, "min", json_object_new_int64(INT64_MIN));
	json_object_object_add(rec, "max", json_object_new_int64(INT64_MAX));
	json_object_object_add(rec, "umax", json_object_new_uint64(UINT64_MAX));
	json_object_object_add(rec, "pi", json_object_new_double(3.14159));
	json_object_object_add(rec, "secs",
			       json_object_new_double_s(1.5, "1.500000000"));
	inner = json_object_new_object();
	json_object_object_add(inner, "seq", json_object_new_string("kept"));
	json_object_object_add(inner, "empty", json_object_new_object());
	arr = json_object_new_array();
	json_object_array_add(arr, json_object_new_int(1));
	json_object_array_add(arr, NULL);
	json_object_array_add(arr, json_object_new_array());
	json_object_array_add(arr, json_object_new_string("\t/"));
	json_object_object_add(inner, "list", arr);
	json_object_object_add(rec, "inner", inner);
	json_object_object_add(rec, "prev", json_object_new_string("x"));
	ASSERT_EQ(0, log_store_open(&self->s, &self->conf));
	ASSERT_EQ(0, log_store_append(self->s, rec));
	log_store_close(self->s);
	self->s = NULL;
	seg_path(self, 1, path, sizeof(path));
	ASSERT_EQ(1, get_lines(path, lines, 2));
	got = json_tokener_parse(lines[0]);
	ASSERT_NE(NULL, got);
	/* As the store printed it before: a copy, printed by json-c. */
	expect = json_object_new_object();
	json_object_object_add(expect, "seq", json_object_new_int64(1));
	json_object_object_foreach(rec, key, val)
	{
		if (strcmp(key, "seq") && strcmp(key, "prev"))
			json_object_object_add(expect, key,
					       json_object_get(val));
	}
	ASSERT_TRUE(json_object_object_get_ex(got, "prev", &v));
	json_object_object_add(expect, "prev", json_object_get(v));
	str = json_object_to_json_string_ext(
		expect,
		JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	EXPECT_EQ(strlen(str) + 1, strlen(lines[0]));
	EXPECT_EQ(0, strncmp(str, lines[0], strlen(str)));
	EXPECT_EQ('\n', lines[0][strlen(str)]);
	json_object_put(expect);
	json_object_put(got);
	json_object_put(rec);
}

/*
 * "ward log setup" while the store is open: the next record after a key
 * is installed, replaced or removed follows it.  The store reads its
 * watch of the key's directory once a tick of the coarse clock: the test
 * lets one pass.
 */
#define TICK_US 20000

TEST_F(log, key_changes_are_followed_at_the_next_record)
{
	char path[PATH_MAX + 32], lines[8][2048];
	struct seal_key k1;

	ASSERT_EQ(0, log_store_open(&self->s, &self->conf));
	ASSERT_EQ(0, put(self->s, "DENY", AT(0, 1)));
	ASSERT_EQ(0, setup_key(_metadata, self, "sha256"));
	usleep(TICK_US);
	ASSERT_EQ(0, put(self->s, "DENY", AT(0, 2)));
	ASSERT_EQ(0, seal_key_new(&k1, log_hash_md("sha256"), T0, INTERVAL));
	ASSERT_EQ(0, seal_key_create(self->conf.seal_key, &k1));
	usleep(TICK_US);
	ASSERT_EQ(0, put(self->s, "DENY", AT(0, 3)));
	ASSERT_EQ(0, unlink(self->conf.seal_key));
	usleep(TICK_US);
	ASSERT_EQ(0, put(self->s, "DENY", AT(0, 4)));
	log_store_close(self->s);
	self->s = NULL;
	seg_path(self, 1, path, sizeof(path));
	ASSERT_EQ(8, get_lines(path, lines, 8));
	EXPECT_NE(NULL, strstr(lines[0], "\"DENY\""));
	EXPECT_NE(NULL, strstr(lines[1], "\"action\":\"installed\""));
	EXPECT_NE(NULL, strstr(lines[2], "\"DENY\""));
	/* The old key seals what it saw before the new one takes over. */
	EXPECT_NE(NULL, strstr(lines[3], "\"SEAL\""));
	EXPECT_NE(NULL, strstr(lines[4], "\"action\":\"replaced\""));
	EXPECT_NE(NULL, strstr(lines[5], "\"DENY\""));
	EXPECT_NE(NULL, strstr(lines[6], "\"action\":\"removed\""));
	EXPECT_NE(NULL, strstr(lines[7], "\"DENY\""));
	seal_key_wipe(&k1);
}

TEST_F(log, second_writer_is_refused)
{
	struct log_store *other;

	ASSERT_EQ(0, log_store_open(&self->s, &self->conf));
	EXPECT_EQ(-EBUSY, log_store_open(&other, &self->conf));
}

TEST_F(log, edited_record_is_named)
{
	char path[PATH_MAX + 32], lines[16][2048];
	struct verdict v;
	int n;

	write_ten(_metadata, self);
	seg_path(self, 1, path, sizeof(path));
	n = get_lines(path, lines, 16);
	edit(lines[4], "\"uid\":1000", "\"uid\":0");
	ASSERT_EQ(0, put_lines(path, lines, n));
	verify(self, NULL, &v);
	EXPECT_TRUE(v.r.tampered);
	EXPECT_NE(NULL,
		  strstr(v.text, "seq 6: TAMPER prev does not match record 5"))
	TH_LOG("%s", v.text);
}

TEST_F(log, deleted_record_is_named)
{
	char path[PATH_MAX + 32], lines[16][2048];
	struct verdict v;
	int n;

	write_ten(_metadata, self);
	seg_path(self, 1, path, sizeof(path));
	n = get_lines(path, lines, 16);
	memmove(lines[3], lines[4], sizeof(lines[0]) * (n - 4));
	ASSERT_EQ(0, put_lines(path, lines, n - 1));
	verify(self, NULL, &v);
	EXPECT_TRUE(v.r.tampered);
	EXPECT_NE(NULL, strstr(v.text, "records 4..4 are missing"))
	TH_LOG("%s", v.text);
}

TEST_F(log, reordered_records_are_named)
{
	char path[PATH_MAX + 32], lines[16][2048], tmp[2048];
	struct verdict v;
	int n;

	write_ten(_metadata, self);
	seg_path(self, 1, path, sizeof(path));
	n = get_lines(path, lines, 16);
	strcpy(tmp, lines[2]);
	strcpy(lines[2], lines[3]);
	strcpy(lines[3], tmp);
	ASSERT_EQ(0, put_lines(path, lines, n));
	verify(self, NULL, &v);
	EXPECT_TRUE(v.r.tampered);
	EXPECT_NE(NULL,
		  strstr(v.text,
			 "seq 3: TAMPER record 3 follows record 4: reordered"))
	TH_LOG("%s", v.text);
	/* Swapped, not deleted: record 3 came after all. */
	EXPECT_EQ(NULL, strstr(v.text, "missing")) TH_LOG("%s", v.text);
}

/* Records 3 and 4 moved after 6: said once, where 3 is; none deleted. */
TEST_F(log, moved_records_are_named_once)
{
	char path[PATH_MAX + 32], lines[16][2048], moved[2][2048];
	struct verdict v;
	int n;

	write_ten(_metadata, self);
	seg_path(self, 1, path, sizeof(path));
	n = get_lines(path, lines, 16);
	memcpy(moved, lines[2], sizeof(moved));
	memmove(lines[2], lines[4], sizeof(lines[0]) * 2);
	memcpy(lines[4], moved, sizeof(moved));
	ASSERT_EQ(0, put_lines(path, lines, n));
	verify(self, NULL, &v);
	EXPECT_TRUE(v.r.tampered);
	EXPECT_NE(NULL,
		  strstr(v.text,
			 "seq 3: TAMPER record 3 follows record 6: reordered"))
	TH_LOG("%s", v.text);
	EXPECT_EQ(NULL, strstr(v.text, "record 4 follows"))
	TH_LOG("%s", v.text);
	EXPECT_EQ(NULL, strstr(v.text, "missing")) TH_LOG("%s", v.text);
}

/* A record written twice is a copy, not a reordering. */
TEST_F(log, repeated_record_is_named)
{
	char path[PATH_MAX + 32], lines[17][2048];
	struct verdict v;
	int n;

	write_ten(_metadata, self);
	seg_path(self, 1, path, sizeof(path));
	n = get_lines(path, lines, 16);
	memmove(lines[5], lines[4], sizeof(lines[0]) * (n - 4));
	strcpy(lines[4], lines[2]);
	ASSERT_EQ(0, put_lines(path, lines, n + 1));
	verify(self, NULL, &v);
	EXPECT_TRUE(v.r.tampered);
	EXPECT_NE(NULL, strstr(v.text, "record 3 follows record 4: repeated"))
	TH_LOG("%s", v.text);
}

TEST_F(log, cut_tail_is_found_by_the_head)
{
	char path[PATH_MAX + 32], lines[16][2048];
	unsigned char h[LOG_HASH_LEN];
	struct log_verify_opts o = { 0 };
	struct verdict v = { 0 };
	size_t len;
	__u64 seq;
	int n;

	ASSERT_EQ(0, log_store_open(&self->s, &self->conf));
	for (int i = 0; i < 5; i++)
		ASSERT_EQ(0, put(self->s, "LOGIN", AT(0, i)));
	ASSERT_EQ(0, log_store_head(self->s, &seq, h, &len));
	EXPECT_EQ(5ULL, seq);
	log_store_close(self->s);
	self->s = NULL;

	o.dir = self->conf.dir;
	o.report = collect;
	o.ctx = &v;
	ASSERT_EQ(0, log_verify_head(&o, seq, h, len));
	ASSERT_EQ(0, log_verify(&o, &v.r));
	EXPECT_FALSE(v.r.tampered) TH_LOG("%s", v.text);

	seg_path(self, 1, path, sizeof(path));
	n = get_lines(path, lines, 16);
	ASSERT_EQ(0, put_lines(path, lines, n - 2));
	v.text[0] = '\0';
	ASSERT_EQ(0, log_verify(&o, &v.r));
	EXPECT_TRUE(v.r.tampered);
	EXPECT_NE(NULL,
		  strstr(v.text,
			 "the log ends at record 3, the kernel recorded 5"))
	TH_LOG("%s", v.text);
	/* A record changed at the head, chain rewritten: not the same. */
	edit(lines[4], "\"uid\":1000", "\"uid\":1001");
	ASSERT_EQ(0, put_lines(path, lines, n));
	v.text[0] = '\0';
	ASSERT_EQ(0, log_verify(&o, &v.r));
	EXPECT_NE(NULL,
		  strstr(v.text, "record 5 is not the one the kernel recorded"))
	TH_LOG("%s", v.text);
}

TEST_F(log, torn_record_is_cut_and_said)
{
	char path[PATH_MAX + 32];
	struct verdict v;
	json_object *obj, *val;
	char lines[16][2048];
	int fd, n;

	write_ten(_metadata, self);
	seg_path(self, 1, path, sizeof(path));
	fd = open(path, O_WRONLY | O_APPEND);
	ASSERT_LE(0, fd);
	ASSERT_EQ(20, write(fd, "{\"seq\":11,\"type\":\"LO", 20));
	close(fd);
	verify(self, NULL, &v);
	/* Said, and the pass went on to its end: not a failure to read. */
	EXPECT_EQ(0, v.err);
	EXPECT_TRUE(v.r.tampered);
	EXPECT_NE(NULL, strstr(v.text, "incomplete last line"))
	TH_LOG("%s", v.text);

	ASSERT_EQ(0, log_store_open(&self->s, &self->conf));
	log_store_close(self->s);
	self->s = NULL;
	verify(self, NULL, &v);
	EXPECT_FALSE(v.r.tampered) TH_LOG("%s", v.text);
	n = get_lines(path, lines, 16);
	obj = json_tokener_parse(lines[n - 1]);
	ASSERT_NE(NULL, obj);
	ASSERT_TRUE(json_object_object_get_ex(obj, "event", &val));
	EXPECT_STREQ("cut", json_object_get_string(val));
	ASSERT_TRUE(json_object_object_get_ex(obj, "bytes", &val));
	EXPECT_EQ(20, json_object_get_int(val));
	json_object_put(obj);
}

TEST_F(log, line_that_does_not_parse_is_cut)
{
	char path[PATH_MAX + 32];
	int fd;
	struct verdict v;

	write_ten(_metadata, self);
	seg_path(self, 1, path, sizeof(path));
	fd = open(path, O_WRONLY | O_APPEND);
	ASSERT_EQ(6, write(fd, "{\"se\n\n", 6));
	close(fd);
	ASSERT_EQ(0, log_store_open(&self->s, &self->conf));
	ASSERT_EQ(0, put(self->s, "LOGIN", AT(2, 700)));
	log_store_close(self->s);
	self->s = NULL;
	verify(self, NULL, &v);
	EXPECT_FALSE(v.r.tampered) TH_LOG("%s", v.text);
	EXPECT_EQ(12ULL, v.r.last); /* 10, the cut, the login */
}

/*
 * The attacker's log: @self's records but for the seals, from line @from
 * on with "uid" 1000 made 0 in record @edit, written anew by a store with
 * @key, as someone holding that key would.
 */
static void rewrite(struct __test_metadata *_metadata, FIXTURE_DATA(log) * self,
		    const struct seal_key *key, int edit_seq)
{
	char path[PATH_MAX + 32], lines[64][2048], newdir[PATH_MAX],
		cmd[PATH_MAX * 3 + 32];
	struct log_conf conf = self->conf;
	struct log_store *s;
	int n;

	seg_path(self, 1, path, sizeof(path));
	n = get_lines(path, lines, 64);
	snprintf(newdir, sizeof(newdir), "%s/forged", self->dir);
	snprintf(conf.dir, sizeof(conf.dir), "%s", newdir);
	snprintf(conf.seal_key, sizeof(conf.seal_key), "%s/stolen", self->dir);
	if (key)
		ASSERT_EQ(0, seal_key_create(conf.seal_key, key));
	ASSERT_EQ(0, log_store_open(&s, &conf));
	for (int i = 0; i < n; i++) {
		json_object *obj = json_tokener_parse(lines[i]), *v;
		__u64 t;

		ASSERT_NE(NULL, obj);
		json_object_object_get_ex(obj, "type", &v);
		if (strcmp(json_object_get_string(v), "SEAL")) {
			json_object_object_get_ex(obj, "seq", &v);
			if (json_object_get_int(v) == edit_seq)
				json_object_object_add(obj, "uid",
						       json_object_new_int(0));
			json_object_object_get_ex(obj, "time", &v);
			log_time_parse(json_object_get_string(v), &t);
			fake_ns = t;
			ASSERT_EQ(0, log_store_append(s, obj));
		}
		json_object_put(obj);
	}
	fake_ns = AT(5, 10);
	ASSERT_EQ(0, log_store_seal(s));
	log_store_close(s);
	snprintf(cmd, sizeof(cmd), "rm -rf %s && mv %s %s", self->conf.dir,
		 newdir, self->conf.dir);
	ASSERT_EQ(0, system(cmd));
}

TEST_F(log, resealing_with_a_later_key_is_refused)
{
	struct seal_key k5 = { 0 };
	struct verdict v;

	ASSERT_EQ(0, setup_key(_metadata, self, "sha256"));
	write_ten(_metadata, self);
	/* Taken from the machine at epoch 5: k5, derived from k0. */
	k5 = self->k0;
	ASSERT_EQ(0, seal_key_evolve(&k5, 5));
	rewrite(_metadata, self, &k5, 5);
	verify(self, &self->k0, &v);
	EXPECT_TRUE(v.r.tampered);
	EXPECT_NE(
		NULL,
		strstr(v.text,
		       "record 1 of epoch 0 is sealed only by the seal of epoch 5"))
	TH_LOG("%s", v.text);
	/* The chain itself is whole: only the seals tell. */
	verify(self, NULL, &v);
	EXPECT_FALSE(v.r.tampered) TH_LOG("%s", v.text);
}

TEST_F(log, removed_seals_are_found)
{
	struct verdict v;

	ASSERT_EQ(0, setup_key(_metadata, self, "sha256"));
	write_ten(_metadata, self);
	rewrite(_metadata, self, NULL, 0);
	verify(self, &self->k0, &v);
	EXPECT_TRUE(v.r.tampered);
	EXPECT_NE(
		NULL,
		strstr(v.text,
		       "records 1..4 of epoch 0 are not sealed, yet record 5 is of epoch 1"))
	TH_LOG("%s", v.text);
	EXPECT_NE(NULL, strstr(v.text, "unsealed tail: records 1..10"));
}

TEST_F(log, forged_seal_mac_is_refused)
{
	char path[PATH_MAX + 32], lines[32][2048];
	struct verdict v;
	int n, i;

	ASSERT_EQ(0, setup_key(_metadata, self, "sm3"));
	write_ten(_metadata, self);
	seg_path(self, 1, path, sizeof(path));
	n = get_lines(path, lines, 32);
	for (i = 0; i < n && !strstr(lines[i], "\"SEAL\""); i++)
		;
	ASSERT_LT(i, n);
	edit(lines[i], "\"mac\":\"", "\"mac\":\"00");
	lines[i][strlen(lines[i]) - 1] = '\0';
	edit(lines[i], "\"prev\"", "\"prev\"");
	ASSERT_EQ(0, put_lines(path, lines, n));
	verify(self, &self->k0, &v);
	EXPECT_TRUE(v.r.tampered);
	EXPECT_NE(NULL, strstr(v.text, "does not verify")) TH_LOG("%s", v.text);
}

TEST_F(log, log_cut_and_continued_lacks_epoch_seals)
{
	char path[PATH_MAX + 32], lines[32][2048];
	struct verdict v;
	struct seal_key k3;
	int n, i;

	/* Epochs 0..3 sealed; then everything after epoch 1's seal is cut
	 * and the log continued by someone holding epoch 3's key. */
	ASSERT_EQ(0, setup_key(_metadata, self, "sha256"));
	ASSERT_EQ(0, log_store_open(&self->s, &self->conf));
	for (int e = 0; e < 4; e++)
		ASSERT_EQ(0, put(self->s, "LOGIN", AT(e, 1)));
	log_store_close(self->s);
	self->s = NULL;
	seg_path(self, 1, path, sizeof(path));
	n = get_lines(path, lines, 32);
	for (i = 0; i < n && !strstr(lines[i], "\"epoch\":1,"); i++)
		;
	ASSERT_LT(i, n);
	ASSERT_EQ(0, put_lines(path, lines, i + 1));
	k3 = self->k0;
	ASSERT_EQ(0, seal_key_evolve(&k3, 3));
	ASSERT_EQ(0, seal_key_create(self->conf.seal_key, &k3));
	ASSERT_EQ(0, log_store_open(&self->s, &self->conf));
	ASSERT_EQ(0, put(self->s, "LOGIN", AT(3, 100)));
	fake_ns = AT(3, 200);
	ASSERT_EQ(0, log_store_seal(self->s));
	log_store_close(self->s);
	self->s = NULL;
	verify(self, &self->k0, &v);
	EXPECT_TRUE(v.r.tampered);
	EXPECT_NE(NULL, strstr(v.text, "seals of epochs 2..2 are missing"))
	TH_LOG("%s", v.text);
}

/*
 * A closed log of 100 records in segments of 4 KiB, not compressed: its
 * segments into @segs (three or more).
 */
static void plain_segments(struct __test_metadata *_metadata,
			   FIXTURE_DATA(log) * self, struct log_segment **segs,
			   size_t *n)
{
	int dirfd;

	self->conf.segment_size = 4096;
	self->conf.compress = false;
	ASSERT_EQ(0, log_store_open(&self->s, &self->conf));
	for (int i = 0; i < 100; i++)
		ASSERT_EQ(0, put(self->s, "LOGIN", AT(0, i)));
	log_store_close(self->s);
	self->s = NULL;
	dirfd = open(self->conf.dir, O_RDONLY | O_DIRECTORY);
	ASSERT_EQ(0, log_segments(dirfd, segs, n));
	close(dirfd);
	ASSERT_LE(3UL, *n);
}

TEST_F(log, swapped_segments_are_found)
{
	struct log_segment *segs;
	char a[PATH_MAX + 64], b[PATH_MAX + 64], t[PATH_MAX + 64];
	struct verdict v;
	size_t n;

	plain_segments(_metadata, self, &segs, &n);
	snprintf(a, sizeof(a), "%s/%s", self->conf.dir, segs[0].name);
	snprintf(b, sizeof(b), "%s/%s", self->conf.dir, segs[1].name);
	snprintf(t, sizeof(t), "%s/x", self->conf.dir);
	free(segs);
	ASSERT_EQ(0, rename(a, t));
	ASSERT_EQ(0, rename(b, a));
	ASSERT_EQ(0, rename(t, b));
	verify(self, NULL, &v);
	EXPECT_TRUE(v.r.tampered);
	EXPECT_NE(NULL, strstr(v.text, "records 1..")) TH_LOG("%s", v.text);
}

/* A restart finds the last boot's record however many segments hold none. */
TEST_F(log, last_boot_is_found_behind_segments_naming_none)
{
	json_object *rec = json_object_new_object();
	const char *boot, *type;

	self->conf.segment_size = 4096;
	ASSERT_EQ(0, log_store_open(&self->s, &self->conf));
	json_object_object_add(rec, "type", json_object_new_string("SHUTDOWN"));
	json_object_object_add(rec, "time",
			       json_object_new_string("2025-11-30T00:00:01Z"));
	json_object_object_add(rec, "boot_id", json_object_new_string("b1"));
	ASSERT_EQ(0, log_store_append(self->s, rec));
	json_object_put(rec);
	/* Records naming no boot, as SEAL and STORE records are. */
	for (int i = 0; i < 100; i++)
		ASSERT_EQ(0, put(self->s, "LOGIN", AT(0, 2 + i)));
	log_store_close(self->s);
	ASSERT_EQ(0, log_store_open(&self->s, &self->conf));
	boot = log_store_last_boot(self->s, &type);
	ASSERT_NE(NULL, boot);
	EXPECT_STREQ("b1", boot);
	EXPECT_STREQ("SHUTDOWN", type);
}

TEST_F(log, closed_segments_are_gzipped_and_read)
{
	struct log_segment *segs;
	struct verdict v;
	size_t n;
	int dirfd;

	self->conf.segment_size = 4096;
	ASSERT_EQ(0, setup_key(_metadata, self, "sm3"));
	self->conf.hash[0] = '\0';
	strcpy(self->conf.hash, "sm3");
	ASSERT_EQ(0, log_store_open(&self->s, &self->conf));
	for (int i = 0; i < 100; i++)
		ASSERT_EQ(0, put(self->s, "LOGIN", AT(i / 30, i)));
	fake_ns = AT(3, 100);
	ASSERT_EQ(0, log_store_seal(self->s));
	log_store_close(self->s);
	self->s = NULL;
	dirfd = open(self->conf.dir, O_RDONLY | O_DIRECTORY);
	ASSERT_EQ(0, log_segments(dirfd, &segs, &n));
	close(dirfd);
	ASSERT_LE(3UL, n);
	for (size_t i = 0; i + 1 < n; i++) {
		EXPECT_TRUE(segs[i].gz) TH_LOG("%s", segs[i].name);
	}
	EXPECT_FALSE(segs[n - 1].gz);
	free(segs);
	verify(self, &self->k0, &v);
	EXPECT_STREQ("", v.text);
	EXPECT_EQ(0, v.err);
}

/*
 * What a crash while the worker compresses leaves: a partial copy not
 * renamed in, or a whole one renamed in beside the plain segment not yet
 * removed.  The plain segments verify as they are; the next open cleans
 * up and compresses them.
 */
TEST_F(log, crash_mid_compress_leaves_plain_segments)
{
	char path[PATH_MAX + 64], first[LOG_SEG_NAME_MAX], buf[8192];
	struct log_segment *segs;
	struct verdict v;
	size_t n, len;
	int dirfd, fd;
	gzFile gz;

	plain_segments(_metadata, self, &segs, &n);
	/* The first: half a copy, never renamed. */
	strcpy(first, segs[0].name);
	snprintf(path, sizeof(path), "%s/%s.gz.new", self->conf.dir, first);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0640);
	ASSERT_LE(0, fd);
	ASSERT_EQ(10, write(fd, "\x1f\x8b\x08\0\0\0\0\0\0\x03", 10));
	close(fd);
	/* The second: its whole copy in, the plain one still there. */
	snprintf(path, sizeof(path), "%s/%s", self->conf.dir, segs[1].name);
	fd = open(path, O_RDONLY);
	ASSERT_LE(0, fd);
	len = read(fd, buf, sizeof(buf));
	close(fd);
	ASSERT_LT(0L, (long)len);
	strcat(path, ".gz");
	gz = gzopen(path, "wb1");
	ASSERT_NE(NULL, gz);
	ASSERT_EQ((int)len, gzwrite(gz, buf, len));
	ASSERT_EQ(Z_OK, gzclose(gz));
	free(segs);
	verify(self, NULL, &v);
	EXPECT_FALSE(v.r.tampered) TH_LOG("%s", v.text);
	EXPECT_EQ(100ULL, v.r.last);
	self->conf.compress = true;
	ASSERT_EQ(0, log_store_open(&self->s, &self->conf));
	ASSERT_EQ(0, put(self->s, "LOGIN", AT(0, 200)));
	log_store_close(self->s);
	self->s = NULL;
	dirfd = open(self->conf.dir, O_RDONLY | O_DIRECTORY);
	ASSERT_EQ(0, log_segments(dirfd, &segs, &n));
	close(dirfd);
	for (size_t i = 0; i + 1 < n; i++) {
		EXPECT_TRUE(segs[i].gz) TH_LOG("%s", segs[i].name);
	}
	free(segs);
	snprintf(path, sizeof(path), "%s/%s.gz.new", self->conf.dir, first);
	EXPECT_NE(0, access(path, F_OK));
	snprintf(path, sizeof(path), "%s/%s", self->conf.dir, first);
	EXPECT_NE(0, access(path, F_OK));
	verify(self, NULL, &v);
	EXPECT_FALSE(v.r.tampered) TH_LOG("%s", v.text);
	EXPECT_EQ(101ULL, v.r.last);
}

/* What the worker compresses counts at its compressed size once done:
 * DENY is not refused for room the plain copy took. */
TEST_F(log, compressed_segments_free_room_for_deny)
{
	struct log_usage u;
	struct verdict v;

	self->conf.segment_size = 4096;
	self->conf.max_size = 16384;
	self->conf.full_action = LOG_FULL_KEEP_CRITICAL;
	ASSERT_EQ(0, log_store_open(&self->s, &self->conf));
	/* 150 lines of some 140 bytes: 21K plain, gzipped to a fraction. */
	for (int i = 0; i < 150; i++) {
		ASSERT_EQ(0, put(self->s, "DENY", AT(0, 1)))
		TH_LOG("record %d", i);
	}
	log_store_usage(self->s, &u);
	EXPECT_GE(16384ULL, u.used);
	log_store_close(self->s);
	self->s = NULL;
	verify(self, NULL, &v);
	EXPECT_FALSE(v.r.tampered) TH_LOG("%s", v.text);
	/* And the usage records. */
	EXPECT_LE(150ULL, v.r.last);
}

/* A flush leaves every record in the file; the sync it began is done by
 * the next one waited for, or the close. */
TEST_F(log, flushed_records_are_in_the_file)
{
	char path[PATH_MAX + 32], lines[32][2048];

	ASSERT_EQ(0, log_store_open(&self->s, &self->conf));
	for (int i = 0; i < 10; i++)
		ASSERT_EQ(0, put(self->s, "LOGIN", AT(0, i)));
	ASSERT_EQ(0, log_store_flush(self->s));
	ASSERT_EQ(0, log_store_flush(self->s));
	seg_path(self, 1, path, sizeof(path));
	EXPECT_EQ(10, get_lines(path, lines, 32));
	EXPECT_EQ(0, put(self->s, "LOGIN", AT(0, 11)));
	EXPECT_EQ(0, log_store_sync(self->s));
	EXPECT_EQ(11, get_lines(path, lines, 32));
}

TEST_F(log, export_bundle_verifies_elsewhere)
{
	char bundle[PATH_MAX + 16];
	struct log_verify_opts o = { 0 };
	struct verdict v = { 0 };

	self->conf.segment_size = 4096;
	ASSERT_EQ(0, setup_key(_metadata, self, "sha256"));
	ASSERT_EQ(0, log_store_open(&self->s, &self->conf));
	for (int i = 0; i < 60; i++)
		ASSERT_EQ(0, put(self->s, "LOGIN", AT(0, i)));
	ASSERT_EQ(0, log_store_seal(self->s));
	log_store_close(self->s);
	self->s = NULL;
	snprintf(bundle, sizeof(bundle), "%s/bundle.gz", self->dir);
	ASSERT_EQ(0, log_export(self->conf.dir, bundle, AT(1, 0)));
	o.bundle = bundle;
	o.key = &self->k0;
	o.report = collect;
	o.ctx = &v;
	ASSERT_EQ(0, log_verify(&o, &v.r));
	EXPECT_STREQ("", v.text);
	EXPECT_EQ(61ULL, v.r.last);
	/* Not a bundle: refused. */
	o.bundle = "/etc/hostname";
	EXPECT_EQ(-EINVAL, log_verify(&o, &v.r));
}

/* Makes every segment look last written @days ago. */
static void age(FIXTURE_DATA(log) * self, int days)
{
	struct timespec ts[2] = { { .tv_sec = fake_ns / NS - days * 86400 } };
	struct dirent *de;
	DIR *d = opendir(self->conf.dir);

	ts[1] = ts[0];
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			utimensat(dirfd(d), de->d_name, ts, 0);
	closedir(d);
}

static void small_log(FIXTURE_DATA(log) * self, enum log_full_action action)
{
	self->conf.segment_size = 4096;
	self->conf.max_size = 12288;
	self->conf.compress = false;
	self->conf.full_action = action;
}

/* Fills the log until a DENY is refused; the number written. */
static int fill(struct log_store *s)
{
	int i;

	for (i = 0; i < 1000; i++)
		if (put(s, "DENY", AT(0, 1)))
			break;
	return i;
}

TEST_F(log, rotate_drops_only_segments_past_retention)
{
	struct log_segment *segs;
	char path[PATH_MAX + 64];
	struct verdict v;
	size_t n;
	int dirfd;

	small_log(self, LOG_FULL_ROTATE);
	ASSERT_EQ(0, log_store_open(&self->s, &self->conf));
	fake_ns = AT(0, 1);
	/* Everything is young: nothing may go; DENY is refused at last. */
	ASSERT_GT(1000, fill(self->s));
	EXPECT_EQ(-ENOSPC, put(self->s, "DENY", AT(0, 2)));
	EXPECT_EQ(0, put(self->s, "CONFIG_CHANGE", AT(0, 2)));
	/* 181 days on, the old segments may go, and a record says so. */
	age(self, 181);
	EXPECT_EQ(0, put(self->s, "DENY", AT(0, 3)));
	log_store_close(self->s);
	self->s = NULL;
	verify(self, NULL, &v);
	EXPECT_FALSE(v.r.tampered) TH_LOG("%s", v.text);
	EXPECT_LT(1ULL, v.r.first);
	/* Deleting the oldest by hand is not rotation. */
	dirfd = open(self->conf.dir, O_RDONLY | O_DIRECTORY);
	ASSERT_EQ(0, log_segments(dirfd, &segs, &n));
	close(dirfd);
	snprintf(path, sizeof(path), "%s/%s", self->conf.dir, segs[0].name);
	free(segs);
	ASSERT_EQ(0, unlink(path));
	verify(self, NULL, &v);
	EXPECT_TRUE(v.r.tampered);
	EXPECT_NE(NULL, strstr(v.text, "no record says rotation dropped them"))
	TH_LOG("%s", v.text);
}

TEST_F(log, keep_critical_refuses_deny_keeps_config_change)
{
	struct log_usage u;

	small_log(self, LOG_FULL_KEEP_CRITICAL);
	ASSERT_EQ(0, log_store_open(&self->s, &self->conf));
	age(self, 365);
	ASSERT_GT(1000, fill(self->s));
	EXPECT_EQ(-ENOSPC, put(self->s, "DENY", AT(0, 2)));
	/* LOST holds the count of the DENY records refused. */
	EXPECT_EQ(0, put(self->s, "LOST", AT(0, 2)));
	EXPECT_EQ(0, put(self->s, "CONFIG_CHANGE", AT(0, 2)));
	EXPECT_EQ(0, put(self->s, "LOGIN_FAILED", AT(0, 2)));
	log_store_usage(self->s, &u);
	EXPECT_TRUE(u.warn);
	EXPECT_LE(100U, u.percent);
}

TEST_F(log, halt_refuses_every_record)
{
	small_log(self, LOG_FULL_HALT);
	ASSERT_EQ(0, log_store_open(&self->s, &self->conf));
	ASSERT_GT(1000, fill(self->s));
	EXPECT_EQ(-ENOSPC, put(self->s, "CONFIG_CHANGE", AT(0, 2)));
	EXPECT_EQ(-ENOSPC, put(self->s, "BOOT", AT(0, 2)));
}

TEST_F(log, usage_warning_is_recorded_once)
{
	char path[PATH_MAX + 32], lines[128][2048];
	int n, warnings = 0;

	self->conf.max_size = 64 * 1024;
	self->conf.warn_percent = 5;
	self->conf.compress = false;
	ASSERT_EQ(0, log_store_open(&self->s, &self->conf));
	for (int i = 0; i < 100; i++)
		ASSERT_EQ(0, put(self->s, "LOGIN", AT(0, 1)));
	log_store_close(self->s);
	self->s = NULL;
	seg_path(self, 1, path, sizeof(path));
	n = get_lines(path, lines, 128);
	for (int i = 0; i < n; i++)
		warnings += !!strstr(lines[i], "\"event\":\"usage\"");
	EXPECT_EQ(1, warnings);
}

TEST_F(log, failed_write_leaves_no_partial_line)
{
	struct rlimit rl;
	struct stat st, now;
	char path[PATH_MAX + 32];
	struct verdict v;

	ASSERT_EQ(0, log_store_open(&self->s, &self->conf));
	ASSERT_EQ(0, put(self->s, "LOGIN", AT(0, 1)));
	seg_path(self, 1, path, sizeof(path));
	ASSERT_EQ(0, stat(path, &st));
	/* A disk that fills half way through the line. */
	signal(SIGXFSZ, SIG_IGN);
	rl.rlim_cur = st.st_size + 40;
	rl.rlim_max = RLIM_INFINITY;
	ASSERT_EQ(0, setrlimit(RLIMIT_FSIZE, &rl));
	EXPECT_EQ(-EFBIG, put(self->s, "LOGIN", AT(0, 2)));
	rl.rlim_cur = RLIM_INFINITY;
	ASSERT_EQ(0, setrlimit(RLIMIT_FSIZE, &rl));
	ASSERT_EQ(0, stat(path, &now));
	EXPECT_EQ(st.st_size, now.st_size);
	EXPECT_EQ(0, put(self->s, "LOGIN", AT(0, 3)));
	log_store_close(self->s);
	self->s = NULL;
	verify(self, NULL, &v);
	EXPECT_FALSE(v.r.tampered) TH_LOG("%s", v.text);
	EXPECT_EQ(2ULL, v.r.last);
}

TEST_F(log, record_without_time_is_refused)
{
	json_object *rec = json_object_new_object();

	ASSERT_EQ(0, log_store_open(&self->s, &self->conf));
	json_object_object_add(rec, "type", json_object_new_string("LOGIN"));
	EXPECT_EQ(-EINVAL, log_store_append(self->s, rec));
	json_object_object_add(rec, "time",
			       json_object_new_string("yesterday"));
	EXPECT_EQ(-EINVAL, log_store_append(self->s, rec));
	json_object_put(rec);
}

TEST_F(log, retention_override_is_recorded)
{
	char path[PATH_MAX + 32], lines[4][2048];

	self->conf.retention = 86400;
	self->conf.retention_override = true;
	ASSERT_EQ(0, log_store_open(&self->s, &self->conf));
	ASSERT_EQ(0, put(self->s, "BOOT", AT(0, 1)));
	log_store_close(self->s);
	self->s = NULL;
	seg_path(self, 1, path, sizeof(path));
	ASSERT_EQ(2, get_lines(path, lines, 4));
	EXPECT_NE(NULL, strstr(lines[0], "\"type\":\"CONFIG_CHANGE\""));
	EXPECT_NE(NULL, strstr(lines[0], "log-retention-override"));
}

TEST(time_round_trips)
{
	char buf[LOG_TIME_LEN];
	__u64 ns;

	log_time_format(1764457936123456789ULL, buf);
	EXPECT_STREQ("2025-11-29T23:12:16.123456789Z", buf);
	ASSERT_EQ(0, log_time_parse(buf, &ns));
	EXPECT_EQ(1764457936123456789ULL, ns);
	ASSERT_EQ(0, log_time_parse("2025-11-29", &ns));
	EXPECT_EQ(1764374400ULL * NS, ns);
	EXPECT_EQ(-EINVAL, log_time_parse("2025-11-29T23:12", &ns));
	EXPECT_EQ(-EINVAL, log_time_parse("2025-11-29T23:12:16.Z", &ns));
}

TEST(verification_key_round_trips)
{
	struct seal_key k, back;
	char vkey[SEAL_VKEY_LEN];

	ASSERT_EQ(0, seal_key_new(&k, EVP_sm3(), T0, INTERVAL));
	seal_vkey_format(&k, vkey);
	EXPECT_EQ(0, strncmp(vkey, "sm3-", 4));
	ASSERT_EQ(0, seal_vkey_parse(vkey, &back));
	EXPECT_EQ(0, memcmp(k.k, back.k, SEAL_KEY_LEN));
	EXPECT_STREQ(k.id, back.id);
	EXPECT_EQ(-EINVAL, seal_vkey_parse("sm3-00-1-1", &back));
	EXPECT_EQ(-EINVAL, seal_vkey_parse("md5-", &back));
	/* Forward only. */
	ASSERT_EQ(0, seal_key_evolve(&k, 3));
	EXPECT_EQ(-EINVAL, seal_key_evolve(&k, 2));
}

TEST_HARNESS_MAIN
