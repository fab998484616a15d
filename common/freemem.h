/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The free memory the ROM may hand out or load into: RAM by the E820 map,
 * above the first MiB (firmware, the ROM itself) and below FREEMEM_TOP, as a
 * list of disjoint spans.  Whatever the ROM places (kernel segments, initrd,
 * command line) is taken out of the list, so later placements cannot
 * overlap it.  32-bit arithmetic only: everything the ROM places lies below
 * 4 GiB, which keeps this small enough for a 4 KiB ROM.
 */
#ifndef FREEMEM_H
#define FREEMEM_H

#include <stdint.h>
#include "e820.h"

#define FREEMEM_BOTTOM 0x100000u   /* the first MiB belongs to the firmware */
#define FREEMEM_TOP 0xfffff000u    /* the last page below 4 GiB is never RAM */
#define FREEMEM_MAX_SPANS 64       /* more fragments than this are dropped */

struct span {
	uint32_t start, end; /* [start, end) */
};

struct freemem {
	unsigned n;
	struct span s[FREEMEM_MAX_SPANS];
};

/*
 * RAM (type 1) entries of the map, minus every other entry's range.  Spans
 * are not merged: a range must lie within one E820 RAM entry to be taken
 * (PC firmware never splits contiguous RAM into adjacent entries).
 */
void freemem_init(struct freemem *f, const struct e820_entry *map, unsigned n);

/* Removes [start, end) from the free list, wherever it overlaps. */
void freemem_remove(struct freemem *f, uint32_t start, uint32_t end);

/*
 * Takes [start, end) if it lies wholly inside one free span: returns 0.
 * Returns -1 (and changes nothing) otherwise, or if start >= end.
 */
int freemem_take(struct freemem *f, uint32_t start, uint32_t end);

/*
 * Takes the highest size bytes aligned to align (a power of two) and returns
 * their address, or 0 when nothing fits.
 */
uint32_t freemem_alloc_top(struct freemem *f, uint32_t size, uint32_t align);

#endif
