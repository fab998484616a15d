// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kernel, checked completely by common/pvh_elf.c before anything is
 * written.  Self-load mode: the fw_cfg file opt/pvh/kernel, read only for
 * its headers and notes, then each segment moved by one fw_cfg transfer
 * straight to its address.  Drop-in mode: QEMU's -kernel has loaded the
 * segments already; the program headers come from its "setup" item (the
 * file's first 8 KiB), and only the segments' tails beyond their file
 * data are cleared, which QEMU does not always do after a reset.
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
	uint32_t size;
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

int plan_kernel(struct boot_plan *p, bool selfload)
{
	struct item_reader *f = &kernel_file;

	f->key = p->kernel.key;
	f->size = p->kernel.size;
	if (!selfload) {
		f->key = FW_CFG_SETUP_DATA;
		f->size = p->setup_size;
	}
	f->pos = UINT32_MAX; /* not selected yet */

	const struct pvh_reader reader = {
		.read = read_item, .ctx = f, .size = f->size, .buf = elf_buf,
		.loaded_entry = selfload ? 0 : p->entry,
	};
	struct pvh_elf_detail detail;
	/* Takes the segments out of the free list: nothing else goes there. */
	enum pvh_elf_error err = pvh_elf_check(&reader, &p->free, &p->image, &detail);
	if (err != PVH_ELF_OK) {
		report((enum pvh_message)err, detail.a, detail.b);
		return -1;
	}
	p->entry = p->image.entry;
	return 0;
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
static int clear_tail(const struct pvh_segment *s)
{
	uint32_t start = s->paddr + s->filesz, len = s->memsz - s->filesz;

	if (!fw_cfg_has_dma()) {
		zero_memory(start, len);
		return 0;
	}
	if (!len)
		return 0;
	int err = read_item(&kernel_file, kernel_file.size, phys_ptr(start), len);
	/* The device stops at the end of the item (and size + len may not
	 * even fit 32 bits): the next read goes back. */
	kernel_file.pos = UINT32_MAX;
	return err;
}

int load_kernel(struct boot_plan *p, bool selfload)
{
	const struct pvh_segment *s = p->image.seg, *end = s + p->image.nseg;

	/*
	 * The segments come sorted by file offset: their data is read
	 * forward (in drop-in mode none: a read of 0 bytes does nothing).  A
	 * tail cleared by a read past the end sends the next segment back,
	 * which costs one selection: it rides along with the skip to that
	 * segment's data.
	 */
	for (; s < end; s++) {
		uint32_t filesz = s->filesz & -(uint32_t)selfload;
		if (read_item(&kernel_file, s->offset, phys_ptr(s->paddr), filesz) ||
		    clear_tail(s)) {
			report(MSG_DMA_ERROR_KERNEL, 0, 0);
			return -1;
		}
	}
	return 0;
}
