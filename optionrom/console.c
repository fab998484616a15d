// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdarg.h>
#include "bios.h"
#include "console.h"
#include "fmt.h"
#include "io.h"

#define DEBUG_PORT 0x402
#define INT_VIDEO 0x10
#define VIDEO_TELETYPE 0x0e00 /* AH = 0Eh: write character, advance cursor */

static void teletype(char c)
{
	struct bios_regs r = { .eax = VIDEO_TELETYPE | (unsigned char)c, .ebx = 0x0007 };
	bios_int(INT_VIDEO, &r);
}

void report_error(const char *f, ...)
{
	char line[160];
	va_list ap;

	unsigned n = fmt(line, sizeof(line) - 1, "pvh: ");
	va_start(ap, f);
	n += fmt_v(line + n, sizeof(line) - 1 - n, f, ap);
	va_end(ap);
	line[n++] = '\n';

	outsb(DEBUG_PORT, line, n);
	for (unsigned i = 0; i < n; i++) {
		if (line[i] == '\n')
			teletype('\r');
		teletype(line[i]);
	}
}
