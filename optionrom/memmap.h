/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MEMMAP_H
#define MEMMAP_H

#include "e820.h"
#include "layout.h"

/*
 * The BIOS memory map.  read_e820 (entry.S) fills it in real mode, before
 * pvh_main runs; tidy_e820() then makes it the PVH memmap table handed to
 * the kernel (the two layouts are the same).
 */
extern struct e820_entry e820_table[E820_TABLE_ENTRIES];

/*
 * Keeps the entries the BIOS marked valid, in its order, types as given,
 * the attribute field cleared (it is start_info's reserved field), at most
 * max of them.  Returns how many: 0 if the BIOS gave none.
 */
unsigned tidy_e820(unsigned max);

#endif
