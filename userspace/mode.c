// SPDX-License-Identifier: GPL-2.0
/*
 * ward - "ward mode enforce|complain [APP...]": the mode of the active
 * policy, or of some of its apps
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "change.h"
#include "lock.h"
#include "main.h"
#include "output.h"
#include "pin.h"
#include "policy_load.h"
#include "policy_names.h"
#include "policy_source.h"
#include "system.h"

#define MODE_USAGE "mode enforce|complain [APP...]"

/* Sets the default mode, or with @apps the mode of each app in @p. */
static int set_mode(struct policy *p, __u32 mode, int n_apps, char **apps)
{
	if (!n_apps)
		p->mode = mode;
	for (int i = 0; i < n_apps; i++) {
		size_t k;

		for (k = 0; k < p->n_apps; k++)
			if (!strcmp(p->apps[k].name, apps[i]))
				break;
		if (k == p->n_apps)
			return p_err(
				"no app '%s' in the active policy: see 'ward policy show'",
				apps[i]);
		p->apps[k].mode = mode == WARD_MODE_COMPLAIN ?
					  WARD_APP_MODE_COMPLAIN :
					  WARD_APP_MODE_ENFORCE;
	}
	return 0;
}

/*
 * The mode is changed in the active policy's text, which is then loaded
 * like any policy: until the next load from disk, "ward policy show"
 * and "ward policy diff" show the change.
 */
int do_mode(int argc, char **argv)
{
	struct built_policy active, changed;
	char *text;
	__u32 mode;
	int err;

	err = cmd_options(&argc, &argv, NULL, CMD_OPERANDS_ANY, MODE_USAGE);
	if (err)
		return err;
	if (argc < 1 || !policy_mode_named(argv[0], strlen(argv[0]), &mode))
		return cmd_usage(MODE_USAGE);
	if (require_root())
		return -1;
	if (!ward_running())
		return p_err("ward is not running: start it with 'ward start'");
	if (mode == WARD_MODE_COMPLAIN &&
	    require_unlocked(WARD_CHANGE_MODE, argv[0],
			     "its mode cannot be lowered to complain"))
		return -1;
	text = source_read();
	if (!text)
		return -1;
	err = policy_build_text(&active, text, false);
	policy_report(&active, err);
	free(text);
	if (!err)
		err = set_mode(&active.policy, mode, argc - 1, argv + 1);
	if (!err) {
		size_t len;
		FILE *out = open_memstream(&text, &len);

		if (!out)
			abort();
		policy_print(&active.policy, out);
		fclose(out);
		err = policy_build_text(&changed, text, true);
		policy_report(&changed, err);
		free(text);
		if (!err)
			err = policy_activate_running(&changed, "mode changed");
		if (!err)
			change_report(-1, WARD_CHANGE_MODE, argv[0], 0);
		built_policy_free(&changed);
	}
	built_policy_free(&active);
	return err ? -1 : 0;
}
