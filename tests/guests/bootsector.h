/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the test boot sectors (a20off.S, bevstack.S, bevsetup.S, fakee820.S,
 * int19stack.S) share: real-mode code at 0:7c00, run with DS = 0 and the
 * direction flag clear.
 *
 *   BOOT_SECTOR_START   the entry: DS = 0, CLD
 *   call find_bev       stores the boot entry (BEV) of the first option
 *                       ROM that has one at bev (a far pointer), CF clear;
 *                       CF set when no ROM has one
 *   call put_string     writes the string at DS:SI to the debug port
 *                       (with the direction flag set, too)
 *   jmp report_exit     writes the string at DS:SI to the debug port, a
 *                       space through INT 10h (see there), and exits QEMU
 *                       through isa-debug-exit with status (BL << 1) | 1;
 *                       never returns
 *   BOOT_FIRST_BEV returned, none, code
 *                       far-calls the first BEV find_bev finds, as SeaBIOS
 *                       would, then report_exit with the string at
 *                       returned (the BEV returned; DS = 0 again) or at
 *                       none (no ROM has one), and the given status
 *   BOOT_SECTOR_ROUTINES  the code of the routines above, placed once per
 *                       sector
 *   BOOT_SECTOR_END     pads to 510 bytes and adds the signature
 */
#ifndef BOOTSECTOR_H
#define BOOTSECTOR_H

#define PORT_DEBUG 0x402
#define PORT_EXIT 0xf4

#define VIDEO_TELETYPE 0x0e     /* INT 10h AH: write character, advance */
#define VIDEO_PAGE0 0x0007      /* BH = page 0, BL = colour in graphics modes */
#define BOOT_SIGNATURE 0xaa55
#define ROM_SIGNATURE 0xaa55
#define ROM_PNP_OFFSET 0x1a     /* option ROM header: offset of $PnP */
#define PNP_SIGNATURE 0x506e5024 /* "$PnP" */
#define PNP_BEV 0x1a            /* $PnP header: boot entry vector */
#define ROM_FIRST_SEG 0xc000
#define ROM_END_SEG 0xf000
#define ROM_STEP_SEG 0x80       /* option ROMs start on 2 KiB boundaries */

	.macro BOOT_SECTOR_START
	.code16
	.text
	.globl _start
_start:
	xor %ax, %ax
	mov %ax, %ds
	cld
	.endm

	.macro BOOT_FIRST_BEV returned, none, code
	mov $\none, %si
	call find_bev
	jc 1f
	lcall *bev
	xor %ax, %ax
	mov %ax, %ds
	mov $\returned, %si
1:	mov $\code, %bl
	jmp report_exit
	.endm

	.macro BOOT_SECTOR_ROUTINES
find_bev:
	mov $ROM_FIRST_SEG, %bx
1:	mov %bx, %es
	cmpw $ROM_SIGNATURE, %es:0
	jne 2f
	mov %es:ROM_PNP_OFFSET, %si
	test %si, %si
	jz 2f
	cmpl $PNP_SIGNATURE, %es:(%si)
	jne 2f
	mov %es:PNP_BEV(%si), %ax
	test %ax, %ax
	jz 2f
	mov %ax, bev
	mov %es, bev + 2
	clc
	ret
2:	add $ROM_STEP_SEG, %bx
	cmp $ROM_END_SEG, %bx
	jb 1b
	stc
	ret

put_string:
	mov $PORT_DEBUG, %dx
1:	mov (%si), %al          /* not lodsb: whatever the direction flag */
	inc %si
	test %al, %al
	jz 2f
	out %al, %dx
	jmp 1b
2:	ret

report_exit:
	call put_string
	/* SeaBIOS's serial console (-nographic) holds back the last
	 * character written through INT 10h until a character is written
	 * elsewhere on the screen (or a timer tick comes): writing a space
	 * sends the ROM's line out whole before QEMU exits.  (The space is
	 * held back in its turn.) */
	push %bx
	mov $((VIDEO_TELETYPE << 8) | ' '), %ax
	mov $VIDEO_PAGE0, %bx
	int $0x10
	pop %bx
	mov $PORT_EXIT, %dx
	mov %bl, %al
	out %al, %dx
3:	hlt
	jmp 3b

bev:	.word 0, 0
	.endm

	.macro BOOT_SECTOR_END
	.org 510
	.word BOOT_SIGNATURE
	.endm

#endif
