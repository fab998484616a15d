/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MEMMAP_H
#define MEMMAP_H

#include "e820.h"

/*
 * Reads the BIOS memory map with INT 15h AX=E820h into map (at most max
 * entries, in the BIOS's order, types as given, the attribute field
 * cleared: the same layout as the PVH memmap table).  Returns the number
 * of entries, 0 if the BIOS gave none.
 */
unsigned extract_e820(struct e820_entry *map, unsigned max);

#endif
