/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Reading SeaBIOS's "bootorder" fw_cfg file: one device path per line. */
#ifndef BOOTORDER_H
#define BOOTORDER_H

#include <stdbool.h>
#include <stdint.h>

/*
 * `-option-rom F[,bootindex=N]` makes QEMU add the fw_cfg file
 * "genroms/<basename of F>"; a bootindex puts "/rom@genroms/<basename>"
 * in the boot order.
 */
#define GENROMS_PREFIX "genroms/"
#define BOOTORDER_ROM_PREFIX "/rom@"

/* True when a line of text[0..len) is BOOTORDER_ROM_PREFIX followed by file. */
bool bootorder_names_file(const char *text, uint32_t len, const char *file);

#endif
