// SPDX-License-Identifier: GPL-2.0
/*
 * ward - a parsed policy back to text, in canonical form
 *
 * The header names each file the policy was parsed from, with its version
 * and SHA-256, in comments; then one "policy" statement (the first file's
 * name and version) and the default mode, the sets in the order they were
 * defined (files, then apps, then user sets), the installer, the apps'
 * interpreters, the confined and inheriting apps, the apps' own modes, and
 * the rules in the order they were written.  Words are
 * spelled one way: access verbs in enum ward_access order, capabilities by
 * number, ports without leading zeros, tcp:* (udp:*, sctp:*) for every
 * port, socket families in enum ward_socket_family order.  Parsing the
 * output gives back an equal policy, and printing that gives the same text.
 */

#include <stdint.h>
#include <string.h>

#include "policy.h"
#include "policy_names.h"

/*
 * A file name in a comment: blanks, controls, '\' and bytes that are not
 * UTF-8 are escaped as \xHH, so that the comment stays one line of valid
 * text and its words stay words.
 */
static void print_escaped(FILE *out, const char *s)
{
	const unsigned char *u = (const unsigned char *)s;

	for (size_t i = 0; u[i];) {
		size_t n = 0;

		if (u[i] >= 0xc2 && u[i] <= 0xdf)
			n = 1;
		else if (u[i] >= 0xe0 && u[i] <= 0xef)
			n = 2;
		else if (u[i] >= 0xf0 && u[i] <= 0xf4)
			n = 3;
		if (n) {
			/* Printed as is only when wholly valid. */
			uint32_t cp = u[i] & (0x3f >> n);
			size_t k;

			for (k = 1; k <= n && (u[i + k] & 0xc0) == 0x80; k++)
				cp = cp << 6 | (u[i + k] & 0x3f);
			if (k == n + 1 &&
			    !((n == 2 && cp < 0x800) ||
			      (n == 3 && cp < 0x10000) || cp > 0x10ffff ||
			      (cp >= 0xd800 && cp <= 0xdfff))) {
				fwrite(u + i, 1, n + 1, out);
				i += n + 1;
				continue;
			}
		}
		if (u[i] <= 0x20 || u[i] >= 0x7f || u[i] == '\\')
			fprintf(out, "\\x%02x", u[i]);
		else
			fputc(u[i], out);
		i++;
	}
}

/* " @word": fputs(), cheaper than fprintf()'s "%s" for a million words. */
static void print_word(FILE *out, const char *word)
{
	fputc(' ', out);
	fputs(word, out);
}

static void print_paths(FILE *out, const char *keyword,
			const struct policy_set *set)
{
	fputs(keyword, out);
	print_word(out, set->name);
	for (size_t i = 0; i < set->n_paths; i++)
		print_word(out, set->paths[i].path);
	fputc('\n', out);
}

static void print_member(FILE *out, const struct policy_member *m)
{
	switch (m->kind) {
	case MEMBER_USER:
		fprintf(out, " %s", m->name);
		break;
	case MEMBER_UID:
		fprintf(out, " uid:%u", m->id);
		break;
	case MEMBER_GROUP:
		fprintf(out, " group:%s", m->name);
		break;
	case MEMBER_GID:
		fprintf(out, " gid:%u", m->id);
		break;
	}
}

/*
 * "KEYWORD NAME NAME..." for the apps that @match picks, wrapped into
 * several statements where one line would pass POLICY_LINE_MAX.
 */
static void print_app_list(FILE *out, const struct policy *p,
			   const char *keyword,
			   bool (*match)(const struct policy_set *, __u32),
			   __u32 arg)
{
	size_t col = 0;

	for (size_t i = 0; i < p->n_apps; i++) {
		size_t len = strlen(p->apps[i].name);

		if (!match(&p->apps[i], arg))
			continue;
		if (col && col + 1 + len > POLICY_LINE_MAX) {
			fputc('\n', out);
			col = 0;
		}
		if (!col)
			col = fprintf(out, "%s", keyword);
		col += fprintf(out, " %s", p->apps[i].name);
	}
	if (col)
		fputc('\n', out);
}

static bool is_confined(const struct policy_set *app, __u32 arg)
{
	(void)arg;
	return app->confined;
}

static bool inherits(const struct policy_set *app, __u32 arg)
{
	(void)arg;
	return app->inherit;
}

static bool has_mode(const struct policy_set *app, __u32 mode)
{
	return app->mode == mode;
}

static const char *subject_name(const struct policy *p,
				const struct policy_subject *s)
{
	if (s->kind == SUBJECT_APP && s->index < p->n_apps)
		return p->apps[s->index].name;
	if (s->kind == SUBJECT_USERS && s->index < p->n_users)
		return p->users[s->index].name;
	if (s->kind == SUBJECT_SELF)
		return WARD_APP_SELF_NAME;
	return "any";
}

static void print_objects(FILE *out, const struct policy *p,
			  const struct policy_rule *rule)
{
	for (size_t i = 0; i < rule->n_objects; i++) {
		const struct policy_object *o = &rule->objects[i];

		if (o->files != POLICY_OBJECT_PATH)
			print_word(out, policy_files_name(p, o->files));
		else if (o->path)
			print_word(out, o->path);
	}
}

static void print_endpoint(FILE *out, const struct policy_endpoint *e)
{
	fprintf(out, " %s:", policy_proto_name(e->proto));
	if (e->port_min == 0 && e->port_max == 65535)
		fputc('*', out);
	else if (e->port_min == e->port_max)
		fprintf(out, "%u", e->port_min);
	else
		fprintf(out, "%u-%u", e->port_min, e->port_max);
}

static void print_rule(FILE *out, const struct policy *p,
		       const struct policy_rule *rule)
{
	char bits[128];

	if (rule->kind == RULE_AUDIT) {
		fputs("audit ", out);
	} else {
		fputs("allow", out);
		print_word(out, subject_name(p, &rule->subject));
		fputc(' ', out);
	}
	switch (rule->kind) {
	case RULE_FILES:
	case RULE_AUDIT:
		fputs(policy_access_list(rule->access, bits, sizeof(bits)),
		      out);
		print_objects(out, p, rule);
		break;
	case RULE_NET:
		fputs("net ", out);
		fputs(policy_net_op_list(rule->access, bits, sizeof(bits)),
		      out);
		for (size_t i = 0; i < rule->n_endpoints; i++)
			print_endpoint(out, &rule->endpoints[i]);
		break;
	case RULE_SOCKET:
		fputs("net create", out);
		for (__u32 bit = 1; bit; bit <<= 1)
			if (rule->families & bit && policy_family_name(bit))
				fprintf(out, " %s", policy_family_name(bit));
		break;
	case RULE_CAP:
		fputs("cap", out);
		for (unsigned int i = 0; i < 64; i++)
			if (rule->caps & 1ULL << i && policy_cap_name(i))
				fprintf(out, " %s", policy_cap_name(i));
		break;
	}
	fputc('\n', out);
}

/* The "kernel" settings that are not their defaults, loaders, "lock". */
static void print_kernel(FILE *out, const struct policy_kernel *pk)
{
	bool any = pk->n_loaders;

	for (unsigned int i = 0; i < KERNEL_SETTINGS; i++)
		any |= policy_kernel_get(&pk->k, i) != 0;
	if (!any)
		return;
	fputc('\n', out);
	for (unsigned int i = 0; i < KERNEL_LOCK; i++) {
		__u8 value = policy_kernel_get(&pk->k, i);

		if (value)
			fprintf(out, "kernel %s %s\n",
				policy_kernel_setting_name(i),
				policy_kernel_value_name(i, value));
	}
	/* Several lines when one would be too long to parse back. */
	for (size_t i = 0, len = 0; i < pk->n_loaders; i++) {
		size_t more = 1 + strlen(pk->loaders[i].path);

		if (len && len + more > POLICY_LINE_MAX) {
			fputc('\n', out);
			len = 0;
		}
		if (!len)
			len = (size_t)fprintf(out, "kernel bpf loader");
		fprintf(out, " %s", pk->loaders[i].path);
		len += more;
	}
	if (pk->n_loaders)
		fputc('\n', out);
	if (pk->k.lock)
		fputs("lock\n", out);
}

void policy_print(const struct policy *p, FILE *out)
{
	bool confined = false, modes = false;

	for (size_t i = 0; i < p->n_units; i++) {
		const struct policy_unit *u = &p->units[i];

		fprintf(out, "# unit %s %s ", u->name, u->version);
		print_escaped(out, u->file ? u->file : "");
		fputc(' ', out);
		for (size_t k = 0; k < sizeof(u->sha256); k++)
			fprintf(out, "%02x", u->sha256[k]);
		fputc('\n', out);
	}
	if (p->n_units)
		fprintf(out, "policy %s %s\n", p->units[0].name,
			p->units[0].version);
	fprintf(out, "mode %s\n", policy_mode_name(p->mode));
	print_kernel(out, &p->kernel);

	if (p->n_files || p->n_apps || p->n_users)
		fputc('\n', out);
	for (size_t i = 0; i < p->n_files; i++)
		print_paths(out, "files", &p->files[i]);
	for (size_t i = 0; i < p->n_apps; i++)
		print_paths(out, "app", &p->apps[i]);
	for (size_t i = 0; i < p->n_users; i++) {
		fprintf(out, "user %s", p->users[i].name);
		for (size_t k = 0; k < p->users[i].n_members; k++)
			print_member(out, &p->users[i].members[k]);
		fputc('\n', out);
	}

	for (size_t i = 0; i < p->n_apps; i++) {
		confined |= p->apps[i].confined || p->apps[i].inherit ||
			    p->apps[i].n_interps;
		modes |= p->apps[i].mode != WARD_APP_MODE_INHERIT;
	}
	if (confined || modes || p->installer < p->n_apps)
		fputc('\n', out);
	if (p->installer < p->n_apps)
		fprintf(out, "installer %s\n", p->apps[p->installer].name);
	for (size_t i = 0; i < p->n_apps; i++) {
		struct policy_set interps = { .name = p->apps[i].name,
					      .paths = p->apps[i].interps,
					      .n_paths = p->apps[i].n_interps };

		if (interps.n_paths)
			print_paths(out, "interpreter", &interps);
	}
	print_app_list(out, p, "confine", is_confined, 0);
	print_app_list(out, p, "inherit", inherits, 0);
	print_app_list(out, p, "mode enforce", has_mode, WARD_APP_MODE_ENFORCE);
	print_app_list(out, p, "mode complain", has_mode,
		       WARD_APP_MODE_COMPLAIN);

	if (p->n_rules)
		fputc('\n', out);
	for (size_t i = 0; i < p->n_rules; i++)
		print_rule(out, p, &p->rules[i]);
}
