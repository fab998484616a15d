/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The few C library functions the ROM needs (and GCC may emit calls to). */
#ifndef ROM_STRING_H
#define ROM_STRING_H

#include <stddef.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);

#endif
