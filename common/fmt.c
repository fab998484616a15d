// SPDX-License-Identifier: GPL-2.0-or-later
#include "fmt.h"
#include <stdint.h>

struct out {
	char *buf;
	unsigned cap, len;
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->cap)
		o->buf[o->len++] = c;
}

static void put_number(struct out *o, uint64_t v, unsigned base, unsigned width)
{
	char digits[20];
	unsigned n = 0;

	do {
		digits[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	while (width > n) {
		put(o, '0');
		width--;
	}
	while (n)
		put(o, digits[--n]);
}

unsigned fmt_v(char *buf, unsigned cap, const char *f, va_list ap)
{
	struct out o = { buf, cap, 0 };

	for (; *f; f++) {
		if (*f != '%') {
			put(&o, *f);
			continue;
		}
		unsigned width = 0, longlong = 0;
		f++;
		while (*f >= '0' && *f <= '9')
			width = width * 10 + (unsigned)(*f++ - '0');
		while (*f == 'l') {
			longlong++;
			f++;
		}
		switch (*f) {
		case 's': {
			const char *s = va_arg(ap, const char *);
			while (*s)
				put(&o, *s++);
			break;
		}
		case 'c':
			put(&o, (char)va_arg(ap, int));
			break;
		case 'u':
		case 'x': {
			uint64_t v = longlong ? va_arg(ap, unsigned long long)
					      : va_arg(ap, unsigned);
			put_number(&o, v, *f == 'x' ? 16 : 10, width);
			break;
		}
		case '\0':
			f--;
			break;
		default:
			put(&o, '%');
			put(&o, *f);
		}
	}
	if (cap)
		buf[o.len] = '\0';
	return o.len;
}

unsigned fmt(char *buf, unsigned cap, const char *f, ...)
{
	va_list ap;
	va_start(ap, f);
	unsigned n = fmt_v(buf, cap, f, ap);
	va_end(ap);
	return n;
}
