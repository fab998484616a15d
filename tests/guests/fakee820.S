/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fakee820.bin: a boot sector (loaded at 0:7c00) that answers INT 15h
 * AX=E820h itself, from a memory map the tests choose, and then calls the
 * boot entry (BEV) of the first option ROM that has one.  SeaBIOS's own
 * map is a handful of 20-byte entries; this one can have ACPI 3.0 24-byte
 * replies, entries whose "valid" bit is clear, types SeaBIOS never uses,
 * more entries than the PVH memmap takes, or RAM where the machine has
 * none.  Other INT 15h calls go on to the BIOS.
 *
 * The map is the table at "FAKEE820" (the tests patch it in the image):
 *   u16 count      entries in all (calls until EBX comes back 0)
 *   fixed entries  FIXED_ENTRIES x 24 bytes: base, length, type, attr;
 *                  attr 0xffffffff means "reply with 20 bytes" (no attr)
 * and entry FIXED_ENTRIES + k, for the rest: 4 KiB of type 2 at
 * 4 GiB + k x 4 KiB, a 20-byte reply for even k, a 24-byte one with attr 1
 * (valid) for odd k.
 *
 * If the BEV returns (the ROM stepped aside or failed) or no ROM has one,
 * the sector writes "FAKEE820: BEV returned" or "FAKEE820: no BEV" to the
 * debug port and exits QEMU through isa-debug-exit with status 67 (0x21).
 */
#include "bootsector.h"

#define EXIT_BEV_FAILED 0x21
#define INT15_VECTOR (0x15 * 4)
#define SMAP 0x534d4150
#define FIXED_ENTRIES 6
#define ENTRY_SIZE 24
#define REPLY_20_BYTES 0xffffffff

	BOOT_SECTOR_START
	cli
	mov INT15_VECTOR, %eax
	mov %eax, old_int15
	movw $int15, INT15_VECTOR
	movw $0, INT15_VECTOR + 2
	sti

	BOOT_FIRST_BEV msg_returned, msg_none, EXIT_BEV_FAILED

/* INT 15h: E820h from the table, anything else to the BIOS. */
int15:
	cmp $0xe820, %eax
	jne 9f
	cmp $SMAP, %edx
	jne 9f
	push %ds
	push %esi
	push %edi
	push %cs
	pop %ds
	cmp $FIXED_ENTRIES, %ebx
	jae 4f
	imul $ENTRY_SIZE, %bx, %si
	add $fixed, %si
	mov $5, %cx             /* base, length, type: 20 bytes */
	rep movsl
	lodsl                   /* attr */
	jmp 5f
4:	mov %ebx, %eax          /* k = EBX - FIXED_ENTRIES */
	sub $FIXED_ENTRIES, %eax
	shl $12, %eax
	stosl                   /* base: 4 GiB + k x 4 KiB */
	mov $1, %eax
	stosl
	mov $0x1000, %eax       /* length: 4 KiB */
	stosl
	xor %eax, %eax
	stosl
	mov $2, %al             /* type 2, reserved */
	stosl
	mov $REPLY_20_BYTES, %eax
	test $1, %bl            /* k odd (FIXED_ENTRIES even): 24 bytes */
	jz 5f
	mov $1, %eax
5:	mov $20, %ecx
	cmp $REPLY_20_BYTES, %eax
	je 6f
	stosl
	mov $24, %cl
6:	inc %ebx                /* the next entry, or 0 after the last */
	cmp count, %bx
	jb 7f
	xor %ebx, %ebx
7:	pop %edi
	pop %esi
	pop %ds
	mov $SMAP, %eax
	clc
	lret $2                 /* keep these flags (CF clear), drop the caller's */
9:	ljmp *%cs:old_int15

	BOOT_SECTOR_ROUTINES

old_int15:
	.word 0, 0
msg_returned:
	.asciz "FAKEE820: BEV returned\n"
msg_none:
	.asciz "FAKEE820: no BEV\n"

/* The map (see above): the tests find it by its marker and patch it. */
	.ascii "FAKEE820"
count:	.word FIXED_ENTRIES
fixed:
	/* base, length, type, attr */
	.quad 0, 0x9fc00
	.long 1, REPLY_20_BYTES
	.quad 0x9fc00, 0x400
	.long 2, 1
	.quad 0xf0000, 0x10000
	.long 2, 3              /* valid and non-volatile: handed over as 0 */
	.quad 0x100000, 0xff00000
	.long 1, 1
	.quad 0x10000000, 0x100000
	.long 1, 0              /* valid bit clear: must be dropped */
	.quad 0x10100000, 0x1000
	.long 12, 1             /* a type SeaBIOS never gives: kept as it is */

	BOOT_SECTOR_END
