/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Host-side model of the memory map a guest sees under QEMU + SeaBIOS, for
 * pvh-inspect, the unit tests and the fuzzer (which have no BIOS to ask).
 */
#ifndef QEMU_MAP_H
#define QEMU_MAP_H

#include <stdint.h>
#include "e820.h"

#define QEMU_MAP_MAX 10 /* entries qemu_q35_e820() may write */

/* Smallest and largest RAM sizes qemu_q35_e820() models. */
#define QEMU_RAM_MIN (2ull << 20)
#define QEMU_RAM_MAX (1ull << 40)

/*
 * The E820 map SeaBIOS reports on a q35 machine with ram bytes of RAM:
 *   RAM       0 - 0x9fc00          (conventional memory below the EBDA)
 *   reserved  0x9fc00 - 0xa0000    (EBDA)
 *   reserved  0xf0000 - 0x100000   (BIOS F-segment)
 *   RAM       1 MiB - low - 128 KiB
 *   reserved  low - 128 KiB - low  (SeaBIOS's tables at the top of RAM)
 *   reserved  0xb0000000 - 0xc0000000 (q35 PCIe MMCONFIG window)
 *   reserved  0xfeffc000 - 0xff000000 (QEMU's identity-map/TSS pages)
 *   reserved  0xfffc0000 - 4 GiB   (the BIOS image)
 *   RAM       4 GiB - 4 GiB + (ram - low)   when ram > low
 * where low (RAM below 4 GiB) is ram, or 2 GiB when ram >= 0xb0000000: q35
 * keeps 0x80000000 - 0xffffffff for devices once RAM would reach the
 * MMCONFIG window (pc/i440fx splits at 0xe0000000 instead).
 * Returns the number of entries written (at most QEMU_MAP_MAX).
 */
unsigned qemu_q35_e820(uint64_t ram, struct e820_entry *map);

/*
 * Parses a RAM size as QEMU's -m does: a number with an optional K, M, G or
 * T suffix (a plain number means MiB).  Returns 0, or -1 on a malformed
 * size or one outside [QEMU_RAM_MIN, QEMU_RAM_MAX].
 */
int qemu_parse_ram_size(const char *s, uint64_t *bytes);

#endif
