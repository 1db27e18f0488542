// SPDX-License-Identifier: GPL-2.0
/*
 * ward - diagnostics about a policy, located as file:line:col
 */

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"

static const char *const severity_name[] = {
	[DIAG_ERROR] = "error",
	[DIAG_WARNING] = "warning",
};

void diag_add(struct diag_list *list, enum diag_severity severity,
	      const char *file, unsigned int line, unsigned int col,
	      const char *fmt, ...)
{
	struct diag *d;
	va_list ap;

	if (list->n == list->cap) {
		size_t cap = list->cap ? list->cap * 2 : 8;
		struct diag *v = realloc(list->v, cap * sizeof(*v));

		if (!v)
			abort();
		list->v = v;
		list->cap = cap;
	}
	d = &list->v[list->n++];
	d->file = strdup(file);
	d->line = line;
	d->col = col;
	d->severity = severity;
	va_start(ap, fmt);
	if (vasprintf(&d->msg, fmt, ap) < 0 || !d->file)
		abort();
	va_end(ap);
	if (severity == DIAG_ERROR)
		list->errors++;
}

void diag_print(const struct diag_list *list, FILE *out)
{
	for (size_t i = 0; i < list->n; i++) {
		const struct diag *d = &list->v[i];

		fputs(d->file, out);
		if (d->line)
			fprintf(out, ":%u", d->line);
		if (d->col)
			fprintf(out, ":%u", d->col);
		fprintf(out, ": %s: %s\n", severity_name[d->severity], d->msg);
	}
}

json_object *diag_json(const struct diag_list *list)
{
	json_object *array = json_object_new_array();

	for (size_t i = 0; i < list->n; i++) {
		const struct diag *d = &list->v[i];
		json_object *obj = json_object_new_object();

		json_object_object_add(obj, "file",
				       json_object_new_string(d->file));
		json_object_object_add(obj, "line",
				       json_object_new_int(d->line));
		json_object_object_add(obj, "col", json_object_new_int(d->col));
		json_object_object_add(
			obj, "severity",
			json_object_new_string(severity_name[d->severity]));
		json_object_object_add(obj, "message",
				       json_object_new_string(d->msg));
		json_object_array_add(array, obj);
	}
	return array;
}

void diag_free(struct diag_list *list)
{
	for (size_t i = 0; i < list->n; i++) {
		free(list->v[i].file);
		free(list->v[i].msg);
	}
	free(list->v);
	memset(list, 0, sizeof(*list));
}
