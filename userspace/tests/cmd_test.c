// SPDX-License-Identifier: GPL-2.0
/*
 * ward unit tests - the options every command parses the same way
 */

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "unit.h"
#include "main.h"

/*
 * One command line: the command's words after its name, what the parse
 * must return, the operands left, and whether --werror (-W) and --follow
 * (-f) were seen.
 */
struct options_case {
	const char *words[5];
	int max_operands;
	int ret;
	const char *operands;
	bool werror, follow;
};

#define ANY CMD_OPERANDS_ANY

static const struct options_case cases[] = {
	{ .words = { NULL }, .max_operands = ANY, .operands = "" },
	{ .words = { "a", "b" }, .max_operands = ANY, .operands = "a b" },
	{ .words = { "-W", "a" }, .max_operands = ANY, .operands = "a",
	  .werror = true },
	{ .words = { "--werror", "--follow" }, .operands = "", .werror = true,
	  .follow = true },
	{ .words = { "-Wf" }, .operands = "", .werror = true, .follow = true },
	/* Options end at the first operand, and at "--". */
	{ .words = { "a", "-W" }, .max_operands = ANY, .operands = "a -W" },
	{ .words = { "--", "-W" }, .max_operands = ANY, .operands = "-W" },
	/* "-" is an operand: standard input. */
	{ .words = { "-" }, .max_operands = 1, .operands = "-" },
	{ .words = { "-x" }, .max_operands = ANY, .ret = -EXIT_USAGE },
	{ .words = { "--nope" }, .max_operands = ANY, .ret = -EXIT_USAGE },
	{ .words = { "--werror=1" }, .max_operands = ANY, .ret = -EXIT_USAGE },
	{ .words = { "a", "b" }, .max_operands = 1, .ret = -EXIT_USAGE },
	{ .words = { "a" }, .ret = -EXIT_USAGE },
};

TEST(options_are_parsed_alike_for_every_command)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		const struct options_case *c = &cases[i];
		bool werror = false, follow = false;
		const struct cmd_option opts[] = {
			{ "werror", 'W', &werror, NULL },
			{ "follow", 'f', &follow, NULL },
			{},
		};
		/* argv[0] is the command's name, as cmd_select() passes. */
		char *argv[7] = { "cmd" };
		char **args = argv + 1, operands[64] = "";
		int argc = 0, ret;

		while (argc < 5 && c->words[argc]) {
			args[argc] = (char *)c->words[argc];
			argc++;
		}
		ret = cmd_options(&argc, &args, opts, c->max_operands, "cmd");
		EXPECT_EQ(c->ret, ret) TH_LOG("case %zu", i);
		if (ret)
			continue;
		for (int k = 0; k < argc; k++) {
			if (k)
				strcat(operands, " ");
			strcat(operands, args[k]);
		}
		EXPECT_STREQ(c->operands, operands) TH_LOG("case %zu", i);
		EXPECT_EQ(c->werror, werror) TH_LOG("case %zu", i);
		EXPECT_EQ(c->follow, follow) TH_LOG("case %zu", i);
	}
}

TEST(a_command_without_options_refuses_one)
{
	char *argv[] = { "stop", "--force", NULL };
	char **args = argv + 1;
	int argc = 1;

	EXPECT_EQ(-EXIT_USAGE, cmd_options(&argc, &args, NULL, 0, "stop"));
}

/* Options with an argument: "-n 5", "-n5", "--lines 5", "--lines=5". */
TEST(an_option_takes_its_argument)
{
	static const char *const forms[][3] = {
		{ "-n", "5", "x" }, { "-n5", "x" }, { "--lines", "5", "x" },
		{ "--lines=5", "x" },
	};

	for (size_t i = 0; i < sizeof(forms) / sizeof(*forms); i++) {
		const char *lines = NULL;
		bool follow = false;
		const struct cmd_option opts[] = {
			{ "lines", 'n', NULL, &lines },
			{ "follow", 'f', &follow, NULL },
			{},
		};
		char *argv[5] = { "tail" }, **args = argv + 1;
		int argc = 0;

		while (argc < 3 && forms[i][argc])
			args[argc] = (char *)forms[i][argc], argc++;
		ASSERT_EQ(0, cmd_options(&argc, &args, opts, 1, "tail"));
		EXPECT_STREQ("5", lines) TH_LOG("form %zu", i);
		ASSERT_EQ(1, argc);
		EXPECT_STREQ("x", args[0]);
	}
}

TEST(a_missing_argument_is_a_usage_error)
{
	const char *lines = NULL;
	const struct cmd_option opts[] = { { "lines", 'n', NULL, &lines }, {} };
	char *argv[] = { "tail", "-n", NULL }, **args = argv + 1;
	int argc = 1;

	EXPECT_EQ(-EXIT_USAGE, cmd_options(&argc, &args, opts, 0, "tail"));
}

TEST_HARNESS_MAIN
