// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Drop-in mode: QEMU's -kernel has already copied the ELF's segments into
 * guest RAM and describes them, the initrd and the command line in fw_cfg.
 * The ROM checks what QEMU says before it relies on any of it.
 */
#include "boot.h"
#include "console.h"

int plan_dropin(struct boot_plan *p)
{
	uint32_t start = fw_cfg_read_u32(FW_CFG_KERNEL_ADDR);
	uint32_t end = start + fw_cfg_read_u32(FW_CFG_KERNEL_SIZE);

	if (end < start || freemem_take(&p->free, start, end)) {
		report(MSG_KERNEL_NOT_FREE, start, end - 1);
		return -1;
	}
	if (p->entry - start >= end - start) {
		report(MSG_ENTRY_NOT_IN_KERNEL, p->entry, 0);
		return -1;
	}
	/* QEMU's -initrd and -append, whatever opt/pvh/ files there may be. */
	p->initrd.item.key = FW_CFG_INITRD_DATA;
	p->initrd.item.size = fw_cfg_read_u32(FW_CFG_INITRD_SIZE);
	if (p->initrd.item.size)
		p->initrd.addr = fw_cfg_read_u32(FW_CFG_INITRD_ADDR);
	p->cmdline.item.key = FW_CFG_CMDLINE_DATA;
	p->cmdline.item.size = fw_cfg_read_u32(FW_CFG_CMDLINE_SIZE);
	return 0;
}
