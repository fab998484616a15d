/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The E820 entry layout (shared by the ROM, which reads it from INT 15h, and
 * the host) and two host-side helpers: pvh-inspect's RAM total and the
 * tests' independent "is this range RAM" oracle.  The ROM's own placement
 * decisions are in freemem.h.
 */
#ifndef E820_H
#define E820_H

/* The constants are for entry.S too, which reads the map in real mode. */
#define E820_RAM 1
#define E820_RESERVED 2
#define E820_ACPI 3
#define E820_NVS 4
#define E820_UNUSABLE 5

#define E820_ATTR_VALID 1       /* bit 0 of attr: the entry is valid */
#define E820_ATTR_OFFSET 20     /* attr follows the 20-byte base entry */
#define E820_ENTRY_SIZE_MIN 20
#define E820_ENTRY_SIZE_ACPI3 24

#ifndef __ASSEMBLER__
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One E820 entry as INT 15h AX=E820h returns it (20 bytes, or 24 with attr). */
struct e820_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
	uint32_t attr; /* ACPI 3.0 extended attributes; bit 0 = entry valid */
} __attribute__((packed));

_Static_assert(offsetof(struct e820_entry, attr) == E820_ATTR_OFFSET &&
	       sizeof(struct e820_entry) == E820_ENTRY_SIZE_ACPI3, "the E820 layout");

/* A half-open physical range [start, end). */
struct mem_range {
	uint64_t start;
	uint64_t end;
};

/* True when the half-open ranges share a byte (an empty one has none). */
static inline bool ranges_overlap(uint64_t a_start, uint64_t a_end,
				  uint64_t b_start, uint64_t b_end)
{
	return a_start < a_end && b_start < b_end && a_start < b_end && b_start < a_end;
}

/*
 * True when [start, end) lies wholly inside RAM (type 1) entries of the map
 * (adjacent or overlapping RAM entries count as one) and touches no entry of
 * any other type.  An empty range is never "in RAM".
 */
bool e820_range_is_ram(const struct e820_entry *map, unsigned n,
		       uint64_t start, uint64_t end);

/* Total bytes of RAM (type 1) below limit, overlaps between entries ignored. */
uint64_t e820_ram_below(const struct e820_entry *map, unsigned n, uint64_t limit);

#endif /* __ASSEMBLER__ */

#endif
