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

#include "htab.h"
#include "policy_cover.h"
#include "xalloc.h"

/* A directory above labelled objects, and the labels it covers. */
struct dir_cover {
	struct ward_inode_ref inode;
	__u32 *labels; /* sorted and unique once every object is added */
	size_t n, cap;
	__u32 cover;
};

/* The directories from the root down to one, as indexes of covers.dirs. */
struct chain {
	size_t *dirs;
	size_t n;
};

/* Entries first to first + n - 1 of the sorted ones. */
struct entry_range {
	size_t first, n;
};

/* A label's LABEL entry (its index + 1, 0 for none), rules, user-set rules. */
struct label_index {
	size_t info;
	struct entry_range rules, users;
};

/*
 * A policy of a million files has a handful of directories above them:
 * each directory is looked up once, by path and by inode, not once for
 * each object beneath it.
 */
struct covers {
	struct compiled_policy *c;
	size_t n_entries; /* of @c, sorted, before this adds any */
	struct label_index *labels; /* by label, below @n_labels */
	__u32 n_labels;
	struct dir_cover *dirs;
	size_t n_dirs, cap_dirs;
	struct htab by_inode; /* -> index of dirs; keys allocated here */
	struct htab by_path; /* a real path -> index of dirs; keys here */
	struct htab parents; /* a parent as written -> index of chains */
	struct chain *chains;
	size_t n_chains, cap_chains;
};

static int key_cmp(const void *a, const void *b)
{
	const struct policy_entry *x = a, *y = b;

	return policy_key_cmp(&x->key, &y->key);
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

static size_t dir_of(struct covers *cv, const struct ward_inode_ref *inode)
{
	size_t *index = htab_get(&cv->by_inode, (const char *)inode,
				 sizeof(*inode));
	struct ward_inode_ref *key;
	struct dir_cover *d;

	if (index)
		return *index;
	if (cv->n_dirs == cv->cap_dirs) {
		cv->cap_dirs = cv->cap_dirs ? 2 * cv->cap_dirs : 64;
		cv->dirs = xrealloc(cv->dirs, cv->cap_dirs, sizeof(*cv->dirs));
	}
	d = &cv->dirs[cv->n_dirs];
	memset(d, 0, sizeof(*d));
	d->inode = *inode;
	key = xcalloc(1, sizeof(*key));
	*key = *inode;
	htab_put(&cv->by_inode, (const char *)key, sizeof(*key), cv->n_dirs);
	return cv->n_dirs++;
}

static void dir_add(struct dir_cover *d, __u32 label)
{
	if (!label)
		return;
	if (d->n == d->cap) {
		d->cap = d->cap ? 2 * d->cap : 8;
		d->labels = xrealloc(d->labels, d->cap, sizeof(*d->labels));
	}
	d->labels[d->n++] = label;
}

static int label_cmp(const void *a, const void *b)
{
	__u32 x = *(const __u32 *)a, y = *(const __u32 *)b;

	return x < y ? -1 : x > y;
}

/*
 * Sorts @d's labels, all below @n_labels, and drops the repeated ones.  A
 * directory above most objects (the root, each one above the policy's
 * directories) holds most labels: marked in a bitmap and read back in
 * order, they cost less than sorting them.
 */
static void dir_settle(struct dir_cover *d, size_t n_labels)
{
	bool below = d->n >= 1024 && d->n >= n_labels / 16;
	size_t n = 0;

	for (size_t i = 0; below && i < d->n; i++)
		below = d->labels[i] < n_labels;
	if (below) {
		size_t words = n_labels / 64 + 1;
		__u64 *bits = xcalloc(words, sizeof(*bits));

		for (size_t i = 0; i < d->n; i++)
			bits[d->labels[i] / 64] |= 1ULL << (d->labels[i] % 64);
		for (size_t w = 0; w < words; w++)
			for (__u64 b = bits[w]; b; b &= b - 1)
				d->labels[n++] = w * 64 + __builtin_ctzll(b);
		free(bits);
		d->n = n;
		return;
	}
	qsort(d->labels, d->n, sizeof(*d->labels), label_cmp);
	for (size_t i = 0; i < d->n; i++)
		if (!n || d->labels[n - 1] != d->labels[i])
			d->labels[n++] = d->labels[i];
	d->n = n;
}

/* The directory at the real path @real (@len bytes), or -1. */
static ssize_t dir_at(struct covers *cv, const char *real, size_t len)
{
	size_t *index = htab_get(&cv->by_path, real, len);
	struct ward_inode_ref inode;
	struct stat st;
	char *key;

	if (index)
		return *index;
	key = xstrndup(real, len);
	if (stat(key, &st)) {
		free(key);
		return -1;
	}
	inode.dev = kernel_dev(st.st_dev);
	inode.ino = st.st_ino;
	return *htab_put(&cv->by_path, key, len, dir_of(cv, &inode));
}

/*
 * Every directory from the root down to the real path @real: each covers
 * the label it has itself, its own or the nearest one above it.  Returns
 * the index of the chain in cv->chains, or -1 when a directory is gone.
 */
static ssize_t chain_of(struct covers *cv, const char *real)
{
	size_t len = strlen(real);
	struct chain ch = { xcalloc(len + 1, sizeof(*ch.dirs)), 0 };
	__u32 inherited = 0;

	for (size_t end = 1; end <= len; end++) {
		ssize_t d;

		if (end < len && real[end] != '/' && end != 1)
			continue;
		if (end == len && end > 1 && real[end - 1] == '/')
			continue;
		/* The root, then each directory: "/", "/etc", "/etc/ssh". */
		d = dir_at(cv, real, end);
		if (d < 0) {
			free(ch.dirs);
			return -1;
		}
		if (own_label(cv, &cv->dirs[d].inode))
			inherited = own_label(cv, &cv->dirs[d].inode);
		dir_add(&cv->dirs[d], inherited);
		ch.dirs[ch.n++] = d;
		if (end == 1 && len == 1)
			break;
	}
	if (cv->n_chains == cv->cap_chains) {
		cv->cap_chains = cv->cap_chains ? 2 * cv->cap_chains : 64;
		cv->chains = xrealloc(cv->chains, cv->cap_chains,
				      sizeof(*cv->chains));
	}
	cv->chains[cv->n_chains] = ch;
	return cv->n_chains++;
}

/*
 * The directories above the object at @path: those of its parent's real
 * path, found once for all the objects in one directory, unless its name
 * is a symbolic link (or not known not to be: !@plain), or not a plain
 * name.
 */
static ssize_t ancestors(struct covers *cv, const char *path, bool plain)
{
	const char *slash = strrchr(path, '/'), *base = slash + 1;
	size_t parent = slash == path ? 1 : (size_t)(slash - path);
	char real[PATH_MAX], written[PATH_MAX];
	struct stat st;
	size_t *index;
	ssize_t ch;

	if (!slash || !*base || !strcmp(base, ".") || !strcmp(base, "..") ||
	    (!plain && (lstat(path, &st) || S_ISLNK(st.st_mode)))) {
		char *end;

		if (!realpath(path, real))
			return -1;
		end = strrchr(real, '/');
		if (!end[1])
			return -1; /* the root: nothing above */
		*(end == real ? end + 1 : end) = '\0';
		return chain_of(cv, real);
	}
	index = htab_get(&cv->parents, path, parent);
	if (index)
		return *index;
	if (parent >= sizeof(written))
		return -1;
	memcpy(written, path, parent);
	written[parent] = '\0';
	if (!realpath(written, real))
		return -1;
	ch = chain_of(cv, real);
	/* The key is the start of @path, an entry's that outlives @cv. */
	if (ch >= 0)
		htab_put(&cv->parents, path, parent, ch);
	return ch;
}

/* Every directory above the object at @path covers its @label. */
static void add_ancestors(struct covers *cv, const char *path, bool plain,
			  __u32 label)
{
	ssize_t ch = ancestors(cv, path, plain);

	if (ch < 0)
		return;
	for (size_t i = 0; i < cv->chains[ch].n; i++)
		dir_add(&cv->dirs[cv->chains[ch].dirs[i]], label);
}

static int labels_cmp(const void *a, const void *b)
{
	const struct dir_cover *x = a, *y = b;

	if (x->n != y->n)
		return x->n < y->n ? -1 : 1;
	return memcmp(x->labels, y->labels, x->n * sizeof(*x->labels));
}

/* What compile_cover() needs of a label: one array lookup finds it. */
static const struct label_index *index_of(const struct covers *cv,
					  __u32 label)
{
	static const struct label_index none;

	return label < cv->n_labels ? &cv->labels[label] : &none;
}

/* What the rule of @subject among @r grants. */
static __u32 rule(const struct covers *cv, const struct entry_range *r,
		  __u32 subject)
{
	for (size_t i = r->first; i < r->first + r->n; i++)
		if (cv->c->entries[i].key.rule.subject == subject)
			return cv->c->entries[i].value.access;
	return 0;
}

/*
 * Narrows @users, for each access bit that @any does not grant on @label,
 * to the user sets that hold it on @label.
 */
static void holders(const struct covers *cv, __u32 label, __u32 any,
		    __u64 *users)
{
	const struct entry_range *r = &index_of(cv, label)->users;
	__u64 held[WARD_ACCESS_BITS] = { 0 };

	for (size_t i = r->first; i < r->first + r->n; i++) {
		const struct policy_entry *e = &cv->c->entries[i];

		if (e->key.rule.subject < WARD_ACCESS_BITS)
			held[e->key.rule.subject] = e->value.users;
	}
	for (__u32 bit = 0; bit < WARD_ACCESS_BITS; bit++)
		if (!(any & (1U << bit)))
			users[bit] &= held[bit];
}

/*
 * Indexes the sorted entries by label: a label's rules (and user-set
 * rules) are together among them.
 */
static void index_labels(struct covers *cv, __u32 n_labels)
{
	cv->n_labels = n_labels + 1;
	cv->labels = xcalloc_written(cv->n_labels, sizeof(*cv->labels));
	for (size_t i = 0; i < cv->n_entries; i++) {
		const struct ward_policy_key *k = &cv->c->entries[i].key;
		struct entry_range *r;

		if (k->kind == WARD_KEY_LABEL && k->id.id < cv->n_labels) {
			cv->labels[k->id.id].info = i + 1;
			continue;
		}
		if ((k->kind != WARD_KEY_RULE &&
		     k->kind != WARD_KEY_USERS_RULE) ||
		    k->aux || k->rule.label >= cv->n_labels)
			continue;
		r = k->kind == WARD_KEY_RULE ? &cv->labels[k->rule.label].rules :
					       &cv->labels[k->rule.label].users;
		if (!r->n)
			r->first = i;
		r->n++;
	}
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

/*
 * The subjects with a rule on some label of @d.  The labels of many files
 * mostly have the same few subjects: a subject just added is not added
 * again, so that the sort is of about as many as there are.
 */
static size_t subjects_of(const struct covers *cv, const struct dir_cover *d,
			  __u32 **out)
{
	__u32 *subjects = NULL;
	size_t n = 0, cap = 0, kept = 0;

	for (size_t k = 0; k < d->n; k++) {
		const struct entry_range *r = &index_of(cv, d->labels[k])->rules;

		for (size_t i = r->first; i < r->first + r->n; i++) {
			if (n && subjects[n - 1] ==
					 cv->c->entries[i].key.rule.subject)
				continue;
			if (n == cap) {
				cap = cap ? 2 * cap : 8;
				subjects = xrealloc(subjects, cap,
						    sizeof(*subjects));
			}
			subjects[n++] = cv->c->entries[i].key.rule.subject;
		}
	}
	if (n)
		qsort(subjects, n, sizeof(*subjects), label_cmp);
	for (size_t i = 0; i < n; i++)
		if (!kept || subjects[kept - 1] != subjects[i])
			subjects[kept++] = subjects[i];
	*out = subjects;
	return kept;
}

/* The label, rules and user-set rules of the cover label of @d. */
static void compile_cover(struct covers *cv, const struct dir_cover *d)
{
	struct policy_entry *e = add(cv, WARD_KEY_LABEL);
	__u32 *subjects, *any, unit = 0;
	__u64 users[WARD_ACCESS_BITS];
	size_t n_subjects;
	bool one_unit = true;

	e->key.id.id = d->cover;
	for (__u32 bit = 0; bit < WARD_ACCESS_BITS; bit++)
		users[bit] = ~0ULL;
	for (size_t i = 0; i < d->n; i++) {
		size_t at = index_of(cv, d->labels[i])->info;
		const struct policy_entry *info;

		if (!at)
			continue;
		info = &cv->c->entries[at - 1];
		e->value.label_info.protects |= info->value.label_info.protects;
		e->value.label_info.audit |= info->value.label_info.audit;
		if (i && info->value.label_info.unit != unit)
			one_unit = false;
		unit = info->value.label_info.unit;
	}
	/* An app's own mode waives no other file's protection. */
	e->value.label_info.unit = one_unit ? unit : 0xffff;

	any = xcalloc(d->n + 1, sizeof(*any));
	for (size_t i = 0; i < d->n; i++)
		any[i] = rule(cv, &index_of(cv, d->labels[i])->rules,
			      WARD_SUBJECT_ANY);
	n_subjects = subjects_of(cv, d, &subjects);
	for (size_t s = 0; s < n_subjects; s++) {
		__u32 access = WARD_ACCESS_ALL;

		for (size_t i = 0; i < d->n && access; i++)
			access &= any[i] |
				  rule(cv, &index_of(cv, d->labels[i])->rules,
				       subjects[s]);
		if (!access)
			continue;
		e = add(cv, WARD_KEY_RULE);
		e->key.rule.label = d->cover;
		e->key.rule.subject = subjects[s];
		e->value.access = access;
	}
	free(subjects);
	for (size_t i = 0; i < d->n; i++)
		holders(cv, d->labels[i], any[i], users);
	free(any);
	for (__u32 bit = 0; bit < WARD_ACCESS_BITS; bit++) {
		/* Every user set through "any" is the rule for any. */
		if (!users[bit] || users[bit] == ~0ULL)
			continue;
		e = add(cv, WARD_KEY_USERS_RULE);
		e->key.rule.label = d->cover;
		e->key.rule.subject = bit;
		e->value.users = users[bit];
	}
}

void policy_cover(struct compiled_policy *c, __u32 *next_label)
{
	struct covers cv = { .c = c, .n_entries = c->n };
	struct dir_cover *sorted;

	for (size_t i = 0; i < cv.n_entries; i++) {
		const struct policy_entry *e = &c->entries[i];

		if (e->key.kind == WARD_KEY_OBJECT && e->path)
			add_ancestors(&cv, e->path, e->plain, e->value.label);
	}
	for (size_t i = 0; i < cv.n_chains; i++)
		free(cv.chains[i].dirs);
	free(cv.chains);
	htab_free(&cv.parents);
	for (size_t i = 0; i < cv.by_path.n; i++)
		free((char *)cv.by_path.entries[i].key);
	htab_free(&cv.by_path);
	for (size_t i = 0; i < cv.by_inode.n; i++)
		free((char *)cv.by_inode.entries[i].key);
	htab_free(&cv.by_inode);
	if (!cv.n_dirs)
		return;
	for (size_t i = 0; i < cv.n_dirs; i++)
		dir_settle(&cv.dirs[i], (size_t)*next_label + 1);
	index_labels(&cv, *next_label);
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
	free(cv.labels);
}
