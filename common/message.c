// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The message table, kept small for the ROM: each message is a string in
 * which bytes of 0x80 and up stand for words of a dictionary (themselves
 * strings of the same table, which may use further words), and the bytes 1
 * and 2 for the numbers a and b.
 */
#include "message.h"

#define A "\001"
#define B "\002"
#define WORD_BASE 0x80u

/*
 * The dictionary: the first strings of texts[], in this order, chosen to
 * make the table short (a word costs its length and a NUL, and saves all
 * but a byte each time it is used).  A name is the word's text, with SP_
 * for a space before it and a trailing _ for a space after it.
 */
#define CANNOT_READ_THE_ "\200"			/* "cannot read the " */
#define NOT_ "\201"				/* "not " */
#define SP_THE_ "\202"				/* " the " */
#define THE_ "\203"				/* "the " */
#define KERNEL_ "\204"				/* "kernel " */
#define KERNEL "\205"				/* "kernel" */
#define SP_FILE_ "\206"				/* " file " */
#define FILE "\207"				/* "file" */
#define SP_A "\210"				/* " <a>" */
#define KERNEL_FILE_IS_ "\211"			/* "kernel file is " */
#define IS_ "\212"				/* "is " */
#define TOO_LARGE "\213"			/* "too large" */
#define TOO_ "\214"				/* "too " */
#define KERNEL_IS_NOT_AN "\215"			/* "kernel is not an" */
#define IS_NOT_ "\216"				/* "is not " */
#define SP_ELF_ "\217"				/* " ELF " */
#define SP_ELF_FILE "\220"			/* " ELF file" */
#define KERNEL_HAS_ "\221"			/* "kernel has " */
#define KERNEL_HAS_A_BAD "\222"			/* "kernel has a bad" */
#define SP_PAREN_A_CLOSE "\223"			/* " (<a>)" */
#define SP_PAREN_A "\224"			/* " (<a>" */
#define PROGRAM_HEADER_ "\225"			/* "program header " */
#define PROGRAM_ "\226"				/* "program " */
#define SIZE "\227"				/* "size" */
#define PROGRAM_HEADERS "\230"			/* "program headers" */
#define SP_OUTSIDE_THE_ "\231"			/* " outside the " */
#define NO_ "\232"				/* "no " */
#define SP_LOADABLE_ "\233"			/* " loadable " */
#define SEGMENT "\234"				/* "segment" */
#define SEGMENTS "\235"				/* "segments" */
#define PROGRAM_HEADER_A_COLON "\236"		/* "program header <a>:" */
#define SP_MEMORY_ "\237"			/* " memory " */
#define BELOW_4_GIB "\240"			/* "below 4 GiB" */
#define SEGMENT_A_TO_B_ "\241"			/* "segment <a> - <b> " */
#define A_TO_B_ "\242"				/* "<a> - <b> " */
#define IN_ "\243"				/* "in " */
#define NOTE_ "\244"				/* "note " */
#define PVH_ENTRY_NOTE_ "\245"			/* "PVH entry note " */
#define ENTRY_ "\246"				/* "entry " */
#define SP_BYTES "\247"				/* " bytes" */
#define ENTRY_POINT_A_OUTSIDE_THE_ "\250" /* "entry point <a> is outside the " */
#define FW_CFG "\251"				/* "fw_cfg" */
#define A_TO_B_NOT_FREE "\252" /* "<a> - <b> is not in free RAM" */
#define INITRD "\253"				/* "initrd" */
#define NO_ROOM_FOR_THE_ "\254" /* "no room below 4 GiB for the " */
#define COMMAND_LINE "\255"			/* "command line" */
#define DMA_ERROR_LOADING_THE_ "\256" /* "fw_cfg DMA error while loading the " */
#define SP_ERROR "\257"				/* " error" */
#define WORDS 48

/* aligned(1): GCC would align the array to 32 bytes, padding the ROM. */
static const char texts[] __attribute__((aligned(1))) =
	"cannot read" SP_THE_ "\0"
	"not \0"
	" " THE_ "\0"
	"the \0"
	KERNEL " \0"
	"kernel\0"
	" " FILE " \0"
	"file\0"
	" " A "\0"
	KERNEL SP_FILE_ IS_ "\0"
	"is \0"
	TOO_ "large\0"
	"too \0"
	KERNEL_ IS_NOT_ "an\0"
	IS_ NOT_ "\0"
	" ELF \0"
	SP_ELF_ FILE "\0"
	KERNEL_ "has \0"
	KERNEL_HAS_ "a bad\0"
	SP_PAREN_A ")\0"
	" (" A "\0"
	PROGRAM_ "header \0"
	"program \0"
	"size\0"
	PROGRAM_ "headers\0"
	" outside" SP_THE_ "\0"
	"no \0"
	" loadable \0"
	"segment\0"
	"segments\0"
	PROGRAM_HEADER_ A ":\0"
	" memory \0"
	"below 4 GiB\0"
	SEGMENT " " A_TO_B_ "\0"
	A " - " B " \0"
	"in \0"
	"note \0"
	"PVH " ENTRY_ NOTE_ "\0"
	"entry \0"
	" bytes\0"
	ENTRY_ "point" SP_A " is" SP_OUTSIDE_THE_ "\0"
	"fw_cfg\0"
	A_TO_B_ IS_NOT_ IN_ "free RAM\0"
	"initrd\0"
	NO_ "room " BELOW_4_GIB " for" SP_THE_ "\0"
	"command line\0"
	FW_CFG " DMA" SP_ERROR " while loading" SP_THE_ "\0"
	" error\0"
	/* The validator's errors, in enum pvh_elf_error order. */
	"ok\0"
	CANNOT_READ_THE_ KERNEL SP_FILE_ "at" SP_A "\0"
	KERNEL_FILE_IS_ "empty\0"
	KERNEL_FILE_IS_ TOO_LARGE "\0"
	KERNEL_IS_NOT_AN SP_ELF_FILE "\0"
	KERNEL_ IS_ "a bzImage, " NOT_ "an" SP_ELF_FILE "\0"
	KERNEL_FILE_IS_ "truncated\0"
	KERNEL_HAS_A_BAD SP_ELF_ "class" SP_PAREN_A_CLOSE "\0"
	KERNEL_ IS_NOT_ "a little-endian" SP_ELF_FILE "\0"
	KERNEL_HAS_A_BAD SP_ELF_ "version" SP_PAREN_A_CLOSE "\0"
	KERNEL_IS_NOT_AN " x86" SP_ELF_FILE " (machine" SP_A ")\0"
	KERNEL_IS_NOT_AN SP_ELF_ "executable (type" SP_A ")\0"
	KERNEL_HAS_A_BAD " " PROGRAM_HEADER_ SIZE SP_PAREN_A_CLOSE "\0"
	KERNEL_HAS_ TOO_ "many " PROGRAM_HEADERS SP_PAREN_A_CLOSE "\0"
	PROGRAM_HEADERS " lie" SP_OUTSIDE_THE_ FILE "\0"
	KERNEL_HAS_ "no" SP_LOADABLE_ SEGMENT "\0"
	KERNEL_HAS_ "more than 16" SP_LOADABLE_ SEGMENTS "\0"
	PROGRAM_HEADER_A_COLON SP_FILE_ SIZE " exceeds" SP_MEMORY_ SIZE "\0"
	PROGRAM_HEADER_A_COLON " data lies" SP_OUTSIDE_THE_ FILE "\0"
	PROGRAM_HEADER_A_COLON " " SEGMENT " " IS_NOT_ BELOW_4_GIB "\0"
	SEGMENT_A_TO_B_ IS_ IN_ THE_ "first MiB\0"
	SEGMENT_A_TO_B_ IS_NOT_ IN_ "RAM\0"
	SEGMENT_A_TO_B_ "overlaps another " SEGMENT "\0"
	"malformed" SP_ELF_ NOTE_ "at" SP_FILE_ "offset" SP_A "\0"
	PVH_ENTRY_NOTE_ "descriptor " IS_NOT_ "4 or 8" SP_BYTES
		SP_PAREN_A_CLOSE "\0"
	NO_ PVH_ENTRY_NOTE_ "(XEN_ELFNOTE_PHYS32_ENTRY)\0"
	ENTRY_POINT_A_OUTSIDE_THE_ "loaded " SEGMENTS "\0"
	/* The ROM's own, in enum pvh_message order. */
	CANNOT_READ_THE_ FW_CFG SP_FILE_ "directory\0"
	THE_ "BIOS returned " NO_ "E820" SP_MEMORY_ "map, or more than 128 entries\0"
	KERNEL_ A_TO_B_NOT_FREE "\0"
	ENTRY_POINT_A_OUTSIDE_THE_ KERNEL "\0"
	INITRD " " A_TO_B_NOT_FREE "\0"
	NO_ROOM_FOR_THE_ INITRD SP_PAREN_A SP_BYTES ")\0"
	NO_ROOM_FOR_THE_ COMMAND_LINE SP_PAREN_A SP_BYTES ")\0"
	COMMAND_LINE " " TOO_LARGE "\0"
	DMA_ERROR_LOADING_THE_ KERNEL "\0"
	DMA_ERROR_LOADING_THE_ INITRD "\0"
	DMA_ERROR_LOADING_THE_ COMMAND_LINE "\0"
	/* Past the last. */
	"unknown" SP_ERROR;

_Static_assert(PVH_MAX_SEGMENTS == 16, "the message above says 16");

/*
 * Appends string k of texts[] with its words and numbers (n[0] and n[1])
 * spelled out; returns the new end.
 */
static char *put_text(char *out, unsigned k, const uint32_t *n)
{
	const char *t = texts;

	while (k--)
		while (*t++)
			;
	for (unsigned char c; (c = (unsigned char)*t); t++) {
		if (c >= WORD_BASE) {
			out = put_text(out, c - WORD_BASE, n);
		} else if (c <= *B) {
			uint32_t v = n[c - 1];

			*out++ = '0';
			*out++ = 'x';
			for (int i = 8; i; i--) {
				unsigned d;

				v = v << 4 | v >> 28;
				d = (v & 15) + '0';
				if (d > '9')
					d += 'a' - '9' - 1;
				*out++ = (char)d;
			}
		} else {
			*out++ = (char)c;
		}
	}
	return out;
}

unsigned format_message(char *buf, unsigned msg, uint32_t a, uint32_t b)
{
	const uint32_t n[2] = { a, b };
	char *end = put_text(buf, WORDS + (msg < MSG_COUNT ? msg : MSG_COUNT), n);

	*end = '\0';
	return (unsigned)(end - buf);
}

char *pvh_elf_message(enum pvh_elf_error err, const struct pvh_elf_detail *d,
		      char *buf, unsigned cap)
{
	unsigned msg = (unsigned)err < PVH_ELF_ERROR_COUNT ? (unsigned)err : MSG_COUNT;
	char line[MESSAGE_MAX + 1];
	unsigned n = format_message(line, msg, d->a, d->b);

	if (cap == 0)
		return buf;
	if (n >= cap)
		n = cap - 1;
	__builtin_memcpy(buf, line, n);
	buf[n] = '\0';
	return buf;
}
