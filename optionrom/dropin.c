// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Drop-in mode: QEMU's -kernel has already copied the ELF's segments into
 * guest RAM and describes them, the initrd and the command line in fw_cfg.
 * The ROM checks what QEMU says before it relies on any of it.
 */
#include <stddef.h>
#include "boot.h"
#include "console.h"

/* QEMU's items (u32 each) and the plan fields they go to. */
static const struct {
	uint8_t key;
	uint8_t field; /* offset in struct boot_plan */
} qemu_items[] = {
	{ FW_CFG_KERNEL_ENTRY, offsetof(struct boot_plan, entry) },
	{ FW_CFG_KERNEL_ADDR, offsetof(struct boot_plan, kernel_addr) },
	{ FW_CFG_KERNEL_SIZE, offsetof(struct boot_plan, kernel_size) },
	{ FW_CFG_INITRD_ADDR, offsetof(struct boot_plan, initrd.addr) },
	{ FW_CFG_INITRD_SIZE, offsetof(struct boot_plan, initrd.item.size) },
	{ FW_CFG_CMDLINE_SIZE, offsetof(struct boot_plan, cmdline.item.size) },
	{ FW_CFG_SETUP_SIZE, offsetof(struct boot_plan, setup_size) },
};

/*
 * One loop, one read each (an absent item reads as 0).  QEMU's -initrd and
 * -append replace whatever opt/pvh/ files the directory scan found.
 */
void read_dropin(struct boot_plan *p)
{
	for (unsigned i = 0; i < sizeof(qemu_items) / sizeof(qemu_items[0]); i++)
		*(uint32_t *)((char *)p + qemu_items[i].field) =
			fw_cfg_read_u32(qemu_items[i].key);
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
