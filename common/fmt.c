// SPDX-License-Identifier: GPL-2.0-or-later
#include "fmt.h"
#include <stdint.h>

unsigned fmt_v(char *buf, unsigned cap, const char *f, va_list ap)
{
	unsigned len = 0;

#define PUT(c) do { if (len + 1 < cap) buf[len++] = (c); } while (0)
	if (cap == 0)
		return 0;
	for (; *f; f++) {
		if (f[0] == '%' && f[1] == 's') {
			for (const char *s = va_arg(ap, const char *); *s; s++)
				PUT(*s);
			f++;
		} else if (f[0] == '%' && f[1] == 'x') {
			uint32_t v = va_arg(ap, uint32_t);
			for (int shift = 28; shift >= 0; shift -= 4)
				PUT("0123456789abcdef"[(v >> shift) & 15]);
			f++;
		} else {
			PUT(*f);
		}
	}
#undef PUT
	buf[len] = '\0';
	return len;
}

unsigned fmt(char *buf, unsigned cap, const char *f, ...)
{
	va_list ap;
	va_start(ap, f);
	unsigned n = fmt_v(buf, cap, f, ap);
	va_end(ap);
	return n;
}
