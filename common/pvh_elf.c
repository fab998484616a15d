// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * PVH ELF validation (see pvh_elf.h for the rules and their order).
 *
 * Written for the ROM first: freestanding, no library calls, no globals, one
 * 512-byte buffer on the stack, every field read byte by byte from that
 * buffer (little-endian, no alignment assumed), and every sum of
 * file-supplied numbers checked before it is formed.  File positions are
 * 32-bit (the file must be smaller than 4 GiB - 1; 64-bit ELF64 offsets and
 * sizes saturate, see sat()); only an ELF64 p_paddr is looked at as 64 bits,
 * with shifts and comparisons (no 64-bit multiplication or division, which
 * would need libgcc in the ROM).
 */
#include <stddef.h>
#include "pvh_elf.h"
#include "elf.h"
#include "fmt.h"
#include "pvh_abi.h"

#define BUF_SIZE 512u
#define NOTE_HDR 12u
/* Bytes of a note that must be in the buffer to parse it: the header, up
 * to 15 bytes of owner name, or a "Xen\0" name and an 8-byte descriptor. */
#define NOTE_PEEK 32u

/* Field offsets by class (index 0: ELF32, 1: ELF64). */
#define OFF(field, t32, t64) { offsetof(struct t32, field), offsetof(struct t64, field) }
static const uint8_t eh_phoff[2] = OFF(e_phoff, elf32_ehdr, elf64_ehdr);
static const uint8_t eh_phentsize[2] = OFF(e_phentsize, elf32_ehdr, elf64_ehdr);
static const uint8_t eh_phnum[2] = OFF(e_phnum, elf32_ehdr, elf64_ehdr);
static const uint8_t ph_offset[2] = OFF(p_offset, elf32_phdr, elf64_phdr);
static const uint8_t ph_paddr[2] = OFF(p_paddr, elf32_phdr, elf64_phdr);
static const uint8_t ph_filesz[2] = OFF(p_filesz, elf32_phdr, elf64_phdr);
static const uint8_t ph_memsz[2] = OFF(p_memsz, elf32_phdr, elf64_phdr);
static const uint8_t ehdr_size[2] = { sizeof(struct elf32_ehdr), sizeof(struct elf64_ehdr) };
static const uint8_t phdr_size[2] = { sizeof(struct elf32_phdr), sizeof(struct elf64_phdr) };

struct state {
	const struct pvh_reader *r;
	struct freemem *free;
	struct pvh_image *img;
	struct pvh_elf_detail *d;
	uint32_t size;                 /* file size, below 4 GiB - 1 */
	uint32_t phoff;
	unsigned phnum;
	unsigned win_first, win_count; /* program headers now in buf */
	unsigned is64;                 /* 0: ELF32, 1: ELF64 */
	bool have_entry;
	uint8_t buf[BUF_SIZE];
};

static uint32_t le32(const uint8_t *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static unsigned le16(const uint8_t *p)
{
	return p[0] | (unsigned)p[1] << 8;
}

/* An address-sized field: 4 bytes in ELF32, 8 in ELF64. */
static uint64_t word(const struct state *s, const uint8_t *p)
{
	uint64_t v = le32(p);
	if (s->is64)
		v |= (uint64_t)le32(p + 4) << 32;
	return v;
}

/*
 * A file offset or size as 32 bits.  Files are smaller than 4 GiB - 1, so
 * a value of 4 GiB or more, saturated to 0xffffffff, still lies outside
 * the file and is rejected as such.
 */
static uint32_t sat(uint64_t v)
{
	return v >> 32 ? 0xffffffffu : (uint32_t)v;
}

static enum pvh_elf_error fail(struct state *s, enum pvh_elf_error e,
			       uint64_t a, uint64_t b)
{
	s->d->a = a;
	s->d->b = b;
	return e;
}

/* Fills buf[0, len) from offset; the callers keep [offset, offset+len)
 * inside the file. */
static enum pvh_elf_error fetch(struct state *s, uint32_t offset, uint32_t len)
{
	if (s->r->read(s->r->ctx, offset, s->buf, len))
		return fail(s, PVH_ELF_READ_FAILED, offset, len);
	return PVH_ELF_OK;
}

/* True when [off, off + len) lies inside the file. */
static bool in_file(const struct state *s, uint32_t off, uint32_t len)
{
	return off <= s->size && len <= s->size - off;
}

/* Not ELF: tell a Linux bzImage ("HdrS" at 0x202) from anything else. */
static enum pvh_elf_error not_elf(struct state *s)
{
	if (in_file(s, 0x202, 4)) {
		enum pvh_elf_error e = fetch(s, 0x202, 4);
		if (e)
			return e;
		if (le32(s->buf) == 0x53726448u) /* "HdrS" */
			return PVH_ELF_BZIMAGE;
	}
	return PVH_ELF_NOT_ELF;
}

static enum pvh_elf_error check_header(struct state *s)
{
	static const uint8_t magic[SELFMAG] = { ELFMAG0, ELFMAG1, ELFMAG2, ELFMAG3 };
	const uint8_t *b = s->buf;
	unsigned n, v;

	if (s->r->size == 0)
		return PVH_ELF_EMPTY;
	if (s->r->size >= 0xffffffffu)
		return PVH_ELF_TOO_LARGE;
	s->size = (uint32_t)s->r->size;
	n = s->size < sizeof(struct elf64_ehdr) ? s->size : sizeof(struct elf64_ehdr);
	enum pvh_elf_error e = fetch(s, 0, n);
	if (e)
		return e;
	for (unsigned i = 0; i < SELFMAG && i < n; i++)
		if (b[i] != magic[i])
			return not_elf(s);
	if (n < EI_NIDENT)
		return PVH_ELF_TRUNCATED;

	v = b[EI_CLASS];
	if (v != ELFCLASS32 && v != ELFCLASS64)
		return fail(s, PVH_ELF_BAD_CLASS, v, 0);
	s->is64 = v == ELFCLASS64;
	if (b[EI_DATA] != ELFDATA2LSB)
		return fail(s, PVH_ELF_NOT_LITTLE_ENDIAN, b[EI_DATA], 0);
	if (b[EI_VERSION] != EV_CURRENT)
		return fail(s, PVH_ELF_BAD_VERSION, b[EI_VERSION], 0);

	if (n < ehdr_size[s->is64])
		return PVH_ELF_TRUNCATED;
	v = le32(b + offsetof(struct elf32_ehdr, e_version));
	if (v != EV_CURRENT)
		return fail(s, PVH_ELF_BAD_VERSION, v, 0);
	v = le16(b + offsetof(struct elf32_ehdr, e_machine));
	if (v != EM_386 && v != EM_X86_64)
		return fail(s, PVH_ELF_BAD_MACHINE, v, 0);
	s->img->machine = v;
	v = le16(b + offsetof(struct elf32_ehdr, e_type));
	if (v != ET_EXEC)
		return fail(s, PVH_ELF_NOT_EXECUTABLE, v, 0);

	v = le16(b + eh_phentsize[s->is64]);
	if (v != phdr_size[s->is64])
		return fail(s, PVH_ELF_BAD_PHENTSIZE, v, 0);
	s->phnum = le16(b + eh_phnum[s->is64]);
	if (s->phnum == 0)
		return PVH_ELF_NO_LOAD_SEGMENT;
	if (s->phnum > PVH_MAX_PHNUM)
		return fail(s, PVH_ELF_TOO_MANY_PHDRS, s->phnum, 0);
	uint64_t phoff = word(s, b + eh_phoff[s->is64]);
	s->phoff = sat(phoff);
	if (!in_file(s, s->phoff, s->phnum * v))
		return fail(s, PVH_ELF_PHDRS_OUTSIDE_FILE, phoff, 0);
	return PVH_ELF_OK;
}

/* Points *p at program header i, reading a chunk of the table if needed. */
static enum pvh_elf_error phdr(struct state *s, unsigned i, const uint8_t **p)
{
	unsigned size = phdr_size[s->is64];

	if (i < s->win_first || i - s->win_first >= s->win_count) {
		unsigned n = s->phnum - i, fit = BUF_SIZE / sizeof(struct elf64_phdr);
		if (!s->is64)
			fit = BUF_SIZE / sizeof(struct elf32_phdr);
		if (n > fit)
			n = fit;
		enum pvh_elf_error e = fetch(s, s->phoff + i * size, n * size);
		if (e)
			return e;
		s->win_first = i;
		s->win_count = n;
	}
	*p = s->buf + (i - s->win_first) * size;
	return PVH_ELF_OK;
}

/*
 * A PT_LOAD.  filesz and memsz are saturated (see sat()): a true value of
 * 4 GiB or more still fails a check below, if perhaps a different one.
 */
static enum pvh_elf_error add_load(struct state *s, uint32_t offset,
				   uint64_t paddr64, uint32_t filesz, uint32_t memsz)
{
	struct pvh_image *img = s->img;
	uint32_t paddr = (uint32_t)paddr64;

	if (filesz > memsz)
		return PVH_ELF_FILESZ_GT_MEMSZ;
	if (memsz == 0)
		return PVH_ELF_OK;
	if (filesz && !in_file(s, offset, filesz))
		return PVH_ELF_SEGMENT_OUTSIDE_FILE;
	/* paddr + memsz <= 4 GiB; 0 - paddr is 4 GiB - paddr for paddr > 0. */
	if (paddr64 >> 32 || (paddr && memsz > 0u - paddr))
		return fail(s, PVH_ELF_SEGMENT_WRAPS, paddr64, 0);

	/* [paddr, last], inclusive: last is at most 0xffffffff. */
	uint32_t last = paddr + (memsz - 1);
	enum pvh_elf_error e = fail(s, PVH_ELF_OK, paddr, last);
	if (paddr < PVH_LOW_FIRMWARE_END)
		return PVH_ELF_SEGMENT_LOW;
	for (unsigned i = 0; i < img->nseg; i++) {
		const struct pvh_segment *o = &img->seg[i];
		if (paddr <= o->paddr + (o->memsz - 1) && o->paddr <= last)
			return PVH_ELF_SEGMENT_OVERLAP;
	}
	if (img->nseg == PVH_MAX_SEGMENTS)
		return PVH_ELF_TOO_MANY_SEGMENTS;
	/* A segment ending at 4 GiB gives end 0 here: never free. */
	if (freemem_take(s->free, paddr, last + 1))
		return PVH_ELF_SEGMENT_NOT_RAM;

	/* Keep seg[] sorted by file offset (stable for equal offsets). */
	unsigned j = img->nseg++;
	for (; j && img->seg[j - 1].offset > offset; j--)
		img->seg[j] = img->seg[j - 1];
	img->seg[j].offset = offset;
	img->seg[j].paddr = paddr;
	img->seg[j].filesz = filesz;
	img->seg[j].memsz = memsz;
	return e;
}

static void record_note(struct state *s, uint32_t offset, const uint8_t *p,
			uint32_t namesz)
{
	struct pvh_image *img = s->img;

	img->notes_seen++;
	if (img->nnotes == PVH_MAX_NOTES)
		return;
	struct pvh_note_info *n = &img->notes[img->nnotes++];
	unsigned k = 0;
	n->offset = offset;
	n->descsz = le32(p + 4);
	n->type = le32(p + 8);
	for (; k < namesz && k < sizeof(n->owner) - 1 && p[NOTE_HDR + k]; k++)
		n->owner[k] = (char)p[NOTE_HDR + k];
	n->owner[k] = '\0';
}

/*
 * Takes a name or descriptor of n bytes, padded to 4, out of *avail;
 * false if it does not fit.  No sum here can wrap.
 */
static bool take_padded(uint32_t *avail, uint32_t n)
{
	if (n > *avail)
		return false;
	n = (n + 3) & ~3u; /* n <= avail < 4 GiB - 4: no wrap */
	if (n > *avail)
		return false;
	*avail -= n;
	return true;
}

/* Walks the notes in file range [offset, offset + len). */
static enum pvh_elf_error walk_notes(struct state *s, uint32_t offset, uint32_t len)
{
	uint32_t pos = 0, win = 0, wlen = 0; /* buf holds [win, win + wlen) */

	if (!in_file(s, offset, len))
		return PVH_ELF_SEGMENT_OUTSIDE_FILE;
	/* offset + len <= size < 4 GiB - 1: no sum below can wrap. */
	while (pos < len) {
		uint32_t rest = len - pos;
		if (rest < NOTE_HDR)
			return fail(s, PVH_ELF_BAD_NOTE, offset + pos, 0);
		uint32_t avail = rest - NOTE_HDR; /* for name and descriptor */
		uint32_t need = rest < NOTE_PEEK ? rest : NOTE_PEEK;
		if (pos < win || pos + need > win + wlen) {
			wlen = rest < BUF_SIZE ? rest : BUF_SIZE;
			win = pos;
			s->win_count = 0; /* buf no longer holds program headers */
			enum pvh_elf_error e = fetch(s, offset + pos, wlen);
			if (e)
				return e;
		}
		const uint8_t *p = s->buf + (pos - win);
		uint32_t namesz = le32(p), descsz = le32(p + 4);
		if (!take_padded(&avail, namesz) || !take_padded(&avail, descsz))
			return fail(s, PVH_ELF_BAD_NOTE, offset + pos, 0);
		/* The note is [p, p + rest - avail); only its first NOTE_PEEK
		 * bytes (all in buf) are looked at. */
		record_note(s, offset + pos, p, namesz);
		if (namesz == 4 && le32(p + NOTE_HDR) == 0x006e6558u /* "Xen\0" */ &&
		    le32(p + 8) == XEN_ELFNOTE_PHYS32_ENTRY) {
			if (descsz != 4 && descsz != 8)
				return fail(s, PVH_ELF_BAD_ENTRY_NOTE, descsz, 0);
			if (!s->have_entry) {
				s->img->entry = le32(p + NOTE_HDR + 4);
				s->img->entry_note_descsz = descsz;
				s->img->entry_note_offset = offset + pos;
			}
			s->have_entry = true;
		}
		pos += rest - avail;
	}
	return PVH_ELF_OK;
}

enum pvh_elf_error pvh_elf_check(const struct pvh_reader *r,
				 struct freemem *free,
				 struct pvh_image *img,
				 struct pvh_elf_detail *detail)
{
	struct pvh_elf_detail unused;
	struct state s;
	enum pvh_elf_error e;

	if (!detail)
		detail = &unused;
	detail->a = detail->b = 0;
	detail->index = 0;
	img->elf_class = img->machine = 0;
	img->entry = img->entry_note_descsz = 0;
	img->entry_note_offset = 0;
	img->nseg = img->nnotes = img->notes_seen = 0;
	s.r = r;
	s.free = free;
	s.img = img;
	s.d = detail;
	s.win_first = s.win_count = 0;
	s.is64 = 0;
	s.have_entry = false;

	e = check_header(&s);
	if (e)
		return e;
	img->elf_class = s.is64 ? 64 : 32;

	for (unsigned i = 0; i < s.phnum; i++) {
		const uint8_t *p;
		e = phdr(&s, i, &p);
		if (e)
			return e;
		uint32_t type = le32(p);
		if (type != PT_LOAD && type != PT_NOTE)
			continue;
		uint32_t offset = sat(word(&s, p + ph_offset[s.is64]));
		uint32_t filesz = sat(word(&s, p + ph_filesz[s.is64]));
		detail->index = i;
		if (type == PT_NOTE)
			e = walk_notes(&s, offset, filesz);
		else
			e = add_load(&s, offset, word(&s, p + ph_paddr[s.is64]), filesz,
				     sat(word(&s, p + ph_memsz[s.is64])));
		if (e)
			return e;
	}

	if (img->nseg == 0)
		return PVH_ELF_NO_LOAD_SEGMENT;
	if (!s.have_entry)
		return PVH_ELF_NO_ENTRY_NOTE;
	for (unsigned i = 0; i < img->nseg; i++)
		if (img->entry - img->seg[i].paddr < img->seg[i].filesz)
			return PVH_ELF_OK;
	return fail(&s, PVH_ELF_ENTRY_OUTSIDE, img->entry, 0);
}

/*
 * Messages.  The first character of each says which number it shows:
 * '-' none, 'd' detail->a in decimal, 'i' detail->index in decimal,
 * 'x' a as eight hex digits, 'r' a and b as eight hex digits each,
 * 'h' a as 64-bit hex (eight or sixteen digits).  fmt() knows only %s and
 * %x (always eight digits), so decimal and 64-bit numbers go through %s.
 */
static const char *const messages[PVH_ELF_ERROR_COUNT] = {
	[PVH_ELF_OK] = "-ok",
	[PVH_ELF_READ_FAILED] = "hcannot read the kernel file at offset 0x%s",
	[PVH_ELF_EMPTY] = "-kernel file is empty",
	[PVH_ELF_TOO_LARGE] = "-kernel file is too large (4 GiB or more)",
	[PVH_ELF_NOT_ELF] = "-kernel is not an ELF file",
	[PVH_ELF_BZIMAGE] = "-kernel is a bzImage, not an ELF file (boot its vmlinux)",
	[PVH_ELF_TRUNCATED] = "-kernel file is truncated",
	[PVH_ELF_BAD_CLASS] = "dkernel has an invalid ELF class (%s)",
	[PVH_ELF_NOT_LITTLE_ENDIAN] = "dkernel is not a little-endian ELF file (data %s)",
	[PVH_ELF_BAD_VERSION] = "dkernel has an invalid ELF version (%s)",
	[PVH_ELF_BAD_MACHINE] = "dkernel is not an x86 ELF file (machine %s)",
	[PVH_ELF_NOT_EXECUTABLE] = "dkernel is not an ELF executable (type %s)",
	[PVH_ELF_BAD_PHENTSIZE] = "dkernel has a bad program header size (%s)",
	[PVH_ELF_TOO_MANY_PHDRS] = "dkernel has too many program headers (%s)",
	[PVH_ELF_PHDRS_OUTSIDE_FILE] = "hprogram header table at 0x%s lies outside the file",
	[PVH_ELF_NO_LOAD_SEGMENT] = "-kernel has no loadable segment",
	[PVH_ELF_TOO_MANY_SEGMENTS] = "-kernel has more than 16 loadable segments",
	[PVH_ELF_FILESZ_GT_MEMSZ] = "iprogram header %s: file size exceeds memory size",
	[PVH_ELF_SEGMENT_OUTSIDE_FILE] = "iprogram header %s: data lies outside the file",
	[PVH_ELF_SEGMENT_WRAPS] = "hsegment at 0x%s does not fit below 4 GiB",
	[PVH_ELF_SEGMENT_LOW] = "rsegment 0x%x - 0x%x is in the first MiB",
	[PVH_ELF_SEGMENT_NOT_RAM] = "rsegment 0x%x - 0x%x is not in RAM",
	[PVH_ELF_SEGMENT_OVERLAP] = "rsegment 0x%x - 0x%x overlaps another segment",
	[PVH_ELF_BAD_NOTE] = "hmalformed ELF note at file offset 0x%s",
	[PVH_ELF_BAD_ENTRY_NOTE] = "dPVH entry note has a %s-byte descriptor (not 4 or 8)",
	[PVH_ELF_NO_ENTRY_NOTE] = "-no PVH entry note (XEN_ELFNOTE_PHYS32_ENTRY)",
	[PVH_ELF_ENTRY_OUTSIDE] = "xentry point 0x%x is outside the loaded segments",
};

_Static_assert(PVH_MAX_SEGMENTS == 16, "the message above says 16");

char *pvh_elf_message(enum pvh_elf_error err, const struct pvh_elf_detail *d,
		      char *buf, unsigned cap)
{
	const char *m = (unsigned)err < PVH_ELF_ERROR_COUNT ? messages[err] : 0;
	uint32_t hi = (uint32_t)(d->a >> 32), v = (uint32_t)d->a;
	char num[17], *p = num + sizeof(num) - 1;

	if (!m) {
		fmt(buf, cap, "unknown error");
		return buf;
	}
	switch (*m++) {
	case 'x':
		fmt(buf, cap, m, v);
		break;
	case 'r':
		fmt(buf, cap, m, v, (uint32_t)d->b);
		break;
	case 'h':
		if (hi)
			fmt(num, sizeof(num), "%x%x", hi, v);
		else
			fmt(num, sizeof(num), "%x", v);
		fmt(buf, cap, m, num);
		break;
	case 'i':
		v = d->index;
		/* fall through */
	case 'd':
		*p = '\0';
		do {
			*--p = (char)('0' + v % 10);
			v /= 10;
		} while (v);
		fmt(buf, cap, m, p);
		break;
	default:
		fmt(buf, cap, "%s", m);
	}
	return buf;
}
