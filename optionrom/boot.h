/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A boot is planned completely (every address chosen and checked) before the
 * ROM writes the first byte of guest memory; then it is carried out.
 */
#ifndef BOOT_H
#define BOOT_H

#include <stdbool.h>
#include <stdint.h>
#include "e820.h"
#include "freemem.h"
#include "fw_cfg.h"
#include "pvh_abi.h"
#include "pvh_elf.h"

#define PAGE_SIZE 4096u

/* The first byte of this image in RAM (rom.ld): the option ROM header. */
extern const uint8_t _image_start[];

/* A fw_cfg item: size 0 means absent (or empty, which is the same here). */
struct item {
	uint32_t size;
	uint16_t key;
};

/* An item to copy into guest memory. */
struct blob {
	struct item item;
	uint32_t addr; /* where it goes; 0 until placed */
};

/* Small fields first: they are reached with short displacements. */
struct boot_plan {
	uint32_t entry;
	union {
		struct {
			struct blob initrd;
			struct blob cmdline; /* one byte more is reserved for a NUL */
		};
		struct blob blobs[2]; /* both, for what is done to each alike */
	};
	unsigned nmap; /* entries of e820_table (memmap.h) */
	uint32_t kernel_addr, kernel_size; /* drop-in: where QEMU put the kernel */
	uint32_t setup_size; /* drop-in: 0 after QEMU's multiboot loader */
	/* The directory's opt/pvh/kernel and bootorder files.  The scan also
	 * fills initrd and cmdline from opt/pvh/initrd and opt/pvh/cmdline;
	 * drop-in mode then replaces them with QEMU's -initrd and -append. */
	struct item kernel, bootorder;
	char rom_file[FW_CFG_MAX_FILE_PATH]; /* genroms file of this ROM */

	/* RAM not yet given to the kernel, the initrd or the command line. */
	struct freemem free;
	struct pvh_image image; /* self-load: the validated ELF */
};

/* Drop-in: reads what QEMU's -kernel says about the kernel, the initrd
 * and the command line into the plan; entry stays 0 without a kernel. */
void read_dropin(struct boot_plan *p);

/* Each returns 0, or -1 after printing why the boot cannot go on. */
int plan_dropin(struct boot_plan *p);
int plan_selfload(struct boot_plan *p);
int place_blobs(struct boot_plan *p);
int load_selfload(struct boot_plan *p);
int load_blobs(struct boot_plan *p);

/* Fills start_info and the structures it points to; returns its address. */
struct hvm_start_info *build_start_info(const struct boot_plan *p);

/* One pass over the fw_cfg directory finds the files and rom_file. */
int scan_files(struct boot_plan *p);
/* This ROM's place in SeaBIOS's boot order, which only the INT 19h pass
 * (hook) needs: 0 first, -1 not named (and for a drop-in boot, which
 * QEMU's -kernel always puts first, and outside the hook pass, where the
 * BIOS is already following the order). */
int rom_bootorder_rank(const struct boot_plan *p, bool hook);

void enter_kernel(uint32_t entry, uint32_t start_info) __attribute__((noreturn));
void enable_a20(void);

#endif
