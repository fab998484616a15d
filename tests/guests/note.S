/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The Xen PHYS32_ENTRY note (owner "Xen", type 18) with a descriptor of
 * NOTE_DESC_SIZE bytes (4 as Xen documents, 8 as x86-64 Linux has), and the
 * variant's name.  Built once per variant with different -D values.
 */
#ifndef NOTE_DESC_SIZE
#error NOTE_DESC_SIZE must be 4 or 8
#endif

	.section .note.Xen, "a", @note
	.balign	4
	.long	4			/* namesz: "Xen\0" */
	.long	NOTE_DESC_SIZE		/* descsz */
	.long	18			/* XEN_ELFNOTE_PHYS32_ENTRY */
	.asciz	"Xen"
	.balign	4
	.long	_start
#if NOTE_DESC_SIZE == 8
	.long	0
#endif
	.balign	4

	.section .rodata
	.globl	guest_variant
guest_variant:
	.asciz	VARIANT

#ifdef BIGBSS_SIZE
/* A large zero-initialised area in its own segment (multi-segment guest). */
	.section .bigbss, "aw", @nobits
	.balign	4096
	.skip	BIGBSS_SIZE
#endif
