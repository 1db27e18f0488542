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
 * What grants changes only once the operation has succeeded; what
 * protects, at once.  Its check (path_rename, path_link) gives the file
 * its label to be, in the active policy and in the one being loaded: the
 * kernel makes the file reachable at its new name before the operation's
 * end (fexit) runs, and there, unlabelled, it would be open to anyone.
 * It reserves the entry of the app to be, and refuses the operation when
 * the policy has no room (fail closed).  The end gives the app if the
 * operation succeeded; if not, it takes the reservation back and gives
 * the file its label from before.  A reserved entry holds 0, which every
 * lookup takes for no entry.
 */

#ifndef WARD_CARRY_BPF_H
#define WARD_CARRY_BPF_H

#include "storage.bpf.h"

#define ENOSPC 28
#define EEXIST 17

/*
 * Makes room in @policy for the app of @c's file: a reserved entry
 * (app 0, as if absent), unless there is an entry already.  An app is
 * given only at the end: a domain must not be entered by an exec before
 * the file is really the app's.  Returns 0 or -ENOSPC.
 */
static __always_inline int reserve_app(void *policy, const struct ward_carry *c)
{
	struct ward_policy_key key = { .kind = WARD_KEY_EXE, .inode = c->inode };
	union ward_policy_value none = {};
	long err;

	if (!c->app || bpf_map_lookup_elem(policy, &key))
		return 0;
	err = bpf_map_update_elem(policy, &key, &none, BPF_NOEXIST);
	return err && err != -EEXIST ? -ENOSPC : 0;
}

/* Removes @c's app entry from @policy if it is still only reserved. */
static __always_inline void unreserve_app(void *policy,
					  const struct ward_carry *c)
{
	struct ward_policy_key key = { .kind = WARD_KEY_EXE, .inode = c->inode };
	union ward_policy_value *value;

	if (!c->app)
		return;
	value = bpf_map_lookup_elem(policy, &key);
	if (value && !value->app)
		bpf_map_delete_elem(policy, &key);
}

/*
 * Gives @c's label to its file in @policy at once, from the check on: the
 * operation makes the file reachable where the label protects before its
 * end runs, and a file no label covers in between could be opened there
 * by anyone.  Holding the label early fails closed: the file is only more
 * protected meanwhile.  *@was gets the label the entry had, 0 when there
 * was none (the entry is new).  Returns 0 or -ENOSPC.
 */
static __always_inline int hold_label(void *policy, const struct ward_carry *c,
				      __u32 *was)
{
	struct ward_policy_key key = { .kind = WARD_KEY_OBJECT,
				       .inode = c->inode };
	union ward_policy_value *value = bpf_map_lookup_elem(policy, &key);
	union ward_policy_value fresh = { .label = c->label };
	long err;

	*was = 0;
	if (!value) {
		err = bpf_map_update_elem(policy, &key, &fresh, BPF_NOEXIST);
		if (!err)
			return 0;
		/* Another program made the entry meanwhile: take it. */
		value = err == -EEXIST ? bpf_map_lookup_elem(policy, &key) :
					 NULL;
		if (!value)
			return -ENOSPC;
	}
	*was = value->label;
	value->label = c->label;
	return 0;
}

/*
 * Gives the label held by hold_label() back in @policy: @was again, or no
 * entry when @was is 0.  Left alone when another carry to the same file
 * (a name of it renamed at the same time) changed the entry since: that
 * one's end settles it.  Returns whether the label changed.
 */
static __always_inline bool release_label(void *policy,
					  const struct ward_carry *c, __u32 was)
{
	struct ward_policy_key key = { .kind = WARD_KEY_OBJECT,
				       .inode = c->inode };
	union ward_policy_value *value = bpf_map_lookup_elem(policy, &key);

	if (!value || value->label != c->label || was == c->label)
		return false;
	if (was)
		value->label = was;
	else
		bpf_map_delete_elem(policy, &key);
	return true;
}

/*
 * Gives @c's label and app to its file in @policy: in place when the
 * entry was held or reserved (or existed), else as a new entry.  *@changed
 * is set when the label was not already there.  Returns 0 or -ENOSPC.
 */
static __always_inline int apply_in(void *policy, const struct ward_carry *c,
				    bool *changed)
{
	struct ward_policy_key key = { .inode = c->inode };
	union ward_policy_value *value, fresh = {};
	int err = 0;

	if (c->label) {
		key.kind = WARD_KEY_OBJECT;
		value = bpf_map_lookup_elem(policy, &key);
		if (value) {
			if (value->label != c->label)
				*changed = true;
			value->label = c->label;
		} else {
			*changed = true;
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

/*
 * The label @c held in @policy before, by the policy's serial: the
 * policies of its check may have moved (the next one become active)
 * since.  Returns false when @c held none there.
 */
static __always_inline bool held_in(void *policy, const struct ward_carry *c,
				    __u32 *was)
{
	__u32 serial = policy_serial(policy);

	if ((c->flags & WARD_CARRY_HELD) && serial == c->serial) {
		*was = c->was;
		return true;
	}
	if ((c->flags & WARD_CARRY_HELD_NEXT) && serial == c->serial_next) {
		*was = c->was_next;
		return true;
	}
	return false;
}

/*
 * Ends @c in @policy: applies it if the operation succeeded, else gives
 * back what it held or reserved.  Returns whether a label changed there.
 */
static __always_inline bool end_in(void *policy, const struct ward_carry *c,
				   bool ok, bool *full)
{
	bool changed = false;
	__u32 was;

	if (ok) {
		if (apply_in(policy, c, &changed))
			*full = true;
		return changed;
	}
	unreserve_app(policy, c);
	return held_in(policy, c, &was) && release_label(policy, c, was);
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
 * @ok: the operation succeeded: the labels and apps take effect; else
 *      what was held and reserved is given back
 *
 * Applies to the policies there are now: a load that started after the
 * carry began found it counted in ward_state.unreserved and waited.  A
 * label changed in the active policy bumps the generation, so that no
 * label cached on an inode before (label.bpf.h) is believed after.
 *
 * carry_end() and carry_begin() are global functions, verified once
 * rather than in each hook that calls them: inlined, they made
 * path_rename too complex for the 6.1 verifier (E2BIG).
 *
 * Return: 0.
 */
__noinline int carry_end(struct ward_task *t, bool ok)
{
	bool full = false, changed = false;
	struct ward_carry c;
	void *active, *next;

	if (!t || !(t->carry.flags & WARD_CARRY_PENDING))
		return 0;
	c = t->carry;
	t->carry.flags = 0;
	active = policy_active();
	next = policy_next();
	if (active)
		changed = end_in(active, &c, ok, &full);
	if (full)
		stat_inc(WARD_STAT_MAP_FULL);
	full = false;
	if (next)
		end_in(next, &c, ok, &full);
	if (full)
		note_next_broken();
	if (changed)
		state_invalidate();
	if (!(c.flags & WARD_CARRY_NEXT)) {
		struct ward_state *st = state();

		if (st)
			__sync_fetch_and_add(&st->unreserved, -1);
	}
	return 0;
}

/*
 * Holds @c's label and reserves its app in @policy (of @serial), noting in
 * @c what it held.  Returns 0 or -ENOSPC.
 */
static __always_inline int begin_in(void *policy, struct ward_carry *c,
				    __u32 held, __u32 *serial, __u32 *was)
{
	if (reserve_app(policy, c))
		return -ENOSPC;
	if (!c->label)
		return 0;
	if (hold_label(policy, c, was))
		return -ENOSPC;
	*serial = policy_serial(policy);
	c->flags |= held;
	return 0;
}

/**
 * carry_begin - hold the label, reserve the app an operation carries to @ref
 * @t: the task's storage, where the carry waits for the operation's end;
 *     its carry ended (carry_end())
 * @ref: the file that takes them
 * @label: its own label to be, 0 for none: held from now on
 * @app: its app to be, 0 for none: given at the end
 *
 * Return: 0, or -ENOSPC when the active policy has no room (or @t or @ref
 * is NULL, which cannot happen): the operation must then be refused, or
 * the file would end up unlabelled.
 */
__noinline int carry_begin(struct ward_task *t, const struct ward_inode_ref *ref,
			   __u32 label, __u32 app)
{
	struct ward_carry c = { .label = label, .app = app };
	void *active = policy_active(), *next;

	if (!t || !ref)
		return -ENOSPC;
	c.inode = *ref;
	if (!active || (!label && !app))
		return 0;
	if (begin_in(active, &c, WARD_CARRY_HELD, &c.serial, &c.was)) {
		end_in(active, &c, false, NULL);
		return -ENOSPC;
	}
	/* Labels cached before the hold are not believed after it. */
	if (c.flags & WARD_CARRY_HELD)
		state_invalidate();
	c.flags |= WARD_CARRY_PENDING;
	next = policy_next();
	if (next) {
		if (begin_in(next, &c, WARD_CARRY_HELD_NEXT, &c.serial_next,
			     &c.was_next))
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
