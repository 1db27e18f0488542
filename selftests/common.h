/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ward selftests - what every test program shares
 *
 * The tests drive the real ward binary against the running kernel, so they
 * need root and an active BPF LSM; without them a test program prints
 * "1..0 # SKIP reason" and exits with KSFT_SKIP (4).
 */

#ifndef WARD_SELFTESTS_COMMON_H
#define WARD_SELFTESTS_COMMON_H

#include <stdbool.h>
#include <stddef.h>

/*
 * The ward binary: $WARD, else ../ward next to this program (the build
 * tree), else "ward" from $PATH.
 */
const char *ward_bin(void);

/*
 * Runs ward with the NULL-terminated arguments.  With @out, its stdout is
 * returned there (NUL-terminated, to free()); with @err, its stderr.
 * Returns its exit status, or -1 if it did not exit normally.
 */
int ward_run(char **out, char **err, const char *arg, ...)
	__attribute__((sentinel));

/* Stops ward if it runs, saying nothing either way. */
void ward_stop_quietly(void);

/*
 * Makes a policy of @text (written to @dir/test.policy) the active one:
 * "ward policy load" when ward runs, "ward start" when not.  Loading is
 * much quicker than starting, which verifies every program.  Returns
 * ward's exit status.
 */
int ward_load_text(const char *dir, const char *text);

/* Is ward running (pinned)? */
bool ward_is_running(void);

/* Writes @text to @path (created 0644 or truncated); 0 or -errno. */
int write_file(const char *path, const char *text);

/* Everything readable from @fd until EOF (to free()), or NULL. */
char *read_fd(int fd);

/* The content of @path (to free()), or NULL with errno set. */
char *read_file(const char *path);

/* Copies @src to @dst with mode 0755; 0 or -errno. */
int copy_file(const char *src, const char *dst);

/* rm -rf @path; best effort. */
void remove_tree(const char *path);

/*
 * Runs "@exe --helper OP ARG..." (a copy of a test program, so that it has
 * an inode of its own) and returns the errno its operation failed with,
 * 0 on success, or -1 if it did not exit normally.
 */
int run_helper(const char *exe, const char *op, const char *arg);

/* The helper side: performs OP and exits with its errno. */
int helper_main(int argc, char **argv);

/* Does the kernel have @symbol (per /proc/kallsyms)? */
bool kernel_has_symbol(const char *symbol);

/* Skips the whole program (KSFT_SKIP) unless root with the BPF LSM. */
void require_bpf_lsm(void);

/* Stops ward at exit unless it ran before the tests. */
void ward_restore_at_exit(void);

/* A main() that runs the helper or the tests. */
#define WARD_TEST_MAIN                                          \
	int main(int argc, char **argv)                         \
	{                                                       \
		if (argc > 1 && !strcmp(argv[1], "--helper"))   \
			return helper_main(argc - 2, argv + 2); \
		require_bpf_lsm();                              \
		ward_restore_at_exit();                         \
		return test_harness_run(argc, argv);            \
	}

#endif /* WARD_SELFTESTS_COMMON_H */
