// SPDX-License-Identifier: GPL-2.0
/*
 * ward - policy compiler: struct policy to the entries of a policy map
 */

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "policy_compile.h"

__u64 kernel_dev(dev_t dev)
{
	/* MKDEV() in include/linux/kdev_t.h */
	return (__u64)major(dev) << 20 | minor(dev);
}

static struct policy_entry *add(struct compiled_policy *c, __u32 kind)
{
	struct policy_entry *e;

	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 64;

		e = realloc(c->entries, cap * sizeof(*e));
		if (!e)
			abort();
		c->entries = e;
		c->cap = cap;
	}
	e = &c->entries[c->n++];
	memset(e, 0, sizeof(*e));
	e->key.kind = kind;
	return e;
}

/* Adds one entry per existing path of @set; missing paths are warnings. */
static void add_inodes(const struct policy *p, struct compiled_policy *c,
		       const struct policy_set *set, __u32 id, __u32 kind,
		       struct diag_list *diags)
{
	const char *what = kind == WARD_KEY_OBJECT ? "files" : "app";

	for (size_t k = 0; k < set->n_paths; k++) {
		const struct policy_path *path = &set->paths[k];
		struct policy_entry *e;
		struct stat st;

		if (stat(path->path, &st)) {
			diag_add(diags, DIAG_WARNING, p->file, set->line,
				 path->col, "%s '%s': '%s' skipped: %s", what,
				 set->name, path->path, strerror(errno));
			continue;
		}
		if (kind == WARD_KEY_EXE && !S_ISREG(st.st_mode)) {
			diag_add(
				diags, DIAG_ERROR, p->file, set->line,
				path->col,
				"app '%s': '%s' is not a regular file: name the executable",
				set->name, path->path);
			continue;
		}
		e = add(c, kind);
		e->key.inode.dev = kernel_dev(st.st_dev);
		e->key.inode.ino = st.st_ino;
		e->value.label = id;
		e->line = set->line;
		e->col = path->col;
	}
}

/* Orders by key, then by source position so the first written wins. */
static int entry_cmp(const void *a, const void *b)
{
	const struct policy_entry *x = a, *y = b;
	int cmp = memcmp(&x->key, &y->key, sizeof(x->key));

	if (cmp)
		return cmp;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return x->col < y->col ? -1 : x->col > y->col;
}

/*
 * Sorts the entries and folds duplicate keys: rules for one (label, app)
 * pair merge their access; one inode in two files sets (through a hard
 * link, a symlink or a bind mount) or one executable in two apps is an
 * error, as its label or app would be ambiguous.
 */
static void fold(const struct policy *p, struct compiled_policy *c,
		 struct diag_list *diags)
{
	size_t n = 0;

	qsort(c->entries, c->n, sizeof(*c->entries), entry_cmp);
	for (size_t i = 0; i < c->n; i++) {
		struct policy_entry *e = &c->entries[i];
		struct policy_entry *prev = n ? &c->entries[n - 1] : NULL;

		if (!prev || memcmp(&prev->key, &e->key, sizeof(e->key))) {
			c->entries[n++] = *e;
			continue;
		}
		if (e->key.kind == WARD_KEY_RULE) {
			prev->value.access |= e->value.access;
		} else if (prev->value.label != e->value.label) {
			bool obj = e->key.kind == WARD_KEY_OBJECT;
			const struct policy_set *sets = obj ? p->files :
							      p->apps;

			diag_add(
				diags, DIAG_ERROR, p->file, e->line, e->col,
				"this is the same file as one in %s '%s' (line %u): a file can be in one %s only",
				obj ? "files" : "app",
				sets[prev->value.label - 1].name, prev->line,
				obj ? "files set" : "app");
		}
	}
	c->n = n;
}

int policy_compile(const struct policy *p, struct compiled_policy *out,
		   struct diag_list *diags)
{
	size_t errors = diags->errors;
	struct policy_entry *e;

	memset(out, 0, sizeof(*out));
	_Static_assert(sizeof(out->info.name) == sizeof(p->name), "name");
	_Static_assert(sizeof(out->info.version) == sizeof(p->version),
		       "version");
	memcpy(out->info.name, p->name, sizeof(p->name));
	memcpy(out->info.version, p->version, sizeof(p->version));
	memcpy(out->info.sha256, p->sha256, sizeof(out->info.sha256));
	out->info.loaded_at = time(NULL);

	e = add(out, WARD_KEY_META);
	e->value.mode = p->mode;
	for (size_t i = 0; i < p->n_files; i++)
		add_inodes(p, out, &p->files[i], i + 1, WARD_KEY_OBJECT, diags);
	for (size_t i = 0; i < p->n_apps; i++)
		add_inodes(p, out, &p->apps[i], i + 1, WARD_KEY_EXE, diags);
	for (size_t i = 0; i < p->n_rules; i++) {
		const struct policy_rule *r = &p->rules[i];

		for (size_t k = 0; k < r->n_files; k++) {
			e = add(out, WARD_KEY_RULE);
			e->key.rule.label = r->files[k] + 1;
			e->key.rule.app = r->app + 1;
			e->value.access = r->access;
			e->line = r->line;
		}
	}
	fold(p, out, diags);

	for (size_t i = 0; i < out->n; i++) {
		switch (out->entries[i].key.kind) {
		case WARD_KEY_OBJECT:
			out->info.objects++;
			break;
		case WARD_KEY_EXE:
			out->info.exes++;
			break;
		case WARD_KEY_RULE:
			out->info.rules++;
			break;
		}
	}
	if (out->n > WARD_POLICY_MAX_ENTRIES)
		diag_add(
			diags, DIAG_ERROR, p->file, 0, 0,
			"the policy needs %zu kernel entries, more than the %d allowed: cover directories rather than files",
			out->n, WARD_POLICY_MAX_ENTRIES);
	return diags->errors == errors ? 0 : -EINVAL;
}

void compiled_policy_free(struct compiled_policy *c)
{
	free(c->entries);
	memset(c, 0, sizeof(*c));
}
