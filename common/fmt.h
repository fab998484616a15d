/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A very small formatter for firmware messages: %s, and %x for a 32-bit
 * value as exactly eight hex digits (write "0x%x").  Anything else is
 * copied as it is.  Output is NUL-terminated and truncated to fit cap
 * bytes; the return value is its length.
 */
#ifndef FMT_H
#define FMT_H

#include <stdarg.h>

unsigned fmt_v(char *buf, unsigned cap, const char *f, va_list ap);
unsigned fmt(char *buf, unsigned cap, const char *f, ...)
	__attribute__((format(printf, 3, 4)));

#endif
