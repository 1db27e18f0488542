/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ward - detached CMS signatures of policy files (GB/T 39276 5.2.2.2 e,
 * 5.2.2.3 k: the policy's integrity and origin; 5.1.1.5: SM2/SM3 beside
 * RSA and ECDSA)
 *
 * A signature is a CMS SignedData (RFC 5652) without the content, DER
 * (or PEM), with one signer, the signer's certificate and any chain, and
 * signed attributes: the content type, the signing time and the digest of
 * the file's exact bytes.  The key decides the algorithms: RSA-PSS with
 * SHA-256, ECDSA P-256 with SHA-256, or SM2 with SM3 and the signer ID
 * "1234567812345678" (GB/T 35276, RFC 8998).
 */

#ifndef WARD_SIGN_H
#define WARD_SIGN_H

#include <stddef.h>
#include <time.h>

/* The trusted certificates: the administrator's, then the vendor's. */
#define SIGN_ADMIN_KEYS "/etc/ward/keys"
#define SIGN_VENDOR_KEYS "/usr/lib/ward/keys"

/* Inputs larger than these are refused before they are parsed. */
#define SIGN_DATA_MAX (16U << 20)
#define SIGN_SIG_MAX (256U << 10)

/* The SM2 signer ID both ends use, GB/T 35276's default. */
#define SIGN_SM2_ID "1234567812345678"

/**
 * struct sign_trust - the certificates a signature must chain to
 * @store: an X509_STORE holding them, and the CRLs
 * @count: how many certificates it holds
 * @crls: how many certificate revocation lists it holds
 */
struct sign_trust {
	void *store;
	size_t count;
	size_t crls;
};

/**
 * struct sign_signer - who signed, or why the signature was refused
 * @subject: the signer certificate's subject, one line (RFC 2253)
 * @key: the key type: "RSA-PSS", "ECDSA P-256" or "SM2"
 * @bits: the key's size in bits
 * @signing_time: the signed signing time, 0 when absent
 * @error: what is wrong, one line, when sign_verify() fails; else ""
 */
struct sign_signer {
	char subject[256];
	char key[16];
	int bits;
	time_t signing_time;
	char error[256];
};

/**
 * sign_trust_load - reads the trusted certificates of directories
 * @trust: filled in; free it with sign_trust_free(), whatever the result
 * @dirs: the directories; one that does not exist adds nothing
 * @n: how many
 * @error: what is wrong, one line, on failure
 *
 * Every regular file in them is read as PEM certificates, or as one DER
 * certificate, or else as certificate revocation lists (PEM, or one DER):
 * a certificate a CA's CRL revokes no longer signs, a CA that keeps no
 * CRL there revokes nothing.  A file that is none of these is an error
 * (fail closed: an unreadable trust directory must not look like an
 * empty one).
 *
 * Return: 0; -EINVAL for a file that holds no certificate nor CRL; -EFBIG for a
 * file over SIGN_SIG_MAX; -ENOMEM; or the negative errno of reading it.
 */
int sign_trust_load(struct sign_trust *trust, const char *const *dirs, size_t n,
		    char error[256]);

void sign_trust_free(struct sign_trust *trust);

/**
 * sign_read_file - reads a whole file of at most @max bytes
 * @path: the file
 * @max: its largest size taken
 * @buf: set to its bytes and a '\0', to free()
 * @len: set to their number
 *
 * Return: 0; -EFBIG when it is larger than @max; -ENOMEM; or the
 * negative errno of opening or reading it.
 */
int sign_read_file(const char *path, size_t max, void **buf, size_t *len);

/**
 * sign_verify - checks a detached signature of a policy file
 * @data: the file's bytes
 * @len: their number
 * @sig: the signature, DER or PEM (CMS or PKCS7)
 * @sig_len: its length
 * @trust: the certificates the signer's must chain to
 * @out: the signer, or in @out->error what is wrong
 *
 * The signature must have exactly one signer, with signed attributes
 * holding the content type id-data and the digest of @data, an algorithm
 * of those ward makes, and a certificate that chains to @trust, is
 * within its validity period (as is its chain), has no unknown critical
 * extension and, if it has a key usage, may sign (digitalSignature), and
 * that no CRL of @trust revokes.
 *
 * Return: 0 when it is good, else
 * -EFBIG for @data over SIGN_DATA_MAX or @sig over SIGN_SIG_MAX;
 * -ENODATA when @sig is truncated (its DER ends early);
 * -EINVAL when @sig is not a detached CMS SignedData of data (malformed
 * DER or PEM, content attached, no signed attributes);
 * -ENOTUNIQ when it has more than one signer, or none;
 * -EOPNOTSUPP for an algorithm ward does not take (a digest other than
 * SHA-256, or SM3 for SM2; RSA without PSS; a curve other than P-256);
 * -ENOKEY when @trust is empty, the signature lacks the signer's
 * certificate, or that certificate does not chain to @trust (unknown CA);
 * -EKEYEXPIRED when a certificate of the chain is expired or not yet
 * valid, or a CRL of @trust that covers it is past its next update;
 * -EKEYREVOKED when a CRL of @trust revokes a certificate of the chain;
 * -EPERM when a certificate may not sign: an unknown critical extension,
 * a key usage without digitalSignature, an issuer that is not a CA;
 * -EKEYREJECTED when the signature value does not verify with the
 * signer's key (the signature or its signed attributes were damaged, or
 * it was made with another key), or a certificate's own signature fails;
 * -EBADMSG when the signature is good but @data is not what was signed
 * (the file changed, or the signature is another file's);
 * -ENOMEM.
 */
int sign_verify(const void *data, size_t len, const void *sig, size_t sig_len,
		const struct sign_trust *trust, struct sign_signer *out);

/**
 * sign_make - makes a detached signature of a policy file
 * @data: the file's bytes
 * @len: their number, at most SIGN_DATA_MAX
 * @key_pem: the private key, PEM (unencrypted)
 * @key_len: its length
 * @cert_pem: the signer's certificate, PEM or DER
 * @cert_len: its length
 * @chain_pem: more certificates to carry (PEM), or NULL
 * @chain_len: its length
 * @sig: set to the signature, DER, to free()
 * @sig_len: set to its length
 * @error: what is wrong, one line, on failure
 *
 * Return: 0; -EFBIG for @data over SIGN_DATA_MAX, or the key or a
 * certificate over SIGN_SIG_MAX; -EINVAL for a key or
 * certificate that does not parse, or a key that is not the
 * certificate's; -EOPNOTSUPP for a key ward does not sign with (RSA, EC
 * P-256 and SM2 only); -ENOMEM; -EIO when OpenSSL fails otherwise.
 */
int sign_make(const void *data, size_t len, const void *key_pem, size_t key_len,
	      const void *cert_pem, size_t cert_len, const void *chain_pem,
	      size_t chain_len, unsigned char **sig, size_t *sig_len,
	      char error[256]);

#endif /* WARD_SIGN_H */
