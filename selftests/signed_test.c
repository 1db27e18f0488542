// SPDX-License-Identifier: GPL-2.0
/*
 * ward selftests - signed policies and anti-rollback (issue 12; GB/T 39276
 * 5.2.2.2 e, 5.2.2.3 k): with require-signed-policy = yes, "ward policy
 * load" takes a policy file only with a good signature by a trusted key
 * and a version above the floor of its name, which outlives ward (a stop
 * and a start, as a reboot); each refusal has its errno and a
 * CONFIG_CHANGE record in the security log.
 *
 * Initramfs tier: each test has its own mount namespace with tmpfs on
 * /etc/ward (ward.conf, keys), /var/lib/ward (the floor), /var/log/ward
 * and /run/ward, and its own "ward logd".  The keys are made here with
 * libcrypto.  The locked cases are the system tier's (the guest stays
 * locked): selftests/system/signed.
 */

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <json-c/json.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "common.h"
#include "harness.h"

#define KEYS "/etc/ward/keys"
#define FLOOR "/var/lib/ward/policy/floor"

FIXTURE(signed)
{
	char dir[64];
	pid_t logd;
};

/* Mounts a tmpfs on @dir; 0 or -errno. */
static int mount_tmpfs(const char *dir)
{
	mkdir(dir, 0755);
	return mount("tmpfs", dir, "tmpfs", 0, "size=4M,mode=0755") ? -errno :
								      0;
}

static bool add_ext(X509 *x, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509_EXTENSION *ext;
	bool ok;

	X509V3_set_ctx(&ctx, issuer, x, NULL, NULL, 0);
	ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
	ok = ext && X509_add_ext(x, ext, -1);
	X509_EXTENSION_free(ext);
	return ok;
}

/* A new key of @alg: "EC" (P-256), "RSA" (2048 bits) or "SM2". */
static EVP_PKEY *new_key(const char *alg)
{
	if (!strcmp(alg, "RSA"))
		return EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
	if (!strcmp(alg, "SM2"))
		return EVP_PKEY_Q_keygen(NULL, NULL, "SM2");
	return EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
}

/*
 * Signs @x with @key: SHA-256, or an SM2 key with SM3 and GB/T 35276's
 * signer ID, which ward requires of SM2 certificates.
 */
static bool sign_cert(X509 *x, EVP_PKEY *key)
{
	static const char sm2_id[] = "1234567812345678";
	bool sm2 = EVP_PKEY_is_a(key, "SM2");
	EVP_MD_CTX *mctx = EVP_MD_CTX_new();
	EVP_PKEY_CTX *pctx = NULL;
	bool ok;

	ok = mctx &&
	     EVP_DigestSignInit(mctx, &pctx, sm2 ? EVP_sm3() : EVP_sha256(),
				NULL, key) > 0 &&
	     (!sm2 ||
	      EVP_PKEY_CTX_set1_id(pctx, sm2_id, sizeof(sm2_id) - 1) > 0) &&
	     X509_sign_ctx(x, mctx) > 0;
	EVP_MD_CTX_free(mctx);
	return ok;
}

/*
 * Writes @dir/@name.key and @name.pem: a key of @alg (new_key()) and its
 * certificate, a CA's when @issuer_name is NULL (self-signed), else
 * signed by @issuer_name's; expired with @expired.
 */
static bool make_cert(const char *dir, const char *name, const char *alg,
		      const char *issuer_name, bool expired)
{
	char path[256];
	EVP_PKEY *key = new_key(alg);
	EVP_PKEY *ikey = NULL;
	X509 *x = X509_new(), *issuer = NULL;
	X509_NAME *subj = X509_NAME_new();
	FILE *f;
	bool ok;

	if (issuer_name) {
		snprintf(path, sizeof(path), "%s/%s.pem", dir, issuer_name);
		f = fopen(path, "r");
		issuer = f ? PEM_read_X509(f, NULL, NULL, NULL) : NULL;
		if (f)
			fclose(f);
		snprintf(path, sizeof(path), "%s/%s.key", dir, issuer_name);
		f = fopen(path, "r");
		ikey = f ? PEM_read_PrivateKey(f, NULL, NULL, NULL) : NULL;
		if (f)
			fclose(f);
	}
	ok = key && x && subj && (!issuer_name || (issuer && ikey)) &&
	     X509_NAME_add_entry_by_txt(subj, "CN", MBSTRING_ASC,
					(const unsigned char *)name, -1, -1,
					0) &&
	     X509_set_version(x, X509_VERSION_3) &&
	     ASN1_INTEGER_set(X509_get_serialNumber(x), rand() + 1) &&
	     X509_set_subject_name(x, subj) &&
	     X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer) :
					      subj) &&
	     X509_gmtime_adj(X509_getm_notBefore(x),
			     expired ? -30 * 86400 : -60) &&
	     X509_gmtime_adj(X509_getm_notAfter(x),
			     expired ? -86400 : 30 * 86400) &&
	     X509_set_pubkey(x, key) &&
	     add_ext(x, issuer ? issuer : x, NID_basic_constraints,
		     issuer ? "critical,CA:FALSE" : "critical,CA:TRUE") &&
	     add_ext(x, issuer ? issuer : x, NID_key_usage,
		     issuer ? "critical,digitalSignature" :
			      "critical,keyCertSign") &&
	     sign_cert(x, ikey ? ikey : key);
	snprintf(path, sizeof(path), "%s/%s.pem", dir, name);
	f = ok ? fopen(path, "w") : NULL;
	ok = f && PEM_write_X509(f, x);
	if (f)
		ok = !fclose(f) && ok;
	snprintf(path, sizeof(path), "%s/%s.key", dir, name);
	f = ok ? fopen(path, "w") : NULL;
	ok = f && PEM_write_PrivateKey(f, key, NULL, NULL, 0, NULL, NULL);
	if (f)
		ok = !fclose(f) && ok;
	X509_NAME_free(subj);
	X509_free(x);
	X509_free(issuer);
	EVP_PKEY_free(key);
	EVP_PKEY_free(ikey);
	return ok;
}

/*
 * Writes @file: "policy @name @version", "kernel bpf allow" (so that the
 * teardown may stop this test's ward logd) and @extra; signed by @who.
 */
static int make_policy(FIXTURE_DATA(signed) * self, const char *file,
		       const char *name, const char *version, const char *extra,
		       const char *who)
{
	char text[512], key[256], cert[256];
	int err;

	snprintf(text, sizeof(text), "policy %s %s\nkernel bpf allow\n%s", name,
		 version, extra);
	err = write_file(at(self, file), text);
	if (err || !who)
		return err;
	snprintf(key, sizeof(key), "%s/%s.key", self->dir, who);
	snprintf(cert, sizeof(cert), "%s/%s.pem", self->dir, who);
	return ward_run(NULL, NULL, "policy", "sign", "--key", key, "--cert",
			cert, at(self, file), NULL);
}

/*
 * "ward --json policy load @file" (with @opt unless NULL); its exit
 * status, and the errno name of a refusal in @code.
 */
static int load(FIXTURE_DATA(signed) * self, const char *file, const char *opt,
		char code[32])
{
	char *out = NULL;
	json_object *obj;
	int status;

	code[0] = '\0';
	status = opt ? ward_run(&out, NULL, "--json", "policy", "load", opt,
				at(self, file), NULL) :
		       ward_run(&out, NULL, "--json", "policy", "load",
				at(self, file), NULL);
	obj = out ? json_tokener_parse(out) : NULL;
	if (obj && event_str(obj, "code"))
		snprintf(code, 32, "%s", event_str(obj, "code"));
	json_object_put(obj);
	free(out);
	return status;
}

/* The security log's records, once ward logd wrote what is queued. */
static json_object *records(void)
{
	if (ward_run(NULL, NULL, "log", "sync", "--timeout", "300", NULL))
		return NULL;
	return ward_log_records();
}

/* The last CONFIG_CHANGE of op policy_load, or NULL; a reference. */
static json_object *last_load(json_object *recs)
{
	json_object *found = NULL;

	for (size_t i = 0; recs && i < json_object_array_length(recs); i++) {
		json_object *r = json_object_array_get_idx(recs, i);
		const char *t = event_str(r, "type"), *op = event_str(r, "op");

		if (t && op && !strcmp(t, "CONFIG_CHANGE") &&
		    !strcmp(op, "policy_load"))
			found = r;
	}
	return found ? json_object_get(found) : NULL;
}

/*
 * Expects the load of @file refused with @errname (the errno @err), the
 * refusal in the log with "NAME VERSION", and policy "base" still active.
 */
#define EXPECT_REFUSED(file, opt, err, errname, detail)                        \
	do {                                                                   \
		char code[32];                                                 \
		json_object *recs, *rec;                                       \
		char *active = NULL;                                           \
                                                                               \
		EXPECT_NE(0, load(self, file, opt, code));                     \
		EXPECT_STREQ(errname, code);                                   \
		recs = records();                                              \
		ASSERT_NE(NULL, recs);                                         \
		rec = last_load(recs);                                         \
		ASSERT_NE(NULL, rec);                                          \
		EXPECT_STREQ("denied", event_str(rec, "result"));              \
		EXPECT_EQ(-(err), event_num(rec, "error"));                    \
		EXPECT_STREQ(detail, event_str(rec, "detail"));                \
		json_object_put(rec);                                          \
		json_object_put(recs);                                         \
		ASSERT_EQ(0, ward_run(&active, NULL, "policy", "show", NULL)); \
		EXPECT_TRUE(has_line(active, "policy base 1.0.0"));            \
		free(active);                                                  \
	} while (0)

FIXTURE_SETUP(signed)
{
	char conf[512];

	/* The system tier is locked at boot: its own script tests it. */
	if (access("/run/systemd/system", F_OK) == 0)
		SKIP(return,
			   "the system tier is locked: selftests/system/signed tests it there");
	self->logd = 0;
	strcpy(self->dir, SCRATCH "/signed-XXXXXX");
	mkdir(SCRATCH, 0755);
	ASSERT_NE(NULL, mkdtemp(self->dir));
	ASSERT_EQ(0, ward_load_text(self->dir,
				    "policy setup 0.0.1\nkernel bpf allow\n"));
	ASSERT_EQ(0, unshare(CLONE_NEWNS));
	ASSERT_EQ(0, mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL));
	mkdir("/etc", 0755);
	mkdir("/var", 0755);
	mkdir("/var/lib", 0755);
	mkdir("/var/log", 0755);
	mkdir("/run", 0755);
	ASSERT_EQ(0, mount_tmpfs("/etc/ward"));
	ASSERT_EQ(0, mount_tmpfs("/var/lib/ward"));
	ASSERT_EQ(0, mount_tmpfs("/var/log/ward"));
	ASSERT_EQ(0, mount_tmpfs("/run/ward"));
	ASSERT_EQ(0, mkdir(KEYS, 0755));
	/* A CA ward trusts and its signers; a CA it does not, its signer. */
	ASSERT_TRUE(make_cert(self->dir, "ca", "EC", NULL, false));
	ASSERT_TRUE(make_cert(self->dir, "signer", "EC", "ca", false));
	ASSERT_TRUE(make_cert(self->dir, "expired", "EC", "ca", true));
	ASSERT_TRUE(make_cert(self->dir, "stranger", "EC", NULL, false));
	ASSERT_TRUE(make_cert(self->dir, "stranger-signer", "EC", "stranger",
			      false));
	ASSERT_TRUE(make_cert(self->dir, "self-signed", "EC", NULL, false));
	ASSERT_EQ(0, copy_file(at(self, "ca.pem"), KEYS "/ca.pem"));
	snprintf(conf, sizeof(conf),
		 "require-signed-policy = yes\nlog-compress = no\n");
	ASSERT_EQ(0, write_file("/etc/ward/ward.conf", conf));
	self->logd = fork();
	ASSERT_LE(0, self->logd);
	if (self->logd == 0) {
		int fd = open(at(self, "logd.out"),
			      O_WRONLY | O_CREAT | O_APPEND, 0644);

		dup2(fd, 1);
		dup2(fd, 2);
		execl(ward_bin(), "ward", "logd", (char *)NULL);
		_exit(127);
	}
	/* The base every test replaces: version 1.0.0, signed. */
	ASSERT_EQ(0, make_policy(self, "base.policy", "base", "1.0.0", "",
				 "signer"));
	ASSERT_EQ(0, ward_run(NULL, NULL, "policy", "load",
			      at(self, "base.policy"), NULL));
}

FIXTURE_TEARDOWN(signed)
{
	if (!self->dir[0])
		return;
	if (self->logd > 0) {
		kill(self->logd, SIGKILL);
		waitpid(self->logd, NULL, 0);
	}
	remove_tree(self->dir);
}

TEST_F(signed, a_good_signature_loads_and_raises_the_floor)
{
	char *floor, *active = NULL, code[32];

	ASSERT_EQ(0, make_policy(self, "base.policy", "base", "1.1.0",
				 "# newer\n", "signer"));
	EXPECT_EQ(0, load(self, "base.policy", NULL, code));
	ASSERT_EQ(0, ward_run(&active, NULL, "policy", "show", NULL));
	EXPECT_TRUE(has_line(active, "policy base 1.1.0"));
	free(active);
	floor = read_file(FLOOR);
	ASSERT_NE(NULL, floor);
	EXPECT_NE(NULL, strstr(floor, "\nbase 1.1.0 "));
	free(floor);
	/* The same again (as after pwconv). */
	EXPECT_EQ(0, load(self, "base.policy", NULL, code));
}

/* RSA-PSS and SM2/SM3 signers load as ECDSA's do; SM2 under an SM2 CA. */
TEST_F(signed, rsa_and_sm2_signatures_load)
{
	char *floor, code[32];

	ASSERT_TRUE(make_cert(self->dir, "rsa-signer", "RSA", "ca", false));
	ASSERT_TRUE(make_cert(self->dir, "sm2ca", "SM2", NULL, false));
	ASSERT_TRUE(make_cert(self->dir, "sm2-signer", "SM2", "sm2ca", false));
	/* Refused while its CA is not trusted... */
	ASSERT_EQ(0, make_policy(self, "base.policy", "base", "1.2.0", "",
				 "sm2-signer"));
	EXPECT_REFUSED("base.policy", NULL, ENOKEY, "ENOKEY", "base 1.2.0");
	/* ...and taken once it is. */
	ASSERT_EQ(0, copy_file(at(self, "sm2ca.pem"), KEYS "/sm2ca.pem"));
	ASSERT_EQ(0, make_policy(self, "base.policy", "base", "1.1.0", "",
				 "rsa-signer"));
	EXPECT_EQ(0, load(self, "base.policy", NULL, code));
	EXPECT_STREQ("", code);
	ASSERT_EQ(0, make_policy(self, "base.policy", "base", "1.2.0", "",
				 "sm2-signer"));
	EXPECT_EQ(0, load(self, "base.policy", NULL, code));
	EXPECT_STREQ("", code);
	floor = read_file(FLOOR);
	ASSERT_NE(NULL, floor);
	EXPECT_NE(NULL, strstr(floor, "\nbase 1.2.0 "));
	free(floor);
}

TEST_F(signed, an_unsigned_policy_is_refused)
{
	ASSERT_EQ(0, make_policy(self, "u.policy", "base", "2.0.0", "", NULL));
	EXPECT_REFUSED("u.policy", NULL, ENOENT, "ENOENT", "base 2.0.0");
}

TEST_F(signed, a_bit_flip_in_the_policy_is_refused)
{
	char *text;

	ASSERT_EQ(0, make_policy(self, "f.policy", "base", "2.0.0",
				 "# a comment\n", "signer"));
	text = read_file(at(self, "f.policy"));
	ASSERT_NE(NULL, text);
	text[strlen(text) - 3] ^= 0x01;
	ASSERT_EQ(0, write_file(at(self, "f.policy"), text));
	free(text);
	EXPECT_REFUSED("f.policy", NULL, EBADMSG, "EBADMSG", "base 2.0.0");
}

TEST_F(signed, a_bit_flip_in_the_signature_is_refused)
{
	int fd;
	off_t end;
	unsigned char byte;

	ASSERT_EQ(0,
		  make_policy(self, "s.policy", "base", "2.0.0", "", "signer"));
	fd = open(at(self, "s.policy.sig"), O_RDWR);
	ASSERT_LE(0, fd);
	/* The signature value is the last field. */
	end = lseek(fd, -3, SEEK_END);
	ASSERT_EQ(1, pread(fd, &byte, 1, end));
	byte ^= 0x10;
	ASSERT_EQ(1, pwrite(fd, &byte, 1, end));
	close(fd);
	EXPECT_REFUSED("s.policy", NULL, EKEYREJECTED, "EKEYREJECTED",
		       "base 2.0.0");
}

TEST_F(signed, a_wrong_key_is_refused)
{
	ASSERT_EQ(0, make_policy(self, "w.policy", "base", "2.0.0", "",
				 "self-signed"));
	EXPECT_REFUSED("w.policy", NULL, ENOKEY, "ENOKEY", "base 2.0.0");
}

TEST_F(signed, an_expired_certificate_is_refused)
{
	ASSERT_EQ(0, make_policy(self, "e.policy", "base", "2.0.0", "",
				 "expired"));
	EXPECT_REFUSED("e.policy", NULL, EKEYEXPIRED, "EKEYEXPIRED",
		       "base 2.0.0");
}

TEST_F(signed, a_signer_of_an_untrusted_ca_is_refused)
{
	ASSERT_EQ(0, make_policy(self, "c.policy", "base", "2.0.0", "",
				 "stranger-signer"));
	EXPECT_REFUSED("c.policy", NULL, ENOKEY, "ENOKEY", "base 2.0.0");
}

TEST_F(signed, a_signature_moved_to_another_file_is_refused)
{
	ASSERT_EQ(0,
		  make_policy(self, "g.policy", "base", "2.0.0", "", "signer"));
	ASSERT_EQ(0, make_policy(self, "m.policy", "base", "2.0.0",
				 "# not what was signed\n", NULL));
	ASSERT_EQ(0, copy_file(at(self, "g.policy.sig"),
			       at(self, "m.policy.sig")));
	EXPECT_REFUSED("m.policy", NULL, EBADMSG, "EBADMSG", "base 2.0.0");
}

TEST_F(signed, a_downgrade_is_refused)
{
	char code[32];

	ASSERT_EQ(0,
		  make_policy(self, "n.policy", "base", "3.0.0", "", "signer"));
	ASSERT_EQ(0, load(self, "n.policy", NULL, code));
	ASSERT_EQ(0,
		  make_policy(self, "d.policy", "base", "2.9.9", "", "signer"));
	/* Refused: EXPECT_REFUSED's "policy base 1.0.0" is not active. */
	EXPECT_NE(0, load(self, "d.policy", NULL, code));
	EXPECT_STREQ("ESTALE", code);
	/* The floor's version with other contents. */
	ASSERT_EQ(0, make_policy(self, "n.policy", "base", "3.0.0", "# other\n",
				 "signer"));
	EXPECT_NE(0, load(self, "n.policy", NULL, code));
	EXPECT_STREQ("EEXIST", code);
}

TEST_F(signed, a_replay_of_an_older_signed_policy_is_refused)
{
	char code[32];

	/* base.policy 1.0.0 and its signature, loaded in the setup. */
	ASSERT_EQ(0,
		  copy_file(at(self, "base.policy"), at(self, "old.policy")));
	ASSERT_EQ(0, copy_file(at(self, "base.policy.sig"),
			       at(self, "old.policy.sig")));
	ASSERT_EQ(0, make_policy(self, "base.policy", "base", "1.0.1", "",
				 "signer"));
	ASSERT_EQ(0, load(self, "base.policy", NULL, code));
	EXPECT_NE(0, load(self, "old.policy", NULL, code));
	EXPECT_STREQ("ESTALE", code);
}

/* A stop and a start, as a reboot would: the floor is not reset. */
TEST_F(signed, the_floor_outlives_ward)
{
	char *err = NULL;

	ASSERT_EQ(0,
		  copy_file(at(self, "base.policy"), at(self, "old.policy")));
	ASSERT_EQ(0, copy_file(at(self, "base.policy.sig"),
			       at(self, "old.policy.sig")));
	ASSERT_EQ(0, make_policy(self, "base.policy", "base", "1.0.1", "",
				 "signer"));
	ASSERT_EQ(0, ward_run(NULL, NULL, "policy", "load",
			      at(self, "base.policy"), NULL));
	ASSERT_EQ(0, ward_run(NULL, NULL, "stop", NULL));
	EXPECT_NE(0,
		  ward_run(NULL, &err, "start", at(self, "old.policy"), NULL));
	EXPECT_TRUE(err && strstr(err, "older than 1.0.1"));
	free(err);
	EXPECT_FALSE(ward_is_running());
	EXPECT_EQ(0,
		  ward_run(NULL, NULL, "start", at(self, "base.policy"), NULL));
}

TEST_F(signed, the_override_loads_lower_and_is_logged)
{
	char code[32];
	json_object *recs, *rec;
	char *floor;

	ASSERT_EQ(0,
		  make_policy(self, "n.policy", "base", "2.0.0", "", "signer"));
	ASSERT_EQ(0, load(self, "n.policy", NULL, code));
	EXPECT_EQ(0, load(self, "base.policy", "--allow-downgrade", code));
	recs = records();
	ASSERT_NE(NULL, recs);
	rec = last_load(recs);
	ASSERT_NE(NULL, rec);
	EXPECT_STREQ("allowed", event_str(rec, "result"));
	EXPECT_STREQ("allow-downgrade base 1.0.0<=2.0.0",
		     event_str(rec, "detail"));
	json_object_put(rec);
	json_object_put(recs);
	floor = read_file(FLOOR);
	ASSERT_NE(NULL, floor);
	EXPECT_NE(NULL, strstr(floor, "\nbase 1.0.0 "));
	free(floor);
	/* It never excuses a bad signature. */
	ASSERT_EQ(0, make_policy(self, "c.policy", "base", "0.1.0", "",
				 "stranger-signer"));
	EXPECT_REFUSED("c.policy", "--allow-downgrade", ENOKEY, "ENOKEY",
		       "base 0.1.0");
}

TEST_F(signed, a_damaged_floor_fails_closed)
{
	char code[32];

	ASSERT_EQ(0, write_file(FLOOR, "base 9.9.9\n"));
	ASSERT_EQ(0,
		  make_policy(self, "n.policy", "base", "2.0.0", "", "signer"));
	EXPECT_NE(0, load(self, "n.policy", NULL, code));
	EXPECT_STREQ("EUCLEAN", code);
}

WARD_TEST_MAIN
