/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What must hold for every image pvh_elf_check() accepts, checked
 * independently of how pvh_elf.c checks it (RAM by e820_range_is_ram() on
 * the raw map, not by the free list).  Shared by the unit tests and the
 * fuzzer.
 */
#ifndef IMAGE_CHECK_H
#define IMAGE_CHECK_H

#include <string.h>
#include "e820.h"
#include "elf.h"
#include "pvh_elf.h"

/* NULL when img is a sane result for a file of file_size bytes. */
static inline const char *image_problem(const struct pvh_image *img, uint64_t file_size,
					const struct e820_entry *map, unsigned nmap,
					const struct mem_range *avoid, unsigned navoid)
{
	bool entry_ok = false, pvh_note = false;

	if (img->elf_class != 32 && img->elf_class != 64)
		return "bad class";
	if (img->machine != EM_386 && img->machine != EM_X86_64)
		return "bad machine";
	if (img->nseg == 0 || img->nseg > PVH_MAX_SEGMENTS)
		return "bad segment count";
	for (unsigned i = 0; i < img->nseg; i++) {
		const struct pvh_segment *s = &img->seg[i];
		uint64_t end = (uint64_t)s->paddr + s->memsz;
		if (i && img->seg[i - 1].offset > s->offset)
			return "segments not sorted by file offset";
		if (s->memsz == 0 || s->filesz > s->memsz)
			return "bad segment sizes";
		if (s->filesz && (s->offset > file_size || s->filesz > file_size - s->offset))
			return "segment data outside the file";
		if (s->paddr < PVH_LOW_FIRMWARE_END || end > 0x100000000ull)
			return "segment outside [1 MiB, 4 GiB)";
		if (!e820_range_is_ram(map, nmap, s->paddr, end))
			return "segment not in RAM";
		for (unsigned j = 0; j < navoid; j++)
			if (ranges_overlap(s->paddr, end, avoid[j].start, avoid[j].end))
				return "segment over an avoided range";
		for (unsigned j = 0; j < i; j++)
			if (ranges_overlap(s->paddr, end, img->seg[j].paddr,
					   (uint64_t)img->seg[j].paddr + img->seg[j].memsz))
				return "segments overlap";
		if (img->entry >= s->paddr && img->entry - s->paddr < s->filesz)
			entry_ok = true;
	}
	if (!entry_ok)
		return "entry outside the file-backed segments";
	if ((img->entry_note_descsz != 4 && img->entry_note_descsz != 8) ||
	    img->entry_note_offset >= file_size)
		return "bad entry note";
	if (img->nnotes > PVH_MAX_NOTES || img->nnotes > img->notes_seen)
		return "bad note counts";
	for (unsigned i = 0; i < img->nnotes; i++) {
		const struct pvh_note_info *n = &img->notes[i];
		if (memchr(n->owner, '\0', sizeof(n->owner)) == NULL)
			return "note owner not terminated";
		if (n->offset >= file_size)
			return "note outside the file";
		if (!strcmp(n->owner, "Xen") && n->type == 18)
			pvh_note = true;
	}
	if (!pvh_note && img->notes_seen == img->nnotes)
		return "accepted without a recorded PVH note";
	return NULL;
}

#endif
