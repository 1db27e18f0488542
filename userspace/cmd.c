// SPDX-License-Identifier: GPL-2.0
/*
 * ward - command dispatch and the options of each command, shared by all
 * of them as bpftool shares its argument parsing
 */

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "main.h"
#include "output.h"

int cmd_select(const struct cmd *table, int argc, char **argv,
	       int (*help)(int argc, char **argv))
{
	if (argc < 1)
		return help(argc, argv);
	for (const struct cmd *c = table; c->cmd; c++)
		if (!strcmp(argv[0], c->cmd))
			return c->func(argc - 1, argv + 1);
	if (!strcmp(argv[0], "help"))
		return help(argc - 1, argv + 1);
	p_err("unknown command '%s': see 'ward help'", argv[0]);
	return -EXIT_USAGE;
}

int cmd_usage(const char *usage)
{
	p_err("usage: ward %s", usage);
	return -EXIT_USAGE;
}

/* Options one command takes at most. */
#define CMD_OPTIONS_MAX 8

/* What getopt_long() returns for @o, the @i-th option. */
static int option_val(const struct cmd_option *o, size_t i)
{
	return o->letter ? o->letter : 256 + (int)i;
}

int cmd_options(int *argc, char ***argv, const struct cmd_option *opts,
		int max_operands, const char *usage)
{
	/* '+': options end at the first operand; ':': getopt says nothing. */
	char shortopts[2 * CMD_OPTIONS_MAX + 3] = "+:";
	struct option longopts[CMD_OPTIONS_MAX + 1] = {};
	size_t n = 0, len = 2;
	int opt;

	for (; opts && opts[n].name; n++) {
		if (n == CMD_OPTIONS_MAX)
			abort();
		longopts[n] = (struct option){ opts[n].name,
					       opts[n].arg ? required_argument :
							     no_argument,
					       NULL, option_val(&opts[n], n) };
		if (opts[n].letter)
			shortopts[len++] = opts[n].letter;
		if (opts[n].letter && opts[n].arg)
			shortopts[len++] = ':';
	}
	/* argv[-1], the command's name, stands for the program's. */
	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(*argc + 1, *argv - 1, shortopts, longopts,
				  NULL)) >= 0) {
		size_t i = 0;

		while (i < n && option_val(&opts[i], i) != opt)
			i++;
		if (i == n)
			goto usage;
		if (opts[i].arg)
			*opts[i].arg = optarg;
		else
			*opts[i].set = true;
	}
	*argc -= optind - 1;
	*argv += optind - 1;
	if (*argc <= max_operands)
		return 0;
usage:
	return cmd_usage(usage);
}
