/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Deciding whether and how an ELF file boots through PVH.  Pure logic: the
 * file is reached only through the caller's reader, so the same code runs in
 * the ROM (reading over fw_cfg) and on the host (reading from memory).
 * Nothing here writes guest memory: a file is validated completely before
 * the ROM loads its first byte.
 */
#ifndef PVH_ELF_H
#define PVH_ELF_H

#include <stdbool.h>
#include <stdint.h>
#include "e820.h"

/* Reads len bytes at offset of the file into buf; returns 0 on success. */
struct pvh_reader {
	int (*read)(void *ctx, uint64_t offset, void *buf, uint32_t len);
	void *ctx;
	uint64_t size; /* file size in bytes */
};

#define PVH_MAX_PHNUM 64     /* more program headers than this: rejected */
#define PVH_MAX_SEGMENTS 16  /* more PT_LOAD segments than this: rejected */
#define PVH_MAX_NOTES 16     /* notes remembered for reports (pvh-inspect) */
#define PVH_LOW_FIRMWARE_END 0x100000u /* segments must start at or above */

struct pvh_segment {
	uint64_t offset; /* file offset of the data */
	uint32_t paddr;  /* load address */
	uint32_t filesz; /* bytes copied from the file */
	uint32_t memsz;  /* bytes occupied; memsz - filesz are zeroed */
};

struct pvh_note_info {
	uint64_t offset; /* file offset of the note header */
	uint32_t type;
	uint32_t descsz;
	char owner[16]; /* NUL-terminated, truncated if longer */
};

struct pvh_image {
	unsigned elf_class;  /* 32 or 64 */
	unsigned machine;    /* EM_386 (3) or EM_X86_64 (62) */
	uint32_t entry;      /* PHYS32_ENTRY, low 32 bits of the descriptor */
	unsigned nseg;
	struct pvh_segment seg[PVH_MAX_SEGMENTS]; /* sorted by file offset */
	unsigned nnotes;     /* notes seen (at most PVH_MAX_NOTES recorded) */
	struct pvh_note_info notes[PVH_MAX_NOTES];
};

/* Where segments may go: RAM per the map, minus the avoided ranges. */
struct pvh_mem_policy {
	const struct e820_entry *map;
	unsigned nmap;
	const struct mem_range *avoid; /* the ROM's own structures etc. */
	unsigned navoid;
};

enum pvh_elf_error {
	PVH_ELF_OK = 0,
	PVH_ELF_READ_FAILED,       /* the reader failed */
	PVH_ELF_EMPTY,             /* kernel file is empty */
	PVH_ELF_NOT_ELF,           /* kernel is not an ELF file */
	PVH_ELF_TRUNCATED,         /* kernel file is truncated */
	PVH_ELF_BAD_CLASS,
	PVH_ELF_NOT_LITTLE_ENDIAN,
	PVH_ELF_BAD_VERSION,
	PVH_ELF_BAD_MACHINE,
	PVH_ELF_NOT_EXECUTABLE,
	PVH_ELF_BAD_PHENTSIZE,
	PVH_ELF_TOO_MANY_PHDRS,
	PVH_ELF_PHDRS_OUTSIDE_FILE,
	PVH_ELF_NO_LOAD_SEGMENT,
	PVH_ELF_TOO_MANY_SEGMENTS,
	PVH_ELF_FILESZ_GT_MEMSZ,
	PVH_ELF_SEGMENT_OUTSIDE_FILE,
	PVH_ELF_SEGMENT_WRAPS,     /* paddr + memsz past 4 GiB */
	PVH_ELF_SEGMENT_LOW,       /* overlaps the first-MiB firmware area */
	PVH_ELF_SEGMENT_NOT_RAM,
	PVH_ELF_SEGMENT_RESERVED,  /* overlaps a range in policy->avoid */
	PVH_ELF_SEGMENT_OVERLAP,
	PVH_ELF_BAD_NOTE,          /* malformed note (sizes past the segment) */
	PVH_ELF_BAD_ENTRY_NOTE,    /* PVH note descriptor not 4 or 8 bytes */
	PVH_ELF_NO_ENTRY_NOTE,
	PVH_ELF_ENTRY_OUTSIDE,     /* entry not inside a loaded segment */
	PVH_ELF_ERROR_COUNT
};

/* Numbers that go with an error, for the message. */
struct pvh_elf_detail {
	uint64_t a, b; /* e.g. a segment's first and last byte */
	unsigned index;
};

/*
 * Validate the file behind r against policy.  On PVH_ELF_OK, *img says how
 * to load and enter it.  Otherwise *detail holds the numbers for
 * pvh_elf_message().  Uses at most about 1 KiB of stack, no globals.
 */
enum pvh_elf_error pvh_elf_check(const struct pvh_reader *r,
				 const struct pvh_mem_policy *policy,
				 struct pvh_image *img,
				 struct pvh_elf_detail *detail);

/*
 * The message the ROM prints for err (without the "pvh: " prefix and without
 * a newline), e.g. "segment 0x00100000 - 0x001fffff is not in RAM".
 * Writes at most cap bytes including the NUL; returns buf.
 */
char *pvh_elf_message(enum pvh_elf_error err, const struct pvh_elf_detail *detail,
		      char *buf, unsigned cap);

#endif
