/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ward selftests - the kernel's kselftest harness, as ward's tests use it
 *
 * Included by each test program, once, after common.h.
 */

#ifndef WARD_SELFTESTS_HARNESS_H
#define WARD_SELFTESTS_HARNESS_H

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"

/* Expects @path to hold @want, and nothing else. */
static inline void expect_content(struct __test_metadata *_metadata,
				  const char *path, const char *want)
{
	char *text = read_file(path);

	EXPECT_NE(NULL, text)
	{
		TH_LOG("cannot read %s: %s", path, strerror(errno));
	}
	if (text) {
		EXPECT_STREQ(want, text);
	}
	free(text);
}

/*
 * A test that starts ward waits for the verifier to check every program:
 * a second on hardware, ten under TCG, and several times that on a slower
 * or busy machine.  The harness's 30 s would fail such a test by chance;
 * a test that really hangs still ends, and is reported as timed out.
 */
#undef TEST_TIMEOUT_DEFAULT
#define TEST_TIMEOUT_DEFAULT 300

/*
 * A main() that runs @helper ("PROGRAM --helper ARG...": its ARGs) or the
 * tests.
 */
#define WARD_TEST_MAIN_WITH(helper)                        \
	int main(int argc, char **argv)                    \
	{                                                  \
		if (argc > 1 && !strcmp(argv[1], "--helper")) \
			return helper(argc - 2, argv + 2);  \
		tests_prepare();                           \
		return test_harness_run(argc, argv);       \
	}

#define WARD_TEST_MAIN WARD_TEST_MAIN_WITH(helper_main)

#endif /* WARD_SELFTESTS_HARNESS_H */
