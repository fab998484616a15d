/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Reading SeaBIOS's "bootorder" fw_cfg file: one device path per line. */
#ifndef BOOTORDER_H
#define BOOTORDER_H

#include <stdint.h>

/*
 * `-option-rom F[,bootindex=N]` makes QEMU add the fw_cfg file
 * "genroms/<basename of F>"; a bootindex puts "/rom@genroms/<basename>"
 * in the boot order.
 */
#define GENROMS_PREFIX "genroms/"
#define BOOTORDER_ROM_PREFIX "/rom@"

/*
 * The index of the first line of text[0..len) that is BOOTORDER_ROM_PREFIX
 * followed by file (0 for the first line), or -1 when no line is.  Lines
 * end with '\n' or '\0'; text[len] must be '\0', so that no compare needs
 * to look for the end.
 */
int bootorder_rank(const char *text, uint32_t len, const char *file);

#endif
