/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * bevsetup.bin: a boot sector (loaded at 0:7c00) that leaves the machine
 * in a state SeaBIOS never does, then calls the boot entry (BEV) of the
 * first option ROM that has one, as a boot manager may.  What it changes
 * is the table at "BEVSETUP" (the tests patch it in the image):
 *   u32 cr0_set    bits ORed into CR0 (real mode: PE and PG stay clear)
 *   u32 cr4_set    bits ORed into CR4
 *   u16 offset     where in the EBDA the bytes below go
 *   u16 length     how many (0: the EBDA is left alone)
 *   u16 move_to    0, or a segment the EBDA's first KiB is copied to
 *                  before the bytes are written; the BDA then points
 *                  there (SeaBIOS's EBDA is 1 KiB long, against the VGA
 *                  memory: moved, the KiB after it is RAM)
 *   u8  bytes[36]  e.g. an RSDP, which the ROM must find there first
 *   u16 flags      0, or the FLAGS the call is made with (such as the
 *                  direction flag set, or interrupts off)
 *   u8  halt       0, or: when the BEV returns, halt with interrupts off
 *                  after the message below instead of exiting QEMU, so
 *                  that a test can read the registers the ROM left
 * The kernel must still get CR0 = PE, CR4 = 0 and EFLAGS = 2, and the
 * EBDA's RSDP if it is valid.  Before the call the sector writes what it set up to the
 * debug port, "BEVSETUP: CR0 <8 hex> CR4 <8 hex> EBDA <4 hex> FLAGS <4 hex>"
 * (the registers read back, the EBDA's segment), so that a test can tell
 * the setup took effect.
 *
 * If the BEV returns (the ROM stepped aside or failed) or no ROM has one,
 * the sector writes "BEVSETUP: BEV returned" or "BEVSETUP: no BEV" to the
 * debug port and exits QEMU through isa-debug-exit with status 67 (0x21)
 * (or halts: see halt).  Between the BEV's return and the halt it loads
 * only DS and clears the direction flag.
 */
#include "bootsector.h"

#define EXIT_BEV_FAILED 0x21
#define BDA_EBDA_SEGMENT 0x40e
#define EBDA_COPIED 1024        /* SeaBIOS's whole EBDA */

	BOOT_SECTOR_START
	mov %cr0, %eax
	or cr0_set, %eax
	mov %eax, %cr0
	mov %cr4, %eax
	or cr4_set, %eax
	mov %eax, %cr4

	mov ebda_move_to, %ax
	test %ax, %ax
	jz 2f
	mov %ax, %es
	push %ds
	mov BDA_EBDA_SEGMENT, %ds
	xor %si, %si
	xor %di, %di
	mov $EBDA_COPIED, %cx
	rep movsb
	pop %ds
	mov %es, BDA_EBDA_SEGMENT

2:	mov ebda_length, %cx
	jcxz 1f
	mov BDA_EBDA_SEGMENT, %ax
	mov %ax, %es
	mov ebda_offset, %di
	mov $ebda_bytes, %si
	rep movsb
1:	mov call_flags, %ax
	test %ax, %ax
	jz 3f
	push %ax
	popf
3:	mov $msg_cr0, %si
	call put_string
	mov %cr0, %eax
	call put_hex32
	mov $msg_cr4, %si
	call put_string
	mov %cr4, %eax
	call put_hex32
	mov $msg_ebda, %si
	call put_string
	mov BDA_EBDA_SEGMENT, %ax
	shl $16, %eax
	mov $4, %cx
	call put_hex
	mov $msg_flags, %si
	call put_string
	pushf
	pop %ax
	shl $16, %eax
	mov $4, %cx
	call put_hex
	mov $msg_newline, %si
	call put_string

	call find_bev
	jc 4f
	lcall *bev
	xor %ax, %ax
	mov %ax, %ds
	mov $msg_returned, %si
	jmp 5f
4:	mov $msg_none, %si
5:	cld
	mov $EXIT_BEV_FAILED, %bl
	cmpb $0, halt_after
	je report_exit
	call put_string
	cli
6:	hlt
	jmp 6b

	BOOT_SECTOR_ROUTINES

/* Writes EAX's top CX hex digits to the debug port (put_hex32: all 8). */
put_hex32:
	mov $8, %cx
put_hex:
	mov $PORT_DEBUG, %dx
1:	rol $4, %eax
	push %eax
	and $0xf, %al
	add $'0', %al
	cmp $'9', %al
	jbe 2f
	add $('a' - '9' - 1), %al
2:	out %al, %dx
	pop %eax
	loop 1b
	ret

msg_cr0:
	.asciz "BEVSETUP: CR0 "
msg_cr4:
	.asciz " CR4 "
msg_ebda:
	.asciz " EBDA "
msg_flags:
	.asciz " FLAGS "
msg_newline:
	.asciz "\n"

msg_returned:
	.asciz "BEVSETUP: BEV returned\n"
msg_none:
	.asciz "BEVSETUP: no BEV\n"

	.ascii "BEVSETUP"
cr0_set:
	.long 0
cr4_set:
	.long 0
ebda_offset:
	.word 0
ebda_length:
	.word 0
ebda_move_to:
	.word 0
ebda_bytes:
	.fill 36, 1, 0
call_flags:
	.word 0
halt_after:
	.byte 0

	BOOT_SECTOR_END
