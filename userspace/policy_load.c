// SPDX-License-Identifier: GPL-2.0
/*
 * ward - from policy files to the active policy
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "policy_load.h"
#include "policy_source.h"

int policy_build(struct built_policy *b, char **args, size_t n_args)
{
	size_t len;
	FILE *out;
	int err;

	memset(b, 0, sizeof(*b));
	policy_init(&b->policy);
	err = policy_files_collect(&b->files, args, n_args, &b->diags);
	for (size_t i = 0; !err && i < b->files.n; i++)
		if (policy_parse_file(&b->policy, b->files.paths[i], &b->diags))
			err = -EINVAL;
	if (!err)
		err = policy_finish(&b->policy, &b->diags);
	if (!err)
		err = policy_compile(&b->policy, &b->compiled, &b->diags);
	if (err)
		return err;
	out = open_memstream(&b->text, &len);
	if (!out)
		abort();
	policy_print(&b->policy, out);
	fclose(out);
	return 0;
}

void policy_report(const struct built_policy *b, int err)
{
	json_object *obj;

	if (!json_output || !err) {
		diag_print(&b->diags, stderr);
		return;
	}
	obj = json_object_new_object();
	json_object_object_add(obj, "error",
			       json_object_new_string("the policy has errors"));
	json_object_object_add(obj, "diagnostics", diag_json(&b->diags));
	json_print(obj);
}

void built_policy_free(struct built_policy *b)
{
	policy_files_free(&b->files);
	policy_free(&b->policy);
	compiled_policy_free(&b->compiled);
	free(b->text);
	diag_free(&b->diags);
}

int policy_activate(const struct ward_maps *maps, const char *maps_dir,
		    const struct built_policy *b)
{
	int err = policy_map_install(maps, &b->compiled);

	if (err == -EAGAIN)
		return p_err(
			"labelled files were replaced faster than the new policy could follow; the old one stays active: load it again");
	if (err)
		return p_err(
			"cannot install the policy: %s; the old one stays active",
			strerror(-err));
	err = source_store(maps_dir, b->text);
	if (err)
		return p_err(
			"the policy is active, but its text could not be kept for 'ward policy show': %s",
			strerror(-err));
	return 0;
}
