// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pvh.bin: boots a PVH kernel, either the one QEMU's -kernel already loaded
 * (drop-in for QEMU's own pvh.bin) or one the ROM loads itself from the
 * fw_cfg file opt/pvh/kernel.  entry.S calls pvh_main() in 32-bit protected
 * mode; returning from it hands the boot back to the BIOS.  Built with
 * ROM_SELFLOAD=0 (config.h) it is the drop-in alone.
 */
#include "boot.h"
#include "config.h"
#include "console.h"
#include "layout.h"
#include "memmap.h"
#include "phys.h"

_Static_assert(E820_TABLE_ENTRIES == 128 && E820_MAP_UNUSABLE > E820_TABLE_ENTRIES,
	       "MSG_NO_E820 says 128");

static struct boot_plan plan;

void pvh_main(unsigned entered_by);

void pvh_main(unsigned entered_by)
{
	struct boot_plan *p = &plan;
	bool hook = entered_by == ENTRY_INT19;

	/*
	 * An earlier pass failed and said why: this ROM's INT 19h hook (and
	 * this is its BEV), or another copy of the ROM, whose hook chained to
	 * this one's.  This pass would fail the same way.
	 */
	if (boot_memo == BOOT_MEMO_FAILED)
		return;
	if (!fw_cfg_init())
		return; /* not QEMU: nothing to boot */
	/*
	 * INT 19h comes before SeaBIOS's boot list, and after its boot menu:
	 * with the menu on, the user may have picked another device, and the
	 * list follows that choice.  The hook then leaves the boot to the
	 * list, which calls the BEV in turn.  (The item is read in the BEV
	 * pass too, so that one branch tests both: under TCG every branch
	 * costs a translated block.)
	 */
	if (hook & (fw_cfg_read_u32(FW_CFG_BOOT_MENU) != 0))
		return;
	if (CONFIG_SELFLOAD && scan_files(p)) {
		report(MSG_NO_DIRECTORY, 0, 0);
		return;
	}
	bool selfload = CONFIG_SELFLOAD && p->kernel.key != 0;

	if (!selfload) {
		read_dropin(p);
		/*
		 * No kernel configured, or not a PVH one: step aside quietly.
		 * Only QEMU's PVH loader sets both the entry point and a
		 * "setup" (the file's first 8 KiB): its multiboot loader sets
		 * no setup, its bzImage loader no entry point.
		 */
		if (!p->setup_size || !p->entry)
			return;
	}
	/*
	 * Boot from INT 19h when the boot order puts this ROM first (QEMU's
	 * -kernel always does) or does not name it (-option-rom without
	 * bootindex: the ROM takes the boot).  Otherwise the BIOS goes
	 * through its order and calls the BEV in turn.
	 */
	if (CONFIG_SELFLOAD && rom_bootorder_rank(p, hook) > 0)
		return;
	/* None, more than the ROM could read, or a broken reply on the way
	 * (E820_MAP_UNUSABLE): what the rest reserves is unknown, so nothing
	 * could be placed safely. */
	if (e820_entries - 1u >= E820_TABLE_ENTRIES) {
		report(MSG_NO_E820, 0, 0);
		return;
	}
	p->nmap = pvh_memmap_count(e820_entries);
	/* RAM from the entries the kernel is given, reserved ranges from all. */
	freemem_init(&p->free, e820_table, e820_entries, p->nmap);
	if ((selfload ? plan_selfload(p) : plan_dropin(p)) || place_blobs(p))
		return;
	/* From here on guest memory is written, above 1 MiB too. */
	enable_a20();
	if ((selfload && load_selfload(p)) || load_blobs(p))
		return;
	struct hvm_start_info *si = build_start_info(p);
	enter_kernel(p->entry, phys_addr(si));
}
