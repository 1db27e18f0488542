/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ward - what the kernel keeps of the active policy for its readers: its
 * text and its app names
 *
 * "ward policy show" and "ward policy diff" read the policy back from the
 * kernel, not from files that may have changed since: its canonical text
 * (policy_print()) is kept in a frozen BPF array pinned as
 * WARD_PIN_DIR/maps/ward_source, replaced along with the policy.  Events
 * name apps by id: "ward log" and "ward policy suggest" find their names
 * in the pinned ward_app_names (policy_map.c keeps it).
 */

#ifndef WARD_POLICY_SOURCE_H
#define WARD_POLICY_SOURCE_H

#include <stddef.h>

#include "policy.h"

#define WARD_SOURCE_MAP "ward_source"
#define WARD_SOURCE_CHUNK 4096

/*
 * Pins @text (NUL-terminated) as @maps_dir/ward_source, replacing what was
 * there in one rename.  Returns 0 or -errno.
 */
int source_store(const char *maps_dir, const char *text);

/* The active policy's text (to free()), or NULL after p_err(). */
char *source_read(void);

/*
 * The pinned ward_app_names map; -1, quietly, when ward does not run (a
 * running ward of another ABI is reported, as pin_open_map() does).
 */
int app_names_open(void);

/* The name of app @id in @fd (app_names_open(), or -1), or NULL. */
const char *app_name_of(int fd, __u32 id, struct ward_app_name *buf);

#endif /* WARD_POLICY_SOURCE_H */
