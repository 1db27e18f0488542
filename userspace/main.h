/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ward - command dispatch, bpftool style: "ward OBJECT COMMAND [ARGS]"
 */

#ifndef WARD_MAIN_H
#define WARD_MAIN_H

#include <limits.h>
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

/**
 * struct cmd_option - an option a command takes
 * @name: its long name, --NAME
 * @letter: its short name, -LETTER, or 0
 * @set: set to true when it is given, for an option without an argument
 * @arg: set to its argument, for an option that takes one; else NULL
 */
struct cmd_option {
	const char *name;
	char letter;
	bool *set;
	const char **arg;
};

/* Prints "usage: ward @usage"; returns -EXIT_USAGE. */
int cmd_usage(const char *usage);

/* No limit on operands, for cmd_options(). */
#define CMD_OPERANDS_ANY INT_MAX

/**
 * cmd_options - parses a command's options, leaving its operands
 * @argc: the number of the command's arguments; then of its operands
 * @argv: the command's arguments, after its name; then its operands
 * @opts: the options it takes, ended by an empty one; NULL for none
 * @max_operands: how many operands it takes at most
 * @usage: its usage line, after "ward "
 *
 * Options come first; "--" ends them, so that an operand may begin with
 * a dash.
 *
 * Return: 0, or -EXIT_USAGE after printing @usage for an unknown option
 * or too many operands.
 */
int cmd_options(int *argc, char ***argv, const struct cmd_option *opts,
		int max_operands, const char *usage);

int do_start(int argc, char **argv);
int do_stop(int argc, char **argv);
int do_status(int argc, char **argv);
int do_log(int argc, char **argv);
int do_logd(int argc, char **argv);
int do_policy(int argc, char **argv);
int do_mode(int argc, char **argv);

#endif /* WARD_MAIN_H */
