# SPDX-License-Identifier: GPL-2.0-or-later
"""A20 off when the ROM's boot entry is called.

SeaBIOS keeps A20 on (its 32-bit code turns it on), so the ROM's A20 code
never runs in the other tests.  Here a boot sector (build/guests/a20off.bin,
tests/guests/a20off.S) turns A20 off and calls the ROM's boot entry itself:
SeaBIOS boots the disk first (bootindex 0), the ROM (bootindex 1) then
self-loads the kernel with A20 off.  With A20 off, every write above 1 MiB
would land 1 MiB lower: the ROM must turn it on before loading, and the
kernel must find it on.
"""

import pytest

import abi
from qemu import (EXIT_REPORT_DONE, GUEST64, GUEST_DIR, GUEST_MULTI,
                  run_sector_then_rom)

A20OFF = GUEST_DIR / "a20off.bin"


@pytest.mark.parametrize("machine", ["q35", "pc"])
@pytest.mark.parametrize("kernel", [GUEST64, GUEST_MULTI], ids=["guest64", "multi"])
def test_boot_entry_called_with_a20_off(tmp_path, machine, kernel):
    assert A20OFF.is_file(), f"{A20OFF} is missing: run `make` first"
    res = run_sector_then_rom(tmp_path, A20OFF.read_bytes(), machine=machine,
                              fw_cfg={"opt/pvh/kernel": kernel, "opt/pvh/cmdline": "a20"},
                              timeout=60)
    why = res.describe()
    # The sector ran and called the boot entry itself (not SeaBIOS's list).
    assert "Booting from Hard Disk..." in res.debug_log, why
    assert "Booting from ROM..." not in res.debug_log, why
    assert "A20OFF" not in res.debug_log, why
    assert res.returncode == EXIT_REPORT_DONE, "the kernel did not finish" + why
    rep = res.report
    assert rep.complete, why
    abi.check_a20(rep)
    abi.check_entry_state(rep)
    abi.check_segments_loaded(rep)
    assert rep.cmdline == b"a20", why
