/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ward - cover labels: one label for a directory and all it holds
 */

#ifndef WARD_POLICY_COVER_H
#define WARD_POLICY_COVER_H

#include "policy_compile.h"

/**
 * policy_cover - add the cover labels of @c's directories
 * @c: a compiled policy, folded (sorted, keys unique), whose
 *     WARD_KEY_OBJECT entries carry the paths they were found at
 * @next_label: the last label used; cover labels are numbered after it
 *
 * For every directory above a labelled object: a WARD_KEY_BENEATH entry
 * naming the cover label of the set of labels it covers (those of the
 * objects beneath, and its own or inherited one); for each set, the
 * cover's label properties (what any of the set protects and audits) and
 * its rules (what every label of the set grants a subject, by a rule for
 * any or for that subject).  The entries are appended unsorted: fold
 * again.
 */
void policy_cover(struct compiled_policy *c, __u32 *next_label);

#endif /* WARD_POLICY_COVER_H */
