/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Deciding whether and how an ELF file boots through PVH.  Pure logic: the
 * file is reached only through the caller's reader, so the same code runs in
 * the ROM (reading over fw_cfg) and on the host (reading from memory).
 * Nothing here writes guest memory: a file is validated completely before
 * the ROM loads its first byte.
 *
 * Checks, in this order (the first failing one is reported):
 *  1. the file is not empty and smaller than 4 GiB - 1; its first bytes are
 *     the ELF magic (else, if the file carries the "HdrS" boot-protocol
 *     signature at 0x202, it is called a bzImage);
 *  2. the whole file header is present (64 bytes if EI_CLASS says ELF64,
 *     else 52);
 *  3. e_ident: class ELF32 or ELF64, little-endian, EV_CURRENT; e_version
 *     is EV_CURRENT; e_machine is EM_386 or EM_X86_64 (either class may
 *     carry either); e_type is ET_EXEC;
 *  4. e_phentsize is the class's size (32 or 56); e_phnum <= PVH_MAX_PHNUM;
 *     the program header table lies inside the file;
 *  5. program headers: first the PT_LOADs in table order, then the
 *     PT_NOTEs in table order (other types are ignored).  A PT_LOAD:
 *     filesz <= memsz; memsz 0 makes it ignored; the file range [offset,
 *     offset + filesz) inside the file (if filesz is not 0); paddr + memsz
 *     below 4 GiB; paddr at or above PVH_LOW_FIRMWARE_END; no overlap with
 *     an earlier PT_LOAD; at most PVH_MAX_SEGMENTS of them; free by
 *     freemem_take() (inside one RAM entry, clear of everything else),
 *     which then takes it.  A PT_NOTE: its file range inside
 *     the file (if filesz is not 0), then each note in it: the 12-byte header and the name and
 *     descriptor (each padded to 4 bytes, whatever p_align says) inside the
 *     segment; a "Xen" (namesz 4) note of type XEN_ELFNOTE_PHYS32_ENTRY
 *     needs a 4- or 8-byte descriptor (the low 32 bits are the entry; the
 *     first such note wins);
 *  6. at least one PT_LOAD (e_phnum 0 ends here too); a PVH entry note; the
 *     entry inside the file-backed part [paddr, paddr + filesz) of a loaded
 *     segment.
 *
 * File positions and sizes are 32-bit.  An ELF64 value of 4 GiB or more
 * (offset, size or address) counts as 0xffffffff: it still fails the check
 * it is part of (nothing in a file below 4 GiB - 1 lies there; no segment
 * at 0xffffffff ends below 4 GiB).
 *
 * Reads, in this order: the first 0x206 bytes of the file (the ELF header
 * and a bzImage's signature; the whole file if smaller) and then, unless
 * those bytes hold it, the whole program header table, both into r->buf;
 * then, in the notes pass, the first 32 bytes of each note (or what is
 * left of its segment).  So the file is read forward but for a step back
 * to a table that lies before 0x206 without ending there (and for note
 * segments out of file order).  No read reaches past r->size or is empty.
 */
#ifndef PVH_ELF_H
#define PVH_ELF_H

#include <stdbool.h>
#include <stdint.h>
#include "freemem.h"

#define PVH_MAX_PHNUM 64     /* more program headers than this: rejected */
#define PVH_MAX_SEGMENTS 16  /* more PT_LOAD segments than this: rejected */
#define PVH_LOW_FIRMWARE_END 0x100000u /* segments must start at or above */

/* Bytes of r->buf: the largest program header table taken. */
#define PVH_ELF_BUF_SIZE (PVH_MAX_PHNUM * 56)

struct pvh_reader {
	/* Reads len bytes at offset of the file into buf; returns 0 on success. */
	int (*read)(void *ctx, uint64_t offset, void *buf, uint32_t len);
	void *ctx;
	uint64_t size; /* file size in bytes */
	/*
	 * Optional, for host tools: a freestanding build (the ROM) ignores
	 * it.  Called with ctx for every note that fits its segment, in file
	 * order, before it is looked at.  note
	 * points at the note's first min(32, its size) bytes: the 12-byte
	 * header (namesz, descsz, type), then the name and the descriptor,
	 * each padded to 4 bytes.  offset is the file offset of the header.
	 */
	void (*note)(void *ctx, uint32_t offset, const uint8_t *note);
	/* PVH_ELF_BUF_SIZE bytes the check reads the file into (any alignment). */
	uint8_t *buf;
};

struct pvh_segment {
	uint32_t offset; /* file offset of the data (0 if filesz is 0) */
	uint32_t paddr;  /* load address */
	uint32_t filesz; /* bytes copied from the file */
	uint32_t memsz;  /* bytes occupied; memsz - filesz are zeroed */
};

/* What the ROM needs to load and enter the file. */
struct pvh_image {
	uint32_t entry;      /* PHYS32_ENTRY, low 32 bits of the descriptor */
	unsigned nseg;
	struct pvh_segment seg[PVH_MAX_SEGMENTS]; /* sorted by file offset */
};

/* The detail each error sets: a (and b) as shown in its message. */
enum pvh_elf_error {
	PVH_ELF_OK = 0,
	PVH_ELF_READ_FAILED,       /* the reader failed (a = offset) */
	PVH_ELF_EMPTY,             /* kernel file is empty */
	PVH_ELF_TOO_LARGE,         /* r->size >= 0xffffffff */
	PVH_ELF_NOT_ELF,           /* kernel is not an ELF file */
	PVH_ELF_BZIMAGE,           /* not ELF, but a Linux boot-protocol image */
	PVH_ELF_TRUNCATED,         /* the file ends inside the ELF header */
	PVH_ELF_BAD_CLASS,         /* a = EI_CLASS */
	PVH_ELF_NOT_LITTLE_ENDIAN, /* a = EI_DATA */
	PVH_ELF_BAD_VERSION,       /* a = EI_VERSION or e_version */
	PVH_ELF_BAD_MACHINE,       /* a = e_machine */
	PVH_ELF_NOT_EXECUTABLE,    /* a = e_type */
	PVH_ELF_BAD_PHENTSIZE,     /* a = e_phentsize */
	PVH_ELF_TOO_MANY_PHDRS,    /* a = e_phnum */
	PVH_ELF_PHDRS_OUTSIDE_FILE,
	PVH_ELF_NO_LOAD_SEGMENT,
	PVH_ELF_TOO_MANY_SEGMENTS,
	PVH_ELF_FILESZ_GT_MEMSZ,   /* a = program header index */
	PVH_ELF_SEGMENT_OUTSIDE_FILE, /* a = program header index (LOAD or NOTE) */
	PVH_ELF_SEGMENT_WRAPS,     /* paddr + memsz not below 4 GiB (a = index) */
	PVH_ELF_SEGMENT_LOW,       /* in the first-MiB firmware area (a, b) */
	PVH_ELF_SEGMENT_NOT_RAM,   /* not inside one free span (a, b) */
	PVH_ELF_SEGMENT_OVERLAP,   /* overlaps an earlier PT_LOAD (a, b) */
	PVH_ELF_BAD_NOTE,          /* note past its segment (a = note offset) */
	PVH_ELF_BAD_ENTRY_NOTE,    /* descriptor not 4 or 8 bytes (a = descsz) */
	PVH_ELF_NO_ENTRY_NOTE,
	PVH_ELF_ENTRY_OUTSIDE,     /* a = entry */
	PVH_ELF_ERROR_COUNT
};

/* Numbers that go with an error, for the message. */
struct pvh_elf_detail {
	uint32_t a, b; /* e.g. a segment's first and last byte */
};

/*
 * Validate the file behind r.  Each accepted PT_LOAD range is taken out of
 * *free (freemem_take), so the caller places nothing else over the kernel;
 * after an error *free may have lost the ranges accepted so far.  On
 * PVH_ELF_OK, *img says how to load and enter the file (only the first nseg
 * entries of seg[] are set).  Otherwise *detail (may be NULL) holds the
 * numbers for pvh_elf_message().  Uses well under 1 KiB of stack, no
 * globals, no 64-bit arithmetic beyond comparing r->size.
 */
enum pvh_elf_error pvh_elf_check(const struct pvh_reader *r,
				 struct freemem *free,
				 struct pvh_image *img,
				 struct pvh_elf_detail *detail);

/*
 * The message the ROM prints for err (without the "pvh: " prefix and without
 * a newline), e.g. "segment 0x00100000 - 0x001fffff is not in RAM"; numbers
 * are 0x and eight hex digits.  At most 80 characters.  Writes at most cap
 * bytes including the NUL; returns buf.  Defined in message.c, with the
 * ROM's other messages.
 */
char *pvh_elf_message(enum pvh_elf_error err, const struct pvh_elf_detail *detail,
		      char *buf, unsigned cap);

#endif
