// SPDX-License-Identifier: GPL-2.0
/*
 * ward - policy lint: warnings about a whole policy, once it is parsed
 *
 * A policy can be valid and still not say what its writer meant: a set no
 * rule uses, a net or cap rule for an app that is not confined (it
 * restricts nothing), a rule that grants nothing earlier rules did not.
 * These are warnings: the policy loads all the same.
 */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy_parse_internal.h"
#include "xalloc.h"

/*
 * What earlier rules granted, for "grants nothing new": per key (a subject
 * and a label, or an app and a port range...), the entries that each added
 * bits, at most one per bit, so a check costs at most 64 steps.
 */
struct grant_entry {
	__u64 bits; /* what it added */
	__u64 full; /* what it granted */
	struct policy_loc loc;
	size_t next;
};

/* Where the keys are kept: blocks that never move, freed at once. */
struct key_block {
	struct key_block *next;
	size_t used;
	char data[65536 - 2 * sizeof(size_t)];
};

struct grants {
	struct htab keys; /* keys in @blocks -> index into @all, @head */
	struct key_block *blocks;
	__u64 *all;
	size_t *head;
	size_t n, cap;
	struct grant_entry *e;
	size_t n_e, cap_e;
	char *key; /* the key being built */
	size_t key_len, key_cap;
};

static void key_reset(struct grants *g, char tag)
{
	g->key_len = 0;
	if (!g->key_cap) {
		g->key_cap = 256;
		g->key = xcalloc(g->key_cap, 1);
	}
	g->key[g->key_len++] = tag;
}

static void key_add(struct grants *g, const void *data, size_t len)
{
	if (g->key_len + len > g->key_cap) {
		while (g->key_len + len > g->key_cap)
			g->key_cap *= 2;
		g->key = xrealloc(g->key, g->key_cap, 1);
	}
	memcpy(g->key + g->key_len, data, len);
	g->key_len += len;
}

static void key_add_index(struct grants *g, size_t index)
{
	key_add(g, &index, sizeof(index));
}

/* A copy of the key being built, kept until grants_free(). */
static char *key_store(struct grants *g)
{
	struct key_block *b = g->blocks;
	char *key;

	if (g->key_len > sizeof(b->data))
		abort(); /* cannot happen: a key holds one path of a line */
	if (!b || sizeof(b->data) - b->used < g->key_len) {
		b = xcalloc(1, sizeof(*b));
		b->next = g->blocks;
		g->blocks = b;
	}
	key = b->data + b->used;
	memcpy(key, g->key, g->key_len);
	b->used += g->key_len;
	return key;
}

/*
 * Records that @bits were granted under the current key at @loc; true if
 * they all had been before, and then @covered holds the entries that did.
 * With @check_only nothing is recorded.
 */
static bool grant(struct grants *g, __u64 bits, const struct policy_loc *loc,
		  bool check_only, size_t *covered)
{
	size_t *index = htab_get(&g->keys, g->key, g->key_len);
	char *key;
	size_t i;

	*covered = SIZE_MAX;
	if (!index) {
		if (check_only)
			return false;
		GROW(g->all, g->n, g->cap);
		g->head = xrealloc(g->head, g->cap, sizeof(*g->head));
		g->all[g->n] = 0;
		g->head[g->n] = SIZE_MAX;
		key = key_store(g);
		index = htab_put(&g->keys, key, g->key_len, g->n++);
	}
	i = *index;
	if ((g->all[i] & bits) == bits) {
		*covered = g->head[i];
		return true;
	}
	if (check_only)
		return false;
	GROW(g->e, g->n_e, g->cap_e);
	g->e[g->n_e] = (struct grant_entry){ bits & ~g->all[i], bits, *loc,
					     g->head[i] };
	g->head[i] = g->n_e++;
	g->all[i] |= bits;
	return false;
}

static void grants_free(struct grants *g)
{
	while (g->blocks) {
		struct key_block *next = g->blocks->next;

		free(g->blocks);
		g->blocks = next;
	}
	htab_free(&g->keys);
	free(g->all);
	free(g->head);
	free(g->e);
	free(g->key);
}

/*
 * "line 4 already allows it": the oldest earlier rule that granted all of
 * @bits, or else the rules that granted them between them.
 */
static void warn_granted(struct grants *g, struct diag_list *diags,
			 const struct policy_loc *loc, size_t covered,
			 __u64 bits, bool audit)
{
	size_t picks[65], n = 0, single = SIZE_MAX, size = 0;
	char *list = NULL, buf[4200];
	FILE *f;

	/* Entries run newest first. */
	for (size_t i = covered; i != SIZE_MAX; i = g->e[i].next) {
		if ((g->e[i].full & bits) == bits)
			single = i;
		if ((g->e[i].bits & bits) && n < ARRAY_LEN(picks))
			picks[n++] = i;
	}
	if (single != SIZE_MAX) {
		picks[0] = single;
		n = 1;
	}
	f = open_memstream(&list, &size);
	if (!f)
		abort();
	for (size_t k = n; k-- > 0;) {
		fputs(where_buf(buf, sizeof(buf), &g->e[picks[k]].loc,
				loc->file),
		      f);
		if (k)
			fputs(k == 1 ? " and " : ", ", f);
	}
	if (fclose(f))
		abort();
	diag_add(diags, DIAG_WARNING, loc->file ? loc->file : "?", loc->line,
		 loc->col, "%s nothing new: %s already %s it",
		 audit ? "audits" : "grants", list,
		 n > 1 ? (audit ? "audit" : "allow") :
			 (audit ? "audits" : "allows"));
	free(list);
}

static void warn(struct diag_list *diags, const struct policy_loc *loc,
		 const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void warn(struct diag_list *diags, const struct policy_loc *loc,
		 const char *fmt, ...)
{
	char *msg;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		abort();
	va_end(ap);
	diag_add(diags, DIAG_WARNING, loc->file ? loc->file : "?", loc->line,
		 loc->col, "%s", msg);
	free(msg);
}

/* The label an object carries: a files set's, or its own path's. */
static void key_add_label(struct grants *g, const struct parse_state *st,
			  const struct policy_object *o, size_t *files)
{
	const size_t *set = NULL;

	if (o->files != POLICY_OBJECT_PATH)
		set = &o->files;
	else if (o->path)
		set = htab_get(&st->file_paths, o->path, strlen(o->path));
	*files = set ? *set : SIZE_MAX;
	if (set) {
		key_add(g, "S", 1);
		key_add_index(g, *set);
	} else {
		key_add(g, "P", 1);
		if (o->path)
			key_add(g, o->path, strlen(o->path));
	}
}

static const char *app_name(const struct policy *p, size_t app)
{
	return app < p->n_apps && p->apps[app].name ? p->apps[app].name : "?";
}

static void check_rules(const struct policy *p, const struct parse_state *st,
			struct diag_list *diags, bool *files_used)
{
	struct grants g = { 0 };
	size_t covered;

	for (size_t r = 0; r < p->n_rules; r++) {
		const struct policy_rule *rule = &p->rules[r];
		const struct policy_subject *s = &rule->subject;
		bool app = rule->kind != RULE_FILES && rule->kind != RULE_AUDIT;

		if (app && s->kind == SUBJECT_APP && s->index < p->n_apps &&
		    !p->apps[s->index].confined)
			warn(diags, &s->loc,
			     "restricts nothing: '%s' is not confined",
			     app_name(p, s->index));

		switch (rule->kind) {
		case RULE_FILES:
		case RULE_AUDIT:
			for (size_t i = 0; i < rule->n_objects; i++) {
				const struct policy_object *o =
					&rule->objects[i];
				size_t files;

				key_reset(&g,
					  rule->kind == RULE_AUDIT ? 'A' : 'F');
				if (rule->kind == RULE_FILES) {
					key_add(&g, &s->kind, sizeof(s->kind));
					key_add_index(&g, s->index);
				}
				key_add_label(&g, st, o, &files);
				if (files < p->n_files)
					files_used[files] = true;
				if (grant(&g, rule->access, &o->loc, false,
					  &covered))
					warn_granted(&g, diags, &o->loc,
						     covered, rule->access,
						     rule->kind == RULE_AUDIT);
			}
			break;
		case RULE_NET:
			for (size_t i = 0; i < rule->n_endpoints; i++) {
				const struct policy_endpoint *e =
					&rule->endpoints[i];
				__u16 all[3] = { e->proto, 0, 65535 };
				__u16 range[3] = { e->proto, e->port_min,
						   e->port_max };

				/* tcp:* covers every port of tcp. */
				key_reset(&g, 'N');
				key_add_index(&g, s->index);
				key_add(&g, all, sizeof(all));
				if (!grant(&g, rule->access, &e->loc, true,
					   &covered)) {
					key_reset(&g, 'N');
					key_add_index(&g, s->index);
					key_add(&g, range, sizeof(range));
					grant(&g, rule->access, &e->loc, false,
					      &covered);
				}
				if (covered != SIZE_MAX)
					warn_granted(&g, diags, &e->loc,
						     covered, rule->access,
						     false);
			}
			break;
		case RULE_SOCKET:
		case RULE_CAP:
			key_reset(&g, rule->kind == RULE_CAP ? 'C' : 'K');
			key_add_index(&g, s->index);
			if (grant(&g,
				  rule->kind == RULE_CAP ? rule->caps :
							   rule->families,
				  &rule->loc, false, &covered))
				warn_granted(&g, diags, &rule->loc, covered,
					     rule->kind == RULE_CAP ?
						     rule->caps :
						     rule->families,
					     false);
			break;
		}
	}
	grants_free(&g);
}

/*
 * An app whose executable a rule allows to be run is used: running it is
 * how a confined app hands a task over to it (a login shell, say).
 */
static void mark_exec_targets(const struct policy *p, bool *apps_used)
{
	struct htab exes = { 0 };

	for (size_t i = 0; i < p->n_apps; i++)
		for (size_t k = 0; k < p->apps[i].n_paths; k++) {
			const char *path = p->apps[i].paths[k].path;

			if (path && !htab_get(&exes, path, strlen(path)))
				htab_put(&exes, path, strlen(path), i);
		}
	for (size_t i = 0; i < p->n_rules; i++) {
		const struct policy_rule *r = &p->rules[i];

		if (r->kind != RULE_FILES || !(r->access & WARD_ACCESS_EXEC))
			continue;
		for (size_t k = 0; k < r->n_objects; k++) {
			const char *path = r->objects[k].path;
			size_t *app;

			if (r->objects[k].files != SIZE_MAX || !path)
				continue;
			app = htab_get(&exes, path, strlen(path));
			if (app)
				apps_used[*app] = true;
		}
	}
	htab_free(&exes);
}

void policy_lint(const struct policy *p, const struct parse_state *st,
		 struct diag_list *diags)
{
	bool *files_used, *apps_used, *users_used;

	files_used = xcalloc(p->n_files, sizeof(bool));
	apps_used = xcalloc(p->n_apps, sizeof(bool));
	users_used = xcalloc(p->n_users, sizeof(bool));
	for (size_t i = 0; i < p->n_rules; i++) {
		const struct policy_subject *s = &p->rules[i].subject;

		if (p->rules[i].kind == RULE_AUDIT)
			continue;
		if (s->kind == SUBJECT_APP && s->index < p->n_apps)
			apps_used[s->index] = true;
		else if (s->kind == SUBJECT_USERS && s->index < p->n_users)
			users_used[s->index] = true;
	}
	for (size_t i = 0; i < p->n_apps; i++)
		if (p->apps[i].confined || p->apps[i].inherit ||
		    p->apps[i].mode != WARD_APP_MODE_INHERIT ||
		    p->installer == i)
			apps_used[i] = true;
	mark_exec_targets(p, apps_used);

	/* Marks files_used too, so its warnings come after. */
	check_rules(p, st, diags, files_used);

	for (size_t i = 0; i < p->n_files; i++)
		if (!files_used[i])
			warn(diags, &p->files[i].loc,
			     "files '%s' is defined but no rule uses it",
			     p->files[i].name);
	for (size_t i = 0; i < p->n_apps; i++) {
		const struct policy_set *app = &p->apps[i];

		/* An unconfined app's mode still matters on protected labels. */
		if (!apps_used[i])
			warn(diags, &app->loc,
			     "app '%s' is defined but no rule, confine or mode statement uses it",
			     app->name);
	}
	for (size_t i = 0; i < p->n_users; i++)
		if (!users_used[i])
			warn(diags, &p->users[i].loc,
			     "user set '%s' is defined but no rule uses it",
			     p->users[i].name);

	free(files_used);
	free(apps_used);
	free(users_used);
}
