// SPDX-License-Identifier: GPL-2.0
/*
 * ward - compiled policies in the kernel
 */

#include <errno.h>
#include <unistd.h>
#include <bpf/bpf.h>

#include "policy_map.h"

/*
 * The programs count directory renames in the low half of the generation;
 * a policy change moves the high half, so the value is new either way.
 */
static int bump_generation(int state_fd)
{
	struct ward_state state;
	__u32 zero = 0;

	if (bpf_map_lookup_elem(state_fd, &zero, &state))
		return -errno;
	state.generation += 1ULL << 32;
	return bpf_map_update_elem(state_fd, &zero, &state, BPF_ANY) ? -errno :
								       0;
}

int policy_map_install(const struct ward_maps *maps,
		       const struct compiled_policy *c)
{
	/* Must match the inner map declared in module/policy.bpf.h. */
	LIBBPF_OPTS(bpf_map_create_opts, opts, .map_flags = BPF_F_NO_PREALLOC);
	__u32 zero = 0;
	int fd, err = 0;

	fd = bpf_map_create(BPF_MAP_TYPE_HASH, "ward_policy",
			    sizeof(struct ward_policy_key),
			    sizeof(union ward_policy_value),
			    WARD_POLICY_MAX_ENTRIES, &opts);
	if (fd < 0)
		return -errno;
	for (size_t i = 0; i < c->n && !err; i++)
		if (bpf_map_update_elem(fd, &c->entries[i].key,
					&c->entries[i].value, BPF_NOEXIST))
			err = -errno;
	/*
	 * Userspace never edits a loaded policy: a change is a new map.  The
	 * programs still may, to move labels onto replaced files.
	 */
	if (!err && bpf_map_freeze(fd))
		err = -errno;
	if (!err && bpf_map_update_elem(maps->policy, &zero, &fd, BPF_ANY))
		err = -errno;
	close(fd);
	if (!err)
		err = bump_generation(maps->state);
	if (!err && bpf_map_update_elem(maps->info, &zero, &c->info, BPF_ANY))
		err = -errno;
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
