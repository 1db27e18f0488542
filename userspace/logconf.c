// SPDX-License-Identifier: GPL-2.0
/*
 * ward - the security log's configuration, /etc/ward/ward.conf
 */

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "logconf.h"
#include "logrec.h"
#include "output.h"
#include "xalloc.h"

static const char *const full_actions[] = {
	[LOG_FULL_ROTATE] = "rotate",
	[LOG_FULL_KEEP_CRITICAL] = "keep-critical",
	[LOG_FULL_HALT] = "halt",
};

const char *log_full_action_name(enum log_full_action action)
{
	return full_actions[action];
}

void log_conf_default(struct log_conf *conf)
{
	*conf = (struct log_conf){
		.dir = LOG_DIR_DEFAULT,
		.hash = "sha256",
		.max_size = 1ULL << 30,
		.segment_size = 8ULL << 20,
		.retention = LOG_RETENTION_MIN,
		.warn_percent = 80,
		.compress = true,
		.full_action = LOG_FULL_ROTATE,
		.seal_interval = 15 * 60,
		.seal_key = LOG_SEAL_KEY_DEFAULT,
		.clock = log_realtime_ns,
	};
}

/* A number and an optional unit: its value in the unit's base. */
struct unit {
	const char *name;
	__u64 mult;
};

static const struct unit sizes[] = {
	{ "", 1 },	     { "K", 1ULL << 10 }, { "M", 1ULL << 20 },
	{ "G", 1ULL << 30 }, { "T", 1ULL << 40 }, {},
};

static const struct unit durations[] = {
	{ "s", 1 },	{ "min", 60 },	    { "h", 3600 },
	{ "d", 86400 }, { "w", 7 * 86400 }, {},
};

static int parse_unit(const char *s, const struct unit *units, __u64 *out)
{
	unsigned long long n;
	char *end;

	if (!isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	n = strtoull(s, &end, 10);
	if (errno)
		return -EINVAL;
	for (; units->name; units++)
		if (!strcmp(end, units->name)) {
			if (n > ~0ULL / units->mult)
				return -EINVAL;
			*out = n * units->mult;
			return 0;
		}
	return -EINVAL;
}

static int parse_bool(const char *s, bool *out)
{
	if (!strcmp(s, "yes") || !strcmp(s, "true") || !strcmp(s, "1"))
		*out = true;
	else if (!strcmp(s, "no") || !strcmp(s, "false") || !strcmp(s, "0"))
		*out = false;
	else
		return -EINVAL;
	return 0;
}

static int parse_string(const char *s, char *out, size_t size)
{
	if (strlen(s) >= size)
		return -EINVAL;
	strcpy(out, s);
	return 0;
}

enum key_type {
	K_SIZE,
	K_DURATION,
	K_BOOL,
	K_PATH,
	K_HASH,
	K_PERCENT,
	K_ACTION,
	K_GROUP
};

/* One key of the file: where its value goes and what it must look like. */
struct key {
	const char *name;
	enum key_type type;
	size_t offset;
	const char *expect; /* said when the value is bad */
};

#define KEY(n, t, f, e)                               \
	{                                             \
		n, t, offsetof(struct log_conf, f), e \
	}

static const struct key keys[] = {
	KEY("log-directory", K_PATH, dir, "an absolute path"),
	KEY("log-hash", K_HASH, hash, "sha256 or sm3"),
	KEY("log-max-size", K_SIZE, max_size,
	    "a size in bytes, with K, M, G or T"),
	KEY("log-segment-size", K_SIZE, segment_size,
	    "a size of at least 4K, with K, M, G or T"),
	KEY("log-retention", K_DURATION, retention,
	    "a duration with s, min, h, d or w, e.g. 180d"),
	KEY("log-retention-override", K_BOOL, retention_override, "yes or no"),
	KEY("log-warn-percent", K_PERCENT, warn_percent,
	    "a percentage from 1 to 100"),
	KEY("log-compress", K_BOOL, compress, "yes or no"),
	KEY("log-full-action", K_ACTION, full_action,
	    "rotate, keep-critical or halt"),
	KEY("log-seal-interval", K_DURATION, seal_interval,
	    "a duration of at least 1min, with s, min, h, d or w"),
	KEY("log-seal-key", K_PATH, seal_key, "an absolute path"),
	KEY("log-auditor-group", K_GROUP, auditor_group, "a group name"),
};

static int set_value(const struct key *k, const char *v, struct log_conf *c)
{
	void *field = (char *)c + k->offset;
	__u64 n;

	switch (k->type) {
	case K_SIZE:
		return parse_unit(v, sizes, field);
	case K_DURATION:
		return parse_unit(v, durations, field);
	case K_BOOL:
		return parse_bool(v, field);
	case K_PATH:
		if (*v != '/')
			return -EINVAL;
		return parse_string(v, field, PATH_MAX);
	case K_HASH:
		if (!log_hash_md(v))
			return -EINVAL;
		return parse_string(v, field, sizeof(c->hash));
	case K_PERCENT:
		if (parse_unit(v, sizes, &n) || n < 1 || n > 100)
			return -EINVAL;
		*(unsigned int *)field = n;
		return 0;
	case K_ACTION:
		for (size_t i = 0; i < ARRAY_LEN(full_actions); i++)
			if (!strcmp(v, full_actions[i])) {
				*(enum log_full_action *)field = i;
				return 0;
			}
		return -EINVAL;
	case K_GROUP:
		if (strpbrk(v, " \t:/"))
			return -EINVAL;
		return parse_string(v, field, sizeof(c->auditor_group));
	}
	return -EINVAL;
}

static char *trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

/* The settings that are wrong together, once the file is read. */
static int check(const char *path, const struct log_conf *c)
{
	if (c->segment_size < 4096)
		return p_err("%s: log-segment-size is under 4K: raise it",
			     path);
	if (c->segment_size > c->max_size)
		return p_err(
			"%s: log-segment-size is over log-max-size: lower it or raise log-max-size",
			path);
	if (c->seal_interval < 60)
		return p_err("%s: log-seal-interval is under 1min: raise it",
			     path);
	if (c->retention < LOG_RETENTION_MIN && !c->retention_override)
		return p_err(
			"%s: log-retention is under 180d, the six months the Cybersecurity Law (art. 21) asks for: raise it, or set log-retention-override = yes",
			path);
	return 0;
}

int log_conf_read(const char *path, struct log_conf *conf)
{
	bool seen[ARRAY_LEN(keys)] = {};
	char *line = NULL;
	size_t cap = 0;
	int lineno = 0, err = 0;
	FILE *f;

	log_conf_default(conf);
	f = fopen(path, "re");
	if (!f) {
		if (errno == ENOENT)
			return 0;
		return p_err("cannot read %s: %s", path, strerror(errno));
	}
	while (!err && getline(&line, &cap, f) >= 0) {
		char *s = trim(line), *eq, *name, *value;
		size_t i;

		lineno++;
		if (!*s || *s == '#')
			continue;
		eq = strchr(s, '=');
		if (!eq) {
			err = p_err(
				"%s:%d: not \"key = value\": write it so, or comment it out with #",
				path, lineno);
			break;
		}
		*eq = '\0';
		name = trim(s);
		value = trim(eq + 1);
		for (i = 0; i < ARRAY_LEN(keys); i++)
			if (!strcmp(name, keys[i].name))
				break;
		if (i == ARRAY_LEN(keys))
			err = p_err("%s:%d: unknown key '%s': see ward.conf(5)",
				    path, lineno, name);
		else if (seen[i])
			err = p_err("%s:%d: %s is set twice: keep one", path,
				    lineno, name);
		else if (set_value(&keys[i], value, conf))
			err = p_err("%s:%d: bad %s '%s': give %s", path, lineno,
				    name, value, keys[i].expect);
		else
			seen[i] = true;
	}
	if (!err && ferror(f))
		err = p_err("cannot read %s: %s", path, strerror(errno));
	free(line);
	fclose(f);
	return err ? err : check(path, conf);
}
