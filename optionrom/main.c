// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pvh.bin: boots a PVH kernel, either the one QEMU's -kernel already loaded
 * (drop-in for QEMU's own pvh.bin) or one the ROM loads itself from the
 * fw_cfg file opt/pvh/kernel.  entry.S calls pvh_main() in 32-bit protected
 * mode; returning from it hands the boot back to the BIOS.
 */
#include "boot.h"
#include "console.h"
#include "layout.h"
#include "memmap.h"
#include "phys.h"

static struct boot_plan plan;

void pvh_main(unsigned entered_by);

void pvh_main(unsigned entered_by)
{
	struct boot_plan *p = &plan;

	if (!fw_cfg_init())
		return; /* not QEMU: nothing to boot */
	if (scan_files(p)) {
		report_error("cannot read the fw_cfg file directory");
		return;
	}
	bool selfload = p->files[FILE_KERNEL].select != 0;

	/*
	 * INT 19h runs before the boot list: take the boot only for a
	 * self-load kernel whose ROM the user did not place in the boot order.
	 */
	if (entered_by == ENTRY_INT19 &&
	    (!selfload || rom_in_bootorder(p)))
		return;
	if (!selfload && fw_cfg_read_u32(FW_CFG_KERNEL_ENTRY) == 0)
		return; /* no kernel configured: step aside quietly */

	p->nmap = extract_e820(p->map, PVH_MEMMAP_MAX);
	if (p->nmap == 0) {
		report_error("the BIOS returned no E820 memory map");
		return;
	}
	freemem_init(&p->free, p->map, p->nmap);
	if ((selfload ? plan_selfload(p) : plan_dropin(p)) || place_blobs(p))
		return;
	/* From here on guest memory is written. */
	if ((selfload && load_selfload(p)) || load_blobs(p))
		return;
	struct hvm_start_info *si = build_start_info(p);
	enable_a20();
	enter_kernel(p->entry, phys_addr(si));
}
