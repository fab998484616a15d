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

/* The dictionary: the first strings of texts[], in this order. */
#define KERNEL "\200"
#define PROGRAM_HEADER "\201"
#define SEGMENT "\202"
#define FILE_ "\203"
#define IS_NOT "\204"
#define ELF "\205"
#define OUTSIDE_THE "\206"
#define HAS_A_BAD "\207"
#define PVH_ENTRY_NOTE "\210"
#define IS "\211"
#define LOADABLE "\212"
#define NOT_FREE "\213"
#define DMA_ERROR "\214"
#define NO_ROOM "\215"
#define COMMAND_LINE "\216"
#define ENTRY_POINT "\217"
#define WORDS 16

/* aligned(1): GCC would align the array to 32 bytes, padding the ROM. */
static const char texts[] __attribute__((aligned(1))) =
	"kernel \0"
	"program header\0"
	"segment\0"
	"file\0"
	"is not \0"
	" ELF \0"
	" outside the \0"
	"has a bad \0"
	"PVH entry note \0"
	" is \0"
	" loadable \0"
	" is not in free RAM\0"
	"fw_cfg DMA error while loading the \0"
	"no room below 4 GiB for the \0"
	"command line\0"
	"entry point " A " is" OUTSIDE_THE "\0"
	/* The validator's errors, in enum pvh_elf_error order. */
	"ok\0"
	"cannot read the " KERNEL FILE_ " at " A "\0"
	KERNEL FILE_ IS "empty\0"
	KERNEL FILE_ IS "too large\0"
	KERNEL IS_NOT "an" ELF FILE_ "\0"
	KERNEL "is a bzImage, not an" ELF FILE_ "\0"
	KERNEL FILE_ IS "truncated\0"
	KERNEL HAS_A_BAD "ELF class (" A ")\0"
	KERNEL IS_NOT "a little-endian" ELF FILE_ "\0"
	KERNEL HAS_A_BAD "ELF version (" A ")\0"
	KERNEL IS_NOT "an x86" ELF FILE_ " (machine " A ")\0"
	KERNEL IS_NOT "an" ELF "executable (type " A ")\0"
	KERNEL HAS_A_BAD PROGRAM_HEADER " size (" A ")\0"
	KERNEL "has too many " PROGRAM_HEADER "s (" A ")\0"
	PROGRAM_HEADER "s lie" OUTSIDE_THE FILE_ "\0"
	KERNEL "has no" LOADABLE SEGMENT "\0"
	KERNEL "has more than 16" LOADABLE SEGMENT "s\0"
	PROGRAM_HEADER " " A ": " FILE_ " size exceeds memory size\0"
	PROGRAM_HEADER " " A ": data lies" OUTSIDE_THE FILE_ "\0"
	PROGRAM_HEADER " " A ": " SEGMENT " " IS_NOT "below 4 GiB\0"
	SEGMENT " " A " - " B IS "in the first MiB\0"
	SEGMENT " " A " - " B IS "not in RAM\0"
	SEGMENT " " A " - " B " overlaps another " SEGMENT "\0"
	"malformed" ELF "note at " FILE_ " offset " A "\0"
	PVH_ENTRY_NOTE "descriptor " IS_NOT "4 or 8 bytes (" A ")\0"
	"no " PVH_ENTRY_NOTE "(XEN_ELFNOTE_PHYS32_ENTRY)\0"
	ENTRY_POINT "loaded " SEGMENT "s\0"
	/* The ROM's own, in enum pvh_message order. */
	"cannot read the fw_cfg " FILE_ " directory\0"
	"the BIOS returned no E820 memory map\0"
	KERNEL A " - " B NOT_FREE "\0"
	ENTRY_POINT "kernel\0"
	"initrd " A " - " B NOT_FREE "\0"
	NO_ROOM "initrd (" A " bytes)\0"
	NO_ROOM COMMAND_LINE " (" A " bytes)\0"
	COMMAND_LINE " too large\0"
	DMA_ERROR "kernel\0"
	DMA_ERROR "initrd\0"
	DMA_ERROR COMMAND_LINE "\0"
	"unknown error";

_Static_assert(PVH_MAX_SEGMENTS == 16, "the message above says 16");

/* The string after the first k of texts[]. */
static const char *nth_text(unsigned k)
{
	const char *t = texts;

	while (k--)
		while (*t++)
			;
	return t;
}

/* Appends t with its words and numbers spelled out; returns the new end. */
static char *put_text(char *out, const char *t, uint32_t a, uint32_t b)
{
	for (unsigned char c; (c = (unsigned char)*t); t++) {
		if (c >= WORD_BASE) {
			out = put_text(out, nth_text(c - WORD_BASE), a, b);
		} else if (c == *A || c == *B) {
			uint32_t v = c == *A ? a : b;
			*out++ = '0';
			*out++ = 'x';
			for (int shift = 28; shift >= 0; shift -= 4)
				*out++ = "0123456789abcdef"[(v >> shift) & 15];
		} else {
			*out++ = (char)c;
		}
	}
	return out;
}

unsigned format_message(char *buf, unsigned msg, uint32_t a, uint32_t b)
{
	char *end = put_text(buf, nth_text(WORDS + (msg < MSG_COUNT ? msg : MSG_COUNT)), a, b);

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
