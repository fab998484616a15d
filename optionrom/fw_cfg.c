// SPDX-License-Identifier: GPL-2.0-or-later
#include "fw_cfg.h"
#include "io.h"
#include "phys.h"
#include "string.h"

static bool use_dma;
static bool select_pending; /* DMA: the next transfer selects open_key */
static uint16_t open_key;

/* The DMA address register reads back as "QEMU CFG" (big-endian). */
#define FW_CFG_DMA_SIGNATURE_HI 0x554d4551u /* "QEMU" as read by inl */

static int dma_transfer(uint32_t control, void *buf, uint32_t len)
{
	/* The device reads and updates this; it lives on our stack. */
	volatile struct fw_cfg_dma_access access = {
		.control = be32(control),
		.length = be32(len),
		.address = (uint64_t)be32(phys_addr(buf)) << 32,
	};

	/* Writing the low half of the address register starts the transfer. */
	outl(be32(phys_addr((const void *)&access)), FW_CFG_PORT_DMA_LO);

	/* QEMU completes synchronously; the bound keeps a broken device from hanging us. */
	for (uint32_t spins = 0; spins < 0x10000000u; spins++) {
		uint32_t c = be32(access.control);
		if (c & FW_CFG_DMA_ERROR)
			return -1;
		if (c == 0)
			return 0;
	}
	return -1;
}

static int dma_op(uint32_t op, void *buf, uint32_t len)
{
	uint32_t control = op;

	if (select_pending) {
		control |= FW_CFG_DMA_SELECT | (uint32_t)open_key << FW_CFG_DMA_KEY_SHIFT;
		select_pending = false;
	}
	return dma_transfer(control, buf, len);
}

bool fw_cfg_init(void)
{
	char sig[4];

	if (inl(FW_CFG_PORT_DMA_HI) == FW_CFG_DMA_SIGNATURE_HI) {
		/* A DMA interface answers; its ID must say so too. */
		use_dma = true;
		uint32_t id = fw_cfg_read_u32(FW_CFG_ID);
		if (id & FW_CFG_ID_DMA)
			return true;
		use_dma = false;
	}
	fw_cfg_open(FW_CFG_SIGNATURE);
	fw_cfg_read(sig, sizeof(sig));
	return memcmp(sig, "QEMU", 4) == 0;
}

bool fw_cfg_has_dma(void)
{
	return use_dma;
}

void fw_cfg_open(uint16_t key)
{
	open_key = key;
	if (use_dma)
		select_pending = true;
	else
		outw(key, FW_CFG_PORT_SEL);
}

int fw_cfg_read(void *buf, uint32_t len)
{
	if (use_dma)
		return dma_op(FW_CFG_DMA_READ, buf, len);
	insb(FW_CFG_PORT_DATA, buf, len);
	return 0;
}

int fw_cfg_skip(uint32_t len)
{
	if (use_dma)
		return dma_op(FW_CFG_DMA_SKIP, 0, len);
	while (len--)
		inb(FW_CFG_PORT_DATA);
	return 0;
}

uint32_t fw_cfg_read_u32(uint16_t key)
{
	uint32_t v = 0;

	fw_cfg_open(key);
	if (fw_cfg_read(&v, sizeof(v)))
		return 0;
	return v;
}

/* Directory entries read per transfer; with DMA the count comes along. */
#define DIR_BATCH 64

int fw_cfg_read_dir(void (*visit)(const struct fw_cfg_file *f, void *ctx), void *ctx)
{
	static struct {
		uint32_t count;
		struct fw_cfg_file f[DIR_BATCH];
	} dir __attribute__((section(".scratch")));
	/*
	 * With DMA, read the count and a whole batch in one transfer (QEMU
	 * fills what lies past the end with zeros); with port I/O, where each
	 * byte costs, read exactly what is there.
	 */
	uint32_t have = use_dma ? DIR_BATCH : 0;

	fw_cfg_open(FW_CFG_FILE_DIR);
	if (fw_cfg_read(&dir, use_dma ? sizeof(dir) : sizeof(dir.count)))
		return -1;
	uint32_t count = be32(dir.count);
	for (uint32_t i = 0; i < count; i++) {
		uint32_t k = i % DIR_BATCH;
		if (k == 0 && i >= have) {
			uint32_t n = count - i < DIR_BATCH ? count - i : DIR_BATCH;
			if (fw_cfg_read(dir.f, n * sizeof(dir.f[0])))
				return -1;
		}
		visit(&dir.f[k], ctx);
	}
	return (int)count;
}
