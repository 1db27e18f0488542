/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ward - forward-secure seals of the security log
 *
 * The key of epoch e+1 is H("ward-log-evolve" || key of epoch e); the
 * machine keeps only the current one, so whoever takes the machine cannot
 * seal the past again.  The auditor keeps the key of epoch 0, from which
 * every epoch's key follows.  Documentation/design.rst has the scheme.
 */

#ifndef WARD_LOGSEAL_H
#define WARD_LOGSEAL_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include <openssl/evp.h>

#include "logrec.h"

#define SEAL_KEY_LEN LOG_HASH_LEN
/* 8 bytes of hex, and a NUL. */
#define SEAL_ID_LEN 17
/* "sha256-" 64 hex digits "-" t0 "-" interval, and a NUL. */
#define SEAL_VKEY_LEN 128
#define SEAL_MAC_HEX (2 * LOG_HASH_LEN + 1)

/**
 * struct seal_key - a sealing key at one epoch
 * @md: the hash its evolution and its HMAC use
 * @t0: the start of epoch 0, seconds since the Unix epoch
 * @interval: seconds of an epoch
 * @epoch: the epoch of @k
 * @k: the key of @epoch
 * @id: names the key of epoch 0 (and so all of them) without giving it
 */
struct seal_key {
	const EVP_MD *md;
	__u64 t0;
	__u64 interval;
	__u64 epoch;
	unsigned char k[SEAL_KEY_LEN];
	char id[SEAL_ID_LEN];
};

/**
 * seal_key_new - a random key of epoch 0
 * @key: filled
 * @md: the hash
 * @t0: seconds, the start of epoch 0
 * @interval: seconds of an epoch, at least 1
 *
 * Return: 0, or -EIO when no random bytes could be had.
 */
int seal_key_new(struct seal_key *key, const EVP_MD *md, __u64 t0,
		 __u64 interval);

/**
 * seal_key_evolve - move a key forward to @epoch, erasing the older keys
 * @key: the key
 * @epoch: not before @key->epoch
 *
 * Return: 0, -EINVAL for an epoch before the key's, -EIO from the hash.
 */
int seal_key_evolve(struct seal_key *key, __u64 epoch);

/* The epoch of CLOCK_REALTIME @ns; times before t0 are in epoch 0. */
__u64 seal_epoch_of(const struct seal_key *key, __u64 ns);

/**
 * seal_mac - the MAC of a seal, hex
 * @key: the key of the seal's epoch
 * @count: the seq of the last record sealed
 * @head: the hash of that record's line, with @key->md
 * @mac: the result
 *
 * HMAC with the key of "ward-log-seal", the key id, epoch, count, head,
 * t0 and interval: a seal holds for its epoch and its records only.
 *
 * Return: 0, or -EIO.
 */
int seal_mac(const struct seal_key *key, __u64 count,
	     const unsigned char head[LOG_HASH_LEN], char mac[SEAL_MAC_HEX]);

/* The verification key, @key's at epoch 0: "ALG-HEX-T0-INTERVAL". */
void seal_vkey_format(const struct seal_key *key, char buf[SEAL_VKEY_LEN]);

/* Reads a verification key; -EINVAL when @s is not one. */
int seal_vkey_parse(const char *s, struct seal_key *key);

/**
 * seal_key_create - write a new key file, replacing any
 * @path: the file
 * @key: the key
 *
 * The file is 0600 and goes in by rename, after fsync.
 *
 * Return: 0, or the -errno of creating, writing or renaming it.
 */
int seal_key_create(const char *path, const struct seal_key *key);

/**
 * seal_key_save - overwrite a key file with @key
 * @fd: the key file, open for writing
 * @key: the key
 *
 * The file is written in place, at the same length, and synced, so that
 * the older key is gone from it.
 *
 * Return: 0, or the -errno of pwrite() or fdatasync(); -EIO for a short
 * write.
 */
int seal_key_save(int fd, const struct seal_key *key);

/**
 * seal_key_load - read a key file
 * @fd: the key file
 * @key: filled
 *
 * Return: 0, the -errno of pread(), or -EINVAL when it is not a key file.
 */
int seal_key_load(int fd, struct seal_key *key);

/* Erases @key from memory. */
void seal_key_wipe(struct seal_key *key);

#endif /* WARD_LOGSEAL_H */
