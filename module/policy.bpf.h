/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ward - the maps, and the lookups into the active policy
 *
 * The maps are defined __weak here so that every object that includes this
 * header declares the same maps and the BPF linker merges them into one.
 */

#ifndef WARD_POLICY_BPF_H
#define WARD_POLICY_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "ward_abi.h"
#include "kfunc.bpf.h"

#define EACCES 13
#define EPERM 1
#define ENOMEM 12

/*
 * One compiled policy; userspace creates one per load and only the
 * programs change it afterwards (labels that follow a replaced file).
 * Sizes rather than types: the BPF linker cannot resolve the types of an
 * inner map declared in several objects.  Only a template: userspace sizes
 * each policy's map from the policy (ward_abi.h).
 */
struct ward_policy_map {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, WARD_POLICY_ROOM_MIN);
	__uint(key_size, sizeof(struct ward_policy_key));
	__uint(value_size, sizeof(union ward_policy_value));
};

/*
 * Slot 0 holds the active policy; replacing it switches policies at once.
 * Slot 1 holds the next one while it is being loaded, so that the labels
 * the programs carry meanwhile reach it too; slot 2 the one it replaces,
 * while the programs that began with it finish (policy_map.c).
 */
enum { POLICY_ACTIVE, POLICY_NEXT, POLICY_PREVIOUS, POLICY_SLOTS };

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, POLICY_SLOTS);
	__type(key, __u32);
	__array(values, struct ward_policy_map);
} ward_policy SEC(".maps") __weak;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct ward_policy_info);
} ward_info SEC(".maps") __weak;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct ward_state);
} ward_state SEC(".maps") __weak;

/* Written by ward alone, through its mapping (struct ward_epoch). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct ward_epoch);
} ward_epoch SEC(".maps") __weak;

/* For userspace alone (ward_abi.h): created and pinned with the others. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, WARD_APP_NAMES_MAX);
	__type(key, __u32);
	__type(value, struct ward_app_name);
} ward_app_names SEC(".maps") __weak;

/* For userspace alone: ward logd keeps its chain head here. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct ward_log_head);
} ward_log_head SEC(".maps") __weak;

/* For userspace alone: ward's commands tell ward logd who changed ward. */
struct {
	__uint(type, BPF_MAP_TYPE_QUEUE);
	__uint(max_entries, 64);
	__type(value, struct ward_change);
} ward_changes SEC(".maps") __weak;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, WARD_STAT_MAX);
	__type(key, __u32);
	__type(value, __u64);
} ward_stats SEC(".maps") __weak;

/* Some 410 events of 1264 bytes (and the ring's 8-byte headers). */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 512 * 1024);
} ward_events SEC(".maps") __weak;

static __always_inline void *policy_slot(__u32 slot)
{
	return bpf_map_lookup_elem(&ward_policy, &slot);
}

/* The active policy map, or NULL while none is loaded. */
static __always_inline void *policy_active(void)
{
	return policy_slot(POLICY_ACTIVE);
}

/* The policy being loaded, or NULL. */
static __always_inline void *policy_next(void)
{
	return policy_slot(POLICY_NEXT);
}

static __always_inline struct ward_inode_ref inode_ref(struct inode *inode)
{
	struct inode *i = untrusted(inode);
	struct ward_inode_ref ref = { .dev = i->i_sb->s_dev, .ino = i->i_ino };

	return ref;
}

/*
 * The entry of @kind for @ref, reserved ones too (their label or app is
 * still 0: see carry.bpf.h).
 */
static __always_inline union ward_policy_value *
policy_ref_any(void *policy, __u32 kind, const struct ward_inode_ref *ref)
{
	struct ward_policy_key key = { .kind = kind, .inode = *ref };

	return bpf_map_lookup_elem(policy, &key);
}

/* The entry of @kind (WARD_KEY_OBJECT, WARD_KEY_EXE) for @ref, in effect. */
static __always_inline union ward_policy_value *
policy_ref(void *policy, __u32 kind, const struct ward_inode_ref *ref)
{
	union ward_policy_value *value = policy_ref_any(policy, kind, ref);

	return value && value->label ? value : NULL;
}

static __always_inline union ward_policy_value *
policy_inode(void *policy, __u32 kind, struct inode *inode)
{
	struct ward_inode_ref ref = inode_ref(inode);

	return policy_ref(policy, kind, &ref);
}

static __always_inline union ward_policy_value *policy_id(void *policy,
							  __u32 kind, __u32 id)
{
	struct ward_policy_key key = { .kind = kind, .id = { .id = id } };

	return bpf_map_lookup_elem(policy, &key);
}

static __always_inline struct ward_meta *policy_meta(void *policy)
{
	struct ward_policy_key key = { .kind = WARD_KEY_META };
	union ward_policy_value *value = bpf_map_lookup_elem(policy, &key);

	return value ? &value->meta : NULL;
}

static __always_inline __u32 policy_mode(void *policy)
{
	struct ward_meta *meta = policy_meta(policy);

	return meta ? meta->mode : WARD_MODE_ENFORCE;
}

/*
 * The policy's serial, read from the map the decision is taken with: it
 * tells the active policy from the one it replaces (decide.bpf.c).
 */
static __always_inline __u32 policy_serial(void *policy)
{
	struct ward_meta *meta = policy_meta(policy);

	return meta ? meta->serial : 0;
}

/* The policy's "kernel" settings; NULL when it has no entry (all 0). */
static __always_inline struct ward_kernel *kernel_settings(void *policy)
{
	struct ward_policy_key key = { .kind = WARD_KEY_KERNEL };
	union ward_policy_value *value = bpf_map_lookup_elem(policy, &key);

	return value ? &value->kernel : NULL;
}

/* Its "kernel bpf" setting. */
static __always_inline __u8 kernel_bpf(void *policy)
{
	struct ward_kernel *k = kernel_settings(policy);

	return k ? k->bpf : WARD_KERNEL_BPF_GUARD;
}

/* The access bits a rule grants @subject on @label. */
static __always_inline __u32 policy_rule(void *policy, __u32 label,
					 __u32 subject)
{
	struct ward_policy_key key = {
		.kind = WARD_KEY_RULE,
		.rule = { .label = label, .subject = subject },
	};
	union ward_policy_value *value = bpf_map_lookup_elem(policy, &key);

	return value ? value->access : 0;
}

/* Odd: no epoch, in which nothing cached is believed. */
#define WARD_EPOCH_NONE 1

static __always_inline __u64 epoch_read(void)
{
	__u32 zero = 0;
	struct ward_epoch *e = bpf_map_lookup_elem(&ward_epoch, &zero);

	return e ? *(volatile __u64 *)&e->epoch : WARD_EPOCH_NONE;
}

/*
 * The epoch (struct ward_epoch) labels found in @policy are cached under,
 * or WARD_EPOCH_NONE.  Read on either side of a lookup of the active
 * policy: the same even epoch both times, and @policy active in between,
 * mean no replacement began or ended around that lookup, so that @policy
 * is the policy of that epoch.  ward's stores into the epoch and into the
 * map of maps are seen in their order, and the loads here are not
 * reordered with one another (x86).
 */
static __always_inline __u64 policy_epoch(void *policy)
{
	__u64 before = epoch_read();
	void *active = policy_active();
	__u64 after = epoch_read();

	if ((before & 1) || before != after || active != policy)
		return WARD_EPOCH_NONE;
	return before;
}

/* The directory-rename generation cached labels must carry. */
static __always_inline __u64 state_generation(void)
{
	__u32 zero = 0;
	struct ward_state *state = bpf_map_lookup_elem(&ward_state, &zero);

	return state ? state->generation : 0;
}

static __always_inline struct ward_state *state(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&ward_state, &zero);
}

static __always_inline void state_invalidate(void)
{
	struct ward_state *st = state();

	if (st)
		__sync_fetch_and_add(&st->generation, 1);
}

static __always_inline void stat_inc(enum ward_stat stat)
{
	__u32 key = stat;
	__u64 *count = bpf_map_lookup_elem(&ward_stats, &key);

	if (count)
		*count += 1;
}

#endif /* WARD_POLICY_BPF_H */
