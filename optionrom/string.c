// SPDX-License-Identifier: GPL-2.0-or-later
#include "string.h"

void *memcpy(void *dst, const void *src, size_t n)
{
	void *d = dst;
	__asm__ volatile("rep movsb" : "+D"(d), "+S"(src), "+c"(n) : : "memory");
	return dst;
}

/* Forward unless the regions overlap with dst above src. */
void *memmove(void *dst, const void *src, size_t n)
{
	if ((const char *)dst <= (const char *)src || (const char *)dst >= (const char *)src + n)
		return memcpy(dst, src, n);
	char *d = dst;
	const char *s = src;
	while (n--)
		d[n] = s[n];
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	void *d = dst;
	__asm__ volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(c) : "memory");
	return dst;
}
