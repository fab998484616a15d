/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef CONSOLE_H
#define CONSOLE_H

#include <stdint.h>
#include "message.h"

/*
 * Prints "pvh: <message>" (see common/message.h) on the debug port 0x402
 * at once, and leaves it in screen_line for entry.S, which shows it through
 * INT 10h (the screen, or the serial console with -machine graphics=off)
 * once pvh_main has returned to the BIOS.  The ROM prints only when it
 * gives up on a boot, so one line is all it ever prints.
 */
void report(enum pvh_message msg, uint32_t a, uint32_t b);

/*
 * Set by report(), so that a failure is not tried (and reported) again by
 * a later pass: the BEV after the INT 19h hook, or another copy of the ROM
 * whose hook chains to this one's.  It survives from one pass to the next: it
 * lies outside the image and the .bss, which each entry rewrites (see
 * rom.ld).  SeaBIOS zeroes it with the rest of 0x7000-0x90000 before its
 * INT 19h after POST (a boot program's later INT 19h finds it as it was).
 */
#define BOOT_MEMO_FAILED 0x5a
extern volatile uint8_t boot_memo;

#endif
