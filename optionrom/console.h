/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef CONSOLE_H
#define CONSOLE_H

/*
 * Prints "pvh: <message>\n" on the debug port (0x402) and through INT 10h
 * (the screen, or the serial console with -machine graphics=off).  The ROM
 * prints only when it gives up on a boot.
 */
void report_error(const char *f, ...) __attribute__((format(printf, 1, 2)));

#endif
