/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ward - the commands that sign policy files and verify their signatures
 */

#ifndef WARD_SIGN_CMD_H
#define WARD_SIGN_CMD_H

#include <stddef.h>

#include <json-c/json.h>

#include "sign.h"

/* The keys directories --keys defaults to. */
#define SIGN_KEYS_DEFAULT SIGN_ADMIN_KEYS ":" SIGN_VENDOR_KEYS

/*
 * "ward policy sign --key KEY --cert CERT [--chain FILE] [-o OUT] FILE":
 * writes FILE's detached signature to OUT, FILE.sig by default.
 */
int do_policy_sign(int argc, char **argv);

/*
 * "ward policy verify [--keys DIR[:DIR]...] FILE [SIG]": checks FILE
 * against SIG (FILE.sig) and the trusted certificates of the DIRs, by
 * default SIGN_ADMIN_KEYS and SIGN_VENDOR_KEYS.  Returns sign_verify()'s errno.
 */
int do_policy_verify(int argc, char **argv);

/*
 * Reads the whole file @path, at most @max bytes, into @buf (to free());
 * returns 0, or -1 after printing what is wrong, naming it the @what.
 */
int sign_cmd_read(const char *path, size_t max, const char *what, void **buf,
		  size_t *len);

/*
 * Loads the certificates of @keys, directories separated by colons, into
 * @trust (free it with sign_trust_free() whatever the result); returns 0,
 * or sign_trust_load()'s errno after printing what is wrong.
 */
int sign_cmd_trust(const char *keys, struct sign_trust *trust);

/*
 * Who signed: adds subject, key, bits and signing_time to @obj (when not
 * NULL) and writes "SUBJECT (KEY, BITS bits), signed TIME" to @line.
 */
void sign_cmd_describe(const struct sign_signer *s, json_object *obj,
		       char *line, size_t size);

#endif /* WARD_SIGN_CMD_H */
