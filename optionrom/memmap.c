// SPDX-License-Identifier: GPL-2.0-or-later
#include "memmap.h"

struct e820_entry e820_table[E820_TABLE_ENTRIES]
	__attribute__((section(".scratch"), aligned(8)));
