// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Drop-in mode: QEMU's -kernel has already copied the ELF's segments into
 * guest RAM and describes them, the initrd and the command line in fw_cfg.
 * The ROM checks what QEMU says before it relies on any of it.
 */
#include <stddef.h>
#include "boot.h"
#include "console.h"

/*
 * QEMU's items (u32 each) and the plan fields they go to, in the order
 * read.  After an item marked LAST_IF_ZERO that reads 0 the rest are of no
 * use, and are not read (each read is a VM exit under KVM): without an
 * entry point there is no drop-in kernel, without an initrd no initrd
 * address.  The fields not read stay 0 (.bss).
 */
#define LAST_IF_ZERO 0x80 /* with the key: these keys are all below it */
static const struct {
	uint8_t key;
	uint8_t field; /* offset in struct boot_plan */
} qemu_items[] = {
	{ FW_CFG_KERNEL_ENTRY | LAST_IF_ZERO, offsetof(struct boot_plan, entry) },
	{ FW_CFG_SETUP_SIZE, offsetof(struct boot_plan, setup_size) },
	{ FW_CFG_KERNEL_ADDR, offsetof(struct boot_plan, kernel_addr) },
	{ FW_CFG_KERNEL_SIZE, offsetof(struct boot_plan, kernel_size) },
	{ FW_CFG_CMDLINE_SIZE, offsetof(struct boot_plan, cmdline.item.size) },
	{ FW_CFG_INITRD_SIZE | LAST_IF_ZERO, offsetof(struct boot_plan, initrd.item.size) },
	{ FW_CFG_INITRD_ADDR, offsetof(struct boot_plan, initrd.addr) },
};

_Static_assert(FW_CFG_KERNEL_ENTRY < LAST_IF_ZERO && FW_CFG_INITRD_SIZE < LAST_IF_ZERO,
	       "LAST_IF_ZERO is a bit of its own");

/*
 * One loop, one read each (an absent item reads as 0) up to a LAST_IF_ZERO
 * item that reads 0.  QEMU's -initrd and -append replace whatever opt/pvh/
 * files the directory scan found (without an entry point the ROM steps
 * aside, and they do not matter).
 */
void read_dropin(struct boot_plan *p)
{
	for (unsigned i = 0; i < sizeof(qemu_items) / sizeof(qemu_items[0]); i++) {
		unsigned key = qemu_items[i].key;
		uint32_t v = fw_cfg_read_u32((uint16_t)(key & ~LAST_IF_ZERO));

		*(uint32_t *)((char *)p + qemu_items[i].field) = v;
		if (!v && key & LAST_IF_ZERO)
			break;
	}
	/* QEMU's command line item is -append's string and its NUL: the ROM
	 * reads the string alone (and adds a NUL), an empty one not at all. */
	p->cmdline.item.size -= p->cmdline.item.size != 0;
	p->initrd.item.key = FW_CFG_INITRD_DATA;
	p->cmdline.item.key = FW_CFG_CMDLINE_DATA;
}

int plan_dropin(struct boot_plan *p)
{
	uint32_t start = p->kernel_addr;
	uint32_t end = start + p->kernel_size;

	/* freemem_take refuses an empty or wrapped range (end <= start) too. */
	if (freemem_take(&p->free, start, end)) {
		report(MSG_KERNEL_NOT_FREE, start, end - 1);
		return -1;
	}
	if (p->entry - start >= end - start) {
		report(MSG_ENTRY_NOT_IN_KERNEL, p->entry, 0);
		return -1;
	}
	return 0;
}
