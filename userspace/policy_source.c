// SPDX-License-Identifier: GPL-2.0
/*
 * ward - the active policy's text, kept in the kernel
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>

#include "output.h"
#include "pin.h"
#include "policy_source.h"

int source_store(const char *maps_dir, const char *text)
{
	size_t len = strlen(text) + 1;
	__u32 chunks = (len + WARD_SOURCE_CHUNK - 1) / WARD_SOURCE_CHUNK;
	char staged[512], final[512], chunk[WARD_SOURCE_CHUNK];
	int fd, err = 0;

	fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, WARD_SOURCE_MAP, sizeof(__u32),
			    WARD_SOURCE_CHUNK, chunks, NULL);
	if (fd < 0)
		return -errno;
	for (__u32 i = 0; i < chunks && !err; i++) {
		size_t off = (size_t)i * WARD_SOURCE_CHUNK;
		size_t n = len - off < WARD_SOURCE_CHUNK ? len - off :
							   WARD_SOURCE_CHUNK;

		memset(chunk, 0, sizeof(chunk));
		memcpy(chunk, text + off, n);
		if (bpf_map_update_elem(fd, &i, chunk, BPF_ANY))
			err = -errno;
	}
	if (!err && bpf_map_freeze(fd))
		err = -errno;
	/* bpffs refuses dots in names. */
	snprintf(staged, sizeof(staged), "%s/%s_%d", maps_dir, WARD_SOURCE_MAP,
		 getpid());
	snprintf(final, sizeof(final), "%s/%s", maps_dir, WARD_SOURCE_MAP);
	if (!err && bpf_obj_pin(fd, staged))
		err = -errno;
	if (!err && rename(staged, final)) {
		err = -errno;
		unlink(staged);
	}
	close(fd);
	return err;
}

char *source_read(void)
{
	int fd = pin_open_map(WARD_SOURCE_MAP);
	struct bpf_map_info info = {};
	__u32 len = sizeof(info);
	char *text = NULL;

	if (fd < 0)
		return NULL;
	if (bpf_map_get_info_by_fd(fd, &info, &len) ||
	    info.value_size != WARD_SOURCE_CHUNK) {
		p_err("%s is not a policy text map", WARD_SOURCE_MAP);
		goto close;
	}
	text = calloc(info.max_entries, WARD_SOURCE_CHUNK);
	if (!text) {
		p_err("out of memory");
		goto close;
	}
	for (__u32 i = 0; i < info.max_entries; i++) {
		if (bpf_map_lookup_elem(fd, &i, text + i * WARD_SOURCE_CHUNK)) {
			p_err("cannot read %s: %s", WARD_SOURCE_MAP,
			      strerror(errno));
			free(text);
			text = NULL;
			goto close;
		}
	}
	text[info.max_entries * WARD_SOURCE_CHUNK - 1] = '\0';
close:
	close(fd);
	return text;
}

int app_names_open(void)
{
	return ward_running() ? pin_open_map("ward_app_names") : -1;
}

const char *app_name_of(int fd, __u32 id, struct ward_app_name *buf)
{
	if (fd < 0 || !id || bpf_map_lookup_elem(fd, &id, buf))
		return NULL;
	buf->name[sizeof(buf->name) - 1] = '\0';
	return buf->name;
}
