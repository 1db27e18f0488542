// SPDX-License-Identifier: GPL-2.0
/*
 * ward unit tests - detached signatures of policy files (sign.c)
 *
 * Each test makes its own PKI with OpenSSL in a temporary directory: a
 * trusted EC CA and a trusted SM2 CA (in keys/), leaves under them for
 * RSA, ECDSA P-256 and SM2 (its certificate signed with SM2/SM3), an
 * expired leaf, a leaf with an unknown critical extension, one whose key
 * usage may not sign, and a leaf under a CA that is not trusted.  Every
 * way a signature can be wrong must be refused with its own errno, and
 * signatures must pass between ward and the openssl command line.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <openssl/cms.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "unit.h"
#include "sign.h"

static const char policy_text[] = "# a policy\napp sshd /usr/sbin/sshd\n";

struct pki_cert {
	EVP_PKEY *key;
	X509 *cert;
};

enum leaf_kind {
	KIND_GOOD,
	KIND_CA, /* an intermediate CA */
	KIND_EXPIRED,
	KIND_CRITICAL,
	KIND_NO_SIGN,
	KIND_SM2_NO_ID, /* signed with SM2's empty signer ID */
};

static bool write_file(const char *dir, const char *name, const void *buf,
		       size_t len)
{
	char path[256];
	FILE *f;
	bool ok;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f)
		return false;
	ok = fwrite(buf, 1, len, f) == len;
	return !fclose(f) && ok;
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

/* Signs @x with @key, SM2 keys with SM3 and (@sm2_id) the standard ID. */
static bool sign_cert(X509 *x, EVP_PKEY *key, bool sm2_id)
{
	EVP_MD_CTX *mctx = EVP_MD_CTX_new();
	bool sm2 = EVP_PKEY_is_a(key, "SM2");
	EVP_PKEY_CTX *pctx = NULL;
	bool ok;

	ok = mctx &&
	     EVP_DigestSignInit(mctx, &pctx, sm2 ? EVP_sm3() : EVP_sha256(),
				NULL, key) > 0 &&
	     (!sm2 || !sm2_id ||
	      EVP_PKEY_CTX_set1_id(pctx, SIGN_SM2_ID, strlen(SIGN_SM2_ID)) >
		      0) &&
	     X509_sign_ctx(x, mctx) > 0;
	EVP_MD_CTX_free(mctx);
	return ok;
}

/* A certificate for a new key of @type; self-signed when @issuer is NULL. */
static bool make_cert(struct pki_cert *c, const char *type, const char *subject,
		      const struct pki_cert *issuer, enum leaf_kind kind)
{
	X509 *x = X509_new();
	X509_NAME *name = X509_NAME_new();
	bool ok;

	if (!strcmp(type, "RSA"))
		c->key = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
	else if (!strcmp(type, "EC"))
		c->key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	else
		c->key = EVP_PKEY_Q_keygen(NULL, NULL, "SM2");
	ok = c->key && x && name &&
	     X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
					(const unsigned char *)subject, -1, -1,
					0) &&
	     X509_set_version(x, X509_VERSION_3) &&
	     ASN1_INTEGER_set(X509_get_serialNumber(x), rand() + 1) &&
	     X509_set_subject_name(x, name) &&
	     X509_set_issuer_name(
		     x, issuer ? X509_get_subject_name(issuer->cert) : name) &&
	     X509_gmtime_adj(X509_getm_notBefore(x),
			     kind == KIND_EXPIRED ? -30 * 86400 : -60) &&
	     X509_gmtime_adj(X509_getm_notAfter(x),
			     kind == KIND_EXPIRED ? -86400 : 30 * 86400) &&
	     X509_set_pubkey(x, c->key);
	if (ok && (!issuer || kind == KIND_CA))
		ok = add_ext(x, issuer ? issuer->cert : x,
			     NID_basic_constraints, "critical,CA:TRUE") &&
		     add_ext(x, issuer ? issuer->cert : x, NID_key_usage,
			     "critical,keyCertSign,cRLSign");
	else if (ok)
		ok = add_ext(x, issuer->cert, NID_key_usage,
			     kind == KIND_NO_SIGN ?
				     "critical,keyEncipherment" :
				     "critical,digitalSignature");
	if (ok && kind == KIND_CRITICAL) {
		ASN1_OBJECT *oid = OBJ_txt2obj("1.3.6.1.4.1.99999.1", 1);
		ASN1_OCTET_STRING *v = ASN1_OCTET_STRING_new();
		X509_EXTENSION *ext = NULL;

		ok = oid && v &&
		     ASN1_OCTET_STRING_set(v, (const unsigned char *)"\x05\x00",
					   2) &&
		     (ext = X509_EXTENSION_create_by_OBJ(NULL, oid, 1, v)) &&
		     X509_add_ext(x, ext, -1);
		X509_EXTENSION_free(ext);
		ASN1_OCTET_STRING_free(v);
		ASN1_OBJECT_free(oid);
	}
	ok = ok && sign_cert(x, issuer ? issuer->key : c->key,
			     kind != KIND_SM2_NO_ID);
	X509_NAME_free(name);
	c->cert = x;
	return ok;
}

static char *cert_pem(X509 *x, size_t *len)
{
	BIO *bio = BIO_new(BIO_s_mem());
	char *data, *copy = NULL;
	long n;

	if (bio && PEM_write_bio_X509(bio, x)) {
		n = BIO_get_mem_data(bio, &data);
		copy = malloc(n + 1);
		if (copy) {
			memcpy(copy, data, n);
			*len = n;
		}
	}
	BIO_free(bio);
	return copy;
}

static char *key_pem(EVP_PKEY *k, size_t *len)
{
	BIO *bio = BIO_new(BIO_s_mem());
	char *data, *copy = NULL;
	long n;

	if (bio &&
	    PEM_write_bio_PrivateKey(bio, k, NULL, NULL, 0, NULL, NULL)) {
		n = BIO_get_mem_data(bio, &data);
		copy = malloc(n + 1);
		if (copy) {
			memcpy(copy, data, n);
			*len = n;
		}
	}
	BIO_free(bio);
	return copy;
}

/* Writes NAME.key and NAME.pem into @dir. */
static bool save(const char *dir, const char *name, const struct pki_cert *c)
{
	char file[64];
	size_t klen = 0, clen = 0;
	char *k = key_pem(c->key, &klen), *p = cert_pem(c->cert, &clen);
	bool ok;

	snprintf(file, sizeof(file), "%s.key", name);
	ok = k && p && write_file(dir, file, k, klen);
	snprintf(file, sizeof(file), "%s.pem", name);
	ok = ok && write_file(dir, file, p, clen);
	free(k);
	free(p);
	return ok;
}

enum {
	CA,
	SM2CA,
	STRANGER_CA,
	INTER_CA,
	LEAF_RSA,
	LEAF_ECDSA,
	LEAF_ECDSA2,
	LEAF_SM2,
	LEAF_EXPIRED,
	LEAF_CRITICAL,
	LEAF_NO_SIGN,
	LEAF_STRANGER,
	LEAF_CHAINED,
	LEAF_SM2_NO_ID,
	PKI_N
};

static const struct {
	const char *name, *type;
	int issuer; /* -1: self-signed */
	enum leaf_kind kind;
} pki_spec[PKI_N] = {
	[CA] = { "ca", "EC", -1, KIND_GOOD },
	[SM2CA] = { "sm2ca", "SM2", -1, KIND_GOOD },
	[STRANGER_CA] = { "strangerca", "EC", -1, KIND_GOOD },
	[INTER_CA] = { "interca", "EC", CA, KIND_CA },
	[LEAF_RSA] = { "rsa", "RSA", CA, KIND_GOOD },
	[LEAF_ECDSA] = { "ecdsa", "EC", CA, KIND_GOOD },
	[LEAF_ECDSA2] = { "ecdsa2", "EC", CA, KIND_GOOD },
	[LEAF_SM2] = { "sm2", "SM2", SM2CA, KIND_GOOD },
	[LEAF_EXPIRED] = { "expired", "EC", CA, KIND_EXPIRED },
	[LEAF_CRITICAL] = { "critical", "EC", CA, KIND_CRITICAL },
	[LEAF_NO_SIGN] = { "nosign", "EC", CA, KIND_NO_SIGN },
	[LEAF_STRANGER] = { "stranger", "EC", STRANGER_CA, KIND_GOOD },
	[LEAF_CHAINED] = { "chained", "EC", INTER_CA, KIND_GOOD },
	[LEAF_SM2_NO_ID] = { "sm2noid", "SM2", SM2CA, KIND_SM2_NO_ID },
};

FIXTURE(sign)
{
	char dir[64];
	struct pki_cert pki[PKI_N];
	struct sign_trust trust;
};

FIXTURE_SETUP(sign)
{
	char keys[96], error[256];
	const char *dirs[1] = { keys };
	size_t len;
	char *pem;

	strcpy(self->dir, "/tmp/ward-sign-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	for (int i = 0; i < PKI_N; i++) {
		int issuer = pki_spec[i].issuer;

		ASSERT_TRUE(make_cert(&self->pki[i], pki_spec[i].type,
				      pki_spec[i].name,
				      issuer < 0 ? NULL : &self->pki[issuer],
				      pki_spec[i].kind));
		ASSERT_TRUE(save(self->dir, pki_spec[i].name, &self->pki[i]));
	}
	ASSERT_TRUE(write_file(self->dir, "a.policy", policy_text,
			       strlen(policy_text)));
	/* The trusted keys: the EC CA as PEM, the SM2 CA as DER. */
	snprintf(keys, sizeof(keys), "%s/keys", self->dir);
	ASSERT_EQ(0, mkdir(keys, 0755));
	pem = cert_pem(self->pki[CA].cert, &len);
	ASSERT_TRUE(pem && write_file(keys, "ca.pem", pem, len));
	free(pem);
	{
		unsigned char *der = NULL;
		int n = i2d_X509(self->pki[SM2CA].cert, &der);

		ASSERT_TRUE(n > 0 && write_file(keys, "sm2ca.der", der, n));
		OPENSSL_free(der);
	}
	ASSERT_EQ(0, sign_trust_load(&self->trust, dirs, 1, error))
	TH_LOG("%s", error);
	ASSERT_EQ(2U, self->trust.count);
}

FIXTURE_TEARDOWN(sign)
{
	char cmd[128];

	sign_trust_free(&self->trust);
	for (int i = 0; i < PKI_N; i++) {
		EVP_PKEY_free(self->pki[i].key);
		X509_free(self->pki[i].cert);
	}
	snprintf(cmd, sizeof(cmd), "rm -rf %s", self->dir);
	if (system(cmd))
		TH_LOG("cannot remove %s", self->dir);
}

/* @data signed by the leaf @who with ward; 0 or sign_make()'s errno. */
static int ward_sign(const struct pki_cert *who, const void *data, size_t len,
		     unsigned char **sig, size_t *sig_len)
{
	size_t klen = 0, clen = 0;
	char *k = key_pem(who->key, &klen), *c = cert_pem(who->cert, &clen);
	char error[256];
	int err;

	err = k && c ? sign_make(data, len, k, klen, c, clen, NULL, 0, sig,
				 sig_len, error) :
		       -ENOMEM;
	if (err)
		fprintf(stderr, "# sign_make: %s\n", error);
	free(k);
	free(c);
	return err;
}

/* Signs the test policy as @who and checks the signature. */
static int sign_and_verify(struct __test_metadata *_metadata,
			   FIXTURE_DATA(sign) * self, int who,
			   struct sign_signer *out)
{
	unsigned char *sig = NULL;
	size_t sig_len = 0;
	int err;

	err = ward_sign(&self->pki[who], policy_text, strlen(policy_text), &sig,
			&sig_len);
	EXPECT_EQ(0, err);
	if (err)
		return err;
	err = sign_verify(policy_text, strlen(policy_text), sig, sig_len,
			  &self->trust, out);
	free(sig);
	return err;
}

static void expect_good(struct __test_metadata *_metadata,
			FIXTURE_DATA(sign) * self, int who, const char *key)
{
	struct sign_signer s;
	char cn[32];

	ASSERT_EQ(0, sign_and_verify(_metadata, self, who, &s))
	TH_LOG("%s", s.error);
	snprintf(cn, sizeof(cn), "CN=%s", pki_spec[who].name);
	EXPECT_STREQ(cn, s.subject);
	EXPECT_STREQ(key, s.key);
	EXPECT_STREQ("", s.error);
	EXPECT_GE(s.bits, 256);
	/* Signed within the last minute, by the clock. */
	EXPECT_LE(labs(time(NULL) - s.signing_time), 60);
}

TEST_F(sign, good_rsa_pss)
{
	expect_good(_metadata, self, LEAF_RSA, "RSA-PSS");
}

TEST_F(sign, good_ecdsa_p256)
{
	expect_good(_metadata, self, LEAF_ECDSA, "ECDSA P-256");
}

TEST_F(sign, good_sm2_sm3)
{
	expect_good(_metadata, self, LEAF_SM2, "SM2");
}

/* The signature of the policy, by @who, for the tests that damage it. */
#define SIGN_POLICY(who)                                                  \
	unsigned char *sig = NULL;                                        \
	size_t sig_len = 0;                                               \
	struct sign_signer s;                                             \
	char data[sizeof(policy_text)];                                   \
	memcpy(data, policy_text, sizeof(data));                          \
	ASSERT_EQ(0, ward_sign(&self->pki[who], data, strlen(data), &sig, \
			       &sig_len))

#define EXPECT_REFUSED(err, words)                                           \
	do {                                                                 \
		EXPECT_EQ(err, sign_verify(data, strlen(data), sig, sig_len, \
					   &self->trust, &s));               \
		EXPECT_NE(NULL, strstr(s.error, words))                      \
		TH_LOG("error: %s", s.error);                                \
	} while (0)

TEST_F(sign, policy_bit_flip)
{
	for (int who = LEAF_RSA; who <= LEAF_SM2; who++) {
		if (who == LEAF_ECDSA2)
			continue;
		SIGN_POLICY(who);
		data[5] ^= 0x01;
		EXPECT_REFUSED(-EBADMSG, "not what was signed");
		free(sig);
	}
}

TEST_F(sign, signature_bit_flip)
{
	for (int who = LEAF_RSA; who <= LEAF_SM2; who++) {
		if (who == LEAF_ECDSA2)
			continue;
		SIGN_POLICY(who);
		/* The signature value is the last field. */
		sig[sig_len - 3] ^= 0x10;
		EXPECT_REFUSED(-EKEYREJECTED, "does not verify");
		free(sig);
	}
}

/* A signed attribute changed (the signing time): the signature fails. */
TEST_F(sign, signed_attribute_changed)
{
	SIGN_POLICY(LEAF_ECDSA);
	unsigned char *p = NULL;

	/* The last UTCTime: the certificate's validity comes before it. */
	for (unsigned char *q = sig;
	     (q = memmem(q, sig + sig_len - q, "\x17\x0d", 2)); q++)
		p = q;
	ASSERT_NE(NULL, p);
	p[3] ^= 0x01; /* a digit of the year */
	EXPECT_REFUSED(-EKEYREJECTED, "does not verify");
	free(sig);
}

/* The signature value of another key under the same CA. */
TEST_F(sign, wrong_key)
{
	SIGN_POLICY(LEAF_ECDSA);
	unsigned char *other = NULL, *out = NULL;
	const unsigned char *p;
	CMS_ContentInfo *a, *b;
	size_t other_len = 0;
	int n;

	ASSERT_EQ(0, ward_sign(&self->pki[LEAF_ECDSA2], data, strlen(data),
			       &other, &other_len));
	p = sig;
	a = d2i_CMS_ContentInfo(NULL, &p, sig_len);
	p = other;
	b = d2i_CMS_ContentInfo(NULL, &p, other_len);
	ASSERT_TRUE(a && b);
	ASSERT_TRUE(ASN1_STRING_copy(
		CMS_SignerInfo_get0_signature(
			sk_CMS_SignerInfo_value(CMS_get0_SignerInfos(a), 0)),
		CMS_SignerInfo_get0_signature(
			sk_CMS_SignerInfo_value(CMS_get0_SignerInfos(b), 0))));
	n = i2d_CMS_ContentInfo(a, &out);
	ASSERT_GT(n, 0);
	free(sig);
	sig = out;
	sig_len = n;
	EXPECT_REFUSED(-EKEYREJECTED, "another key");
	OPENSSL_free(out);
	free(other);
	CMS_ContentInfo_free(a);
	CMS_ContentInfo_free(b);
}

TEST_F(sign, expired_cert)
{
	SIGN_POLICY(LEAF_EXPIRED);
	EXPECT_REFUSED(-EKEYEXPIRED, "expired");
	EXPECT_STREQ("CN=expired", s.subject);
	free(sig);
}

TEST_F(sign, untrusted_ca)
{
	SIGN_POLICY(LEAF_STRANGER);
	EXPECT_REFUSED(-ENOKEY, "not trusted");
	free(sig);
}

TEST_F(sign, unknown_critical_extension)
{
	SIGN_POLICY(LEAF_CRITICAL);
	EXPECT_REFUSED(-EPERM, "critical extension");
	free(sig);
}

TEST_F(sign, key_usage_cannot_sign)
{
	SIGN_POLICY(LEAF_NO_SIGN);
	EXPECT_REFUSED(-EPERM, "digitalSignature");
	free(sig);
}

/*
 * Writes @name into the fixture's keys/: a CRL of the CA @ca revoking
 * @revoked (none if -1), its next update past unless @expired; then
 * reads the keys again.
 */
static bool add_crl(FIXTURE_DATA(sign) * self, const char *name, int ca,
		    int revoked, bool expired)
{
	char keys[96], error[256];
	const char *dirs[1] = { keys };
	X509_CRL *crl = X509_CRL_new();
	X509_REVOKED *r = NULL;
	ASN1_TIME *t = ASN1_TIME_new();
	BIO *bio = BIO_new(BIO_s_mem());
	char *pem;
	long len;
	bool ok;

	ok = crl && t && bio && X509_CRL_set_version(crl, X509_CRL_VERSION_2) &&
	     X509_CRL_set_issuer_name(
		     crl, X509_get_subject_name(self->pki[ca].cert)) &&
	     X509_gmtime_adj(t, expired ? -2 * 86400 : -60) &&
	     X509_CRL_set1_lastUpdate(crl, t) &&
	     X509_gmtime_adj(t, expired ? -86400 : 30 * 86400) &&
	     X509_CRL_set1_nextUpdate(crl, t);
	if (ok && revoked >= 0) {
		ok = (r = X509_REVOKED_new()) &&
		     X509_REVOKED_set_serialNumber(
			     r, X509_get_serialNumber(self->pki[revoked].cert)) &&
		     X509_gmtime_adj(t, -60) &&
		     X509_REVOKED_set_revocationDate(r, t) &&
		     X509_CRL_add0_revoked(crl, r);
		if (!ok)
			X509_REVOKED_free(r);
	}
	ok = ok && X509_CRL_sort(crl) &&
	     X509_CRL_sign(crl, self->pki[ca].key, EVP_sha256()) > 0 &&
	     PEM_write_bio_X509_CRL(bio, crl);
	len = ok ? BIO_get_mem_data(bio, &pem) : 0;
	snprintf(keys, sizeof(keys), "%s/keys", self->dir);
	ok = ok && write_file(keys, name, pem, len);
	BIO_free(bio);
	ASN1_TIME_free(t);
	X509_CRL_free(crl);
	sign_trust_free(&self->trust);
	return ok && !sign_trust_load(&self->trust, dirs, 1, error) &&
	       self->trust.crls == 1;
}

/* A CA's CRL revokes its signer; its other signers, other CAs' stay. */
TEST_F(sign, revoked_signer)
{
	SIGN_POLICY(LEAF_ECDSA);
	ASSERT_TRUE(add_crl(self, "ca.crl", CA, LEAF_ECDSA, false));
	EXPECT_REFUSED(-EKEYREVOKED, "revoked");
	free(sig);
	EXPECT_EQ(0, sign_and_verify(_metadata, self, LEAF_ECDSA2, &s))
	TH_LOG("%s", s.error);
	EXPECT_EQ(0, sign_and_verify(_metadata, self, LEAF_SM2, &s))
	TH_LOG("%s", s.error);
}

/* A CRL past its next update fails closed: revoked or not, unknown. */
TEST_F(sign, expired_crl)
{
	ASSERT_TRUE(add_crl(self, "ca.crl", CA, -1, true));
	SIGN_POLICY(LEAF_ECDSA);
	EXPECT_REFUSED(-EKEYEXPIRED, "CRL has expired");
	free(sig);
}

/* A leaf under an intermediate CA: good with the chain, not without. */
TEST_F(sign, intermediate_ca)
{
	size_t klen = 0, clen = 0, ilen = 0;
	char *k = key_pem(self->pki[LEAF_CHAINED].key, &klen);
	char *c = cert_pem(self->pki[LEAF_CHAINED].cert, &clen);
	char *inter = cert_pem(self->pki[INTER_CA].cert, &ilen);
	const char *text = policy_text;
	unsigned char *sig = NULL;
	struct sign_signer s;
	size_t sig_len = 0;
	char error[256];

	ASSERT_TRUE(k && c && inter);
	ASSERT_EQ(0, sign_make(text, strlen(text), k, klen, c, clen, inter,
			       ilen, &sig, &sig_len, error))
	TH_LOG("%s", error);
	EXPECT_EQ(0, sign_verify(text, strlen(text), sig, sig_len, &self->trust,
				 &s))
	TH_LOG("%s", s.error);
	EXPECT_STREQ("CN=chained", s.subject);
	free(sig);
	ASSERT_EQ(0, sign_make(text, strlen(text), k, klen, c, clen, NULL, 0,
			       &sig, &sig_len, error));
	EXPECT_EQ(-ENOKEY, sign_verify(text, strlen(text), sig, sig_len,
				       &self->trust, &s));
	free(sig);
	free(k);
	free(c);
	free(inter);
}

/* An SM2 certificate signed with the empty signer ID: not GB/T 35276's. */
TEST_F(sign, sm2_cert_without_standard_id)
{
	SIGN_POLICY(LEAF_SM2_NO_ID);
	EXPECT_REFUSED(-EKEYREJECTED, "certificate signature failure");
	free(sig);
}

/* A good signature of one policy moved next to another. */
TEST_F(sign, signature_of_another_file)
{
	SIGN_POLICY(LEAF_ECDSA);
	strcpy(data, "# another policy\n");
	EXPECT_REFUSED(-EBADMSG, "another file");
	free(sig);
}

TEST_F(sign, truncated)
{
	SIGN_POLICY(LEAF_SM2);
	size_t full = sig_len;

	sig_len = full - 1;
	EXPECT_REFUSED(-ENODATA, "truncated");
	sig_len = full / 2;
	EXPECT_REFUSED(-ENODATA, "truncated");
	sig_len = 3;
	EXPECT_REFUSED(-ENODATA, "truncated");
	free(sig);
}

TEST_F(sign, malformed)
{
	SIGN_POLICY(LEAF_RSA);
	static const char *const bad[] = {
		"",
		"not a signature",
		"\x30\x80\x00\x00",
		"\x30\x03\x02\x01\x01",
		"-----BEGIN CMS-----\nnot base64\n-----END CMS-----\n",
		"-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n",
	};
	unsigned char *good = sig;
	size_t good_len = sig_len;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		sig = (unsigned char *)bad[i];
		sig_len = strlen(bad[i]) ? strlen(bad[i]) : 0;
		if (i == 3)
			sig_len = 5;
		EXPECT_REFUSED(-EINVAL, "malformed");
	}
	/* A byte too many after the DER. */
	sig = realloc(good, good_len + 1);
	ASSERT_NE(NULL, sig);
	sig[good_len] = 0;
	sig_len = good_len + 1;
	EXPECT_REFUSED(-EINVAL, "malformed");
	/* The tag of a field inside: DER still, not CMS. */
	sig_len = good_len;
	sig[4] ^= 0x02;
	EXPECT_REFUSED(-EINVAL, "malformed");
	free(sig);
}

/* PEM (as openssl cms -outform PEM writes it) verifies as DER does. */
TEST_F(sign, pem_signature)
{
	SIGN_POLICY(LEAF_ECDSA);
	const unsigned char *p = sig;
	CMS_ContentInfo *cms = d2i_CMS_ContentInfo(NULL, &p, sig_len);
	BIO *bio = BIO_new(BIO_s_mem());
	char *pem;

	ASSERT_TRUE(cms && bio && PEM_write_bio_CMS_stream(bio, cms, NULL, 0));
	free(sig);
	sig_len = BIO_get_mem_data(bio, &pem);
	sig = (unsigned char *)pem;
	EXPECT_EQ(0, sign_verify(data, strlen(data), sig, sig_len, &self->trust,
				 &s));
	EXPECT_STREQ("CN=ecdsa", s.subject);
	BIO_free(bio);
	CMS_ContentInfo_free(cms);
}

/* Two signers, even both good and trusted: refused. */
TEST_F(sign, two_signers)
{
	BIO *in = BIO_new_mem_buf(policy_text, strlen(policy_text));
	const unsigned int flags = CMS_BINARY | CMS_DETACHED;
	CMS_ContentInfo *cms =
		CMS_sign(NULL, NULL, NULL, NULL, flags | CMS_PARTIAL);
	unsigned char *sig = NULL;
	struct sign_signer s;
	int n;

	ASSERT_TRUE(cms && in);
	ASSERT_NE(NULL, CMS_add1_signer(cms, self->pki[LEAF_ECDSA].cert,
					self->pki[LEAF_ECDSA].key, EVP_sha256(),
					flags));
	ASSERT_NE(NULL, CMS_add1_signer(cms, self->pki[LEAF_ECDSA2].cert,
					self->pki[LEAF_ECDSA2].key,
					EVP_sha256(), flags));
	ASSERT_TRUE(CMS_final(cms, in, NULL, flags));
	n = i2d_CMS_ContentInfo(cms, &sig);
	ASSERT_GT(n, 0);
	EXPECT_EQ(-ENOTUNIQ, sign_verify(policy_text, strlen(policy_text), sig,
					 n, &self->trust, &s));
	EXPECT_NE(NULL, strstr(s.error, "2 signers"));
	OPENSSL_free(sig);
	CMS_ContentInfo_free(cms);
	BIO_free(in);
}

TEST_F(sign, too_large)
{
	SIGN_POLICY(LEAF_ECDSA);
	char *huge = calloc(1, SIGN_DATA_MAX + 1);

	ASSERT_NE(NULL, huge);
	EXPECT_EQ(-EFBIG, sign_verify(huge, SIGN_DATA_MAX + 1, sig, sig_len,
				      &self->trust, &s));
	EXPECT_EQ(-EFBIG, sign_verify(data, strlen(data), huge,
				      SIGN_SIG_MAX + 1, &self->trust, &s));
	free(huge);
	free(sig);
}

/* No trusted certificate at all, or trust that does not parse. */
TEST_F(sign, no_trust)
{
	SIGN_POLICY(LEAF_ECDSA);
	struct sign_trust empty;
	char dir[96], error[256];
	const char *dirs[] = { dir, "/nonexistent/ward-keys" };

	snprintf(dir, sizeof(dir), "%s/empty", self->dir);
	ASSERT_EQ(0, mkdir(dir, 0755));
	ASSERT_EQ(0, sign_trust_load(&empty, dirs, 2, error));
	EXPECT_EQ(0U, empty.count);
	EXPECT_EQ(-ENOKEY,
		  sign_verify(data, strlen(data), sig, sig_len, &empty, &s));
	sign_trust_free(&empty);
	/* A file of garbage among the keys fails closed. */
	ASSERT_TRUE(write_file(dir, "junk.pem", "junk\n", 5));
	EXPECT_EQ(-EINVAL, sign_trust_load(&empty, dirs, 1, error));
	EXPECT_NE(NULL, strstr(error, "junk.pem"));
	sign_trust_free(&empty);
	/* So does a good certificate followed by a damaged one. */
	{
		size_t len = 0;
		char *pem = cert_pem(self->pki[CA].cert, &len);
		static const char bad[] =
			"-----BEGIN CERTIFICATE-----\n"
			"MIIB!!!!\n-----END CERTIFICATE-----\n";
		char *two = malloc(len + sizeof(bad));

		ASSERT_TRUE(pem && two);
		memcpy(two, pem, len);
		memcpy(two + len, bad, sizeof(bad));
		ASSERT_TRUE(write_file(dir, "junk.pem", two, strlen(two)));
		EXPECT_EQ(-EINVAL, sign_trust_load(&empty, dirs, 1, error));
		sign_trust_free(&empty);
		/* The good one alone is trusted. */
		ASSERT_TRUE(write_file(dir, "junk.pem", pem, len));
		EXPECT_EQ(0, sign_trust_load(&empty, dirs, 1, error));
		EXPECT_EQ(1U, empty.count);
		EXPECT_EQ(0, sign_verify(data, strlen(data), sig, sig_len,
					 &empty, &s));
		sign_trust_free(&empty);
		free(pem);
		free(two);
	}
	free(sig);
}

/* sign_make refuses a key that is not the certificate's. */
TEST_F(sign, sign_key_not_cert)
{
	size_t klen = 0, clen = 0;
	char *k = key_pem(self->pki[LEAF_ECDSA].key, &klen);
	char *c = cert_pem(self->pki[LEAF_ECDSA2].cert, &clen);
	unsigned char *sig = NULL;
	size_t sig_len;
	char error[256];

	EXPECT_EQ(-EINVAL, sign_make(policy_text, strlen(policy_text), k, klen,
				     c, clen, NULL, 0, &sig, &sig_len, error));
	EXPECT_NE(NULL, strstr(error, "not the certificate's"));
	EXPECT_EQ(NULL, sig);
	free(k);
	free(c);
}

/* Runs @fmt under sh in the fixture's directory; returns its status. */
static int run(FIXTURE_DATA(sign) * self, const char *fmt, const char *a,
	       const char *b)
{
	char cmd[1024], inner[768];
	int status;

	snprintf(inner, sizeof(inner), fmt, a, b);
	snprintf(cmd, sizeof(cmd), "cd %s && %s >openssl.log 2>&1", self->dir,
		 inner);
	status = system(cmd);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void *read_back(FIXTURE_DATA(sign) * self, const char *name, size_t *len)
{
	char path[128];
	void *buf = NULL;

	snprintf(path, sizeof(path), "%s/%s", self->dir, name);
	return sign_read_file(path, SIGN_SIG_MAX, &buf, len) ? NULL : buf;
}

/*
 * ward's signature, verified by openssl cms with the CA that issued it;
 * SM2, which OpenSSL 3.0's cms -verify hashes with the empty signer ID,
 * with its pkeyutl and dgst (sign-sm2-check).
 */
static void ward_to_openssl(struct __test_metadata *_metadata,
			    FIXTURE_DATA(sign) * self, int who)
{
	const char *verify =
		who == LEAF_SM2 ? WARD_SRCDIR "/userspace/tests/sign-sm2-check "
					      "a.policy.sig %s sm2.pem" :
				  "openssl cms -verify -binary -inform DER "
				  "-in a.policy.sig -content %s -CAfile %s.pem "
				  "-purpose any -out /dev/null";
	const char *ca = pki_spec[pki_spec[who].issuer].name;
	unsigned char *sig = NULL;
	size_t sig_len = 0;

	ASSERT_EQ(0, ward_sign(&self->pki[who], policy_text,
			       strlen(policy_text), &sig, &sig_len));
	ASSERT_TRUE(write_file(self->dir, "a.policy.sig", sig, sig_len));
	free(sig);
	if (who == LEAF_SM2)
		EXPECT_NE(0, run(self,
				 "openssl cms -verify -binary -inform DER "
				 "-in a.policy.sig -content %s -CAfile %s.pem "
				 "-purpose any -out /dev/null",
				 "a.policy", ca))
	TH_LOG("OpenSSL's cms -verify now takes SM2's standard signer ID: "
	       "test it directly");
	EXPECT_EQ(0, run(self, verify, "a.policy", ca));
	/* And it refuses a changed policy: it really checked. */
	ASSERT_TRUE(write_file(self->dir, "b.policy", "x", 1));
	EXPECT_NE(0, run(self, verify, "b.policy", ca));
}

/* openssl cms's signature, verified by ward. */
static void openssl_to_ward(struct __test_metadata *_metadata,
			    FIXTURE_DATA(sign) * self, int who,
			    const char *opts)
{
	const char *name = pki_spec[who].name;
	struct sign_signer s;
	size_t sig_len = 0;
	char cmd[512];
	void *sig;
	int status;

	snprintf(cmd, sizeof(cmd),
		 "openssl cms -sign -binary -in a.policy -signer %s.pem "
		 "-inkey %s.key -outform DER -out cli.sig %s",
		 name, name, opts);
	status = run(self, "%s", cmd, NULL);
	if (status && who == LEAF_SM2)
		SKIP(return,
			   "OpenSSL 3.0's cms -sign cannot sign with SM2: it leaves the signatureAlgorithm empty");
	ASSERT_EQ(0, status);
	sig = read_back(self, "cli.sig", &sig_len);
	ASSERT_NE(NULL, sig);
	EXPECT_EQ(0, sign_verify(policy_text, strlen(policy_text), sig, sig_len,
				 &self->trust, &s))
	TH_LOG("%s", s.error);
	EXPECT_STREQ(name, s.subject + 3);
	EXPECT_EQ(-EBADMSG,
		  sign_verify("x", 1, sig, sig_len, &self->trust, &s));
	free(sig);
}

TEST_F(sign, interop_rsa_pss)
{
	ward_to_openssl(_metadata, self, LEAF_RSA);
	openssl_to_ward(_metadata, self, LEAF_RSA,
			"-md sha256 -keyopt rsa_padding_mode:pss");
}

TEST_F(sign, interop_ecdsa_p256)
{
	ward_to_openssl(_metadata, self, LEAF_ECDSA);
	openssl_to_ward(_metadata, self, LEAF_ECDSA, "-md sha256");
}

TEST_F(sign, interop_sm2_ward_to_openssl)
{
	ward_to_openssl(_metadata, self, LEAF_SM2);
}

TEST_F(sign, interop_sm2_openssl_to_ward)
{
	openssl_to_ward(_metadata, self, LEAF_SM2, "-md sm3");
}

/* openssl's default RSA padding, PKCS#1 v1.5, is not what ward takes. */
TEST_F(sign, rsa_pkcs1_v15_refused)
{
	struct sign_signer s;
	size_t sig_len = 0;
	void *sig;

	ASSERT_EQ(0,
		  run(self,
		      "openssl cms -sign -binary -in a.policy -signer %s.pem "
		      "-inkey %s.key -md sha256 -outform DER -out cli.sig",
		      "rsa", "rsa"));
	sig = read_back(self, "cli.sig", &sig_len);
	ASSERT_NE(NULL, sig);
	EXPECT_EQ(-EOPNOTSUPP, sign_verify(policy_text, strlen(policy_text),
					   sig, sig_len, &self->trust, &s));
	free(sig);
}

/* RSA-PSS whose mask generation hashes with SHA-1: refused. */
TEST_F(sign, rsa_pss_mgf1_sha1_refused)
{
	struct sign_signer s;
	size_t sig_len = 0;
	void *sig;

	ASSERT_EQ(0,
		  run(self,
		      "openssl cms -sign -binary -in a.policy -signer %s.pem "
		      "-inkey %s.key -md sha256 -outform DER -out cli.sig "
		      "-keyopt rsa_padding_mode:pss -keyopt rsa_mgf1_md:sha1",
		      "rsa", "rsa"));
	sig = read_back(self, "cli.sig", &sig_len);
	ASSERT_NE(NULL, sig);
	EXPECT_EQ(-EOPNOTSUPP, sign_verify(policy_text, strlen(policy_text),
					   sig, sig_len, &self->trust, &s));
	EXPECT_NE(NULL, strstr(s.error, "parameters"));
	free(sig);
}

TEST_HARNESS_MAIN
