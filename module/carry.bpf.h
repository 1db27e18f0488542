/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ward - labels that follow files
 *
 * A rename that replaces a file hands the replaced file's own label and
 * app to the newcomer: editors, passwd and package managers replace files
 * that way, and the files must stay protected and the executables
 * recognised.  A link gives a file a second parent, and a file with two
 * names may be moved under a labelled directory: the label it inherits
 * through one name becomes its own, so that no other name escapes it.
 *
 * State changes only once the operation has succeeded.  Its check
 * (path_rename, path_link) reserves the entries the change needs, in the
 * active policy and in the one being loaded, and refuses the operation
 * when the policy has no room (fail closed).  Its end (fexit) makes them
 * take effect if it succeeded, and takes the reservation back if not.  A
 * reserved entry holds 0, which every lookup takes for no entry.
 */

#ifndef WARD_CARRY_BPF_H
#define WARD_CARRY_BPF_H

#include "storage.bpf.h"

#define ENOSPC 28
#define EEXIST 17

/*
 * Makes room in @policy for the entry of @kind for @ref: a reserved one,
 * unless there is an entry already.  Returns 0 or -ENOSPC.
 */
static __always_inline int reserve_entry(void *policy, __u32 kind,
					 const struct ward_inode_ref *ref)
{
	struct ward_policy_key key = { .kind = kind, .inode = *ref };
	union ward_policy_value none = {};
	long err;

	if (bpf_map_lookup_elem(policy, &key))
		return 0;
	err = bpf_map_update_elem(policy, &key, &none, BPF_NOEXIST);
	return err && err != -EEXIST ? -ENOSPC : 0;
}

/* Reserves the entries @c needs in @policy. */
static __always_inline int reserve_in(void *policy, const struct ward_carry *c)
{
	if (c->label && reserve_entry(policy, WARD_KEY_OBJECT, &c->inode))
		return -ENOSPC;
	if (c->app && reserve_entry(policy, WARD_KEY_EXE, &c->inode))
		return -ENOSPC;
	return 0;
}

/* Removes the entries of @c's kinds still reserved from @policy. */
static __always_inline void unreserve(void *policy, const struct ward_carry *c)
{
	struct ward_policy_key key = { .inode = c->inode };
	union ward_policy_value *value;

	key.kind = WARD_KEY_OBJECT;
	value = bpf_map_lookup_elem(policy, &key);
	if (c->label && value && !value->label)
		bpf_map_delete_elem(policy, &key);
	key.kind = WARD_KEY_EXE;
	value = bpf_map_lookup_elem(policy, &key);
	if (c->app && value && !value->app)
		bpf_map_delete_elem(policy, &key);
}

/*
 * Gives @c's label and app to its inode in @policy: in place when the
 * entry was reserved (or existed), else as a new entry.  Returns 0 or
 * -ENOSPC.
 */
static __always_inline int apply_in(void *policy, const struct ward_carry *c)
{
	struct ward_policy_key key = { .inode = c->inode };
	union ward_policy_value *value, fresh = {};
	int err = 0;

	if (c->label) {
		key.kind = WARD_KEY_OBJECT;
		value = bpf_map_lookup_elem(policy, &key);
		if (value) {
			value->label = c->label;
		} else {
			fresh.label = c->label;
			if (bpf_map_update_elem(policy, &key, &fresh, BPF_ANY))
				err = -ENOSPC;
		}
	}
	if (c->app) {
		key.kind = WARD_KEY_EXE;
		value = bpf_map_lookup_elem(policy, &key);
		if (value) {
			value->app = c->app;
		} else {
			fresh.app = c->app;
			if (bpf_map_update_elem(policy, &key, &fresh, BPF_ANY))
				err = -ENOSPC;
		}
	}
	return err;
}

static __always_inline void note_next_broken(void)
{
	struct ward_state *st = state();

	if (st)
		__sync_fetch_and_add(&st->next_broken, 1);
}

/**
 * carry_end - end the carry of task storage @t
 * @t: the task's storage
 * @ok: the operation succeeded: the labels take effect; else the
 *      reservations are taken back
 *
 * Applies to the policies there are now: a load that started after the
 * carry reserved found it counted in ward_state.unreserved and waited.
 */
static __always_inline void carry_end(struct ward_task *t, bool ok)
{
	struct ward_carry c = t->carry;
	void *active, *next;

	if (!(c.flags & WARD_CARRY_PENDING))
		return;
	t->carry.flags = 0;
	active = policy_active();
	next = policy_next();
	if (ok) {
		if (active && apply_in(active, &c))
			stat_inc(WARD_STAT_MAP_FULL);
		if (next && apply_in(next, &c))
			note_next_broken();
		/* The labels cached on the inode (label.bpf.h) are not
		 * believed any more: the own label just given is. */
		if (c.label)
			state_invalidate();
	} else {
		if (active)
			unreserve(active, &c);
		if (next)
			unreserve(next, &c);
	}
	if (!(c.flags & WARD_CARRY_NEXT)) {
		struct ward_state *st = state();

		if (st)
			__sync_fetch_and_add(&st->unreserved, -1);
	}
}

/**
 * carry_begin - reserve what an operation will carry to @ref
 * @t: the task's storage, where the carry waits for the operation's end
 * @ref: the file that takes them
 * @label: its own label to be, 0 for none
 * @app: its app to be, 0 for none
 *
 * Return: 0, or -ENOSPC when the active policy has no room: the operation
 * must then be refused, or the file would end up unlabelled.
 */
static __always_inline int carry_begin(struct ward_task *t,
				       const struct ward_inode_ref *ref,
				       __u32 label, __u32 app)
{
	struct ward_carry c = { .inode = *ref, .label = label, .app = app };
	void *active = policy_active(), *next;

	/* One that did not end (it cannot, but fail safe) ends as failed. */
	carry_end(t, false);
	if (!active || (!label && !app))
		return 0;
	if (reserve_in(active, &c)) {
		unreserve(active, &c);
		return -ENOSPC;
	}
	c.flags = WARD_CARRY_PENDING;
	next = policy_next();
	if (next) {
		if (reserve_in(next, &c))
			note_next_broken();
		c.flags |= WARD_CARRY_NEXT;
	} else {
		struct ward_state *st = state();

		if (st)
			__sync_fetch_and_add(&st->unreserved, 1);
	}
	t->carry = c;
	return 0;
}

#endif /* WARD_CARRY_BPF_H */
