// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The message table, kept small for the ROM: each message is a string in
 * which bytes of 0x80 and up stand for words of a dictionary (themselves
 * strings of the same table, which may use further words), each with or
 * without a space after it, and the bytes 1 and 2 for the numbers a and b.
 */
#include "config.h"
#include "message.h"

#define A "\001"
#define B "\002"
#define WORD_BASE 0x80u
#define WORD_SPACE 0x40u /* with WORD_BASE: the word, then a space */

/*
 * The dictionary: the first strings of texts[], in this order, chosen to
 * make the table short (a word costs its length and a NUL, and saves all
 * but a byte each time it is used); the words the ROM's own messages use
 * come before those of the validator's alone.  Word i is the byte
 * 0x80 + i, or 0xc0 + i for the word followed by a space: 64 words at
 * most.  A word may end inside a word of the text (SEGMENT "s", SP_LIE
 * "s").  A name is the word's text, with SP_ for a space before it and a
 * trailing _ for a space after it.
 */
#define KERNEL "\200"                   /* "kernel" */
#define KERNEL_ "\300"                  /* "kernel " */
#define DMA_ERROR_LOADING_THE_ "\301"   /* "fw_cfg DMA error while loading the " */
#define IS_NOT_ "\302"                  /* "is not " */
#define FILE "\203"                     /* "file" */
#define FILE_ "\303"                    /* "file " */
#define SP_OUTSIDE_THE_ "\304"          /* " outside the " */
#define NO_ROOM_FOR_THE_ "\305"         /* "no room below 4 GiB for the " */
#define COMMAND_LINE "\206"             /* "command line" */
#define COMMAND_LINE_ "\306"            /* "command line " */
#define A_TO_B_ "\307"                  /* "<a> - <b> " */
#define SP_THE "\210"                   /* " the" */
#define SP_THE_ "\310"                  /* " the " */
#define ENTRY_POINT_A_OUTSIDE_THE_ "\211" /* "entry point <a> is outside the " */
#define INITRD "\212"                   /* "initrd" */
#define INITRD_ "\312"                  /* "initrd " */
#define IS "\213"                       /* "is" */
#define IS_ "\313"                      /* "is " */
#define CANNOT_READ_THE_ "\214"         /* "cannot read the " */
#define BELOW_4_GIB "\215"              /* "below 4 GiB" */
#define BELOW_4_GIB_ "\315"             /* "below 4 GiB " */
#define MORE_THAN_ "\316"               /* "more than " */
#define SP_BYTES "\217"                 /* " bytes" */
#define TOO_LARGE "\220"                /* "too large" */
#define SP_MEMORY_ "\321"               /* " memory " */
#define FW_CFG_ "\322"                  /* "fw_cfg " */
#define SP_ERROR "\223"                 /* " error" */
#define SP_ERROR_ "\323"                /* " error " */
#define ENTRY_ "\324"                   /* "entry " */
#define NO "\225"                       /* "no" */
#define NO_ "\325"                      /* "no " */
#define A_TO_B_NOT_IN_ "\326"           /* "<a> - <b> is not in " */
#define SP_A "\227"                     /* " <a>" */
#define SP_A_ "\327"                    /* " <a> " */
#define SP_OR_ "\330"                   /* " or " */
#define TOO_ "\331"                     /* "too " */
#define PAREN_A_BYTES "\232"            /* "(<a> bytes)" */
#define THE "\233"                      /* "the" */
#define THE_ "\333"                     /* "the " */
#define NOT "\234"                      /* "not" */
#define NOT_ "\334"                     /* "not " */
/* Only in the validator's messages (the table of a ROM built without
 * self-loading stops before these). */
#define PROGRAM_HEADER "\235"           /* "program header" */
#define PROGRAM_HEADER_ "\335"          /* "program header " */
#define SEGMENT "\236"                  /* "segment" */
#define SEGMENT_ "\336"                 /* "segment " */
#define SP_ELF_ "\337"                  /* " ELF " */
#define KERNEL_HAS_ "\340"              /* "kernel has " */
#define PVH_ENTRY_NOTE_ "\341"          /* "PVH entry note " */
#define SP_PAREN_A_CLOSE "\242"         /* " (<a>)" */
#define KERNEL_HAS_A_BAD "\243"         /* "kernel has a bad" */
#define KERNEL_HAS_A_BAD_ "\343"        /* "kernel has a bad " */
#define SP_LOADABLE_SEGMENT "\244"      /* " loadable segment" */
#define KERNEL_IS_NOT_AN "\245"         /* "kernel is not an" */
#define KERNEL_IS_NOT_AN_ "\345"        /* "kernel is not an " */
#define SIZE "\246"                     /* "size" */
#define SIZE_ "\346"                    /* "size " */
#define PROGRAM_HEADER_A_COLON_ "\347"  /* "program header <a>: " */
#define NOTE "\250"                     /* "note" */
#define NOTE_ "\350"                    /* "note " */
#define KERNEL_FILE_IS_ "\251"          /* "kernel file is " */
#define SP_LIE "\252"                   /* " lie" */
/* How many words there are: those of all messages, and all of them. */
#define WORD_INDEX(w) ((unsigned char)(w)[0] - WORD_BASE)
#define SHARED_WORDS WORD_INDEX(PROGRAM_HEADER)
#define WORDS (WORD_INDEX(SP_LIE) + 1)

/*
 * Where message msg is in texts[]: after the words.  Without self-loading
 * the table has neither the validator's words nor its messages (the ROM
 * then never prints them).
 */
#if CONFIG_SELFLOAD
#define TEXT_OF(msg) (WORDS + (msg))
#else
#define TEXT_OF(msg) (SHARED_WORDS + (msg) - PVH_ELF_ERROR_COUNT)
#endif

/* aligned(1): GCC would align the array to 32 bytes, padding the ROM. */
static const char texts[] __attribute__((aligned(1))) =
	"kernel\0"
	FW_CFG_ "DMA" SP_ERROR_ "while loading" SP_THE "\0"
	IS_ NOT "\0"
	"file\0"
	" outside" SP_THE "\0"
	NO_ "room " BELOW_4_GIB_ "for" SP_THE "\0"
	"command line\0"
	A " - " B "\0"
	" " THE "\0"
	ENTRY_ "point" SP_A_ IS SP_OUTSIDE_THE_ "\0"
	"initrd\0"
	"is\0"
	"cannot read" SP_THE_ "\0"
	"below 4 GiB\0"
	"more than\0"
	" bytes\0"
	TOO_ "large\0"
	" memory\0"
	"fw_cfg\0"
	" error\0"
	"entry\0"
	"no\0"
	A_TO_B_ IS_NOT_ "in\0"
	" " A "\0"
	" or\0"
	"too\0"
	"(" A SP_BYTES ")\0"
	"the\0"
	"not\0"
#if CONFIG_SELFLOAD
	/* The words of the validator's messages alone, then its messages. */
	"program header\0"
	"segment\0"
	" ELF\0"
	KERNEL_ "has\0"
	"PVH " ENTRY_ NOTE "\0"
	" (" A ")\0"
	KERNEL_HAS_ "a bad\0"
	" loadable " SEGMENT "\0"
	KERNEL_ IS_NOT_ "an\0"
	"size\0"
	PROGRAM_HEADER_ A ":\0"
	"note\0"
	KERNEL_ FILE_ IS_ "\0"
	" lie\0"
	/* The validator's errors, in enum pvh_elf_error order. */
	"ok\0"
	CANNOT_READ_THE_ KERNEL_ FILE_ "at" SP_A "\0"
	KERNEL_FILE_IS_ "empty\0"
	KERNEL_FILE_IS_ TOO_LARGE "\0"
	KERNEL_IS_NOT_AN SP_ELF_ FILE "\0"
	KERNEL_ IS_ "a bzImage, " NOT_ "an" SP_ELF_ FILE "\0"
	KERNEL_FILE_IS_ "truncated\0"
	KERNEL_HAS_A_BAD SP_ELF_ "class" SP_PAREN_A_CLOSE "\0"
	KERNEL_ IS_NOT_ "a little-endian" SP_ELF_ FILE "\0"
	KERNEL_HAS_A_BAD SP_ELF_ "version" SP_PAREN_A_CLOSE "\0"
	KERNEL_IS_NOT_AN_ "x86" SP_ELF_ FILE_ "(machine" SP_A ")\0"
	KERNEL_IS_NOT_AN SP_ELF_ "executable (type" SP_A ")\0"
	KERNEL_HAS_A_BAD_ PROGRAM_HEADER_ SIZE SP_PAREN_A_CLOSE "\0"
	KERNEL_HAS_ TOO_ "many " PROGRAM_HEADER "s" SP_PAREN_A_CLOSE "\0"
	PROGRAM_HEADER "s" SP_LIE SP_OUTSIDE_THE_ FILE "\0"
	KERNEL_HAS_ NO SP_LOADABLE_SEGMENT "\0"
	KERNEL_HAS_ MORE_THAN_ "16" SP_LOADABLE_SEGMENT "s\0"
	PROGRAM_HEADER_A_COLON_ FILE_ SIZE_ "exceeds" SP_MEMORY_ SIZE "\0"
	PROGRAM_HEADER_A_COLON_ "data" SP_LIE "s" SP_OUTSIDE_THE_ FILE "\0"
	PROGRAM_HEADER_A_COLON_ SEGMENT_ IS_NOT_ BELOW_4_GIB "\0"
	SEGMENT_ A_TO_B_ IS_ "in" SP_THE_ "first MiB\0"
	SEGMENT_ A_TO_B_NOT_IN_ "RAM\0"
	SEGMENT_ A_TO_B_ "overlaps another " SEGMENT "\0"
	"malformed" SP_ELF_ NOTE_ "at " FILE_ "offset" SP_A "\0"
	PVH_ENTRY_NOTE_ "descriptor " IS_NOT_ "4" SP_OR_ "8" SP_BYTES SP_PAREN_A_CLOSE "\0"
	NO_ PVH_ENTRY_NOTE_ "(XEN_ELFNOTE_PHYS32_ENTRY)\0"
	ENTRY_POINT_A_OUTSIDE_THE_ "loaded " SEGMENT "s\0"
#endif
	/* The ROM's own, in enum pvh_message order. */
	CANNOT_READ_THE_ FW_CFG_ FILE_ "directory\0"
	THE_ "BIOS's E820" SP_MEMORY_ "map " IS_ "missing, broken" SP_OR_ MORE_THAN_ "128 entries long\0"
	KERNEL_ A_TO_B_NOT_IN_ "free RAM\0"
	ENTRY_POINT_A_OUTSIDE_THE_ KERNEL "\0"
	NO_ROOM_FOR_THE_ INITRD_ PAREN_A_BYTES "\0"
	NO_ROOM_FOR_THE_ COMMAND_LINE_ PAREN_A_BYTES "\0"
	COMMAND_LINE_ TOO_LARGE "\0"
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
ROM_COLD static char *put_text(char *out, unsigned k, const uint32_t *n)
{
	const char *t = texts;

	while (k--)
		while (*t++)
			;
	for (unsigned char c; (c = (unsigned char)*t); t++) {
		if (c >= WORD_BASE) {
			out = put_text(out, c & (WORD_SPACE - 1), n);
			if (c & WORD_SPACE)
				*out++ = ' ';
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
	char *end = put_text(buf, TEXT_OF(msg), n);

	*end = '\0';
	return (unsigned)(end - buf);
}

#if CONFIG_SELFLOAD
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
#endif
