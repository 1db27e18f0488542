/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ward - diagnostics about a policy, located as file:line:col
 */

#ifndef WARD_DIAG_H
#define WARD_DIAG_H

#include <stddef.h>
#include <stdio.h>
#include <json-c/json.h>

enum diag_severity {
	DIAG_ERROR,
	DIAG_WARNING,
};

/**
 * struct diag - one message about a policy
 * @file: the policy file
 * @line: 1-based line, 0 when the message is about the whole file
 * @col: 1-based column, 0 when the message is about the whole line
 * @severity: error (the policy is refused) or warning
 * @msg: what is wrong and, where it helps, what to do
 */
struct diag {
	char *file;
	unsigned int line;
	unsigned int col;
	enum diag_severity severity;
	char *msg;
};

struct diag_list {
	struct diag *v;
	size_t n;
	size_t cap;
	size_t errors;
};

void diag_add(struct diag_list *list, enum diag_severity severity,
	      const char *file, unsigned int line, unsigned int col,
	      const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* Prints each as "file:line:col: error: msg", as compilers do. */
void diag_print(const struct diag_list *list, FILE *out);

/* A JSON array of {file, line, col, severity, message}. */
json_object *diag_json(const struct diag_list *list);

void diag_free(struct diag_list *list);

#endif /* WARD_DIAG_H */
