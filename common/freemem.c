// SPDX-License-Identifier: GPL-2.0-or-later
#include "freemem.h"

/* Appends [start, end) unless it is empty or the list is full. */
static void add_span(struct freemem *f, uint32_t start, uint32_t end)
{
	if (start < end && f->n < FREEMEM_MAX_SPANS)
		f->s[f->n++] = (struct span){ start, end };
}

/*
 * Out of line: inlined into the ROM's main, it takes some 70 bytes more.
 * The E820 ranges are 64-bit; only their part in [FREEMEM_BOTTOM,
 * FREEMEM_TOP) matters, which 32 bits hold.  An empty or inverted range
 * (start >= end) is ignored by add_span and freemem_remove.
 */
__attribute__((noinline))
void freemem_init(struct freemem *f, const struct e820_entry *map, unsigned n)
{
	f->n = 0;
	/* First every RAM entry, then every other entry taken back out. */
	for (unsigned pass = 0; pass < 2; pass++)
		for (const struct e820_entry *e = map; e < map + n; e++) {
			uint32_t start = FREEMEM_BOTTOM, end = 0; /* empty */
			if (e->addr < FREEMEM_TOP) {
				uint32_t addr = (uint32_t)e->addr, size = (uint32_t)e->size;
				end = FREEMEM_TOP;
				if (e->size >> 32 == 0 && size < FREEMEM_TOP - addr)
					end = addr + size;
				if (addr > start)
					start = addr;
			}
			if (pass == 0 && e->type == E820_RAM)
				add_span(f, start, end);
			if (pass == 1 && e->type != E820_RAM)
				freemem_remove(f, start, end);
		}
}

void freemem_remove(struct freemem *f, uint32_t start, uint32_t end)
{
	if (start >= end)
		return;
	for (unsigned j = f->n; j-- > 0;) {
		struct span s = f->s[j];
		if (s.end <= start || end <= s.start)
			continue;
		/* Out of the list; then back in, what lies below and above. */
		f->s[j] = f->s[--f->n];
		add_span(f, s.start, start);
		add_span(f, end, s.end);
	}
}

/*
 * Not specialised for the ROM's one free list at a fixed address (GCC
 * would, with longer instructions for each access): smaller in the ROM.
 */
#if defined(__has_attribute) && __has_attribute(noipa)
__attribute__((noipa))
#endif
int freemem_take(struct freemem *f, uint32_t start, uint32_t end)
{
	for (unsigned j = 0; j < f->n; j++)
		if (start < end && f->s[j].start <= start && end <= f->s[j].end) {
			freemem_remove(f, start, end);
			return 0;
		}
	return -1;
}

uint32_t freemem_alloc_top(struct freemem *f, uint32_t size, uint32_t align)
{
	uint32_t best = 0;

	for (unsigned j = 0; j < f->n; j++) {
		const struct span *s = &f->s[j];
		if (size == 0 || s->end - s->start < size)
			continue;
		uint32_t addr = (s->end - size) & ~(align - 1);
		if (addr >= s->start && addr > best)
			best = addr;
	}
	if (best)
		freemem_remove(f, best, best + size);
	return best;
}
