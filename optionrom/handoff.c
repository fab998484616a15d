// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What the kernel receives: hvm_start_info and the tables it points to.
 * They live in the ROM's RAM window (docs/memory-map.md), with a command
 * line of up to 2 KiB (placement.c), below any kernel segment, initrd or
 * longer command line, which all sit above 1 MiB.
 */
#include "acpi.h"
#include "boot.h"
#include "io.h"
#include "memmap.h"
#include "phys.h"

/* start_info and its module list. */
static struct handoff {
	struct hvm_start_info info;
	struct hvm_modlist_entry modules[1];
} handoff __attribute__((aligned(8)));

/* The RSDP: in the EBDA's first KiB (if there is one), else the BIOS area. */
static uint32_t find_rsdp(void)
{
	uint32_t ebda = (uint32_t)*(volatile uint16_t *)phys_ptr(EBDA_SEGMENT_PTR) << 4;
	const uint8_t *found = 0;

	/* Two calls with constant lengths: GCC then tests each position once. */
	if (ebda)
		found = rsdp_scan(phys_ptr(ebda), EBDA_SEARCH_LENGTH);
	if (!found)
		found = rsdp_scan(phys_ptr(BIOS_AREA_START),
				  BIOS_AREA_END - BIOS_AREA_START);
	return phys_addr(found);
}

/*
 * Writes a 64-bit field as its low half: the .bss starts zeroed, so the
 * high half already is, and a 32-bit store is shorter code.
 */
static void set_u64(uint64_t *field, uint32_t v)
{
	__builtin_memcpy(field, &v, sizeof(v)); /* x86: the low half comes first */
}

struct hvm_start_info *build_start_info(const struct boot_plan *p)
{
	/* Through an opaque pointer, GCC stores with short displacements
	 * instead of absolute addresses. */
	struct handoff *h = phys_ptr(phys_addr(&handoff));
	struct hvm_start_info *si = &h->info;

	/* Only non-zero fields are written, without a branch where a
	 * field's value is 0 anyway when there is nothing to describe. */
	si->magic = HVM_START_MAGIC;
	si->version = HVM_START_VERSION;
	set_u64(&si->rsdp_paddr, find_rsdp());
	set_u64(&si->memmap_paddr, phys_addr(e820_table));
	si->memmap_entries = p->nmap;
	/* The initrd: address and size are 0 when there is none (place_initrd). */
	uint32_t has_initrd = p->initrd.addr != 0;
	set_u64(&h->modules[0].paddr, p->initrd.addr);
	set_u64(&h->modules[0].size, p->initrd.item.size);
	si->nr_modules = has_initrd;
	set_u64(&si->modlist_paddr, phys_addr(h->modules) & -has_initrd);
	/* The command line gets its NUL now that it is loaded; an empty one
	 * is left out. */
	if (p->cmdline.addr) {
		char *cmdline = phys_ptr(p->cmdline.addr);
		cmdline[p->cmdline.item.size] = '\0';
		if (*cmdline)
			set_u64(&si->cmdline_paddr, p->cmdline.addr);
	}
	return si;
}

/* The "fast A20" gate of port 0x92; bit 0 would reset the machine. */
#define PORT_A20 0x92
#define A20_ENABLE 0x02
#define A20_RESET 0x01
/* With A20 off, address bit 20 reads as 0: x and x + 1 MiB are one byte. */
#define A20_ALIAS_OFFSET 0x100000u

void enable_a20(void)
{
	/*
	 * With A20 off, an address and its alias 1 MiB up are the same byte.
	 * If the alias of the ROM's first word (0xaa55 and the size byte)
	 * reads back something else, A20 is on and no port I/O is needed.
	 * A chance match only costs the two port accesses.
	 */
	volatile uint32_t *low = (volatile uint32_t *)_image_start;
	volatile uint32_t *alias = phys_ptr(phys_addr((const void *)low) + A20_ALIAS_OFFSET);
	if (*low == *alias)
		outb((uint8_t)((inb(PORT_A20) | A20_ENABLE) & ~A20_RESET), PORT_A20);
}
