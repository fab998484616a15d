// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Is this ROM in SeaBIOS's boot order?  The ROM does not know its file
 * name: the directory scan (main.c) remembers the genroms file whose size
 * is this image's, and the boot order is searched for that file.
 */
#include "boot.h"
#include "bootorder.h"

#define BOOTORDER_MAX 8192 /* bytes of the boot order looked at: some 200 devices */

/* One byte more for the NUL that bootorder_rank() needs after the text. */
static char bootorder[BOOTORDER_MAX + 1] __attribute__((section(".scratch")));

int rom_bootorder_rank(const struct boot_plan *p, bool hook)
{
	const struct item *f = &p->bootorder;

	/*
	 * The BEV runs when the BIOS's order has come to it: nothing to read
	 * then.  (Asked here rather than by the caller: a second test of the
	 * caller's own flag would have GCC duplicate the code between the
	 * two.)  QEMU's -kernel always gives its ROM boot index 0 (no other
	 * device may have it): a drop-in boot need not read the order.  (This
	 * ROM added with -option-rom next to QEMU's own pvh.bin for -kernel
	 * then boots that kernel from INT 19h too, first, as the order asks.
	 * Without a genroms file of its own, rom_file is empty and matches no
	 * line.)  The drop-in's test first: under TCG each test passed costs
	 * a translated block.
	 */
	if (!p->kernel.key || !hook || !f->size)
		return -1;
	uint32_t len = f->size < BOOTORDER_MAX ? f->size : BOOTORDER_MAX;
	fw_cfg_open(f->key);
	if (fw_cfg_read(bootorder, len))
		return -1;
	bootorder[len] = '\0';
	return bootorder_rank(bootorder, len, p->rom_file);
}
