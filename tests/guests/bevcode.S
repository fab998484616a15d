/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * bevcode.bin: a boot sector (loaded at 0:7c00) that far-calls the boot
 * entry (BEV) of the first option ROM that has one from code at 0:9000 (or
 * at the far address, offset then segment, after "CODEADDR"), inside the RAM the ROM copies
 * itself to, with its stack below that RAM (0:7000).  The BEV returns to
 * that code, which the ROM's copy of itself would overwrite: it must step
 * aside at once.  When the BEV returns the sector writes "BEVCODE: BEV
 * returned" (or "BEVCODE: no BEV") to the debug port and exits QEMU through
 * isa-debug-exit with status 67 (0x21).
 */
#include "bootsector.h"

#define EXIT_BEV_RETURNED 0x21
#define CALLER_STACK 0x7000
#define CALLER_CODE 0x9000

	BOOT_SECTOR_START
	cli
	mov %ax, %ss
	mov $CALLER_STACK, %sp
	sti
	mov $msg_none, %si
	call find_bev
	jc 1f
	/* The caller: "lcall *bev; lret" (absolute operands), copied to
	 * code_addr and far-called there. */
	mov code_addr + 2, %ax
	mov %ax, %es
	mov $caller, %si
	mov code_addr, %di
	mov $(caller_end - caller), %cx
	rep movsb
	lcall *code_addr
	mov $msg_returned, %si
1:	mov $EXIT_BEV_RETURNED, %bl
	jmp report_exit

caller:
	lcall *bev
	lret
caller_end:

	BOOT_SECTOR_ROUTINES

msg_returned:
	.asciz "BEVCODE: BEV returned\n"
msg_none:
	.asciz "BEVCODE: no BEV\n"
	/* Where the caller is copied to, which a test may patch: it follows
	 * the marker (offset, then segment 0). */
	.ascii "CODEADDR"
code_addr:
	.word CALLER_CODE, 0

	BOOT_SECTOR_END
