// SPDX-License-Identifier: GPL-2.0-or-later
#include "console.h"
#include "io.h"

#define DEBUG_PORT 0x402
#define PREFIX "pvh: "
#define PREFIX_LEN (sizeof(PREFIX) - 1)

/* NUL-terminated, with CR LF: what INT 10h teletype output wants (the
 * debug port gets the same line).  One byte spare: report() stores CR LF
 * NUL as four bytes. */
char screen_line[PREFIX_LEN + MESSAGE_MAX + 4];

volatile uint8_t boot_memo __attribute__((section(".boot_memo")));

ROM_COLD void report(enum pvh_message msg, uint32_t a, uint32_t b)
{
	char *s = screen_line, *end = s + PREFIX_LEN;

	/* PREFIX, a byte at a time: GCC makes it two stores, shorter than a
	 * copy (rep movsb and the string). */
	_Static_assert(PREFIX_LEN == 5, "five stores");
	s[0] = PREFIX[0];
	s[1] = PREFIX[1];
	s[2] = PREFIX[2];
	s[3] = PREFIX[3];
	s[4] = PREFIX[4];
	end += format_message(end, msg, a, b);
	/* Through end, not at an offset into screen_line, and in one 4-byte
	 * store, CR LF NUL NUL (only CR LF are sent): shorter code. */
	const uint32_t crlf = '\r' | '\n' << 8; /* x86: the low byte first */
	__builtin_memcpy(end, &crlf, 4);
	outsb(DEBUG_PORT, s, (unsigned)(end + 2 - s));
	boot_memo = BOOT_MEMO_FAILED;
}
