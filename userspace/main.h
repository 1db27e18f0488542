/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ward - command dispatch, bpftool style: "ward OBJECT COMMAND [ARGS]"
 */

#ifndef WARD_MAIN_H
#define WARD_MAIN_H

#include <stdbool.h>

/* Exit statuses, documented in ward(8). */
#define EXIT_USAGE 2
#define EXIT_NOT_RUNNING 3

/* Set by -d/--debug: libbpf's messages, the verifier's log among them. */
extern bool debug_output;

struct cmd {
	const char *cmd;
	int (*func)(int argc, char **argv);
};

/*
 * Runs the entry of @cmds named by argv[0] with the remaining arguments;
 * @help runs for "help" and when no command is given.
 */
int cmd_select(const struct cmd *cmds, int argc, char **argv,
	       int (*help)(int argc, char **argv));

int do_start(int argc, char **argv);
int do_stop(int argc, char **argv);
int do_status(int argc, char **argv);
int do_log(int argc, char **argv);
int do_policy(int argc, char **argv);
int do_mode(int argc, char **argv);

#endif /* WARD_MAIN_H */
