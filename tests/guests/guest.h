/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * PVH test guest: shared declarations.  The guest runs in 32-bit protected
 * mode without paging, exactly as the firmware entered it; everything is
 * single-threaded and interrupts stay off.
 */
#ifndef GUEST_H
#define GUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pvh_abi.h"

/* The machine state at the entry point, stored by entry.S before anything. */
struct entry_state {
	uint32_t eax, ebx, esp, eflags;
	uint32_t cr0, cr4;
	uint16_t cs, ds, es, ss, fs, gs, tr, pad;
	uint8_t gdtr[6]; /* limit (16 bits), base (32 bits) */
	uint8_t idtr[6];
	uint32_t eip;    /* where "call" says we run: must equal the link address */
} __attribute__((packed));

extern struct entry_state entry_state;
extern const char guest_variant[];      /* "elf32", "elf64", "multi" */
extern const uint32_t isr_stub_base[];  /* entry.S: 32 stubs of 16 bytes */

/* Linker script symbols. */
extern char __image_start[], __image_end[], __bss_start[], __bss_end[];
extern char __bigbss_start[], __bigbss_end[], _start[], entry_label[];

/* Port I/O. */
static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}
static inline void outw(uint16_t port, uint16_t v)
{
	__asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}
static inline void outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}
static inline uint8_t inb(uint16_t port)
{
	uint8_t v;
	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

/* Text output: to the debug port (the report) or COM1 (the demo). */
enum sink { SINK_DEBUG, SINK_SERIAL };
void out_set(enum sink s);
void out_char(char c);
void out_str(const char *s);
void out_hex(uint64_t v);          /* "0x" and lower-case digits */
void out_dec(uint32_t v);
void out_hex_pad(uint64_t v, unsigned digits); /* no "0x", zero-padded */
void out_key(const char *key, uint64_t v);     /* "key=0x...\n" */
void out_key2(const char *prefix, const char *key, uint64_t v);
void serial_init(void);

/* Small library. */
void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
size_t strlen(const char *s);
bool mem_is_zero(const void *p, size_t n);
uint32_t crc32(const void *p, size_t n);
bool cmdline_has_word(const char *cmdline, const char *word);

/* One segment register, decoded from the descriptor table it selects. */
struct seg_info {
	const char *name;
	uint16_t sel;
	bool in_gdt;      /* non-null, GDT (not LDT), inside the GDT limit */
	uint32_t base, limit; /* limit in bytes - 1, granularity applied */
	uint8_t access;   /* access byte: P, DPL, S, type */
	uint8_t flags;    /* G, D/B, L, AVL (the high nibble of byte 6) */
	bool lsl_ok, lar_ok;
	uint32_t lsl, lar; /* what the instructions return */
	int probe;        /* -1 not probed, 0 failed, 1 base 0 and 4 GiB limit */
};

enum { SEG_CS, SEG_DS, SEG_ES, SEG_SS, SEG_TR, SEG_COUNT };

/* Everything the guest found, decoded, for the report and the demo. */
struct guest_info {
	struct entry_state st;
	struct seg_info seg[SEG_COUNT];
	uint32_t gdt_base, gdt_limit;
	bool lsl_lar;     /* lsl and lar were run (not on KVM) */
	int a20;
	bool bss_zero, data_ok;
	uint32_t bss_size, boot;
	const struct hvm_start_info *si; /* NULL when EBX is 0 */
	bool si_magic_ok;
	const struct hvm_memmap_table_entry *memmap; /* NULL: absent/unreadable */
	const char *cmdline;          /* NULL: absent or unreadable */
	uint32_t cmdline_len;
	bool cmdline_terminated;      /* NUL found within CMDLINE_SCAN_MAX */
	const struct hvm_modlist_entry *mods;
	const uint8_t *rsdp;
	bool rsdp_sig_ok, rsdp_sum_ok;
	unsigned rsdp_rev;
	uint32_t rsdp_first, rsdp_count; /* the guest's own search (guest.c) */
	bool fw_cfg;                  /* fw_cfg signature "QEMU" seen */
	uint32_t fw_id, fw_kernel_addr, fw_kernel_size, fw_initrd_addr;
	uint32_t fw_initrd_size, fw_kernel_entry, fw_cmdline_size, fw_nb_cpus;
};

#define CMDLINE_SCAN_MAX 0x10000u
#define MEMMAP_PRINT_MAX 1024u
#define MODULES_PRINT_MAX 64u

/* A pointer to physical memory [addr, addr + len), NULL if 0 or >= 4 GiB. */
const void *phys(uint64_t addr, uint64_t len);

/* The human-readable summary printed to COM1 for `pvh.demo`; returns the
 * number of ABI problems it found. */
unsigned demo_print(const struct guest_info *gi);

/* Exit QEMU: isa-debug-exit status (QEMU exits with (v << 1) | 1). */
#define EXIT_REPORT_DONE 0x10 /* exit status 33 */
#define EXIT_FAULT 0x11       /* exit status 35: the guest took an exception */
#define EXIT_DEMO_PROBLEMS 0x12 /* exit status 37: the demo found ABI problems */
__attribute__((noreturn)) void guest_exit(uint32_t code);

#endif
