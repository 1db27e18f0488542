// SPDX-License-Identifier: GPL-2.0
/*
 * ward - "ward policy install FILE..." and "ward policy remove NAME...":
 * the administrator's policy files, changed through ward
 *
 * The factory policy lets only ward and the package manager change ward's
 * own files, WARD_ADMIN_DIR among them (GB/T 39276 5.1.1.2 c): root edits
 * its policy through these commands.  A change is made only when the
 * layered policy it leads to has no error, and it is refused while ward
 * is locked: what loads at the next boot does not change behind a lock.
 * Each file goes in with one rename; nothing is half-installed.  The
 * change takes effect at the next "ward policy load".
 */

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "lock.h"
#include "main.h"
#include "output.h"
#include "pin.h"
#include "policy_files.h"
#include "policy_install.h"
#include "policy_load.h"
#include "system.h"
#include "xalloc.h"

/* A file an install or remove is about: its name, and the path to use. */
struct change {
	const char *name; /* in WARD_ADMIN_DIR */
	char *staged; /* the copy to install, NULL to remove */
};

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/* A policy file by its name, which decides its place in the order. */
struct entry {
	const char *name;
	char *path; /* NULL: none */
};

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->name,
		      ((const struct entry *)b)->name);
}

/*
 * The layered files with @changes made: a name installed replaces the
 * file of that name, vendor's or admin's; a name removed from the admin
 * directory gives way to the vendor file of that name, if any.
 */
static int changed_files(struct policy_files *out, const struct change *changes,
			 size_t n, struct diag_list *diags)
{
	struct policy_files now;
	struct entry *e;
	size_t m = 0;
	int err;

	err = policy_files_collect(&now, NULL, 0, diags);
	/* No file at all is fine: the install may add the first. */
	if (err && now.n)
		return err;
	diag_free(diags);
	e = xcalloc(now.n + n + 1, sizeof(*e));
	for (size_t i = 0; i < now.n; i++)
		e[m++] = (struct entry){ base_name(now.paths[i]),
					 xstrdup(now.paths[i]) };
	for (size_t c = 0; c < n; c++) {
		char vendor[PATH_MAX], *path = NULL;
		size_t i;

		snprintf(vendor, sizeof(vendor), "%s/%s", WARD_VENDOR_DIR,
			 changes[c].name);
		if (changes[c].staged)
			path = xstrdup(changes[c].staged);
		else if (!access(vendor, F_OK))
			path = xstrdup(vendor);
		for (i = 0; i < m && strcmp(e[i].name, changes[c].name); i++)
			;
		if (i == m)
			e[m++].name = changes[c].name;
		free(e[i].path);
		e[i].path = path;
	}
	qsort(e, m, sizeof(*e), by_name);
	memset(out, 0, sizeof(*out));
	out->paths = xcalloc(m + 1, sizeof(*out->paths));
	for (size_t i = 0; i < m; i++)
		if (e[i].path)
			out->paths[out->n++] = e[i].path;
	free(e);
	policy_files_free(&now);
	return 0;
}

/*
 * Copies @from to a hidden file beside its destination, which is what is
 * checked and then renamed into place; 0 or p_err().
 */
static int stage(const char *from, char **staged)
{
	char path[PATH_MAX], buf[65536];
	int in, out, err = 0;
	ssize_t got;

	in = open(from, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return p_err("cannot open %s: %s", from, strerror(errno));
	snprintf(path, sizeof(path), "%s/.%s.new", WARD_ADMIN_DIR,
		 base_name(from));
	out = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (out < 0) {
		close(in);
		return p_err("cannot write %s: %s", path, strerror(errno));
	}
	while ((got = read(in, buf, sizeof(buf))) > 0 && !err)
		if (write(out, buf, got) != got)
			err = p_err("cannot write %s: %s", path,
				    strerror(errno));
	if (!err && got < 0)
		err = p_err("cannot read %s: %s", from, strerror(errno));
	if (!err && fsync(out))
		err = p_err("cannot write %s: %s", path, strerror(errno));
	close(in);
	close(out);
	if (err)
		unlink(path);
	else
		*staged = xstrdup(path);
	return err;
}

static void unstage(struct change *changes, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (changes[i].staged)
			unlink(changes[i].staged);
		free(changes[i].staged);
	}
	free(changes);
}

/* Checks the policy @changes lead to; 0, or -1 after its diagnostics. */
static int check_changed(const struct change *changes, size_t n)
{
	struct policy_files files;
	struct diag_list diags = {};
	struct built_policy b;
	int err;

	err = changed_files(&files, changes, n, &diags);
	if (err) {
		diag_print(&diags, stderr);
		diag_free(&diags);
		return -1;
	}
	err = policy_build(&b, files.paths, files.n, NULL);
	policy_report(&b, err);
	built_policy_free(&b);
	policy_files_free(&files);
	if (err)
		return p_err("the policy would have errors: nothing changed");
	return 0;
}

static int require_changeable(void)
{
	if (require_root())
		return -1;
	if (ward_running() &&
	    require_unlocked(WARD_CHANGE_POLICY_FILES, NULL,
			     "its policy files cannot be changed"))
		return -1;
	if (mkdir(WARD_ADMIN_DIR, 0755) && errno != EEXIST)
		return p_err("cannot create %s: %s", WARD_ADMIN_DIR,
			     strerror(errno));
	return 0;
}

static void print_changed(const char *what, const struct change *changes,
			  size_t n)
{
	if (json_output) {
		json_object *obj = json_object_new_object();
		json_object *files = json_object_new_array();

		for (size_t i = 0; i < n; i++)
			json_object_array_add(
				files, json_object_new_string(changes[i].name));
		json_object_object_add(obj, what, files);
		json_print(obj);
		return;
	}
	for (size_t i = 0; i < n; i++)
		printf("ward: %s %s/%s\n", what, WARD_ADMIN_DIR,
		       changes[i].name);
	printf("ward: run 'ward policy load' to enforce it\n");
}

int do_policy_install(int argc, char **argv)
{
	struct change *changes;
	char path[PATH_MAX];
	int err;

	err = cmd_options(&argc, &argv, NULL, CMD_OPERANDS_ANY,
			  "policy install FILE...");
	if (err)
		return err;
	if (!argc)
		return cmd_usage("policy install FILE...");
	for (int i = 0; i < argc; i++) {
		const char *name = base_name(argv[i]);
		size_t len = strlen(name), suffix = strlen(WARD_POLICY_SUFFIX);

		if (name[0] == '.' || len <= suffix ||
		    strcmp(name + len - suffix, WARD_POLICY_SUFFIX))
			return p_err("%s: not a policy file name: NAME%s",
				     argv[i], WARD_POLICY_SUFFIX);
	}
	if (require_changeable())
		return -1;
	changes = xcalloc(argc, sizeof(*changes));
	for (int i = 0; i < argc && !err; i++) {
		changes[i].name = base_name(argv[i]);
		err = stage(argv[i], &changes[i].staged);
	}
	if (!err)
		err = check_changed(changes, argc);
	for (int i = 0; i < argc && !err; i++) {
		snprintf(path, sizeof(path), "%s/%s", WARD_ADMIN_DIR,
			 changes[i].name);
		if (rename(changes[i].staged, path))
			err = p_err("cannot install %s: %s", path,
				    strerror(errno));
	}
	if (!err)
		print_changed("installed", changes, argc);
	unstage(changes, argc);
	return err ? -1 : 0;
}

int do_policy_remove(int argc, char **argv)
{
	struct change *changes;
	char path[PATH_MAX];
	struct stat st;
	int err;

	err = cmd_options(&argc, &argv, NULL, CMD_OPERANDS_ANY,
			  "policy remove NAME...");
	if (err)
		return err;
	if (!argc)
		return cmd_usage("policy remove NAME...");
	if (require_changeable())
		return -1;
	changes = xcalloc(argc, sizeof(*changes));
	for (int i = 0; i < argc; i++) {
		changes[i].name = base_name(argv[i]);
		snprintf(path, sizeof(path), "%s/%s", WARD_ADMIN_DIR,
			 changes[i].name);
		if (lstat(path, &st)) {
			err = p_err("no %s: 'ls %s' lists what can be removed",
				    path, WARD_ADMIN_DIR);
			break;
		}
	}
	if (!err)
		err = check_changed(changes, argc);
	for (int i = 0; i < argc && !err; i++) {
		snprintf(path, sizeof(path), "%s/%s", WARD_ADMIN_DIR,
			 changes[i].name);
		if (unlink(path))
			err = p_err("cannot remove %s: %s", path,
				    strerror(errno));
	}
	if (!err)
		print_changed("removed", changes, argc);
	unstage(changes, argc);
	return err ? -1 : 0;
}
