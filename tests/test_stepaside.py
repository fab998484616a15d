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


def test_rom_copies_chained_keep_their_checksums(tmp_path):
    """Each copy of the ROM hooks INT 19h at POST, saves the vector it
    finds in its image and fixes the image's checksum: SeaBIOS checks it
    again before it registers the ROM's boot entry.  Four copies sit at
    segments ending in 0x00 and 0x80, so a saved vector's offset (0x..97)
    and segment bytes carry into each other: every copy must still be
    registered, none refused for a bad checksum."""
    names = [f"pvh{c}.bin" for c in "ABCD"]
    extra = []
    for name in names:
        (tmp_path / name).write_bytes(ROM.read_bytes())
        extra += ["-option-rom", str(tmp_path / name)]
    res = run_qemu(rom=None, nic=False, extra=extra, wait_for=NO_BOOT,
                   timeout=30, allow_timeout=True)
    why = res.describe()
    assert res.found == NO_BOOT, why
    assert "bad checksum" not in res.debug_log, why
    for name in names:
        assert f"Searching bootorder for: /rom@genroms/{name}" in res.debug_log, \
            f"{name}'s boot entry not registered" + why
    assert res.pvh_lines == [], why
