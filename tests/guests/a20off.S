/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * a20off.bin: a boot sector (loaded at 0:7c00) that turns A20 off and calls
 * the boot entry (BEV) of the first option ROM that has one, as SeaBIOS
 * would, but with A20 off: the ROM must turn it back on before it writes
 * above 1 MiB and before it enters the kernel.  SeaBIOS's own boot path
 * cannot be used for this, as its 32-bit code turns A20 on.
 *
 * If the BEV returns (the ROM stepped aside or failed) or no ROM has one,
 * the sector writes "A20OFF: BEV returned" or "A20OFF: no BEV" to the debug
 * port and exits QEMU through isa-debug-exit with status 67 (0x21).
 */
#define PORT_A20 0x92
#define A20_ENABLE 0x02
#define A20_RESET 0x01
#define PORT_DEBUG 0x402
#define PORT_EXIT 0xf4
#define EXIT_BEV_FAILED 0x21

#define ROM_SIGNATURE 0xaa55
#define ROM_PNP_OFFSET 0x1a     /* option ROM header: offset of $PnP */
#define PNP_SIGNATURE 0x506e5024 /* "$PnP" */
#define PNP_BEV 0x1a            /* $PnP header: boot entry vector */
#define ROM_FIRST_SEG 0xc000
#define ROM_END_SEG 0xf000
#define ROM_STEP_SEG 0x80       /* option ROMs start on 2 KiB boundaries */

	.code16
	.text
	.globl _start
_start:
	xor %ax, %ax
	mov %ax, %ds
	cld

	in $PORT_A20, %al
	and $~(A20_ENABLE | A20_RESET), %al
	out %al, $PORT_A20

	mov $ROM_FIRST_SEG, %bx
next_rom:
	mov %bx, %es
	cmpw $ROM_SIGNATURE, %es:0
	jne not_this
	mov %es:ROM_PNP_OFFSET, %si
	test %si, %si
	jz not_this
	cmpl $PNP_SIGNATURE, %es:(%si)
	jne not_this
	mov %es:PNP_BEV(%si), %ax
	test %ax, %ax
	jz not_this
	mov %ax, bev
	mov %es, bev + 2
	lcall *bev
	xor %ax, %ax
	mov %ax, %ds
	mov $msg_returned, %si
	jmp fail
not_this:
	add $ROM_STEP_SEG, %bx
	cmp $ROM_END_SEG, %bx
	jb next_rom
	mov $msg_none, %si

fail:
	mov $PORT_DEBUG, %dx
1:	lodsb
	test %al, %al
	jz 2f
	out %al, %dx
	jmp 1b
2:	mov $PORT_EXIT, %dx
	mov $EXIT_BEV_FAILED, %al
	out %al, %dx
3:	hlt
	jmp 3b

	.balign 4
bev:	.word 0, 0
msg_returned:
	.asciz "A20OFF: BEV returned\n"
msg_none:
	.asciz "A20OFF: no BEV\n"

	.org 510
	.word ROM_SIGNATURE
