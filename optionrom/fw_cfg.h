/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QEMU's fw_cfg device, read as a stream: open an item, then read or skip
 * forward.  Opening only notes the item: the selection rides along with
 * the next transfer.  With DMA every transfer is one OUT; without DMA the
 * data port is read with one string instruction per transfer (a skip
 * takes one per scratch buffer's worth).
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
/*
 * The one transfer primitive: op is FW_CFG_DMA_READ (len bytes to buf) or
 * FW_CFG_DMA_SKIP (buf unused), sent with the selection fw_cfg_open noted.
 * Returns 0, or -1 when a DMA transfer ends with the error bit or does not
 * end.
 */
int fw_cfg_transfer(uint32_t op, void *buf, uint32_t len);

static inline int fw_cfg_read(void *buf, uint32_t len)
{
	return fw_cfg_transfer(FW_CFG_DMA_READ, buf, len);
}

static inline int fw_cfg_skip(uint32_t len)
{
	return fw_cfg_transfer(FW_CFG_DMA_SKIP, 0, len);
}

/* A little-endian u32 item (0 if the item is absent or on error). */
uint32_t fw_cfg_read_u32(uint16_t key);

/* Reads the directory (item FW_CFG_FILE_DIR) batch by batch and hands
 * each file to the callback; returns 0, or -1 on error. */
int fw_cfg_read_dir(void (*visit)(const struct fw_cfg_file *f, void *ctx), void *ctx);

static inline uint32_t be32(uint32_t v)
{
	return __builtin_bswap32(v);
}

#endif
