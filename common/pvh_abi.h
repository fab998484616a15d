/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The x86/HVM direct boot ABI ("PVH"): the structures the firmware hands to
 * the kernel.  Layouts are fixed by the ABI; every field is little-endian.
 */
#ifndef PVH_ABI_H
#define PVH_ABI_H

#include <stdint.h>

#define HVM_START_MAGIC 0x336ec578u
#define HVM_START_VERSION 1u

/* Owner "Xen", type 18: 32-bit physical entry point (4- or 8-byte desc). */
#define XEN_ELFNOTE_PHYS32_ENTRY 18u

struct hvm_start_info {
	uint32_t magic;
	uint32_t version;
	uint32_t flags;
	uint32_t nr_modules;
	uint64_t modlist_paddr;
	uint64_t cmdline_paddr;
	uint64_t rsdp_paddr;
	/* version 1 */
	uint64_t memmap_paddr;
	uint32_t memmap_entries;
	uint32_t reserved;
};

struct hvm_modlist_entry {
	uint64_t paddr;
	uint64_t size;
	uint64_t cmdline_paddr;
	uint64_t reserved;
};

struct hvm_memmap_table_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
	uint32_t reserved;
};

/*
 * Linux copies the memory map into a table of 128 entries without a bound
 * check and appends one entry of its own, so never hand over more than 127.
 */
#define PVH_MEMMAP_MAX 127

/* How many entries of an n-entry E820 map the kernel is given. */
static inline unsigned pvh_memmap_count(unsigned n)
{
	return n < PVH_MEMMAP_MAX ? n : PVH_MEMMAP_MAX;
}

_Static_assert(sizeof(struct hvm_start_info) == 56, "start_info layout");
_Static_assert(sizeof(struct hvm_modlist_entry) == 32, "modlist layout");
_Static_assert(sizeof(struct hvm_memmap_table_entry) == 24, "memmap layout");

#endif
