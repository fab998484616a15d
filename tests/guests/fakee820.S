/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fakee820.bin: a boot sector (loaded at 0:7c00) that answers INT 15h
 * AX=E820h itself, reply by reply, from a table the test writes into the
 * disk's next sectors, and then calls the boot entry (BEV) of the first
 * option ROM that has one.  SeaBIOS's own map is a handful of 20-byte
 * entries; this one can have ACPI 3.0 24-byte replies, entries whose
 * "valid" bit is clear, types SeaBIOS never uses, more entries than the
 * PVH memmap takes, RAM where the machine has none, and broken replies.
 * Other INT 15h calls go on to the BIOS.
 *
 * The table (little-endian), read from LBA 1 on (TABLE_SECTORS sectors):
 *   header, 32 bytes:  u32 count     replies in all
 *                      u32 flags     bit 0: after the last reply, EBX is
 *                                    not 0, and the next call fails (CF)
 *                                    bit 1: replies return with interrupts
 *                                    on (as some BIOSes' do), and the timer
 *                                    set to interrupt every 0.1 ms
 *   count replies, 32 bytes each:
 *                      u64 base, u64 length, u32 type, u32 attr
 *                      u16 ecx       the reply's size, returned in ECX
 *                      u16 written   bytes written to the caller's buffer
 *                      u32 eax       returned in EAX ("SMAP" normally)
 * A call that asks for less (ECX, the caller's buffer size) gets no more:
 * both the bytes written and the size returned are cut to it, as an ACPI
 * 3.0 BIOS cuts its 24-byte entries for a 20-byte buffer.  A call with
 * EBX at or past count fails (CF set, AH = 86h).
 *
 * If the BEV returns (the ROM stepped aside or failed) or no ROM has one,
 * the sector writes "FAKEE820: BEV returned" or "FAKEE820: no BEV" to the
 * debug port and exits QEMU through isa-debug-exit with status 67 (0x21);
 * if the disk cannot be read, "FAKEE820: disk read failed" and status 69.
 */
#include "bootsector.h"

#define EXIT_BEV_FAILED 0x21
#define EXIT_DISK_FAILED 0x22
#define INT15_VECTOR (0x15 * 4)
#define SMAP 0x534d4150
#define TABLE_SEG 0x2000        /* 0x20000: free conventional RAM at boot, */
				/* outside the ROM's window */
#define TABLE_SECTORS 16        /* 255 replies at most */
#define DISK_READ_EXT 0x42      /* INT 13h AH: extended read (LBA) */
#define E820_UNSUPPORTED 0x86   /* INT 15h AH on failure */
#define HEADER_COUNT 0
#define HEADER_FLAGS 4
#define FLAG_END_BY_CF 1
#define FLAG_STI_FAST_TIMER 2
#define PIT_COMMAND 0x43
#define PIT_CHANNEL0 0x40
#define PIT_CH0_RATE_GEN 0x34   /* channel 0, low then high byte, mode 2 */
#define PIT_FAST_COUNT 119      /* 1.193182 MHz / 119: about 10 kHz */
#define REPLY_SIZE 32           /* a reply's record in the table */
#define REPLY_ECX 24
#define REPLY_WRITTEN 26
#define REPLY_EAX 28

	BOOT_SECTOR_START
	/* DL: the boot drive, as SeaBIOS passes it. */
	mov $DISK_READ_EXT, %ah
	mov $dap, %si
	int $0x13
	jc disk_failed
	cli
	mov INT15_VECTOR, %eax
	mov %eax, old_int15
	movw $int15, INT15_VECTOR
	movw $0, INT15_VECTOR + 2
	sti

	BOOT_FIRST_BEV msg_returned, msg_none, EXIT_BEV_FAILED

disk_failed:
	mov $msg_disk, %si
	mov $EXIT_DISK_FAILED, %bl
	jmp report_exit

/* INT 15h: E820h from the table, anything else to the BIOS. */
int15:
	cmp $0xe820, %eax
	jne 9f
	cmp $SMAP, %edx
	jne 9f
	push %ds
	push %esi
	push $TABLE_SEG
	pop %ds
	cmp HEADER_COUNT, %ebx
	jae 8f
	mov %bx, %si            /* the reply's record: (EBX + 1) x 32 */
	inc %si
	shl $5, %si
	mov %ecx, %cs:asked
	movzwl REPLY_WRITTEN(%si), %ecx
	call clip_to_asked
	push %si
	push %di
	rep movsb               /* to ES:DI, the caller's buffer */
	pop %di
	pop %si
	movzwl REPLY_ECX(%si), %ecx
	call clip_to_asked
	testb $FLAG_STI_FAST_TIMER, HEADER_FLAGS
	jz 6f
	mov $PIT_CH0_RATE_GEN, %al
	out %al, $PIT_COMMAND
	mov $PIT_FAST_COUNT, %al
	out %al, $PIT_CHANNEL0
	mov $0, %al
	out %al, $PIT_CHANNEL0
	sti                     /* returned with the flags below */
6:	mov REPLY_EAX(%si), %eax
	inc %ebx                /* the next reply, or 0 after the last */
	cmp HEADER_COUNT, %ebx
	jb 7f
	testb $FLAG_END_BY_CF, HEADER_FLAGS
	jnz 7f
	xor %ebx, %ebx
7:	pop %esi
	pop %ds
	clc
	lret $2                 /* keep these flags (CF clear), drop the caller's */
8:	pop %esi
	pop %ds
	mov $(E820_UNSUPPORTED << 8), %ax
	stc
	lret $2
9:	ljmp *%cs:old_int15

/* ECX = the smaller of ECX and the size the caller asked for. */
clip_to_asked:
	cmp %cs:asked, %ecx
	jbe 1f
	mov %cs:asked, %ecx
1:	ret

	BOOT_SECTOR_ROUTINES

old_int15:
	.word 0, 0
asked:
	.long 0
/* INT 13h AH=42h disk address packet: the table's sectors to TABLE_SEG:0. */
dap:
	.byte 16, 0
	.word TABLE_SECTORS
	.word 0, TABLE_SEG
	.quad 1
msg_returned:
	.asciz "FAKEE820: BEV returned\n"
msg_none:
	.asciz "FAKEE820: no BEV\n"
msg_disk:
	.asciz "FAKEE820: disk read failed\n"

	BOOT_SECTOR_END
