// SPDX-License-Identifier: GPL-2.0-or-later
#include "console.h"
#include "io.h"
#include "string.h"

#define DEBUG_PORT 0x402
#define PREFIX "pvh: "
#define PREFIX_LEN (sizeof(PREFIX) - 1)

/* NUL-terminated, with CR LF: what INT 10h teletype output wants (the
 * debug port gets the same line). */
char screen_line[PREFIX_LEN + MESSAGE_MAX + 3];

volatile uint8_t boot_memo __attribute__((section(".boot_memo")));

void report(enum pvh_message msg, uint32_t a, uint32_t b)
{
	char *end = screen_line + PREFIX_LEN;

	memcpy(screen_line, PREFIX, PREFIX_LEN);
	end += format_message(end, msg, a, b);
	/* Through end, not at an offset into screen_line: shorter stores. */
	end[0] = '\r';
	end[1] = '\n';
	end[2] = '\0';
	outsb(DEBUG_PORT, screen_line, (unsigned)(end + 2 - screen_line));
	boot_memo = BOOT_MEMO_FAILED;
}
