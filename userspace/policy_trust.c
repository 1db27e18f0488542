// SPDX-License-Identifier: GPL-2.0
/*
 * ward - signed policies and their version floor: see policy_trust.h
 */

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <openssl/evp.h>

#include "change.h"
#include "logconf.h"
#include "output.h"
#include "policy_trust.h"
#include "xalloc.h"

int trust_conf_read(const char *path, enum trust_require *out)
{
	static const char *const names[] = {
		[TRUST_REQUIRE_LOCKED] = "locked",
		[TRUST_REQUIRE_YES] = "yes",
		[TRUST_REQUIRE_NO] = "no",
	};
	char value[16];
	int err = conf_value(path, TRUST_CONF_KEY, value, sizeof(value));

	*out = TRUST_REQUIRE_LOCKED;
	if (err == -ENOENT)
		return 0;
	if (err)
		return err;
	for (size_t i = 0; i < ARRAY_LEN(names); i++)
		if (!strcmp(value, names[i])) {
			*out = i;
			return 0;
		}
	return -EINVAL;
}

/* The next number of a version at *@s, past its dot. */
static unsigned long long version_part(const char **s)
{
	char *end;
	unsigned long long n = strtoull(*s, &end, 10);

	*s = *end == '.' ? end + 1 : end;
	return n;
}

int version_cmp(const char *a, const char *b)
{
	for (int i = 0; i < 3; i++) {
		unsigned long long x = version_part(&a), y = version_part(&b);

		if (x != y)
			return x < y ? -1 : 1;
	}
	return 0;
}

/* MAJOR.MINOR.PATCH in digits, as the parser takes it. */
static bool valid_version(const char *s)
{
	int parts = 0;

	if (strlen(s) >= WARD_VERSION_MAX)
		return false;
	for (;;) {
		if (!isdigit((unsigned char)*s))
			return false;
		while (isdigit((unsigned char)*s))
			s++;
		parts++;
		if (*s != '.')
			break;
		s++;
	}
	return !*s && parts == 3;
}

static bool parse_hex(const char *s, unsigned char out[32])
{
	if (strlen(s) != 64)
		return false;
	for (int i = 0; i < 32; i++) {
		unsigned int byte;

		if (!isxdigit((unsigned char)s[2 * i]) ||
		    !isxdigit((unsigned char)s[2 * i + 1]) ||
		    sscanf(s + 2 * i, "%2x", &byte) != 1)
			return false;
		out[i] = byte;
	}
	return true;
}

const struct floor_entry *floor_find(const struct policy_floor *floor,
				     const char *name)
{
	for (size_t i = 0; i < floor->n; i++)
		if (!strcmp(floor->v[i].name, name))
			return &floor->v[i];
	return NULL;
}

/* One line of the file into @floor; false when it is not one. */
static bool floor_line(struct policy_floor *floor, char *line)
{
	char *name, *version, *hex, *extra, *save = NULL;
	struct floor_entry e = {};

	name = strtok_r(line, " \t\n", &save);
	version = strtok_r(NULL, " \t\n", &save);
	hex = strtok_r(NULL, " \t\n", &save);
	extra = strtok_r(NULL, " \t\n", &save);
	if (!hex || extra || strlen(name) >= sizeof(e.name) ||
	    !valid_version(version) || !parse_hex(hex, e.sha256) ||
	    floor_find(floor, name))
		return false;
	strcpy(e.name, name);
	strcpy(e.version, version);
	floor->v = xrealloc(floor->v, floor->n + 1, sizeof(*floor->v));
	floor->v[floor->n++] = e;
	return true;
}

int floor_read(const char *path, struct policy_floor *floor)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int err = 0;
	FILE *f;

	memset(floor, 0, sizeof(*floor));
	f = fopen(path, "re");
	if (!f)
		return errno == ENOENT ? 0 : -errno;
	while (!err && (n = getline(&line, &cap, f)) >= 0) {
		char *s = line + strspn(line, " \t");

		/* A NUL in a line is damage too. */
		if ((ssize_t)strlen(line) != n)
			err = -EUCLEAN;
		else if (*s != '#' && *s != '\n' && !floor_line(floor, s))
			err = -EUCLEAN;
	}
	if (!err && ferror(f))
		err = -EIO;
	free(line);
	fclose(f);
	return err;
}

int floor_write(const char *path, const struct policy_floor *floor)
{
	char tmp[512], dir[512], *slash;
	int fd, dfd, err = 0;
	FILE *f;

	if (snprintf(tmp, sizeof(tmp), "%s.new", path) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (slash && slash != dir)
		*slash = '\0';
	if (mkdir(dir, 0755) && errno != EEXIST)
		return -errno;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
		  0644);
	if (fd < 0)
		return -errno;
	f = fdopen(fd, "w");
	if (!f) {
		err = -errno;
		close(fd);
		unlink(tmp);
		return err;
	}
	fputs("# ward policy floor: NAME VERSION SHA256 of each policy loaded signed (ward(8))\n",
	      f);
	for (size_t i = 0; i < floor->n; i++) {
		fprintf(f, "%s %s ", floor->v[i].name, floor->v[i].version);
		for (int k = 0; k < 32; k++)
			fprintf(f, "%02x", floor->v[i].sha256[k]);
		fputc('\n', f);
	}
	errno = 0;
	if (fflush(f) || fsync(fd))
		err = errno ? -errno : -EIO;
	if (fclose(f) && !err)
		err = errno ? -errno : -EIO;
	if (!err && rename(tmp, path))
		err = -errno;
	if (err) {
		unlink(tmp);
		return err;
	}
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return -errno;
	if (fsync(dfd))
		err = -errno;
	close(dfd);
	return err;
}

void floor_free(struct policy_floor *floor)
{
	free(floor->v);
	memset(floor, 0, sizeof(*floor));
}

int floor_check(const struct policy_floor *floor, const struct policy_unit *u)
{
	const struct floor_entry *e = floor_find(floor, u->name);
	int cmp;

	if (!e)
		return 0;
	cmp = version_cmp(u->version, e->version);
	if (cmp > 0)
		return 0;
	if (cmp < 0)
		return -ESTALE;
	return memcmp(u->sha256, e->sha256, 32) ? -EEXIST : 0;
}

bool floor_raise(struct policy_floor *floor, const struct policy_unit *u,
		 bool force)
{
	struct floor_entry *e =
		(struct floor_entry *)floor_find(floor, u->name);

	if (e) {
		int cmp = version_cmp(u->version, e->version);

		if (!cmp && !memcmp(u->sha256, e->sha256, 32))
			return false;
		if (cmp <= 0 && !force)
			return false;
	} else {
		floor->v = xrealloc(floor->v, floor->n + 1, sizeof(*floor->v));
		e = &floor->v[floor->n++];
		memset(e, 0, sizeof(*e));
		snprintf(e->name, sizeof(e->name), "%s", u->name);
	}
	snprintf(e->version, sizeof(e->version), "%s", u->version);
	memcpy(e->sha256, u->sha256, 32);
	return true;
}

int trust_verify_unit(const struct policy_unit *u,
		      const struct sign_trust *trust,
		      struct sign_signer *signer)
{
	unsigned char digest[32];
	unsigned int digest_len = sizeof(digest);
	void *data = NULL, *sig = NULL;
	size_t len, sig_len;
	char *sig_path;
	int err;

	memset(signer, 0, sizeof(*signer));
	if (asprintf(&sig_path, "%s.sig", u->file) < 0)
		return -ENOMEM;
	err = sign_read_file(sig_path, SIGN_SIG_MAX, &sig, &sig_len);
	if (err == -ENOENT)
		snprintf(signer->error, sizeof(signer->error),
			 "not signed: no %s", sig_path);
	else if (err)
		snprintf(signer->error, sizeof(signer->error),
			 "cannot read %s: %s", sig_path, strerror(-err));
	if (!err) {
		err = sign_read_file(u->file, SIGN_DATA_MAX, &data, &len);
		if (err)
			snprintf(signer->error, sizeof(signer->error),
				 "cannot read it: %s", strerror(-err));
	}
	if (!err)
		err = sign_verify(data, len, sig, sig_len, trust, signer);
	/* What was verified must be what was parsed. */
	if (!err &&
	    (!EVP_Digest(data, len, digest, &digest_len, EVP_sha256(), NULL) ||
	     memcmp(digest, u->sha256, sizeof(digest)))) {
		err = -EBADMSG;
		snprintf(signer->error, sizeof(signer->error),
			 "it changed while it was loaded");
	}
	free(sig_path);
	free(data);
	free(sig);
	return err;
}

/* Fills @c's refusal: @u, @err, why. */
static int refuse(struct trust_check *c, size_t unit, int err, const char *fmt,
		  ...) __attribute__((format(printf, 4, 5)));

static int refuse(struct trust_check *c, size_t unit, int err, const char *fmt,
		  ...)
{
	va_list ap;

	c->unit = unit;
	va_start(ap, fmt);
	vsnprintf(c->why, sizeof(c->why), fmt, ap);
	va_end(ap);
	return err;
}

int trust_check(const struct policy *p, const struct sign_trust *trust,
		const char *floor_path, struct trust_check *c)
{
	struct sign_signer signer;
	int err;

	c->verified = calloc(p->n_units ? p->n_units : 1, sizeof(bool));
	if (!c->verified)
		return -ENOMEM;
	c->detail[0] = '\0';
	c->why[0] = '\0';
	err = floor_read(floor_path, &c->floor);
	c->floor_ok = !err;
	if (err && c->required && !c->allow_downgrade)
		return refuse(
			c, 0, err,
			"the policy floor %s is %s: loading is refused until it is repaired (see ward(8))",
			floor_path,
			err == -EUCLEAN ? "damaged" : strerror(-err));
	if (err)
		floor_free(&c->floor);
	for (size_t i = 0; i < p->n_units; i++) {
		const struct policy_unit *u = &p->units[i];

		for (size_t k = 0; c->required && k < i; k++)
			if (!strcmp(p->units[k].name, u->name))
				return refuse(
					c, i, -ENOTUNIQ,
					"%s: policy %s is also named by %s: one file per policy name",
					u->file, u->name, p->units[k].file);
		if (!trust) {
			if (c->required)
				return refuse(
					c, i, -ENOKEY,
					"%s: the trusted keys cannot be read",
					u->file);
			continue;
		}
		err = trust_verify_unit(u, trust, &signer);
		c->verified[i] = !err;
		if (err && c->required)
			return refuse(c, i, err, "%s: %s", u->file,
				      signer.error);
		if (err || !c->floor_ok)
			continue;
		err = floor_check(&c->floor, u);
		if (err && c->allow_downgrade) {
			if (!c->detail[0])
				snprintf(
					c->detail, sizeof(c->detail),
					"allow-downgrade %s %s<=%s", u->name,
					u->version,
					floor_find(&c->floor, u->name)->version);
			continue;
		}
		if (!c->required)
			continue;
		if (err == -ESTALE)
			return refuse(
				c, i, err,
				"%s: policy %s %s is older than %s, loaded before: give a newer version (or, unlocked, --allow-downgrade)",
				u->file, u->name, u->version,
				floor_find(&c->floor, u->name)->version);
		if (err)
			return refuse(
				c, i, err,
				"%s: policy %s %s was loaded before with other contents: give the new contents a new version",
				u->file, u->name, u->version);
	}
	if (!c->floor_ok && c->allow_downgrade && c->required)
		snprintf(c->detail, sizeof(c->detail),
			 "allow-downgrade: the floor is rewritten");
	return 0;
}

int trust_commit(const struct policy *p, const char *floor_path,
		 struct trust_check *c)
{
	bool changed = false;

	/* A damaged floor stays as it is, unless overridden. */
	if (!c->floor_ok && !c->allow_downgrade)
		return c->required ? -EUCLEAN : 0;
	for (size_t i = 0; i < p->n_units; i++)
		if (c->verified[i])
			changed |= floor_raise(&c->floor, &p->units[i],
					       c->allow_downgrade);
	return changed || !c->floor_ok ? floor_write(floor_path, &c->floor) : 0;
}

void trust_check_free(struct trust_check *c)
{
	free(c->verified);
	c->verified = NULL;
	floor_free(&c->floor);
}

int trust_gate(const struct policy *p, __u32 op, struct trust_check *c)
{
	const char *dirs[] = { SIGN_ADMIN_KEYS, SIGN_VENDOR_KEYS };
	struct sign_trust trust = {};
	char error[256], detail[WARD_NAME_MAX + WARD_VERSION_MAX + 1];
	bool have_trust;
	int err;

	have_trust = !sign_trust_load(&trust, dirs, ARRAY_LEN(dirs), error);
	if (!have_trust && c->required)
		p_warn("%s", error);
	err = trust_check(p, have_trust ? &trust : NULL, TRUST_FLOOR_PATH, c);
	sign_trust_free(&trust);
	if (!err)
		return 0;
	if (c->unit < p->n_units)
		snprintf(detail, sizeof(detail), "%s %s",
			 p->units[c->unit].name, p->units[c->unit].version);
	else
		detail[0] = '\0';
	change_report(-1, op, detail[0] ? detail : NULL, err);
	if (json_output) {
		json_object *obj = json_object_new_object();
		const char *code = strerrorname_np(-err);

		json_object_object_add(obj, "error",
				       json_object_new_string(c->why));
		json_object_object_add(
			obj, "code", json_object_new_string(code ? code : "?"));
		json_print(obj);
		return -1;
	}
	return p_err("refused: %s", c->why);
}

int trust_gate_commit(const struct policy *p, struct trust_check *c)
{
	int err = trust_commit(p, TRUST_FLOOR_PATH, c);

	if (!err)
		return 0;
	/* Unasked for, the floor's rise is a warning; asked for, a failure. */
	if (!c->required) {
		p_warn("the version floor %s could not be raised: %s",
		       TRUST_FLOOR_PATH, strerror(-err));
		return 0;
	}
	return p_err(
		"the policy is loaded, but its version floor %s could not be raised: %s",
		TRUST_FLOOR_PATH, strerror(-err));
}
