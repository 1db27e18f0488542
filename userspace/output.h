/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ward - how the tool talks: plain text or JSON, and one-line errors
 */

#ifndef WARD_OUTPUT_H
#define WARD_OUTPUT_H

#include <stdbool.h>
#include <json-c/json.h>

/* Set by -j/--json: every printer emits JSON, errors included. */
extern bool json_output;
/* Set by -p/--pretty: JSON is indented (implies --json). */
extern bool pretty_output;

/*
 * Reports an error: "ward: FMT" on stderr, or {"error": "FMT"} on stdout in
 * JSON mode, as bpftool does.  Returns -1 so callers can "return p_err()".
 */
int p_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A warning on stderr; JSON mode keeps stdout for the result. */
void p_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Prints @obj as one JSON document followed by a newline, then frees it. */
void json_print(json_object *obj);

#endif /* WARD_OUTPUT_H */
