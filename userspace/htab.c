// SPDX-License-Identifier: GPL-2.0
/*
 * ward - a hash table from byte strings to indexes, by open addressing
 *
 * Linear probing; the table doubles before it is more than half full, so
 * that a probe stays short and an empty slot always ends it.
 */

#include <stdlib.h>
#include <string.h>

#include "htab.h"
#include "xalloc.h"

uint64_t htab_hash(const void *data, size_t len)
{
	const unsigned char *b = data;
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < len; i++) {
		h ^= b[i];
		h *= 0x100000001b3ULL;
	}
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return h;
}

size_t *htab_get(const struct htab *h, const char *key, size_t len)
{
	uint32_t hash = (uint32_t)htab_hash(key, len);
	size_t mask = h->cap - 1;

	if (!h->cap)
		return NULL;
	for (size_t i = hash & mask; h->slots[i].entry; i = (i + 1) & mask) {
		struct htab_entry *e = &h->entries[h->slots[i].entry - 1];

		if (h->slots[i].hash == hash && e->len == len &&
		    !memcmp(e->key, key, len))
			return &e->value;
	}
	return NULL;
}

/* The first empty slot from @hash's own: where it goes in. */
static struct htab_slot *free_slot(struct htab_slot *slots, size_t cap,
				   uint32_t hash)
{
	size_t mask = cap - 1, i = hash & mask;

	while (slots[i].entry)
		i = (i + 1) & mask;
	return &slots[i];
}

size_t *htab_put(struct htab *h, const char *key, size_t len, size_t value)
{
	uint32_t hash = (uint32_t)htab_hash(key, len);

	if (h->n >= UINT32_MAX - 1)
		abort();
	if ((h->n + 1) * 2 > h->cap) {
		size_t cap = h->cap ? h->cap * 2 : 64;
		struct htab_slot *slots = xcalloc_written(cap, sizeof(*slots));

		for (size_t i = 0; i < h->cap; i++)
			if (h->slots[i].entry)
				*free_slot(slots, cap, h->slots[i].hash) =
					h->slots[i];
		free(h->slots);
		h->slots = slots;
		h->cap = cap;
	}
	GROW(h->entries, h->n, h->entries_cap);
	h->entries[h->n] = (struct htab_entry){ key, len, value };
	*free_slot(h->slots, h->cap, hash) =
		(struct htab_slot){ hash, (uint32_t)++h->n };
	return &h->entries[h->n - 1].value;
}

void htab_free(struct htab *h)
{
	free(h->slots);
	free(h->entries);
	memset(h, 0, sizeof(*h));
}
