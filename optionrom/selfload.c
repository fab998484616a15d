// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Self-load mode: the kernel is the fw_cfg file opt/pvh/kernel.  The ELF is
 * validated completely by common/pvh_elf.c, reading only headers and notes;
 * then each segment moves by one fw_cfg transfer straight to its address.
 */
#include "boot.h"
#include "console.h"
#include "phys.h"
#include "string.h"

/*
 * Reads an fw_cfg item at increasing offsets, selecting it again only to
 * go back.  Offsets fit 32 bits: pvh_elf.c takes only files below 4 GiB.
 */
struct item_reader {
	uint16_t key;
	uint32_t pos; /* offset of the next byte; UINT32_MAX until selected */
};

static int read_item(void *ctx, uint64_t offset, void *buf, uint32_t len)
{
	struct item_reader *r = ctx;
	uint32_t at = (uint32_t)offset;

	if (!len)
		return 0; /* a segment without file data: no transfer at all */
	/* Going back (or the first read) selects the item again, at 0. */
	if (at < r->pos) {
		fw_cfg_open(r->key);
		r->pos = 0;
	}
	uint32_t gap = at - r->pos;
	r->pos = at + len;
	/* Skip, then read (in this order: two statements); both return 0
	 * or -1, and should the skip fail, the read fails too. */
	int err = gap ? fw_cfg_skip(gap) : 0;
	return err | fw_cfg_read(buf, len);
}

static struct item_reader kernel_file;

/* What pvh_elf_check() reads the file into: filled before use (.scratch). */
static uint8_t elf_buf[PVH_ELF_BUF_SIZE] __attribute__((section(".scratch")));

int plan_selfload(struct boot_plan *p)
{
	const struct pvh_reader reader = {
		.read = read_item, .ctx = &kernel_file, .size = p->kernel.size, .buf = elf_buf,
	};
	struct pvh_elf_detail detail;

	kernel_file.key = p->kernel.key;
	kernel_file.pos = UINT32_MAX; /* not selected yet */
	/* Takes the segments out of the free list: nothing else goes there. */
	enum pvh_elf_error err = pvh_elf_check(&reader, &p->free, &p->image, &detail);
	if (err != PVH_ELF_OK) {
		report((enum pvh_message)err, detail.a, detail.b);
		return -1;
	}
	p->entry = p->image.entry;
	return 0; /* the directory scan found initrd and cmdline */
}

/*
 * Zeroes [addr, addr + len), a byte at a time: only without DMA, where
 * the kernel itself came in a byte per port read, far slower than this.
 */
static void zero_memory(uint32_t addr, uint32_t len)
{
	void *d = phys_ptr(addr);

	__asm__ volatile("rep stosb" : "+D"(d), "+c"(len) : "a"(0) : "memory");
}

/*
 * Clears a segment's tail beyond filesz; 0, or -1 if a DMA transfer failed.
 * With DMA, a read past the end of the kernel's fw_cfg item delivers
 * zeros: QEMU fills them in on the host, much faster than a guest loop
 * (under TCG by far).  It fails only where the memory cannot be written,
 * which a loop of the ROM's own would not notice.
 */
static int clear_tail(const struct boot_plan *p, const struct pvh_segment *s)
{
	uint32_t start = s->paddr + s->filesz, len = s->memsz - s->filesz;

	if (!fw_cfg_has_dma()) {
		zero_memory(start, len);
		return 0;
	}
	if (!len)
		return 0;
	int err = read_item(&kernel_file, p->kernel.size, phys_ptr(start), len);
	/* The device stops at the end of the item (and size + len may not
	 * even fit 32 bits): the next read goes back. */
	kernel_file.pos = UINT32_MAX;
	return err;
}

int load_selfload(struct boot_plan *p)
{
	const struct pvh_segment *s = p->image.seg, *end = s + p->image.nseg;

	/*
	 * The segments come sorted by file offset: their data is read
	 * forward.  A tail cleared by a read past the end sends the next
	 * segment back, which costs one selection: it rides along with the
	 * skip to that segment's data.
	 */
	for (; s < end; s++) {
		if (read_item(&kernel_file, s->offset, phys_ptr(s->paddr), s->filesz) ||
		    clear_tail(p, s)) {
			report(MSG_DMA_ERROR_KERNEL, 0, 0);
			return -1;
		}
	}
	return 0;
}
