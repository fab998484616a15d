/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * int19stack.bin: a boot sector (loaded at 0:7c00) that, the first time it
 * runs, moves its stack to 0:9000 (inside the RAM the ROM copies itself to)
 * and asks the BIOS to boot again with INT 19h, as a boot program that
 * gives up may do.  INT 19h never returns: the BIOS (and any ROM hooking it)
 * must not rely on the caller's stack.  The second time, the sector writes
 * "INT19STACK: booted again" to the debug port and exits QEMU through
 * isa-debug-exit with status 69 (0x22); should INT 19h return, it writes
 * "INT19STACK: INT 19h returned" and exits with status 71 (0x23).
 */
#include "bootsector.h"

#define EXIT_BOOTED_AGAIN 0x22
#define EXIT_RETURNED 0x23
#define RUN_COUNT 0x500         /* free low RAM, not cleared by INT 19h */
#define CALLER_STACK 0x9000

	BOOT_SECTOR_START
	incb RUN_COUNT
	cmpb $1, RUN_COUNT
	jne again
	cli
	mov %ax, %ss
	mov $CALLER_STACK, %sp
	sti
	int $0x19
	mov $msg_returned, %si
	mov $EXIT_RETURNED, %bl
	jmp report_exit
again:
	mov $msg_again, %si
	mov $EXIT_BOOTED_AGAIN, %bl
	jmp report_exit

	BOOT_SECTOR_ROUTINES

msg_again:
	.asciz "INT19STACK: booted again\n"
msg_returned:
	.asciz "INT19STACK: INT 19h returned\n"

	BOOT_SECTOR_END
