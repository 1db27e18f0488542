// SPDX-License-Identifier: GPL-2.0
/*
 * ward - detached CMS signatures of policy files (see sign.h)
 *
 * OpenSSL 3.0's CMS code does not know SM2: CMS_sign() leaves the
 * signatureAlgorithm empty (the signature does not encode), and
 * CMS_SignerInfo_verify() hashes with SM2's empty default signer ID,
 * where GB/T 35276 says "1234567812345678".  So for SM2 ward sets the ID
 * and the algorithm itself when signing, and verifies the signed
 * attributes itself; RSA-PSS and ECDSA go through CMS_SignerInfo_verify().
 * The content's digest is compared here for every key type, after the
 * signature, so that a damaged signature and a changed file read as what
 * they are.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <openssl/asn1t.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "sign.h"

/* The signed attributes as they are signed: a universal SET OF, in DER. */
/* clang-format off */
ASN1_ITEM_TEMPLATE(ward_signed_attrs) =
	ASN1_EX_TEMPLATE_TYPE(ASN1_TFLG_SET_ORDER, 0, ward_signed_attrs,
			      X509_ATTRIBUTE)
ASN1_ITEM_TEMPLATE_END(ward_signed_attrs)
	/* clang-format on */

	enum sign_alg {
		ALG_NONE,
		ALG_RSA,
		ALG_ECDSA,
		ALG_SM2
	};

static const char *const alg_names[] = {
	[ALG_NONE] = "unsupported",
	[ALG_RSA] = "RSA-PSS",
	[ALG_ECDSA] = "ECDSA P-256",
	[ALG_SM2] = "SM2",
};

static int fail(char error[256], int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Says what is wrong in @error; returns @err.  OpenSSL's queue is done. */
static int fail(char error[256], int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(error, 256, fmt, ap);
	va_end(ap);
	ERR_clear_error();
	return err;
}

/* OpenSSL's reason for its last error, for messages. */
static const char *ossl_reason(void)
{
	const char *r = ERR_reason_error_string(ERR_peek_last_error());

	return r ? r : "unknown error";
}

/* What ward signs with @pk: RSA (with PSS), EC on P-256, or SM2. */
static enum sign_alg key_alg(EVP_PKEY *pk)
{
	char group[32] = "";

	if (EVP_PKEY_is_a(pk, "RSA") || EVP_PKEY_is_a(pk, "RSA-PSS"))
		return ALG_RSA;
	if (EVP_PKEY_is_a(pk, "SM2"))
		return ALG_SM2;
	if (!EVP_PKEY_is_a(pk, "EC") ||
	    !EVP_PKEY_get_group_name(pk, group, sizeof(group), NULL))
		return ALG_NONE;
	/* 3.0 reads a certificate's SM2 key as an EC key on the SM2 curve. */
	if (!strcmp(group, "SM2"))
		return ALG_SM2;
	return !strcmp(group, "prime256v1") ? ALG_ECDSA : ALG_NONE;
}

static const EVP_MD *alg_md(enum sign_alg alg)
{
	return EVP_get_digestbynid(alg == ALG_SM2 ? NID_sm3 : NID_sha256);
}

/*
 * A certificate signed with SM2 is verified with the standard signer ID,
 * which OpenSSL 3.0 does not default to.
 */
static int set_sm2_id(X509 *x)
{
	ASN1_OCTET_STRING *id;

	if (X509_get_signature_nid(x) != NID_SM2_with_SM3)
		return 0;
	id = ASN1_OCTET_STRING_new();
	if (!id ||
	    !ASN1_OCTET_STRING_set(id, (const unsigned char *)SIGN_SM2_ID,
				   strlen(SIGN_SM2_ID))) {
		ASN1_OCTET_STRING_free(id);
		return -ENOMEM;
	}
	X509_set0_distinguishing_id(x, id);
	return 0;
}

static int no_passphrase(char *buf, int size, int rwflag, void *u)
{
	(void)buf;
	(void)size;
	(void)rwflag;
	(void)u;
	return -1;
}

/*
 * @n objects read from @bio, or -EINVAL if they were not all it holds:
 * PEM ends where no object follows, not at a damaged one; DER must be one
 * whole object.
 */
static int whole(BIO *bio, bool pem, int n)
{
	if (pem ? ERR_GET_REASON(ERR_peek_last_error()) != PEM_R_NO_START_LINE :
		  BIO_pending(bio) > 0)
		n = 0;
	return n ? n : -EINVAL;
}

/*
 * The certificates of @buf, PEM (one or more) or one DER, added to
 * @store or @certs; returns how many, or a negative errno.
 */
static int read_certs(const void *buf, size_t len, X509_STORE *store,
		      STACK_OF(X509) * certs)
{
	BIO *bio = BIO_new_mem_buf(buf, (int)len);
	bool pem = memmem(buf, len, "-----BEGIN", 10) != NULL;
	int n = 0, err = 0;
	X509 *x;

	if (!bio)
		return -ENOMEM;
	while ((x = pem ? PEM_read_bio_X509(bio, NULL, no_passphrase, NULL) :
			  d2i_X509_bio(bio, NULL))) {
		err = set_sm2_id(x);
		if (!err && store && !X509_STORE_add_cert(store, x))
			err = -ENOMEM;
		if (!err && certs && !sk_X509_push(certs, x))
			err = -ENOMEM;
		else if (!err && certs)
			x = NULL;
		X509_free(x);
		if (err)
			break;
		n++;
		if (!pem)
			break;
	}
	n = err ? err : whole(bio, pem, n);
	BIO_free(bio);
	ERR_clear_error();
	return n;
}

/* Adds the CRLs of @buf (PEM, or one DER) to @store; how many, or -errno. */
static int read_crls(const void *buf, size_t len, X509_STORE *store)
{
	BIO *bio = BIO_new_mem_buf(buf, (int)len);
	bool pem = memmem(buf, len, "-----BEGIN", 10) != NULL;
	int n = 0, err = 0;
	X509_CRL *crl;

	if (!bio)
		return -ENOMEM;
	while ((crl = pem ? PEM_read_bio_X509_CRL(bio, NULL, no_passphrase,
						  NULL) :
			    d2i_X509_CRL_bio(bio, NULL))) {
		if (!X509_STORE_add_crl(store, crl))
			err = -ENOMEM;
		X509_CRL_free(crl);
		if (err)
			break;
		n++;
		if (!pem)
			break;
	}
	n = err ? err : whole(bio, pem, n);
	BIO_free(bio);
	ERR_clear_error();
	return n;
}

int sign_read_file(const char *path, size_t max, void **buf, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t size = 0, cap = 4096;
	char *data = NULL, *grown;
	ssize_t n;
	int err = 0;

	if (fd < 0)
		return -errno;
	for (;;) {
		if (size == cap || !data) {
			cap = data ? 2 * cap : cap;
			grown = realloc(data, cap + 1);
			if (!grown) {
				err = -ENOMEM;
				break;
			}
			data = grown;
		}
		n = read(fd, data + size, cap - size);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			err = n < 0 ? -errno : 0;
			break;
		}
		size += n;
		if (size > max) {
			err = -EFBIG;
			break;
		}
	}
	close(fd);
	if (err) {
		free(data);
		return err;
	}
	data[size] = '\0';
	*buf = data;
	*len = size;
	return 0;
}

static int load_dir(struct sign_trust *trust, const char *dir, char error[256])
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int err = 0;

	if (!d)
		return errno == ENOENT ? 0 :
					 fail(error, -errno,
					      "cannot read the keys in %s: %s",
					      dir, strerror(errno));
	while (!err && (e = readdir(d))) {
		char path[4096];
		struct stat st;
		size_t len;
		void *buf;
		int n;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (stat(path, &st) || !S_ISREG(st.st_mode))
			continue;
		err = sign_read_file(path, SIGN_SIG_MAX, &buf, &len);
		if (err) {
			fail(error, err, "cannot read the key %s: %s", path,
			     strerror(-err));
			break;
		}
		n = read_certs(buf, len, trust->store, NULL);
		if (n > 0) {
			trust->count += n;
		} else if (n == -EINVAL) {
			n = read_crls(buf, len, trust->store);
			if (n > 0)
				trust->crls += n;
		}
		free(buf);
		if (n < 0)
			err = fail(
				error, n,
				"the key %s holds no certificate nor CRL (PEM or DER)",
				path);
	}
	closedir(d);
	return err;
}

int sign_trust_load(struct sign_trust *trust, const char *const *dirs, size_t n,
		    char error[256])
{
	int err = 0;

	error[0] = '\0';
	trust->count = 0;
	trust->crls = 0;
	trust->store = X509_STORE_new();
	if (!trust->store)
		return fail(error, -ENOMEM, "out of memory");
	for (size_t i = 0; i < n && !err; i++)
		err = load_dir(trust, dirs[i], error);
	return err;
}

void sign_trust_free(struct sign_trust *trust)
{
	X509_STORE_free(trust->store);
	trust->store = NULL;
	trust->count = 0;
	trust->crls = 0;
}

/*
 * The length of the DER value at @p, its header included, in @total;
 * -ENODATA when @n is shorter than that, -EINVAL when it is not DER.
 */
static int der_length(const unsigned char *p, size_t n, size_t *total)
{
	size_t len = 0, hdr = 2;

	if (n < 2 || p[0] != 0x30)
		return -EINVAL;
	if (p[1] < 0x80) {
		len = p[1];
	} else {
		/* 0x80 is BER's indefinite length, never DER. */
		size_t bytes = p[1] & 0x7f;

		if (!bytes || bytes > 4)
			return -EINVAL;
		if (n < 2 + bytes)
			return -ENODATA;
		for (size_t i = 0; i < bytes; i++)
			len = len << 8 | p[2 + i];
		hdr += bytes;
	}
	*total = hdr + len;
	return *total > n ? -ENODATA : 0;
}

/* @sig, DER or PEM (CMS or PKCS7), as a CMS ContentInfo. */
static int parse(const void *sig, size_t sig_len, CMS_ContentInfo **cms,
		 char error[256])
{
	const unsigned char *der = sig, *p;
	unsigned char *pem_der = NULL;
	char *name = NULL, *header = NULL;
	long der_len = (long)sig_len;
	size_t total = 0;
	int err = 0;

	if (sig_len >= 10 && !memcmp(sig, "-----BEGIN", 10)) {
		BIO *bio = BIO_new_mem_buf(sig, (int)sig_len);

		if (!bio)
			return fail(error, -ENOMEM, "out of memory");
		if (!PEM_read_bio(bio, &name, &header, &pem_der, &der_len) ||
		    (strcmp(name, "CMS") && strcmp(name, "PKCS7")))
			err = fail(
				error, -EINVAL,
				"the signature is malformed PEM: not one CMS or PKCS7 block");
		BIO_free(bio);
		der = pem_der;
	}
	if (!err) {
		err = der_length(der, der_len, &total);
		if (err == -ENODATA)
			fail(error, err,
			     "the signature is truncated: %zu bytes of %ld",
			     (size_t)der_len, (long)total);
		else if (err || total != (size_t)der_len)
			err = fail(
				error, -EINVAL,
				"the signature is malformed: not one DER value");
	}
	p = der;
	if (!err && (!(*cms = d2i_CMS_ContentInfo(NULL, &p, der_len)) ||
		     p != der + der_len))
		err = fail(error, -EINVAL,
			   "the signature is malformed: not a CMS message (%s)",
			   ossl_reason());
	OPENSSL_free(name);
	OPENSSL_free(header);
	OPENSSL_free(pem_der);
	return err;
}

static int chain_error(int code, X509 *x, char error[256])
{
	char subject[128] = "?";
	int err;

	if (x)
		X509_NAME_oneline(X509_get_subject_name(x), subject,
				  sizeof(subject));
	switch (code) {
	case X509_V_ERR_CERT_HAS_EXPIRED:
	case X509_V_ERR_CERT_NOT_YET_VALID:
	case X509_V_ERR_CRL_HAS_EXPIRED:
		err = -EKEYEXPIRED;
		break;
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
	case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
	case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
	case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
	case X509_V_ERR_CERT_UNTRUSTED:
		return fail(
			error, -ENOKEY,
			"the signer is not trusted: %s does not chain to a certificate in the keys directories (%s)",
			subject, X509_verify_cert_error_string(code));
	case X509_V_ERR_CERT_REVOKED:
		return fail(error, -EKEYREVOKED,
			    "the certificate %s is revoked by its CA's CRL",
			    subject);
	case X509_V_ERR_CERT_SIGNATURE_FAILURE:
	case X509_V_ERR_UNABLE_TO_DECRYPT_CERT_SIGNATURE:
	case X509_V_ERR_UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY:
		err = -EKEYREJECTED;
		break;
	default:
		err = -EPERM;
		break;
	}
	return fail(error, err, "the certificate %s is refused: %s", subject,
		    X509_verify_cert_error_string(code));
}

/* A CA that keeps no CRL in the keys directories revokes nothing. */
static int crl_optional(int ok, X509_STORE_CTX *ctx)
{
	return ok ||
	       X509_STORE_CTX_get_error(ctx) == X509_V_ERR_UNABLE_TO_GET_CRL;
}

/*
 * The signer's certificate chains to @trust at the current time, none of
 * the chain revoked by a CRL of @trust.
 */
static int check_chain(CMS_ContentInfo *cms, X509 *signer,
		       const struct sign_trust *trust, char error[256])
{
	STACK_OF(X509) *certs = CMS_get1_certs(cms);
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	int err = 0;

	for (int i = 0; i < sk_X509_num(certs) && !err; i++)
		err = set_sm2_id(sk_X509_value(certs, i));
	if (!err &&
	    (!ctx || !X509_STORE_CTX_init(ctx, trust->store, signer, certs)))
		err = -ENOMEM;
	if (err) {
		fail(error, err, "out of memory");
	} else {
		/* A trusted certificate need not be a root: a leaf may be. */
		X509_STORE_CTX_set_flags(ctx, X509_V_FLAG_PARTIAL_CHAIN);
		if (trust->crls) {
			X509_STORE_CTX_set_flags(ctx,
						 X509_V_FLAG_CRL_CHECK |
							 X509_V_FLAG_CRL_CHECK_ALL);
			X509_STORE_CTX_set_verify_cb(ctx, crl_optional);
		}
		if (X509_verify_cert(ctx) != 1)
			err = chain_error(X509_STORE_CTX_get_error(ctx),
					  X509_STORE_CTX_get_current_cert(ctx),
					  error);
	}
	X509_STORE_CTX_free(ctx);
	sk_X509_pop_free(certs, X509_free);
	return err;
}

/* SM2 over the DER of the signed attributes, with the standard ID. */
static int verify_sm2(CMS_SignerInfo *si, EVP_PKEY *pkey)
{
	STACK_OF(X509_ATTRIBUTE) *attrs = sk_X509_ATTRIBUTE_new_null();
	ASN1_OCTET_STRING *value = CMS_SignerInfo_get0_signature(si);
	EVP_MD_CTX *mctx = EVP_MD_CTX_new();
	unsigned char *der = NULL;
	EVP_PKEY_CTX *pctx = NULL;
	int len = -1, ok = 0;

	for (int i = 0; attrs && i < CMS_signed_get_attr_count(si); i++)
		if (!sk_X509_ATTRIBUTE_push(attrs, CMS_signed_get_attr(si, i)))
			goto out;
	if (attrs)
		len = ASN1_item_i2d((ASN1_VALUE *)attrs, &der,
				    ASN1_ITEM_rptr(ward_signed_attrs));
	if (len > 0 && mctx &&
	    EVP_DigestVerifyInit(mctx, &pctx, EVP_sm3(), NULL, pkey) > 0 &&
	    EVP_PKEY_CTX_set1_id(pctx, SIGN_SM2_ID, strlen(SIGN_SM2_ID)) > 0)
		ok = EVP_DigestVerify(mctx, ASN1_STRING_get0_data(value),
				      ASN1_STRING_length(value), der, len) == 1;
out:
	OPENSSL_free(der);
	EVP_MD_CTX_free(mctx);
	sk_X509_ATTRIBUTE_free(attrs);
	return ok;
}

/* The nid of @alg's algorithm, NID_undef for none; SHA-1 when absent. */
static int algor_nid(const X509_ALGOR *alg)
{
	const ASN1_OBJECT *obj;

	if (!alg)
		return NID_sha1;
	X509_ALGOR_get0(&obj, NULL, NULL, alg);
	return OBJ_obj2nid(obj);
}

/*
 * RSA-PSS's parameters name their own hash and mask hash (SHA-1 when
 * absent): both must be SHA-256, as the message digest is.
 */
static bool pss_sha256(const X509_ALGOR *sig)
{
	const ASN1_TYPE *param = sig->parameter;
	X509_ALGOR *mgf_md = NULL;
	RSA_PSS_PARAMS *pss;
	bool ok = false;

	pss = param ? ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(RSA_PSS_PARAMS),
						param) :
		      NULL;
	if (!pss)
		return false;
	if (pss->maskGenAlgorithm &&
	    algor_nid(pss->maskGenAlgorithm) == NID_mgf1 &&
	    pss->maskGenAlgorithm->parameter)
		mgf_md = ASN1_TYPE_unpack_sequence(
			ASN1_ITEM_rptr(X509_ALGOR),
			pss->maskGenAlgorithm->parameter);
	ok = algor_nid(pss->hashAlgorithm) == NID_sha256 && mgf_md &&
	     algor_nid(mgf_md) == NID_sha256;
	X509_ALGOR_free(mgf_md);
	RSA_PSS_PARAMS_free(pss);
	return ok;
}

/* The algorithms of @si are those ward makes for @alg. */
static int check_algs(CMS_SignerInfo *si, enum sign_alg alg, char error[256])
{
	X509_ALGOR *dig, *sig;
	const ASN1_OBJECT *obj;
	int md, sn;

	CMS_SignerInfo_get0_algs(si, NULL, NULL, &dig, &sig);
	X509_ALGOR_get0(&obj, NULL, NULL, dig);
	md = OBJ_obj2nid(obj);
	X509_ALGOR_get0(&obj, NULL, NULL, sig);
	sn = OBJ_obj2nid(obj);
	if (alg == ALG_NONE)
		return fail(error, -EOPNOTSUPP,
			    "the signer's key is not RSA, EC P-256 or SM2");
	if (md != EVP_MD_get_type(alg_md(alg)))
		return fail(
			error, -EOPNOTSUPP,
			"the signature's digest is %s: %s keys sign with %s",
			OBJ_nid2sn(md), alg_names[alg],
			alg == ALG_SM2 ? "SM3" : "SHA-256");
	if ((alg == ALG_RSA && (sn != NID_rsassaPss || !pss_sha256(sig))) ||
	    (alg == ALG_ECDSA && sn != NID_ecdsa_with_SHA256) ||
	    (alg == ALG_SM2 && sn != NID_sm2 && sn != NID_SM2_with_SM3))
		return fail(
			error, -EOPNOTSUPP,
			"the signature algorithm %s (or its parameters) is not %s with %s",
			OBJ_nid2sn(sn), alg_names[alg],
			alg == ALG_SM2 ? "SM3" : "SHA-256");
	return 0;
}

/* The signed content type is id-data; the signed digest is @data's. */
static int check_content(CMS_SignerInfo *si, enum sign_alg alg,
			 const void *data, size_t len, char error[256])
{
	ASN1_OBJECT *type = CMS_signed_get0_data_by_OBJ(
		si, OBJ_nid2obj(NID_pkcs9_contentType), -3, V_ASN1_OBJECT);
	ASN1_OCTET_STRING *digest = CMS_signed_get0_data_by_OBJ(
		si, OBJ_nid2obj(NID_pkcs9_messageDigest), -3,
		V_ASN1_OCTET_STRING);
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int md_len = 0;

	if (!type || OBJ_obj2nid(type) != NID_pkcs7_data)
		return fail(
			error, -EINVAL,
			"the signature's signed attributes lack the content type data");
	if (!digest)
		return fail(
			error, -EINVAL,
			"the signature's signed attributes lack one message digest");
	if (!EVP_Digest(data, len, md, &md_len, alg_md(alg), NULL))
		return fail(error, -ENOMEM, "cannot hash the policy: %s",
			    ossl_reason());
	if ((unsigned int)ASN1_STRING_length(digest) != md_len ||
	    memcmp(ASN1_STRING_get0_data(digest), md, md_len))
		return fail(
			error, -EBADMSG,
			"the policy is not what was signed: it changed since, or the signature is another file's");
	return 0;
}

static void describe(CMS_SignerInfo *si, X509 *signer, EVP_PKEY *pkey,
		     enum sign_alg alg, struct sign_signer *out)
{
	int i = CMS_signed_get_attr_by_NID(si, NID_pkcs9_signingTime, -1);
	ASN1_TYPE *t =
		i < 0 ? NULL :
			X509_ATTRIBUTE_get0_type(CMS_signed_get_attr(si, i), 0);
	BIO *bio = BIO_new(BIO_s_mem());
	struct tm tm;

	if (bio && X509_NAME_print_ex(bio, X509_get_subject_name(signer), 0,
				      XN_FLAG_RFC2253) >= 0) {
		int n = BIO_read(bio, out->subject, sizeof(out->subject) - 1);

		out->subject[n > 0 ? n : 0] = '\0';
	}
	BIO_free(bio);
	snprintf(out->key, sizeof(out->key), "%s", alg_names[alg]);
	out->bits = EVP_PKEY_get_bits(pkey);
	if (t &&
	    (t->type == V_ASN1_UTCTIME || t->type == V_ASN1_GENERALIZEDTIME) &&
	    ASN1_TIME_to_tm(t->value.utctime, &tm))
		out->signing_time = timegm(&tm);
}

int sign_verify(const void *data, size_t len, const void *sig, size_t sig_len,
		const struct sign_trust *trust, struct sign_signer *out)
{
	CMS_ContentInfo *cms = NULL;
	STACK_OF(CMS_SignerInfo) * sis;
	CMS_SignerInfo *si;
	enum sign_alg alg;
	EVP_PKEY *pkey;
	X509 *signer;
	int err;

	memset(out, 0, sizeof(*out));
	if (len > SIGN_DATA_MAX)
		return fail(out->error, -EFBIG,
			    "the policy is larger than %u bytes",
			    SIGN_DATA_MAX);
	if (sig_len > SIGN_SIG_MAX)
		return fail(out->error, -EFBIG,
			    "the signature is larger than %u bytes",
			    SIGN_SIG_MAX);
	if (!trust->count)
		return fail(
			out->error, -ENOKEY,
			"no trusted certificate: put the signers' CA certificates in the keys directory (%s)",
			SIGN_ADMIN_KEYS);
	err = parse(sig, sig_len, &cms, out->error);
	if (err)
		return err;
	sis = CMS_get0_SignerInfos(cms);
	if (OBJ_obj2nid(CMS_get0_type(cms)) != NID_pkcs7_signed ||
	    OBJ_obj2nid(CMS_get0_eContentType(cms)) != NID_pkcs7_data) {
		err = fail(out->error, -EINVAL,
			   "the signature is not a CMS SignedData of data");
		goto out;
	}
	if (CMS_is_detached(cms) != 1) {
		err = fail(
			out->error, -EINVAL,
			"the signature holds a content: ward takes detached signatures only");
		goto out;
	}
	if (sk_CMS_SignerInfo_num(sis) != 1) {
		err = fail(
			out->error, -ENOTUNIQ,
			"the signature has %d signers: ward takes exactly one",
			sk_CMS_SignerInfo_num(sis));
		goto out;
	}
	si = sk_CMS_SignerInfo_value(sis, 0);
	if (CMS_signed_get_attr_count(si) <= 0) {
		err = fail(out->error, -EINVAL,
			   "the signature has no signed attributes");
		goto out;
	}
	CMS_set1_signers_certs(cms, NULL, 0);
	CMS_SignerInfo_get0_algs(si, &pkey, &signer, NULL, NULL);
	if (!signer || !pkey) {
		err = fail(
			out->error, -ENOKEY,
			"the signature does not carry its signer's certificate");
		goto out;
	}
	alg = key_alg(pkey);
	describe(si, signer, pkey, alg, out);
	err = check_algs(si, alg, out->error);
	if (!err)
		err = check_chain(cms, signer, trust, out->error);
	if (!err && (X509_get_extension_flags(signer) & EXFLAG_KUSAGE) &&
	    !(X509_get_key_usage(signer) & KU_DIGITAL_SIGNATURE))
		err = fail(
			out->error, -EPERM,
			"the signer's certificate may not sign: its key usage lacks digitalSignature");
	if (!err && !(alg == ALG_SM2 ? verify_sm2(si, pkey) :
				       CMS_SignerInfo_verify(si) == 1))
		err = fail(
			out->error, -EKEYREJECTED,
			"the signature does not verify with the signer's key: it is damaged or was made with another key");
	if (!err)
		err = check_content(si, alg, data, len, out->error);
out:
	CMS_ContentInfo_free(cms);
	ERR_clear_error();
	return err;
}

/* The signer's algorithm parameters, on the key context CMS signs with. */
static int set_params(CMS_SignerInfo *si, enum sign_alg alg)
{
	EVP_PKEY_CTX *pctx = CMS_SignerInfo_get0_pkey_ctx(si);
	X509_ALGOR *sig;

	if (alg == ALG_RSA)
		return EVP_PKEY_CTX_set_rsa_padding(
			       pctx, RSA_PKCS1_PSS_PADDING) > 0 &&
		       EVP_PKEY_CTX_set_rsa_pss_saltlen(
			       pctx, RSA_PSS_SALTLEN_DIGEST) > 0;
	if (alg != ALG_SM2)
		return 1;
	CMS_SignerInfo_get0_algs(si, NULL, NULL, NULL, &sig);
	/* GB/T 35275: the signature algorithm is sm2sign, 1.2.156.10197.1.301.1. */
	return EVP_PKEY_CTX_set1_id(pctx, SIGN_SM2_ID, strlen(SIGN_SM2_ID)) >
		       0 &&
	       X509_ALGOR_set0(sig, OBJ_nid2obj(NID_sm2), V_ASN1_UNDEF, NULL);
}

int sign_make(const void *data, size_t len, const void *key_pem, size_t key_len,
	      const void *cert_pem, size_t cert_len, const void *chain_pem,
	      size_t chain_len, unsigned char **sig, size_t *sig_len,
	      char error[256])
{
	const unsigned int flags = CMS_BINARY | CMS_DETACHED;
	STACK_OF(X509) *certs = NULL;
	BIO *kbio = NULL, *dbio = NULL;
	CMS_ContentInfo *cms = NULL;
	unsigned char *der = NULL;
	EVP_PKEY *key = NULL;
	CMS_SignerInfo *si;
	enum sign_alg alg;
	int err = 0, n;

	error[0] = '\0';
	*sig = NULL;
	if (len > SIGN_DATA_MAX) {
		err = fail(error, -EFBIG, "the policy is larger than %u bytes",
			   SIGN_DATA_MAX);
		goto out;
	}
	if (key_len > SIGN_SIG_MAX || cert_len > SIGN_SIG_MAX ||
	    chain_len > SIGN_SIG_MAX) {
		err = fail(error, -EFBIG,
			   "the key or a certificate is larger than %u bytes",
			   SIGN_SIG_MAX);
		goto out;
	}
	kbio = BIO_new_mem_buf(key_pem, (int)key_len);
	dbio = BIO_new_mem_buf(data, (int)len);
	certs = sk_X509_new_null();
	if (!kbio || !dbio || !certs) {
		err = fail(error, -ENOMEM, "out of memory");
		goto out;
	}
	key = PEM_read_bio_PrivateKey(kbio, NULL, no_passphrase, NULL);
	if (!key) {
		err = fail(error, -EINVAL,
			   "the key is not an unencrypted PEM private key");
		goto out;
	}
	n = read_certs(cert_pem, cert_len, NULL, certs);
	if (n < 0 ||
	    (chain_pem && read_certs(chain_pem, chain_len, NULL, certs) < 0)) {
		err = fail(error, n == -ENOMEM ? -ENOMEM : -EINVAL,
			   "the %s holds no certificate (PEM or DER)",
			   n < 0 ? "certificate" : "chain");
		goto out;
	}
	if (!X509_check_private_key(sk_X509_value(certs, 0), key)) {
		err = fail(error, -EINVAL, "the key is not the certificate's");
		goto out;
	}
	alg = key_alg(key);
	/* An EC key on the SM2 curve would make ECDSA, not SM2, signatures. */
	if (alg == ALG_NONE || (alg == ALG_SM2 && !EVP_PKEY_is_a(key, "SM2"))) {
		err = fail(
			error, -EOPNOTSUPP,
			"the key is not RSA, EC P-256 or SM2 (openssl genpkey -algorithm SM2)");
		goto out;
	}
	cms = CMS_sign(NULL, NULL, NULL, NULL, flags | CMS_PARTIAL);
	si = cms ? CMS_add1_signer(cms, sk_X509_value(certs, 0), key,
				   alg_md(alg),
				   flags | CMS_KEY_PARAM | CMS_NOSMIMECAP) :
		   NULL;
	for (int i = 1; si && i < sk_X509_num(certs); i++)
		if (!CMS_add1_cert(cms, sk_X509_value(certs, i)))
			si = NULL;
	if (!si || !set_params(si, alg) || !CMS_final(cms, dbio, NULL, flags)) {
		err = fail(error, -EIO, "cannot sign: %s", ossl_reason());
		goto out;
	}
	n = i2d_CMS_ContentInfo(cms, &der);
	if (n <= 0) {
		err = fail(error, -EIO, "cannot encode the signature: %s",
			   ossl_reason());
		goto out;
	}
	*sig = malloc(n);
	if (!*sig) {
		err = fail(error, -ENOMEM, "out of memory");
		goto out;
	}
	memcpy(*sig, der, n);
	*sig_len = n;
out:
	OPENSSL_free(der);
	CMS_ContentInfo_free(cms);
	EVP_PKEY_free(key);
	sk_X509_pop_free(certs, X509_free);
	BIO_free(kbio);
	BIO_free(dbio);
	ERR_clear_error();
	return err;
}
