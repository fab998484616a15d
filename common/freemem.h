/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The free memory the ROM may hand out or load into: RAM by the E820 map,
 * above the first MiB (firmware, the ROM itself) and below FREEMEM_TOP.
 * Kept as the map's entries, cut to 32 bits, plus the ranges the ROM has
 * placed (kernel segments, initrd, a long command line): nothing is split or
 * merged, each request is checked against the whole list.  32-bit
 * arithmetic only: everything the ROM places lies below 4 GiB, which keeps
 * this small enough for a 4 KiB ROM.
 */
#ifndef FREEMEM_H
#define FREEMEM_H

#include <stdint.h>
#include "e820.h"

#define FREEMEM_BOTTOM 0x100000u   /* the first MiB belongs to the firmware */
#define FREEMEM_TOP 0xfffff000u    /* the last page below 4 GiB is never RAM */
#define FREEMEM_MAX_MAP 128   /* E820 entries; a longer map leaves nothing free */
#define FREEMEM_MAX_SPANS 148 /* the map's, and 20 taken (see freemem.c) */

struct span {
	uint32_t start, end; /* [start, end) */
};

struct freemem {
	unsigned nram; /* s[0, nram): the map's RAM entries */
	unsigned n;    /* s[nram, n): its other entries, then what was taken */
	struct span s[FREEMEM_MAX_SPANS + 1]; /* the last: written, never counted */
};

/*
 * Free memory by the map's n entries: the RAM (type 1) entries among the
 * first `told` <= n (those the kernel is told about, pvh_memmap_count(n):
 * the ROM must not place anything in RAM the kernel does not know of),
 * minus every other entry's range, which wins where they overlap.  Entries
 * are not merged: a range must lie within one E820 RAM entry to be free
 * (PC firmware never splits contiguous RAM into adjacent entries).  The
 * map is not kept.
 */
void freemem_init(struct freemem *f, const struct e820_entry *map, unsigned n,
		  unsigned told);

/*
 * Makes [start, end) not free, wherever it overlaps (what the caller keeps
 * for itself).  Ignored when empty or when the list is full.
 */
void freemem_remove(struct freemem *f, uint32_t start, uint32_t end);

/*
 * Takes [start, end) if it is wholly free: returns 0.  Returns -1 (and
 * changes nothing) otherwise, if start >= end, or if the list is full
 * (never for the ROM's map plus 20 ranges).
 */
int freemem_take(struct freemem *f, uint32_t start, uint32_t end);

/*
 * Takes the highest size bytes aligned to align (a power of two) and returns
 * their address, or 0 when nothing fits (always for size 0).
 */
uint32_t freemem_alloc_top(struct freemem *f, uint32_t size, uint32_t align);

#endif
