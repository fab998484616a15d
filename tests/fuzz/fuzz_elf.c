// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target for common/pvh_elf.c: the input is the kernel file,
 * checked against a fixed q35 guest with 512 MiB of RAM and one range the
 * ROM keeps for itself.  Besides the sanitizers' findings, it aborts when
 * the validator reads outside the file or makes an empty read, when an
 * accepted image breaks an invariant of tests/unit/image_check.h, or when
 * a message is empty, too long or unterminated.
 *
 *   make fuzz FUZZ_SECONDS=600     (seeds: tests/fuzz/corpus)
 */
#define _POSIX_C_SOURCE 200809L
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
	freemem_init(&free_ram, map, nmap);
	freemem_remove(&free_ram, (uint32_t)rom_area[0].start, (uint32_t)rom_area[0].end);

	enum pvh_elf_error err = pvh_elf_check(&reader, &free_ram, &img, &detail);
	if ((unsigned)err >= PVH_ELF_ERROR_COUNT || err == PVH_ELF_READ_FAILED)
		abort();
	if (err == PVH_ELF_OK) {
		if (image_problem(&img, size, map, nmap, rom_area, 1, &in.notes))
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
