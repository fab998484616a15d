// SPDX-License-Identifier: GPL-2.0-or-later
/* Memory-map arithmetic over an E820 table (see e820.h). */
#include "e820.h"

/* End of an entry, saturated so that a bogus size cannot wrap around. */
static uint64_t entry_end(const struct e820_entry *e)
{
	uint64_t end = e->addr + e->size;
	return end < e->addr ? UINT64_MAX : end;
}

bool e820_range_is_ram(const struct e820_entry *map, unsigned n,
		       uint64_t start, uint64_t end)
{
	if (start >= end)
		return false;

	for (unsigned i = 0; i < n; i++)
		if (map[i].type != E820_RAM &&
		    ranges_overlap(start, end, map[i].addr, entry_end(&map[i])))
			return false;

	/* Walk forward through RAM entries until the range is covered. */
	uint64_t pos = start;
	for (unsigned step = 0; step < n && pos < end; step++) {
		uint64_t next = pos;
		for (unsigned i = 0; i < n; i++) {
			uint64_t e = entry_end(&map[i]);
			/* next >= pos: an entry that ends past it covers pos */
			if (map[i].type == E820_RAM && map[i].addr <= pos && e > next)
				next = e;
		}
		if (next == pos)
			return false;
		pos = next;
	}
	return pos >= end;
}

uint64_t e820_ram_below(const struct e820_entry *map, unsigned n, uint64_t limit)
{
	uint64_t total = 0;
	for (unsigned i = 0; i < n; i++) {
		if (map[i].type != E820_RAM || map[i].addr >= limit)
			continue;
		uint64_t end = entry_end(&map[i]);
		total += (end > limit ? limit : end) - map[i].addr;
	}
	return total;
}
