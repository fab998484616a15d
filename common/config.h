/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The ROM's build-time choices, set by optionrom/optionrom.mk with -D.  C
 * code tests them with a plain if (the compiler drops what a choice turns
 * off); the host tools always have everything.
 */
#ifndef CONFIG_H
#define CONFIG_H

/*
 * 1: the ROM self-loads opt/pvh/kernel and reads the boot order (the
 * default).  0: make ROM_SELFLOAD=0, a drop-in for QEMU's -kernel alone,
 * as QEMU's pc-bios/pvh.bin is: no directory scan, no ELF validator and
 * none of its messages, a smaller image.
 */
#ifndef CONFIG_SELFLOAD
#define CONFIG_SELFLOAD 1
#endif

#endif
