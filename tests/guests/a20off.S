/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * a20off.bin: a boot sector (loaded at 0:7c00) that turns A20 off and calls
 * the boot entry (BEV) of the first option ROM that has one, as SeaBIOS
 * would, but with A20 off: the ROM must turn it back on before it writes
 * above 1 MiB and before it enters the kernel.  SeaBIOS's own boot path
 * cannot be used for this, as its 32-bit code turns A20 on.
 *
 * If the BEV returns (the ROM stepped aside or failed) or no ROM has one,
 * the sector writes "A20OFF: BEV returned" or "A20OFF: no BEV" to the debug
 * port and exits QEMU through isa-debug-exit with status 67 (0x21).
 */
#include "bootsector.h"

#define PORT_A20 0x92
#define A20_ENABLE 0x02
#define A20_RESET 0x01
#define EXIT_BEV_FAILED 0x21

	BOOT_SECTOR_START
	in $PORT_A20, %al
	and $~(A20_ENABLE | A20_RESET), %al
	out %al, $PORT_A20

	BOOT_FIRST_BEV msg_returned, msg_none, EXIT_BEV_FAILED

	BOOT_SECTOR_ROUTINES

msg_returned:
	.asciz "A20OFF: BEV returned\n"
msg_none:
	.asciz "A20OFF: no BEV\n"

	BOOT_SECTOR_END
