// SPDX-License-Identifier: GPL-2.0
/*
 * ward - the security log's configuration, /etc/ward/ward.conf
 */

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* Keys of ward.conf that other parts of ward read (conf_value()). */
static bool foreign_key(const char *name)
{
	static const char *const foreign[] = { "require-signed-policy" };

	for (size_t i = 0; i < ARRAY_LEN(foreign); i++)
		if (!strcmp(name, foreign[i]))
			return true;
	return false;
}

int conf_value(const char *path, const char *key, char *value, size_t size)
{
	char *line = NULL;
	size_t cap = 0;
	int err = -ENOENT;
	FILE *f = fopen(path, "re");

	if (!f)
		return errno == ENOENT ? -ENOENT : -errno;
	while (getline(&line, &cap, f) >= 0) {
		char *s = trim(line), *eq = strchr(s, '=');

		if (!*s || *s == '#' || !eq)
			continue;
		*eq = '\0';
		if (strcmp(trim(s), key))
			continue;
		/* Set twice: which one holds is not clear, neither does. */
		if (err != -ENOENT || strlen(trim(eq + 1)) >= size) {
			err = -EINVAL;
			break;
		}
		strcpy(value, trim(eq + 1));
		err = 0;
	}
	if (ferror(f))
		err = -EIO;
	free(line);
	fclose(f);
	return err;
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
		if (foreign_key(name))
			continue;
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

static json_object *key_json(const struct key *k, const struct log_conf *c)
{
	const void *field = (const char *)c + k->offset;

	switch (k->type) {
	case K_SIZE:
	case K_DURATION:
		return json_object_new_uint64(*(const __u64 *)field);
	case K_BOOL:
		return json_object_new_boolean(*(const bool *)field);
	case K_PERCENT:
		return json_object_new_int(*(const unsigned int *)field);
	case K_ACTION:
		return json_object_new_string(log_full_action_name(
			*(const enum log_full_action *)field));
	case K_PATH:
	case K_HASH:
	case K_GROUP:
		break;
	}
	return json_object_new_string(field);
}

json_object *log_conf_json(const struct log_conf *conf)
{
	json_object *obj = json_object_new_object();

	for (size_t i = 0; i < ARRAY_LEN(keys); i++)
		json_object_object_add(obj, keys[i].name,
				       key_json(&keys[i], conf));
	return obj;
}

json_object *log_conf_changes(const char *state, const struct log_conf *conf,
			      json_object **old, json_object **new)
{
	json_object *changed = json_object_new_array();

	*new = log_conf_json(conf);
	*old = json_object_from_file(state);
	if (*old && !json_object_is_type(*old, json_type_object)) {
		json_object_put(*old);
		*old = NULL;
	}
	json_object_object_foreach(*new, key, value)
	{
		json_object *was;

		if (!*old || !json_object_object_get_ex(*old, key, &was) ||
		    !json_object_equal(was, value))
			json_object_array_add(changed,
					      json_object_new_string(key));
	}
	if (!json_object_array_length(changed)) {
		json_object_put(changed);
		return NULL;
	}
	return changed;
}

int log_conf_save(const char *state, json_object *settings)
{
	const char *text = json_object_to_json_string_ext(
		settings, JSON_C_TO_STRING_PLAIN);
	char tmp[PATH_MAX], dir[PATH_MAX];
	size_t len = strlen(text);
	int fd, dfd, err = 0;

	if (snprintf(tmp, sizeof(tmp), "%s.new", state) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	snprintf(dir, sizeof(dir), "%s", state);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
		  0600);
	if (fd < 0)
		return -errno;
	errno = 0;
	if (write(fd, text, len) != (ssize_t)len || write(fd, "\n", 1) != 1 ||
	    fsync(fd))
		err = errno ? -errno : -EIO;
	close(fd);
	if (!err && rename(tmp, state))
		err = -errno;
	if (err) {
		unlink(tmp);
		return err;
	}
	dfd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return -errno;
	if (fsync(dfd))
		err = -errno;
	close(dfd);
	return err;
}
