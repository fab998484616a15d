# SPDX-License-Identifier: GPL-2.0-or-later
"""With no kernel configured, the ROM steps aside: the BIOS goes through its
boot devices and reports that none is bootable, and the ROM says nothing."""

import pytest

from qemu import ROM, run_qemu

NO_BOOT = "No bootable device"


@pytest.mark.parametrize("machine", ["q35", "pc"])
@pytest.mark.parametrize("dma", [True, False], ids=["dma", "pio"])
def test_no_kernel_bios_continues(machine, dma):
    assert ROM.is_file(), f"{ROM} is missing: run `make` first"
    # No NIC: its boot ROM would try the network first (slow); no disks.
    res = run_qemu(rom=None, option_rom=ROM, machine=machine, dma=dma,
                   nic=False, wait_for=NO_BOOT, timeout=30,
                   allow_timeout=True)
    assert res.found == NO_BOOT, (
        "SeaBIOS did not report that nothing is bootable" + res.describe())
    assert res.pvh_lines == [], "the ROM printed a message" + res.describe()
    # SeaBIOS did run our ROM (the test would be empty otherwise).
    assert "/rom@genroms/pvh.bin" in res.debug_log, res.describe()
