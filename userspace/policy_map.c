// SPDX-License-Identifier: GPL-2.0
/*
 * ward - compiled policies in the kernel
 */

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "htab.h"
#include "policy_map.h"

/*
 * The serial of the policy after the active one, which tells it from the
 * one it replaces (module/decide.bpf.c).
 */
static __u32 next_serial(int outer_fd)
{
	struct ward_meta meta = {};

	policy_map_settings(outer_fd, &meta, NULL);
	return meta.serial + 1 ? meta.serial + 1 : 1;
}

/* Slots of ward_policy: module/policy.bpf.h. */
enum { SLOT_ACTIVE, SLOT_NEXT, SLOT_PREVIOUS };

static int read_state(int fd, struct ward_state *st)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(fd, &zero, st) ? -errno : 0;
}

/*
 * Waits until the renames and links that started before the new map was
 * in the next slot are over: they reserved nothing in it.  One that never
 * ends (it cannot) is waited for POLICY_MAP_CARRY_WAIT_MS.
 */
static void wait_carries(int state_fd)
{
	struct timespec pause = { 0, 1000000 };
	struct ward_state st;

	for (int ms = 0; ms < POLICY_MAP_CARRY_WAIT_MS; ms++) {
		if (read_state(state_fd, &st) || st.unreserved <= 0)
			return;
		nanosleep(&pause, NULL);
	}
}

/*
 * Keeps the active policy in reach, in the previous slot: a program that
 * began its decision with it finds it there after the switch
 * (module/decide.bpf.c).  Updating a map of maps waits for the programs
 * running (synchronize_rcu()), so that once the switch has returned, no
 * program needs the previous slot any more.
 */
static int keep_previous(int outer_fd)
{
	__u32 previous = SLOT_PREVIOUS;
	int fd = policy_map_active(outer_fd), err = 0;

	if (fd == -ENOENT)
		return 0;
	if (fd < 0)
		return fd;
	if (bpf_map_update_elem(outer_fd, &previous, &fd, BPF_ANY))
		err = -errno;
	close(fd);
	return err;
}

/*
 * Makes @fd the active policy, with the epoch odd meanwhile (struct
 * ward_epoch, in ward_epoch @epoch_fd's mapping): a label cached with the
 * policy it replaces is never believed after the switch, nor one cached
 * with either during it.  A load that died halfway left it odd: the next
 * one makes it even.
 */
static int switch_active(int outer_fd, int epoch_fd, int fd)
{
	long page = sysconf(_SC_PAGESIZE);
	__u32 active = SLOT_ACTIVE;
	struct ward_epoch *e;
	__u64 odd;
	int err = 0;

	e = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, epoch_fd, 0);
	if (e == MAP_FAILED)
		return -errno;
	odd = __atomic_load_n(&e->epoch, __ATOMIC_RELAXED) | 1;
	__atomic_store_n(&e->epoch, odd, __ATOMIC_SEQ_CST);
	if (bpf_map_update_elem(outer_fd, &active, &fd, BPF_ANY))
		err = -errno;
	__atomic_store_n(&e->epoch, odd + 1, __ATOMIC_SEQ_CST);
	munmap(e, page);
	return err;
}

/* Adds the names of @c's apps to ward_app_names, before the switch. */
static int add_app_names(int fd, const struct compiled_policy *c)
{
	for (size_t i = 0; i < c->n_apps; i++)
		if (bpf_map_update_elem(fd, &c->apps[i].id, &c->apps[i].name,
					BPF_ANY))
			return -errno;
	return 0;
}

static int id_cmp(const void *a, const void *b)
{
	__u32 x = *(const __u32 *)a, y = *(const __u32 *)b;

	return x < y ? -1 : x > y;
}

/*
 * Removes the names of apps @c does not have, once it is active: events
 * of the policy it replaced may still be read meanwhile.  The ids are
 * looked up sorted: a walk of the map is linear.
 */
static void prune_app_names(int fd, const struct compiled_policy *c)
{
	__u32 *ids = calloc(c->n_apps + 1, sizeof(*ids));
	__u32 id, next;
	bool first = true;

	if (!ids)
		return;
	for (size_t i = 0; i < c->n_apps; i++)
		ids[i] = c->apps[i].id;
	qsort(ids, c->n_apps, sizeof(*ids), id_cmp);
	while (!bpf_map_get_next_key(fd, first ? NULL : &id, &next)) {
		/* A key deleted, the walk goes on from the one before. */
		if (!bsearch(&next, ids, c->n_apps, sizeof(*ids), id_cmp) &&
		    !bpf_map_delete_elem(fd, &next))
			continue;
		id = next;
		first = false;
	}
	free(ids);
}

/*
 * Looks at every path @c was compiled from again: an inode that changed
 * gets its entry in @fd, and the stale one is removed unless another path
 * still names it (for the same kind of entry).
 */
static int recheck_paths(int fd, const struct compiled_policy *c)
{
	/* Every entry's kind and inode now: keys of @named. */
	struct ward_policy_key *now = calloc(c->n + 1, sizeof(*now));
	struct htab named = { 0 };
	int err = 0;

	if (!now)
		return -ENOMEM;
	for (size_t i = 0; i < c->n; i++) {
		const struct policy_entry *e = &c->entries[i];
		struct stat st;

		if (!e->path || stat(e->path, &st))
			continue;
		now[i].kind = e->key.kind;
		now[i].inode.dev = kernel_dev(st.st_dev);
		now[i].inode.ino = st.st_ino;
		if (!htab_get(&named, (const char *)&now[i], sizeof(now[i])))
			htab_put(&named, (const char *)&now[i], sizeof(now[i]),
				 i);
	}
	for (size_t i = 0; i < c->n && !err; i++) {
		const struct policy_entry *e = &c->entries[i];
		struct ward_policy_key key = e->key;
		struct ward_policy_key was = { .kind = e->key.kind };

		if (!now[i].inode.ino ||
		    !memcmp(&now[i].inode, &e->key.inode, sizeof(now[i].inode)))
			continue;
		key.inode = now[i].inode;
		if (bpf_map_update_elem(fd, &key, &e->value, BPF_NOEXIST) &&
		    errno != EEXIST)
			err = -errno;
		was.inode = e->key.inode;
		if (!htab_get(&named, (const char *)&was, sizeof(was)))
			bpf_map_delete_elem(fd, &e->key);
	}
	htab_free(&named);
	free(now);
	return err;
}

__u32 policy_map_capacity(size_t n)
{
	size_t room = n / 4 > WARD_POLICY_ROOM_MIN ? n / 4 :
						      WARD_POLICY_ROOM_MIN;

	return n + room;
}

/* Entries written by one system call. */
#define FILL_BATCH 4096

/*
 * Puts @c's entries in the new map @fd, the meta entry with @serial.  The
 * keys are unique (folded), and no program sees the map yet: a batch
 * update, which takes no BPF_NOEXIST, adds each.
 */
static int fill(int fd, const struct compiled_policy *c, __u32 serial)
{
	LIBBPF_OPTS(bpf_map_batch_opts, opts);
	struct ward_policy_key *keys = calloc(FILL_BATCH, sizeof(*keys));
	union ward_policy_value *values = calloc(FILL_BATCH, sizeof(*values));
	int err = keys && values ? 0 : -ENOMEM;

	for (size_t i = 0; i < c->n && !err; i += FILL_BATCH) {
		__u32 count = c->n - i < FILL_BATCH ? c->n - i : FILL_BATCH;

		for (__u32 k = 0; k < count; k++) {
			keys[k] = c->entries[i + k].key;
			values[k] = c->entries[i + k].value;
			if (keys[k].kind == WARD_KEY_META)
				values[k].meta.serial = serial;
		}
		if (bpf_map_update_batch(fd, keys, values, &count, &opts))
			err = -errno;
	}
	free(keys);
	free(values);
	return err;
}

int policy_map_install(const struct ward_maps *maps,
		       const struct compiled_policy *c)
{
	/* Must match the inner map declared in module/policy.bpf.h. */
	LIBBPF_OPTS(bpf_map_create_opts, opts, .map_flags = BPF_F_NO_PREALLOC);
	__u32 active = SLOT_ACTIVE, next = SLOT_NEXT, previous = SLOT_PREVIOUS;
	__u32 serial;
	struct ward_policy_info info = c->info;
	struct bpf_map_info map_info = {};
	__u32 len = sizeof(map_info);
	struct ward_state st = {};
	__u64 broken;
	int fd, err = 0;

	if (c->n > WARD_POLICY_COMPILED_MAX)
		return -E2BIG;
	serial = next_serial(maps->policy);
	fd = bpf_map_create(BPF_MAP_TYPE_HASH, "ward_policy",
			    sizeof(struct ward_policy_key),
			    sizeof(union ward_policy_value),
			    policy_map_capacity(c->n), &opts);
	if (fd < 0)
		return -errno;
	err = fill(fd, c, serial);
	if (!err && bpf_map_get_info_by_fd(fd, &map_info, &len))
		err = -errno;
	if (err)
		goto close;

	/* Only the programs write ward_state: count what they could not do. */
	read_state(maps->state, &st);
	broken = st.next_broken;
	if (bpf_map_update_elem(maps->policy, &next, &fd, BPF_ANY)) {
		err = -errno;
		goto close;
	}
	wait_carries(maps->state);
	err = recheck_paths(fd, c);
	if (!err && !read_state(maps->state, &st) && st.next_broken != broken)
		err = -EAGAIN;
	/*
	 * Userspace never edits a loaded policy: a change is a new map.  The
	 * programs still may, to carry labels.
	 */
	if (!err && bpf_map_freeze(fd))
		err = -errno;
	if (!err)
		err = add_app_names(maps->app_names, c);
	if (!err)
		err = keep_previous(maps->policy);
	if (!err)
		err = switch_active(maps->policy, maps->epoch, fd);
	bpf_map_delete_elem(maps->policy, &next);
	bpf_map_delete_elem(maps->policy, &previous);
	if (!err)
		prune_app_names(maps->app_names, c);
	info.abi = WARD_ABI_VERSION;
	info.map_id = map_info.id;
	if (!err && bpf_map_update_elem(maps->info, &active, &info, BPF_ANY))
		err = -errno;
close:
	close(fd);
	return err;
}

int policy_map_active(int outer_fd)
{
	__u32 zero = 0, id;
	int fd;

	if (bpf_map_lookup_elem(outer_fd, &zero, &id))
		return -errno;
	fd = bpf_map_get_fd_by_id(id);
	return fd < 0 ? -errno : fd;
}

int policy_map_settings(int outer_fd, struct ward_meta *meta,
			struct ward_kernel *kernel)
{
	struct ward_policy_key key = { .kind = WARD_KEY_META };
	union ward_policy_value value;
	int fd = policy_map_active(outer_fd);

	if (fd < 0)
		return fd;
	if (!bpf_map_lookup_elem(fd, &key, &value))
		*meta = value.meta;
	key.kind = WARD_KEY_KERNEL;
	if (kernel && !bpf_map_lookup_elem(fd, &key, &value))
		*kernel = value.kernel;
	close(fd);
	return 0;
}
