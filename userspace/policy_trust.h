/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ward - signed policies and their version floor (GB/T 39276 5.2.2.2 e,
 * 5.2.2.3 k: the policy's integrity and origin; 5.1.1.5: SM2/SM3)
 *
 * Each policy file is signed on its own: FILE.sig beside it (sign.h).
 * When ward.conf's require-signed-policy asks for it, every file of a
 * policy to load must have a good signature by a trusted key, and its
 * "policy NAME VERSION" must be newer than the floor of NAME: the highest
 * version of NAME loaded with a good signature, kept across boots in
 * TRUST_FLOOR_PATH.  The version already at the floor is taken again only
 * with the very bytes loaded then (a reload, as after pwconv).  The floor
 * rises once a load has succeeded, for each file whose signature was good.
 */

#ifndef WARD_POLICY_TRUST_H
#define WARD_POLICY_TRUST_H

#include <stdbool.h>
#include <stddef.h>

#include "policy.h"
#include "sign.h"

/*
 * A directory, so that the floor can be replaced by a rename and keep the
 * label the base policy gives it ("files wardfloor").
 */
#define TRUST_FLOOR_DIR "/var/lib/ward/policy"
#define TRUST_FLOOR_PATH TRUST_FLOOR_DIR "/floor"
#define TRUST_CONF_KEY "require-signed-policy"

/**
 * enum trust_require - ward.conf's require-signed-policy
 * @TRUST_REQUIRE_LOCKED: "locked" (the default): a locked ward takes a
 *                        policy other than its own only signed and newer;
 *                        "ward start" does not check.
 * @TRUST_REQUIRE_YES: "yes": every "ward policy load" and "ward start".
 * @TRUST_REQUIRE_NO: "no": never; a locked ward takes only its own policy
 *                    again.
 */
enum trust_require {
	TRUST_REQUIRE_LOCKED,
	TRUST_REQUIRE_YES,
	TRUST_REQUIRE_NO,
};

/**
 * trust_conf_read - reads require-signed-policy
 * @path: ward.conf, usually LOG_CONF_PATH
 * @out: set to the setting, TRUST_REQUIRE_LOCKED when not set
 *
 * Return: 0; -EINVAL for a value other than yes, no or locked, or a key
 * set twice; -errno of reading the file (fail closed: the caller
 * refuses).
 */
int trust_conf_read(const char *path, enum trust_require *out);

/**
 * struct floor_entry - the floor of one policy name
 * @name: the policy's name
 * @version: the highest version loaded signed
 * @sha256: the digest of the file loaded at that version
 */
struct floor_entry {
	char name[WARD_NAME_MAX];
	char version[WARD_VERSION_MAX];
	unsigned char sha256[32];
};

struct policy_floor {
	struct floor_entry *v;
	size_t n;
};

/*
 * Compares two valid versions (MAJOR.MINOR.PATCH in digits) by number:
 * <0, 0 or >0 as strcmp().
 */
int version_cmp(const char *a, const char *b);

/**
 * floor_read - reads the floor file
 * @path: TRUST_FLOOR_PATH
 * @floor: filled in (empty when @path does not exist); floor_free() it
 *
 * Lines "NAME VERSION SHA256" (hex); "#" starts a comment line.
 *
 * Return: 0; -EUCLEAN when the file is damaged (a line not so, a bad
 * version or digest, a name twice: fail closed); -errno of reading it.
 */
int floor_read(const char *path, struct policy_floor *floor);

/**
 * floor_write - replaces the floor file
 * @path: TRUST_FLOOR_PATH; its directory is made if need be
 * @floor: the floor
 *
 * Written beside @path, synced and renamed over it: the file is the old
 * floor or the new, whole, whenever the machine stops.
 *
 * Return: 0, or -errno of making, writing, syncing or renaming it.
 */
int floor_write(const char *path, const struct policy_floor *floor);

void floor_free(struct policy_floor *floor);

/* The entry of @name, or NULL. */
const struct floor_entry *floor_find(const struct policy_floor *floor,
				     const char *name);

/**
 * floor_check - may @u load above @floor?
 * @floor: the floor
 * @u: a parsed file
 *
 * Return: 0 when @u's name has no floor, its version is above it, or it
 * is the floor's version with the same bytes; -ESTALE when its version is
 * below (a downgrade, or an older signed file replayed); -EEXIST when it
 * is the floor's version with other bytes.
 */
int floor_check(const struct policy_floor *floor, const struct policy_unit *u);

/*
 * Raises the floor of @u's name to @u's version and bytes when that is
 * higher, or sets it to them whatever it was with @force (the
 * administrator's --allow-downgrade).  Returns whether it changed.
 */
bool floor_raise(struct policy_floor *floor, const struct policy_unit *u,
		 bool force);

/**
 * trust_verify_unit - checks the signature of a parsed file
 * @u: the file: its path and the digest of what was parsed
 * @trust: the trusted certificates
 * @signer: the signer, or in @signer->error what is wrong
 *
 * Reads @u's file and FILE.sig afresh, and checks that the bytes signed
 * are those parsed: a file changed in between is refused.
 *
 * Return: 0; -ENOENT when the file has no signature (FILE.sig missing);
 * -EBADMSG when its bytes are not those parsed any more; an error of
 * sign_verify(); -errno of reading the file or its signature.
 */
int trust_verify_unit(const struct policy_unit *u,
		      const struct sign_trust *trust,
		      struct sign_signer *signer);

/**
 * struct trust_check - the checks of a policy to load, then the floor
 *                      they raise
 * @required: signatures and the floor are required
 * @allow_downgrade: the floor does not hold (--allow-downgrade)
 * @verified: per unit, whether its signature is good
 * @floor: the floor read
 * @floor_ok: @floor was read (not damaged): it may be written back
 * @unit: the unit refused, when trust_check() fails
 * @why: what is wrong, one line, when trust_check() fails
 * @detail: what the security log is told of the load (the units taken
 *          under the floor), cut to its 64 bytes; "" for nothing
 */
struct trust_check {
	bool required;
	bool allow_downgrade;
	bool *verified;
	struct policy_floor floor;
	bool floor_ok;
	size_t unit;
	char why[512];
	char detail[128];
};

/**
 * trust_check - checks the files of @p
 * @p: the parsed policy
 * @trust: the trusted certificates, or NULL when they could not be read
 * @floor_path: TRUST_FLOOR_PATH
 * @c: @required and @allow_downgrade set by the caller; the rest filled
 *     in; trust_check_free() it
 *
 * Each file's signature is checked, and with @c->required each must be
 * good and above the floor.  Without @c->required nothing is refused: the
 * good signatures only raise the floor in trust_commit().
 *
 * Return: 0, or with @c->required (@c->unit, @c->why set): -ENOKEY when
 * @trust is NULL; -ENOTUNIQ when two files name the same policy; an error
 * of trust_verify_unit(); -EUCLEAN or -errno of floor_read() (unless
 * @c->allow_downgrade); an error of floor_check() (unless
 * @c->allow_downgrade).
 */
int trust_check(const struct policy *p, const struct sign_trust *trust,
		const char *floor_path, struct trust_check *c);

/**
 * trust_commit - after the load succeeded: raises the floor
 * @p: the policy loaded
 * @floor_path: TRUST_FLOOR_PATH
 * @c: from trust_check()
 *
 * Return: 0 (also when nothing rises); -EUCLEAN when the floor was
 * damaged and not overridden; -errno of floor_write().
 */
int trust_commit(const struct policy *p, const char *floor_path,
		 struct trust_check *c);

void trust_check_free(struct trust_check *c);

/**
 * trust_gate - the checks of a command that loads @p
 * @p: the parsed policy
 * @op: enum ward_change_op: WARD_CHANGE_POLICY_LOAD or WARD_CHANGE_START
 * @c: @required and @allow_downgrade set by the caller; filled in
 *
 * Reads the trusted certificates (sign.h) and runs trust_check(); a
 * refusal is told to the security log (change_report(), op @op, detail
 * "NAME VERSION" of the file refused, its errno) and said by p_err().
 *
 * Return: 0, or -1 after p_err().
 */
int trust_gate(const struct policy *p, __u32 op, struct trust_check *c);

/*
 * trust_commit(), then on failure p_err() when signatures were required
 * (-1), else p_warn() (0): the policy is in force either way.
 */
int trust_gate_commit(const struct policy *p, struct trust_check *c);

#endif /* WARD_POLICY_TRUST_H */
