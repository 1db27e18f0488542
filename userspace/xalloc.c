// SPDX-License-Identifier: GPL-2.0
/*
 * ward - allocations that abort when memory is exhausted
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

void *xrealloc(void *ptr, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		abort();
	ptr = realloc(ptr, n && size ? n * size : 1);
	if (!ptr)
		abort();
	return ptr;
}

void *xcalloc(size_t n, size_t size)
{
	void *ptr = calloc(n ? n : 1, size ? size : 1);

	if (!ptr)
		abort();
	return ptr;
}

void *xcalloc_written(size_t n, size_t size)
{
	void *ptr;

	if (size && n > SIZE_MAX / size)
		abort();
	ptr = xrealloc(NULL, n, size);
	memset(ptr, 0, n && size ? n * size : 1);
	return ptr;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t len)
{
	char *dup = strndup(s, len);

	if (!dup)
		abort();
	return dup;
}
