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

#endif
