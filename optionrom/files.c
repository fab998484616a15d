// SPDX-License-Identifier: GPL-2.0-or-later
/* The fw_cfg files the ROM uses, found in one pass over the directory. */
#include "boot.h"
#include "bootorder.h"
#include "string.h"

#define ROM_SIZE_OFFSET 2 /* size byte of the option ROM header */
#define ROM_BLOCK 512

extern const uint8_t _image_start[];

static const char *const file_names[FILE_COUNT] = {
	[FILE_KERNEL] = PVH_FW_CFG_KERNEL,
	[FILE_INITRD] = PVH_FW_CFG_INITRD,
	[FILE_CMDLINE] = PVH_FW_CFG_CMDLINE,
	[FILE_BOOTORDER] = "bootorder",
};

static void visit(const struct fw_cfg_file *f, void *ctx)
{
	struct boot_plan *p = ctx;
	const char *end = f->name + FW_CFG_MAX_FILE_PATH;
	uint32_t size = be32(f->size);

	/* The names are shorter than the field: a match leaves rest inside it. */
	for (unsigned j = 0; j < FILE_COUNT; j++) {
		const char *rest = skip_prefix(f->name, end, file_names[j]);
		if (rest && !*rest)
			p->files[j] = (struct fw_cfg_found){ __builtin_bswap16(f->select), size };
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
