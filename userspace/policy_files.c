// SPDX-License-Identifier: GPL-2.0
/*
 * ward - which files make the policy
 */

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "policy_files.h"

static void add(struct policy_files *files, const char *dir, const char *name)
{
	char **paths =
		realloc(files->paths, (files->n + 1) * sizeof(*files->paths));

	if (!paths)
		abort();
	files->paths = paths;
	if (dir) {
		size_t len = strlen(dir);

		/* "policy/" and "policy" name the same files. */
		while (len > 1 && dir[len - 1] == '/')
			len--;
		if (asprintf(&paths[files->n], "%.*s/%s", (int)len, dir, name) <
		    0)
			abort();
	} else {
		paths[files->n] = strdup(name);
		if (!paths[files->n])
			abort();
	}
	files->n++;
}

static bool is_policy(const char *name)
{
	size_t len = strlen(name), suffix = strlen(WARD_POLICY_SUFFIX);

	return name[0] != '.' && len > suffix &&
	       !strcmp(name + len - suffix, WARD_POLICY_SUFFIX);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.policy names in @dir, sorted; a missing directory has none. */
static int list_dir(const char *dir, char ***names, size_t *n, bool missing_ok,
		    struct diag_list *diags)
{
	struct dirent *de;
	DIR *d = opendir(dir);

	*names = NULL;
	*n = 0;
	if (!d) {
		if (errno == ENOENT && missing_ok)
			return 0;
		diag_add(diags, DIAG_ERROR, dir, 0, 0, "cannot read: %s",
			 strerror(errno));
		return -EINVAL;
	}
	while ((de = readdir(d))) {
		char **more;

		if (!is_policy(de->d_name))
			continue;
		more = realloc(*names, (*n + 1) * sizeof(**names));
		if (!more)
			abort();
		*names = more;
		(*names)[(*n)++] = strdup(de->d_name);
	}
	closedir(d);
	qsort(*names, *n, sizeof(**names), by_name);
	return 0;
}

static void free_names(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* A symlink to /dev/null masks the file of that name. */
static bool masked(const char *path)
{
	char target[PATH_MAX];
	ssize_t len = readlink(path, target, sizeof(target) - 1);

	if (len < 0)
		return false;
	target[len] = '\0';
	return !strcmp(target, "/dev/null");
}

/* Vendor and admin directories merged by name, admin winning. */
static int collect_layered(struct policy_files *files, struct diag_list *diags)
{
	char **vendor, **admin;
	size_t n_vendor, n_admin, v = 0, a = 0;
	int err;

	err = list_dir(WARD_VENDOR_DIR, &vendor, &n_vendor, true, diags);
	if (err)
		return err;
	err = list_dir(WARD_ADMIN_DIR, &admin, &n_admin, true, diags);
	if (err) {
		free_names(vendor, n_vendor);
		return err;
	}
	while (v < n_vendor || a < n_admin) {
		int cmp = v == n_vendor ? 1 :
			  a == n_admin	? -1 :
					  strcmp(vendor[v], admin[a]);
		char path[PATH_MAX];

		if (cmp < 0) {
			add(files, WARD_VENDOR_DIR, vendor[v++]);
			continue;
		}
		snprintf(path, sizeof(path), "%s/%s", WARD_ADMIN_DIR, admin[a]);
		if (!masked(path))
			add(files, WARD_ADMIN_DIR, admin[a]);
		a++;
		if (cmp == 0)
			v++;
	}
	free_names(vendor, n_vendor);
	free_names(admin, n_admin);
	return 0;
}

int policy_files_collect(struct policy_files *files, char **args, size_t n_args,
			 struct diag_list *diags)
{
	size_t errors = diags->errors;

	memset(files, 0, sizeof(*files));
	if (!n_args && collect_layered(files, diags))
		return -EINVAL;
	for (size_t i = 0; i < n_args; i++) {
		struct stat st;
		char **names;
		size_t n;

		if (stat(args[i], &st)) {
			diag_add(diags, DIAG_ERROR, args[i], 0, 0,
				 "cannot open: %s", strerror(errno));
			continue;
		}
		if (!S_ISDIR(st.st_mode)) {
			add(files, NULL, args[i]);
			continue;
		}
		if (list_dir(args[i], &names, &n, false, diags))
			continue;
		for (size_t k = 0; k < n; k++)
			add(files, args[i], names[k]);
		free_names(names, n);
	}
	if (!files->n && diags->errors == errors)
		diag_add(
			diags, DIAG_ERROR, n_args ? args[0] : WARD_ADMIN_DIR, 0,
			0,
			"no policy files (*%s) found: give a policy file or directory",
			WARD_POLICY_SUFFIX);
	return diags->errors == errors ? 0 : -EINVAL;
}

void policy_files_free(struct policy_files *files)
{
	for (size_t i = 0; i < files->n; i++)
		free(files->paths[i]);
	free(files->paths);
	memset(files, 0, sizeof(*files));
}
