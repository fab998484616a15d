// SPDX-License-Identifier: GPL-2.0-or-later
#include "qemu_map.h"

#define KIB 1024ull
#define MIB (1024 * KIB)
#define GIB (1024 * MIB)

static void add(struct e820_entry *map, unsigned *n, uint64_t start,
		uint64_t end, uint32_t type)
{
	if (start < end)
		map[(*n)++] = (struct e820_entry){ .addr = start, .size = end - start,
						   .type = type, .attr = E820_ATTR_VALID };
}

unsigned qemu_q35_e820(uint64_t ram, struct e820_entry *map)
{
	uint64_t low = ram >= 0xb0000000ull ? 0x80000000ull : ram;
	unsigned n = 0;

	add(map, &n, 0, 0x9fc00, E820_RAM);
	add(map, &n, 0x9fc00, 0xa0000, E820_RESERVED);
	add(map, &n, 0xf0000, 1 * MIB, E820_RESERVED);
	add(map, &n, 1 * MIB, low - 128 * KIB, E820_RAM);
	add(map, &n, low - 128 * KIB, low, E820_RESERVED);
	add(map, &n, 0xb0000000ull, 0xc0000000ull, E820_RESERVED);
	add(map, &n, 0xfeffc000ull, 0xff000000ull, E820_RESERVED);
	add(map, &n, 0xfffc0000ull, 4 * GIB, E820_RESERVED);
	add(map, &n, 4 * GIB, 4 * GIB + (ram - low), E820_RAM);
	return n;
}

int qemu_parse_ram_size(const char *s, uint64_t *bytes)
{
	uint64_t v = 0, unit = MIB;

	if (*s < '0' || *s > '9')
		return -1;
	for (; *s >= '0' && *s <= '9'; s++) {
		if (v > QEMU_RAM_MAX)
			return -1;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	switch (*s) {
	case 'k': case 'K': unit = KIB; s++; break;
	case 'm': case 'M': unit = MIB; s++; break;
	case 'g': case 'G': unit = GIB; s++; break;
	case 't': case 'T': unit = 1024 * GIB; s++; break;
	case '\0': break;
	default: return -1;
	}
	if (*s || v > QEMU_RAM_MAX / unit)
		return -1;
	v *= unit;
	if (v < QEMU_RAM_MIN || v > QEMU_RAM_MAX)
		return -1;
	*bytes = v;
	return 0;
}
