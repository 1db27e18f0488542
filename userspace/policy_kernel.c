// SPDX-License-Identifier: GPL-2.0
/*
 * ward - the "kernel" statements and "lock": what the policy asks of the
 * kernel itself (GB/T 39276 5.1.1.2 c: no component may bypass the access
 * control, so no module, kexec image or write to kernel memory may
 * replace it)
 *
 * Each setting is one value for the whole policy: the strictest any file
 * asks for.  Loading files in order must not let a later file relax an
 * earlier one's protection silently, so a later file that asks for less
 * gets a warning naming the statement that stays in force; an
 * administrator relaxes the factory's setting by replacing its file.  One
 * file sets each setting once.
 */

#include <stdlib.h>
#include <string.h>

#include "policy_names.h"
#include "policy_parse_internal.h"
#include "xalloc.h"

/* "kernel module allow|signed|deny", written to @buf. */
static const char *usage(unsigned int setting, char *buf, size_t size)
{
	size_t len = (size_t)snprintf(buf, size, "kernel %s ",
				      policy_kernel_setting_name(setting));
	const char *value;

	for (unsigned int v = 0;
	     len < size && (value = policy_kernel_value_name(setting, v)); v++)
		len += (size_t)snprintf(buf + len, size - len, "%s%s",
					v ? "|" : "", value);
	return buf;
}

/*
 * Sets @setting to @value, asked for by the statement at @w: an error when
 * this file set it already; a warning when an earlier file's stricter
 * value stays in force.
 */
static void kernel_setting(struct parser *ps, const struct word *w,
			   unsigned int setting, __u8 value)
{
	struct policy_kernel *pk = &ps->p->kernel;
	struct policy_loc *last = &ps->st->kernel_last[setting];
	struct policy_loc *in_force = &pk->loc[setting];
	__u8 current = policy_kernel_get(&pk->k, setting);
	const char *name = policy_kernel_setting_name(setting);

	if (last->line && last->file == ps->file) {
		error_at(
			ps, w->col,
			setting == KERNEL_LOCK ?
				"'%s' is already set at %s: write it once in a file" :
				"'kernel %s' is already set at %s: set each kernel setting once in a file",
			name, where(ps, last));
		return;
	}
	*last = loc_of(ps, w);
	if (in_force->line && policy_kernel_rank(setting, value) <
				      policy_kernel_rank(setting, current)) {
		diag_add(
			ps->diags, DIAG_WARNING, ps->file, ps->line, w->col,
			"'kernel %s %s' is weaker than '%s' set at %s, which stays in force: the strictest value wins; to relax it, replace that file",
			name, policy_kernel_value_name(setting, value),
			policy_kernel_value_name(setting, current),
			where(ps, in_force));
		return;
	}
	if (in_force->line && value == current)
		return;
	policy_kernel_set(&pk->k, setting, value);
	*in_force = *last;
}

/* "kernel bpf loader PATH...": each path once in the whole policy. */
static void parse_loaders(struct parser *ps, const struct word *w, size_t n)
{
	struct policy_kernel *pk = &ps->p->kernel;
	struct parse_state *st = ps->st;

	if (n < 4) {
		error_at(
			ps, w[0].col,
			"missing arguments: expected 'kernel bpf loader PATH...'");
		return;
	}
	for (size_t i = 3; i < n; i++) {
		const size_t *other = htab_get(&st->loaders, w[i].s, w[i].len);

		if (w[i].s[0] != '/') {
			error_relative(ps, &w[i]);
			return;
		}
		if (other) {
			error_at(
				ps, w[i].col,
				"'%.*s' is already a BPF loader (%s): list it once",
				(int)w[i].len, w[i].s,
				where(ps, &pk->loaders[*other].loc));
			return;
		}
		if (pk->n_loaders + 1 > POLICY_ITEMS_MAX) {
			error_at(
				ps, w[i].col,
				"too many BPF loaders: a policy holds at most %d",
				POLICY_ITEMS_MAX);
			return;
		}
		GROW(pk->loaders, pk->n_loaders, st->loaders_cap);
		pk->loaders[pk->n_loaders] =
			(struct policy_path){ word_dup(&w[i]),
					      loc_of(ps, &w[i]) };
		htab_put(&st->loaders, pk->loaders[pk->n_loaders].path,
			 w[i].len, pk->n_loaders);
		pk->n_loaders++;
	}
}

void parse_kernel(struct parser *ps, const struct word *w, size_t n)
{
	char buf[128];
	int setting;
	__u8 value;

	if (n < 2) {
		error_at(
			ps, w[0].col,
			"missing arguments: expected 'kernel module|bpf|kexec|kmem|lockdown VALUE'");
		return;
	}
	setting = policy_kernel_setting_named(w[1].s, w[1].len);
	if (setting < 0) {
		error_at(
			ps, w[1].col,
			"unknown kernel setting '%.*s': expected module, bpf, kexec, kmem or lockdown",
			(int)w[1].len, w[1].s);
		return;
	}
	if (setting == KERNEL_BPF && n >= 3 && word_is(&w[2], "loader")) {
		parse_loaders(ps, w, n);
		return;
	}
	if (n != 3) {
		error_at(ps, w[n < 3 ? 0 : 3].col,
			 "%s arguments: expected '%s'",
			 n < 3 ? "missing" : "too many",
			 usage(setting, buf, sizeof(buf)));
		return;
	}
	if (!policy_kernel_value_named(setting, w[2].s, w[2].len, &value)) {
		error_at(ps, w[2].col,
			 "unknown value '%.*s' for 'kernel %s': expected %s",
			 (int)w[2].len, w[2].s,
			 policy_kernel_setting_name(setting),
			 policy_kernel_values(setting));
		return;
	}
	kernel_setting(ps, &w[0], setting, value);
}

void parse_lock(struct parser *ps, const struct word *w, size_t n)
{
	if (n > 1) {
		error_at(ps, w[1].col, "too many arguments: expected 'lock'");
		return;
	}
	kernel_setting(ps, &w[0], KERNEL_LOCK, 1);
}

void kernel_free(struct policy *p, struct parse_state *st)
{
	for (size_t i = 0; i < p->kernel.n_loaders; i++)
		free(p->kernel.loaders[i].path);
	free(p->kernel.loaders);
	if (st)
		htab_free(&st->loaders);
}
