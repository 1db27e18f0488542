/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ward - the commands that sign policy files and verify their signatures
 */

#ifndef WARD_SIGN_CMD_H
#define WARD_SIGN_CMD_H

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

#endif /* WARD_SIGN_CMD_H */
