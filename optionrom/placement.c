// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Where the initrd and the command line go, and copying them there.  Both
 * come out of the free list (RAM above 1 MiB and below 4 GiB, minus the
 * kernel), so they cannot overlap the kernel, each other or the firmware.
 */
#include "boot.h"
#include "console.h"
#include "phys.h"

#define CMDLINE_ALIGN 8

/* An address QEMU chose is checked; otherwise the highest fit is chosen. */
static int place(struct boot_plan *p, struct blob *b, uint32_t bytes,
		 uint32_t align, const char *what)
{
	uint32_t end = b->addr + bytes;

	if (!b->key || !b->size)
		return 0;
	if (bytes < b->size) {
		report_error("%s too large", what);
		return -1;
	}
	if (!b->addr) {
		b->addr = freemem_alloc_top(&p->free, bytes, align);
		if (!b->addr) {
			report_error("no room below 4 GiB for the %s (0x%x bytes)", what, bytes);
			return -1;
		}
	} else if (b->addr & (align - 1) || end < b->addr ||
		   freemem_take(&p->free, b->addr, end)) {
		report_error("%s 0x%x - 0x%x is not in free RAM", what, b->addr, end - 1);
		return -1;
	}
	return 0;
}

int place_blobs(struct boot_plan *p)
{
	if (place(p, &p->initrd, p->initrd.size, PAGE_SIZE, "initrd"))
		return -1;
	/* Any length, plus the NUL the ROM adds. */
	return place(p, &p->cmdline, p->cmdline.size + 1, CMDLINE_ALIGN, "command line");
}

static int load_blob(const struct blob *b, const char *what)
{
	if (!b->key || !b->size)
		return 0;
	fw_cfg_open(b->key);
	if (fw_cfg_read(phys_ptr(b->addr), b->size)) {
		report_error("fw_cfg DMA error while loading the %s", what);
		return -1;
	}
	return 0;
}

int load_blobs(struct boot_plan *p)
{
	if (load_blob(&p->initrd, "initrd") || load_blob(&p->cmdline, "command line"))
		return -1;
	if (p->cmdline.addr)
		((char *)phys_ptr(p->cmdline.addr))[p->cmdline.size] = '\0';
	return 0;
}
