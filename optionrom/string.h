/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The few C library functions the ROM needs (and GCC may emit calls to). */
#ifndef ROM_STRING_H
#define ROM_STRING_H

#include <stdbool.h>
#include <stddef.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);

/*
 * Whether the n bytes at a and b are the same: one string instruction
 * (which leaves ZF clear at the first difference).  The CMP before it sets
 * ZF, so n = 0 compares equal.
 */
static inline bool same_bytes(const void *a, const void *b, size_t n)
{
	bool same;

	__asm__("cmp %%ecx, %%ecx\n\trepe cmpsb"
		: "=@ccz"(same), "+S"(a), "+D"(b), "+c"(n)
		:
		: "memory");
	return same;
}

#endif
