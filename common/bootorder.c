// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdbool.h>
#include "bootorder.h"

/*
 * Where s continues after prefix, or 0 when s does not start with it.
 * Both are NUL-terminated: a mismatch comes at s's NUL at the latest.
 */
static const char *skip_prefix(const char *s, const char *prefix)
{
	for (; *prefix; prefix++, s++)
		if (*s != *prefix)
			return 0;
	return s;
}

static bool is_line_end(const char *s)
{
	return *s == '\n' || *s == '\0';
}

int bootorder_rank(const char *text, uint32_t len, const char *file)
{
	const char *end = text + len;
	int rank = 0;

	for (const char *line = text; line < end; rank++) {
		const char *rest = skip_prefix(line, BOOTORDER_ROM_PREFIX);
		if (rest)
			rest = skip_prefix(rest, file);
		if (rest && is_line_end(rest))
			return rank;
		while (!is_line_end(line))
			line++;
		line++; /* past the '\n' or '\0' (text[len] at the last) */
	}
	return -1;
}
