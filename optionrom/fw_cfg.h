/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QEMU's fw_cfg device, read as a stream: open an item, then read or skip
 * forward.  With DMA every read or skip is one OUT (the select rides along
 * with the first one); without DMA the data port is read byte by byte.
 */
#ifndef FW_CFG_H
#define FW_CFG_H

#include <stdbool.h>
#include <stdint.h>
#include "fw_cfg_abi.h"

/* Detects the device; false when there is none (not QEMU). */
bool fw_cfg_init(void);
bool fw_cfg_has_dma(void);

void fw_cfg_open(uint16_t key);
/* Both return 0, or -1 when a DMA transfer ends with the error bit. */
int fw_cfg_read(void *buf, uint32_t len);
int fw_cfg_skip(uint32_t len);

/* A little-endian u32 item (0 if the item is absent or on error). */
uint32_t fw_cfg_read_u32(uint16_t key);

struct fw_cfg_found {
	uint16_t select; /* 0: not found */
	uint32_t size;
};

/* Reads the directory (item FW_CFG_FILE_DIR) batch by batch: returns the
 * number of files and reads them through the callback; -1 on error. */
int fw_cfg_read_dir(void (*visit)(const struct fw_cfg_file *f, void *ctx), void *ctx);

static inline uint32_t be32(uint32_t v)
{
	return __builtin_bswap32(v);
}

#endif
