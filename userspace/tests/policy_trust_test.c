// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of policy_trust.c: the version floor (read, raised after
 * success only, per policy name, a damaged file fails closed) and the
 * decisions of trust_check() with each refusal's errno, and the override.
 * The keys are made with the openssl command line (a CA ward trusts, one
 * it does not); signatures with sign_make(), as "ward policy sign".
 */

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "unit.h"
#include "policy.h"
#include "policy_trust.h"
#include "sign.h"

static const char zero_hex[] =
	"0000000000000000000000000000000000000000000000000000000000000000";

FIXTURE(trust)
{
	char dir[64];
	char keys[128];
	char floor[128];
	struct sign_trust trust;
	struct policy p;
	struct diag_list diags;
};

static int run(const char *dir, const char *cmd)
{
	char line[2048];

	snprintf(line, sizeof(line), "cd %s && (%s) >openssl.log 2>&1", dir,
		 cmd);
	return system(line);
}

static void write_at(FIXTURE_DATA(trust) * self, const char *name,
		     const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", self->dir, name);
	f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static char *path_at(FIXTURE_DATA(trust) * self, const char *name)
{
	static char path[4][PATH_MAX];
	static int next;
	char *p = path[next++ % 4];

	snprintf(p, PATH_MAX, "%s/%s", self->dir, name);
	return p;
}

/* Flips a bit of the byte @from_end bytes before the end of @name. */
static int flip(FIXTURE_DATA(trust) * self, const char *name, size_t from_end)
{
	unsigned char *buf;
	size_t len;
	FILE *f;
	int err = sign_read_file(path_at(self, name), SIGN_SIG_MAX,
				 (void **)&buf, &len);

	if (err)
		return err;
	buf[len - from_end] ^= 0x10;
	f = fopen(path_at(self, name), "w");
	err = f && fwrite(buf, 1, len, f) == len ? 0 : -EIO;
	if (f && fclose(f))
		err = -EIO;
	free(buf);
	return err;
}

/* Signs @name with the key and certificate @who.key, @who.pem. */
static int sign(FIXTURE_DATA(trust) * self, const char *name, const char *who)
{
	void *data, *key, *cert;
	size_t len, klen, clen, sig_len;
	unsigned char *sig;
	char error[256], path[256];
	FILE *f;
	int err;

	snprintf(path, sizeof(path), "%s.key", who);
	err = sign_read_file(path_at(self, name), SIGN_DATA_MAX, &data, &len);
	if (err)
		return err;
	err = sign_read_file(path_at(self, path), SIGN_SIG_MAX, &key, &klen);
	if (err)
		return err;
	snprintf(path, sizeof(path), "%s.pem", who);
	err = sign_read_file(path_at(self, path), SIGN_SIG_MAX, &cert, &clen);
	if (err)
		return err;
	err = sign_make(data, len, key, klen, cert, clen, NULL, 0, &sig,
			&sig_len, error);
	free(data);
	free(key);
	free(cert);
	if (err)
		return err;
	snprintf(path, sizeof(path), "%s.sig", name);
	f = fopen(path_at(self, path), "w");
	if (!f || fwrite(sig, 1, sig_len, f) != sig_len) {
		free(sig);
		return -EIO;
	}
	free(sig);
	return fclose(f) ? -EIO : 0;
}

FIXTURE_SETUP(trust)
{
	const char *dirs[1];
	char error[256];

	strcpy(self->dir, "/tmp/ward-trust-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	snprintf(self->keys, sizeof(self->keys), "%s/keys", self->dir);
	snprintf(self->floor, sizeof(self->floor), "%s/state/floor", self->dir);
	ASSERT_EQ(0, mkdir(self->keys, 0755));
	/* A CA ward trusts, its signer; a CA it does not, and its signer. */
	ASSERT_EQ(
		0,
		run(self->dir,
		    "printf 'keyUsage = critical, digitalSignature\\n' >leaf.ext && "
		    "for ca in ca stranger; do "
		    "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes "
		    "-keyout $ca.key -out $ca.pem -subj /CN=$ca -days 2 "
		    "-addext basicConstraints=critical,CA:TRUE "
		    "-addext keyUsage=critical,keyCertSign && "
		    "openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes "
		    "-keyout $ca-signer.key -subj /CN=$ca-signer -out $ca-signer.csr && "
		    "openssl x509 -req -in $ca-signer.csr -CA $ca.pem -CAkey $ca.key "
		    "-CAcreateserial -sha256 -days 2 -extfile leaf.ext -out $ca-signer.pem; "
		    "done && cp ca.pem keys/"));
	dirs[0] = self->keys;
	ASSERT_EQ(0, sign_trust_load(&self->trust, dirs, 1, error));
	policy_init(&self->p);
	memset(&self->diags, 0, sizeof(self->diags));
}

FIXTURE_TEARDOWN(trust)
{
	char cmd[128];

	sign_trust_free(&self->trust);
	policy_free(&self->p);
	diag_free(&self->diags);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", self->dir);
	if (system(cmd))
		fprintf(stderr, "# cannot remove %s\n", self->dir);
}

/* Writes @file: "policy @name @version" and @extra, signed by @who. */
static void make_policy(FIXTURE_DATA(trust) * self, const char *file,
			const char *name, const char *version,
			const char *extra, const char *who)
{
	char text[512];

	snprintf(text, sizeof(text), "policy %s %s\n# a rule\n%s", name,
		 version, extra);
	write_at(self, file, text);
	if (who && sign(self, file, who))
		fprintf(stderr, "# cannot sign %s\n", file);
}

/* Parses the files into a new policy; 0 or -EINVAL. */
static int parse(FIXTURE_DATA(trust) * self, const char *const *files, size_t n)
{
	policy_free(&self->p);
	policy_init(&self->p);
	for (size_t i = 0; i < n; i++)
		if (policy_parse_file(&self->p, path_at(self, files[i]),
				      &self->diags))
			return -EINVAL;
	return 0;
}

/* trust_check() as "ward policy load" with signatures required. */
static int check(FIXTURE_DATA(trust) * self, const char *file, bool required,
		 bool allow_downgrade, struct trust_check *c)
{
	const char *files[] = { file };

	memset(c, 0, sizeof(*c));
	c->required = required;
	c->allow_downgrade = allow_downgrade;
	if (parse(self, files, 1))
		return -EINVAL;
	return trust_check(&self->p, &self->trust, self->floor, c);
}

/* Loads @file as a successful load does: check, then commit. */
static int load(FIXTURE_DATA(trust) * self, const char *file,
		bool allow_downgrade)
{
	struct trust_check c;
	int err = check(self, file, true, allow_downgrade, &c);

	if (!err)
		err = trust_commit(&self->p, self->floor, &c);
	trust_check_free(&c);
	return err;
}

/* The floor's version of @name, "" when it has none, "?" when damaged. */
static const char *floor_of(FIXTURE_DATA(trust) * self, const char *name)
{
	static char version[WARD_VERSION_MAX];
	struct policy_floor f;
	const struct floor_entry *e;

	if (floor_read(self->floor, &f))
		return "?";
	e = floor_find(&f, name);
	snprintf(version, sizeof(version), "%s", e ? e->version : "");
	floor_free(&f);
	return version;
}

TEST(versions_compare_by_number)
{
	EXPECT_LT(0, version_cmp("1.10.0", "1.9.0"));
	EXPECT_LT(0, version_cmp("2.0.0", "1.99.99"));
	EXPECT_GT(0, version_cmp("1.0.0", "1.0.1"));
	EXPECT_EQ(0, version_cmp("01.2.3", "1.2.3"));
	EXPECT_EQ(0, version_cmp("0.0.0", "0.0.0"));
}

TEST_F(trust, a_missing_floor_is_empty)
{
	struct policy_floor f;

	ASSERT_EQ(0, floor_read(self->floor, &f));
	EXPECT_EQ(0U, f.n);
	floor_free(&f);
}

TEST_F(trust, the_floor_is_kept_per_name)
{
	struct policy_floor f = {};
	struct policy_unit a = { .name = "sshd", .version = "2.0.0" };
	struct policy_unit b = { .name = "cron", .version = "1.0.0" };

	memset(a.sha256, 0xaa, 32);
	memset(b.sha256, 0xbb, 32);
	EXPECT_TRUE(floor_raise(&f, &a, false));
	EXPECT_TRUE(floor_raise(&f, &b, false));
	ASSERT_EQ(0, floor_write(self->floor, &f));
	floor_free(&f);
	ASSERT_EQ(0, floor_read(self->floor, &f));
	ASSERT_EQ(2U, f.n);
	EXPECT_STREQ("2.0.0", floor_find(&f, "sshd")->version);
	EXPECT_EQ(0xaa, floor_find(&f, "sshd")->sha256[31]);
	EXPECT_STREQ("1.0.0", floor_find(&f, "cron")->version);
	EXPECT_EQ(NULL, floor_find(&f, "nginx"));
	/* Another name's floor does not hold this one back. */
	b.version[0] = '0';
	strcpy(b.name, "nginx");
	EXPECT_EQ(0, floor_check(&f, &b));
	floor_free(&f);
}

TEST_F(trust, the_floor_holds_lower_and_other_bytes_at_equal)
{
	struct policy_floor f = {};
	struct policy_unit u = { .name = "sshd", .version = "2.0.0" };

	memset(u.sha256, 1, 32);
	floor_raise(&f, &u, false);
	EXPECT_EQ(0, floor_check(&f, &u)); /* the same again */
	strcpy(u.version, "2.0.1");
	EXPECT_EQ(0, floor_check(&f, &u));
	strcpy(u.version, "1.9.9");
	EXPECT_EQ(-ESTALE, floor_check(&f, &u));
	EXPECT_FALSE(floor_raise(&f, &u, false));
	EXPECT_STREQ("2.0.0", f.v[0].version);
	strcpy(u.version, "2.0.0");
	u.sha256[0] = 2;
	EXPECT_EQ(-EEXIST, floor_check(&f, &u));
	EXPECT_FALSE(floor_raise(&f, &u, false));
	/* The override sets it, whatever it was. */
	strcpy(u.version, "1.0.0");
	EXPECT_TRUE(floor_raise(&f, &u, true));
	EXPECT_STREQ("1.0.0", f.v[0].version);
	floor_free(&f);
}

TEST_F(trust, a_damaged_floor_fails_closed)
{
	static const char *const damaged[] = {
		"sshd 2.0.0\n", /* no digest */
		"sshd 2.0 %s\n", /* bad version */
		"sshd 2.0.0 %s extra\n",
		"sshd 2.0.0 00zz\n",
		"sshd 2.0.0 %s\nsshd 3.0.0 %s\n", /* a name twice */
		"sshd x.0.0 %s\n",
	};
	struct policy_floor f;
	char text[512];

	ASSERT_EQ(0, mkdir(path_at(self, "state"), 0755));
	for (size_t i = 0; i < sizeof(damaged) / sizeof(*damaged); i++) {
		snprintf(text, sizeof(text), damaged[i], zero_hex, zero_hex);
		write_at(self, "state/floor", text);
		EXPECT_EQ(-EUCLEAN, floor_read(self->floor, &f))
		TH_LOG("%s", text);
		floor_free(&f);
	}
	/* A NUL in a line. */
	{
		FILE *fp = fopen(self->floor, "w");

		ASSERT_NE(NULL, fp);
		fprintf(fp, "sshd 2.0.0 %s", zero_hex);
		fputc('\0', fp);
		fputc('\n', fp);
		fclose(fp);
	}
	EXPECT_EQ(-EUCLEAN, floor_read(self->floor, &f));
	floor_free(&f);
	/* Every load with signatures required is refused, signed or not. */
	make_policy(self, "a.policy", "a", "1.0.0", "", "ca-signer");
	EXPECT_EQ(-EUCLEAN, load(self, "a.policy", false));
	/* The floor stays as it was. */
	EXPECT_STREQ("?", floor_of(self, "a"));
	/* The administrator's override rewrites it. */
	EXPECT_EQ(0, load(self, "a.policy", true));
	EXPECT_STREQ("1.0.0", floor_of(self, "a"));
}

TEST_F(trust, a_good_signature_loads_and_raises_the_floor)
{
	make_policy(self, "a.policy", "a", "1.0.0", "", "ca-signer");
	EXPECT_EQ(0, load(self, "a.policy", false));
	EXPECT_STREQ("1.0.0", floor_of(self, "a"));
	/* The same again (the floor's version, its bytes). */
	EXPECT_EQ(0, load(self, "a.policy", false));
	make_policy(self, "a.policy", "a", "1.1.0", "", "ca-signer");
	EXPECT_EQ(0, load(self, "a.policy", false));
	EXPECT_STREQ("1.1.0", floor_of(self, "a"));
}

TEST_F(trust, the_floor_rises_only_after_success)
{
	struct trust_check c;

	make_policy(self, "a.policy", "a", "3.0.0", "", "ca-signer");
	ASSERT_EQ(0, check(self, "a.policy", true, false, &c));
	/* Checked, not committed: the load failed after the checks. */
	trust_check_free(&c);
	EXPECT_STREQ("", floor_of(self, "a"));
}

TEST_F(trust, each_refusal_has_its_errno)
{
	struct trust_check c;
	char text[256];

	/* Unsigned. */
	make_policy(self, "u.policy", "u", "1.0.0", "", NULL);
	EXPECT_EQ(-ENOENT, check(self, "u.policy", true, false, &c));
	trust_check_free(&c);
	/* A bit flip in the policy. */
	make_policy(self, "f.policy", "f", "1.0.0", "", "ca-signer");
	snprintf(text, sizeof(text),
		 "policy f 1.0.0\napp sshd /usr/sbin/sshe\n");
	write_at(self, "f.policy", text);
	EXPECT_EQ(-EBADMSG, check(self, "f.policy", true, false, &c));
	trust_check_free(&c);
	/* A signer that chains to a CA ward does not trust. */
	make_policy(self, "s.policy", "s", "1.0.0", "", "stranger-signer");
	EXPECT_EQ(-ENOKEY, check(self, "s.policy", true, false, &c));
	trust_check_free(&c);
	/* A signature moved to another policy file. */
	make_policy(self, "g.policy", "g", "1.0.0", "", "ca-signer");
	make_policy(self, "m.policy", "m", "1.0.0", "", NULL);
	ASSERT_EQ(0, run(self->dir, "cp g.policy.sig m.policy.sig"));
	EXPECT_EQ(-EBADMSG, check(self, "m.policy", true, false, &c));
	trust_check_free(&c);
	/* A bit flip in the signature value, its last field. */
	ASSERT_EQ(0, flip(self, "g.policy.sig", 3));
	EXPECT_EQ(-EKEYREJECTED, check(self, "g.policy", true, false, &c));
	trust_check_free(&c);
	/* A downgrade, and a replay of the older signed file. */
	make_policy(self, "a.policy", "a", "1.0.0", "", "ca-signer");
	ASSERT_EQ(0, run(self->dir, "cp a.policy old.policy && "
				    "cp a.policy.sig old.policy.sig"));
	ASSERT_EQ(0, load(self, "a.policy", false));
	make_policy(self, "a.policy", "a", "2.0.0", "", "ca-signer");
	ASSERT_EQ(0, load(self, "a.policy", false));
	EXPECT_EQ(-ESTALE, load(self, "old.policy", false));
	make_policy(self, "a.policy", "a", "1.5.0", "", "ca-signer");
	EXPECT_EQ(-ESTALE, load(self, "a.policy", false));
	/* The floor's version with other bytes. */
	make_policy(self, "a.policy", "a", "2.0.0", "# more\n", "ca-signer");
	EXPECT_EQ(-EEXIST, load(self, "a.policy", false));
	EXPECT_STREQ("2.0.0", floor_of(self, "a"));
}

TEST_F(trust, two_files_of_one_name_are_refused)
{
	const char *files[] = { "a.policy", "b.policy" };
	struct trust_check c = { .required = true };

	make_policy(self, "a.policy", "same", "1.0.0", "", "ca-signer");
	make_policy(self, "b.policy", "same", "2.0.0", "", "ca-signer");
	ASSERT_EQ(0, parse(self, files, 2));
	EXPECT_EQ(-ENOTUNIQ,
		  trust_check(&self->p, &self->trust, self->floor, &c));
	EXPECT_EQ(1U, c.unit);
	trust_check_free(&c);
}

TEST_F(trust, the_override_lowers_the_floor_and_says_so)
{
	struct trust_check c;

	make_policy(self, "a.policy", "a", "2.0.0", "", "ca-signer");
	ASSERT_EQ(0, load(self, "a.policy", false));
	make_policy(self, "a.policy", "a", "1.0.0", "", "ca-signer");
	ASSERT_EQ(0, check(self, "a.policy", true, true, &c));
	EXPECT_STREQ("allow-downgrade a 1.0.0<=2.0.0", c.detail);
	ASSERT_EQ(0, trust_commit(&self->p, self->floor, &c));
	trust_check_free(&c);
	EXPECT_STREQ("1.0.0", floor_of(self, "a"));
	/* It does not excuse a bad signature. */
	make_policy(self, "a.policy", "a", "0.9.0", "", "stranger-signer");
	EXPECT_EQ(-ENOKEY, load(self, "a.policy", true));
}

TEST_F(trust, unrequired_checks_refuse_nothing_but_raise_the_floor)
{
	struct trust_check c;

	make_policy(self, "a.policy", "a", "2.0.0", "", "ca-signer");
	make_policy(self, "u.policy", "u", "1.0.0", "", NULL);
	ASSERT_EQ(0, check(self, "a.policy", false, false, &c));
	ASSERT_EQ(0, trust_commit(&self->p, self->floor, &c));
	trust_check_free(&c);
	EXPECT_STREQ("2.0.0", floor_of(self, "a"));
	EXPECT_EQ(0, check(self, "u.policy", false, false, &c));
	ASSERT_EQ(0, trust_commit(&self->p, self->floor, &c));
	trust_check_free(&c);
	EXPECT_STREQ("", floor_of(self, "u"));
	/* Lower, not required: loaded, the floor kept. */
	make_policy(self, "a.policy", "a", "1.0.0", "", "ca-signer");
	ASSERT_EQ(0, check(self, "a.policy", false, false, &c));
	ASSERT_EQ(0, trust_commit(&self->p, self->floor, &c));
	trust_check_free(&c);
	EXPECT_STREQ("2.0.0", floor_of(self, "a"));
}

TEST(require_signed_policy_is_read_from_ward_conf)
{
	char path[] = "/tmp/ward-conf-XXXXXX";
	enum trust_require r;
	int fd = mkstemp(path);
	FILE *f;

	ASSERT_LE(0, fd);
	close(fd);
	EXPECT_EQ(0, trust_conf_read("/nonexistent/ward.conf", &r));
	EXPECT_EQ((int)TRUST_REQUIRE_LOCKED, (int)r);
	f = fopen(path, "w");
	fputs("# x\nlog-hash = sm3\nrequire-signed-policy = yes\n", f);
	fclose(f);
	EXPECT_EQ(0, trust_conf_read(path, &r));
	EXPECT_EQ((int)TRUST_REQUIRE_YES, (int)r);
	f = fopen(path, "w");
	fputs("require-signed-policy = no\n", f);
	fclose(f);
	EXPECT_EQ(0, trust_conf_read(path, &r));
	EXPECT_EQ((int)TRUST_REQUIRE_NO, (int)r);
	f = fopen(path, "w");
	fputs("require-signed-policy = maybe\n", f);
	fclose(f);
	EXPECT_EQ(-EINVAL, trust_conf_read(path, &r));
	f = fopen(path, "w");
	fputs("require-signed-policy = no\nrequire-signed-policy = yes\n", f);
	fclose(f);
	EXPECT_EQ(-EINVAL, trust_conf_read(path, &r));
	unlink(path);
}

TEST_HARNESS_MAIN
