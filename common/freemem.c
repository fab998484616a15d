// SPDX-License-Identifier: GPL-2.0-or-later
#include "freemem.h"

static void add_span(struct freemem *f, uint32_t start, uint32_t end)
{
	if (start < end && f->n < FREEMEM_MAX_SPANS)
		f->s[f->n++] = (struct span){ start, end };
}

/* Clips a 64-bit E820 range to [FREEMEM_BOTTOM, FREEMEM_TOP). */
static struct span clip(const struct e820_entry *e)
{
	uint64_t end = e->addr + e->size;
	if (end < e->addr || end > FREEMEM_TOP)
		end = FREEMEM_TOP;
	uint64_t start = e->addr < FREEMEM_BOTTOM ? FREEMEM_BOTTOM : e->addr;
	if (start >= end)
		return (struct span){ 0, 0 };
	return (struct span){ (uint32_t)start, (uint32_t)end };
}

void freemem_init(struct freemem *f, const struct e820_entry *map, unsigned n)
{
	f->n = 0;
	/* First every RAM entry, then every other entry taken back out. */
	for (unsigned pass = 0; pass < 2; pass++)
		for (unsigned i = 0; i < n; i++) {
			struct span c = clip(&map[i]);
			if (map[i].type != E820_RAM)
				freemem_remove(f, pass ? c.start : 0, pass ? c.end : 0);
			else if (!pass)
				add_span(f, c.start, c.end);
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
		f->s[j] = f->s[--f->n];
		add_span(f, s.start, start < s.start ? s.start : start);
		add_span(f, end > s.end ? s.end : end, s.end);
	}
}

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
