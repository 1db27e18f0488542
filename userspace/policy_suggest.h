/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ward - "ward policy suggest": rules from refused accesses
 *
 * Like audit2allow and aa-logprof: from denial and complain events (JSON
 * Lines as "ward --json log drain" prints them), the allow rules that
 * would have let them pass, for the administrator to review.
 */

#ifndef WARD_POLICY_SUGGEST_H
#define WARD_POLICY_SUGGEST_H

/*
 * Reads events from @file ("-": standard input; NULL: standard input, or
 * the kernel's event buffer when standard input is a terminal) and prints
 * the suggested rules.  Returns 0 or -1 after p_err().
 */
int policy_suggest(const char *file);

#endif /* WARD_POLICY_SUGGEST_H */
