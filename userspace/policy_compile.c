// SPDX-License-Identifier: GPL-2.0
/*
 * ward - policy compiler: struct policy to the entries of a policy map
 *
 * Paths become (device, inode) pairs, user and group names become ids,
 * port ranges become ports.  Entries are first collected, then sorted and
 * folded, so that rules for one (label, subject) pair merge.
 */

#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <time.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "fs_scan.h"
#include "htab.h"
#include "policy_compile.h"
#include "policy_cover.h"
#include "policy_names.h"
#include "xalloc.h"

__u64 kernel_dev(dev_t dev)
{
	/* MKDEV() in include/linux/kdev_t.h */
	return (__u64)major(dev) << 20 | minor(dev);
}

/*
 * An inode's label while compiling: an open-addressing hash table of 24
 * bytes a slot, which a million files probe at random; what only messages
 * and directory scans read is apart, in the order labels were taken.
 */
struct label_slot {
	struct ward_inode_ref inode;
	__u32 label; /* 0: empty slot */
	__u32 where; /* its index in compiler.where */
};

/* Where a labelled inode was found. */
struct label_where {
	struct policy_loc loc;
	const char *set; /* the files set, NULL for a path in a rule */
	const char *path;
	bool dir;
};

/* Labels numbered by the compiler, with what it knows of each. */
struct label_extra {
	bool fixed; /* a built-in: rules do not change what it protects */
};

/*
 * The directory of the last path resolved: open once a second path in a
 * row is in it (@fd -1: not yet, -2: it cannot be opened).
 */
struct dir_cache {
	char dir[PATH_MAX];
	size_t len;
	int fd;
};

/* What resolve_path() found of a path: what stat() said, or its errno. */
struct resolved {
	dev_t dev;
	ino_t ino;
	mode_t mode;
	int err;
	bool plain;
};

struct compiler {
	const struct policy *p;
	struct compiled_policy *c;
	struct diag_list *diags;
	struct policy_paths *paths; /* NULL: resolve each path as it comes */
	struct label_slot *labels;
	size_t n_slots, n_used;
	struct label_where *where; /* n_used of them */
	size_t where_cap;
	__u32 next_label;
	__u32 *set_labels; /* per files set; 0 when none of its paths exist */
	__u32 *exe_labels; /* per app */
	__u32 interp_label, storage_label;
	struct label_extra *extra; /* per label, from 1 */
	size_t extra_cap;
	size_t folded; /* the entries the last fold() left, in order */
	bool outside; /* the paths resolved are not the policy's: copy them */
	struct dir_cache dc;
};

/* The unit of built-in labels: no app's own mode reaches them. */
#define UNIT_BUILTIN 0xffffu

static struct policy_entry *add(struct compiler *cc, __u32 kind,
				const struct policy_loc *loc)
{
	struct compiled_policy *c = cc->c;
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
	if (loc) {
		e->loc = *loc;
		for (size_t i = 0; i < cc->p->n_units; i++)
			if (cc->p->units[i].file == loc->file)
				e->unit = i;
	}
	return e;
}

static __u32 new_label(struct compiler *cc, bool fixed)
{
	__u32 label = ++cc->next_label;

	if (label >= cc->extra_cap) {
		size_t cap = cc->extra_cap ? cc->extra_cap * 2 : 64;

		cc->extra = realloc(cc->extra, cap * sizeof(*cc->extra));
		if (!cc->extra)
			abort();
		memset(cc->extra + cc->extra_cap, 0,
		       (cap - cc->extra_cap) * sizeof(*cc->extra));
		cc->extra_cap = cap;
	}
	cc->extra[label].fixed = fixed;
	return label;
}

static size_t slot_index(const struct ward_inode_ref *inode, size_t mask)
{
	return (inode->dev * 0x9e3779b97f4a7c15ULL ^ inode->ino) *
		       0xff51afd7ed558ccdULL >>
	       17 & mask;
}

/* The slot of @inode: its own, or the empty one it would take. */
static struct label_slot *slot_of(struct compiler *cc,
				  const struct ward_inode_ref *inode)
{
	size_t mask = cc->n_slots - 1;

	for (size_t i = slot_index(inode, mask);; i = (i + 1) & mask) {
		struct label_slot *slot = &cc->labels[i];

		if (!slot->label || (slot->inode.dev == inode->dev &&
				     slot->inode.ino == inode->ino))
			return slot;
	}
}

/* Keeps the table at most half full. */
static void slots_grow(struct compiler *cc)
{
	struct label_slot *old = cc->labels;
	size_t n = cc->n_slots;

	if (2 * (cc->n_used + 1) <= n)
		return;
	cc->n_slots = n ? 2 * n : 64;
	cc->labels = xcalloc_written(cc->n_slots, sizeof(*cc->labels));
	for (size_t i = 0; i < n; i++)
		if (old[i].label)
			*slot_of(cc, &old[i].inode) = old[i];
	free(old);
}

/*
 * The path of an entry: the policy's own string, which outlives the
 * entries, unless @copy (found on disk, or not the policy's).
 */
static void entry_path(struct policy_entry *e, const char *path, bool copy)
{
	e->path = copy ? xstrdup(path) : (char *)path;
	e->own_path = copy;
}

/* Takes @slot for @inode: it holds @label now, and gets an entry. */
static void slot_take(struct compiler *cc, struct label_slot *slot,
		      const struct ward_inode_ref *inode, __u32 label,
		      const char *path, const struct policy_loc *loc,
		      const char *set, bool dir, bool plain, bool copy)
{
	struct policy_entry *e;

	if (cc->n_used >= UINT32_MAX)
		abort();
	GROW(cc->where, cc->n_used, cc->where_cap);
	cc->where[cc->n_used] = (struct label_where){
		.loc = *loc, .set = set, .path = path, .dir = dir
	};
	*slot = (struct label_slot){ .inode = *inode, .label = label,
				     .where = cc->n_used++ };
	e = add(cc, WARD_KEY_OBJECT, loc);
	e->key.inode = *inode;
	e->value.label = label;
	entry_path(e, path, copy);
	e->plain = plain;
}

static struct ward_inode_ref inode_of(const struct stat *st)
{
	return (struct ward_inode_ref){ .dev = kernel_dev(st->st_dev),
					.ino = st->st_ino };
}

/*
 * lstat(@path), relative to its directory held open when the path before
 * was in the same one: a policy of many files lists them directory by
 * directory, and the walk from the root to each cost more than the
 * lstat() itself.  The directory resolves as it would in the walk (the
 * last component alone is not followed); a name that is "." or "..", a
 * trailing slash or a path too long to walk go to lstat() as they are,
 * as does every path when the directory cannot be opened, so that errors
 * are lstat()'s own.
 */
static int lstat_in_dir(struct dir_cache *dc, const char *path, struct stat *st)
{
	const char *slash = strrchr(path, '/'), *name = slash + 1;
	size_t len = slash ? (size_t)(slash - path) : 0;

	if (!len || !*name || !strcmp(name, ".") || !strcmp(name, "..") ||
	    strlen(path) >= PATH_MAX)
		return lstat(path, st);
	if (len != dc->len || memcmp(dc->dir, path, len)) {
		if (dc->fd >= 0)
			close(dc->fd);
		memcpy(dc->dir, path, len);
		dc->dir[len] = '\0';
		dc->len = len;
		dc->fd = -1;
		return lstat(path, st);
	}
	if (dc->fd == -1) {
		dc->fd = open(dc->dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (dc->fd < 0)
			dc->fd = -2;
	}
	if (dc->fd < 0)
		return lstat(path, st);
	return fstatat(dc->fd, name, st, AT_SYMLINK_NOFOLLOW);
}

/*
 * stat() @path: 0 or an errno.  @plain: whether @path's last component is
 * the object itself, not a symbolic link to it (one lstat() tells both,
 * usually).
 */
static int resolve_path(struct dir_cache *dc, const char *path, struct stat *st,
			bool *plain)
{
	if (!lstat_in_dir(dc, path, st)) {
		*plain = !S_ISLNK(st->st_mode);
		if (*plain || !stat(path, st))
			return 0;
	}
	return errno;
}

/*
 * resolve_path() of @path of @kind ("files", "app") @name, or of a rule
 * when @name is NULL, unless @pre has what it found already; a missing
 * path is a warning, as is said in policy_compile.h.  Of @st, st_dev,
 * st_ino and st_mode are set.
 */
static bool resolve(struct compiler *cc, const struct policy_path *path,
		    const struct resolved *pre, const char *kind,
		    const char *name, struct stat *st, bool *plain)
{
	int err;

	if (pre) {
		err = pre->err;
		st->st_dev = pre->dev;
		st->st_ino = pre->ino;
		st->st_mode = pre->mode;
		*plain = pre->plain;
	} else {
		err = resolve_path(&cc->dc, path->path, st, plain);
	}
	if (!err)
		return true;
	if (name)
		diag_add(cc->diags, DIAG_WARNING, path->loc.file,
			 path->loc.line, path->loc.col,
			 "%s '%s': '%s' skipped: %s", kind, name, path->path,
			 strerror(err));
	else
		diag_add(cc->diags, DIAG_WARNING, path->loc.file,
			 path->loc.line, path->loc.col, "path '%s' skipped: %s",
			 path->path, strerror(err));
	return false;
}

/*
 * The label of the inode at @path: the one it already has, else @label
 * (0 for a new anonymous one).  An inode claimed by two files sets is an
 * error.  Returns 0 when the path does not exist.
 */
static __u32 label_path(struct compiler *cc, const struct policy_path *path,
			const struct resolved *pre, const char *set,
			__u32 label)
{
	struct ward_inode_ref inode;
	struct label_slot *slot;
	struct stat st;
	bool plain;

	if (!resolve(cc, path, pre, "files", set, &st, &plain))
		return 0;
	inode = inode_of(&st);
	slots_grow(cc);
	slot = slot_of(cc, &inode);
	if (slot->label) {
		const struct label_where *was = &cc->where[slot->where];

		if (set && was->set && slot->label != label)
			diag_add(
				cc->diags, DIAG_ERROR, path->loc.file,
				path->loc.line, path->loc.col,
				"'%s' is the same file as one in files '%s' (%s:%u): a file can be in one set only",
				path->path, was->set, was->loc.file,
				was->loc.line);
		return slot->label;
	}
	if (!label)
		label = new_label(cc, false);
	slot_take(cc, slot, &inode, label, path->path, &path->loc, set,
		  S_ISDIR(st.st_mode), plain, cc->outside);
	return label;
}

/*
 * Fewer paths than this are resolved as they come: a thread costs more
 * than it saves.
 */
#define PATHS_THREADED_MIN 4096

/* Paths of files sets a worker takes at a time. */
#define PATHS_CHUNK 4096

/*
 * The paths of the files sets, resolved in chunks by a thread of their
 * own from before the policy is linted, and by the compile too once it
 * needs them: a policy of many files spends most of its compile waiting
 * for stat(), and a second core takes what the first has no time for.
 */
struct policy_paths {
	const struct policy *p;
	struct resolved *out; /* one for each path, in the policy's order */
	size_t *chunk_set; /* the first set of each chunk, then n_files */
	size_t *chunk_out; /* its first path's index in @out */
	size_t n_chunks;
	atomic_size_t next; /* the first chunk no worker has taken */
	pthread_t thread;
	bool threaded;
};

/* Resolves chunks until none is left, each into its own part of @out. */
static void *paths_run(void *arg)
{
	struct policy_paths *pp = arg;
	struct dir_cache dc = { .fd = -1 };
	size_t c;

	while ((c = atomic_fetch_add(&pp->next, 1)) < pp->n_chunks) {
		struct resolved *r = pp->out + pp->chunk_out[c];

		for (size_t i = pp->chunk_set[c]; i < pp->chunk_set[c + 1];
		     i++) {
			const struct policy_set *set = &pp->p->files[i];

			for (size_t k = 0; k < set->n_paths; k++, r++) {
				struct stat st;

				r->err = resolve_path(&dc, set->paths[k].path,
						      &st, &r->plain);
				if (r->err)
					continue;
				r->dev = st.st_dev;
				r->ino = st.st_ino;
				r->mode = st.st_mode;
			}
		}
	}
	if (dc.fd >= 0)
		close(dc.fd);
	return NULL;
}

struct policy_paths *policy_paths_start(const struct policy *p)
{
	struct policy_paths *pp;
	size_t n = 0, in_chunk = 0;

	for (size_t i = 0; i < p->n_files; i++)
		n += p->files[i].n_paths;
	if (n < PATHS_THREADED_MIN)
		return NULL;
	pp = xcalloc(1, sizeof(*pp));
	pp->p = p;
	pp->out = xcalloc(n, sizeof(*pp->out));
	pp->chunk_set = xcalloc(n / PATHS_CHUNK + 2, sizeof(*pp->chunk_set));
	pp->chunk_out = xcalloc(n / PATHS_CHUNK + 2, sizeof(*pp->chunk_out));
	n = 0;
	/*
	 * A chunk is whole sets of at least PATHS_CHUNK paths, or the rest;
	 * each starts with a path, so that there are no more than counted.
	 */
	for (size_t i = 0; i < p->n_files; i++) {
		if (!in_chunk && p->files[i].n_paths) {
			pp->chunk_set[pp->n_chunks] = i;
			pp->chunk_out[pp->n_chunks++] = n;
		}
		in_chunk += p->files[i].n_paths;
		n += p->files[i].n_paths;
		if (in_chunk >= PATHS_CHUNK)
			in_chunk = 0;
	}
	pp->chunk_set[pp->n_chunks] = p->n_files;
	atomic_init(&pp->next, 0);
	pp->threaded = !pthread_create(&pp->thread, NULL, paths_run, pp);
	return pp;
}

/*
 * What the paths resolved to, once this thread has resolved what the
 * other has not taken yet.  Without a thread, in this one: slower, the
 * same outcome.
 */
static struct resolved *paths_finish(struct policy_paths *pp)
{
	paths_run(pp);
	if (pp->threaded)
		pthread_join(pp->thread, NULL);
	pp->threaded = false;
	return pp->out;
}

void policy_paths_free(struct policy_paths *pp)
{
	if (!pp)
		return;
	/* Nothing to wait for once no chunk is left to take. */
	atomic_store(&pp->next, pp->n_chunks);
	if (pp->threaded)
		pthread_join(pp->thread, NULL);
	free(pp->out);
	free(pp->chunk_set);
	free(pp->chunk_out);
	free(pp);
}

static void compile_files(struct compiler *cc)
{
	const struct policy *p = cc->p;
	struct resolved *r = cc->paths ? paths_finish(cc->paths) : NULL;

	for (size_t i = 0; i < p->n_files; i++) {
		const struct policy_set *set = &p->files[i];
		__u32 label = new_label(cc, false);

		for (size_t k = 0; k < set->n_paths; k++)
			if (label_path(cc, &set->paths[k], r ? r++ : NULL,
				       set->name, label))
				cc->set_labels[i] = label;
	}
}

/* A built-in label's properties: what it protects and audits. */
static void builtin_label(struct compiler *cc, __u32 label, __u32 protects,
			  const struct policy_loc *loc, size_t unit)
{
	struct policy_entry *e = add(cc, WARD_KEY_LABEL, loc);

	e->key.id.id = label;
	e->value.label_info.protects = protects;
	/* Each change is a configuration change (GB/T 39276 5.1.1.3 a). */
	e->value.label_info.audit = WARD_ACCESS_MODIFY;
	e->value.label_info.unit = unit;
}

/*
 * An executable (or interpreter) of @app at @path: labelled @label unless
 * a files set claims it, which then says what protects it.
 */
static bool label_executable(struct compiler *cc, const struct policy_path *path,
			     const char *kind, const char *app, __u32 label,
			     struct stat *st)
{
	struct ward_inode_ref inode;
	struct label_slot *slot;
	bool plain;

	if (!resolve(cc, path, NULL, kind, app, st, &plain))
		return false;
	if (!S_ISREG(st->st_mode)) {
		diag_add(
			cc->diags, DIAG_ERROR, path->loc.file, path->loc.line,
			path->loc.col,
			"%s '%s': '%s' is not a regular file: name the executable",
			kind, app, path->path);
		return false;
	}
	inode = inode_of(st);
	slots_grow(cc);
	slot = slot_of(cc, &inode);
	if (!slot->label)
		slot_take(cc, slot, &inode, label, path->path, &path->loc, NULL,
			  false, plain, cc->outside);
	return true;
}

/*
 * Apps: their ids, whether the ids collide, their executables, each app's
 * labelled as its own (so that "allow APP exec PATH" names that app's
 * only), and the interpreters that may run their scripts.
 */
static void compile_apps(struct compiler *cc)
{
	const struct policy *p = cc->p;
	/* The first app of each id: keys are the ids in cc->c->apps. */
	struct htab ids = { 0 };
	const size_t *other;

	/* One more: ward's own (compile_self()). */
	cc->c->apps = xcalloc(p->n_apps + 1, sizeof(*cc->c->apps));
	cc->c->n_apps = p->n_apps;
	for (size_t i = 0; i < p->n_apps; i++) {
		const struct policy_set *app = &p->apps[i];
		__u32 id = policy_app_id(app->name);
		struct policy_entry *e;

		cc->c->apps[i].id = id;
		snprintf(cc->c->apps[i].name.name,
			 sizeof(cc->c->apps[i].name.name), "%s", app->name);

		other = htab_get(&ids, (const char *)&cc->c->apps[i].id,
				 sizeof(id));
		if (other)
			diag_add(
				cc->diags, DIAG_ERROR, app->loc.file,
				app->loc.line, app->loc.col,
				"app '%s' has the same id as app '%s': rename one",
				app->name, p->apps[*other].name);
		else
			htab_put(&ids, (const char *)&cc->c->apps[i].id,
				 sizeof(id), i);
		e = add(cc, WARD_KEY_APP, &app->loc);
		e->key.id.id = id;
		e->value.app_info.mode = app->mode;
		e->value.app_info.unit = e->unit;
		if (app->confined)
			e->value.app_info.flags |= WARD_APP_CONFINED;
		if (app->inherit)
			e->value.app_info.flags |= WARD_APP_INHERIT;

		cc->exe_labels[i] = new_label(cc, true);
		builtin_label(cc, cc->exe_labels[i], WARD_ACCESS_MODIFY,
			      &app->loc, e->unit);
		for (size_t k = 0; k < app->n_paths; k++) {
			const struct policy_path *path = &app->paths[k];
			struct stat st;

			if (!label_executable(cc, path, "app", app->name,
					      cc->exe_labels[i], &st))
				continue;
			e = add(cc, WARD_KEY_EXE, &path->loc);
			e->key.inode = inode_of(&st);
			e->value.app = id;
			entry_path(e, path->path, false);
		}
		for (size_t k = 0; k < app->n_interps; k++) {
			const struct policy_path *path = &app->interps[k];
			struct stat st;

			if (!cc->interp_label) {
				cc->interp_label = new_label(cc, true);
				builtin_label(cc, cc->interp_label,
					      WARD_ACCESS_MODIFY, &path->loc,
					      UNIT_BUILTIN);
			}
			if (!label_executable(cc, path, "interpreter",
					      app->name, cc->interp_label, &st))
				continue;
			e = add(cc, WARD_KEY_INTERP, &path->loc);
			e->key.aux = id;
			e->key.inode = inode_of(&st);
			e->value.present = 1;
		}
	}
	htab_free(&ids);
}

static void compile_users(struct compiler *cc)
{
	const struct policy *p = cc->p;

	if (p->n_users > WARD_USER_SETS_MAX)
		diag_add(cc->diags, DIAG_ERROR,
			 p->users[WARD_USER_SETS_MAX].loc.file,
			 p->users[WARD_USER_SETS_MAX].loc.line,
			 p->users[WARD_USER_SETS_MAX].loc.col,
			 "more than %d user sets: merge some",
			 WARD_USER_SETS_MAX);
	for (size_t i = 0; i < p->n_users && i < WARD_USER_SETS_MAX; i++) {
		const struct policy_users *set = &p->users[i];

		for (size_t k = 0; k < set->n_members; k++) {
			const struct policy_member *m = &set->members[k];
			__u32 kind = WARD_KEY_UID, id = m->id;
			struct policy_entry *e;

			if (m->kind == MEMBER_USER) {
				struct passwd *pw = getpwnam(m->name);

				if (!pw)
					goto unknown;
				id = pw->pw_uid;
			} else if (m->kind == MEMBER_GROUP) {
				struct group *gr = getgrnam(m->name);

				kind = WARD_KEY_GID;
				if (!gr)
					goto unknown;
				id = gr->gr_gid;
			} else if (m->kind == MEMBER_GID) {
				kind = WARD_KEY_GID;
			}
			e = add(cc, kind, &m->loc);
			e->key.id.id = id;
			e->value.users = 1ULL << i;
			continue;
unknown:
			diag_add(cc->diags, DIAG_WARNING, m->loc.file,
				 m->loc.line, m->loc.col,
				 "user '%s': %s '%s' is unknown here: skipped",
				 set->name,
				 m->kind == MEMBER_USER ? "user" : "group",
				 m->name);
		}
	}
}

static __u32 subject_id(const struct policy *p, const struct policy_subject *s)
{
	/* User sets have their own entries (WARD_KEY_USERS_RULE). */
	if (s->kind == SUBJECT_SELF)
		return WARD_APP_SELF;
	return s->kind == SUBJECT_APP ? policy_app_id(p->apps[s->index].name) :
					WARD_SUBJECT_ANY;
}

static struct policy_entry *label_info(struct compiler *cc, __u32 label,
				       const struct policy_loc *loc)
{
	struct policy_entry *e = add(cc, WARD_KEY_LABEL, loc);

	e->key.id.id = label;
	e->value.label_info.unit = e->unit;
	return e;
}

/* @access granted to @subject on @label, where @loc says. */
static void grant(struct compiler *cc, const struct policy_subject *subject,
		  __u32 label, __u32 access, const struct policy_loc *loc)
{
	struct policy_entry *e;

	if (subject->kind != SUBJECT_USERS) {
		e = add(cc, WARD_KEY_RULE, loc);
		e->key.rule.label = label;
		e->key.rule.subject = subject_id(cc->p, subject);
		e->value.access = access;
		return;
	}
	/* Past WARD_USER_SETS_MAX: refused by compile_users(). */
	if (subject->index >= WARD_USER_SETS_MAX)
		return;
	/* One entry per access: its holders, as a mask. */
	for (__u32 bit = 0; bit < WARD_ACCESS_BITS; bit++) {
		if (!(access & (1U << bit)))
			continue;
		e = add(cc, WARD_KEY_USERS_RULE, loc);
		e->key.rule.label = label;
		e->key.rule.subject = bit;
		e->value.users = 1ULL << subject->index;
	}
}

/* The label of the block devices under labelled files, made when needed. */
static __u32 storage_label(struct compiler *cc)
{
	static const struct policy_loc none;

	if (!cc->storage_label) {
		cc->storage_label = new_label(cc, true);
		builtin_label(cc, cc->storage_label, WARD_ACCESS_ALL, &none,
			      UNIT_BUILTIN);
	}
	return cc->storage_label;
}

/*
 * The labels of a rule's object into @labels (room for every app's, plus
 * two): a files set's, its own path's, or a built-in set's.  None when
 * nothing of it exists.
 */
static size_t object_labels(struct compiler *cc, const struct policy_object *o,
			    __u32 *labels)
{
	struct policy_path path = { .path = o->path, .loc = o->loc };
	size_t n = 0;

	switch (o->files) {
	case POLICY_OBJECT_PATH:
		labels[n] = label_path(cc, &path, NULL, NULL, 0);
		break;
	case POLICY_OBJECT_EXECUTABLES:
		for (size_t i = 0; i < cc->p->n_apps; i++)
			labels[n++] = cc->exe_labels[i];
		labels[n] = cc->interp_label;
		break;
	case POLICY_OBJECT_STORAGE:
		labels[n] = storage_label(cc);
		break;
	default:
		labels[n] = cc->set_labels[o->files];
		break;
	}
	return labels[n] ? n + 1 : n;
}

static void compile_file_rule(struct compiler *cc, const struct policy_rule *r)
{
	const struct policy *p = cc->p;
	bool protects = r->subject.kind != SUBJECT_APP ||
			!p->apps[r->subject.index].confined;
	/* A rule each file: no allocation each, unless apps are many. */
	__u32 few[64], *labels = few;

	if (p->n_apps + 2 > sizeof(few) / sizeof(*few))
		labels = xcalloc(p->n_apps + 2, sizeof(*labels));
	for (size_t k = 0; k < r->n_objects; k++) {
		size_t n = object_labels(cc, &r->objects[k], labels);

		for (size_t i = 0; i < n; i++) {
			if (r->kind == RULE_AUDIT) {
				label_info(cc, labels[i], &r->loc)
					->value.label_info.audit = r->access;
				continue;
			}
			grant(cc, &r->subject, labels[i], r->access, &r->loc);
			/* A built-in protects what it protects anyway. */
			if (protects && !cc->extra[labels[i]].fixed)
				label_info(cc, labels[i], &r->loc)
					->value.label_info.protects =
					WARD_ACCESS_ALL;
		}
	}
	if (labels != few)
		free(labels);
}

/* The app entry of @app, to set flags in; folded with the others later. */
static struct policy_entry *app_flags(struct compiler *cc, __u32 app,
				      const struct policy_loc *loc)
{
	struct policy_entry *e = add(cc, WARD_KEY_APP, loc);

	e->key.id.id = app;
	return e;
}

/* The app flag that lets an app create sockets of @proto. */
static __u32 proto_flag(__u16 proto)
{
	switch (proto) {
	case IPPROTO_TCP:
		return WARD_APP_TCP;
	case IPPROTO_UDP:
		return WARD_APP_UDP;
	case IPPROTO_SCTP:
		return WARD_APP_SCTP;
	}
	return 0;
}

static void compile_net_rule(struct compiler *cc, const struct policy_rule *r)
{
	__u32 app = subject_id(cc->p, &r->subject);

	for (size_t k = 0; k < r->n_endpoints; k++) {
		const struct policy_endpoint *ep = &r->endpoints[k];
		unsigned int lo = ep->port_min, hi = ep->port_max;

		app_flags(cc, app, &ep->loc)->value.app_info.flags |=
			proto_flag(ep->proto);
		if (lo == 0 && hi == 65535) {
			lo = hi = 0; /* every port */
		} else if (hi - lo >= POLICY_PORT_RANGE_MAX) {
			diag_add(
				cc->diags, DIAG_ERROR, ep->loc.file,
				ep->loc.line, ep->loc.col,
				"port range %u-%u is wider than %d ports: allow %s:* instead",
				lo, hi, POLICY_PORT_RANGE_MAX,
				policy_proto_name(ep->proto));
			continue;
		}
		for (unsigned int port = lo; port <= hi; port++) {
			struct policy_entry *e =
				add(cc, WARD_KEY_NET, &ep->loc);

			e->key.net.app = app;
			e->key.net.proto = ep->proto;
			e->key.net.port = port;
			e->value.net = r->access;
		}
	}
}

static void compile_rules(struct compiler *cc)
{
	const struct policy *p = cc->p;

	for (size_t i = 0; i < p->n_rules; i++) {
		const struct policy_rule *r = &p->rules[i];
		struct policy_entry *e;

		/* An app a rule names has rights: code from outside stays out. */
		if (r->kind != RULE_AUDIT && r->subject.kind == SUBJECT_APP)
			app_flags(cc, subject_id(p, &r->subject), &r->loc)
				->value.app_info.flags |= WARD_APP_GRANTS;

		switch (r->kind) {
		case RULE_FILES:
		case RULE_AUDIT:
			compile_file_rule(cc, r);
			break;
		case RULE_NET:
			compile_net_rule(cc, r);
			break;
		case RULE_SOCKET:
			app_flags(cc, subject_id(p, &r->subject), &r->loc)
				->value.app_info.flags |=
				r->families << WARD_APP_SOCKETS_SHIFT;
			break;
		case RULE_CAP:
			e = add(cc, WARD_KEY_CAPS, &r->loc);
			e->key.id.id = subject_id(p, &r->subject);
			e->value.caps = r->caps;
			break;
		}
	}
}

/* The installer may change every app's executables and interpreters. */
static void compile_installer(struct compiler *cc)
{
	const struct policy *p = cc->p;
	struct policy_subject installer = { .kind = SUBJECT_APP,
					    .index = p->installer };

	if (p->installer >= p->n_apps)
		return;
	app_flags(cc, subject_id(p, &installer), &p->installer_loc)
		->value.app_info.flags |= WARD_APP_GRANTS;
	for (size_t i = 0; i < p->n_apps; i++)
		grant(cc, &installer, cc->exe_labels[i], WARD_ACCESS_MODIFY,
		      &p->installer_loc);
	if (cc->interp_label)
		grant(cc, &installer, cc->interp_label, WARD_ACCESS_MODIFY,
		      &p->installer_loc);

}

/*
 * ward's own domain (WARD_APP_SELF): the ward binary @p->self_exe, which
 * every policy loaded has, with rights, so that its processes get what
 * an app with rights gets (secure exec, no ptrace from outside) and alone
 * reach ward's BPF objects, pins and processes; its executable changes
 * only through the installer, as every app's.  Unless "kernel bpf allow",
 * its pin directory @p->self_pins changes only through ward: removing,
 * renaming, mounting over or unmounting it, or a directory above it,
 * would detach ward or hide it from its administrator.  Not counted in the policy's info: it
 * is not what the policy says.
 */
static void compile_self(struct compiler *cc)
{
	static const struct policy_loc loc = { .file = "ward" };
	const struct policy *p = cc->p;
	struct policy_path path = { .path = (char *)p->self_exe, .loc = loc };
	struct policy_subject installer = { .kind = SUBJECT_APP,
					    .index = p->installer };
	struct compiled_policy *c = cc->c;
	struct policy_entry *e;
	__u32 label;
	struct stat st;

	if (!path.path)
		return;
	cc->outside = true;
	e = add(cc, WARD_KEY_APP, NULL);
	e->key.id.id = WARD_APP_SELF;
	e->value.app_info.flags = WARD_APP_GRANTS;
	e->value.app_info.unit = UNIT_BUILTIN;
	c->apps[c->n_apps].id = WARD_APP_SELF;
	snprintf(c->apps[c->n_apps].name.name, sizeof(c->apps[0].name.name),
		 "%s", WARD_APP_SELF_NAME);
	c->n_apps++;

	label = new_label(cc, true);
	builtin_label(cc, label, WARD_ACCESS_MODIFY, NULL, UNIT_BUILTIN);
	if (p->installer < p->n_apps)
		grant(cc, &installer, label, WARD_ACCESS_MODIFY,
		      &p->installer_loc);
	if (!label_executable(cc, &path, "app", WARD_APP_SELF_NAME, label,
			      &st))
		return;
	e = add(cc, WARD_KEY_EXE, NULL);
	e->key.inode = inode_of(&st);
	e->value.app = WARD_APP_SELF;
	entry_path(e, path.path, true);

	/* "kernel bpf allow": ward does not guard itself. */
	if (!p->self_pins || p->kernel.k.bpf == WARD_KERNEL_BPF_ALLOW)
		return;
	path.path = (char *)p->self_pins;
	label = new_label(cc, true);
	if (label_path(cc, &path, NULL, NULL, label) != label)
		return;
	/* Not audited: a stop is reported as such (WARD_OP_UNPIN). */
	e = add(cc, WARD_KEY_LABEL, NULL);
	e->key.id.id = label;
	e->value.label_info.protects = WARD_ACCESS_MODIFY;
	e->value.label_info.unit = UNIT_BUILTIN;
	e = add(cc, WARD_KEY_RULE, NULL);
	e->key.rule.label = label;
	e->key.rule.subject = WARD_APP_SELF;
	e->value.access = WARD_ACCESS_ALL;
}

/* Labels a file the compiler found (not written in the policy). */
static void label_found(struct compiler *cc, const char *path,
			const struct stat *st, __u32 label,
			const struct policy_loc *loc)
{
	struct ward_inode_ref inode = inode_of(st);
	struct label_slot *slot;

	slots_grow(cc);
	slot = slot_of(cc, &inode);
	if (!slot->label)
		slot_take(cc, slot, &inode, label, path, loc, NULL,
			  S_ISDIR(st->st_mode), false, true);
}

struct storage_visit {
	struct compiler *cc;
	struct policy_loc loc; /* none: found, not written */
};

static void storage_device(dev_t rdev, const char *backing, void *arg)
{
	struct storage_visit *sv = arg;
	struct compiler *cc = sv->cc;
	struct policy_entry *e = add(cc, WARD_KEY_OBJECT, &sv->loc);
	struct stat st;

	e->key.inode.dev = WARD_DEV_BLOCK;
	e->key.inode.ino = kernel_dev(rdev);
	e->value.label = storage_label(cc);
	/* A loop device's file is its storage too. */
	if (backing && !stat(backing, &st) && S_ISREG(st.st_mode))
		label_found(cc, backing, &st, cc->storage_label, &sv->loc);
}

/*
 * The block devices under every file system that holds a labelled file
 * or an app's executable (GB/T 39276 5.1.1.2 c: writing the disk must not
 * get around the labels).
 */
static void compile_storage(struct compiler *cc)
{
	struct compiled_policy *c = cc->c;
	__u64 *devs = NULL;
	size_t n_devs = 0;

	for (size_t i = 0; i < c->n; i++) {
		const struct policy_entry *e = &c->entries[i];
		bool seen = false;

		if ((e->key.kind != WARD_KEY_OBJECT &&
		     e->key.kind != WARD_KEY_EXE) ||
		    e->key.inode.dev == WARD_DEV_BLOCK)
			continue;
		for (size_t k = 0; k < n_devs && !seen; k++)
			seen = devs[k] == e->key.inode.dev;
		if (seen)
			continue;
		devs = realloc(devs, (n_devs + 1) * sizeof(*devs));
		if (!devs)
			abort();
		devs[n_devs++] = e->key.inode.dev;
	}
	for (size_t k = 0; k < n_devs; k++) {
		struct storage_visit sv = { .cc = cc };
		dev_t dev = makedev(devs[k] >> 20, devs[k] & 0xfffff);

		fs_block_devices(dev, storage_device, &sv);
	}
	free(devs);
}

struct tree_visit {
	struct compiler *cc;
	__u32 label;
	const struct policy_loc *loc;
};

static bool tree_entry(const char *path, const struct stat *st,
		       bool mount_root, void *arg)
{
	struct tree_visit *tv = arg;
	struct ward_inode_ref inode = inode_of(st);
	struct label_slot *slot = slot_of(tv->cc, &inode);

	if (S_ISDIR(st->st_mode)) {
		/* A labelled directory has its own label, and its own scan. */
		if (slot->label)
			return false;
		if (mount_root)
			label_found(tv->cc, path, st, tv->label, tv->loc);
		return true;
	}
	if (!slot->label)
		label_found(tv->cc, path, st, tv->label, tv->loc);
	return true;
}

/*
 * Under each directory whose label protects something, what the label
 * reaches only through the directory: files with another name elsewhere,
 * and other file systems mounted below.  They get the label as their own.
 */
static void compile_trees(struct compiler *cc)
{
	struct compiled_policy *c = cc->c;
	__u32 *protects = calloc(cc->next_label + 1, sizeof(*protects));
	struct label_slot *dirs = NULL;
	size_t n_dirs = 0, cap = 0;

	if (!protects)
		abort();
	for (size_t i = 0; i < c->n; i++)
		if (c->entries[i].key.kind == WARD_KEY_LABEL &&
		    c->entries[i].key.id.id <= cc->next_label)
			protects[c->entries[i].key.id.id] |=
				c->entries[i].value.label_info.protects;
	/* The scans add slots: work on a copy of the directories'. */
	for (size_t i = 0; i < cc->n_slots; i++) {
		const struct label_slot *slot = &cc->labels[i];

		if (!slot->label || !cc->where[slot->where].dir ||
		    !protects[slot->label])
			continue;
		GROW(dirs, n_dirs, cap);
		dirs[n_dirs++] = *slot;
	}
	for (size_t i = 0; i < n_dirs; i++) {
		/* A copy: the scan may move cc->where. */
		struct label_where dir = cc->where[dirs[i].where];
		struct tree_visit tv = { .cc = cc, .label = dirs[i].label,
					 .loc = &dir.loc };

		if (fs_scan_tree(dir.path, tree_entry, &tv))
			diag_add(
				cc->diags, DIAG_WARNING, dir.loc.file,
				dir.loc.line, dir.loc.col,
				"'%s' holds more than %d entries or is deeper than %d: hard links and mounts past that are not labelled by inode",
				dir.path, FS_SCAN_ENTRIES_MAX,
				FS_SCAN_DEPTH_MAX);
	}
	free(dirs);
	free(protects);
}

/*
 * The policy's "kernel" settings, one entry always (the programs read
 * each setting from it), and the BPF loaders by inode.
 */
static void compile_kernel(struct compiler *cc)
{
	const struct policy_kernel *pk = &cc->p->kernel;
	struct policy_entry *e;
	struct stat st;
	bool plain;

	e = add(cc, WARD_KEY_KERNEL, NULL);
	e->value.kernel = pk->k;
	cc->c->kernel = pk->k;
	for (size_t i = 0; i < pk->n_loaders; i++) {
		if (!resolve(cc, &pk->loaders[i], NULL, "kernel bpf", NULL, &st,
			     &plain))
			continue;
		e = add(cc, WARD_KEY_BPF_LOADER, &pk->loaders[i].loc);
		e->key.inode = inode_of(&st);
		e->value.present = 1;
	}
}

int policy_key_cmp(const struct ward_policy_key *a,
		   const struct ward_policy_key *b)
{
	__u64 x[3], y[3];

	_Static_assert(sizeof(*a) == sizeof(x), "a key is three words");
	memcpy(x, a, sizeof(x));
	memcpy(y, b, sizeof(y));
	for (int i = 0; i < 3; i++)
		if (x[i] != y[i])
			return be64toh(x[i]) < be64toh(y[i]) ? -1 : 1;
	return 0;
}

/* Orders by key, then by source position so the first written comes first. */
static int entry_cmp(const void *a, const void *b)
{
	const struct policy_entry *x = a, *y = b;
	int cmp = policy_key_cmp(&x->key, &y->key);

	if (cmp)
		return cmp;
	if (x->unit != y->unit)
		return x->unit < y->unit ? -1 : 1;
	if (x->loc.line != y->loc.line)
		return x->loc.line < y->loc.line ? -1 : 1;
	return x->loc.col < y->loc.col ? -1 : x->loc.col > y->loc.col;
}

/*
 * An entry in the sort: its key as three words that compare as numbers in
 * memcmp()'s order, and where it was.  Sorting these, 32 bytes in a row,
 * rather than the entries, each compare reading two of them wherever they
 * lie, halves the time a million files take to sort.
 */
struct sort_rec {
	__u64 w[3];
	__u64 at;
};

static inline bool rec_less(const struct sort_rec *x, const struct sort_rec *y)
{
	if (x->w[0] != y->w[0])
		return x->w[0] < y->w[0];
	if (x->w[1] != y->w[1])
		return x->w[1] < y->w[1];
	if (x->w[2] != y->w[2])
		return x->w[2] < y->w[2];
	return x->at < y->at;
}

static void rec_swap(struct sort_rec *x, struct sort_rec *y)
{
	struct sort_rec t = *x;

	*x = *y;
	*y = t;
}

static void rec_sift(struct sort_rec *r, size_t n, size_t i)
{
	for (size_t c; (c = 2 * i + 1) < n; i = c) {
		if (c + 1 < n && rec_less(&r[c], &r[c + 1]))
			c++;
		if (!rec_less(&r[i], &r[c]))
			return;
		rec_swap(&r[i], &r[c]);
	}
}

/*
 * Introsort of distinct records (each has its own @at): quicksort with
 * the median of three, heapsort past 2 log n levels so that no input
 * makes it quadratic, insertion sort for the short runs.  qsort() would
 * call a function for each of the 60 million compares of 3 million
 * entries, and take as much memory again.
 */
static void rec_sort(struct sort_rec *r, size_t n, unsigned int depth)
{
	while (n > 16) {
		struct sort_rec *mid = &r[n / 2], *last = &r[n - 1];
		size_t i = 0, j = n;

		if (!depth--) {
			for (size_t k = n / 2; k--;)
				rec_sift(r, n, k);
			for (size_t k = n - 1; k; k--) {
				rec_swap(&r[0], &r[k]);
				rec_sift(r, k, 0);
			}
			return;
		}
		/* The median of the first, middle and last to the first. */
		if (rec_less(mid, r))
			rec_swap(mid, r);
		if (rec_less(last, mid))
			rec_swap(last, mid);
		if (rec_less(mid, r))
			rec_swap(mid, r);
		rec_swap(r, mid);
		/* Partition around r[0]; r[0] and the last stop the scans. */
		for (;;) {
			while (rec_less(&r[++i], r))
				;
			while (rec_less(r, &r[--j]))
				;
			if (i >= j)
				break;
			rec_swap(&r[i], &r[j]);
		}
		rec_swap(r, &r[j]);
		/* The shorter side by recursion, the longer in the loop. */
		if (j < n - j - 1) {
			rec_sort(r, j, depth);
			r += j + 1;
			n -= j + 1;
		} else {
			rec_sort(r + j + 1, n - j - 1, depth);
			n = j;
		}
	}
	for (size_t i = 1; i < n; i++)
		for (size_t k = i; k && rec_less(&r[k], &r[k - 1]); k--)
			rec_swap(&r[k], &r[k - 1]);
}

/* Among equal keys: entry_cmp()'s order, then as they came. */
static int rec_tie_cmp(const void *a, const void *b, void *entries)
{
	const struct sort_rec *x = a, *y = b;
	const struct policy_entry *v = entries;
	int cmp = entry_cmp(&v[x->at], &v[y->at]);

	if (cmp)
		return cmp;
	return x->at < y->at ? -1 : x->at > y->at;
}

/*
 * @v's @n entries in a new array, sorted by entry_cmp(), equal ones as
 * they came.
 */
static struct policy_entry *sorted_copy(const struct policy_entry *v, size_t n)
{
	struct policy_entry *sorted = xrealloc(NULL, n, sizeof(*sorted));
	struct sort_rec *r;

	if (n < 2) {
		memcpy(sorted, v, n * sizeof(*v));
		return sorted;
	}
	r = xcalloc(n, sizeof(*r));
	for (size_t i = 0; i < n; i++) {
		_Static_assert(sizeof(r->w) == sizeof(v->key),
			       "a key is three words");
		memcpy(r[i].w, &v[i].key, sizeof(r[i].w));
		for (int k = 0; k < 3; k++)
			r[i].w[k] = be64toh(r[i].w[k]);
		r[i].at = i;
	}
	rec_sort(r, n, 2 * (64 - __builtin_clzll(n)));
	for (size_t a = 0, b; a < n; a = b) {
		for (b = a + 1; b < n && !memcmp(r[a].w, r[b].w, sizeof(r->w));
		     b++)
			;
		if (b - a > 1)
			qsort_r(r + a, b - a, sizeof(*r), rec_tie_cmp,
				(void *)v);
	}
	/*
	 * Gathered into the copy: the loads are independent, where following
	 * the permutation's cycles in place waited for each.
	 */
	for (size_t k = 0; k < n; k++)
		sorted[k] = v[r[k].at];
	free(r);
	return sorted;
}

/*
 * Orders the entries: those the last fold() left are in order already.
 * The new ones, sorted, are merged in from the end, in place: another
 * copy of the whole array, some 200 MB for a million files, would cost
 * more in page faults than the merge itself.
 */
static void sort_entries(struct compiler *cc)
{
	struct compiled_policy *c = cc->c;
	size_t a = cc->folded, b, n = c->n - cc->folded;
	struct policy_entry *added = sorted_copy(c->entries + a, n);

	if (!a) {
		free(c->entries);
		c->entries = added;
		c->cap = n;
		return;
	}
	/* Ties go to the folded ones, as they did in a forward merge. */
	for (b = n; b;) {
		struct policy_entry *to = &c->entries[a + b - 1];

		if (a && entry_cmp(&c->entries[a - 1], &added[b - 1]) > 0)
			*to = c->entries[--a];
		else
			*to = added[--b];
	}
	free(added);
}

/*
 * Folds entries with equal keys: bits merge (rules, label and app
 * properties, users, capabilities, ports).  One executable in two apps is
 * an error, as its app would be ambiguous.
 */
static void fold(struct compiler *cc)
{
	struct compiled_policy *c = cc->c;
	size_t n = 0;

	sort_entries(cc);
	for (size_t i = 0; i < c->n; i++) {
		struct policy_entry *e = &c->entries[i];
		struct policy_entry *prev = n ? &c->entries[n - 1] : NULL;

		if (!prev || policy_key_cmp(&prev->key, &e->key)) {
			c->entries[n++] = *e;
			continue;
		}
		switch (e->key.kind) {
		case WARD_KEY_EXE:
			if (prev->value.app != e->value.app)
				diag_add(
					cc->diags, DIAG_ERROR, e->loc.file,
					e->loc.line, e->loc.col,
					"this is the same file as an executable of another app (%s:%u): a file can be in one app only",
					prev->loc.file, prev->loc.line);
			break;
		case WARD_KEY_APP:
			/* The first is the app's own statement: its unit. */
			prev->value.app_info.flags |= e->value.app_info.flags;
			prev->value.app_info.mode |= e->value.app_info.mode;
			break;
		case WARD_KEY_LABEL:
			prev->value.label_info.protects |=
				e->value.label_info.protects;
			prev->value.label_info.audit |=
				e->value.label_info.audit;
			break;
		case WARD_KEY_OBJECT:
		case WARD_KEY_BENEATH:
		case WARD_KEY_INTERP:
			/* One label an inode: the first given. */
			break;
		default:
			/* Every other value is a set of bits. */
			prev->value.caps |= e->value.caps;
			break;
		}
		if (e->own_path)
			free(e->path);
	}
	c->n = n;
	cc->folded = n;
}

static void count(struct compiled_policy *c)
{
	for (size_t i = 0; i < c->n; i++) {
		switch (c->entries[i].key.kind) {
		case WARD_KEY_OBJECT:
			if (c->entries[i].key.inode.dev == WARD_DEV_BLOCK)
				c->info.devices++;
			else
				c->info.objects++;
			break;
		case WARD_KEY_EXE:
			c->info.exes++;
			break;
		case WARD_KEY_RULE:
		case WARD_KEY_USERS_RULE:
			c->info.rules++;
			break;
		}
	}
}

int policy_compile(const struct policy *p, struct policy_paths *paths,
		   struct compiled_policy *out, struct diag_list *diags)
{
	struct compiler cc = { .p = p, .c = out, .diags = diags,
			       .paths = paths, .dc.fd = -1 };
	size_t errors = diags->errors;
	struct policy_entry *e;

	memset(out, 0, sizeof(*out));
	if (p->n_units) {
		_Static_assert(sizeof(out->info.name) ==
				       sizeof(p->units[0].name),
			       "name");
		_Static_assert(sizeof(out->info.version) ==
				       sizeof(p->units[0].version),
			       "version");
		memcpy(out->info.name, p->units[0].name,
		       sizeof(out->info.name));
		memcpy(out->info.version, p->units[0].version,
		       sizeof(out->info.version));
	}
	memcpy(out->info.sha256, p->sha256, sizeof(out->info.sha256));
	out->info.loaded_at = time(NULL);
	out->info.units = p->n_units;

	cc.set_labels = calloc(p->n_files + 1, sizeof(*cc.set_labels));
	cc.exe_labels = calloc(p->n_apps + 1, sizeof(*cc.exe_labels));
	if (!cc.set_labels || !cc.exe_labels)
		abort();
	slots_grow(&cc);

	e = add(&cc, WARD_KEY_META, NULL);
	e->value.meta.mode = p->mode;
	compile_kernel(&cc);
	compile_files(&cc);
	compile_apps(&cc);
	compile_users(&cc);
	compile_rules(&cc);
	compile_installer(&cc);
	compile_trees(&cc);
	compile_storage(&cc);
	fold(&cc);
	/* What the policy says; cover labels only restate it. */
	count(out);
	compile_self(&cc);
	fold(&cc);
	policy_cover(out, &cc.next_label);
	fold(&cc);

	if (out->n > WARD_POLICY_COMPILED_MAX)
		diag_add(
			diags, DIAG_ERROR,
			p->n_units ? p->units[0].file : "policy", 0, 0,
			"the policy needs %zu kernel entries, more than the %d allowed: cover directories rather than files",
			out->n, WARD_POLICY_COMPILED_MAX);
	if (cc.dc.fd >= 0)
		close(cc.dc.fd);
	free(cc.labels);
	free(cc.where);
	free(cc.set_labels);
	free(cc.exe_labels);
	free(cc.extra);
	return diags->errors == errors ? 0 : -EINVAL;
}

void compiled_policy_free(struct compiled_policy *c)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->entries[i].own_path)
			free(c->entries[i].path);
	free(c->entries);
	free(c->apps);
	memset(c, 0, sizeof(*c));
}
