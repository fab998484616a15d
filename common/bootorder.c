// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdbool.h>
#include "bootorder.h"

const char *skip_prefix(const char *s, const char *end, const char *prefix)
{
	for (; *prefix; prefix++, s++)
		if (s == end || *s != *prefix)
			return 0;
	return s;
}

static bool is_line_end(const char *s, const char *end)
{
	return s == end || *s == '\n' || *s == '\0';
}

int bootorder_rank(const char *text, uint32_t len, const char *file)
{
	const char *end = text + len;
	int rank = 0;

	for (const char *line = text; line < end; rank++) {
		const char *rest = skip_prefix(line, end, BOOTORDER_ROM_PREFIX);
		if (rest)
			rest = skip_prefix(rest, end, file);
		if (rest && is_line_end(rest, end))
			return rank;
		while (!is_line_end(line, end))
			line++;
		line++; /* past the '\n' (or the end) */
	}
	return -1;
}
