/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Calling real-mode BIOS services from the ROM's 32-bit C code. */
#ifndef BIOS_H
#define BIOS_H

#include <stdint.h>

/* Layout known to bios_int in entry.S. */
struct bios_regs {
	uint32_t eax, ebx, ecx, edx, esi, edi, ebp;
	uint16_t ds, es;
	uint32_t eflags; /* out only */
};

#define EFLAGS_CF 0x001u

/*
 * Runs INT vector in real mode with *r loaded, and stores the registers it
 * returns in *r.  Any memory the call uses must lie in the first 64 KiB and
 * be addressed with segment 0 (the ROM's whole RAM window does).
 */
void bios_int(unsigned vector, struct bios_regs *r);

#endif
