// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of the shared helpers: common/e820.c, common/freemem.c,
 * common/message.c (the ROM's own messages), common/acpi.c (the RSDP
 * scan), common/bootorder.c (the ROM's place in the boot order), and the
 * host's QEMU memory-map model (tools/qemu_map.c).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acpi.h"
#include "bootorder.h"
#include "check.h"
#include "e820.h"
#include "freemem.h"
#include "message.h"
#include "qemu_map.h"

#define MIB 0x100000ull
#define RAM(a, s) { (a), (s), E820_RAM, 1 }
#define RES(a, s) { (a), (s), E820_RESERVED, 1 }
#define N(map) (sizeof(map) / sizeof((map)[0]))

static void test_range_is_ram(void)
{
	const struct e820_entry one[] = { RAM(MIB, 15 * MIB) };
	CHECK(e820_range_is_ram(one, 1, MIB, 16 * MIB), "whole entry");
	CHECK(e820_range_is_ram(one, 1, 2 * MIB, 3 * MIB), "inside");
	CHECK(!e820_range_is_ram(one, 1, MIB - 1, 2 * MIB), "starts one byte early");
	CHECK(!e820_range_is_ram(one, 1, 15 * MIB, 16 * MIB + 1), "ends one byte late");
	CHECK(!e820_range_is_ram(one, 1, 2 * MIB, 2 * MIB), "empty range");
	CHECK(!e820_range_is_ram(one, 1, 3 * MIB, 2 * MIB), "reversed range");
	CHECK(!e820_range_is_ram(one, 0, 2 * MIB, 3 * MIB), "empty map");

	/* Adjacent and overlapping RAM entries count as one, in any order. */
	const struct e820_entry adjacent[] = { RAM(2 * MIB, MIB), RAM(MIB, MIB), RAM(3 * MIB, MIB) };
	CHECK(e820_range_is_ram(adjacent, 3, MIB, 4 * MIB), "three adjacent entries");
	CHECK(e820_range_is_ram(adjacent, 3, MIB + 5, 3 * MIB + 5), "across two edges");
	const struct e820_entry gap[] = { RAM(MIB, MIB), RAM(2 * MIB + 1, MIB) };
	CHECK(!e820_range_is_ram(gap, 2, MIB, 3 * MIB), "one-byte gap");
	CHECK(e820_range_is_ram(gap, 2, 2 * MIB + 1, 3 * MIB + 1), "after the gap");
	const struct e820_entry overlapping[] = { RAM(MIB, 2 * MIB), RAM(2 * MIB, 2 * MIB) };
	CHECK(e820_range_is_ram(overlapping, 2, MIB, 4 * MIB), "overlapping entries");

	/* Any other type inside or overlapping the range wins over RAM. */
	const struct e820_entry holed[] = { RAM(MIB, 15 * MIB), RES(8 * MIB, 4096) };
	CHECK(!e820_range_is_ram(holed, 2, 7 * MIB, 9 * MIB), "reserved inside");
	CHECK(!e820_range_is_ram(holed, 2, 8 * MIB + 4095, 9 * MIB), "last reserved byte");
	CHECK(e820_range_is_ram(holed, 2, 8 * MIB + 4096, 9 * MIB), "just after reserved");
	CHECK(e820_range_is_ram(holed, 2, MIB, 8 * MIB), "just before reserved");
	const struct e820_entry acpi[] = { RAM(MIB, 15 * MIB), { 15 * MIB, MIB, E820_ACPI, 1 } };
	CHECK(!e820_range_is_ram(acpi, 2, 14 * MIB, 16 * MIB), "ACPI over RAM");

	/* Sizes that wrap around are saturated, not wrapped. */
	const struct e820_entry wraps[] = { RAM(MIB, UINT64_MAX) };
	CHECK(e820_range_is_ram(wraps, 1, MIB, UINT64_MAX), "wrapping RAM entry");
	const struct e820_entry wraps_res[] = { RAM(MIB, 15 * MIB), RES(UINT64_MAX - 10, 100) };
	CHECK(e820_range_is_ram(wraps_res, 2, MIB, 2 * MIB), "wrapping reserved entry far away");

	/* An entry of size 0 covers nothing, of either type, and adds no RAM. */
	const struct e820_entry empty_res[] = { RAM(MIB, 15 * MIB), RES(2 * MIB, 0) };
	CHECK(e820_range_is_ram(empty_res, 2, MIB, 16 * MIB), "empty reserved entry inside RAM");
	const struct e820_entry empty_ram[] = { RAM(MIB, 15 * MIB), RAM(32 * MIB, 0) };
	CHECK(!e820_range_is_ram(empty_ram, 2, 32 * MIB, 33 * MIB), "empty RAM entry");
	CHECK(e820_ram_below(empty_ram, 2, UINT64_MAX) == 15 * MIB, "empty RAM entry counted");

	/* An entry across the limit counts up to it; one starting there, not at all. */
	const struct e820_entry across[] = { RAM(MIB, 15 * MIB), RAM(16 * MIB, 16 * MIB) };
	CHECK(e820_ram_below(across, 2, 24 * MIB) == 23 * MIB, "entry across the limit");
	CHECK(e820_ram_below(across, 2, 16 * MIB) == 15 * MIB, "entry starting at the limit");
}

/* True when exactly [a, b) and [c, d) are free (a < b <= c < d), whatever the alignment. */
static int free_is(const struct freemem *f, uint32_t a, uint32_t b, uint32_t c, uint32_t d)
{
	struct freemem g = *f;
	return freemem_take(&g, a, b) == 0 && freemem_take(&g, c, d) == 0 &&
	       freemem_alloc_top(&g, 1, 1) == 0;
}

static void test_freemem(void)
{
	struct freemem f;
	const struct e820_entry map[] = { RAM(0, 0x9fc00), RES(0x9fc00, 0x400), RES(0xf0000, 0x10000),
					  RAM(MIB, 0x1ffe0000 - MIB), RES(0x1ffe0000, 0x20000),
					  RAM(1ull << 32, 1ull << 32) };

	freemem_init(&f, map, N(map), N(map));
	/* RAM spans first (the one above FREEMEM_TOP is empty: left out),
	 * then the reserved ones. */
	CHECK(f.nram == 2 && f.n == 5 && f.s[1].start == MIB && f.s[1].end == 0x1ffe0000 &&
	      f.s[4].start == 0x1ffe0000, "512 MiB: 2 RAM spans, 5 in all (%u, %u)", f.nram, f.n);
	CHECK(free_is(&f, MIB, 16 * MIB, 16 * MIB, 0x1ffe0000), "512 MiB: free from 1 MiB");
	CHECK(freemem_take(&f, 0x1ffdf000, 0x1ffe0000) == 0, "take the last page");
	CHECK(freemem_take(&f, 0x1ffdf000, 0x1ffe0000) != 0, "take it again");
	CHECK(freemem_take(&f, 0x1ffde000, 0x1ffdf001) != 0, "one byte over a taken page");
	CHECK(freemem_take(&f, 0xff000, 0x101000) != 0, "across 1 MiB");
	CHECK(freemem_take(&f, 2 * MIB, 2 * MIB) != 0, "empty");
	CHECK(freemem_take(&f, 3 * MIB, 2 * MIB) != 0, "reversed");
	CHECK(freemem_take(&f, 16 * MIB, 17 * MIB) == 0, "a segment at 16 MiB");
	CHECK(freemem_take(&f, 17 * MIB, 18 * MIB) == 0, "the next one, adjacent");
	CHECK(freemem_take(&f, 16 * MIB + 4096, 16 * MIB + 8192) != 0, "inside a taken one");
	CHECK(free_is(&f, MIB, 16 * MIB, 18 * MIB, 0x1ffdf000), "what is left");

	uint32_t a = freemem_alloc_top(&f, 0x1000, 0x1000);
	CHECK(a == 0x1ffde000, "alloc_top below the taken page: 0x%x", a);
	a = freemem_alloc_top(&f, 0x10000, 0x200000);
	CHECK(a == 0x1fe00000, "alloc_top 2 MiB aligned: 0x%x", a);
	CHECK(freemem_alloc_top(&f, 0x20000000, 0x1000) == 0, "alloc_top too big");
	CHECK(freemem_alloc_top(&f, 0, 0x1000) == 0, "alloc_top of nothing");

	/* RAM above FREEMEM_TOP and below 1 MiB is out.  (Adjacent RAM
	 * entries are not joined: a range across two of them is refused;
	 * SeaBIOS merges adjacent entries of a type itself.) */
	const struct e820_entry adj[] = { RAM(2 * MIB, MIB), RAM(MIB, MIB), RAM(0xfff00000, 0x200000),
					  RAM(0, MIB + 4096) };
	freemem_init(&f, adj, N(adj), N(adj));
	CHECK(freemem_take(&f, 0xff000, MIB + 4096) != 0, "across 1 MiB");
	CHECK(freemem_take(&f, MIB, 2 * MIB) == 0 && freemem_take(&f, 2 * MIB, 3 * MIB) == 0,
	      "the two entries");
	CHECK(freemem_take(&f, 0xfff00000, FREEMEM_TOP) == 0, "up to FREEMEM_TOP");
	CHECK(freemem_take(&f, FREEMEM_TOP, FREEMEM_TOP + 1) != 0, "past FREEMEM_TOP");
	CHECK(freemem_alloc_top(&f, 1, 1) == 0, "nothing else is free");

	/* Sizes of 4 GiB or more (64-bit fields): RAM up to FREEMEM_TOP, and a
	 * reserved entry that takes everything above its start. */
	const struct e820_entry big[] = { RAM(MIB, 1ull << 32), RES(0x80000000, (1ull << 32) + 4096) };
	freemem_init(&f, big, 1, 1);
	CHECK(freemem_take(&f, MIB, FREEMEM_TOP) == 0, "RAM of 4 GiB: free up to FREEMEM_TOP");
	freemem_init(&f, big, N(big), N(big));
	CHECK(freemem_take(&f, MIB, 0x80000000) == 0, "below the big reserved entry");
	CHECK(freemem_take(&f, 0x80000000, 0x80001000) != 0 &&
	      freemem_take(&f, 0x90000000, 0x90001000) != 0, "inside the big reserved entry");

	/* A reserved entry inside RAM splits it, whatever the order. */
	const struct e820_entry split[] = { RES(8 * MIB, MIB), RAM(MIB, 15 * MIB) };
	freemem_init(&f, split, N(split), N(split));
	CHECK(freemem_take(&f, 7 * MIB, 10 * MIB) != 0, "across the reserved hole");
	CHECK(freemem_take(&f, MIB, 8 * MIB) == 0 && freemem_take(&f, 9 * MIB, 16 * MIB) == 0,
	      "both sides of the hole");
	freemem_init(&f, split, 0, 0);
	CHECK(f.n == 0 && freemem_take(&f, MIB, 2 * MIB) != 0, "empty map");

	/* Zero-sized entries are nothing; the last one is the map's end. */
	const struct e820_entry zero[] = { RAM(MIB, 15 * MIB), RES(8 * MIB, 0), RAM(9 * MIB, 0) };
	freemem_init(&f, zero, N(zero), N(zero));
	CHECK(f.n == 1 && freemem_take(&f, 7 * MIB, 10 * MIB) == 0, "zero-sized entries");

	/* alloc_top: highest aligned fit, in one RAM entry, below what is in
	 * the way, and not past a longer map than the list holds. */
	const struct e820_entry holes[] = { RAM(MIB, 7 * MIB), RAM(8 * MIB, 8 * MIB),
					    RES(12 * MIB, MIB) };
	freemem_init(&f, holes, N(holes), N(holes));
	CHECK(freemem_alloc_top(&f, 3 * MIB, 0x1000) == 13 * MIB, "above the hole");
	CHECK(freemem_alloc_top(&f, 3 * MIB, 0x1000) == 9 * MIB, "below the hole");
	CHECK(freemem_alloc_top(&f, 2 * MIB, 0x1000) == 6 * MIB, "not across two RAM entries");
	CHECK(freemem_alloc_top(&f, 0x1000, 8 * MIB) == 8 * MIB, "8 MiB aligned");
	CHECK(freemem_alloc_top(&f, 0x1000, 4 * MIB) == 4 * MIB, "4 MiB aligned, below");
	CHECK(freemem_alloc_top(&f, 5 * MIB, 0x1000) == 0, "5 MiB: no gap that large");
	static struct e820_entry many[FREEMEM_MAX_MAP + 1];
	for (unsigned i = 0; i < N(many); i++)
		many[i] = (struct e820_entry)RAM(MIB * (i + 1), MIB);
	freemem_init(&f, many, N(many) - 1, N(many) - 1);
	CHECK(freemem_take(&f, MIB, 2 * MIB) == 0, "the longest map");
	for (unsigned i = 0; i < FREEMEM_MAX_SPANS - FREEMEM_MAX_MAP; i++)
		freemem_take(&f, MIB * (i + 2), MIB * (i + 3));
	CHECK(freemem_take(&f, 0x7f000000, 0x7f001000) != 0 && f.n == FREEMEM_MAX_SPANS,
	      "the list full: nothing taken");
	freemem_init(&f, many, N(many), N(many));
	CHECK(freemem_take(&f, MIB, 2 * MIB) != 0, "a map too long: nothing free");
	/* RAM only from the entries the kernel is told about; the others'
	 * reserved ranges still count. */
	const struct e820_entry untold[] = { RAM(MIB, MIB), RES(MIB + 0x1000, 0x1000),
					     RAM(8 * MIB, MIB), RES(MIB, 0x1000) };
	freemem_init(&f, untold, N(untold), 2);
	CHECK(freemem_take(&f, 8 * MIB, 9 * MIB) != 0, "RAM the kernel is not told of");
	CHECK(freemem_take(&f, MIB, MIB + 0x1000) != 0, "an untold reserved entry");
	CHECK(free_is(&f, MIB + 0x2000, 3 * MIB / 2, 3 * MIB / 2, 2 * MIB), "the rest of the told RAM");
}

/*
 * The free list against a model that asks each question of the map and
 * the taken ranges directly: random maps of up to 8 entries (RAM and
 * reserved, overlapping at will, some past 4 GiB or FREEMEM_TOP), random
 * takes, and allocations checked to be the highest aligned free range.
 * Addresses are multiples of 16 KiB (plus odd bytes at times) up to 4 MiB,
 * so that the model can try every aligned address (RAM lies there only;
 * reserved entries also just below FREEMEM_TOP, and entries of either
 * type above 4 GiB).
 */
#define MODEL_UNIT 0x4000u
#define MODEL_SPACE 0x400000u
static struct e820_entry model_map[8];
static unsigned model_n, model_ntaken;
static uint32_t model_taken[24][2];

static uint32_t model_rand(void)
{
	static uint32_t x = 12345;

	x = x * 1103515245u + 12345u;
	return x >> 8;
}

static int model_free(uint32_t start, uint32_t end)
{
	int in_ram = 0;

	if (start >= end || start < FREEMEM_BOTTOM)
		return 0;
	for (unsigned i = 0; i < model_n; i++) {
		uint64_t a = model_map[i].addr, b = a + model_map[i].size;
		if (b > FREEMEM_TOP)
			b = FREEMEM_TOP;
		if (model_map[i].type == E820_RAM)
			in_ram |= a <= start && end <= b;
		else if (a < b && a < end && start < b)
			return 0;
	}
	for (unsigned i = 0; i < model_ntaken; i++)
		if (model_taken[i][0] < end && start < model_taken[i][1])
			return 0;
	return in_ram;
}

static void test_freemem_against_model(void)
{
	static struct freemem f;
	unsigned takes = 0, allocs = 0;

	for (unsigned round = 0; round < 20000; round++) {
		model_n = 1 + model_rand() % 8;
		model_ntaken = 0;
		for (unsigned i = 0; i < model_n; i++) {
			struct e820_entry *e = &model_map[i];
			e->addr = (uint64_t)(model_rand() % (MODEL_SPACE / MODEL_UNIT)) * MODEL_UNIT;
			if (model_rand() % 16 == 0)
				e->addr += (model_rand() % 2) ? 1ull << 32 : FREEMEM_TOP - MODEL_UNIT;
			e->size = (uint64_t)(model_rand() % 128) * MODEL_UNIT +
				  (model_rand() % 4 == 0 ? model_rand() % MODEL_UNIT : 0);
			e->type = model_rand() % 3 ? E820_RAM : 2;
			if (e->addr >= MODEL_SPACE && e->addr < 1ull << 32)
				e->type = 2; /* RAM there would put allocations out of the model's reach */
		}
		freemem_init(&f, model_map, model_n, model_n);
		for (unsigned k = 0; k < 6 && model_ntaken < 24; k++) {
			uint32_t start, end;
			int ok;
			if (model_rand() % 2) {
				start = (model_rand() % (MODEL_SPACE / MODEL_UNIT)) * MODEL_UNIT +
					(model_rand() % 2 ? model_rand() % MODEL_UNIT : 0);
				end = start + (model_rand() % 32) * MODEL_UNIT + model_rand() % 3;
				ok = model_free(start, end);
				int r = freemem_take(&f, start, end);
				CHECK((r == 0) == ok, "round %u: take [%#x, %#x) gave %d, the model %d",
				      round, start, end, r, ok);
				takes++;
			} else {
				uint32_t size = 1 + model_rand() % (32 * MODEL_UNIT);
				uint32_t align = MODEL_UNIT << (model_rand() % 4);
				uint32_t best = 0;
				for (uint32_t a = MODEL_SPACE * 2; a >= FREEMEM_BOTTOM; a -= align)
					if (model_free(a, a + size)) {
						best = a;
						break;
					}
				start = freemem_alloc_top(&f, size, align);
				CHECK(start == best, "round %u: alloc %#x aligned %#x gave %#x, the model %#x",
				      round, size, align, start, best);
				ok = best != 0;
				end = best + size;
				allocs++;
			}
			if (ok) {
				model_taken[model_ntaken][0] = start;
				model_taken[model_ntaken++][1] = end;
			}
		}
	}
	CHECK(takes > 10000 && allocs > 10000, "%u takes, %u allocations", takes, allocs);
}

/* common/message.c built as for a ROM without self-loading (unit.mk). */
unsigned format_message_dropin(char *buf, unsigned msg, uint32_t a, uint32_t b);

/*
 * The ROM's own messages (the validator's are checked by elf-test), from
 * both tables: the whole one, and the drop-in-only ROM's, which leaves out
 * the validator's words and messages.
 */
static void test_messages(void)
{
	static const char *const expected[MSG_COUNT - MSG_NO_DIRECTORY] = {
		"cannot read the fw_cfg file directory",
		"the BIOS's E820 memory map is missing, broken or more than 128 entries long",
		"kernel 0x11111111 - 0x22222222 is not in free RAM",
		"entry point 0x11111111 is outside the kernel",
		"no room below 4 GiB for the initrd (0x11111111 bytes)",
		"no room below 4 GiB for the command line (0x11111111 bytes)",
		"command line too large",
		"fw_cfg DMA error while loading the kernel",
		"fw_cfg DMA error while loading the initrd",
		"fw_cfg DMA error while loading the command line",
	};
	char buf[MESSAGE_MAX + 1 + 16];
	unsigned n;

	for (unsigned m = MSG_NO_DIRECTORY; m < MSG_COUNT; m++) {
		n = format_message(buf, m, 0x11111111, 0x22222222);
		CHECK(!strcmp(buf, expected[m - MSG_NO_DIRECTORY]) && n == strlen(buf),
		      "message %u: '%s' (%u)", m, buf, n);
		n = format_message_dropin(buf, m, 0x11111111, 0x22222222);
		CHECK(!strcmp(buf, expected[m - MSG_NO_DIRECTORY]) && n == strlen(buf),
		      "drop-in-only table, message %u: '%s' (%u)", m, buf, n);
	}
	format_message(buf, MSG_COUNT, 0, 0);
	CHECK(!strcmp(buf, "unknown error"), "past the end: '%s'", buf);
	format_message_dropin(buf, MSG_COUNT, 0, 0);
	CHECK(!strcmp(buf, "unknown error"), "drop-in-only table, past the end: '%s'", buf);
	format_message(buf, MSG_KERNEL_NOT_FREE, 0xdeadbeef, 0);
	CHECK(!strcmp(buf, "kernel 0xdeadbeef - 0x00000000 is not in free RAM"), "'%s'", buf);

	/* Every message fits the buffer the ROM gives it. */
	for (unsigned m = 0; m <= MSG_COUNT; m++) {
		memset(buf, 'x', sizeof(buf));
		n = format_message(buf, m, 0xffffffff, 0xffffffff);
		CHECK(n <= MESSAGE_MAX && strlen(buf) == n, "message %u: %u bytes", m, n);
		for (unsigned i = MESSAGE_MAX + 1; i < sizeof(buf); i++)
			CHECK(buf[i] == 'x', "message %u wrote past MESSAGE_MAX + 1", m);
	}
}

/* Byte sum of p[0..n). */
static uint8_t sum(const uint8_t *p, uint32_t n)
{
	uint8_t s = 0;
	while (n--)
		s = (uint8_t)(s + *p++);
	return s;
}

/*
 * An RSDP at p with both checksums right: revision rev and, from
 * revision 2 on, the length field len (the extended checksum, byte 32,
 * set only when len covers it).  Writes max(20, len) bytes, and at
 * least 32 from revision 2 on.
 */
static void put_rsdp(uint8_t *p, uint8_t rev, uint32_t len)
{
	memset(p, 0, len > RSDP_V1_LENGTH ? len : RSDP_V1_LENGTH);
	memcpy(p, "RSD PTR ", 8);
	memcpy(p + 9, "BOCHS ", 6); /* OEM ID */
	p[15] = rev;
	memcpy(p + 16, "\x00\x00\xfe\x1f", 4); /* RSDT address */
	p[8] = (uint8_t)-sum(p, RSDP_V1_LENGTH);
	if (rev < 2)
		return;
	memcpy(p + 20, &len, 4);
	memcpy(p + 24, "\x00\x10\xfe\x1f\0\0\0\0", 8); /* XSDT address */
	if (len > 32)
		p[32] = (uint8_t)-sum(p, len);
}

/*
 * rsdp_scan() over an exact copy of the first len bytes of buf (so that
 * AddressSanitizer sees any read past them): the offset found, or -1.
 */
static long scan(const uint8_t *buf, uint32_t len)
{
	uint8_t *copy = malloc(len ? len : 1);
	const uint8_t *found;
	long at;

	memcpy(copy, buf, len);
	found = rsdp_scan(copy, len);
	at = found ? found - copy : -1;
	free(copy);
	return at;
}

static void test_rsdp_scan(void)
{
	static uint8_t b[2048];
	long at;

	/* Revision 0: 20 bytes, found on its 16-byte boundary. */
	memset(b, 0xff, sizeof(b));
	put_rsdp(b + 48, 0, 0);
	CHECK((at = scan(b, 256)) == 48, "revision 0 at 48: %ld", at);
	CHECK((at = scan(b, 68)) == 48, "exactly 20 bytes left: %ld", at);
	CHECK((at = scan(b, 67)) == -1, "19 bytes left: %ld", at);
	put_rsdp(b, 1, 0);
	CHECK((at = scan(b, RSDP_V1_LENGTH)) == 0, "revision 1, 20-byte buffer: %ld", at);
	CHECK((at = scan(b, RSDP_V1_LENGTH - 1)) == -1, "19-byte buffer: %ld", at);
	CHECK((at = scan(b, 0)) == -1, "empty buffer: %ld", at);

	/* Signature (either half, the checksum kept right) and checksum. */
	memset(b, 0xff, sizeof(b));
	put_rsdp(b + 32, 0, 0);
	b[32] = 'r';
	b[40] -= 'r' - 'R';
	CHECK((at = scan(b, 256)) == -1, "\"rSD PTR \": %ld", at);
	put_rsdp(b + 32, 0, 0);
	b[39] = '\0';
	b[40] += ' ';
	CHECK((at = scan(b, 256)) == -1, "\"RSD PTR\\0\": %ld", at);
	put_rsdp(b + 32, 0, 0);
	b[40]++;
	CHECK((at = scan(b, 256)) == -1, "bad checksum: %ld", at);
	put_rsdp(b + 32, 0, 0);
	b[52]++; /* past the 20 bytes: not checked for revision 0 */
	CHECK((at = scan(b, 256)) == 32, "revision 0, byte 20 changed: %ld", at);

	/* Not on a 16-byte boundary: not found, wherever it is. */
	for (unsigned off = 33; off < 48; off++) {
		memset(b, 0xff, sizeof(b));
		put_rsdp(b + off, 0, 0);
		CHECK((at = scan(b, 256)) == -1, "at %u: %ld", off, at);
	}

	/* Revision 2: the length field and the extended checksum. */
	memset(b, 0xff, sizeof(b));
	put_rsdp(b + 64, 2, RSDP_V2_MIN_LENGTH);
	CHECK((at = scan(b, 256)) == 64, "revision 2, 36 bytes: %ld", at);
	CHECK((at = scan(b, 64 + RSDP_V2_MIN_LENGTH)) == 64, "exactly 36 bytes left: %ld", at);
	CHECK((at = scan(b, 64 + RSDP_V2_MIN_LENGTH - 1)) == -1, "35 bytes left: %ld", at);
	CHECK((at = scan(b, 64 + 20)) == -1, "20 bytes left: %ld", at);
	b[64 + 32]++;
	CHECK((at = scan(b, 256)) == -1, "bad extended checksum: %ld", at);
	put_rsdp(b + 64, 2, RSDP_V2_MIN_LENGTH);
	b[64 + 35]++; /* the last byte the length covers */
	CHECK((at = scan(b, 256)) == -1, "byte 35 changed: %ld", at);
	put_rsdp(b + 64, 2, RSDP_V2_MIN_LENGTH);
	b[64 + 36]++; /* past it */
	CHECK((at = scan(b, 256)) == 64, "byte 36 changed: %ld", at);
	put_rsdp(b + 64, 2, 35);
	CHECK((at = scan(b, 256)) == -1, "length 35: %ld", at);
	put_rsdp(b + 64, 2, RSDP_V1_LENGTH);
	CHECK((at = scan(b, 256)) == -1, "length 20: %ld", at);
	put_rsdp(b + 64, 2, 0);
	CHECK((at = scan(b, 256)) == -1, "length 0: %ld", at);
	put_rsdp(b + 64, 2, 100);
	CHECK((at = scan(b, 256)) == 64, "length 100: %ld", at);
	CHECK((at = scan(b, 164)) == 64, "length 100, exactly 100 bytes left: %ld", at);
	CHECK((at = scan(b, 163)) == -1, "length 100, 99 bytes left: %ld", at);
	b[64 + 99]++; /* the last byte the length covers, past the first 36 */
	CHECK((at = scan(b, 256)) == -1, "length 100, byte 99 changed: %ld", at);
	put_rsdp(b + 64, 2, 100);
	put_rsdp(b, 2, RSDP_MAX_LENGTH);
	CHECK((at = scan(b, sizeof(b))) == 0, "length 1024: %ld", at);
	put_rsdp(b, 2, RSDP_MAX_LENGTH + 1);
	CHECK((at = scan(b, sizeof(b))) == -1, "length 1025: %ld", at);
	put_rsdp(b, 2, RSDP_V2_MIN_LENGTH);
	memcpy(b + 20, "\xff\xff\xff\xff", 4); /* outside the first checksum */
	CHECK((at = scan(b, sizeof(b))) == -1, "length 0xffffffff: %ld", at);

	/* The first valid one counts, after invalid ones. */
	memset(b, 0xff, sizeof(b));
	put_rsdp(b + 16, 0, 0);
	b[16 + 8]++;
	put_rsdp(b + 48, 2, RSDP_V2_MIN_LENGTH);
	b[48 + 32]++;
	put_rsdp(b + 112, 0, 0);
	put_rsdp(b + 160, 2, RSDP_V2_MIN_LENGTH);
	CHECK((at = scan(b, 256)) == 112, "after a bad checksum and a bad extended one: %ld", at);
	CHECK((at = scan(b + 128, 128)) == 32, "the next one: %ld", at);
}

static void test_qemu_map(void)
{
	struct e820_entry map[QEMU_MAP_MAX];
	uint64_t v = 0;
	unsigned n;

	CHECK(!qemu_parse_ram_size("512M", &v) && v == 512 * MIB, "512M");
	CHECK(!qemu_parse_ram_size("512", &v) && v == 512 * MIB, "plain number is MiB");
	CHECK(!qemu_parse_ram_size("6G", &v) && v == 6 * 1024 * MIB, "6G");
	CHECK(!qemu_parse_ram_size("6g", &v) && v == 6 * 1024 * MIB, "6g");
	CHECK(!qemu_parse_ram_size("4096k", &v) && v == 4 * MIB, "4096k");
	CHECK(!qemu_parse_ram_size("1T", &v) && v == 1ull << 40, "1T");
	const char *bad[] = { "", "M", "-1G", "12Q", "1M5", "0", "1K", "1M", "2T", "1.5G",
			      "99999999999999999999999G", "512MB", " 512M" };
	for (unsigned i = 0; i < N(bad); i++)
		CHECK(qemu_parse_ram_size(bad[i], &v) != 0, "'%s' accepted", bad[i]);

	n = qemu_q35_e820(512 * MIB, map);
	CHECK(e820_ram_below(map, n, 1ull << 32) == 0x9fc00 + 0x1ffe0000 - MIB, "512M low RAM");
	CHECK(e820_ram_below(map, n, UINT64_MAX) == e820_ram_below(map, n, 1ull << 32), "512M: none high");
	CHECK(e820_range_is_ram(map, n, MIB, 0x1ffe0000) && !e820_range_is_ram(map, n, MIB, 0x1ffe0001),
	      "512M: RAM ends below SeaBIOS's top 128 KiB");
	CHECK(!e820_range_is_ram(map, n, 0x9fc00, 0x9fc01) && e820_range_is_ram(map, n, 0x1000, 0x9fc00),
	      "512M: EBDA");

	n = qemu_q35_e820(0xb0000000ull - MIB, map);
	CHECK(e820_range_is_ram(map, n, MIB, 0xb0000000ull - MIB - 0x20000), "just below the split: all low");
	n = qemu_q35_e820(0xb0000000ull, map);
	CHECK(!e820_range_is_ram(map, n, 0x7ffe0000, 0x7ffe1000) && e820_range_is_ram(map, n, MIB, 0x7ffe0000),
	      "at the split: low RAM ends at 2 GiB");
	CHECK(e820_range_is_ram(map, n, 1ull << 32, (1ull << 32) + 0x30000000) &&
	      !e820_range_is_ram(map, n, 1ull << 32, (1ull << 32) + 0x30000001), "at the split: the rest high");
	n = qemu_q35_e820(6ull << 30, map);
	CHECK(e820_ram_below(map, n, UINT64_MAX) - e820_ram_below(map, n, 1ull << 32) == 4ull << 30,
	      "6G: 4 GiB above 4 GiB");
	CHECK(!e820_range_is_ram(map, n, 0xb0000000ull, 0xb0000001ull), "6G: MMCONFIG");
}

/* bootorder_rank() over a NUL-terminated text, as the ROM reads it. */
static int rank(const char *text, const char *file)
{
	return bootorder_rank(text, (uint32_t)strlen(text), file);
}

static void test_bootorder_rank(void)
{
	const char *order = "/pci@i0cf8/*@2\n/rom@genroms/pvh.bin.old\n"
			    "/rom@genroms/pvh.bin\n/rom@genroms/pvh.bi\n";
	int r;

	CHECK((r = rank(order, "genroms/pvh.bin")) == 2, "whole line only: %d", r);
	CHECK((r = rank(order, "genroms/pvh.bin.old")) == 1, "the longer name: %d", r);
	CHECK((r = rank(order, "genroms/pvh.bi")) == 3, "the shorter name: %d", r);
	CHECK((r = rank(order, "genroms/pvh")) == -1, "a prefix of each: %d", r);
	CHECK((r = rank("/rom@genroms/pvh.bin", "genroms/pvh.bin")) == 0,
	      "the last line, no newline: %d", r);
	CHECK((r = rank("/pci@i0cf8/rom@genroms/pvh.bin\n", "genroms/pvh.bin")) == -1,
	      "not at the line's start: %d", r);
	CHECK((r = rank("", "genroms/pvh.bin")) == -1, "empty: %d", r);
}

int main(void)
{
	test_range_is_ram();
	test_freemem();
	test_freemem_against_model();
	test_messages();
	test_rsdp_scan();
	test_bootorder_rank();
	test_qemu_map();
	printf("common-test: %u checks, %u failures\n", checks, failures);
	return failures != 0;
}
