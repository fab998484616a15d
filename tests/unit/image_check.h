/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What must hold for every image pvh_elf_check() accepts, checked
 * independently of how pvh_elf.c checks it (RAM by e820_range_is_ram() on
 * the raw map, not by the free list; the entry against the notes the
 * validator reported through its note callback).  Shared by the unit tests
 * and the fuzzer.
 */
#ifndef IMAGE_CHECK_H
#define IMAGE_CHECK_H

#include <string.h>
#include "e820.h"
#include "elf.h"
#include "pvh_abi.h"
#include "pvh_elf.h"

#define NOTE_LOG_MAX 64

/* The notes pvh_elf_check() reported, as the note callback saw them. */
struct note_log {
	unsigned seen;  /* callbacks, all of them */
	unsigned n;     /* recorded in note[] (the first NOTE_LOG_MAX) */
	struct logged_note {
		uint32_t offset, namesz, descsz, type;
		uint8_t bytes[32]; /* the first min(32, note size) bytes */
		unsigned nbytes;
	} note[NOTE_LOG_MAX];
};

static inline uint32_t note_le32(const uint8_t *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Size of a note with this header, name and descriptor padded (no wrap). */
static inline uint64_t note_size(uint32_t namesz, uint32_t descsz)
{
	return 12 + ((namesz + 3ull) & ~3ull) + ((descsz + 3ull) & ~3ull);
}

/* For the note callback: copies what the callback may look at. */
static inline void note_log_add(struct note_log *log, uint32_t offset, const uint8_t *p)
{
	log->seen++;
	if (log->n == NOTE_LOG_MAX)
		return;
	struct logged_note *n = &log->note[log->n++];
	n->offset = offset;
	n->namesz = note_le32(p);
	n->descsz = note_le32(p + 4);
	n->type = note_le32(p + 8);
	uint64_t size = note_size(n->namesz, n->descsz);
	n->nbytes = size < 32 ? (unsigned)size : 32;
	memcpy(n->bytes, p, n->nbytes);
}

/* True when a logged note is the PVH entry note: owner "Xen", type 18. */
static inline bool note_is_pvh(const struct logged_note *n)
{
	return n->namesz == 4 && !memcmp(n->bytes + 12, "Xen", 4) &&
	       n->type == XEN_ELFNOTE_PHYS32_ENTRY;
}

/* NULL when img is a sane result for a file of file_size bytes. */
static inline const char *image_problem(const struct pvh_image *img, uint64_t file_size,
					const struct e820_entry *map, unsigned nmap,
					const struct mem_range *avoid, unsigned navoid,
					const struct note_log *log)
{
	bool entry_ok = false;

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

	/* The notes: inside the file, and the first PVH one well formed and
	 * giving the entry. */
	for (unsigned i = 0; i < log->n; i++) {
		const struct logged_note *n = &log->note[i];
		if (n->offset >= file_size ||
		    note_size(n->namesz, n->descsz) > file_size - n->offset)
			return "note outside the file";
		if (note_is_pvh(n)) {
			if (n->descsz != 4 && n->descsz != 8)
				return "PVH note with a bad descriptor accepted";
			if (note_le32(n->bytes + 16) != img->entry)
				return "entry is not the first PVH note's";
			return NULL;
		}
	}
	if (log->seen == log->n)
		return "accepted without a PVH note";
	return NULL;
}

#endif
