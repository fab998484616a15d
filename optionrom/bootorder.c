// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Is this ROM in SeaBIOS's boot order?  The ROM does not know its file
 * name: the directory scan (main.c) remembers the genroms file whose size
 * is this image's, and the boot order is searched for that file.
 */
#include "boot.h"
#include "bootorder.h"

#define BOOTORDER_MAX 2048 /* bytes of the boot order looked at */

static char bootorder[BOOTORDER_MAX];

bool rom_in_bootorder(const struct boot_plan *p)
{
	const struct fw_cfg_found *f = &p->files[FILE_BOOTORDER];
	uint32_t len = f->size < BOOTORDER_MAX ? f->size : BOOTORDER_MAX;

	if (!f->select || !p->rom_file[0])
		return false;
	fw_cfg_open(f->select);
	return fw_cfg_read(bootorder, len) == 0 &&
	       bootorder_names_file(bootorder, len, p->rom_file);
}
