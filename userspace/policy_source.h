/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ward - the active policy's text, kept in the kernel
 *
 * "ward policy show" and "ward policy diff" read the policy back from the
 * kernel, not from files that may have changed since: its canonical text
 * (policy_print()) is kept in a frozen BPF array pinned as
 * WARD_PIN_DIR/maps/ward_source, replaced along with the policy.
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
 * Parses the active policy into @p (from policy_init()), for its names;
 * quietly leaves @p empty when ward does not run or the text is unusable.
 */
void source_names(struct policy *p);

#endif /* WARD_POLICY_SOURCE_H */
