// SPDX-License-Identifier: GPL-2.0
/*
 * ward - cover labels: one label for a directory and all it holds
 *
 * Mounting on a directory, renaming it, or unmounting the file system it
 * is the root of, changes what the paths of every labelled object beneath
 * it name.  The kernel decides that as one access (mount, rename) on one
 * label that stands for the directory and all that is labelled beneath it
 * (WARD_KEY_BENEATH): each distinct set of labels found above objects is
 * compiled into a "cover" label of its own, whose rules grant what every
 * label of the set grants, so that one lookup decides.  A subject that
 * holds the access on one label of the set through an app rule and on
 * another through a user set is refused: the cover fails closed.
 */

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "policy_cover.h"
#include "xalloc.h"

/* A directory above labelled objects, and the labels it covers. */
struct dir_cover {
	struct ward_inode_ref inode;
	__u32 *labels; /* sorted, unique */
	size_t n, cap;
	__u32 cover;
};

struct covers {
	struct compiled_policy *c;
	size_t n_entries; /* of @c, sorted, before this adds any */
	struct dir_cover *dirs;
	size_t n_dirs, cap_dirs;
};

static int key_cmp(const void *a, const void *b)
{
	const struct policy_entry *x = a, *y = b;

	return memcmp(&x->key, &y->key, sizeof(x->key));
}

/* The entry with @key among the sorted ones, or NULL. */
static const struct policy_entry *find(const struct covers *cv,
				       const struct ward_policy_key *key)
{
	struct policy_entry probe = { .key = *key };

	return bsearch(&probe, cv->c->entries, cv->n_entries,
		       sizeof(*cv->c->entries), key_cmp);
}

/* The own label of @inode, 0 for none. */
static __u32 own_label(const struct covers *cv,
		       const struct ward_inode_ref *inode)
{
	struct ward_policy_key key = { .kind = WARD_KEY_OBJECT,
				       .inode = *inode };
	const struct policy_entry *e = find(cv, &key);

	return e ? e->value.label : 0;
}

static struct dir_cover *dir_of(struct covers *cv,
				const struct ward_inode_ref *inode)
{
	struct dir_cover *d;

	for (size_t i = 0; i < cv->n_dirs; i++)
		if (!memcmp(&cv->dirs[i].inode, inode, sizeof(*inode)))
			return &cv->dirs[i];
	if (cv->n_dirs == cv->cap_dirs) {
		cv->cap_dirs = cv->cap_dirs ? 2 * cv->cap_dirs : 64;
		cv->dirs = xrealloc(cv->dirs, cv->cap_dirs, sizeof(*cv->dirs));
	}
	d = &cv->dirs[cv->n_dirs++];
	memset(d, 0, sizeof(*d));
	d->inode = *inode;
	return d;
}

static void dir_add(struct dir_cover *d, __u32 label)
{
	size_t i = 0;

	if (!label)
		return;
	while (i < d->n && d->labels[i] < label)
		i++;
	if (i < d->n && d->labels[i] == label)
		return;
	if (d->n == d->cap) {
		d->cap = d->cap ? 2 * d->cap : 8;
		d->labels = xrealloc(d->labels, d->cap, sizeof(*d->labels));
	}
	memmove(d->labels + i + 1, d->labels + i,
		(d->n - i) * sizeof(*d->labels));
	d->labels[i] = label;
	d->n++;
}

/*
 * Every directory from the root down to the object at @path, which
 * carries @label: each covers @label, and the label it has itself, its
 * own or the nearest one above it.
 */
static void add_ancestors(struct covers *cv, const char *path, __u32 label)
{
	char real[PATH_MAX];
	__u32 inherited = 0;
	size_t len;

	if (!realpath(path, real))
		return;
	len = strlen(real);
	for (size_t end = 1; end < len; end++) {
		struct ward_inode_ref inode;
		struct dir_cover *d;
		struct stat st;
		char c;

		if (real[end] != '/' && end != 1)
			continue;
		/* The root, then each directory: "/", "/etc", "/etc/ssh". */
		c = real[end];
		real[end] = '\0';
		if (stat(end == 1 ? "/" : real, &st)) {
			real[end] = c;
			return;
		}
		real[end] = c;
		inode.dev = kernel_dev(st.st_dev);
		inode.ino = st.st_ino;
		if (own_label(cv, &inode))
			inherited = own_label(cv, &inode);
		d = dir_of(cv, &inode);
		dir_add(d, label);
		dir_add(d, inherited);
	}
}

static int labels_cmp(const void *a, const void *b)
{
	const struct dir_cover *x = a, *y = b;

	if (x->n != y->n)
		return x->n < y->n ? -1 : 1;
	return memcmp(x->labels, y->labels, x->n * sizeof(*x->labels));
}

static __u32 rule(const struct covers *cv, __u32 label, __u32 subject)
{
	struct ward_policy_key key = { .kind = WARD_KEY_RULE };
	const struct policy_entry *e;

	key.rule.label = label;
	key.rule.subject = subject;
	e = find(cv, &key);
	return e ? e->value.access : 0;
}

static __u64 holders(const struct covers *cv, __u32 label, __u32 bit)
{
	struct ward_policy_key key = { .kind = WARD_KEY_USERS_RULE };
	const struct policy_entry *e;

	key.rule.label = label;
	key.rule.subject = bit;
	e = find(cv, &key);
	return e ? e->value.users : 0;
}

static struct policy_entry *add(struct covers *cv, __u32 kind)
{
	struct compiled_policy *c = cv->c;
	struct policy_entry *e;

	if (c->n == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 64;
		c->entries = xrealloc(c->entries, c->cap, sizeof(*c->entries));
	}
	e = &c->entries[c->n++];
	memset(e, 0, sizeof(*e));
	e->key.kind = kind;
	return e;
}

/* The subjects with a rule on some label of @d, @any first. */
static size_t subjects_of(const struct covers *cv, const struct dir_cover *d,
			  __u32 **out)
{
	__u32 *subjects = NULL;
	size_t n = 0, cap = 0;

	for (size_t i = 0; i < cv->n_entries; i++) {
		const struct policy_entry *e = &cv->c->entries[i];
		bool in_set = false, seen = false;

		if (e->key.kind != WARD_KEY_RULE)
			continue;
		for (size_t k = 0; k < d->n && !in_set; k++)
			in_set = d->labels[k] == e->key.rule.label;
		for (size_t k = 0; k < n && !seen; k++)
			seen = subjects[k] == e->key.rule.subject;
		if (!in_set || seen)
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 8;
			subjects = xrealloc(subjects, cap, sizeof(*subjects));
		}
		subjects[n++] = e->key.rule.subject;
	}
	*out = subjects;
	return n;
}

/* The label, rules and user-set rules of the cover label of @d. */
static void compile_cover(struct covers *cv, const struct dir_cover *d)
{
	struct policy_entry *e = add(cv, WARD_KEY_LABEL);
	__u32 *subjects, unit = 0;
	size_t n_subjects;
	bool one_unit = true;

	e->key.id.id = d->cover;
	for (size_t i = 0; i < d->n; i++) {
		struct ward_policy_key key = { .kind = WARD_KEY_LABEL };
		const struct policy_entry *info;

		key.id.id = d->labels[i];
		info = find(cv, &key);
		if (!info)
			continue;
		e->value.label_info.protects |= info->value.label_info.protects;
		e->value.label_info.audit |= info->value.label_info.audit;
		if (i && info->value.label_info.unit != unit)
			one_unit = false;
		unit = info->value.label_info.unit;
	}
	/* An app's own mode waives no other file's protection. */
	e->value.label_info.unit = one_unit ? unit : 0xffff;

	n_subjects = subjects_of(cv, d, &subjects);
	for (size_t s = 0; s < n_subjects; s++) {
		__u32 access = WARD_ACCESS_ALL;

		for (size_t i = 0; i < d->n; i++)
			access &= rule(cv, d->labels[i], WARD_SUBJECT_ANY) |
				  rule(cv, d->labels[i], subjects[s]);
		if (!access)
			continue;
		e = add(cv, WARD_KEY_RULE);
		e->key.rule.label = d->cover;
		e->key.rule.subject = subjects[s];
		e->value.access = access;
	}
	free(subjects);
	for (__u32 bit = 0; bit < WARD_ACCESS_BITS; bit++) {
		__u64 users = ~0ULL;

		for (size_t i = 0; i < d->n; i++)
			if (!(rule(cv, d->labels[i], WARD_SUBJECT_ANY) &
			      (1U << bit)))
				users &= holders(cv, d->labels[i], bit);
		/* Every user set through "any" is the rule for any. */
		if (!users || users == ~0ULL)
			continue;
		e = add(cv, WARD_KEY_USERS_RULE);
		e->key.rule.label = d->cover;
		e->key.rule.subject = bit;
		e->value.users = users;
	}
}

void policy_cover(struct compiled_policy *c, __u32 *next_label)
{
	struct covers cv = { .c = c, .n_entries = c->n };
	struct dir_cover *sorted;

	for (size_t i = 0; i < cv.n_entries; i++) {
		const struct policy_entry *e = &c->entries[i];

		if (e->key.kind == WARD_KEY_OBJECT && e->path)
			add_ancestors(&cv, e->path, e->value.label);
	}
	if (!cv.n_dirs)
		return;
	/* One cover label for each distinct set of labels. */
	sorted = xrealloc(NULL, cv.n_dirs, sizeof(*sorted));
	memcpy(sorted, cv.dirs, cv.n_dirs * sizeof(*sorted));
	qsort(sorted, cv.n_dirs, sizeof(*sorted), labels_cmp);
	for (size_t i = 0; i < cv.n_dirs; i++) {
		if (!i || labels_cmp(&sorted[i - 1], &sorted[i])) {
			sorted[i].cover = ++*next_label;
			compile_cover(&cv, &sorted[i]);
		} else {
			sorted[i].cover = sorted[i - 1].cover;
		}
	}
	for (size_t i = 0; i < cv.n_dirs; i++) {
		struct policy_entry *e = add(&cv, WARD_KEY_BENEATH);

		e->key.inode = sorted[i].inode;
		e->value.label = sorted[i].cover;
		free(sorted[i].labels);
	}
	free(sorted);
	free(cv.dirs);
}
