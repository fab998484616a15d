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
			if (map[i].type == E820_RAM && map[i].addr <= pos &&
			    pos < e && e > next)
				next = e;
		}
		if (next == pos)
			return false;
		pos = next;
	}
	return pos >= end;
}

static bool placement_ok(const struct e820_entry *map, unsigned n,
			 uint64_t addr, uint64_t size,
			 const struct mem_range *avoid, unsigned navoid)
{
	if (addr == 0)
		return false;
	for (unsigned i = 0; i < navoid; i++)
		if (ranges_overlap(addr, addr + size, avoid[i].start, avoid[i].end))
			return false;
	return e820_range_is_ram(map, n, addr, addr + size);
}

/* Try the highest aligned placement that ends at or below top. */
static void try_top(const struct e820_entry *map, unsigned n, uint64_t top,
		    uint64_t size, uint64_t align, uint64_t limit,
		    const struct mem_range *avoid, unsigned navoid,
		    uint64_t *best)
{
	if (top > limit)
		top = limit;
	if (top < size)
		return;
	uint64_t addr = (top - size) & ~(align - 1);
	if (addr > *best && placement_ok(map, n, addr, size, avoid, navoid))
		*best = addr;
}

uint64_t e820_find_highest(const struct e820_entry *map, unsigned n,
			   uint64_t size, uint64_t align, uint64_t limit,
			   const struct mem_range *avoid, unsigned navoid)
{
	uint64_t best = 0;

	if (size == 0 || align == 0 || (align & (align - 1)))
		return 0;
	/*
	 * The best placement ends at a boundary: the limit, the end of an
	 * entry or the start of an entry or avoided range (whatever stopped
	 * it from sitting one alignment step higher).
	 */
	try_top(map, n, limit, size, align, limit, avoid, navoid, &best);
	for (unsigned i = 0; i < n; i++) {
		try_top(map, n, entry_end(&map[i]), size, align, limit,
			avoid, navoid, &best);
		try_top(map, n, map[i].addr, size, align, limit, avoid,
			navoid, &best);
	}
	for (unsigned i = 0; i < navoid; i++)
		try_top(map, n, avoid[i].start, size, align, limit, avoid,
			navoid, &best);
	return best;
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
