/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ward - the integrity and origin of a release or update package
 * (GB/T 39276 5.2.2.2 e, 5.2.2.3 k; SM3 beside SHA-256, 5.1.1.5)
 *
 * A package comes with a manifest, signed by a detached CMS signature
 * (sign.h).  The manifest is in the tagged format of coreutils' cksum, so
 * that "cksum --check" reads it too: lines starting with '#' are comments,
 * every other line is
 *
 *     SHA256 (NAME) = 64 hex digits
 *     SM3 (NAME) = 64 hex digits
 *
 * and every NAME has both.  A NAME without '/' is a file beside the
 * manifest (the tarball, a .deb); a NAME with '/' is a member of the
 * tarball, by its path in the archive (ward-0.1.0/Makefile).  Names are
 * relative, without "." or ".." components, backslashes or control
 * characters.
 */

#ifndef WARD_PACKAGE_H
#define WARD_PACKAGE_H

#include <stdbool.h>
#include <stddef.h>

#include "sign.h"

/* Results of package_verify(), and the exit statuses of verify-package. */
#define PACKAGE_GOOD 0
#define PACKAGE_BAD 1
#define PACKAGE_CANNOT 2

/**
 * struct package_opts - what package_verify() checks
 * @file: the package: a tarball (.tar, .tar.gz, .tgz, .tar.xz), whose
 *	members are checked too, or any other file (a .deb)
 * @manifest: its manifest
 * @sig: the manifest's detached signature
 * @trust: the certificates the signer's must chain to
 * @report: called once per problem: @what names the file, member or
 *	signature, @err is its negative errno, @msg says what is wrong
 * @ctx: passed to @report
 */
struct package_opts {
	const char *file, *manifest, *sig;
	const struct sign_trust *trust;
	void (*report)(void *ctx, const char *what, int err, const char *msg);
	void *ctx;
};

/**
 * struct package_result - what package_verify() found
 * @signer: the manifest's signer, when its signature is good
 * @signed_ok: the signature is good
 * @members: tarball members whose digests match the manifest's
 * @problems: how many times @report was called
 */
struct package_result {
	struct sign_signer signer;
	bool signed_ok;
	size_t members;
	size_t problems;
};

/**
 * package_verify - checks a package against its signed manifest
 * @o: what to check
 * @r: what was found
 *
 * First the manifest's signature (sign_verify()): when it fails nothing
 * else is read.  Then the manifest, which must be well formed, then
 * @o->file's SHA-256 and SM3 against the manifest's line for its base
 * name.  A tarball whose own digests match is then read, through the
 * descriptor that was hashed (never before: an archive that is not the
 * one signed is not parsed), and each member must
 * be a regular file or directory; each file must be listed, once, with
 * its digests; each member the manifest lists must be there.
 *
 * Errors reported: the sign_verify() errno for the signature; -EINVAL for
 * a malformed manifest, @o->file not a regular file, or a member that is
 * not a regular file or directory; -ENOENT for @o->file not named in the manifest, or a listed
 * member missing from the tarball; -EBADMSG for digests that differ, or
 * a tarball that does not decompress; -EEXIST for a member the manifest
 * does not list, or one twice in the tarball; the negative errno of
 * reading a file.
 *
 * Return: PACKAGE_GOOD; PACKAGE_BAD when a problem was reported for the
 * signature or the contents; PACKAGE_CANNOT when the manifest, the
 * signature or @o->file could not be read (or on -ENOMEM).
 */
int package_verify(const struct package_opts *o, struct package_result *r);

/*
 * "ward verify-package [--keys DIR[:DIR]...] [--manifest M] [--signature S]
 * FILE": package_verify() with the manifest found as ward(8) says.
 */
int do_verify_package(int argc, char **argv);

#endif /* WARD_PACKAGE_H */
