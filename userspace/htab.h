/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ward - a hash table from byte strings to indexes, by open addressing
 *
 * It does not own its keys: they are names and paths the policy holds, or
 * keys whose owner frees them by walking the slots.  An empty table ({ 0 })
 * needs no setup.
 */

#ifndef WARD_HTAB_H
#define WARD_HTAB_H

#include <stddef.h>
#include <stdint.h>

struct htab_slot {
	const char *key; /* NULL: empty */
	size_t len;
	size_t value;
	uint64_t hash; /* of the key: growing rehashes nothing */
};

struct htab {
	struct htab_slot *slots;
	size_t cap; /* a power of two, or 0 */
	size_t n;
};

/* FNV-1a, then a finalizer so that the low bits spread well. */
uint64_t htab_hash(const void *data, size_t len);

/* The value of @key, which may be changed in place; NULL if absent. */
size_t *htab_get(const struct htab *h, const char *key, size_t len);

/* Adds @key, which must not be there yet. */
void htab_put(struct htab *h, const char *key, size_t len, size_t value);

/* Frees the slots, not the keys, and leaves @h empty. */
void htab_free(struct htab *h);

#endif /* WARD_HTAB_H */
