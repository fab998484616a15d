// SPDX-License-Identifier: GPL-2.0-or-later
#include "fw_cfg.h"
#include "io.h"
#include "phys.h"

static bool use_dma;
/* FW_CFG_DMA_SELECT and the key of the item opened, until a transfer sends them. */
static uint32_t pending_select;

/* Signature and DMA address register both read "QEMU" as a little-endian u32. */
#define FW_CFG_QEMU 0x554d4551u

/* Directory entries read per transfer; with DMA the count comes along. */
#define DIR_BATCH 64

/*
 * The directory while it is read; later the sink where skipped bytes go
 * without DMA.  Outside the image, never zeroed (.scratch).
 */
static struct {
	uint32_t count;
	struct fw_cfg_file f[DIR_BATCH];
} scratch __attribute__((section(".scratch")));

/* DMA completes in QEMU before the OUT returns; the bound covers a broken device. */
#define DMA_POLL_LIMIT 0x10000000u

static int dma_transfer(uint32_t control, void *buf, uint32_t len)
{
	/* The descriptor lives on our stack; the device reads and updates it. */
	struct fw_cfg_dma_access access = {
		.control = be32(control),
		.length = be32(len),
		.address = (uint64_t)be32(phys_addr(buf)) << 32,
	};
	volatile uint32_t *status = &access.control;
	uint32_t spins = DMA_POLL_LIMIT, c;

	/* Writing the low half of the address register starts the transfer;
	 * outl's memory clobber makes the descriptor stores come first. */
	outl(be32(phys_addr(&access)), FW_CFG_PORT_DMA_LO);
	/* The device clears the control word when done, or leaves the error bit. */
	do
		c = *status;
	while ((c & ~be32(FW_CFG_DMA_ERROR)) && --spins);
	return c ? -1 : 0;
}

int fw_cfg_transfer(uint32_t op, void *buf, uint32_t len)
{
	uint32_t control = op | pending_select; /* op may select an item itself */

	pending_select = 0;
	if (use_dma)
		return dma_transfer(control, buf, len);
	if (control & FW_CFG_DMA_SELECT)
		outw((uint16_t)(control >> FW_CFG_DMA_KEY_SHIFT), FW_CFG_PORT_SEL);
	/* One string instruction reads the data; skipped bytes go to the
	 * scratch buffer, a buffer-full at a time. */
	while (len) {
		void *dst = buf;
		uint32_t n = len;
		if (op & FW_CFG_DMA_SKIP) {
			dst = &scratch;
			n = len < sizeof(scratch) ? len : sizeof(scratch);
		}
		insb(FW_CFG_PORT_DATA, dst, n);
		len -= n;
	}
	return 0;
}

/* The control bits that select the item key first. */
static uint32_t select_bits(uint16_t key)
{
	return FW_CFG_DMA_SELECT | (uint32_t)key << FW_CFG_DMA_KEY_SHIFT;
}

void fw_cfg_open(uint16_t key)
{
	pending_select = select_bits(key);
}

uint32_t fw_cfg_read_u32(uint16_t key)
{
	uint32_t v = 0;
	/* The transfer returns 0 or -1: the mask clears v on error, no branch. */
	uint32_t failed = (uint32_t)fw_cfg_transfer(FW_CFG_DMA_READ | select_bits(key), &v, sizeof(v));

	return v & ~failed;
}

bool fw_cfg_init(void)
{
	/* A DMA interface answers with the signature; its ID must say so too. */
	if (inl(FW_CFG_PORT_DMA_HI) == FW_CFG_QEMU) {
		use_dma = true;
		if (fw_cfg_read_u32(FW_CFG_ID) & FW_CFG_ID_DMA)
			return true;
		use_dma = false;
	}
	return fw_cfg_read_u32(FW_CFG_SIGNATURE) == FW_CFG_QEMU;
}

bool fw_cfg_has_dma(void)
{
	return use_dma;
}

int fw_cfg_read_dir(void (*visit)(const struct fw_cfg_file *f, void *ctx), void *ctx)
{
	/*
	 * With DMA, read the count and a whole batch in one transfer (QEMU
	 * fills what lies past the end with zeros); with port I/O, where each
	 * byte costs, the count alone, then exactly the entries there are.
	 * n: the entries in the buffer, left: those not visited yet.
	 */
	uint32_t n = use_dma ? DIR_BATCH : 0;

	fw_cfg_open(FW_CFG_FILE_DIR);
	if (fw_cfg_read(&scratch, sizeof(scratch.count) + n * sizeof(scratch.f[0])))
		return -1;
	uint32_t left = be32(scratch.count);
	for (;;) {
		if (n > left)
			n = left; /* the zeros past the end */
		left -= n;
		for (const struct fw_cfg_file *f = scratch.f; f < scratch.f + n; f++)
			visit(f, ctx);
		if (!left)
			return 0;
		n = left < DIR_BATCH ? left : DIR_BATCH;
		if (fw_cfg_read(scratch.f, n * sizeof(scratch.f[0])))
			return -1;
	}
}
