// SPDX-License-Identifier: GPL-2.0
/*
 * ward - policy compiler: struct policy to the entries of a policy map
 *
 * Paths become (device, inode) pairs, user and group names become ids,
 * port ranges become ports.  Entries are first collected, then sorted and
 * folded, so that rules for one (label, subject) pair merge.
 */

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <netinet/in.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "policy_compile.h"

__u64 kernel_dev(dev_t dev)
{
	/* MKDEV() in include/linux/kdev_t.h */
	return (__u64)major(dev) << 20 | minor(dev);
}

__u32 policy_app_id(const char *name)
{
	__u32 hash = 2166136261u;

	for (const unsigned char *c = (const unsigned char *)name; *c; c++)
		hash = (hash ^ *c) * 16777619u;
	hash &= ~WARD_SUBJECT_USERS;
	return hash ? hash : 1;
}

const char *policy_app_name(const struct policy *p, __u32 id)
{
	for (size_t i = 0; id && i < p->n_apps; i++)
		if (policy_app_id(p->apps[i].name) == id)
			return p->apps[i].name;
	return NULL;
}

/* An inode's label while compiling: an open-addressing hash table. */
struct label_slot {
	struct ward_inode_ref inode;
	__u32 label; /* 0: empty slot */
	struct policy_loc loc;
	const char *set; /* the files set, NULL for a path in a rule */
};

struct compiler {
	const struct policy *p;
	struct compiled_policy *c;
	struct diag_list *diags;
	struct label_slot *labels;
	size_t n_slots;
	__u32 next_label;
	__u32 *set_labels; /* per files set; 0 when none of its paths exist */
};

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

static struct label_slot *slot_of(struct compiler *cc,
				  const struct ward_inode_ref *inode)
{
	size_t mask = cc->n_slots - 1;
	size_t i = (inode->dev * 0x9e3779b97f4a7c15ULL ^ inode->ino) *
			   0xff51afd7ed558ccdULL >>
		   17;

	for (;; i++) {
		struct label_slot *slot = &cc->labels[i & mask];

		if (!slot->label || (slot->inode.dev == inode->dev &&
				     slot->inode.ino == inode->ino))
			return slot;
	}
}

/*
 * stat() @path of @kind ("files", "app") @name, or of a rule when @name is
 * NULL; a missing path is a warning, as is said in policy_compile.h.
 */
static bool resolve(struct compiler *cc, const struct policy_path *path,
		    const char *kind, const char *name, struct stat *st)
{
	if (!stat(path->path, st))
		return true;
	if (name)
		diag_add(cc->diags, DIAG_WARNING, path->loc.file,
			 path->loc.line, path->loc.col,
			 "%s '%s': '%s' skipped: %s", kind, name, path->path,
			 strerror(errno));
	else
		diag_add(cc->diags, DIAG_WARNING, path->loc.file,
			 path->loc.line, path->loc.col, "path '%s' skipped: %s",
			 path->path, strerror(errno));
	return false;
}

/*
 * The label of the inode at @path: the one it already has, else @label
 * (0 for a new anonymous one).  An inode claimed by two files sets is an
 * error.  Returns 0 when the path does not exist.
 */
static __u32 label_path(struct compiler *cc, const struct policy_path *path,
			const char *set, __u32 label)
{
	struct ward_inode_ref inode;
	struct label_slot *slot;
	struct policy_entry *e;
	struct stat st;

	if (!resolve(cc, path, "files", set, &st))
		return 0;
	inode.dev = kernel_dev(st.st_dev);
	inode.ino = st.st_ino;
	slot = slot_of(cc, &inode);
	if (slot->label) {
		if (set && slot->set && slot->label != label)
			diag_add(
				cc->diags, DIAG_ERROR, path->loc.file,
				path->loc.line, path->loc.col,
				"'%s' is the same file as one in files '%s' (%s:%u): a file can be in one set only",
				path->path, slot->set, slot->loc.file,
				slot->loc.line);
		return slot->label;
	}
	slot->inode = inode;
	slot->label = label ? label : ++cc->next_label;
	slot->loc = path->loc;
	slot->set = set;
	e = add(cc, WARD_KEY_OBJECT, &path->loc);
	e->key.inode = inode;
	e->value.label = slot->label;
	return slot->label;
}

static void compile_files(struct compiler *cc)
{
	const struct policy *p = cc->p;

	for (size_t i = 0; i < p->n_files; i++) {
		const struct policy_set *set = &p->files[i];
		__u32 label = ++cc->next_label;

		for (size_t k = 0; k < set->n_paths; k++)
			if (label_path(cc, &set->paths[k], set->name, label))
				cc->set_labels[i] = label;
	}
}

/* Apps: their ids, whether the ids collide, and their executables. */
static void compile_apps(struct compiler *cc)
{
	const struct policy *p = cc->p;

	for (size_t i = 0; i < p->n_apps; i++) {
		const struct policy_set *app = &p->apps[i];
		__u32 id = policy_app_id(app->name);
		struct policy_entry *e;

		for (size_t k = 0; k < i; k++)
			if (policy_app_id(p->apps[k].name) == id)
				diag_add(
					cc->diags, DIAG_ERROR, app->loc.file,
					app->loc.line, app->loc.col,
					"app '%s' has the same id as app '%s': rename one",
					app->name, p->apps[k].name);
		e = add(cc, WARD_KEY_APP, &app->loc);
		e->key.id.id = id;
		e->value.app_info.mode = app->mode;
		if (app->confined)
			e->value.app_info.flags |= WARD_APP_CONFINED;

		for (size_t k = 0; k < app->n_paths; k++) {
			const struct policy_path *path = &app->paths[k];
			struct stat st;

			if (!resolve(cc, path, "app", app->name, &st))
				continue;
			if (!S_ISREG(st.st_mode)) {
				diag_add(
					cc->diags, DIAG_ERROR, path->loc.file,
					path->loc.line, path->loc.col,
					"app '%s': '%s' is not a regular file: name the executable",
					app->name, path->path);
				continue;
			}
			e = add(cc, WARD_KEY_EXE, &path->loc);
			e->key.inode.dev = kernel_dev(st.st_dev);
			e->key.inode.ino = st.st_ino;
			e->value.app = id;
		}
	}
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
	return s->kind == SUBJECT_APP ? policy_app_id(p->apps[s->index].name) :
					WARD_SUBJECT_ANY;
}

/* The label of a rule's object, 0 when nothing of it exists. */
static __u32 object_label(struct compiler *cc, const struct policy_object *o)
{
	struct policy_path path = { .path = o->path, .loc = o->loc };

	if (o->files != SIZE_MAX)
		return cc->set_labels[o->files];
	return label_path(cc, &path, NULL, 0);
}

static struct policy_entry *label_info(struct compiler *cc, __u32 label,
				       const struct policy_loc *loc)
{
	struct policy_entry *e = add(cc, WARD_KEY_LABEL, loc);

	e->key.id.id = label;
	return e;
}

static void compile_file_rule(struct compiler *cc, const struct policy_rule *r)
{
	const struct policy *p = cc->p;
	bool protects = r->subject.kind != SUBJECT_APP ||
			!p->apps[r->subject.index].confined;

	for (size_t k = 0; k < r->n_objects; k++) {
		__u32 label = object_label(cc, &r->objects[k]);
		struct policy_entry *e;

		if (!label)
			continue;
		if (r->kind == RULE_AUDIT) {
			label_info(cc, label, &r->loc)->value.label_info.audit =
				r->access;
			continue;
		}
		if (r->subject.kind == SUBJECT_USERS) {
			/* Past WARD_USER_SETS_MAX: refused by compile_users(). */
			if (r->subject.index >= WARD_USER_SETS_MAX)
				continue;
			/* One entry per access: its holders, as a mask. */
			for (__u32 bit = 0; bit < 32; bit++) {
				if (!(r->access & (1U << bit)))
					continue;
				e = add(cc, WARD_KEY_USERS_RULE, &r->loc);
				e->key.rule.label = label;
				e->key.rule.subject = bit;
				e->value.users = 1ULL << r->subject.index;
			}
		} else {
			e = add(cc, WARD_KEY_RULE, &r->loc);
			e->key.rule.label = label;
			e->key.rule.subject = subject_id(p, &r->subject);
			e->value.access = r->access;
		}
		if (protects)
			label_info(cc, label, &r->loc)->value.label_info.flags =
				WARD_LABEL_PROTECTED;
	}
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

/* Orders by key, then by source position so the first written comes first. */
static int entry_cmp(const void *a, const void *b)
{
	const struct policy_entry *x = a, *y = b;
	int cmp = memcmp(&x->key, &y->key, sizeof(x->key));

	if (cmp)
		return cmp;
	if (x->unit != y->unit)
		return x->unit < y->unit ? -1 : 1;
	if (x->loc.line != y->loc.line)
		return x->loc.line < y->loc.line ? -1 : 1;
	return x->loc.col < y->loc.col ? -1 : x->loc.col > y->loc.col;
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

	qsort(c->entries, c->n, sizeof(*c->entries), entry_cmp);
	for (size_t i = 0; i < c->n; i++) {
		struct policy_entry *e = &c->entries[i];
		struct policy_entry *prev = n ? &c->entries[n - 1] : NULL;

		if (!prev || memcmp(&prev->key, &e->key, sizeof(e->key))) {
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
			prev->value.app_info.flags |= e->value.app_info.flags;
			prev->value.app_info.mode |= e->value.app_info.mode;
			break;
		case WARD_KEY_LABEL:
			prev->value.label_info.flags |=
				e->value.label_info.flags;
			prev->value.label_info.audit |=
				e->value.label_info.audit;
			break;
		default:
			/* Every other value is a set of bits. */
			prev->value.caps |= e->value.caps;
			break;
		}
	}
	c->n = n;
}

static void count(struct compiled_policy *c)
{
	for (size_t i = 0; i < c->n; i++) {
		switch (c->entries[i].key.kind) {
		case WARD_KEY_OBJECT:
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

int policy_compile(const struct policy *p, struct compiled_policy *out,
		   struct diag_list *diags)
{
	struct compiler cc = { .p = p, .c = out, .diags = diags };
	size_t errors = diags->errors, paths = 0;
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

	/* Every path of the policy may need a slot: size the table for all. */
	for (size_t i = 0; i < p->n_files; i++)
		paths += p->files[i].n_paths;
	for (size_t i = 0; i < p->n_rules; i++)
		paths += p->rules[i].n_objects;
	for (cc.n_slots = 64; cc.n_slots < 2 * paths; cc.n_slots *= 2)
		;
	cc.labels = calloc(cc.n_slots, sizeof(*cc.labels));
	cc.set_labels = calloc(p->n_files + 1, sizeof(*cc.set_labels));
	if (!cc.labels || !cc.set_labels)
		abort();

	e = add(&cc, WARD_KEY_META, NULL);
	e->value.meta.mode = p->mode;
	compile_files(&cc);
	compile_apps(&cc);
	compile_users(&cc);
	compile_rules(&cc);
	fold(&cc);
	count(out);

	if (out->n > WARD_POLICY_MAX_ENTRIES)
		diag_add(
			diags, DIAG_ERROR,
			p->n_units ? p->units[0].file : "policy", 0, 0,
			"the policy needs %zu kernel entries, more than the %d allowed: cover directories rather than files",
			out->n, WARD_POLICY_MAX_ENTRIES);
	free(cc.labels);
	free(cc.set_labels);
	return diags->errors == errors ? 0 : -EINVAL;
}

void compiled_policy_free(struct compiled_policy *c)
{
	free(c->entries);
	memset(c, 0, sizeof(*c));
}
