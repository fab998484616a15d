/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * PVH test guest entry.  The firmware jumps here in 32-bit protected mode.
 * The first instructions store the entry state with plain moves (they change
 * no flags and need no stack); only then does the guest take its own stack,
 * read EFLAGS and call C.  Also: 32 exception stubs, so that a fault shows up
 * in the report instead of as a silent triple fault.
 */
	.code32
	.section .text.entry, "ax"
	.globl _start
_start:
	movl	%eax, entry_state + 0
	movl	%ebx, entry_state + 4
	movl	%esp, entry_state + 8
	movl	%cr0, %eax
	movl	%eax, entry_state + 16
	movl	%cr4, %eax
	movl	%eax, entry_state + 20
	movw	%cs, entry_state + 24
	movw	%ds, entry_state + 26
	movw	%es, entry_state + 28
	movw	%ss, entry_state + 30
	movw	%fs, entry_state + 32
	movw	%gs, entry_state + 34
	str	entry_state + 36
	sgdt	entry_state + 40
	sidt	entry_state + 46
	movl	$__stack_top, %esp
	pushfl
	popl	entry_state + 12
	cli
	cld
	/* Where the CPU thinks it runs: equals entry_label iff CS base is 0. */
	call	entry_label
	.globl entry_label
entry_label:
	popl	entry_state + 52
	call	guest_main
1:	cli
	hlt
	jmp	1b

/* Exception stubs: each pushes an error code (0 if the CPU did not) and the
 * vector, then calls guest_fault(frame), which reports and exits. */
	.macro	stub vec
	.balign	16
	.if (\vec == 8) || (\vec >= 10 && \vec <= 14) || (\vec == 17)
	.else
	pushl	$0
	.endif
	pushl	$\vec
	jmp	fault_common
	.endm

	.balign	16
	.globl	isr_stub_base
isr_stub_base:
	.irp	v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	stub	\v
	.endr

fault_common:
	movl	%esp, %eax
	pushl	%eax
	call	guest_fault
2:	cli
	hlt
	jmp	2b

	.data
	.balign	4
	.globl	entry_state
entry_state:
	.fill	56, 1, 0
