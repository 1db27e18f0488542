// SPDX-License-Identifier: GPL-2.0
/*
 * ward - a record of the security log: its time, its type, its hash
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "logrec.h"

void log_time_format(__u64 ns, char buf[LOG_TIME_LEN])
{
	time_t secs = ns / 1000000000ULL;
	struct tm tm;

	gmtime_r(&secs, &tm);
	/* 2^64 ns is in the year 2554: four digits of year always. */
	strftime(buf, LOG_TIME_LEN, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + 19, LOG_TIME_LEN - 19, ".%09lluZ", ns % 1000000000ULL);
}

int log_time_parse(const char *s, __u64 *ns)
{
	struct tm tm = {};
	__u64 frac = 0;
	const char *p;
	time_t secs;
	int digits;

	p = strptime(s, "%Y-%m-%d", &tm);
	if (!p)
		return -EINVAL;
	if (*p == 'T' || *p == ' ') {
		p = strptime(p + 1, "%H:%M:%S", &tm);
		if (!p)
			return -EINVAL;
		if (*p == '.') {
			for (digits = 0, p++; *p >= '0' && *p <= '9'; p++)
				if (digits++ < 9)
					frac = frac * 10 + (*p - '0');
			if (!digits || digits > 9)
				return -EINVAL;
			while (digits++ < 9)
				frac *= 10;
		}
	}
	if (*p == 'Z')
		p++;
	if (*p)
		return -EINVAL;
	secs = timegm(&tm);
	if (secs < 0)
		return -EINVAL;
	*ns = (__u64)secs * 1000000000ULL + frac;
	return 0;
}

__u64 log_realtime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (__u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

__u64 log_boottime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (__u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

const EVP_MD *log_hash_md(const char *name)
{
	if (!strcmp(name, "sha256"))
		return EVP_sha256();
	if (!strcmp(name, "sm3"))
		return EVP_sm3();
	return NULL;
}

/*
 * OpenSSL 3 looks EVP_sha256() and EVP_sm3() up in its providers at each
 * use, a third of hashing a record's line: looked up once here.
 */
static const EVP_MD *fetched(const EVP_MD *md)
{
	static EVP_MD *sha256, *sm3;
	bool is_sm3 = md == EVP_sm3();
	EVP_MD **slot = is_sm3 ? &sm3 : md == EVP_sha256() ? &sha256 : NULL;

	if (!slot)
		return md;
	if (!*slot)
		*slot = EVP_MD_fetch(NULL, is_sm3 ? "SM3" : "SHA256", NULL);
	return *slot ? *slot : md;
}

int log_hash(const EVP_MD *md, const void *data, size_t len,
	     unsigned char out[LOG_HASH_LEN])
{
	unsigned int n;

	if (!EVP_Digest(data, len, out, &n, fetched(md), NULL) ||
	    n != LOG_HASH_LEN)
		return -EIO;
	return 0;
}

int log_hash_ctx(EVP_MD_CTX *ctx, const EVP_MD *md, const void *data,
		 size_t len, unsigned char out[LOG_HASH_LEN])
{
	unsigned int n;

	if (!EVP_DigestInit_ex2(ctx, fetched(md), NULL) ||
	    !EVP_DigestUpdate(ctx, data, len) ||
	    !EVP_DigestFinal_ex(ctx, out, &n) || n != LOG_HASH_LEN)
		return -EIO;
	return 0;
}

/* By hand: sprintf() of each byte was a tenth of the log store's time. */
void log_hex(const unsigned char *b, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[b[i] >> 4];
		out[2 * i + 1] = digits[b[i] & 15];
	}
	out[2 * n] = '\0';
}

static int nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int log_unhex(const char *s, unsigned char *out, size_t n)
{
	if (strlen(s) != 2 * n)
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		int hi = nibble(s[2 * i]), lo = nibble(s[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -EINVAL;
		out[i] = hi << 4 | lo;
	}
	return 0;
}

void log_prev_format(const EVP_MD *md, const unsigned char *hash,
		     char out[LOG_PREV_LEN])
{
	const char *name = md == EVP_sm3() ? "sm3" : "sha256";
	size_t len = strlen(name);

	memcpy(out, name, len);
	out[len] = ':';
	log_hex(hash, LOG_HASH_LEN, out + len + 1);
}

int log_prev_parse(const char *prev, const EVP_MD **md,
		   unsigned char hash[LOG_HASH_LEN])
{
	const char *colon = strchr(prev, ':');
	char name[8];

	if (!colon || colon - prev >= (long)sizeof(name))
		return -EINVAL;
	memcpy(name, prev, colon - prev);
	name[colon - prev] = '\0';
	*md = log_hash_md(name);
	if (!*md)
		return -EINVAL;
	return log_unhex(colon + 1, hash, LOG_HASH_LEN);
}

bool log_type_critical(const char *type)
{
	return strcmp(type, "DENY");
}
