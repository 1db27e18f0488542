// SPDX-License-Identifier: GPL-2.0
/*
 * ward unit tests - the security log's configuration (logconf.c)
 *
 * Each case is a ward.conf: what log_conf_read() returns, a setting it
 * must then hold, and the words its one-line error must have.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"
#include "logconf.h"
#include "output.h"

struct conf_case {
	const char *text;
	int ret;
	const char *error; /* in the message, with "file:line" when given */
	void (*check)(struct __test_metadata *_metadata,
		      const struct log_conf *c);
};

static void check_defaults(struct __test_metadata *_metadata,
			   const struct log_conf *c)
{
	EXPECT_STREQ("/var/log/ward", c->dir);
	EXPECT_STREQ("sha256", c->hash);
	EXPECT_EQ(180ULL * 86400, c->retention);
	EXPECT_EQ(900ULL, c->seal_interval);
	EXPECT_EQ(LOG_FULL_ROTATE, (int)c->full_action);
	EXPECT_EQ(80U, c->warn_percent);
	EXPECT_TRUE(c->compress);
	EXPECT_STREQ("", c->auditor_group);
	EXPECT_STREQ("/var/lib/ward/log/seal.key", c->seal_key);
}

static void check_all(struct __test_metadata *_metadata,
		      const struct log_conf *c)
{
	EXPECT_STREQ("/srv/log", c->dir);
	EXPECT_STREQ("sm3", c->hash);
	EXPECT_EQ(2ULL << 30, c->max_size);
	EXPECT_EQ(64ULL << 20, c->segment_size);
	EXPECT_EQ(365ULL * 86400, c->retention);
	EXPECT_EQ(90U, c->warn_percent);
	EXPECT_FALSE(c->compress);
	EXPECT_EQ(LOG_FULL_KEEP_CRITICAL, (int)c->full_action);
	EXPECT_EQ(3600ULL, c->seal_interval);
	EXPECT_STREQ("/etc/ward/seal.key", c->seal_key);
	EXPECT_STREQ("audit", c->auditor_group);
}

static void check_override(struct __test_metadata *_metadata,
			   const struct log_conf *c)
{
	EXPECT_EQ(7ULL * 86400, c->retention);
	EXPECT_TRUE(c->retention_override);
}

static void check_halt(struct __test_metadata *_metadata,
		       const struct log_conf *c)
{
	EXPECT_EQ(LOG_FULL_HALT, (int)c->full_action);
	EXPECT_EQ(26 * 7 * 86400ULL, c->retention);
}

static const struct conf_case cases[] = {
	{ "", 0, NULL, check_defaults },
	{ "# nothing but comments\n\n   # indented\n", 0, NULL,
	  check_defaults },
	{ "log-directory = /srv/log\nlog-hash=sm3\nlog-max-size = 2G\n"
	  "log-segment-size = 64M\nlog-retention = 365d\n"
	  "log-warn-percent = 90\nlog-compress = no\n"
	  "log-full-action = keep-critical\nlog-seal-interval = 1h\n"
	  "log-seal-key = /etc/ward/seal.key\n  log-auditor-group = audit  \n",
	  0, NULL, check_all },
	{ "log-full-action = halt\nlog-retention = 26w\n", 0, NULL,
	  check_halt },
	{ "log-retention = 7d\nlog-retention-override = yes\n", 0, NULL,
	  check_override },
	{ "log-retention = 7d\n", -1, "six months", NULL },
	{ "log-retention = 179d\nlog-retention-override = no\n", -1,
	  "log-retention-override = yes", NULL },
	{ "\nlog-hash = md5\n", -1,
	  ":2: bad log-hash 'md5': give sha256 or sm3", NULL },
	{ "log-size = 1G\n", -1, ":1: unknown key 'log-size'", NULL },
	{ "log-hash = sm3\nlog-hash = sha256\n", -1,
	  ":2: log-hash is set twice", NULL },
	{ "log-hash\n", -1, ":1: not \"key = value\"", NULL },
	{ "log-directory = var/log\n", -1, "give an absolute path", NULL },
	{ "log-max-size = 1X\n", -1, "bad log-max-size", NULL },
	{ "log-max-size = -1\n", -1, "bad log-max-size", NULL },
	{ "log-max-size = 99999999999999999999\n", -1, "bad log-max-size",
	  NULL },
	{ "log-max-size = 20000000T\n", -1, "bad log-max-size", NULL },
	{ "log-warn-percent = 0\n", -1, "bad log-warn-percent", NULL },
	{ "log-warn-percent = 101\n", -1, "bad log-warn-percent", NULL },
	{ "log-compress = maybe\n", -1, "give yes or no", NULL },
	{ "log-full-action = panic\n", -1, "rotate, keep-critical or halt",
	  NULL },
	{ "log-seal-interval = 10s\n", -1, "log-seal-interval is under 1min",
	  NULL },
	{ "log-seal-interval = 15m\n", -1, "bad log-seal-interval", NULL },
	{ "log-segment-size = 1K\n", -1, "log-segment-size is under 4K", NULL },
	{ "log-max-size = 1M\nlog-segment-size = 2M\n", -1,
	  "log-segment-size is over log-max-size", NULL },
	{ "log-auditor-group = a b\n", -1, "bad log-auditor-group", NULL },
};

/* Runs log_conf_read() on @text; its error message goes to @err. */
static int read_text(const char *text, struct log_conf *c, char *path,
		     char *err, size_t size)
{
	int fd = mkstemp(path), saved, ret;
	FILE *f;

	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		return -2;
	close(fd);
	fflush(stderr);
	saved = dup(2);
	f = tmpfile();
	dup2(fileno(f), 2);
	ret = log_conf_read(path, c);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(f);
	err[fread(err, 1, size - 1, f)] = '\0';
	fclose(f);
	unlink(path);
	return ret;
}

TEST(conf_cases)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		const struct conf_case *c = &cases[i];
		char path[] = "/tmp/ward-conf-XXXXXX", err[512];
		struct log_conf conf;
		int ret = read_text(c->text, &conf, path, err, sizeof(err));

		EXPECT_EQ(c->ret, ret) TH_LOG("case %zu: %s", i, c->text);
		if (c->error) {
			EXPECT_NE(NULL, strstr(err, c->error))
			TH_LOG("%s", err);
			/* One line, naming the file. */
			EXPECT_NE(NULL, strstr(err, path));
			EXPECT_EQ(strchr(err, '\n'), err + strlen(err) - 1);
		} else {
			EXPECT_STREQ("", err) TH_LOG("case %zu", i);
		}
		if (c->check && !ret)
			c->check(_metadata, &conf);
	}
}

TEST(missing_file_means_defaults)
{
	struct log_conf c;

	ASSERT_EQ(0, log_conf_read("/nonexistent/ward.conf", &c));
	check_defaults(_metadata, &c);
	EXPECT_NE(NULL, c.clock);
}

TEST(unreadable_file_is_an_error)
{
	struct log_conf c;

	EXPECT_EQ(-1, log_conf_read("/", &c));
}

/* The keys log_conf_changes() names, as one comma-separated string. */
static void names(json_object *changed, char *buf, size_t size)
{
	buf[0] = '\0';
	for (size_t i = 0; changed && i < json_object_array_length(changed);
	     i++)
		snprintf(buf + strlen(buf), size - strlen(buf), "%s%s",
			 i ? "," : "",
			 json_object_get_string(
				 json_object_array_get_idx(changed, i)));
}

/*
 * The settings last recorded, against those in force: every key changed
 * when none were recorded; none once saved; the one edited after that,
 * with its value before and after.
 */
TEST(changes_since_recorded)
{
	char dir[] = "/tmp/ward-state-XXXXXX", state[64], got[512];
	json_object *old, *new, *changed, *v;
	struct log_conf c;

	ASSERT_NE(NULL, mkdtemp(dir));
	snprintf(state, sizeof(state), "%s/conf.json", dir);
	log_conf_default(&c);

	changed = log_conf_changes(state, &c, &old, &new);
	ASSERT_NE(NULL, changed);
	EXPECT_EQ(NULL, old);
	EXPECT_EQ(json_object_object_length(new),
		  (int)json_object_array_length(changed));
	ASSERT_TRUE(json_object_object_get_ex(new, "log-max-size", &v));
	EXPECT_EQ(1ULL << 30, json_object_get_uint64(v));
	ASSERT_TRUE(json_object_object_get_ex(new, "log-full-action", &v));
	EXPECT_STREQ("rotate", json_object_get_string(v));
	ASSERT_TRUE(json_object_object_get_ex(new, "log-compress", &v));
	EXPECT_TRUE(json_object_get_boolean(v));
	ASSERT_EQ(0, log_conf_save(state, new));
	json_object_put(changed);
	json_object_put(new);

	EXPECT_EQ(NULL, log_conf_changes(state, &c, &old, &new));
	EXPECT_NE(NULL, old);
	json_object_put(old);
	json_object_put(new);

	c.max_size = 2ULL << 30;
	c.retention = 7 * 86400;
	c.retention_override = true;
	changed = log_conf_changes(state, &c, &old, &new);
	names(changed, got, sizeof(got));
	EXPECT_STREQ("log-max-size,log-retention,log-retention-override", got);
	ASSERT_NE(NULL, old);
	ASSERT_TRUE(json_object_object_get_ex(old, "log-max-size", &v));
	EXPECT_EQ(1ULL << 30, json_object_get_uint64(v));
	ASSERT_TRUE(json_object_object_get_ex(new, "log-max-size", &v));
	EXPECT_EQ(2ULL << 30, json_object_get_uint64(v));
	ASSERT_TRUE(json_object_object_get_ex(old, "log-retention", &v));
	EXPECT_EQ(180ULL * 86400, json_object_get_uint64(v));
	json_object_put(changed);
	json_object_put(old);
	json_object_put(new);
	unlink(state);
	rmdir(dir);
}

/* A state file that is not settings is as none: every key is recorded. */
TEST(damaged_state_is_none)
{
	char path[] = "/tmp/ward-state-XXXXXX";
	json_object *old, *new, *changed;
	int fd = mkstemp(path);
	struct log_conf c;

	ASSERT_LE(0, fd);
	ASSERT_EQ(5, write(fd, "[1,2]", 5));
	close(fd);
	log_conf_default(&c);
	changed = log_conf_changes(path, &c, &old, &new);
	EXPECT_EQ(NULL, old);
	ASSERT_NE(NULL, changed);
	EXPECT_EQ(json_object_object_length(new),
		  (int)json_object_array_length(changed));
	json_object_put(changed);
	json_object_put(new);
	unlink(path);
}

TEST_HARNESS_MAIN
