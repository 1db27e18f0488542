// SPDX-License-Identifier: GPL-2.0
/*
 * ward fuzz target - sign_verify(), the parser and checker of policy
 * signatures (sign.c)
 *
 * Each input is a signature of the policy below; the seeds are good ones
 * by RSA, ECDSA and SM2 leaves of the CAs in sign-keys/ (made by ward and
 * by openssl cms, DER and PEM), so that mutations reach every check past
 * the parser.  Whatever the input, nothing may crash or leak, an error
 * must say what is wrong, and a signature good for the policy must be
 * refused for the policy changed.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined ... (make fuzz)
 */

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sign.h"

static const char policy[] = "# a signed policy\napp sshd /usr/sbin/sshd\n";

static struct sign_trust trust;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *dirs[] = { SIGN_FUZZ_KEYS };
	char error[256];

	(void)argc;
	(void)argv;
	if (sign_trust_load(&trust, dirs, 1, error) || trust.count != 2)
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sign_signer out;
	int err;

	err = sign_verify(policy, strlen(policy), data, size, &trust, &out);
	if (err > 0 || (err && !out.error[0]) || (!err && out.error[0]))
		abort();
	/* Signed for the policy, a signature is never good for another. */
	if (!err && sign_verify(policy, strlen(policy) - 1, data, size, &trust,
				&out) != -EBADMSG)
		abort();
	return 0;
}
