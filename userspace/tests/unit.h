/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ward's host unit tests: the kselftest harness, with time for a busy host.
 */

#ifndef WARD_UNIT_H
#define WARD_UNIT_H

#include "kselftest_harness.h"

/*
 * Making keys and forking a process per test take seconds each on a busy
 * two-core machine: the harness's 30 s failed sign_test there by chance.
 * A test that really hangs still ends, reported as timed out.
 */
#undef TEST_TIMEOUT_DEFAULT
#define TEST_TIMEOUT_DEFAULT 300

#endif /* WARD_UNIT_H */
