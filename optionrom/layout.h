/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Where the ROM lives in RAM while it runs, shared by the assembly, the C
 * code and the linker script.  docs/memory-map.md explains each choice.
 */
#ifndef LAYOUT_H
#define LAYOUT_H

/*
 * At boot (BEV or INT 19h) SeaBIOS has zeroed 0x7000-0x90000 and left it
 * free; its own stack sits just below 0x7000.  The ROM copies itself to
 * RUN_ADDR and keeps code, data, buffers and stack below RUN_LIMIT, so that
 * every address fits a real-mode offset with segment 0 (BIOS calls).
 */
#define RUN_ADDR 0x8000
#define RUN_LIMIT 0x10000
#define STACK_SIZE 0x1000

/* Room for E820 entries (the INT 15h loop in entry.S, memmap.c). */
#define E820_TABLE_ENTRIES 128

/* GDT selectors (see gdt in entry.S). */
#define SEL_CODE32 0x08
#define SEL_DATA32 0x10
#define SEL_TSS 0x18
#define SEL_CODE16 0x20
#define SEL_DATA16 0x28

/* How the ROM was entered; the C entry point gets one of these. */
#define ENTRY_BEV 1
#define ENTRY_INT19 2

/*
 * Benchmark builds (-DPVH_BENCH_PROBE, bench/bench.mk) write this byte to
 * the debug port as the INT 19h hook starts, so that bench/bench.py can
 * time the ROM's phase from there.  The ROM that ships has no such write.
 */
#define BENCH_PROBE_PORT 0x402
#define BENCH_PROBE_BYTE 0x01

#endif
