/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MEMMAP_H
#define MEMMAP_H

#include <stdint.h>
#include "e820.h"
#include "layout.h"

/*
 * The BIOS memory map as the PVH memmap table handed to the kernel (the two
 * layouts are the same).  entry.S fills it in real mode, before pvh_main
 * runs: the entries the BIOS marked valid (or gave in a 20-byte reply,
 * which has no valid bit), in its order, types as given, the attribute
 * field cleared (it is start_info's reserved field).  e820_entries says how
 * many (0 without a map); it may be one more than the PVH_MEMMAP_MAX the
 * kernel is given, or E820_MAP_UNUSABLE when the BIOS had more entries than
 * the table holds or gave a broken reply (no signature, or shorter than 20
 * bytes).
 */
#define E820_MAP_UNUSABLE 0xffff
extern struct e820_entry e820_table[E820_TABLE_ENTRIES];
extern uint16_t e820_entries;

#endif
