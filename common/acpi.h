/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Finding and checking the ACPI RSDP: pure functions over memory given. */
#ifndef ACPI_H
#define ACPI_H

#include <stdint.h>

#define RSDP_ALIGN 16
#define RSDP_V1_LENGTH 20     /* bytes covered by the first checksum */
#define RSDP_V2_MIN_LENGTH 36 /* ACPI 2.0+: the length field covers these */
#define RSDP_MAX_LENGTH 1024  /* sanity bound on that length field */

/* Where to look (ACPI spec): the first KiB of the EBDA, then the BIOS area. */
#define EBDA_SEGMENT_PTR 0x40e
#define EBDA_SEARCH_LENGTH 1024
#define BIOS_AREA_START 0xe0000
#define BIOS_AREA_END 0x100000

/*
 * The first valid RSDP on a 16-byte boundary in [start, start+len), or 0:
 * "RSD PTR ", a zero checksum over the first 20 bytes and, from revision
 * 2 on, a length of 36 to 1024 bytes, inside the area, with a zero
 * checksum over all of them.
 */
const uint8_t *rsdp_scan(const uint8_t *start, uint32_t len);

#endif
