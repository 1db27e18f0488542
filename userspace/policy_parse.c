// SPDX-License-Identifier: GPL-2.0
/*
 * ward - policy grammar: statements to struct policy
 *
 * Each line's words (policy_lex.c) make one statement, which its first
 * word names.  Names are defined before they are used, in the same file or
 * an earlier one.  A statement with an error changes nothing, or as little
 * as keeps later statements from adding errors of their own.
 *
 * The parser is linear in the size of its input: names and paths are
 * looked up in hash tables, never by scanning what was parsed before, and
 * POLICY_ITEMS_MAX (POLICY_APPS_MAX for apps) bounds every kind of item,
 * so that a huge file is refused quickly.
 *
 * What later files and policy_finish() need beyond struct policy's public
 * fields (the hash tables, where each app was confined or given a mode)
 * is kept in its struct parse_state; policy_free() frees it.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <openssl/evp.h>

#include "policy_names.h"
#include "policy_parse_internal.h"
#include "xalloc.h"

/* What a name in the one namespace of files sets, apps and user sets is. */
enum name_kind {
	NAME_FILES = 1,
	NAME_APP,
	NAME_USERS,
};

#define NAME_VALUE(kind, index) ((index) << 2 | (kind))
#define NAME_KIND(value) ((enum name_kind)((value)&3))
#define NAME_INDEX(value) ((value) >> 2)

static const char *const kind_article[] = {
	[NAME_FILES] = "a files set",
	[NAME_APP] = "an app",
	[NAME_USERS] = "a user set",
};

/* Where each app was confined, inherits, and given its own mode, line 0 for not. */
struct app_extra {
	struct policy_loc confine;
	struct policy_loc inherit;
	struct policy_loc mode;
};

static void state_free(struct parse_state *st)
{
	if (!st)
		return;
	htab_free(&st->names);
	htab_free(&st->file_paths);
	free(st->apps);
	free(st);
}

static void index_name(struct parse_state *st, const char *name,
		       enum name_kind kind, size_t index)
{
	if (name && !htab_get(&st->names, name, strlen(name)))
		htab_put(&st->names, name, strlen(name),
			 NAME_VALUE(kind, index));
}

/*
 * Indexes what @p holds beyond what @st has seen: everything, for a state
 * just made; nothing, when only this parser added to @p.
 */
static void state_sync(struct parse_state *st, const struct policy *p)
{
	for (; st->n_files < p->n_files; st->n_files++) {
		const struct policy_set *set = &p->files[st->n_files];

		index_name(st, set->name, NAME_FILES, st->n_files);
		for (size_t i = 0; i < set->n_paths; i++) {
			const char *path = set->paths[i].path;

			if (path &&
			    !htab_get(&st->file_paths, path, strlen(path)))
				htab_put(&st->file_paths, path, strlen(path),
					 st->n_files);
		}
		st->n_paths += set->n_paths;
	}
	if (st->files_cap < p->n_files)
		st->files_cap = p->n_files;

	if (st->extra_cap < p->n_apps) {
		st->extra_cap = p->n_apps;
		st->apps = xrealloc(st->apps, p->n_apps, sizeof(*st->apps));
	}
	if (st->n_apps < p->n_apps)
		memset(&st->apps[st->n_apps], 0,
		       (p->n_apps - st->n_apps) * sizeof(*st->apps));
	for (; st->n_apps < p->n_apps; st->n_apps++) {
		index_name(st, p->apps[st->n_apps].name, NAME_APP, st->n_apps);
		st->n_paths += p->apps[st->n_apps].n_paths;
	}
	if (st->apps_cap < p->n_apps)
		st->apps_cap = p->n_apps;

	for (; st->n_users < p->n_users; st->n_users++) {
		index_name(st, p->users[st->n_users].name, NAME_USERS,
			   st->n_users);
		st->n_members += p->users[st->n_users].n_members;
	}
	if (st->users_cap < p->n_users)
		st->users_cap = p->n_users;

	for (; st->n_rules < p->n_rules; st->n_rules++) {
		const struct policy_rule *rule = &p->rules[st->n_rules];

		st->n_objects += rule->n_objects;
		st->n_endpoints += rule->n_endpoints;
		for (size_t i = 0; i < rule->n_objects; i++)
			st->n_paths += rule->objects[i].files == SIZE_MAX;
	}
	if (st->rules_cap < p->n_rules)
		st->rules_cap = p->n_rules;
}

struct parse_state *state_get(struct policy *p)
{
	if (!p->state)
		p->state = xcalloc(1, sizeof(*p->state));
	state_sync(p->state, p);
	return p->state;
}

/*
 * Keys seen in the list being parsed, to find one listed twice: a table
 * whose slots are empty unless stamped with the current generation, so
 * that starting a new list costs nothing.  Keys are copied to @scratch.
 */
#define SEEN_SLOTS 8192 /* a power of two, over 2 * WORDS_MAX */
#define SCRATCH_SIZE (POLICY_LINE_MAX + 16 * (WORDS_MAX + 1))

struct seen_slot {
	const char *key;
	size_t len;
	unsigned int gen;
};

static void seen_reset(struct parser *ps)
{
	if (!ps->seen) {
		ps->seen = xcalloc(SEEN_SLOTS, sizeof(*ps->seen));
		ps->scratch = xcalloc(SCRATCH_SIZE, 1);
	}
	ps->seen_gen++;
	ps->scratch_len = 0;
}

/* Adds @key to the current list; true if it was there already. */
static bool seen_before(struct parser *ps, const void *key, size_t len)
{
	size_t i = htab_hash(key, len) & (SEEN_SLOTS - 1);
	struct seen_slot *slot;

	for (;; i = (i + 1) & (SEEN_SLOTS - 1)) {
		slot = &ps->seen[i];
		if (slot->gen != ps->seen_gen)
			break;
		if (slot->len == len && !memcmp(slot->key, key, len))
			return true;
	}
	if (ps->scratch_len + len > SCRATCH_SIZE)
		abort(); /* cannot happen: keys are short, lines bounded */
	memcpy(ps->scratch + ps->scratch_len, key, len);
	*slot = (struct seen_slot){ ps->scratch + ps->scratch_len, len,
				    ps->seen_gen };
	ps->scratch_len += len;
	return false;
}

static bool seen_word(struct parser *ps, const struct word *w)
{
	return seen_before(ps, w->s, w->len);
}

/* Reports reaching @max; parsing this file stops there. */
static bool too_many_of(struct parser *ps, const struct word *w, size_t n,
			size_t more, size_t max, const char *what)
{
	if (n + more <= max)
		return false;
	error_at(
		ps, w->col,
		"too many %s: a policy holds at most %zu; group them (a directory covers its subtree, an app many executables); the rest of this file is not parsed",
		what, max);
	ps->stop = true;
	return true;
}

/* Reports reaching POLICY_ITEMS_MAX; parsing this file stops there. */
static bool too_many(struct parser *ps, const struct word *w, size_t n,
		     size_t more, const char *what)
{
	return too_many_of(ps, w, n, more, POLICY_ITEMS_MAX, what);
}

/* A name being defined: valid, not reserved, not defined anywhere yet. */
static bool check_new_name(struct parser *ps, const struct word *w)
{
	const struct policy_builtin_files *builtin;
	const size_t *value;

	if (!check_name(ps, w, "name"))
		return false;
	if (word_is(w, "any")) {
		error_at(
			ps, w->col,
			"'any' is reserved for rules that apply to everyone; choose another name");
		return false;
	}
	if (word_is(w, WARD_APP_SELF_NAME)) {
		error_at(
			ps, w->col,
			"'%s' is reserved for ward's own app, the ward binary; choose another name",
			WARD_APP_SELF_NAME);
		return false;
	}
	builtin = policy_builtin_files(w->s, w->len);
	if (builtin) {
		error_at(
			ps, w->col,
			"'%s' is reserved for the files set every policy has: %s; choose another name",
			builtin->name, builtin->what);
		return false;
	}
	value = htab_get(&ps->st->names, w->s, w->len);
	if (value) {
		const struct policy_loc *loc;

		switch (NAME_KIND(*value)) {
		case NAME_FILES:
			loc = &ps->p->files[NAME_INDEX(*value)].loc;
			break;
		case NAME_APP:
			loc = &ps->p->apps[NAME_INDEX(*value)].loc;
			break;
		default:
			loc = &ps->p->users[NAME_INDEX(*value)].loc;
			break;
		}
		error_at(
			ps, w->col,
			"'%.*s' is already defined at %s as %s: names are unique across files sets, apps and user sets",
			(int)w->len, w->s, where(ps, loc),
			kind_article[NAME_KIND(*value)]);
		return false;
	}
	return true;
}

/* Looks up an app by name, reporting a name that is not one. */
static bool find_app(struct parser *ps, const struct word *w, size_t *index)
{
	const size_t *value = htab_get(&ps->st->names, w->s, w->len);

	if (!value) {
		error_at(
			ps, w->col,
			"unknown app '%.*s': define it with 'app NAME PATH...' before this line",
			(int)w->len, w->s);
		return false;
	}
	if (NAME_KIND(*value) != NAME_APP) {
		error_at(ps, w->col, "'%.*s' is %s, not an app", (int)w->len,
			 w->s, kind_article[NAME_KIND(*value)]);
		return false;
	}
	*index = NAME_INDEX(*value);
	return true;
}

/* Checks the number of arguments after the keyword. */
static bool check_args(struct parser *ps, const struct word *w, size_t n,
		       size_t min, size_t max, const char *usage)
{
	if (n - 1 < min) {
		error_at(ps, w[0].col, "missing arguments: expected '%s'",
			 usage);
		return false;
	}
	if (n - 1 > max) {
		error_at(ps, w[max + 1].col,
			 "too many arguments: expected '%s'", usage);
		return false;
	}
	return true;
}

static void parse_policy(struct parser *ps, const struct word *w, size_t n)
{
	struct policy_unit *unit = &ps->p->units[ps->unit];

	if (ps->named) {
		error_at(
			ps, w[0].col,
			"second 'policy' statement in this file (the first is at line %u): give one per file",
			unit->loc.line);
		return;
	}
	ps->named = true;
	unit->loc = loc_of(ps, &w[0]);
	if (!check_args(ps, w, n, 2, 2, "policy NAME VERSION") ||
	    !check_name(ps, &w[1], "policy name"))
		return;
	if (!valid_version(&w[2])) {
		error_at(
			ps, w[2].col,
			"invalid version '%.*s': expected MAJOR.MINOR.PATCH in digits, e.g. 1.0.0 (at most %d characters)",
			(int)w[2].len, w[2].s, WARD_VERSION_MAX - 1);
		return;
	}
	memcpy(unit->name, w[1].s, w[1].len);
	unit->name[w[1].len] = '\0';
	memcpy(unit->version, w[2].s, w[2].len);
	unit->version[w[2].len] = '\0';
}

static void parse_mode(struct parser *ps, const struct word *w, size_t n)
{
	struct policy *p = ps->p;
	bool complain;
	size_t *apps;
	__u32 mode;

	if (!check_args(ps, w, n, 1, SIZE_MAX,
			"mode enforce|complain [APP...]"))
		return;
	if (!policy_mode_named(w[1].s, w[1].len, &mode)) {
		error_at(ps, w[1].col,
			 "unknown mode '%.*s': expected enforce or complain",
			 (int)w[1].len, w[1].s);
		return;
	}
	complain = mode == WARD_MODE_COMPLAIN;

	if (n == 2) {
		if (p->mode_loc.line) {
			error_at(
				ps, w[0].col,
				"the default mode is already set at %s: set it once in the whole policy, or give apps their own with 'mode MODE APP...'",
				where(ps, &p->mode_loc));
			return;
		}
		p->mode = complain ? WARD_MODE_COMPLAIN : WARD_MODE_ENFORCE;
		p->mode_loc = loc_of(ps, &w[0]);
		return;
	}

	/* All apps are checked first: a statement with an error does nothing. */
	apps = xcalloc(n, sizeof(*apps));
	seen_reset(ps);
	for (size_t i = 2; i < n; i++) {
		const struct policy_loc *set;

		if (!find_app(ps, &w[i], &apps[i]))
			goto out;
		set = &ps->st->apps[apps[i]].mode;
		if (seen_word(ps, &w[i])) {
			error_at(ps, w[i].col,
				 "'%.*s' is listed twice in this statement",
				 (int)w[i].len, w[i].s);
			goto out;
		}
		if (set->line) {
			error_at(
				ps, w[i].col,
				"the mode of '%.*s' is already set at %s: set it once",
				(int)w[i].len, w[i].s, where(ps, set));
			goto out;
		}
	}
	for (size_t i = 2; i < n; i++) {
		p->apps[apps[i]].mode = complain ? WARD_APP_MODE_COMPLAIN :
						   WARD_APP_MODE_ENFORCE;
		ps->st->apps[apps[i]].mode = loc_of(ps, &w[i]);
	}
out:
	free(apps);
}

/*
 * "files NAME PATH..." and "app NAME PATH...".  A set whose name is valid
 * is defined even when one of its paths is not, with the valid paths, so
 * that the rules using it do not add errors of their own.
 */
static void parse_set(struct parser *ps, const struct word *w, size_t n,
		      bool files)
{
	struct parse_state *st = ps->st;
	struct policy *p = ps->p;
	struct policy_set *set;
	size_t index = files ? p->n_files : p->n_apps;
	bool failed = false;
	struct policy_path *paths;
	size_t n_paths = 0;

	if (!check_args(ps, w, n, 2, SIZE_MAX,
			files ? "files NAME PATH..." : "app NAME PATH...") ||
	    !check_new_name(ps, &w[1]) ||
	    (files ? too_many(ps, &w[1], index, 1, "files sets") :
		     too_many_of(ps, &w[1], index, 1, POLICY_APPS_MAX,
				 "apps")) ||
	    too_many(ps, &w[2], st->n_paths, n - 2, "paths"))
		return;

	paths = xcalloc(n - 2, sizeof(*paths));
	seen_reset(ps);
	for (size_t i = 2; i < n; i++) {
		const size_t *other = NULL;

		if (w[i].s[0] != '/') {
			if (!failed)
				error_relative(ps, &w[i]);
			failed = true;
		} else if (seen_word(ps, &w[i])) {
			if (!failed)
				error_at(ps, w[i].col,
					 "'%.*s' is listed twice in this set",
					 (int)w[i].len, w[i].s);
			failed = true;
		} else if (files && (other = htab_get(&st->file_paths, w[i].s,
						      w[i].len))) {
			if (!failed)
				error_at(
					ps, w[i].col,
					"'%.*s' is already in files '%s' (%s): a file has one label, so list it in one files set",
					(int)w[i].len, w[i].s,
					p->files[*other].name,
					where(ps, &p->files[*other].loc));
			failed = true;
		} else {
			paths[n_paths++] =
				(struct policy_path){ word_dup(&w[i]),
						      loc_of(ps, &w[i]) };
		}
	}

	if (files) {
		GROW(p->files, p->n_files, st->files_cap);
		set = &p->files[p->n_files++];
		st->n_files++;
	} else {
		GROW(p->apps, p->n_apps, st->apps_cap);
		set = &p->apps[p->n_apps++];
		GROW(st->apps, index, st->extra_cap);
		memset(&st->apps[index], 0, sizeof(*st->apps));
		st->n_apps++;
	}
	*set = (struct policy_set){
		.name = word_dup(&w[1]),
		.paths = paths,
		.n_paths = n_paths,
		.loc = loc_of(ps, &w[1]),
		.mode = WARD_APP_MODE_INHERIT,
	};
	/* check_new_name() found it new: no second lookup. */
	htab_put(&st->names, set->name, strlen(set->name),
		 NAME_VALUE(files ? NAME_FILES : NAME_APP, index));
	st->n_paths += n_paths;
	if (files)
		for (size_t i = 0; i < n_paths; i++)
			htab_put(&st->file_paths, paths[i].path,
				 strlen(paths[i].path), index);
}

#define ACCOUNT_RULE \
	"lower-case letters, digits, '_', '.' or '-', a letter or '_' first, maybe '$' last, at most 32"

/* One member of a user set; its normalized form goes to @key. */
static bool parse_member(struct parser *ps, const struct word *w,
			 struct policy_member *m, char *key, size_t *key_len)
{
	const char *colon = memchr(w->s, ':', w->len);
	uint64_t id;

	m->loc = loc_of(ps, w);
	if (colon && (colon - w->s == 3) &&
	    (!memcmp(w->s, "uid", 3) || !memcmp(w->s, "gid", 3))) {
		bool uid = w->s[0] == 'u';

		if (!parse_number(colon + 1, w->len - 4, 4294967294U, &id)) {
			error_at(
				ps, w->col,
				"invalid %s '%.*s': expected %s:N with N a decimal number from 0 to 4294967294",
				uid ? "uid" : "gid", (int)w->len, w->s,
				uid ? "uid" : "gid");
			return false;
		}
		m->kind = uid ? MEMBER_UID : MEMBER_GID;
		m->id = (__u32)id;
		key[0] = uid ? 'U' : 'G';
		memcpy(key + 1, &m->id, sizeof(m->id));
		*key_len = 1 + sizeof(m->id);
		return true;
	}
	if (colon && colon - w->s == 5 && !memcmp(w->s, "group", 5)) {
		if (!valid_account(colon + 1, w->len - 6)) {
			error_at(
				ps, w->col,
				"invalid group name in '%.*s': use " ACCOUNT_RULE,
				(int)w->len, w->s);
			return false;
		}
		m->kind = MEMBER_GROUP;
		m->name = xstrndup(colon + 1, w->len - 6);
		key[0] = 'g';
		memcpy(key + 1, colon + 1, w->len - 6);
		*key_len = 1 + w->len - 6;
		return true;
	}
	if (colon) {
		error_at(
			ps, w->col,
			"unknown member '%.*s': expected USER, uid:N, group:NAME or gid:N",
			(int)w->len, w->s);
		return false;
	}
	if (!valid_account(w->s, w->len)) {
		error_at(ps, w->col,
			 "invalid user name '%.*s': use " ACCOUNT_RULE,
			 (int)w->len, w->s);
		return false;
	}
	m->kind = MEMBER_USER;
	m->name = word_dup(w);
	key[0] = 'u';
	memcpy(key + 1, w->s, w->len);
	*key_len = 1 + w->len;
	return true;
}

static void free_members(struct policy_member *members, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(members[i].name);
	free(members);
}

static void parse_user(struct parser *ps, const struct word *w, size_t n)
{
	struct parse_state *st = ps->st;
	struct policy *p = ps->p;
	struct policy_member *members;
	struct policy_users *users;
	size_t n_members = 0;
	char key[POLICY_LINE_MAX + 8];

	if (!check_args(ps, w, n, 2, SIZE_MAX, "user NAME MEMBER...") ||
	    !check_new_name(ps, &w[1]) ||
	    too_many(ps, &w[1], p->n_users, 1, "user sets") ||
	    too_many(ps, &w[2], st->n_members, n - 2, "user set members"))
		return;

	members = xcalloc(n - 2, sizeof(*members));
	seen_reset(ps);
	for (size_t i = 2; i < n; i++) {
		struct policy_member *m = &members[n_members];
		size_t key_len;

		if (!parse_member(ps, &w[i], m, key, &key_len))
			goto fail;
		n_members++;
		if (seen_before(ps, key, key_len)) {
			error_at(ps, w[i].col,
				 "'%.*s' is listed twice in this set",
				 (int)w[i].len, w[i].s);
			goto fail;
		}
	}

	GROW(p->users, p->n_users, st->users_cap);
	users = &p->users[p->n_users++];
	st->n_users++;
	*users = (struct policy_users){
		.name = word_dup(&w[1]),
		.members = members,
		.n_members = n_members,
		.loc = loc_of(ps, &w[1]),
	};
	index_name(st, users->name, NAME_USERS, p->n_users - 1);
	st->n_members += n_members;
	return;
fail:
	free_members(members, n_members);
}

/*
 * "confine APP..." and "inherit APP...": a flag of each app, set once.
 * @inherit chooses which.
 */
static void parse_app_flag(struct parser *ps, const struct word *w, size_t n,
			   bool inherit)
{
	size_t *apps;

	if (!check_args(ps, w, n, 1, SIZE_MAX,
			inherit ? "inherit APP..." : "confine APP..."))
		return;
	apps = xcalloc(n, sizeof(*apps));
	seen_reset(ps);
	for (size_t i = 1; i < n; i++) {
		const struct policy_loc *set;
		bool flag;

		if (!find_app(ps, &w[i], &apps[i]))
			goto out;
		set = inherit ? &ps->st->apps[apps[i]].inherit :
				&ps->st->apps[apps[i]].confine;
		flag = inherit ? ps->p->apps[apps[i]].inherit :
				 ps->p->apps[apps[i]].confined;
		if (seen_word(ps, &w[i])) {
			error_at(ps, w[i].col,
				 "'%.*s' is listed twice in this statement",
				 (int)w[i].len, w[i].s);
			goto out;
		}
		if (set->line || flag) {
			error_at(ps, w[i].col,
				 inherit ? "'%.*s' already inherits at %s: say it once" :
					   "'%.*s' is already confined at %s: confine it once",
				 (int)w[i].len, w[i].s, where(ps, set));
			goto out;
		}
	}
	for (size_t i = 1; i < n; i++) {
		struct policy_set *app = &ps->p->apps[apps[i]];

		if (inherit) {
			app->inherit = true;
			ps->st->apps[apps[i]].inherit = loc_of(ps, &w[i]);
		} else {
			app->confined = true;
			ps->st->apps[apps[i]].confine = loc_of(ps, &w[i]);
		}
	}
out:
	free(apps);
}

static void parse_confine(struct parser *ps, const struct word *w, size_t n)
{
	parse_app_flag(ps, w, n, false);
}

static void parse_inherit(struct parser *ps, const struct word *w, size_t n)
{
	parse_app_flag(ps, w, n, true);
}

/* "installer APP": once in the whole policy. */
static void parse_installer(struct parser *ps, const struct word *w, size_t n)
{
	struct policy *p = ps->p;
	size_t app;

	if (!check_args(ps, w, n, 1, 1, "installer APP") ||
	    !find_app(ps, &w[1], &app))
		return;
	if (p->installer != SIZE_MAX) {
		error_at(ps, w[0].col,
			 "the installer is already '%s' (%s): name one",
			 p->apps[p->installer].name,
			 where(ps, &p->installer_loc));
		return;
	}
	p->installer = app;
	p->installer_loc = loc_of(ps, &w[0]);
}

/* "interpreter APP PATH...": added to the app's interpreters. */
static void parse_interpreter(struct parser *ps, const struct word *w,
			      size_t n)
{
	struct policy_set *app;
	size_t index;

	if (!check_args(ps, w, n, 2, SIZE_MAX, "interpreter APP PATH...") ||
	    !find_app(ps, &w[1], &index) ||
	    too_many(ps, &w[2], ps->st->n_paths, n - 2, "paths"))
		return;
	app = &ps->p->apps[index];
	seen_reset(ps);
	for (size_t i = 0; i < app->n_interps; i++)
		seen_before(ps, app->interps[i].path,
			    strlen(app->interps[i].path));
	for (size_t i = 2; i < n; i++) {
		if (w[i].s[0] != '/') {
			error_relative(ps, &w[i]);
			return;
		}
		if (seen_word(ps, &w[i])) {
			error_at(
				ps, w[i].col,
				"'%.*s' is already an interpreter of '%s': list it once",
				(int)w[i].len, w[i].s, app->name);
			return;
		}
	}
	app->interps = xrealloc(app->interps, app->n_interps + n - 2,
				sizeof(*app->interps));
	for (size_t i = 2; i < n; i++)
		app->interps[app->n_interps++] = (struct policy_path){
			word_dup(&w[i]), loc_of(ps, &w[i])
		};
	ps->st->n_paths += n - 2;
}

/* Parses NAME[,NAME]... into bits, each found by @bit_named. */
static bool parse_bits(struct parser *ps, const struct word *w,
		       __u32 (*bit_named)(const char *s, size_t len),
		       const char *what, const char *expected, __u32 *bits)
{
	const char *s = w->s, *end = w->s + w->len;

	*bits = 0;
	for (;;) {
		const char *comma = memchr(s, ',', end - s);
		size_t len = (comma ? comma : end) - s;
		unsigned int col = w->col + (s - w->s);
		__u32 bit = bit_named(s, len);

		if (!bit) {
			error_at(ps, col, "unknown %s '%.*s': expected %s",
				 what, (int)len, s, expected);
			return false;
		}
		if (*bits & bit) {
			error_at(ps, col, "'%.*s' is listed twice in '%.*s'",
				 (int)len, s, (int)w->len, w->s);
			return false;
		}
		*bits |= bit;
		if (!comma)
			return true;
		s = comma + 1;
	}
}

#define ACCESS_LIST \
	"read, write, exec, unlink, rename, link, chmod, chown or mount"

static bool parse_access(struct parser *ps, const struct word *w, __u32 *bits)
{
	return parse_bits(ps, w, policy_access_bit, "access",
			  ACCESS_LIST " (several joined by ',')", bits);
}

/* OBJECT...: files set names and absolute paths. */
static bool parse_objects(struct parser *ps, const struct word *w, size_t n,
			  struct policy_rule *rule)
{
	struct parse_state *st = ps->st;
	size_t n_paths = 0;

	for (size_t i = 0; i < n; i++)
		n_paths += w[i].s[0] == '/';
	if (too_many(ps, &w[0], st->n_objects, n, "rule objects") ||
	    too_many(ps, &w[0], st->n_paths, n_paths, "paths"))
		return false;

	rule->objects = xcalloc(n, sizeof(*rule->objects));
	seen_reset(ps);
	for (size_t i = 0; i < n; i++) {
		struct policy_object *o = &rule->objects[rule->n_objects];
		const struct policy_builtin_files *builtin;
		const size_t *value;

		if (seen_word(ps, &w[i])) {
			error_at(ps, w[i].col,
				 "'%.*s' is listed twice in this rule",
				 (int)w[i].len, w[i].s);
			return false;
		}
		o->loc = loc_of(ps, &w[i]);
		if (w[i].s[0] == '/') {
			o->files = SIZE_MAX;
			o->path = word_dup(&w[i]);
			rule->n_objects++;
			continue;
		}
		if (memchr(w[i].s, '/', w[i].len)) {
			error_relative(ps, &w[i]);
			return false;
		}
		builtin = policy_builtin_files(w[i].s, w[i].len);
		if (builtin) {
			o->files = builtin->files;
			rule->n_objects++;
			continue;
		}
		value = htab_get(&st->names, w[i].s, w[i].len);
		if (!value) {
			error_at(
				ps, w[i].col,
				"unknown files '%.*s': define it with 'files NAME PATH...' before this line, or write an absolute path",
				(int)w[i].len, w[i].s);
			return false;
		}
		if (NAME_KIND(*value) != NAME_FILES) {
			error_at(ps, w[i].col, "'%.*s' is %s, not a files set",
				 (int)w[i].len, w[i].s,
				 kind_article[NAME_KIND(*value)]);
			return false;
		}
		o->files = NAME_INDEX(*value);
		rule->n_objects++;
	}
	return true;
}

/* tcp:PORT, tcp:LOW-HIGH, tcp:*, likewise udp and sctp. */
static bool parse_endpoint(struct parser *ps, const struct word *w,
			   struct policy_endpoint *e)
{
	const char *colon = memchr(w->s, ':', w->len), *rest, *dash;
	size_t prefix = (colon ? colon - w->s : 0) + 1, len;
	uint64_t low, high;

	e->loc = loc_of(ps, w);
	e->proto = colon ? policy_proto_number(w->s, prefix - 1) : 0;
	if (!e->proto) {
		error_at(
			ps, w->col,
			"unknown endpoint '%.*s': expected tcp:PORT, tcp:LOW-HIGH, tcp:* or the same with udp or sctp",
			(int)w->len, w->s);
		return false;
	}
	rest = w->s + prefix;
	len = w->len - prefix;
	if (len == 1 && rest[0] == '*') {
		e->port_min = 0;
		e->port_max = 65535;
		return true;
	}
	dash = memchr(rest, '-', len);
	if (!parse_number(rest, dash ? (size_t)(dash - rest) : len, 65535,
			  &low) ||
	    !low ||
	    (dash &&
	     (!parse_number(dash + 1, len - (dash + 1 - rest), 65535, &high) ||
	      !high))) {
		error_at(
			ps, w->col + prefix,
			"invalid port in '%.*s': expected a port from 1 to 65535, a range LOW-HIGH of them, or * for all",
			(int)w->len, w->s);
		return false;
	}
	if (!dash)
		high = low;
	if (low > high) {
		error_at(
			ps, w->col + prefix,
			"empty port range in '%.*s': write the lower port first",
			(int)w->len, w->s);
		return false;
	}
	e->port_min = (__u16)low;
	e->port_max = (__u16)high;
	return true;
}

static bool parse_net(struct parser *ps, const struct word *w, size_t n,
		      struct policy_rule *rule)
{
	static const char usage[] =
		"allow APP net bind|connect[,bind|connect] ENDPOINT... or allow APP net create FAMILY...";

	if (n < 5) {
		error_at(ps, w[0].col, "missing arguments: expected '%s'",
			 usage);
		return false;
	}
	if (word_is(&w[3], "create")) {
		rule->kind = RULE_SOCKET;
		seen_reset(ps);
		for (size_t i = 4; i < n; i++) {
			__u32 bit = policy_family_bit(w[i].s, w[i].len);

			if (!bit) {
				error_at(
					ps, w[i].col,
					policy_proto_number(w[i].s, w[i].len) ?
						"'%.*s' is not created by family: allow TCP, UDP and SCTP with 'allow APP net bind|connect ENDPOINT...'" :
						"unknown socket family '%.*s': expected unix, netlink, packet, raw or icmp",
					(int)w[i].len, w[i].s);
				return false;
			}
			if (rule->families & bit) {
				error_at(ps, w[i].col,
					 "'%.*s' is listed twice in this rule",
					 (int)w[i].len, w[i].s);
				return false;
			}
			rule->families |= bit;
		}
		return true;
	}

	rule->kind = RULE_NET;
	if (memmem(w[3].s, w[3].len, "create", 6) && w[3].len > 6) {
		error_at(
			ps, w[3].col,
			"'create' cannot be joined to bind or connect: write 'allow APP net create FAMILY...' as a rule of its own");
		return false;
	}
	if (!parse_bits(ps, &w[3], policy_net_op_bit, "network operation",
			"bind, connect, bind,connect or create", &rule->access))
		return false;
	if (too_many(ps, &w[4], ps->st->n_endpoints, n - 4, "endpoints"))
		return false;
	rule->endpoints = xcalloc(n - 4, sizeof(*rule->endpoints));
	seen_reset(ps);
	for (size_t i = 4; i < n; i++) {
		struct policy_endpoint *e = &rule->endpoints[rule->n_endpoints];
		__u16 key[3];

		if (!parse_endpoint(ps, &w[i], e))
			return false;
		rule->n_endpoints++;
		key[0] = e->proto;
		key[1] = e->port_min;
		key[2] = e->port_max;
		if (seen_before(ps, key, sizeof(key))) {
			error_at(ps, w[i].col,
				 "'%.*s' is listed twice in this rule",
				 (int)w[i].len, w[i].s);
			return false;
		}
	}
	return true;
}

static bool parse_caps(struct parser *ps, const struct word *w, size_t n,
		       struct policy_rule *rule)
{
	if (n < 4) {
		error_at(ps, w[0].col,
			 "missing arguments: expected 'allow APP cap CAP...'");
		return false;
	}
	rule->kind = RULE_CAP;
	for (size_t i = 3; i < n; i++) {
		int cap = policy_cap_number(w[i].s, w[i].len);
		__u64 bit = cap < 0 ? 0 : 1ULL << cap;

		if (!bit) {
			bool spelled = (w[i].len > 4 &&
					!strncasecmp(w[i].s, "cap_", 4));

			for (size_t k = 0; k < w[i].len && !spelled; k++)
				spelled = w[i].s[k] >= 'A' && w[i].s[k] <= 'Z';
			error_at(
				ps, w[i].col,
				spelled ?
					"unknown capability '%.*s': write capability names in lower case without 'cap_', e.g. net_admin" :
					"unknown capability '%.*s': expected a name from capabilities(7) in lower case without 'cap_', e.g. net_bind_service",
				(int)w[i].len, w[i].s);
			return false;
		}
		if (rule->caps & bit) {
			error_at(ps, w[i].col,
				 "'%.*s' is listed twice in this rule",
				 (int)w[i].len, w[i].s);
			return false;
		}
		rule->caps |= bit;
	}
	return true;
}

static void free_rule(struct policy_rule *rule)
{
	for (size_t i = 0; i < rule->n_objects; i++)
		free(rule->objects[i].path);
	free(rule->objects);
	free(rule->endpoints);
}

static void add_rule(struct parser *ps, struct policy_rule *rule)
{
	struct parse_state *st = ps->st;
	struct policy *p = ps->p;

	GROW(p->rules, p->n_rules, st->rules_cap);
	p->rules[p->n_rules++] = *rule;
	st->n_rules++;
	st->n_objects += rule->n_objects;
	st->n_endpoints += rule->n_endpoints;
	for (size_t i = 0; i < rule->n_objects; i++)
		st->n_paths += rule->objects[i].files == SIZE_MAX;
}

static void parse_allow(struct parser *ps, const struct word *w, size_t n)
{
	struct policy_rule rule = { .loc = loc_of(ps, &w[0]) };
	const size_t *value;
	bool net, cap, ok;

	if (too_many(ps, &w[0], ps->p->n_rules, 1, "rules"))
		return;
	net = n >= 3 && word_is(&w[2], "net");
	cap = n >= 3 && word_is(&w[2], "cap");
	if (n < 4 && !net && !cap) {
		error_at(
			ps, w[0].col,
			"missing arguments: expected 'allow SUBJECT ACCESS OBJECT...'");
		return;
	}

	rule.subject.loc = loc_of(ps, &w[1]);
	if (word_is(&w[1], "any")) {
		rule.subject.kind = SUBJECT_ANY;
	} else if (word_is(&w[1], WARD_APP_SELF_NAME)) {
		rule.subject.kind = SUBJECT_SELF;
	} else if (!(value = htab_get(&ps->st->names, w[1].s, w[1].len))) {
		error_at(
			ps, w[1].col,
			"unknown subject '%.*s': expected any, ward, or an app or a user set defined before this line",
			(int)w[1].len, w[1].s);
		return;
	} else if (NAME_KIND(*value) == NAME_FILES) {
		error_at(
			ps, w[1].col,
			"'%.*s' is a files set, not a subject: expected any, an app or a user set",
			(int)w[1].len, w[1].s);
		return;
	} else {
		rule.subject.kind = NAME_KIND(*value) == NAME_APP ?
					    SUBJECT_APP :
					    SUBJECT_USERS;
		rule.subject.index = NAME_INDEX(*value);
	}

	if ((net || cap) && rule.subject.kind != SUBJECT_APP) {
		error_at(
			ps, w[1].col,
			"'%s' rules are for apps, and '%.*s' is %s: name an app",
			net ? "net" : "cap", (int)w[1].len, w[1].s,
			rule.subject.kind == SUBJECT_ANY  ? "everyone" :
			rule.subject.kind == SUBJECT_SELF ? "ward itself" :
							    "a user set");
		return;
	}
	if (net) {
		ok = parse_net(ps, w, n, &rule);
	} else if (cap) {
		ok = parse_caps(ps, w, n, &rule);
	} else {
		rule.kind = RULE_FILES;
		ok = parse_access(ps, &w[2], &rule.access) &&
		     parse_objects(ps, w + 3, n - 3, &rule);
	}
	if (ok)
		add_rule(ps, &rule);
	else
		free_rule(&rule);
}

static void parse_audit(struct parser *ps, const struct word *w, size_t n)
{
	struct policy_rule rule = { .kind = RULE_AUDIT,
				    .loc = loc_of(ps, &w[0]) };

	if (too_many(ps, &w[0], ps->p->n_rules, 1, "rules") ||
	    !check_args(ps, w, n, 2, SIZE_MAX, "audit ACCESS OBJECT..."))
		return;
	if (parse_access(ps, &w[1], &rule.access) &&
	    parse_objects(ps, w + 2, n - 2, &rule))
		add_rule(ps, &rule);
	else
		free_rule(&rule);
}

static void parse_files(struct parser *ps, const struct word *w, size_t n)
{
	parse_set(ps, w, n, true);
}

static void parse_app(struct parser *ps, const struct word *w, size_t n)
{
	parse_set(ps, w, n, false);
}

static const struct statement {
	const char *keyword;
	void (*parse)(struct parser *ps, const struct word *w, size_t n);
} statements[] = {
	{ "policy", parse_policy }, { "mode", parse_mode },
	{ "files", parse_files },   { "app", parse_app },
	{ "user", parse_user },	    { "confine", parse_confine },
	{ "inherit", parse_inherit }, { "installer", parse_installer },
	{ "interpreter", parse_interpreter },
	{ "allow", parse_allow },   { "audit", parse_audit },
	{ "kernel", parse_kernel }, { "lock", parse_lock },
};

/* The statement of @n words, @n > 0. */
static void parse_statement(struct parser *ps, const struct word *w, size_t n)
{
	const struct statement *st = NULL;

	ps->statements++;
	for (size_t i = 0; i < ARRAY_LEN(statements); i++)
		if (word_is(&w[0], statements[i].keyword))
			st = &statements[i];
	if (!st) {
		error_at(
			ps, w[0].col,
			"unknown statement '%.*s': expected policy, mode, files, app, user, confine, inherit, installer, interpreter, allow, audit, kernel or lock",
			(int)w[0].len, w[0].s);
		return;
	}
	if (!ps->named && st->parse != parse_policy) {
		error_at(
			ps, w[0].col,
			"'%s' before the policy statement: a policy file starts with 'policy NAME VERSION'",
			st->keyword);
		return;
	}
	st->parse(ps, w, n);
}

static void sha256(const void *data, size_t len, unsigned char out[32])
{
	unsigned int out_len = 32;

	if (!EVP_Digest(data, len, out, &out_len, EVP_sha256(), NULL))
		abort();
}

void policy_init(struct policy *p)
{
	memset(p, 0, sizeof(*p));
	p->mode = WARD_MODE_ENFORCE;
	p->installer = SIZE_MAX;
}

static void parse_text(struct parser *ps, const char *text, size_t len)
{
	size_t n;

	lex_start(ps, text, len);
	while ((n = lex_line(ps)))
		parse_statement(ps, ps->words, n);
	lex_end(ps);
}

int policy_parse(struct policy *p, const char *file, const char *text,
		 size_t len, struct diag_list *diags)
{
	struct parser ps = { .p = p, .diags = diags };
	struct policy_unit *unit;

	p->units = xrealloc(p->units, p->n_units + 1, sizeof(*p->units));
	unit = &p->units[p->n_units];
	memset(unit, 0, sizeof(*unit));
	unit->file = strdup(file);
	if (!unit->file)
		abort();
	sha256(text, len, unit->sha256);
	ps.unit = p->n_units++;
	ps.file = unit->file;
	ps.st = state_get(p);

	if (len > POLICY_SIZE_MAX) {
		error_at(&ps, 0,
			 "larger than %d MiB: split it into several files",
			 POLICY_SIZE_MAX >> 20);
		return -EINVAL;
	}
	parse_text(&ps, text, len);
	free(ps.seen);
	free(ps.scratch);

	if (!ps.statements && !ps.errors) {
		ps.line = 0;
		error_at(
			&ps, 0,
			"no statements: a policy file starts with 'policy NAME VERSION'");
	}
	return ps.errors ? -EINVAL : 0;
}

int policy_parse_file(struct policy *p, const char *file,
		      struct diag_list *diags)
{
	struct stat st;
	size_t len = 0, cap;
	char *text;
	int fd, err;

	/* O_NONBLOCK: a FIFO must not hang us before the check below. */
	fd = open(file, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		err = -errno;
		diag_add(diags, DIAG_ERROR, file, 0, 0, "cannot open: %s",
			 strerror(-err));
		return err;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		diag_add(diags, DIAG_ERROR, file, 0, 0,
			 "not a regular file: give a policy file");
		close(fd);
		return -EINVAL;
	}
	if (st.st_size > POLICY_SIZE_MAX) {
		diag_add(diags, DIAG_ERROR, file, 0, 0,
			 "larger than %d MiB: split it into several files",
			 POLICY_SIZE_MAX >> 20);
		close(fd);
		return -EFBIG;
	}
	/* Read to the end whatever fstat() said: the file may have grown. */
	cap = (size_t)st.st_size + 1;
	text = xcalloc(cap, 1);
	for (;;) {
		ssize_t got;

		if (len == cap) {
			cap = cap * 2 > POLICY_SIZE_MAX + 1 ?
				      POLICY_SIZE_MAX + 1 :
				      cap * 2;
			text = xrealloc(text, cap, 1);
		}
		got = read(fd, text + len, cap - len);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0) {
			err = got < 0 ? -errno : 0;
			break;
		}
		len += got;
		if (len > POLICY_SIZE_MAX) {
			err = -EFBIG;
			break;
		}
	}
	close(fd);
	if (err == -EFBIG)
		diag_add(diags, DIAG_ERROR, file, 0, 0,
			 "larger than %d MiB: split it into several files",
			 POLICY_SIZE_MAX >> 20);
	else if (err)
		diag_add(diags, DIAG_ERROR, file, 0, 0, "cannot read: %s",
			 strerror(-err));
	if (err) {
		free(text);
		return err;
	}
	err = policy_parse(p, file, text, len, diags);
	free(text);
	return err;
}

int policy_finish(struct policy *p, struct diag_list *diags)
{
	EVP_MD_CTX *ctx;
	unsigned int len = 32;

	if (!p->n_units) {
		sha256("", 0, p->sha256);
		diag_add(diags, DIAG_ERROR, "ward", 0, 0,
			 "no policy files: give at least one");
		return -EINVAL;
	}

	ctx = EVP_MD_CTX_new();
	if (!ctx || !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL))
		abort();
	for (size_t i = 0; i < p->n_units; i++)
		if (!EVP_DigestUpdate(ctx, p->units[i].sha256,
				      sizeof(p->units[i].sha256)))
			abort();
	if (!EVP_DigestFinal_ex(ctx, p->sha256, &len))
		abort();
	EVP_MD_CTX_free(ctx);

	/* A policy built by hand gets its state here. */
	policy_lint(p, state_get(p), diags);
	return 0;
}

static void free_sets(struct policy_set *sets, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < sets[i].n_paths; k++)
			free(sets[i].paths[k].path);
		free(sets[i].paths);
		for (size_t k = 0; k < sets[i].n_interps; k++)
			free(sets[i].interps[k].path);
		free(sets[i].interps);
		free(sets[i].name);
	}
	free(sets);
}

void policy_free(struct policy *p)
{
	kernel_free(p, p->state);
	state_free(p->state);
	for (size_t i = 0; i < p->n_units; i++)
		free(p->units[i].file);
	free(p->units);
	free_sets(p->files, p->n_files);
	free_sets(p->apps, p->n_apps);
	for (size_t i = 0; i < p->n_users; i++) {
		free_members(p->users[i].members, p->users[i].n_members);
		free(p->users[i].name);
	}
	free(p->users);
	for (size_t i = 0; i < p->n_rules; i++)
		free_rule(&p->rules[i]);
	free(p->rules);
	policy_init(p);
}
