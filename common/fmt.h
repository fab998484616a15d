/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A very small formatter for firmware messages.  Conversions: %s, %c, %u,
 * %x, %llu, %llx, each optionally with a zero-padded width ("%08x").
 * Output is always NUL-terminated and truncated to fit.
 */
#ifndef FMT_H
#define FMT_H

#include <stdarg.h>

unsigned fmt_v(char *buf, unsigned cap, const char *f, va_list ap);
unsigned fmt(char *buf, unsigned cap, const char *f, ...)
	__attribute__((format(printf, 3, 4)));

#endif
