// SPDX-License-Identifier: GPL-2.0-or-later
#include "bios.h"
#include "memmap.h"
#include "phys.h"

#define INT_SYSTEM 0x15
#define E820_FUNCTION 0xe820
#define SMAP 0x534d4150u /* "SMAP" */
/* A continuation value that never returns to 0 must not loop us forever. */
#define E820_MAX_CALLS 256

unsigned extract_e820(struct e820_entry *map, unsigned max)
{
	unsigned n = 0;
	uint32_t next = 0;

	for (unsigned call = 0; call < E820_MAX_CALLS && n < max; call++) {
		/* Entry valid unless a 24-byte reply says otherwise (ACPI 3.0). */
		struct e820_entry e = { .attr = E820_ATTR_VALID };
		struct bios_regs r = {
			.eax = E820_FUNCTION,
			.ebx = next,
			.ecx = sizeof(e),
			.edx = SMAP,
			.edi = phys_addr(&e),
		};
		bios_int(INT_SYSTEM, &r);
		if ((r.eflags & EFLAGS_CF) || r.eax != SMAP || r.ecx < E820_ENTRY_SIZE_MIN)
			break;
		if (r.ecx < E820_ENTRY_SIZE_ACPI3 || (e.attr & E820_ATTR_VALID)) {
			e.attr = 0; /* the PVH memmap's reserved field */
			map[n++] = e;
		}
		next = r.ebx;
		if (next == 0)
			break;
	}
	return n;
}
