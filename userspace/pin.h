/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ward - ward's objects pinned in the BPF file system
 *
 * WARD_PIN_DIR/maps/<map> and WARD_PIN_DIR/links/<program>.  The pins are
 * what keeps ward attached once the process that loaded it exits; the
 * directory existing is what "running" means.
 */

#ifndef WARD_PIN_H
#define WARD_PIN_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include <linux/types.h>

/* Where ward pins its links and maps in the BPF file system. */
#define WARD_PIN_DIR "/sys/fs/bpf/ward"
#define WARD_PIN_MAPS "maps"
#define WARD_PIN_LINKS "links"

bool ward_running(void);

/**
 * struct pinned_link - a link pinned under WARD_PIN_DIR/links
 * @name: the program's name, which is the pin's name
 * @attached: the link could be opened and described
 * @link_id: the kernel's id of the link
 * @prog_id: the kernel's id of its program
 */
struct pinned_link {
	char name[NAME_MAX + 1];
	bool attached;
	__u32 link_id;
	__u32 prog_id;
};

/* Lists up to @max pinned links into @links; returns how many. */
size_t pin_links(struct pinned_link *links, size_t max);

/*
 * An fd for the pinned map @name, or -1 with errno set, quietly: for
 * callers to whom a ward that does not run is no error (the log daemon,
 * the change queue).
 */
int pin_get_map(const char *name);

/*
 * An fd for the pinned map @name, or -1 after reporting why with p_err():
 * among the reasons, a running ward of another ABI version (ward_abi.h).
 */
int pin_open_map(const char *name);

/*
 * Removes the pins under @dir and @dir itself, links first so that the
 * programs detach before their maps go.  Returns 0 or -errno.
 */
int pin_remove(const char *dir);

#endif /* WARD_PIN_H */
