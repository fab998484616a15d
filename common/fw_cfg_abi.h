/* SPDX-License-Identifier: GPL-2.0-or-later */
/* QEMU's fw_cfg device as seen from an x86 guest: ports, keys, DMA format. */
#ifndef FW_CFG_ABI_H
#define FW_CFG_ABI_H

#include <stdint.h>

#define FW_CFG_PORT_SEL 0x510   /* 16-bit item selector */
#define FW_CFG_PORT_DATA 0x511  /* 8-bit data */
#define FW_CFG_PORT_DMA_HI 0x514 /* big-endian DMA address, high half */
#define FW_CFG_PORT_DMA_LO 0x518 /* low half: writing it starts the transfer */

#define FW_CFG_SIGNATURE 0x00   /* "QEMU" */
#define FW_CFG_ID 0x01          /* feature bits, little-endian u32 */
#define FW_CFG_KERNEL_ADDR 0x07
#define FW_CFG_KERNEL_SIZE 0x08
#define FW_CFG_INITRD_ADDR 0x0a
#define FW_CFG_INITRD_SIZE 0x0b
#define FW_CFG_BOOT_MENU 0x0e   /* u16: 1 with -boot menu=on */
#define FW_CFG_KERNEL_ENTRY 0x10
#define FW_CFG_INITRD_DATA 0x12
#define FW_CFG_CMDLINE_SIZE 0x14
#define FW_CFG_CMDLINE_DATA 0x15
#define FW_CFG_SETUP_SIZE 0x17
#define FW_CFG_FILE_DIR 0x19

#define FW_CFG_ID_TRADITIONAL (1u << 0)
#define FW_CFG_ID_DMA (1u << 1)

/* DMA control word bits (big-endian in the descriptor). */
#define FW_CFG_DMA_ERROR (1u << 0)
#define FW_CFG_DMA_READ (1u << 1)
#define FW_CFG_DMA_SKIP (1u << 2)
#define FW_CFG_DMA_SELECT (1u << 3)
#define FW_CFG_DMA_WRITE (1u << 4)
#define FW_CFG_DMA_KEY_SHIFT 16

/* The whole descriptor is big-endian. */
struct fw_cfg_dma_access {
	uint32_t control;
	uint32_t length;
	uint64_t address;
};

#define FW_CFG_MAX_FILE_PATH 56

/* One entry of the file directory (item 0x19); size and select big-endian. */
struct fw_cfg_file {
	uint32_t size;
	uint16_t select;
	uint16_t reserved;
	char name[FW_CFG_MAX_FILE_PATH];
};

_Static_assert(sizeof(struct fw_cfg_dma_access) == 16, "fw_cfg DMA layout");
_Static_assert(sizeof(struct fw_cfg_file) == 64, "fw_cfg file layout");

/* Names of the self-loading interface (see README). */
#define PVH_FW_CFG_KERNEL "opt/pvh/kernel"
#define PVH_FW_CFG_INITRD "opt/pvh/initrd"
#define PVH_FW_CFG_CMDLINE "opt/pvh/cmdline"

#endif
