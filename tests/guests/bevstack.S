/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * bevstack.bin: a boot sector (loaded at 0:7c00) that moves its stack to
 * 0:9000 (or to the far address, offset then segment, after "STACKTOP"),
 * inside the RAM the ROM
 * copies itself to, and far-calls the boot
 * entry (BEV) of the first option ROM that has one, as a boot manager may.
 * The BEV returns on its caller's stack, so the ROM must not overwrite it:
 * it steps aside at once.  When the BEV returns the sector writes
 * "BEVSTACK: BEV returned" (or "BEVSTACK: no BEV") to the debug port and
 * exits QEMU through isa-debug-exit with status 67 (0x21).
 */
#include "bootsector.h"

#define EXIT_BEV_RETURNED 0x21
#define CALLER_STACK 0x9000

	BOOT_SECTOR_START
	cli
	mov caller_stack + 2, %ss
	mov caller_stack, %sp
	sti

	BOOT_FIRST_BEV msg_returned, msg_none, EXIT_BEV_RETURNED

	BOOT_SECTOR_ROUTINES

msg_returned:
	.asciz "BEVSTACK: BEV returned\n"
msg_none:
	.asciz "BEVSTACK: no BEV\n"
	/* The stack pointer at the call, which a test may patch: it follows
	 * the marker (offset, then segment). */
	.ascii "STACKTOP"
caller_stack:
	.word CALLER_STACK, 0

	BOOT_SECTOR_END
