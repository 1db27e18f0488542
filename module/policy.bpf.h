/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ward - the maps and the lookups into the active policy
 *
 * The maps are defined __weak here so that every object that includes this
 * header declares the same maps and the BPF linker merges them into one.
 */

#ifndef WARD_POLICY_BPF_H
#define WARD_POLICY_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "ward_abi.h"

/*
 * One compiled policy; userspace creates one per load, never edits it.
 * Sizes rather than types: libbpf 1.1's linker cannot resolve the types
 * of an inner map declared in several objects.
 */
struct ward_policy_map {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, WARD_POLICY_MAX_ENTRIES);
	__uint(key_size, sizeof(struct ward_policy_key));
	__uint(value_size, sizeof(union ward_policy_value));
};

/* Slot 0 holds the active policy; replacing it switches policies at once. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 1);
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
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, WARD_STAT_MAX);
	__type(key, __u32);
	__type(value, __u64);
} ward_stats SEC(".maps") __weak;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} ward_events SEC(".maps") __weak;

/* The active policy map, or NULL while none is loaded. */
static __always_inline void *policy_active(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&ward_policy, &zero);
}

static __always_inline union ward_policy_value *
policy_inode(void *policy, __u32 kind, struct inode *inode)
{
	struct ward_policy_key key = {
		.kind = kind,
		.inode = {
			.dev = inode->i_sb->s_dev,
			.ino = inode->i_ino,
		},
	};

	return bpf_map_lookup_elem(policy, &key);
}

static __always_inline __u32 policy_mode(void *policy)
{
	struct ward_policy_key key = { .kind = WARD_KEY_META };
	union ward_policy_value *value = bpf_map_lookup_elem(policy, &key);

	return value ? value->mode : WARD_MODE_ENFORCE;
}

/* Does @app hold every bit of @access on @label? */
static __always_inline bool policy_allows(void *policy, __u32 label, __u32 app,
					  __u32 access)
{
	struct ward_policy_key key = {
		.kind = WARD_KEY_RULE,
		.rule = { .label = label, .app = app },
	};
	union ward_policy_value *value;

	if (!app)
		return false;
	value = bpf_map_lookup_elem(policy, &key);
	return value && (value->access & access) == access;
}

/* The app of the current task's executable, 0 when it belongs to none. */
static __always_inline __u32 subject_app(void *policy)
{
	struct task_struct *task = bpf_get_current_task_btf();
	union ward_policy_value *value;
	struct mm_struct *mm = task->mm;
	struct file *exe;

	if (!mm)
		return 0;
	exe = mm->exe_file;
	if (!exe)
		return 0;
	value = policy_inode(policy, WARD_KEY_EXE, exe->f_inode);
	return value ? value->app : 0;
}

static __always_inline void stat_inc(enum ward_stat stat)
{
	__u32 key = stat;
	__u64 *count = bpf_map_lookup_elem(&ward_stats, &key);

	if (count)
		*count += 1;
}

#endif /* WARD_POLICY_BPF_H */
