/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ward - memory that cannot fail to be had: allocations that abort when
 * memory is exhausted, arrays that grow by doubling, and their lengths
 *
 * For code that builds a policy in memory, where running out of memory
 * leaves nothing sensible to do but stop.
 */

#ifndef WARD_XALLOC_H
#define WARD_XALLOC_H

#include <stddef.h>

#define ARRAY_LEN(a) (sizeof(a) / sizeof(*(a)))

/* realloc() of @n elements of @size; n * size overflowing aborts too. */
void *xrealloc(void *ptr, size_t n, size_t size);

/* calloc(); 0 elements or a size of 0 still give a pointer to free(). */
void *xcalloc(size_t n, size_t size);

/*
 * xcalloc() for a table read before it is written (a hash table): zeroed
 * by writing, so that each page faults once, not first as the shared zero
 * page and then again at the first write to it.
 */
void *xcalloc_written(size_t n, size_t size);

char *xstrdup(const char *s);

char *xstrndup(const char *s, size_t len);

/*
 * Makes room for one more element in an array of @n holding @cap: @cap
 * over @n, doubled as often as that takes (a caller may ask for many).
 */
#define GROW(array, n, cap)                                                   \
	do {                                                                  \
		if ((n) >= (cap)) {                                           \
			while ((n) >= (cap))                                  \
				(cap) = (cap) ? (cap)*2 : 8;                  \
			(array) = xrealloc((array), (cap), sizeof(*(array))); \
		}                                                             \
	} while (0)

#endif /* WARD_XALLOC_H */
