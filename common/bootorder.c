// SPDX-License-Identifier: GPL-2.0-or-later
#include "bootorder.h"

static bool line_is(const char *line, uint32_t n, const char *prefix, const char *file)
{
	uint32_t i = 0;

	for (; *prefix; prefix++, i++)
		if (i >= n || line[i] != *prefix)
			return false;
	for (; *file; file++, i++)
		if (i >= n || line[i] != *file)
			return false;
	return i == n;
}

int bootorder_rank(const char *text, uint32_t len, const char *file)
{
	uint32_t pos = 0;
	int rank = 0;

	while (pos < len) {
		const char *line = text + pos;
		uint32_t n = 0;
		while (pos + n < len && line[n] != '\n' && line[n] != '\0')
			n++;
		if (line_is(line, n, BOOTORDER_ROM_PREFIX, file))
			return rank;
		pos += n + 1;
		rank++;
	}
	return -1;
}
