// SPDX-License-Identifier: GPL-2.0
/*
 * ward fuzz target - the policy parser, policy_finish() and policy_print()
 *
 * Each input is parsed as one file and, when it holds a 0xff byte (never
 * valid UTF-8, so never in a valid policy), also as two files split there,
 * the second using the first's names.  Whatever the input, nothing may
 * crash or leak; and a policy accepted without errors must print as text
 * that parses back without errors and prints the same again (after the
 * "# unit" comments, which name the files and their digests).
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined ... (make fuzz)
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy.h"

static FILE *devnull;

static char *print(const struct policy *p)
{
	char *text = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&text, &size);

	if (!f)
		abort();
	policy_print(p, f);
	if (fclose(f))
		abort();
	return text;
}

static const char *body(const char *text)
{
	while (!strncmp(text, "# unit ", 7) && strchr(text, '\n'))
		text = strchr(text, '\n') + 1;
	return text;
}

/* Printed, parsed back and printed again: the same text. */
static void check_round_trip(const struct policy *p)
{
	struct diag_list diags = { 0 };
	char *first = print(p), *second;
	struct policy q;

	policy_init(&q);
	if (policy_parse(&q, "printed", first, strlen(first), &diags) ||
	    policy_finish(&q, &diags) || diags.errors) {
		fprintf(stderr, "printed policy refused:\n%s\n", first);
		diag_print(&diags, stderr);
		abort();
	}
	second = print(&q);
	if (strcmp(body(first), body(second))) {
		fprintf(stderr, "printed twice, differently:\n%s\n---\n%s\n",
			first, second);
		abort();
	}
	free(first);
	free(second);
	policy_free(&q);
	diag_free(&diags);
}

/* Parses @n texts as files of one policy and uses all of it. */
static void run(const char *const *texts, const size_t *lens, size_t n)
{
	static const char *const names[] = { "a.policy", "b.policy" };
	struct diag_list diags = { 0 };
	struct policy p;
	json_object *json;

	policy_init(&p);
	for (size_t i = 0; i < n; i++)
		policy_parse(&p, names[i], texts[i], lens[i], &diags);
	policy_finish(&p, &diags);
	policy_print(&p, devnull);
	diag_print(&diags, devnull);
	json = diag_json(&diags);
	json_object_put(json);
	if (!diags.errors)
		check_round_trip(&p);
	policy_free(&p);
	diag_free(&diags);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	const char *split = memchr(text, 0xff, size);

	if (!devnull) {
		devnull = fopen("/dev/null", "w");
		if (!devnull)
			abort();
	}
	run(&text, &size, 1);
	if (split) {
		const char *texts[2] = { text, split + 1 };
		size_t lens[2] = { (size_t)(split - text),
				   size - (size_t)(split - text) - 1 };

		run(texts, lens, 2);
	}
	return 0;
}
