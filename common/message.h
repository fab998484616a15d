/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Every line the ROM can print after "pvh: ", in one table shared with the
 * host (pvh-inspect prints the ROM's exact words, the tests compare them).
 * A message carries up to two numbers, a and b, shown as 0x and eight hex
 * digits.
 */
#ifndef MESSAGE_H
#define MESSAGE_H

#include <stdint.h>
#include "pvh_elf.h"

enum pvh_message {
	/* 0 .. PVH_ELF_ERROR_COUNT - 1: the validator's enum pvh_elf_error. */
	MSG_NO_DIRECTORY = PVH_ELF_ERROR_COUNT, /* fw_cfg directory unreadable */
	MSG_NO_E820,              /* no valid E820 entry, a broken reply, or more than 128 */
	MSG_KERNEL_NOT_FREE,      /* drop-in kernel range (a, b) */
	MSG_ENTRY_NOT_IN_KERNEL,  /* drop-in entry point (a) */
	MSG_NO_ROOM_INITRD,       /* a = bytes */
	MSG_NO_ROOM_CMDLINE,      /* a = bytes */
	MSG_CMDLINE_TOO_LARGE,
	MSG_DMA_ERROR_KERNEL,
	MSG_DMA_ERROR_INITRD,
	MSG_DMA_ERROR_CMDLINE,
	MSG_COUNT                 /* "unknown error" */
};

/*
 * In the ROM, code that runs only once it gives up on a boot (printing
 * why): rom.ld places it after the read-only data, so that the code a boot
 * runs ends before the image's page boundary and that falls in data.
 * Under QEMU's TCG a translated block ends at a page boundary, and an
 * instruction across it takes a block of its own.
 */
#if __STDC_HOSTED__
#define ROM_COLD
#else
#define ROM_COLD __attribute__((section(".text_cold")))
#endif

/*
 * No message is longer than this, so that with "pvh: " before it a line
 * fits the 80 columns of the screen (the unit tests check every one).
 */
#define MESSAGE_MAX 75

/*
 * Writes message msg (at most MSG_COUNT, which is "unknown error") with
 * its numbers and a NUL into buf, which holds MESSAGE_MAX + 1 bytes.
 * Returns the length.  The ROM passes only messages it has (built with
 * ROM_SELFLOAD=0, none of the validator's); on the host,
 * pvh_elf_message() maps any other error number to MSG_COUNT.
 */
unsigned format_message(char *buf, unsigned msg, uint32_t a, uint32_t b);

#endif
