// SPDX-License-Identifier: GPL-2.0
/*
 * ward - forward-secure seals of the security log
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/random.h>
#include <openssl/crypto.h>
#include <openssl/hmac.h>

#include "logseal.h"

/* The key file: one line, of the same length for every epoch of a key. */
#define KEY_FILE_FMT "ward-log-seal-key 1 %s %s %020llu %020llu %020llu %s\n"
#define KEY_FILE_MAX 256

static const char *md_name(const EVP_MD *md)
{
	return md == EVP_sm3() ? "sm3" : "sha256";
}

static void put_be64(unsigned char *p, __u64 v)
{
	for (int i = 7; i >= 0; i--, v >>= 8)
		p[i] = v & 0xff;
}

/* The id: 8 bytes of H("ward-log-key-id" || k0 || t0 || interval). */
static int key_id(struct seal_key *key)
{
	static const char tag[] = "ward-log-key-id";
	unsigned char buf[sizeof(tag) + SEAL_KEY_LEN + 16], h[LOG_HASH_LEN];
	int err;

	memcpy(buf, tag, sizeof(tag));
	memcpy(buf + sizeof(tag), key->k, SEAL_KEY_LEN);
	put_be64(buf + sizeof(tag) + SEAL_KEY_LEN, key->t0);
	put_be64(buf + sizeof(tag) + SEAL_KEY_LEN + 8, key->interval);
	err = log_hash(key->md, buf, sizeof(buf), h);
	OPENSSL_cleanse(buf, sizeof(buf));
	if (!err)
		log_hex(h, 8, key->id);
	return err;
}

int seal_key_new(struct seal_key *key, const EVP_MD *md, __u64 t0,
		 __u64 interval)
{
	*key = (struct seal_key){ .md = md, .t0 = t0, .interval = interval };
	if (getrandom(key->k, sizeof(key->k), 0) != sizeof(key->k))
		return -EIO;
	return key_id(key);
}

int seal_key_evolve(struct seal_key *key, __u64 epoch)
{
	static const char tag[] = "ward-log-evolve";
	unsigned char buf[sizeof(tag) + SEAL_KEY_LEN];
	int err = 0;

	if (epoch < key->epoch)
		return -EINVAL;
	memcpy(buf, tag, sizeof(tag));
	while (!err && key->epoch < epoch) {
		memcpy(buf + sizeof(tag), key->k, SEAL_KEY_LEN);
		err = log_hash(key->md, buf, sizeof(buf), key->k);
		key->epoch++;
	}
	OPENSSL_cleanse(buf, sizeof(buf));
	return err;
}

__u64 seal_epoch_of(const struct seal_key *key, __u64 ns)
{
	__u64 secs = ns / 1000000000ULL;

	return secs < key->t0 ? 0 : (secs - key->t0) / key->interval;
}

int seal_mac(const struct seal_key *key, __u64 count,
	     const unsigned char head[LOG_HASH_LEN], char mac[SEAL_MAC_HEX])
{
	static const char tag[] = "ward-log-seal";
	unsigned char msg[sizeof(tag) + SEAL_ID_LEN + 16 + LOG_HASH_LEN + 16];
	unsigned char out[EVP_MAX_MD_SIZE];
	unsigned int len;
	unsigned char *p = msg;

	memcpy(p, tag, sizeof(tag));
	p += sizeof(tag);
	memcpy(p, key->id, SEAL_ID_LEN);
	p += SEAL_ID_LEN;
	put_be64(p, key->epoch);
	put_be64(p + 8, count);
	memcpy(p + 16, head, LOG_HASH_LEN);
	put_be64(p + 16 + LOG_HASH_LEN, key->t0);
	put_be64(p + 24 + LOG_HASH_LEN, key->interval);
	if (!HMAC(key->md, key->k, SEAL_KEY_LEN, msg, sizeof(msg), out, &len) ||
	    len != LOG_HASH_LEN)
		return -EIO;
	log_hex(out, LOG_HASH_LEN, mac);
	return 0;
}

void seal_vkey_format(const struct seal_key *key, char buf[SEAL_VKEY_LEN])
{
	char hex[2 * SEAL_KEY_LEN + 1];

	log_hex(key->k, SEAL_KEY_LEN, hex);
	snprintf(buf, SEAL_VKEY_LEN, "%s-%s-%llu-%llu", md_name(key->md), hex,
		 key->t0, key->interval);
	OPENSSL_cleanse(hex, sizeof(hex));
}

int seal_vkey_parse(const char *s, struct seal_key *key)
{
	char name[8], hex[2 * SEAL_KEY_LEN + 1];
	unsigned long long t0, interval;
	int n = 0, err = -EINVAL;

	*key = (struct seal_key){};
	if (sscanf(s, "%7[a-z0-9]-%64[0-9a-f]-%llu-%llu%n", name, hex, &t0,
		   &interval, &n) == 4 &&
	    !s[n] && interval) {
		key->md = log_hash_md(name);
		key->t0 = t0;
		key->interval = interval;
		if (key->md && !log_unhex(hex, key->k, SEAL_KEY_LEN))
			err = key_id(key);
	}
	OPENSSL_cleanse(hex, sizeof(hex));
	return err;
}

/* The key file's line for @key, in @buf; its length. */
static int key_line(const struct seal_key *key, char buf[KEY_FILE_MAX])
{
	char hex[2 * SEAL_KEY_LEN + 1];
	int len;

	log_hex(key->k, SEAL_KEY_LEN, hex);
	len = snprintf(buf, KEY_FILE_MAX, KEY_FILE_FMT, md_name(key->md),
		       key->id, key->t0, key->interval, key->epoch, hex);
	OPENSSL_cleanse(hex, sizeof(hex));
	return len;
}

int seal_key_save(int fd, const struct seal_key *key)
{
	char buf[KEY_FILE_MAX];
	int len = key_line(key, buf);
	ssize_t n = pwrite(fd, buf, len, 0);
	int err = n < 0 ? -errno : n != len ? -EIO : 0;

	OPENSSL_cleanse(buf, sizeof(buf));
	if (!err && fdatasync(fd))
		err = -errno;
	return err;
}

int seal_key_create(const char *path, const struct seal_key *key)
{
	char tmp[PATH_MAX + 8];
	int fd, err;

	if (snprintf(tmp, sizeof(tmp), "%s.new", path) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	unlink(tmp);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	err = seal_key_save(fd, key);
	close(fd);
	if (!err && rename(tmp, path))
		err = -errno;
	if (err)
		unlink(tmp);
	return err;
}

int seal_key_load(int fd, struct seal_key *key)
{
	unsigned long long t0, interval, epoch;
	char buf[KEY_FILE_MAX], name[8], id[SEAL_ID_LEN],
		hex[2 * SEAL_KEY_LEN + 1];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
	int err = -EINVAL, end = 0;

	if (n < 0)
		return -errno;
	buf[n] = '\0';
	*key = (struct seal_key){};
	if (sscanf(buf,
		   "ward-log-seal-key 1 %7[a-z0-9] %16[0-9a-f] %llu %llu %llu %64[0-9a-f]\n%n",
		   name, id, &t0, &interval, &epoch, hex, &end) == 6 &&
	    end == n && interval) {
		key->md = log_hash_md(name);
		key->t0 = t0;
		key->interval = interval;
		key->epoch = epoch;
		memcpy(key->id, id, SEAL_ID_LEN);
		if (key->md && strlen(id) == SEAL_ID_LEN - 1 &&
		    !log_unhex(hex, key->k, SEAL_KEY_LEN))
			err = 0;
	}
	OPENSSL_cleanse(buf, sizeof(buf));
	OPENSSL_cleanse(hex, sizeof(hex));
	return err;
}

void seal_key_wipe(struct seal_key *key)
{
	OPENSSL_cleanse(key, sizeof(*key));
}
