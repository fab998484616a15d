// SPDX-License-Identifier: GPL-2.0-or-later
#include "memmap.h"
#include "phys.h"

struct e820_entry e820_table[E820_TABLE_ENTRIES]
	__attribute__((section(".scratch"), aligned(8)));

/* Where read_e820 stopped writing (an address in the first 64 KiB). */
extern uint16_t e820_table_fill;

unsigned tidy_e820(unsigned max)
{
	const struct e820_entry *end = phys_ptr(e820_table_fill);
	unsigned n = 0;

	for (const struct e820_entry *e = e820_table; e < end && n < max; e++)
		if (e->attr & E820_ATTR_VALID) {
			e820_table[n] = *e;
			e820_table[n++].attr = 0;
		}
	return n;
}
