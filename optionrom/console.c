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
	char *s = screen_line;
	unsigned n = PREFIX_LEN;

	memcpy(s, PREFIX, PREFIX_LEN);
	n += format_message(s + n, msg, a, b);
	s[n] = '\r';
	s[n + 1] = '\n';
	s[n + 2] = '\0';
	outsb(DEBUG_PORT, s, n + 2);
	boot_memo = BOOT_MEMO_FAILED;
}
