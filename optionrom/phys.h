/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The ROM runs with flat segments, so a physical address below 4 GiB is a
 * pointer.  Going through this function keeps GCC from treating constant
 * addresses (0x40e, 0xe0000) as pointers into zero-sized objects.
 */
#ifndef PHYS_H
#define PHYS_H

#include <stdint.h>

static inline void *phys_ptr(uint32_t addr)
{
	__asm__("" : "+r"(addr));
	return (void *)(uintptr_t)addr;
}

static inline uint32_t phys_addr(const void *p)
{
	return (uint32_t)(uintptr_t)p;
}

#endif
