// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target for common/pvh_elf.c: the input is the kernel file,
 * checked against a fixed q35 guest with 512 MiB of RAM and one range the
 * ROM keeps for itself.  Besides the sanitizers' findings, it aborts when
 * the validator reads outside the file or makes an empty read, when an
 * accepted image breaks an invariant of tests/unit/image_check.h or its
 * segments are not the file's PT_LOADs as read here independently, or when
 * a message is empty, too long or unterminated.
 *
 *   make fuzz FUZZ_SECONDS=600     (seeds: tests/fuzz/corpus)
 */
#define _POSIX_C_SOURCE 200809L
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "freemem.h"
#include "image_check.h"
#include "pvh_elf.h"
#include "qemu_map.h"

struct input {
	const uint8_t *data;
	size_t size;
	struct note_log notes;
};

static int read_input(void *ctx, uint64_t offset, void *buf, uint32_t len)
{
	const struct input *in = ctx;

	if (len == 0 || offset > in->size || len > in->size - offset)
		abort(); /* the validator must stay inside the file */
	memcpy(buf, in->data + offset, len);
	return 0;
}

static void note_seen(void *ctx, uint32_t offset, const uint8_t *note)
{
	struct input *in = ctx;
	note_log_add(&in->notes, offset, note);
}

static uint64_t le(const uint8_t *p, unsigned bytes)
{
	uint64_t v = 0;
	while (bytes--)
		v = v << 8 | p[bytes];
	return v;
}

static uint32_t saturate(uint64_t v)
{
	return v > 0xffffffffu ? 0xffffffffu : (uint32_t)v;
}

static int by_paddr(const void *a, const void *b)
{
	uint32_t x = ((const struct pvh_segment *)a)->paddr;
	uint32_t y = ((const struct pvh_segment *)b)->paddr;
	return (x > y) - (x < y);
}

/*
 * Whether img's segments are exactly the file's PT_LOADs with a memory
 * size (offset 0 when there is no file data), read straight from the
 * accepted file's program headers, in either order.
 */
static bool same_loads(const uint8_t *d, const struct pvh_image *img)
{
	bool is64 = d[4] == 2;
	uint64_t phoff = le(d + (is64 ? 32 : 28), is64 ? 8 : 4);
	unsigned entsize = is64 ? 56 : 32, phnum = (unsigned)le(d + (is64 ? 56 : 44), 2);
	struct pvh_segment want[PVH_MAX_SEGMENTS], got[PVH_MAX_SEGMENTS];
	unsigned n = 0;

	for (unsigned i = 0; i < phnum; i++) {
		const uint8_t *p = d + phoff + (uint64_t)i * entsize;
		struct pvh_segment s;

		if (le(p, 4) != 1 /* PT_LOAD */)
			continue;
		if (is64)
			s = (struct pvh_segment){ saturate(le(p + 8, 8)), saturate(le(p + 24, 8)),
						  saturate(le(p + 32, 8)), saturate(le(p + 40, 8)) };
		else
			s = (struct pvh_segment){ (uint32_t)le(p + 4, 4), (uint32_t)le(p + 12, 4),
						  (uint32_t)le(p + 16, 4), (uint32_t)le(p + 20, 4) };
		if (!s.memsz)
			continue;
		if (!s.filesz)
			s.offset = 0;
		if (n == PVH_MAX_SEGMENTS)
			return false;
		want[n++] = s;
	}
	if (n != img->nseg)
		return false;
	memcpy(got, img->seg, n * sizeof(got[0]));
	qsort(want, n, sizeof(want[0]), by_paddr);
	qsort(got, n, sizeof(got[0]), by_paddr);
	return !memcmp(want, got, n * sizeof(got[0]));
}

static const struct mem_range rom_area[] = { { 0x1f000000, 0x1f100000 } };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct e820_entry map[QEMU_MAP_MAX];
	static unsigned nmap;
	static struct input in;
	in = (struct input){ .data = data, .size = size };
	static uint8_t elf_buf[PVH_ELF_BUF_SIZE];
	const struct pvh_reader reader = { .read = read_input, .ctx = &in, .size = size,
					   .note = note_seen, .buf = elf_buf };
	struct pvh_image img;
	struct pvh_elf_detail detail;
	struct freemem free_ram;
	char msg[128];

	if (!nmap)
		nmap = qemu_q35_e820(512ull << 20, map);
	freemem_init(&free_ram, map, nmap, pvh_memmap_count(nmap));
	freemem_remove(&free_ram, (uint32_t)rom_area[0].start, (uint32_t)rom_area[0].end);

	enum pvh_elf_error err = pvh_elf_check(&reader, &free_ram, &img, &detail);
	if ((unsigned)err >= PVH_ELF_ERROR_COUNT || err == PVH_ELF_READ_FAILED)
		abort();
	if (err == PVH_ELF_OK) {
		if (image_problem(&img, size, map, nmap, rom_area, 1, &in.notes) ||
		    !same_loads(data, &img))
			abort();
		for (unsigned i = 0; i < img.nseg; i++)
			if (!freemem_take(&free_ram, img.seg[i].paddr,
					  img.seg[i].paddr + img.seg[i].memsz))
				abort(); /* still free after being accepted */
		return 0;
	}
	memset(msg, 0x55, sizeof(msg));
	pvh_elf_message(err, &detail, msg, sizeof(msg));
	size_t n = strnlen(msg, sizeof(msg));
	if (n == 0 || n > 80)
		abort();
	return 0;
}
