/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ward - what the policy parser's files share, and nothing else uses
 *
 * The lexer (policy_lex.c) turns a file's text into lines of words and
 * reports errors where they are; the grammar (policy_parse.c) makes
 * statements of those words and keeps a struct parse_state per policy;
 * the lint (policy_lint.c) warns about the whole policy once it is parsed.
 */

#ifndef WARD_POLICY_PARSE_INTERNAL_H
#define WARD_POLICY_PARSE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "htab.h"
#include "policy.h"

/* Most words in a line: one character and one blank each. */
#define WORDS_MAX (POLICY_LINE_MAX / 2 + 1)

struct app_extra;

/**
 * struct parse_state - what the parser keeps of a policy beyond its public
 * fields, for later files and policy_finish(), in &policy.state
 * @names: name -> NAME_VALUE(kind, index)
 * @file_paths: path in a files set -> the set's index
 * @n_files, @n_apps, @n_users, @n_rules: how many of each are indexed
 * @files_cap, @apps_cap, @users_cap, @rules_cap: the arrays' capacities
 * @apps: per app, where it was confined, made to inherit and given a mode
 * @extra_cap: capacity of @apps
 * @n_paths, @n_members, @n_objects, @n_endpoints: totals, for the limits
 * @kernel_last: per enum policy_kernel_setting, the last statement that
 *               set it, in whichever file (one file sets each once)
 * @loaders: "kernel bpf loader" path -> its index in &policy_kernel.loaders
 * @loaders_cap: capacity of &policy_kernel.loaders
 */
struct parse_state {
	struct htab names;
	struct htab file_paths;
	size_t n_files, n_apps, n_users, n_rules;
	size_t files_cap, apps_cap, users_cap, rules_cap;
	struct app_extra *apps;
	size_t extra_cap;
	size_t n_paths, n_members, n_objects, n_endpoints;
	struct policy_loc kernel_last[KERNEL_SETTINGS];
	struct htab loaders;
	size_t loaders_cap;
};

/* A word of a line, not NUL-terminated, and its column, from 1. */
struct word {
	const char *s;
	size_t len;
	unsigned int col;
};

struct seen_slot;

/*
 * One file being parsed: the grammar's fields, then the lexer's (the text,
 * where in it, what it reported).
 */
struct parser {
	struct policy *p;
	struct parse_state *st;
	size_t unit;
	bool named; /* this file's "policy" statement was seen */
	size_t statements; /* lines with words */
	struct seen_slot *seen; /* keys of the list being parsed */
	unsigned int seen_gen;
	char *scratch;
	size_t scratch_len;

	struct diag_list *diags;
	const char *file; /* &policy.units[unit].file */
	unsigned int line;
	size_t errors; /* errors this file */
	bool stop; /* parse no further in this file */
	const char *text;
	size_t len;
	size_t pos; /* where the next line starts */
	size_t valid; /* length of the valid UTF-8 prefix of @text */
	struct word *words; /* of the current line */
	char where[4200];
};

/* Starts on @text, whose lines lex_line() then gives one by one. */
void lex_start(struct parser *ps, const char *text, size_t len);

/*
 * The next line with words: its words go to &parser.words and its number
 * to &parser.line.  Lines that are not text are reported and passed over:
 * a NUL byte, a line longer than POLICY_LINE_MAX, a control character in a
 * word; invalid UTF-8 ends the file.
 *
 * Return: the number of words, 0 at the end of the text or once parsing
 * this file stopped.
 */
size_t lex_line(struct parser *ps);

void lex_end(struct parser *ps);

/* Reports an error at column @col of the current line. */
void error_at(struct parser *ps, unsigned int col, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Reports @w, a path that does not start with '/'. */
void error_relative(struct parser *ps, const struct word *w);

/* "line 3" in @file, "a.policy:3" in another, written to @buf. */
const char *where_buf(char *buf, size_t size, const struct policy_loc *loc,
		      const char *file);

/* where_buf() for the file being parsed, in &parser.where. */
const char *where(struct parser *ps, const struct policy_loc *loc);

struct policy_loc loc_of(const struct parser *ps, const struct word *w);

bool word_is(const struct word *w, const char *s);

char *word_dup(const struct word *w);

/* Reports @w unless it is a valid name; @what says what it names. */
bool check_name(struct parser *ps, const struct word *w, const char *what);

bool valid_account(const char *s, size_t len);

bool valid_version(const struct word *w);

bool parse_number(const char *s, size_t len, uint64_t max, uint64_t *out);

/* "kernel SETTING VALUE..." and "lock" (policy_kernel.c). */
void parse_kernel(struct parser *ps, const struct word *w, size_t n);
void parse_lock(struct parser *ps, const struct word *w, size_t n);

/* Frees what policy_kernel.c added to @p and @st. */
void kernel_free(struct policy *p, struct parse_state *st);

/* The state of @p, made if it has none yet, and up to date with @p. */
struct parse_state *state_get(struct policy *p);

/*
 * The warnings of policy_finish(): sets no rule uses, net and cap rules
 * for apps that are not confined, rules that grant nothing new.
 */
void policy_lint(const struct policy *p, const struct parse_state *st,
		 struct diag_list *diags);

#endif /* WARD_POLICY_PARSE_INTERNAL_H */
