// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * PVH ELF validation (see pvh_elf.h for the rules and their order).
 *
 * Written for a 4 KiB ROM first: freestanding, no library calls, no
 * globals, all file data in the caller's buffer (r->buf), fields read from
 * it as little-endian values, and every sum of file-supplied numbers
 * checked before it is formed.
 *
 * Three kinds of read, in this order: the head of the file (ELF header, or
 * a bzImage's signature); the whole program header table in one go, if
 * the head does not hold it already; then each note on its own.  An ELF64
 * table is rewritten in ELF32 layout right after it is read (64-bit values
 * saturated to 0xffffffff), so one code path checks both classes.
 */
#include <stddef.h>
#include "pvh_elf.h"
#include "elf.h"
#include "pvh_abi.h"

/* A Linux bzImage (boot protocol 2.00 and later): "HdrS" at 0x202. */
#define BZIMAGE_MAGIC_OFFSET 0x202u
#define BZIMAGE_MAGIC 0x53726448u /* "HdrS", little-endian */
/* Up to the end of that signature. */
#define HEAD_SIZE (BZIMAGE_MAGIC_OFFSET + 4u)
#define TABLE_SIZE (PVH_MAX_PHNUM * 56u) /* the largest table taken */
#define NOTE_HDR 12u
/* Bytes read of a note: its header, a "Xen\0" name and the low half of the
 * descriptor, and up to 20 bytes of name for the note callback. */
#define NOTE_PEEK 32u

_Static_assert(HEAD_SIZE <= TABLE_SIZE && PVH_ELF_BUF_SIZE == TABLE_SIZE,
	       "r->buf holds the head of the file, then the table");
_Static_assert(offsetof(struct pvh_segment, paddr) == 4 &&
	       offsetof(struct pvh_segment, filesz) == 8 &&
	       offsetof(struct pvh_segment, memsz) == 12 && sizeof(struct pvh_segment) == 16,
	       "add_load copies a struct pvh_segment out of a program header");

struct state {
	/* First: at the state's own address, reached without an offset. */
	uint8_t note[NOTE_PEEK]; /* the start of the current note */
	const struct pvh_reader *r;
	uint32_t size; /* file size, below 4 GiB - 1 */
	union { /* the detail of the error, as a and b and as a whole */
		struct { uint32_t a, b; };
		struct pvh_elf_detail detail;
	};
	uint32_t entry; /* from the first PVH entry note, once found */
	bool found;
};

_Static_assert(offsetof(struct state, b) == offsetof(struct state, detail.b),
	       "a and b are the detail's");

/* Little-endian fields at any alignment (x86 loads them in one go). */
static inline __attribute__((always_inline)) uint32_t le32(const uint8_t *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline __attribute__((always_inline)) unsigned le16(const uint8_t *p)
{
	return p[0] | (unsigned)p[1] << 8;
}

static inline __attribute__((always_inline)) uint64_t le64(const uint8_t *p)
{
	return le32(p) | (uint64_t)le32(p + 4) << 32;
}

/* An 8-byte ELF64 field as 32 bits: 4 GiB or more becomes 0xffffffff. */
static inline __attribute__((always_inline)) uint32_t sat64(const uint8_t *p)
{
	return le32(p + 4) ? 0xffffffffu : le32(p);
}

/* Nonzero when [off, off + len) leaves the file (out of line: smaller). */
__attribute__((noinline))
static int outside(const struct state *s, uint32_t off, uint32_t len)
{
	return off > s->size || len > s->size - off;
}

/*
 * Reads [off, off + len) of the file, which the caller keeps inside it, to
 * dst (nothing if len is 0: no empty read); nonzero when the reader fails.
 * Sets the detail to off, for that error and for a malformed note.  Out of
 * line: the call to the reader takes more bytes than a call here.
 */
__attribute__((noinline))
static int get(struct state *s, uint32_t off, uint32_t len, uint8_t *dst)
{
	s->a = off;
	if (len == 0)
		return 0;
	return s->r->read(s->r->ctx, off, dst, len);
}

/* n bytes padded to 4, in 4-byte units: at most 2^30, whatever n is. */
static uint32_t units(uint32_t n)
{
	return (n >> 2) + ((n & 3) != 0);
}

/*
 * File header checks after the magic and the size, in order: a field of
 * 1, 2 or 4 bytes (shift: 24, 16 or 0 bits off the top of 32) must be one
 * of two values.  The offsets are the same in both classes.
 */
static const struct header_check {
	uint8_t off, shift, ok1, ok2, err;
} header_checks[] = {
	{ EI_CLASS, 24, ELFCLASS32, ELFCLASS64, PVH_ELF_BAD_CLASS },
	{ EI_DATA, 24, ELFDATA2LSB, ELFDATA2LSB, PVH_ELF_NOT_LITTLE_ENDIAN },
	{ EI_VERSION, 24, EV_CURRENT, EV_CURRENT, PVH_ELF_BAD_VERSION },
	{ 20 /* e_version */, 0, EV_CURRENT, EV_CURRENT, PVH_ELF_BAD_VERSION },
	{ 18 /* e_machine */, 16, EM_386, EM_X86_64, PVH_ELF_BAD_MACHINE },
	{ 16 /* e_type */, 16, ET_EXEC, ET_EXEC, PVH_ELF_NOT_EXECUTABLE },
};

/*
 * Walks the notes in [off, off + rest), inside the file.  Each note takes
 * two reads: its header, then the rest of its first NOTE_PEEK bytes (if
 * it is longer than its header).  Never more than the note itself: the
 * next note's reads start at or after the end of these, so the reads go
 * forward through the file (a reader that cannot seek back, like the
 * ROM's without DMA, never has to start over).
 */
__attribute__((noinline))
static enum pvh_elf_error walk_notes(struct state *s, uint32_t off, uint32_t rest)
{
	uint8_t *p = s->note;

	while (rest) {
		if (get(s, off, rest < NOTE_HDR ? rest : NOTE_HDR, p))
			return PVH_ELF_READ_FAILED;
		/* Header, name and descriptor, in bytes.  With fewer than 12
		 * bytes left this fails whatever p held beyond. */
		uint32_t namesz = le32(p), descsz = le32(p + 4);
		uint32_t size = NOTE_HDR / 4 + units(namesz) + units(descsz);
		if (size > rest / 4)
			return PVH_ELF_BAD_NOTE;
		size *= 4;
		if (get(s, off + NOTE_HDR, (size < NOTE_PEEK ? size : NOTE_PEEK) - NOTE_HDR,
			p + NOTE_HDR))
			return PVH_ELF_READ_FAILED;
#if __STDC_HOSTED__ /* the hook is for host tools: the ROM has none */
		if (s->r->note)
			s->r->note(s->r->ctx, off, p);
#endif
		/* A valid note of namesz 4 and descsz 4 or 8 covers p[0, 20). */
		if (namesz == 4 && le32(p + NOTE_HDR) == 0x006e6558u /* "Xen\0" */ &&
		    le32(p + 8) == XEN_ELFNOTE_PHYS32_ENTRY) {
			s->a = descsz;
			if (descsz != 4 && descsz != 8)
				return PVH_ELF_BAD_ENTRY_NOTE;
			if (!s->found)
				s->entry = le32(p + NOTE_HDR + 4);
			s->found = true;
		}
		off += size;
		rest -= size;
	}
	return PVH_ELF_OK;
}

/*
 * The PT_LOAD at p (in ELF32 layout), with 0 < memsz, filesz <= memsz and
 * its data at offset in the file.  Out of line, which GCC makes smaller here.
 */
__attribute__((noinline))
static enum pvh_elf_error add_load(struct state *s, struct freemem *free,
				   struct pvh_image *img, uint8_t *p, uint32_t offset)
{
	uint32_t paddr = le32(p + 12), memsz = le32(p + 20);
	struct pvh_segment *o = img->seg + img->nseg;

	/* [paddr, end) below 4 GiB; paddr 0xffffffff may stand for an ELF64
	 * address above 4 GiB. */
	if (memsz > ~paddr)
		return PVH_ELF_SEGMENT_WRAPS;
	uint32_t end = paddr + memsz;
	s->a = paddr;
	s->b = end - 1;
	if (paddr < PVH_LOW_FIRMWARE_END)
		return PVH_ELF_SEGMENT_LOW;
	for (const struct pvh_segment *q = img->seg; q < o; q++)
		if (paddr < q->paddr + q->memsz && q->paddr < end)
			return PVH_ELF_SEGMENT_OVERLAP;
	if (img->nseg == PVH_MAX_SEGMENTS)
		return PVH_ELF_TOO_MANY_SEGMENTS;
	if (freemem_take(free, paddr, end))
		return PVH_ELF_SEGMENT_NOT_RAM;
	/* Keep seg[] sorted by file offset (stable for equal offsets). */
	for (; o > img->seg && o[-1].offset > offset; o--)
		o[0] = o[-1];
	/* p_vaddr, unused, makes way for offset: then p_vaddr to p_memsz
	 * are the entry's offset, paddr, filesz and memsz, in that order and
	 * little-endian, as x86 keeps them. */
	__builtin_memcpy(p + 8, &offset, 4);
	__builtin_memcpy(o, p + 8, sizeof(*o));
	img->nseg++;
	return PVH_ELF_OK;
}

static enum pvh_elf_error check(struct state *s, struct freemem *free,
				struct pvh_image *img)
{
	uint8_t *b = s->r->buf, *p, *q;
	uint32_t n, v, is64, entsize, phnum, phoff;

	if (s->r->size >= 0xffffffffu)
		return PVH_ELF_TOO_LARGE;
	s->size = n = (uint32_t)s->r->size;
	if (n == 0)
		return PVH_ELF_EMPTY;
	if (n > HEAD_SIZE)
		n = HEAD_SIZE;
	if (get(s, 0, n, b))
		return PVH_ELF_READ_FAILED;
	for (unsigned i = 0; i < SELFMAG && i < n; i++)
		if (b[i] != (uint8_t)"\177ELF"[i]) {
			/* Not ELF: perhaps a bzImage. */
			if (n == HEAD_SIZE && le32(b + BZIMAGE_MAGIC_OFFSET) == BZIMAGE_MAGIC)
				return PVH_ELF_BZIMAGE;
			return PVH_ELF_NOT_ELF;
		}
	/* The whole header: 64 bytes if EI_CLASS says ELF64, else 52.  (In a
	 * file of less than 52 bytes, whatever EI_CLASS holds is no matter.) */
	is64 = b[EI_CLASS] == ELFCLASS64;
	if (n < sizeof(struct elf32_ehdr) + 12 * is64)
		return PVH_ELF_TRUNCATED;
	for (const struct header_check *c = header_checks;
	     c < header_checks + sizeof(header_checks) / sizeof(*c); c++) {
		s->a = v = le32(b + c->off) << c->shift >> c->shift;
		if (v != c->ok1 && v != c->ok2)
			return c->err;
	}
	/* e_phoff at 28 or 32; e_phentsize and e_phnum 12 bytes further in
	 * ELF64 (e_entry, e_phoff and e_shoff are 8 bytes wide there). */
	phoff = is64 ? sat64(b + 32) : le32(b + 28);
	p = b + 12 * is64;
	s->a = entsize = le16(p + 42);
	if (entsize != 32 + 24 * is64) /* sizeof(struct elf32_phdr) or elf64_phdr */
		return PVH_ELF_BAD_PHENTSIZE;
	s->a = phnum = le16(p + 44);
	if (phnum > PVH_MAX_PHNUM)
		return PVH_ELF_TOO_MANY_PHDRS;
	/* phnum 0 ends as "no loadable segment" below (if e_phoff is in the file). */
	if (outside(s, phoff, phnum * entsize))
		return PVH_ELF_PHDRS_OUTSIDE_FILE;

	/* The whole table: in the head of the file as read (where linkers
	 * put it), or else read now, over the head (no longer needed).
	 * phoff + its size fits 32 bits: it is inside the file. */
	uint8_t *t = b + phoff;
	if (phoff + phnum * entsize > n) {
		t = b;
		if (get(s, phoff, phnum * entsize, b))
			return PVH_ELF_READ_FAILED;
	}
	/* ELF64 to ELF32 layout, 32 bytes apart: p_offset, p_vaddr, p_paddr,
	 * p_filesz and p_memsz sit at twice their ELF32 offsets.  Each entry
	 * moves down over what was read already. */
	uint8_t *end = t + phnum * 32;
	if (is64)
		for (p = t, q = t; p < end; p += 32, q += 56) {
			v = le32(q); /* p_type (through v: p is q at first) */
			__builtin_memcpy(p, &v, 4);
			for (unsigned k = 4; k < 24; k += 4) {
				v = sat64(q + 2 * k);
				__builtin_memcpy(p + k, &v, 4);
			}
			/* Sizes of 4 GiB or more both saturate: where p_filesz
			 * exceeds p_memsz, a p_memsz of 0 keeps that so (and
			 * fails first, as in ELF32).  q + 32 and q + 40 are
			 * still as read: the copy went below them. */
			if (le64(q + 32) > le64(q + 40))
				__builtin_memset(p + 20, 0, 4);
		}

	/*
	 * Loadable segments first, then the notes: their reads go forward,
	 * as the notes lie further into the file than the program headers.
	 * s->a: the program header's index, for its errors.
	 */
	for (uint32_t want = PT_LOAD; want <= PT_NOTE; want += PT_NOTE - PT_LOAD) {
		for (p = t; p < end; p += 32) {
			enum pvh_elf_error e;
			uint32_t type = le32(p);
			if (type != want)
				continue;
			uint32_t offset = le32(p + 4), filesz = le32(p + 16), memsz = le32(p + 20);
			s->a = (uint32_t)(p - t) / 32;
			if (type == PT_LOAD) {
				if (filesz > memsz)
					return PVH_ELF_FILESZ_GT_MEMSZ;
				if (memsz == 0)
					continue;
			}
			if (filesz == 0)
				offset = 0; /* where it points does not matter */
			if (outside(s, offset, filesz))
				return PVH_ELF_SEGMENT_OUTSIDE_FILE;
			if (type == PT_NOTE)
				e = walk_notes(s, offset, filesz);
			else
				e = add_load(s, free, img, p, offset);
			if (e)
				return e;
		}
	}

	if (img->nseg == 0)
		return PVH_ELF_NO_LOAD_SEGMENT;
	if (!s->found)
		return PVH_ELF_NO_ENTRY_NOTE;
	img->entry = s->a = s->entry;
	for (unsigned i = 0; i < img->nseg; i++)
		if (s->entry - img->seg[i].paddr < img->seg[i].filesz)
			return PVH_ELF_OK;
	return PVH_ELF_ENTRY_OUTSIDE;
}

/* Out of line: inlined into the ROM's main by LTO, it takes some 350 bytes more. */
__attribute__((noinline))
enum pvh_elf_error pvh_elf_check(const struct pvh_reader *r,
				 struct freemem *free,
				 struct pvh_image *img,
				 struct pvh_elf_detail *detail)
{
	struct state s;

	__builtin_memset(&s, 0, sizeof(s)); /* no detail, no entry note yet */
	s.r = r;
	img->nseg = 0;
	enum pvh_elf_error e = check(&s, free, img);
	if (detail)
		__builtin_memcpy(detail, &s.detail, sizeof(*detail));
	return e;
}
