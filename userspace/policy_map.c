// SPDX-License-Identifier: GPL-2.0
/*
 * ward - compiled policies in the kernel
 */

#include <errno.h>
#include <unistd.h>
#include <bpf/bpf.h>

#include "policy_map.h"

/*
 * The serial of the policy after the active one: labels cached in inode
 * storage under another serial are not believed.
 */
static __u32 next_serial(int outer_fd)
{
	struct ward_policy_key key = { .kind = WARD_KEY_META };
	union ward_policy_value value;
	int fd = policy_map_active(outer_fd);
	__u32 serial = 0;

	if (fd >= 0) {
		if (!bpf_map_lookup_elem(fd, &key, &value))
			serial = value.meta.serial;
		close(fd);
	}
	return serial + 1 ? serial + 1 : 1;
}

int policy_map_install(const struct ward_maps *maps,
		       const struct compiled_policy *c)
{
	/* Must match the inner map declared in module/policy.bpf.h. */
	LIBBPF_OPTS(bpf_map_create_opts, opts, .map_flags = BPF_F_NO_PREALLOC);
	__u32 zero = 0, serial;
	int fd, err = 0;

	serial = next_serial(maps->policy);
	fd = bpf_map_create(BPF_MAP_TYPE_HASH, "ward_policy",
			    sizeof(struct ward_policy_key),
			    sizeof(union ward_policy_value),
			    WARD_POLICY_MAX_ENTRIES, &opts);
	if (fd < 0)
		return -errno;
	for (size_t i = 0; i < c->n && !err; i++) {
		union ward_policy_value value = c->entries[i].value;

		if (c->entries[i].key.kind == WARD_KEY_META)
			value.meta.serial = serial;
		if (bpf_map_update_elem(fd, &c->entries[i].key, &value,
					BPF_NOEXIST))
			err = -errno;
	}
	/*
	 * Userspace never edits a loaded policy: a change is a new map.  The
	 * programs still may, to move labels onto replaced files.
	 */
	if (!err && bpf_map_freeze(fd))
		err = -errno;
	if (!err && bpf_map_update_elem(maps->policy, &zero, &fd, BPF_ANY))
		err = -errno;
	close(fd);
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
