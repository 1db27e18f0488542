/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ward - a hash table from byte strings to indexes, by open addressing
 *
 * It does not own its keys: they are names and paths the policy holds, or
 * keys whose owner frees them by walking the entries.  An empty table
 * ({ 0 }) needs no setup.
 */

#ifndef WARD_HTAB_H
#define WARD_HTAB_H

#include <stddef.h>
#include <stdint.h>

struct htab_entry {
	const char *key;
	size_t len;
	size_t value;
};

/*
 * Eight bytes a slot, so that a probe reads one cache line and a table of
 * a million keys stays small; the key is read only when the hashes match.
 */
struct htab_slot {
	uint32_t hash; /* the low half of the key's: growing rehashes nothing */
	uint32_t entry; /* its index in entries, plus one; 0: empty */
};

struct htab {
	struct htab_slot *slots;
	size_t cap; /* a power of two, or 0 */
	struct htab_entry *entries; /* in the order they were put */
	size_t n, entries_cap;
};

/* FNV-1a, then a finalizer so that the low bits spread well. */
uint64_t htab_hash(const void *data, size_t len);

/*
 * The value of @key, which may be changed in place until the next
 * htab_put(); NULL if absent.
 */
size_t *htab_get(const struct htab *h, const char *key, size_t len);

/* Adds @key, which must not be there yet; its value, as htab_get() gives. */
size_t *htab_put(struct htab *h, const char *key, size_t len, size_t value);

/* Frees the slots and entries, not the keys, and leaves @h empty. */
void htab_free(struct htab *h);

#endif /* WARD_HTAB_H */
