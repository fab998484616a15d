# SPDX-License-Identifier: GPL-2.0-or-later
"""Machine state SeaBIOS never leaves when it calls the ROM's boot entry.

A boot program may call the BEV itself, after changing the machine.  Here
a boot sector (tests/guests/bevsetup.S) does: it sets bits in CR0 and CR4,
or writes an RSDP into the EBDA (which it may move first), then calls the
boot entry; SeaBIOS boots that disk first (bootindex 0), the ROM
(bootindex 1) self-loads the test guest from the call.  The guest must still be entered
with CR0 = PE and CR4 = 0, and be handed the EBDA's RSDP, which the ABI's
search order puts before the BIOS area's, when its checksums are right
(SeaBIOS itself only ever puts one in the BIOS area).

The sector reports the registers as it set them and the EBDA's segment,
and the guest runs its own RSDP search: so each case shows that its setup
took effect.
"""

import re
import struct
from collections import namedtuple

import pytest

import abi
from qemu import EXIT_REPORT_DONE, GUEST64, GUEST_DIR, quit_once, run_sector_then_rom

SECTOR = GUEST_DIR / "bevsetup.bin"
MARKER = b"BEVSETUP"  # then: u32 cr0_set, u32 cr4_set, u16 offset, u16 length,
#                       u16 move_to (an EBDA segment), 36 bytes, u16 flags, u8 halt
SETUP_LINE = re.compile(r"BEVSETUP: CR0 ([0-9a-f]{8}) CR4 ([0-9a-f]{8}) EBDA ([0-9a-f]{4})"
                        r" FLAGS ([0-9a-f]{4})\n")

CR0_NE, CR0_WP, CR0_AM = 1 << 5, 1 << 16, 1 << 18
CR4_TSD, CR4_DE, CR4_PSE, CR4_PAE = 1 << 2, 1 << 3, 1 << 4, 1 << 5
CR4_PGE, CR4_OSFXSR, CR4_OSXMMEXCPT = 1 << 7, 1 << 9, 1 << 10
RSDP_IN_EBDA = 0x200  # 16-byte aligned, inside the first KiB, unused by SeaBIOS


def sector(cr0_set=0, cr4_set=0, ebda_bytes=b"", offset=RSDP_IN_EBDA, move_to=0,
           flags=0, halt=False):
    image = bytearray(SECTOR.read_bytes())
    at = image.rfind(MARKER) + len(MARKER)
    assert at >= len(MARKER) and len(ebda_bytes) <= 36
    struct.pack_into("<IIHHH", image, at, cr0_set, cr4_set, offset, len(ebda_bytes), move_to)
    image[at + 14:at + 14 + len(ebda_bytes)] = ebda_bytes
    struct.pack_into("<HB", image, at + 50, flags, halt)
    return bytes(image)


def rsdp(revision, sum_ok=True, extended_sum_ok=True):
    """An RSDP, 20 bytes for revision 0, 36 from revision 2, each checksum
    right or off by one."""
    r = bytearray(36 if revision >= 2 else 20)
    r[0:8] = b"RSD PTR "
    r[9:15] = b"PVHTST"
    r[15] = revision
    struct.pack_into("<I", r, 16, 0x12345670)  # RSDT: never followed here
    r[8] = (-sum(r[:20]) + (0 if sum_ok else 1)) & 0xFF
    if revision >= 2:
        struct.pack_into("<IQ", r, 20, len(r), 0x123456780)
        r[32] = (-sum(r) + (0 if extended_sum_ok else 1)) & 0xFF
    return bytes(r)


Setup = namedtuple("Setup", "cr0 cr4 ebda flags")  # as the sector read them back


def setup_of(res):
    """What the sector's line says it set up (ebda: the EBDA's address)."""
    m = SETUP_LINE.search(res.debug_log)
    assert m, "the sector did not run" + res.describe()
    cr0, cr4, ebda, flags = (int(g, 16) for g in m.groups())
    return Setup(cr0, cr4, ebda << 4, flags)


def boot(tmp_path, image, machine="q35"):
    assert SECTOR.is_file(), f"{SECTOR} is missing: run `make` first"
    res = run_sector_then_rom(tmp_path, image, machine=machine,
                              fw_cfg={"opt/pvh/kernel": GUEST64}, timeout=60)
    why = res.describe()
    setup = setup_of(res)
    assert "BEVSETUP: BEV returned" not in res.debug_log, why
    assert res.returncode == EXIT_REPORT_DONE, "the kernel did not finish" + why
    assert res.report.complete, why
    assert res.pvh_lines == [], why
    return res, setup


@pytest.mark.parametrize("machine", ["q35", "pc"])
def test_cr0_cr4_bits_cleared(tmp_path, machine):
    """CR0 with NE, WP and AM, CR4 with seven bits set: the kernel gets
    CR0 = 0x11 and CR4 = 0 all the same."""
    cr0_set = CR0_NE | CR0_WP | CR0_AM
    cr4_set = CR4_TSD | CR4_DE | CR4_PSE | CR4_PAE | CR4_PGE | CR4_OSFXSR | CR4_OSXMMEXCPT
    res, setup = boot(tmp_path, sector(cr0_set, cr4_set), machine)
    why = res.describe()
    assert setup.cr0 & cr0_set == cr0_set and setup.cr4 & cr4_set == cr4_set, \
        f"the sector's CR0 {setup.cr0:#x}, CR4 {setup.cr4:#x}" + why
    abi.check_entry_state(res.report)


@pytest.mark.parametrize("revision", [0, 2])
def test_valid_rsdp_in_the_ebda_comes_first(tmp_path, revision):
    res, setup = boot(tmp_path, sector(ebda_bytes=rsdp(revision)))
    rep = res.report
    at = setup.ebda + RSDP_IN_EBDA
    assert rep.int("rsdp_first") == at, "the guest did not find the EBDA's RSDP first" \
        + res.describe()
    abi.check_rsdp(rep)
    assert rep.int("rsdp_paddr") == at
    assert rep.int("rsdp_rev") == revision


@pytest.mark.parametrize("revision, offset", [(0, 0x3e0), (2, 0x3d0)],
                         ids=["rev0-at-0x3e0", "rev2-at-0x3d0"])
def test_rsdp_ending_at_the_first_kib_s_end_found(tmp_path, revision, offset):
    """The last 16-byte position where the whole RSDP (20 bytes, or 36
    from revision 2) lies in the EBDA's first KiB is searched."""
    res, setup = boot(tmp_path, sector(ebda_bytes=rsdp(revision), offset=offset))
    rep = res.report
    assert rep.int("rsdp_first") == setup.ebda + offset, \
        "the guest did not find the EBDA's RSDP first" + res.describe()
    abi.check_rsdp(rep)
    assert rep.int("rsdp_paddr") == setup.ebda + offset, res.describe()
    assert rep.int("rsdp_rev") == revision


def test_rsdp_past_the_first_kib_not_taken(tmp_path):
    """An RSDP at offset 0x400 of the EBDA is outside the area the ABI
    names: the ROM hands over SeaBIOS's, in the BIOS area.  SeaBIOS's
    EBDA ends at the VGA memory, so the sector first moves it down to
    0x90000, where the KiB after it is RAM."""
    image = sector(ebda_bytes=rsdp(0), offset=0x400, move_to=0x9000)
    res, setup = boot(tmp_path, image)
    assert setup.ebda == 0x90000, f"the EBDA at {setup.ebda:#x}: the sector did not move it"
    rep = res.report
    addr = rep.int("rsdp_paddr")
    assert 0xE0000 <= addr < 0x100000, f"RSDP {addr:#x}, not SeaBIOS's" + res.describe()
    abi.check_rsdp(rep)


@pytest.mark.parametrize("revision, sum_ok, extended_sum_ok", [
    (0, False, True),
    (2, False, True),
    (2, True, False),
], ids=["rev0-bad-checksum", "rev2-bad-checksum", "rev2-bad-extended-checksum"])
def test_bad_rsdp_in_the_ebda_skipped(tmp_path, revision, sum_ok, extended_sum_ok):
    """An RSDP in the EBDA with either checksum wrong is no RSDP: the ROM
    goes on to the BIOS area's (SeaBIOS's own)."""
    image = sector(ebda_bytes=rsdp(revision, sum_ok, extended_sum_ok))
    res, setup = boot(tmp_path, image)
    rep = res.report
    at = setup.ebda + RSDP_IN_EBDA
    why = res.describe()
    # The guest's own search checks the 20-byte sum only.
    assert (rep.int("rsdp_first") == at) == sum_ok, why
    addr = rep.int("rsdp_paddr")
    assert 0xE0000 <= addr < 0x100000, f"RSDP {addr:#x}, not SeaBIOS's" + why
    assert rep.int("rsdp_sig_ok") == 1 and rep.int("rsdp_sum_ok") == 1, why
    assert rep.int("rsdp_count") == 1 + sum_ok, why


EFLAGS_RESERVED, EFLAGS_DF = 1 << 1, 1 << 10


@pytest.mark.parametrize("machine", ["q35", "pc"])
def test_called_with_the_direction_flag_set(tmp_path, machine):
    """A caller may leave the direction flag set (after a backward string
    copy of its own): the ROM must copy itself, and do all it does after,
    forward all the same, and enter the kernel with the flag clear."""
    res, setup = boot(tmp_path, sector(flags=EFLAGS_RESERVED | abi.EFLAGS_IF | EFLAGS_DF),
                      machine)
    assert setup.flags & EFLAGS_DF, f"the sector's FLAGS {setup.flags:#x}" + res.describe()
    abi.check_entry_state(res.report)


# "info registers": selector, base, limit, flags (the descriptor's high word)
SEGMENT = re.compile(r"^(ES|CS|SS|DS|FS|GS) =([0-9a-f]{4}) ([0-9a-f]{8,16}) "
                     r"([0-9a-f]{8}) ([0-9a-f]{8})", re.M)
DESC_B, DESC_G = 1 << 22, 1 << 23   # 32-bit, limit in pages
REAL_MODE_LIMIT = 0xFFFF


@pytest.mark.parametrize("kernel", [None, b"not an ELF file"],
                         ids=["no-kernel", "refused-kernel"])
def test_bev_returns_with_real_mode_segments(tmp_path, kernel):
    """When the BEV gives the boot back, its caller must get the real mode
    it called from: every segment register with a 64 KiB limit and 16-bit,
    not the limits of the ROM's protected mode, which real mode keeps
    ("unreal mode": a caller's access past 64 KiB would no longer fault,
    a 16-bit stack would act as a 32-bit one).  The sector calls the BEV
    with interrupts off and halts when it returns, without loading a
    segment register but DS; the registers are then read through QMP."""
    assert SECTOR.is_file(), f"{SECTOR} is missing: run `make` first"
    dumps = []

    def read_registers(qmp):
        dumps.append(qmp.command("human-monitor-command", **{"command-line": "info registers"}))

    res = run_sector_then_rom(tmp_path, sector(flags=EFLAGS_RESERVED, halt=True),
                              fw_cfg={"opt/pvh/kernel": kernel} if kernel else None,
                              interact=quit_once("BEVSETUP: BEV returned", read_registers),
                              timeout=30)
    why = res.describe()
    assert setup_of(res).flags & abi.EFLAGS_IF == 0, why
    assert res.debug_pvh_lines == (["pvh: kernel is not an ELF file"] if kernel else []), why
    assert dumps, "the BEV did not return" + why
    segments = {m[0]: m[1:] for m in SEGMENT.findall(dumps[0])}
    assert sorted(segments) == ["CS", "DS", "ES", "FS", "GS", "SS"], dumps[0]
    for name, (_, _, limit, flags) in segments.items():
        assert int(limit, 16) == REAL_MODE_LIMIT, f"{name}'s limit {limit}\n" + dumps[0]
        assert int(flags, 16) & (DESC_B | DESC_G) == 0, f"{name} is not 16-bit\n" + dumps[0]
