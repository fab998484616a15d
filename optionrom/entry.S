/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The only assembly in the ROM: its header, the real-mode entry points, the
 * two BIOS services it needs (the E820 memory map before the C code runs,
 * the screen after it gave up), the switches between real and protected
 * mode, and the jump into the kernel.  The C code never calls the BIOS.
 *
 * Life of the ROM:
 *  - POST: SeaBIOS copies the image into the option ROM area, far-calls
 *    init_entry, then registers the BEV from the PnP header.  init_entry
 *    only hooks INT 19h.
 *  - Boot: SeaBIOS's final INT 19h reaches int19_entry; the boot list may
 *    later call bev_entry.  Both copy the image to RUN_ADDR in RAM (the ROM
 *    area is read-only by then), read the E820 map, switch to 32-bit
 *    protected mode and call pvh_main().  If it returns, the ROM switches
 *    back to real mode, shows the error line report() left (if any) through
 *    INT 10h, and returns to the BIOS (BEV) or chains to the saved INT 19h
 *    vector.
 *
 * The header and the code are assembled into one section (.rom_entry), so
 * that header fields can be written as offsets within the image; the GDT
 * goes with the read-only data (.rodata), the variables into the .bss.
 */
#include "e820.h"
#include "layout.h"

#define SMAP 0x534d4150         /* "SMAP": INT 15h E820h signature */
#define VIDEO_TELETYPE 0x0e     /* INT 10h AH: write character, advance */
#define VIDEO_PAGE0_GREY 0x0007 /* BH = page 0, BL = colour in graphics modes */
#define INT19_VECTOR (0x19 * 4)
#define INT19_STACK 0x7000      /* SS:SP 0:7000h, as SeaBIOS's INT 19h sets */
#define BEV_FRAME 40            /* on the caller's stack at the BEV's check: */
				/* its far return address, the flags, the registers */
#define BEV_STACK_MARGIN 0x100  /* what the ROM and the BIOS calls push on the */
				/* caller's stack, and more: that far above the window is safe */
#define BEV_RETURN_IP (BEV_FRAME - 4) /* from SP at the check: the caller's */
#define BEV_RETURN_CS (BEV_FRAME - 2) /* far return address */
#define CR0_PE 1
#define EFLAGS_RESERVED 0x2     /* bit 1 always reads as one */

	.section .rom_entry, "awx"

/* ---------------------------------------------------------------------- */
/* Option ROM header (offsets fixed by the PC BIOS and PnP specifications) */

	.code16
	.globl rom_header
rom_header:
	.byte 0x55, 0xaa
	.byte 0                 /* size in 512-byte blocks: tools/romsign.py */
	jmp init_entry          /* offset 3: init vector */
	.org 0x18
	.word 0                 /* no PCI data structure */
	.word pnp_header - rom_header

	.balign 16
pnp_header:
	.ascii "$PnP"
	.byte 1                 /* structure revision */
	.byte 2                 /* length in 16-byte units */
	.word 0                 /* no further header */
	.byte 0
	.byte 0                 /* header checksum: tools/romsign.py */
	.long 0                 /* device identifier */
	.word 0                 /* manufacturer string: none */
	.word product_name - rom_header
	.byte 0x00, 0x80, 0x00  /* device type: boot device (other) */
	.byte 0x14              /* indicators: IPL device, read cacheable */
	.word 0                 /* boot connection vector: none */
	.word 0                 /* disconnect vector: none */
	.word bev_entry - rom_header
	.word 0
	.word 0                 /* static resource information: none */

product_name:
	.asciz "PVH kernel"

/*
 * The INT 19h vector found at POST, followed by a byte that keeps the image
 * checksum at zero once init_entry has stored the vector (the ROM area is
 * writable during POST, and SeaBIOS checks the checksum again afterwards).
 */
	.balign 4
saved_int19:
	.long 0
saved_int19_fix:
	.byte 0

/* ---------------------------------------------------------------------- */
/* POST: hook INT 19h so that the kernel (self-load, or QEMU's -kernel) can */
/* boot first.  Whether it boots is decided at INT 19h time, in C, where    */
/* fw_cfg can be read.                                                      */

init_entry:
	pushw %ds
	pushl %eax
	pushw %dx
	xorw %ax, %ax
	movw %ax, %ds
	movl INT19_VECTOR, %eax
	/* Already ours (init called twice)? Don't chain to ourselves. */
	cmpw $(int19_entry - rom_header), %ax
	jne 1f
	movw %cs, %dx
	cmpw %dx, INT19_VECTOR + 2
	je 2f
1:	movl %eax, %cs:(saved_int19 - rom_header)
	movw %ax, %dx           /* the fix byte: -(sum of the vector's bytes), */
	shrl $16, %eax          /* added a byte at a time: a 16-bit add would */
	addb %dl, %al           /* carry into the high byte */
	addb %dh, %al
	addb %ah, %al
	negb %al
	movb %al, %cs:(saved_int19_fix - rom_header)
	movw $(int19_entry - rom_header), INT19_VECTOR
	movw %cs, INT19_VECTOR + 2
2:	popw %dx
	popl %eax
	popw %ds
	lret

/* ---------------------------------------------------------------------- */
/* Boot: BEV (far-called) and INT 19h (its caller's stack left behind).   */
/*                                                                          */
/* Both leave the same way, "popfl; lret": the INT 19h entry first takes   */
/* the BIOS's boot stack and pushes the saved INT 19h vector on it as the   */
/* far address that lret returns to, so that giving up chains to the        */
/* BIOS's own INT 19h (which never returns, and sets the same stack), while */
/* the BEV returns to its caller.                                           */
/* Under QEMU TCG each distinct block of code translated costs microseconds:*/
/* the path to pvh_main is laid out to need few (a far jump, a CR0 write,  */
/* an SS load or a string instruction each ends one).                      */

bev_entry:
	pushfl
	cli
	pushal
	/* The BEV returns on its caller's stack: with that stack in the
	 * window the image is copied to (a boot program calling the BEV
	 * itself may have it there), the ROM could not come back.  It then
	 * steps aside at once (SeaBIOS's own stack is below 0x7000). */
	xorl %eax, %eax
	movw %ss, %ax
	shll $4, %eax
	movzwl %sp, %edx
	leal (BEV_FRAME - RUN_ADDR)(%eax,%edx), %eax /* the caller's SP, less RUN_ADDR */
	cmpl $(RUN_LIMIT - RUN_ADDR + BEV_STACK_MARGIN), %eax
	jb bev_step_aside
	/* Nor to a caller whose code lies in the window: it would return
	 * into the image. */
	movw %sp, %bp
	movzwl BEV_RETURN_CS(%bp), %eax
	shll $4, %eax
	movzwl BEV_RETURN_IP(%bp), %edx
	leal -RUN_ADDR(%eax,%edx), %eax
	cmpl $(RUN_LIMIT - RUN_ADDR), %eax
	jb bev_step_aside
	movb $ENTRY_BEV, %bl
	jmp enter_from_bios
bev_step_aside:
	popal
	popfl
	lret

int19_entry:
	/* INT 19h never returns, and its caller's stack may lie where the
	 * image is copied to: take the stack SeaBIOS's own INT 19h handler
	 * takes (the SS load holds interrupts off for the ESP load). */
	xorw %ax, %ax
	movw %ax, %ss
	movl $INT19_STACK, %esp
	pushl %cs:(saved_int19 - rom_header) /* where the final lret goes */
	pushfl
	cli
	pushal
#ifdef PVH_BENCH_PROBE
	/* Benchmark builds only (bench/bench.mk): mark the hook's start. */
	movw $BENCH_PROBE_PORT, %dx
	movb $BENCH_PROBE_BYTE, %al
	outb %al, %dx
#endif
	movb $ENTRY_INT19, %bl

enter_from_bios:
	pushw %ds
	pushw %es
	pushw %fs
	pushw %gs
	cld
	/* Copy the image from the ROM area to RUN_ADDR and continue there. */
	movw %cs, %ax
	movw %ax, %ds
	xorw %si, %si
	xorw %ax, %ax
	movw %ax, %es
	movw $_image_start, %di
	movw $_image_dwords, %cx
	rep movsl
	/* The RAM copy starts by zeroing the .bss (set up here, so that the
	 * rep stosl opens the first block there). */
	movw %ax, %ds
	movw $_bss_start, %di
	movw $_bss_dwords, %cx
	xorl %eax, %eax
	ljmpw $0, $running_in_ram
running_in_ram:
	rep stosl
	movb %bl, entry_kind

/*
 * The BIOS memory map, read in real mode on the BIOS's own stack: INT 15h
 * AX=E820h, one entry per call, straight into e820_table (ES = 0).  Each
 * entry's ACPI 3.0 attribute word is set to "valid" first (for a BIOS that
 * says 24 bytes but writes 20).  An entry is kept (DI moves past it, BP
 * counts it) if its reply is shorter than 24 bytes (no attribute word, as
 * ACPI says, whatever the BIOS wrote there) or its attribute word says
 * valid; the word is then cleared: the table is the PVH memmap as it
 * stands, that word its reserved field.  The map ends at the last entry (EBX = 0), at a call that fails (CF: the
 * first one, when the BIOS has no map; some BIOSes end the map that way),
 * or after E820_TABLE_ENTRIES calls; a map that still goes on then is
 * marked E820_MAP_UNUSABLE, as the ROM cannot know what the entries it did
 * not read reserve (pvh_main refuses it, and hands over at most
 * PVH_MEMMAP_MAX of a map it takes).  A reply without the signature (Linux
 * drops the whole map then) or shorter than the 20 bytes of an entry (one
 * of the map's entries is missing) spoils the map: it is marked
 * E820_MAP_UNUSABLE as well.  The loop branches only to stop: under
 * TCG every conditional jump ends a block.  No cmov: the ROM runs on a 486.
 */
	movw $e820_table, %di
	xorl %ebx, %ebx
	xorw %bp, %bp
	movw $E820_TABLE_ENTRIES, %si   /* calls left */
1:	movl $E820_ATTR_VALID, E820_ATTR_OFFSET(%di)
	movl $0xe820, %eax
	movl $E820_ENTRY_SIZE_ACPI3, %ecx
	movl $SMAP, %edx
	int $0x15
	jc 3f                           /* the map's end, or none */
	cmpl $E820_ENTRY_SIZE_ACPI3, %ecx
	sbbw %dx, %dx                   /* 0xffff without an attribute word */
	orw E820_ATTR_OFFSET(%di), %dx  /* bit 0 set: the entry is kept */
	/* A broken reply, in one test (one block under TCG). */
	cmpl $E820_ENTRY_SIZE_MIN, %ecx
	sbbl %ecx, %ecx                 /* -1 if the reply is too short */
	xorl $SMAP, %eax                /* not 0 without the signature */
	orl %eax, %ecx
	negl %ecx                       /* CF if broken */
	sbbl %ecx, %ecx                 /* then -1: E820_MAP_UNUSABLE below */
	jnz 2f
	andl $0, E820_ATTR_OFFSET(%di)
	andw $E820_ATTR_VALID, %dx      /* 1 if kept, else 0 */
	addw %dx, %bp
	negw %dx
	andw $E820_ENTRY_SIZE_ACPI3, %dx
	addw %dx, %di                   /* a dropped entry's slot is reused */
	cmpl $1, %ebx                   /* CF if EBX = 0: the last entry */
	sbbw %cx, %cx
	notw %cx                        /* 0 after the last entry, else 0xffff */
	decw %si
	andw %cx, %si                   /* no calls left after the last entry */
	jnz 1b
2:	orw %cx, %bp                    /* out of calls with entries left, or a */
					/* broken reply: E820_MAP_UNUSABLE */
3:	cli                     /* the BIOS may have turned interrupts on */
	movw %bp, e820_entries

/*
 * Into 32-bit protected mode, on the ROM's own stack.  The data segments
 * are loaded while CS is still the real-mode one: QEMU then need not end a
 * block at each of them.
 */
	movw %ss, bios_ss
	movl %esp, bios_esp
	lgdtl gdt_descriptor
	movl %cr0, %eax
	orb $CR0_PE, %al
	movl %eax, %cr0
	movw $SEL_DATA32, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %fs
	movw %ax, %gs
	movl $_stack_top, %esp
	movw %ax, %ss
	ljmpl $SEL_CODE32, $protected_mode

	.code32
protected_mode:
	movzbl entry_kind, %eax
	call pvh_main
	/*
	 * pvh_main returned: the kernel is not booted; give the BIOS back.
	 * Through a 16-bit code segment to real mode; the 16-bit data
	 * segments leave real-mode limits behind.
	 */
	ljmp $SEL_CODE16, $1f
	.code16
1:	movw $SEL_DATA16, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	movw %ax, %fs
	movw %ax, %gs
	movl %cr0, %eax
	andb $~CR0_PE, %al
	movl %eax, %cr0
	ljmpw $0, $1f
1:	xorw %ax, %ax           /* DS = 0 for what follows; the BIOS's ES, */
	movw %ax, %ds           /* FS and GS come back off its stack */
	lssl bios_esp, %esp
	/* The line report() left, if any, goes to the screen too. */
	movw $screen_line, %si
2:	lodsb
	testb %al, %al
	jz 3f
	movb $VIDEO_TELETYPE, %ah
	movw $VIDEO_PAGE0_GREY, %bx
	int $0x10
	jmp 2b
3:	popw %gs
	popw %fs
	popw %es
	popw %ds
	popal
	popfl
	lret    /* BEV: the BIOS tries its next boot device; INT 19h: on to
		 * the BIOS's own boot code, through the vector pushed at entry */

/* ---------------------------------------------------------------------- */
/* void enter_kernel(uint32_t entry, uint32_t start_info)  (regparm: eax, edx)
 * The machine state the PVH ABI promises: flat 32-bit CS and DS/ES/SS
 * (already loaded), TR = a 32-bit TSS of base 0 and limit 0x67, CR0 = PE,
 * CR4 = 0, EFLAGS with IF, TF and VM clear, EBX = start_info.             */

	.code32
	.globl enter_kernel
enter_kernel:
	movl %eax, %esi
	movl %edx, %ebx
	pushl $SEL_TSS          /* push and pop: shorter than a mov */
	popl %eax
	ltr %ax
	/* CR4 first: CR0 = PE is then one increment away (paging is off,
	 * so the order makes no difference). */
	xorl %eax, %eax
	movl %eax, %cr4
	incl %eax               /* CR0_PE */
	movl %eax, %cr0
	/* Not iret, which would save a block under TCG: software KVM
	 * (kvm_pvm) cannot emulate it here. */
	pushl $EFLAGS_RESERVED
	popfl
	xorl %ecx, %ecx
	xorl %edx, %edx
	xorl %edi, %edi
	xorl %ebp, %ebp
	jmp *%esi

/* ---------------------------------------------------------------------- */
/* The GDT, used by the ROM itself and inherited by the kernel.  Accessed  */
/* bits are preset so that loading a selector never writes the table; ltr  */
/* does (the TSS's busy bit), in the RAM copy that each entry makes anew.  */
/* The processor never reads the null descriptor: the 6 bytes LGDT loads   */
/* (limit, base) sit in its place.  Not aligned: alignment would only make */
/* descriptor loads faster on real hardware, and costs padding.  With the */
/* C code's read-only data (rom.ld): first in it, so right after the boot */
/* path's code, in the same page.                                          */

	.section .rodata, "a"
gdt:
gdt_descriptor:
	.word .Lgdt_end - gdt - 1
	.long gdt
	.word 0                         /* the rest of the null descriptor */
	.quad 0x00cf9b000000ffff        /* SEL_CODE32: base 0, 4 GiB, 32-bit */
	.quad 0x00cf93000000ffff        /* SEL_DATA32: base 0, 4 GiB, 32-bit */
	.quad 0x0000890000000067        /* SEL_TSS: base 0, limit 0x67, 32-bit */
	.quad 0x00009b000000ffff        /* SEL_CODE16: base 0, 64 KiB */
	.quad 0x000093000000ffff        /* SEL_DATA16: base 0, 64 KiB */
.Lgdt_end:

	.section .note.GNU-stack, "", @progbits

/* Variables of the assembly, in the RAM copy (zeroed with .bss). */
	.section .bss
	.balign 4
bios_esp:	.skip 4         /* the BIOS's stack while the ROM runs: */
bios_ss:	.skip 2         /* SS:ESP as lss reads it */
	.globl e820_entries
e820_entries:	.skip 2         /* entries kept in e820_table */
entry_kind:	.skip 1         /* ENTRY_BEV or ENTRY_INT19 */
