/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ward - from policy files to the active policy
 */

#ifndef WARD_POLICY_LOAD_H
#define WARD_POLICY_LOAD_H

#include "policy_compile.h"
#include "policy_files.h"
#include "policy_map.h"

/**
 * struct built_policy - a policy ready for the kernel
 * @files: the files it was made of
 * @policy: as parsed
 * @compiled: as compiled
 * @text: its canonical text
 * @diags: what parsing and compiling had to say
 */
struct built_policy {
	struct policy_files files;
	struct policy policy;
	struct compiled_policy compiled;
	char *text;
	struct diag_list diags;
};

/*
 * Collects the files of @args (none: the layered policy directories),
 * parses, checks and compiles them, for a ward pinned in @pins (NULL: for
 * no ward).  Returns 0, or -EINVAL when an error was found; either way @b
 * holds the diagnostics.
 */
int policy_build(struct built_policy *b, char **args, size_t n_args,
		 const char *pins);

/*
 * The same from @text, the canonical text of a policy as one file
 * ("<active policy>"), for the running ward; compiled only with @compile.
 */
int policy_build_text(struct built_policy *b, const char *text, bool compile);

/*
 * Prints @b's diagnostics on stderr, or for a policy refused in JSON mode
 * an {"error", "diagnostics"} object.
 */
void policy_report(const struct built_policy *b, int err);

void built_policy_free(struct built_policy *b);

/*
 * Makes @b the active policy: the policy map swapped in at once, then its
 * text pinned under @maps_dir.  Returns 0 or -1 after p_err().
 */
int policy_activate(const struct ward_maps *maps, const char *maps_dir,
		    const struct built_policy *b);

/*
 * policy_activate() in the running ward, then says so: "ward: @what:
 * policy ...", or {"@what": true, ...}.  Returns 0 or -1 after p_err().
 */
int policy_activate_running(const struct built_policy *b, const char *what);

#endif /* WARD_POLICY_LOAD_H */
