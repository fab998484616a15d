# SPDX-License-Identifier: GPL-2.0-or-later
"""The memory map as the ROM reads it from INT 15h E820h, with maps
SeaBIOS never gives, and an fw_cfg DMA transfer that fails.

SeaBIOS answers E820h with a few 20-byte entries, all valid.  Here a boot
sector (tests/guests/fakee820.S) answers it from a map of the test's
choosing, then calls the ROM's boot entry itself: SeaBIOS boots the disk
first (bootindex 0), the ROM (bootindex 1) self-loads the kernel from that
call.  The kernel reports the memmap it was handed, which must be the
BIOS's entries in order, 20- and 24-byte replies alike, without those whose
ACPI 3.0 "valid" bit is clear, types as given, reserved fields 0, and at
most 127 of them.  A map with no valid entry, or longer than the 128 the
ROM reads, is refused: what the unread entries reserve is unknown.
"""

import struct
import sys
from pathlib import Path

import pytest

from elftools import EXIT_33_CODE
from qemu import (EXIT_REPORT_DONE, GUEST64, GUEST_DIR, REPORT_BEGIN,
                  MemmapEntry, run_sector_then_rom)

sys.path.insert(0, str(Path(__file__).resolve().parent / "unit"))
import elf_corpus  # noqa: E402

FAKE = GUEST_DIR / "fakee820.bin"
MARKER = b"FAKEE820"          # the table follows it: u16 count, fixed entries
FIXED_ENTRIES = 6
REPLY_20_BYTES = 0xFFFFFFFF   # a fixed entry's attr: reply without attr
ATTR_VALID = 1
ROM_CALLS_MAX = 128           # the ROM's E820 calls (its table's size)
MEMMAP_MAX = 127              # hvm_start_info entries the ROM hands over
EXIT_BEV_FAILED = 67          # the sector: the boot entry returned


def table_offset(sector):
    at = sector.rfind(MARKER)
    assert at >= 0, f"no {MARKER} table in {FAKE}"
    return at + len(MARKER)


def fixed_entries(sector):
    """The sector's fixed entries: (base, length, type, attr) each."""
    at = table_offset(sector) + 2
    return [struct.unpack_from("<QQII", sector, at + 24 * i)
            for i in range(FIXED_ENTRIES)]


def patched_sector(count, fixed=None):
    """The boot sector answering with count entries, the fixed ones
    replaced by fixed if given."""
    sector = bytearray(FAKE.read_bytes())
    at = table_offset(sector)
    struct.pack_into("<H", sector, at, count)
    for i, e in enumerate(fixed or ()):
        struct.pack_into("<QQII", sector, at + 2 + 24 * i, *e)
    return bytes(sector)


def bios_replies(sector, count):
    """What the sector's INT 15h gives, call by call: (base, length, type,
    attr or None for a 20-byte reply) (the rule in fakee820.S)."""
    fixed = fixed_entries(sector)
    out = []
    for i in range(count):
        if i < FIXED_ENTRIES:
            base, length, typ, attr = fixed[i]
            out.append((base, length, typ, None if attr == REPLY_20_BYTES else attr))
        else:
            k = i - FIXED_ENTRIES
            out.append(((1 << 32) + k * 4096, 4096, 2, ATTR_VALID if k % 2 else None))
    return out


def expected_memmap(replies):
    """The memmap the issue asks for: every entry the BIOS gives (the ROM
    asks at most 128 times), 24-byte ones only with the valid bit, types
    preserved, reserved 0, at most 127."""
    kept = [MemmapEntry(base, length, typ, 0)
            for base, length, typ, attr in replies[:ROM_CALLS_MAX]
            if attr is None or attr & ATTR_VALID]
    return kept[:MEMMAP_MAX]


def boot_with_map(tmp_path, sector, **kwargs):
    assert FAKE.is_file(), f"{FAKE} is missing: run `make` first"
    return run_sector_then_rom(tmp_path, sector, timeout=60, **kwargs)


CASES = {
    # 20- and 24-byte replies, one invalid entry, an unknown type, attr
    # bits beyond "valid"
    "mixed": FIXED_ENTRIES + 4,
    # as many entries as the ROM reads, one more than the memmap holds
    "at-cap": ROM_CALLS_MAX,
}


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("machine", ["q35", "pc"])
def test_memmap_as_the_bios_gives_it(tmp_path, machine, case):
    count = CASES[case]
    sector = FAKE.read_bytes()
    if case == "at-cap":
        # All valid here, so that only the cap can take entries away.
        sector = patched_sector(count, [e[:3] + (ATTR_VALID,) if e[3] == 0 else e
                                        for e in fixed_entries(sector)])
    else:
        sector = patched_sector(count)
    replies = bios_replies(sector, count)
    want = expected_memmap(replies)
    if case == "at-cap":
        assert len(want) == MEMMAP_MAX
    else:
        assert len(want) < count, "the case has no invalid entry"
        assert {r[3] for r in replies} >= {None, 0, 1, 3}, "not every kind of reply"
    res = boot_with_map(tmp_path, sector, machine=machine,
                        fw_cfg={"opt/pvh/kernel": GUEST64, "opt/pvh/cmdline": "e820"})
    why = res.describe()
    assert res.returncode == EXIT_REPORT_DONE, why
    rep = res.report
    assert rep.complete, why
    assert rep.int("memmap_entries") == len(want), why
    assert rep.memmap == want, why
    assert rep.cmdline == b"e820", why
    assert res.pvh_lines == [], why


E820_REFUSED = "pvh: the BIOS returned no E820 memory map, or more than 128 entries"


@pytest.mark.parametrize("case", ["none-valid", "too-long"])
def test_map_it_cannot_use_is_refused(tmp_path, case):
    """No valid entry (each reply has its valid bit clear), or more
    entries than the ROM reads (the BIOS's 129th would be the one
    reserving what the ROM is about to use): the ROM says so and gives
    the boot back."""
    sector = FAKE.read_bytes()
    if case == "none-valid":
        sector = patched_sector(FIXED_ENTRIES, [e[:3] + (0,) for e in fixed_entries(sector)])
        assert expected_memmap(bios_replies(sector, FIXED_ENTRIES)) == []
    else:
        sector = patched_sector(ROM_CALLS_MAX + 1)
    res = boot_with_map(tmp_path, sector, fw_cfg={"opt/pvh/kernel": GUEST64})
    why = res.describe()
    assert REPORT_BEGIN not in res.debug_log, "the kernel was entered" + why
    assert res.debug_pvh_lines == [E820_REFUSED], why
    assert res.serial_pvh_lines == [E820_REFUSED], "not shown through INT 10h" + why
    assert res.returncode == EXIT_BEV_FAILED, "the boot entry did not return" + why
    assert "FAKEE820: BEV returned" in res.debug_log, why


def map_with_ram_up_to_1_gib():
    """The sector with its RAM above 1 MiB claimed up to 1 GiB: in a
    512 MiB VM nothing is mapped in the upper half of that range."""
    sector = FAKE.read_bytes()
    fixed = fixed_entries(sector)
    base, _, typ, attr = fixed[3]
    assert (base, typ) == (0x100000, 1), "entry 3 is not the RAM above 1 MiB"
    fixed[3] = (base, (1 << 30) - base, typ, attr)
    return patched_sector(FIXED_ENTRIES, fixed)


def bss_beyond_ram_kernel():
    """A PVH kernel whose text loads at 16 MiB (it exits QEMU with status
    33 if entered) and with a bss-only segment of 64 KiB at 768 MiB."""
    return elf_corpus.code_kernel(EXIT_33_CODE,
                                  extra_phdrs=[elf_corpus.load(0, 0x30000000, 0, 0x10000)])


@pytest.mark.parametrize("what", ["initrd", "command line", "kernel"])
def test_dma_error_is_reported(tmp_path, what):
    """A map that claims RAM up to 1 GiB in a 512 MiB VM, and a DMA
    transfer into the part that is not there ends with the error bit: the
    initrd or a long command line, which the ROM places at the top of that
    "RAM", or a kernel's bss, which the ROM has QEMU clear with a read past
    the end of the item.  The ROM must say so and give the boot back, not
    enter the kernel with a missing initrd, command line or bss."""
    fw_cfg = {"opt/pvh/kernel": GUEST64}
    if what == "initrd":
        fw_cfg["opt/pvh/initrd"] = bytes(range(256)) * 256
    elif what == "command line":
        # Longer than the 2 KiB the ROM keeps in its own window.
        fw_cfg["opt/pvh/cmdline"] = "console=ttyS0 " + "x" * 3000
    else:
        fw_cfg["opt/pvh/kernel"] = bss_beyond_ram_kernel()
    res = boot_with_map(tmp_path, map_with_ram_up_to_1_gib(), mem="512M", fw_cfg=fw_cfg)
    why = res.describe()
    assert res.returncode != EXIT_REPORT_DONE, "the kernel was entered" + why
    assert REPORT_BEGIN not in res.debug_log, "the kernel was entered" + why
    want = f"pvh: fw_cfg DMA error while loading the {what}"
    assert res.debug_pvh_lines == [want], why
    assert res.serial_pvh_lines == [want], "not shown through INT 10h" + why
    assert res.returncode == EXIT_BEV_FAILED, "the boot entry did not return" + why
    assert "FAKEE820: BEV returned" in res.debug_log, why
