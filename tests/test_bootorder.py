# SPDX-License-Identifier: GPL-2.0-or-later
"""Boot order in self-load mode, with other boot devices present: a disk
whose boot sector prints DISKBOOT on the debug port and exits QEMU (status
65), and an e1000 NIC with its iPXE boot ROM.

(a) -option-rom build/pvh.bin without bootindex and a kernel configured:
    the PVH kernel boots first, whatever order the other devices have.
(b) -option-rom build/pvh.bin,bootindex=N: SeaBIOS's boot order decides,
    also with another option ROM listed after it.
(c) no kernel configured: the BIOS boots as if the ROM were absent, and the
    ROM prints nothing.
(d) a boot order longer than 4 KiB, the ROM's entry at its end; and one
    whose entry for the ROM lies past the 8 KiB the ROM reads.
"""

import re
import struct
import sys

import pytest

import abi
from qemu import (DISK_MARKER, EXIT_REPORT_DONE, GUEST64, REPORT_BEGIN, ROM,
                  assert_disk_booted, disk_args, fw_cfg_file_use, fw_cfg_trace_args,
                  REPO, make_marker_disk, nic_args, run_qemu)

sys.path.insert(0, str(REPO / "tools"))
import romsign  # noqa: E402

MACHINES = ["q35", "pc", "pc-i440fx-3.1"]
machines = pytest.mark.parametrize("machine", MACHINES)
KERNEL = {"opt/pvh/kernel": GUEST64, "opt/pvh/cmdline": "bootorder"}
IPXE_BANNER = "iPXE (http://ipxe.org)"


def boot_sequence(res):
    """The boot attempts and outcomes in order: SeaBIOS's "Booting from"
    lines, the ROM's messages, the disk's marker and the guest's report."""
    keep = ("Booting from", "pvh:", DISK_MARKER, REPORT_BEGIN)
    return [ln.strip() for ln in res.debug_log.splitlines()
            if ln.strip().startswith(keep)]


def run(tmp_path, machine, rom_bootindex=None, kernel=True, disk_bootindex=None,
        nic_bootindex=None, with_rom=True, disk="marker", extra=()):
    assert ROM.is_file(), f"{ROM} is missing: run `make` first"
    image = tmp_path / f"{disk}.img"
    if disk == "marker":
        make_marker_disk(image)
    else:  # a disk without a boot signature: SeaBIOS skips it
        image.write_bytes(bytes(1 << 20))
    extra = disk_args(image, disk_bootindex) + nic_args(bootindex=nic_bootindex) + list(extra)
    return run_qemu(rom=None, machine=machine, nic=False,
                    option_rom=ROM if with_rom else None,
                    bootindex=rom_bootindex if with_rom else None,
                    fw_cfg=KERNEL if kernel and with_rom else None,
                    extra=extra, timeout=30)


def assert_kernel_booted(res):
    why = res.describe()
    assert res.returncode == EXIT_REPORT_DONE, "the PVH kernel did not boot" + why
    assert res.report["guest"] == "elf64" and res.report.complete, why
    assert DISK_MARKER not in res.debug_log, why
    assert res.pvh_lines == [], why


def assert_nic_rom_ran(res):
    assert IPXE_BANNER in res.serial, "the NIC's boot ROM did not run" + res.describe()


# --- (a) no bootindex: the kernel first ---------------------------------------

ORDERS = {
    # name: (disk bootindex, NIC bootindex)
    "no-bootindex": (None, None),
    "disk-bootindex-0": (0, 1),
    "nic-bootindex-0": (1, 0),
}


@machines
@pytest.mark.parametrize("order", list(ORDERS))
def test_a_kernel_boots_first_without_bootindex(tmp_path, machine, order):
    disk_bi, nic_bi = ORDERS[order]
    res = run(tmp_path, machine, disk_bootindex=disk_bi, nic_bootindex=nic_bi)
    assert_kernel_booted(res)
    assert_nic_rom_ran(res)
    # Nothing else was tried first.
    assert boot_sequence(res) == [REPORT_BEGIN], res.describe()


@machines
@pytest.mark.parametrize("order", ["no-bootindex", "disk-bootindex-0"])
def test_a_control_without_rom_the_disk_boots(tmp_path, machine, order):
    """The same VM without the ROM boots the disk: it is bootable and the
    first device, so (a) shows the ROM taking the boot."""
    disk_bi, nic_bi = ORDERS[order]
    res = run(tmp_path, machine, disk_bootindex=disk_bi, nic_bootindex=nic_bi,
              with_rom=False)
    assert_disk_booted(res)
    assert_nic_rom_ran(res)


# --- (b) bootindex: SeaBIOS's order decides -----------------------------------

@machines
def test_b_disk_with_lower_bootindex_boots_first(tmp_path, machine):
    res = run(tmp_path, machine, rom_bootindex=1, disk_bootindex=0)
    assert_disk_booted(res)
    assert res.pvh_lines == [], res.describe()
    assert_nic_rom_ran(res)
    assert boot_sequence(res)[0] == "Booting from Hard Disk...", res.describe()


def idle_rom(path):
    """Write to path an option ROM of one 512-byte block that does nothing
    (its init entry returns at once; its $PnP header has no boot entry)
    and return path."""
    pnp = 0x20
    raw = bytearray(pnp + 32)
    raw[0:2] = b"\x55\xaa"
    raw[3] = 0xCB                                 # init entry: lret
    struct.pack_into("<H", raw, 0x1A, pnp)
    raw[pnp:pnp + 6] = b"$PnP\x01\x02"          # revision 1, 32 bytes
    path.write_bytes(romsign.sign(bytes(raw), 512))
    return path


@machines
def test_b_another_option_rom_does_not_take_its_place(tmp_path, machine):
    """The ROM looks for its boot-order entry under its own genroms name,
    which it tells by its size: a smaller option ROM whose name QEMU lists
    after it (fw_cfg files go by name) must not be taken for it.  The ROM
    would then find no entry of its own and boot the kernel first; its
    bootindex puts the disk first."""
    other = idle_rom(tmp_path / "second.bin")
    assert other.stat().st_size != ROM.stat().st_size and other.name > ROM.name
    trace = tmp_path / "fw_cfg-trace.log"
    res = run(tmp_path, machine, rom_bootindex=1, disk_bootindex=0,
              extra=["-option-rom", str(other)] + fw_cfg_trace_args(trace, reads=False))
    assert_disk_booted(res)
    assert res.pvh_lines == [], res.describe()
    assert boot_sequence(res)[0] == "Booting from Hard Disk...", res.describe()
    # QEMU did list both.
    files = fw_cfg_file_use(trace.read_text(errors="replace"))
    assert {"genroms/pvh.bin", "genroms/second.bin"} <= set(files), sorted(files)


@pytest.mark.parametrize("bootindex", [None, 1], ids=["no-bootindex", "bootindex-1"])
def test_b_next_to_qemus_rom_it_boots_the_dash_kernel(tmp_path, bootindex):
    """QEMU's own pvh.bin boots -kernel (boot index 0), and this ROM is
    added under another name with -option-rom.  A -kernel boot is first
    in the order whatever this ROM's own index: its INT 19h hook boots
    that kernel at once, without reading the order, and the kernel gets
    this ROM's hand-over (a loaded TR, which QEMU's ROM does not give)."""
    ours = tmp_path / "pvh-ours.bin"
    ours.write_bytes(ROM.read_bytes())
    res = run_qemu(kernel=GUEST64, rom="qemu", option_rom=ours, bootindex=bootindex,
                   nic=False, timeout=30)
    why = res.describe()
    assert res.returncode == EXIT_REPORT_DONE and res.report.complete, why
    assert res.pvh_lines == [], why
    # SeaBIOS's boot list never ran: the hook took the boot.
    assert "Booting from ROM..." not in res.debug_log, why
    abi.check_tr(res.report)


@machines
def test_b_kernel_with_lower_bootindex_boots_first(tmp_path, machine):
    """First in the boot order, the ROM boots from its INT 19h hook, as the
    order asks: SeaBIOS's boot list never runs (no "Booting from" line)."""
    res = run(tmp_path, machine, rom_bootindex=1, disk_bootindex=2)
    assert_kernel_booted(res)
    assert_nic_rom_ran(res)
    assert boot_sequence(res) == [REPORT_BEGIN], res.describe()


@machines
def test_b_kernel_boots_when_the_disk_before_it_fails(tmp_path, machine):
    """Disk first in the order but not bootable: SeaBIOS goes on to the
    ROM's boot entry, which boots the kernel."""
    res = run(tmp_path, machine, rom_bootindex=1, disk_bootindex=0, disk="blank")
    assert_kernel_booted(res)
    seq = boot_sequence(res)
    assert seq[0] == "Booting from Hard Disk...", res.describe()
    assert "Booting from ROM..." in seq, res.describe()
    assert seq[-1] == REPORT_BEGIN, res.describe()


# --- (c) no kernel configured: as if the ROM were absent ------------------------

@machines
def test_c_no_kernel_disk_boots_as_without_rom(tmp_path, machine):
    res = run(tmp_path, machine, kernel=False)
    assert_disk_booted(res)
    assert res.pvh_lines == [], "the ROM printed a message" + res.describe()
    assert_nic_rom_ran(res)
    # SeaBIOS did run our ROM (else the test would be empty).
    assert "/rom@genroms/pvh.bin" in res.debug_log, res.describe()
    without = run(tmp_path, machine, with_rom=False)
    assert_disk_booted(without)
    assert boot_sequence(res) == boot_sequence(without)


@machines
def test_c_no_kernel_rom_first_in_order_steps_aside(tmp_path, machine):
    """With bootindex=0 and no kernel the ROM's boot entry is tried first,
    returns quietly, and SeaBIOS boots the disk."""
    res = run(tmp_path, machine, kernel=False, rom_bootindex=0, disk_bootindex=1)
    assert_disk_booted(res)
    assert res.pvh_lines == [], "the ROM printed a message" + res.describe()
    seq = boot_sequence(res)
    assert seq.index("Booting from ROM...") < seq.index("Booting from Hard Disk..."), \
        res.describe()


def nics_behind_bridges(count):
    """QEMU arguments for count NICs without boot ROMs, each with a
    bootindex (1 to count), behind eight nested PCI bridges (long device
    paths in the boot order: some 140 bytes each), filling the bridges'
    free slots from the innermost out (slot 1 of each outer bridge holds
    the next bridge)."""
    extra = ["-device", "pci-bridge,id=br1,chassis_nr=1,bus=pci.0,addr=0x10"]
    for i in range(2, 9):
        extra += ["-device", f"pci-bridge,id=br{i},chassis_nr={i},bus=br{i - 1},addr=0x1"]
    places = [(b, slot) for b in range(8, 0, -1) for slot in range(1 if b == 8 else 2, 32)]
    for k, (bridge, slot) in enumerate(places[:count]):
        extra += ["-device", f"e1000,romfile=,bootindex={k + 1},bus=br{bridge},addr={slot:#x}"]
    return extra


def long_boot_order_run(tmp_path, nics):
    """The ROM at bootindex 100, after the NICs; the run and the size of
    the boot order."""
    trace = tmp_path / "fw_cfg-trace.log"
    extra = nics_behind_bridges(nics) + fw_cfg_trace_args(trace, reads=False)
    res = run_qemu(rom=None, machine="pc", nic=False, option_rom=ROM, bootindex=100,
                   fw_cfg=KERNEL, extra=extra, timeout=60)
    size = re.search(r"fw_cfg_add_file \S+ #\d+: bootorder \((\d+) bytes\)",
                     trace.read_text(errors="replace"))
    assert size, "no boot order in the fw_cfg trace" + res.describe()
    return res, int(size.group(1))


def test_own_entry_found_in_a_long_boot_order(tmp_path):
    """A boot order of some 5 KiB: 37 NICs, then the ROM.  The ROM must
    find its own entry at the end and leave the boot to SeaBIOS's list,
    which boots it through its boot entry ("Booting from ROM"), not take
    it from INT 19h as if it were not named."""
    res, size = long_boot_order_run(tmp_path, 37)
    why = res.describe()
    # Longer than 4 KiB, and shorter than the 8 KiB the ROM reads.
    assert 4096 < size < 8192, f"the boot order is {size} bytes, not 4-8 KiB" + why
    assert res.returncode == EXIT_REPORT_DONE, "the PVH kernel did not boot" + why
    seq = boot_sequence(res)
    assert seq[0] == "Booting from ROM..." and seq[-1] == REPORT_BEGIN, why
    assert res.pvh_lines == [], why


def test_own_entry_past_8_kib_counts_as_none(tmp_path):
    """A boot order of some 9 KiB: 66 NICs, then the ROM, whose line
    starts past the 8 KiB the ROM reads.  As the README says, that entry
    counts as none: the ROM boots the kernel from its INT 19h hook, with
    no "Booting from" line, and reads nothing past its buffer."""
    res, size = long_boot_order_run(tmp_path, 66)
    why = res.describe()
    rom_line = len("/rom@genroms/pvh.bin\n")
    assert size - rom_line > 8192, f"the boot order is {size} bytes, the ROM's line not past 8 KiB" + why
    assert res.returncode == EXIT_REPORT_DONE, "the PVH kernel did not boot" + why
    assert boot_sequence(res) == [REPORT_BEGIN], why
    assert res.pvh_lines == [], why


def test_a_file_of_the_roms_size_outside_genroms_is_not_the_rom(tmp_path):
    """The ROM knows its own boot-order entry by its genroms/ file, found
    by size.  A file of the same size elsewhere in the directory (after
    genroms/, in name order) must not be taken for it: with the ROM at
    bootindex 1 and the disk at 0, the disk boots first, as in (b)."""
    extra = disk_args(make_marker_disk(tmp_path / "marker.img"), 0)
    res = run_qemu(rom=None, machine="q35", nic=False, option_rom=ROM, bootindex=1,
                   fw_cfg={**KERNEL, "opt/zz-same-size": bytes(ROM.stat().st_size)},
                   extra=extra, timeout=30)
    assert_disk_booted(res)
    assert res.pvh_lines == [], res.describe()

