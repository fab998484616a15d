# SPDX-License-Identifier: GPL-2.0-or-later
"""The drop-in-only build, build/dropin/pvh.bin (`make ROM_SELFLOAD=0`): the
ROM for QEMU's -kernel alone, as QEMU's own pc-bios/pvh.bin is.  Some of
the ABI tests of test_dropin.py and the drop-in refusals of
test_refusals.py boot it too; these check what sets it apart: its size,
and that it does not self-load."""

import pytest

from qemu import (DROPIN_ROM, GUEST32, GUEST64, NO_BOOT, REPORT_BEGIN, ROM, boot_guest,
                  run_until_no_boot, selfload_fw_cfg)
from test_memory_map import nm

ROM_GOAL_SIZE = 4096  # optionrom/optionrom.mk


def rom_symbols(rom):
    """The names of the symbols in a ROM's pvh.elf, without GCC's suffixes
    (.constprop.0, .isra.0)."""
    return {name.split(".")[0] for name, _, _ in nm(rom.with_suffix(".elf"))}


def test_size_within_the_goal():
    size = DROPIN_ROM.stat().st_size
    assert size <= ROM_GOAL_SIZE, f"{DROPIN_ROM}: {size} bytes"
    assert size < ROM.stat().st_size


# What self-loading alone needs: the ELF validator, the directory scan.
SELFLOAD_ONLY = {"pvh_elf_check", "scan_files"}


def test_selfload_code_left_out():
    assert SELFLOAD_ONLY <= rom_symbols(ROM), "the names changed: update the test"
    assert not SELFLOAD_ONLY & rom_symbols(DROPIN_ROM)


def test_steps_aside_from_a_selfload_kernel():
    """-option-rom with opt/pvh/kernel: the drop-in-only ROM does not load
    it, and says nothing; SeaBIOS goes on and finds nothing to boot."""
    res = run_until_no_boot(rom=None, option_rom=DROPIN_ROM,
                            fw_cfg=selfload_fw_cfg(GUEST64, cmdline="not for me"))
    why = res.describe()
    assert res.found == NO_BOOT, why
    assert REPORT_BEGIN not in res.debug_log, "the guest was entered" + why
    assert res.pvh_lines == [], why
    # SeaBIOS did run the ROM (the test would be empty otherwise).
    assert "/rom@genroms/pvh.bin" in res.debug_log, why


@pytest.mark.parametrize("rom, booted", [("ours", "elf64"), ("dropin", "elf32")],
                         ids=["rom", "dropin-only"])
def test_kernel_boots_whatever_opt_pvh_kernel_says(rom, booted):
    """-kernel (the ELF32 guest) with opt/pvh/kernel (the ELF64 one): the
    ROM self-loads opt/pvh/kernel, which takes precedence; the drop-in-only
    ROM boots what -kernel loaded, with -append."""
    res = boot_guest(kernel=GUEST32, rom=rom, append="from -append",
                     fw_cfg=selfload_fw_cfg(GUEST64, cmdline="from opt/pvh/cmdline"))
    assert res.pvh_lines == [], res.describe()
    assert res.report["guest"] == booted, res.describe()
    want = "from opt/pvh/cmdline" if rom == "ours" else "from -append"
    assert res.report.cmdline == want.encode(), res.describe()
