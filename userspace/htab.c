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

static struct htab_slot *htab_slot(const struct htab *h, const char *key,
				   size_t len, uint64_t hash)
{
	size_t mask = h->cap - 1, i = hash & mask;

	while (h->slots[i].key &&
	       (h->slots[i].hash != hash || h->slots[i].len != len ||
		memcmp(h->slots[i].key, key, len)))
		i = (i + 1) & mask;
	return &h->slots[i];
}

size_t *htab_get(const struct htab *h, const char *key, size_t len)
{
	struct htab_slot *slot;

	if (!h->cap)
		return NULL;
	slot = htab_slot(h, key, len, htab_hash(key, len));
	return slot->key ? &slot->value : NULL;
}

void htab_put(struct htab *h, const char *key, size_t len, size_t value)
{
	uint64_t hash = htab_hash(key, len);

	if ((h->n + 1) * 2 > h->cap) {
		struct htab old = *h;

		h->cap = old.cap ? old.cap * 2 : 64;
		h->slots = xcalloc_written(h->cap, sizeof(*h->slots));
		for (size_t i = 0; i < old.cap; i++)
			if (old.slots[i].key)
				*htab_slot(h, old.slots[i].key,
					   old.slots[i].len,
					   old.slots[i].hash) = old.slots[i];
		free(old.slots);
	}
	*htab_slot(h, key, len, hash) =
		(struct htab_slot){ key, len, value, hash };
	h->n++;
}

void htab_free(struct htab *h)
{
	free(h->slots);
	memset(h, 0, sizeof(*h));
}
