// SPDX-License-Identifier: GPL-2.0-or-later
/* The fw_cfg files the ROM uses, found in one pass over the directory. */
#include <stddef.h>
#include "boot.h"
#include "bootorder.h"
#include "string.h"

#define ROM_SIZE_OFFSET 2 /* size byte of the option ROM header */
#define ROM_BLOCK 512

/*
 * Each name, the bytes that must match (the NUL included: the whole name)
 * and the struct item of the plan it fills.
 */
#define WANTED(name, field) { name, sizeof(name), offsetof(struct boot_plan, field) }
static const struct wanted_file {
	char name[sizeof(PVH_FW_CFG_CMDLINE)]; /* the longest */
	uint8_t len;
	uint8_t item;
} wanted[] = {
	WANTED(PVH_FW_CFG_KERNEL, kernel),
	WANTED(PVH_FW_CFG_INITRD, initrd.item),
	WANTED(PVH_FW_CFG_CMDLINE, cmdline.item),
	WANTED("bootorder", bootorder),
};

static void visit(const struct fw_cfg_file *f, void *ctx)
{
	struct boot_plan *p = ctx;
	uint32_t size = be32(f->size);

	/* The names are shorter than the field: each compare stays inside it. */
	for (const struct wanted_file *w = wanted; w < wanted + 4; w++) {
		if (same_bytes(f->name, w->name, w->len)) {
			struct item *it = (struct item *)((char *)p + w->item);
			it->size = size;
			it->key = __builtin_bswap16(f->select);
		}
	}
	/* A genroms file of this image's size is taken to be this ROM. */
	if (size == (uint32_t)_image_start[ROM_SIZE_OFFSET] * ROM_BLOCK &&
	    same_bytes(f->name, GENROMS_PREFIX, sizeof(GENROMS_PREFIX) - 1))
		memcpy(p->rom_file, f->name, FW_CFG_MAX_FILE_PATH);
}

/* Not inlined: in its own small frame the loop's code is shorter. */
__attribute__((noinline)) int scan_files(struct boot_plan *p)
{
	int err = fw_cfg_read_dir(visit, p);
	p->rom_file[FW_CFG_MAX_FILE_PATH - 1] = '\0';
	return err;
}
