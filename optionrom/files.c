// SPDX-License-Identifier: GPL-2.0-or-later
/* The fw_cfg files the ROM uses, found in one pass over the directory. */
#include <stddef.h>
#include "boot.h"
#include "bootorder.h"
#include "string.h"

#define ROM_SIZE_OFFSET 2 /* size byte of the option ROM header */
#define ROM_BLOCK 512

extern const uint8_t _image_start[];

/* Each name and the struct item of the plan it fills. */
static const struct wanted_file {
	const char *name;
	uint8_t item; /* offset in struct boot_plan */
} wanted[] = {
	{ PVH_FW_CFG_KERNEL, offsetof(struct boot_plan, kernel) },
	{ PVH_FW_CFG_INITRD, offsetof(struct boot_plan, initrd.item) },
	{ PVH_FW_CFG_CMDLINE, offsetof(struct boot_plan, cmdline.item) },
	{ "bootorder", offsetof(struct boot_plan, bootorder) },
};

static void visit(const struct fw_cfg_file *f, void *ctx)
{
	struct boot_plan *p = ctx;
	const char *end = f->name + FW_CFG_MAX_FILE_PATH;
	uint32_t size = be32(f->size);

	/* The names are shorter than the field: a match leaves rest inside it. */
	for (const struct wanted_file *w = wanted; w < wanted + 4; w++) {
		const char *rest = skip_prefix(f->name, end, w->name);
		if (rest && !*rest) {
			struct item *it = (struct item *)((char *)p + w->item);
			it->size = size;
			it->key = __builtin_bswap16(f->select);
		}
	}
	/* A genroms file of this image's size is taken to be this ROM. */
	if (size == (uint32_t)_image_start[ROM_SIZE_OFFSET] * ROM_BLOCK &&
	    skip_prefix(f->name, end, GENROMS_PREFIX))
		memcpy(p->rom_file, f->name, FW_CFG_MAX_FILE_PATH);
}

/* Not inlined: in its own small frame the loop's code is shorter. */
__attribute__((noinline)) int scan_files(struct boot_plan *p)
{
	int err = fw_cfg_read_dir(visit, p);
	p->rom_file[FW_CFG_MAX_FILE_PATH - 1] = '\0';
	return err;
}
