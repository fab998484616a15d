// SPDX-License-Identifier: GPL-2.0-or-later
#include "freemem.h"
#include "pvh_abi.h"
#include "pvh_elf.h"

_Static_assert(FREEMEM_MAX_MAP >= PVH_MEMMAP_MAX, "room for the ROM's memory map");
_Static_assert(FREEMEM_MAX_SPANS >= FREEMEM_MAX_MAP + PVH_MAX_SEGMENTS + 2,
	       "room for every kernel segment (or a drop-in kernel), the initrd and the command line");

/*
 * Appends [start, end) unless it is empty or the list is full: it is
 * written to the next slot in any case (there is one past the full list),
 * and counted only then.  No branch: under QEMU's TCG each one costs a
 * translated block.
 */
__attribute__((noinline))
static int add_span(struct freemem *f, uint32_t start, uint32_t end)
{
	unsigned n = f->n, ok = (start < end) & (n < FREEMEM_MAX_SPANS);

	f->s[n] = (struct span){ start, end };
	f->n = n + ok;
	return (int)ok - 1;
}

/* a if take is 1, b if it is 0, without a branch. */
static uint32_t pick(uint32_t take, uint32_t a, uint32_t b)
{
	return b ^ ((a ^ b) & -take);
}

/*
 * The RAM entries (of the first `told`) in a first pass, the others (of all
 * n) in a second.  An entry only matters below FREEMEM_TOP: its start and
 * end are saturated there, and then 32 bits hold them.  An entry of the
 * other pass is made empty, which add_span() does not count: no branch in
 * the loop (under QEMU's TCG each one costs a translated block).
 */
void freemem_init(struct freemem *f, const struct e820_entry *map, unsigned n,
		  unsigned told)
{
	f->n = 0;
	if (n > FREEMEM_MAX_MAP)
		n = told = 0; /* rather nothing free than a reserved entry dropped */
	for (unsigned pass = 0; pass < 2; pass++) {
		f->nram = f->n; /* 0, then the RAM spans' count */
		for (const struct e820_entry *e = map; e < map + (pass ? n : told); e++) {
			uint32_t start = pick((e->addr >> 32) != 0 || (uint32_t)e->addr > FREEMEM_TOP,
					      FREEMEM_TOP, (uint32_t)e->addr);
			uint32_t room = FREEMEM_TOP - start;
			uint32_t len = pick((e->size >> 32) != 0 || (uint32_t)e->size > room,
					    room, (uint32_t)e->size);
			uint32_t in_pass = (e->type != E820_RAM) == pass;
			add_span(f, start, start + (len & -in_pass));
		}
	}
}

void freemem_remove(struct freemem *f, uint32_t start, uint32_t end)
{
	add_span(f, start, end);
}

/*
 * Scanned from the end, the list shows the spans in the way first: the
 * first RAM span met that holds [start, end) decides.
 *
 * Not specialised for the ROM's one free list at a fixed address (GCC
 * would, with longer instructions for each access): smaller in the ROM.
 */
#if defined(__has_attribute) && __has_attribute(noipa)
__attribute__((noipa))
#endif
int freemem_take(struct freemem *f, uint32_t start, uint32_t end)
{
	if (start < FREEMEM_BOTTOM)
		return -1;
	for (unsigned i = f->n; i-- > 0;) {
		const struct span *s = &f->s[i];
		/* & rather than &&: one branch for both tests. */
		if (i >= f->nram) {
			if ((start < s->end) & (s->start < end))
				return -1;
		} else if ((s->start <= start) & (end <= s->end)) {
			return add_span(f, start, end); /* -1 if empty */
		}
	}
	return -1;
}

/*
 * The highest free range of a size ends at the top of a gap between the
 * spans: where a RAM span ends, or where one in the way starts.  So it is,
 * aligned down, one of those tops minus size: try them from the highest
 * down, and take the first that is free.
 */
uint32_t freemem_alloc_top(struct freemem *f, uint32_t size, uint32_t align)
{
	uint32_t top = UINT32_MAX; /* above every span */

	for (;;) {
		uint32_t next = 0;
		for (unsigned i = f->n; i-- > 0;) {
			uint32_t t = i < f->nram ? f->s[i].end : f->s[i].start;
			if (t < top && t > next)
				next = t;
		}
		if (!next)
			return 0;
		top = next;
		uint32_t addr = (top - size) & ~(align - 1);
		if (!freemem_take(f, addr, addr + size))
			return addr;
	}
}
