// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Where the initrd and the command line go, and copying them there.  The
 * initrd, and a command line longer than CMDLINE_BUF_SIZE, come out of the
 * free list (RAM above 1 MiB and below 4 GiB, minus the kernel), so they
 * cannot overlap the kernel, each other or the firmware; a shorter command
 * line goes in the ROM's window, below 64 KiB.
 */
#include "boot.h"
#include "console.h"
#include "phys.h"

#define CMDLINE_ALIGN 8

/*
 * A command line shorter than x86 Linux's COMMAND_LINE_SIZE (2 KiB, the
 * NUL included: all a Linux kernel reads) goes, with the NUL the ROM adds,
 * in the ROM's window (see docs/memory-map.md) and needs no search of the
 * free list; a longer one goes to free RAM like the initrd.  (-append's is
 * its text: read_dropin() leaves out the NUL QEMU's item ends with.)
 */
#define CMDLINE_BUF_SIZE 2048
static char cmdline_buf[CMDLINE_BUF_SIZE] __attribute__((section(".scratch"), aligned(CMDLINE_ALIGN)));

/*
 * The initrd: at the address QEMU chose (drop-in) if that is page-aligned
 * free RAM; otherwise, or with no address (self-load), at the highest
 * page-aligned fit, as QEMU's loader would choose it.  The ROM copies the
 * initrd itself, so QEMU's address is only a suggestion: QEMU does not
 * mind the kernel's bss, nor (on microvm) the firmware's last page.
 */
static int place_initrd(struct boot_plan *p)
{
	struct blob *b = &p->initrd;
	uint32_t end = b->addr + b->item.size;

	if (!b->item.size) {
		b->addr = 0; /* none, whatever address QEMU may give */
		return 0;
	}
	/* freemem_take refuses address 0 (below 1 MiB) and end <= addr. */
	if (b->addr & (PAGE_SIZE - 1) || freemem_take(&p->free, b->addr, end)) {
		b->addr = freemem_alloc_top(&p->free, b->item.size, PAGE_SIZE);
		if (!b->addr) {
			report(MSG_NO_ROOM_INITRD, b->item.size, 0);
			return -1;
		}
	}
	return 0;
}

/* The command line, of any length, plus the NUL the ROM adds. */
static int place_cmdline(struct boot_plan *p)
{
	struct blob *b = &p->cmdline;
	uint32_t bytes = b->item.size + 1; /* 0 if the size is 2^32 - 1 */

	if (!b->item.size)
		return 0;
	if (b->item.size < sizeof(cmdline_buf)) {
		b->addr = phys_addr(cmdline_buf);
		return 0;
	}
	/* Allocating 0 bytes fails too: the wrapped size is told apart after. */
	b->addr = freemem_alloc_top(&p->free, bytes, CMDLINE_ALIGN);
	if (!b->addr) {
		if (!bytes)
			report(MSG_CMDLINE_TOO_LARGE, 0, 0);
		else
			report(MSG_NO_ROOM_CMDLINE, bytes, 0);
		return -1;
	}
	return 0;
}

int place_blobs(struct boot_plan *p)
{
	return place_initrd(p) || place_cmdline(p) ? -1 : 0;
}

/* Copies each placed blob from fw_cfg to its address. */
int load_blobs(struct boot_plan *p)
{
	enum pvh_message dma_error = MSG_DMA_ERROR_INITRD;

	_Static_assert(MSG_DMA_ERROR_CMDLINE == MSG_DMA_ERROR_INITRD + 1, "in blob order");
	for (const struct blob *b = p->blobs; b < p->blobs + 2; b++, dma_error++) {
		if (!b->addr)
			continue;
		fw_cfg_open(b->item.key);
		if (fw_cfg_read(phys_ptr(b->addr), b->item.size)) {
			report(dma_error, 0, 0);
			return -1;
		}
	}
	return 0;
}
