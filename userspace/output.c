// SPDX-License-Identifier: GPL-2.0
/*
 * ward - how the tool talks: plain text or JSON, and one-line errors
 */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "output.h"

bool json_output;
bool pretty_output;

int p_err(const char *fmt, ...)
{
	va_list ap;

	char *msg;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	if (json_output) {
		json_object *obj = json_object_new_object();

		json_object_object_add(obj, "error",
				       json_object_new_string(msg ? msg : fmt));
		json_print(obj);
	} else {
		/* One write, so that concurrent messages do not interleave. */
		fprintf(stderr, "ward: %s\n", msg ? msg : fmt);
	}
	free(msg);
	return -1;
}

void p_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("ward: warning: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

void json_print(json_object *obj)
{
	int flags = pretty_output ? JSON_C_TO_STRING_PRETTY :
				    JSON_C_TO_STRING_PLAIN;

	puts(json_object_to_json_string_ext(
		obj, flags | JSON_C_TO_STRING_NOSLASHESCAPE));
	fflush(stdout);
	json_object_put(obj);
}
