# SPDX-License-Identifier: GPL-2.0-or-later
"""The memory map as the ROM reads it from INT 15h E820h, with maps
SeaBIOS never gives, and an fw_cfg DMA transfer that fails.

SeaBIOS answers E820h with a few 20-byte entries, all valid.  Here a boot
sector (tests/guests/fakee820.S) answers it, reply by reply, from a table
the test writes on the disk after it, then calls the ROM's boot entry
itself: SeaBIOS boots the disk first (bootindex 0), the ROM (bootindex 1)
self-loads the kernel from that call.  The kernel reports the memmap it was
handed, which must be the BIOS's entries in order, 20- and 24-byte replies
alike, without those whose ACPI 3.0 "valid" bit is clear (a 20-byte reply
has no such bit, whatever the BIOS wrote after it), types as given,
reserved fields 0, and at most 127 of them; the ROM must place nothing in
RAM that only an entry past those 127 describes.  A map the ROM cannot
trust is refused: none, no valid entry, longer than the 128 the ROM reads
(what the unread entries reserve is unknown), or a broken reply on the way
(no "SMAP", after which Linux drops the map too, or shorter than the 20
bytes of an entry).  A map the
BIOS ends by failing the next call, rather than with EBX = 0, is whole.
"""

import struct
import sys
from collections import namedtuple
from pathlib import Path

import pytest

from elftools import EXIT_33_CODE
from qemu import (EXIT_REPORT_DONE, GUEST64, GUEST_DIR, REPORT_BEGIN, ROM,
                  MemmapEntry, run_sector_then_rom)

sys.path.insert(0, str(Path(__file__).resolve().parent / "unit"))
import elf_corpus  # noqa: E402

FAKE = GUEST_DIR / "fakee820.bin"
SMAP = 0x534D4150
ATTR_VALID = 1
ROM_CALLS_MAX = 128           # the ROM's E820 calls (its table's size)
MEMMAP_MAX = 127              # hvm_start_info entries the ROM hands over
TABLE_MAX = 255               # replies the sector's table holds (16 sectors)
END_BY_CF = 1                 # table flag: the call after the last fails
STI_FAST_TIMER = 2            # table flag: replies turn interrupts on; timer at 10 kHz
EXIT_BEV_FAILED = 67          # the sector: the boot entry returned
MIB = 1 << 20


class Reply(namedtuple("Reply", "base length type attr ecx written eax")):
    """One answer of the sector's INT 15h (tests/guests/fakee820.S): the
    entry, the size returned in ECX, the bytes written to the caller's
    buffer (by default that size) and EAX (by default "SMAP")."""

    def __new__(cls, base, length, type, attr=ATTR_VALID, ecx=24, written=None, eax=SMAP):
        return super().__new__(cls, base, length, type, attr, ecx,
                               ecx if written is None else written, eax)


def reply20(base, length, type):
    """A 20-byte reply: no attribute word."""
    return Reply(base, length, type, attr=0, ecx=20)


# What SeaBIOS's map has, in 20- and 24-byte replies, with attr bits beyond
# "valid", a RAM entry whose valid bit is clear (to be dropped), and a type
# SeaBIOS never gives (to be kept as it is).
BASE_MAP = [
    reply20(0, 0x9fc00, 1),
    Reply(0x9fc00, 0x400, 2),
    Reply(0xf0000, 0x10000, 2, attr=3),     # valid and non-volatile: handed over as 0
    Reply(0x100000, 0xff00000, 1),
    Reply(0x10000000, 0x100000, 1, attr=0),  # valid bit clear: must be dropped
    Reply(0x10100000, 0x1000, 12),
]


def filler(k):
    """The k-th of the reserved pages above 4 GiB that make maps long:
    20-byte replies for even k, 24-byte valid ones for odd k."""
    base = (1 << 32) + k * 4096
    return reply20(base, 4096, 2) if k % 2 == 0 else Reply(base, 4096, 2)


def table(replies, flags=0):
    """The sector's table: a header, then 32 bytes per reply."""
    assert len(replies) <= TABLE_MAX
    out = struct.pack("<II24x", len(replies), flags)
    for r in replies:
        out += struct.pack("<QQIIHHI", r.base, r.length, r.type, r.attr, r.ecx,
                           r.written, r.eax)
    return out


def expected_memmap(replies):
    """The memmap the issue asks for: every entry the BIOS gives (the ROM
    asks at most 128 times), 24-byte ones only with the valid bit, types
    preserved, reserved 0, at most 127.  A reply that says 24 bytes but
    writes 20 leaves the attribute word the ROM put in its buffer: valid."""
    kept = [MemmapEntry(r.base, r.length, r.type, 0)
            for r in replies[:ROM_CALLS_MAX]
            if r.ecx < 24 or r.written < 24 or r.attr & ATTR_VALID]
    return kept[:MEMMAP_MAX]


def boot_with_map(tmp_path, replies, flags=0, **kwargs):
    assert FAKE.is_file(), f"{FAKE} is missing: run `make` first"
    return run_sector_then_rom(tmp_path, FAKE.read_bytes(), disk_data=table(replies, flags),
                               timeout=60, **kwargs)


def check_booted(res, replies, cmdline=b"e820"):
    """The kernel was entered with the memmap expected_memmap() gives."""
    why = res.describe()
    assert res.returncode == EXIT_REPORT_DONE, why
    rep = res.report
    assert rep.complete, why
    want = expected_memmap(replies)
    assert rep.int("memmap_entries") == len(want), why
    assert rep.memmap == want, why
    assert rep.cmdline == cmdline, why
    assert res.pvh_lines == [], why
    return rep


def check_refused(res, want):
    """The ROM printed want (debug port and INT 10h) and gave the boot
    back: the kernel not entered, the sector's BEV call returned."""
    why = res.describe()
    assert REPORT_BEGIN not in res.debug_log, "the kernel was entered" + why
    assert res.debug_pvh_lines == [want], why
    assert res.serial_pvh_lines == [want], "not shown through INT 10h" + why
    assert res.serial.count(want) == 1, "printed more than once on serial" + why
    assert want + "\r\n" in res.debug_log, "the line does not end in CR LF" + why
    assert res.returncode == EXIT_BEV_FAILED, "the boot entry did not return" + why
    assert "FAKEE820: BEV returned" in res.debug_log, why


CASES = {
    # 20- and 24-byte replies, one invalid entry, an unknown type, attr
    # bits beyond "valid"
    "mixed": BASE_MAP + [filler(k) for k in range(4)],
    # as many entries as the ROM reads, one more than the memmap holds
    # (all valid, so that only the cap can take entries away)
    "at-cap": [r._replace(attr=ATTR_VALID) for r in BASE_MAP] +
              [filler(k) for k in range(ROM_CALLS_MAX - len(BASE_MAP))],
    # the same map as "mixed", ended by a failing call instead of EBX = 0
    "ended-by-cf": BASE_MAP + [filler(k) for k in range(4)],
    # a 20-byte reply after which the BIOS wrote an attribute word of 0
    # anyway: without the word in the reply, the entry is valid
    "20-bytes-with-attr-written": BASE_MAP[:4] +
                                  [Reply(0x20000000, 0x1000, 2, attr=0, ecx=20, written=24)] +
                                  BASE_MAP[4:],
    # a reply that says 24 bytes but writes 20 (the BIOSes the ROM sets
    # the attribute word to "valid" for, before each call), after an
    # invalid entry: its slot held an attribute word of 0
    "24-bytes-with-20-written": BASE_MAP[:5] +
                                [Reply(0x20000000, 0x1000, 2, attr=0, ecx=24, written=20)] +
                                BASE_MAP[5:],
}


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("machine", ["q35", "pc"])
def test_memmap_as_the_bios_gives_it(tmp_path, machine, case):
    replies = CASES[case]
    want = expected_memmap(replies)
    if case == "at-cap":
        assert len(replies) == ROM_CALLS_MAX and len(want) == MEMMAP_MAX
    elif case == "mixed":
        assert len(want) < len(replies), "the case has no invalid entry"
        assert {(r.ecx, r.attr) for r in replies} >= {(20, 0), (24, 0), (24, 1), (24, 3)}, \
            "not every kind of reply"
    res = boot_with_map(tmp_path, replies, flags=END_BY_CF if case == "ended-by-cf" else 0,
                        machine=machine,
                        fw_cfg={"opt/pvh/kernel": GUEST64, "opt/pvh/cmdline": "e820"})
    check_booted(res, replies)


@pytest.mark.parametrize("machine", ["q35", "pc"])
def test_bios_that_returns_with_interrupts_on(tmp_path, machine):
    """Some BIOSes return from INT 15h with interrupts on.  The sector's
    replies do, with the timer interrupting every 0.1 ms: the ROM must
    turn them off again before it leaves real mode (with interrupts on,
    the first timer interrupt in protected mode, without an IDT, would
    take the machine down)."""
    res = boot_with_map(tmp_path, BASE_MAP, flags=STI_FAST_TIMER, machine=machine,
                        fw_cfg={"opt/pvh/kernel": GUEST64, "opt/pvh/cmdline": "e820"})
    check_booted(res, BASE_MAP)


E820_REFUSED = "pvh: the BIOS's E820 memory map is missing, broken or more than 128 entries long"

UNUSABLE = {
    # no map: the first call fails
    "empty": [],
    # each reply has its valid bit clear
    "none-valid": [r._replace(attr=0, ecx=24, written=24) for r in BASE_MAP],
    # the BIOS's 129th entry would be the one reserving what the ROM is
    # about to use
    "too-long": BASE_MAP + [filler(k) for k in range(ROM_CALLS_MAX + 1 - len(BASE_MAP))],
    # the same with a 129th call that would fail: the ROM cannot know
    "too-long-ended-by-cf": BASE_MAP + [filler(k) for k in range(ROM_CALLS_MAX - len(BASE_MAP))],
    # a reply without the signature, after good ones
    "no-signature-mid-map": BASE_MAP[:4] + [Reply(0x20000000, 0x1000, 2, eax=0)] + BASE_MAP[4:],
    # a reply shorter than 20 bytes, after good ones, and first
    "short-reply-mid-map": BASE_MAP[:4] + [Reply(0x20000000, 0x1000, 2, ecx=16)] + BASE_MAP[4:],
    "short-first-reply": [BASE_MAP[0]._replace(ecx=19)] + BASE_MAP[1:],
}


@pytest.mark.parametrize("case", list(UNUSABLE))
def test_map_it_cannot_use_is_refused(tmp_path, case):
    """No valid entry, more entries than the ROM reads, or a broken reply
    (whatever came before it): the ROM says so and gives the boot back."""
    res = boot_with_map(tmp_path, UNUSABLE[case],
                        flags=END_BY_CF if case.endswith("ended-by-cf") else 0,
                        fw_cfg={"opt/pvh/kernel": GUEST64})
    check_refused(res, E820_REFUSED)


def test_no_ram_from_an_entry_the_kernel_is_not_told_of(tmp_path):
    """128 entries: the kernel gets the first 127, and the 128th is RAM
    (64 MiB at 512 MiB), the only RAM where a 32 MiB initrd fits (the RAM
    above 1 MiB ends at 16 MiB).  The ROM must not put it there, where the
    kernel knows of no RAM."""
    replies = BASE_MAP[:3] + [Reply(MIB, 15 * MIB, 1)] + \
        [filler(k) for k in range(ROM_CALLS_MAX - 5)] + [Reply(0x20000000, 64 * MIB, 1)]
    assert len(replies) == ROM_CALLS_MAX
    initrd = bytes(32 * MIB)
    res = boot_with_map(tmp_path, replies, mem="1G",
                        fw_cfg={"opt/pvh/kernel": GUEST64, "opt/pvh/initrd": initrd})
    check_refused(res, f"pvh: no room below 4 GiB for the initrd (0x{len(initrd):08x} bytes)")


def test_reserved_range_in_an_entry_the_kernel_is_not_told_of_is_avoided(tmp_path):
    """128 entries: the kernel gets the first 127; the 128th reserves the
    top 16 MiB of the RAM above 1 MiB (overlapping entries, as some
    BIOSes give).  The initrd, placed at the highest free address, must
    stay below that range: what the BIOS reserves, the ROM does not write,
    whether the kernel is told of it or not."""
    top = 0x10000000                        # the end of BASE_MAP's RAM above 1 MiB
    reserved = Reply(top - 16 * MIB, 16 * MIB, 2)
    # Without the entry whose valid bit is clear: the table then holds 128.
    base = [r for r in BASE_MAP if r.ecx == 20 or r.attr & 1]
    replies = base + [filler(k) for k in range(ROM_CALLS_MAX - len(base) - 1)] + [reserved]
    assert len(replies) == ROM_CALLS_MAX
    initrd = bytes(range(256)) * 4096       # 1 MiB
    res = boot_with_map(tmp_path, replies, mem="512M",
                        fw_cfg={"opt/pvh/kernel": GUEST64, "opt/pvh/initrd": initrd})
    why = res.describe()
    assert res.returncode == EXIT_REPORT_DONE, why
    assert res.pvh_lines == [], why
    (module,) = res.report.modules
    assert module.size == len(initrd), why
    assert module.paddr + module.size <= reserved.base, \
        f"initrd at {module.paddr:#x}, in the reserved {reserved.base:#x}+" + why
    # Still the highest place that is free: right below the reserved range.
    assert module.paddr == reserved.base - len(initrd), why


def map_with_ram_up_to_1_gib():
    """The base map with its RAM above 1 MiB claimed up to 1 GiB: in a
    512 MiB VM nothing is mapped in the upper half of that range."""
    replies = list(BASE_MAP)
    assert (replies[3].base, replies[3].type) == (MIB, 1), "entry 3 is not the RAM above 1 MiB"
    replies[3] = replies[3]._replace(length=(1 << 30) - MIB)
    return replies


def bss_beyond_ram_kernel():
    """A PVH kernel whose text loads at 16 MiB (it exits QEMU with status
    33 if entered) and with a bss-only segment of 64 KiB at 768 MiB."""
    return elf_corpus.code_kernel(EXIT_33_CODE,
                                  extra_phdrs=[elf_corpus.load(0, 0x30000000, 0, 0x10000)])


def loads_in_function(record, name):
    """How many loads the instructions of the ROM's function name made,
    from the memory-audit plugin's record (read as test_memory_map reads
    it: each instruction's pc in the copy of the image it ran from)."""
    from test_memory_map import nm, parse_record  # it imports this module
    syms = {sym: (addr, size) for sym, addr, size in nm()}
    image = syms["_image_start"][0]
    start, size = syms[name]
    _, _, loads = parse_record(record)
    return sum(acc.count for acc in loads if start <= acc.pc - acc.base + image < start + size)


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
    from test_memory_map import PLUGIN  # it imports this module
    assert PLUGIN.is_file(), f"{PLUGIN} is missing: run `make` first"
    record = tmp_path / "record.txt"
    res = boot_with_map(tmp_path, map_with_ram_up_to_1_gib(), mem="512M", fw_cfg=fw_cfg,
                        extra=["-plugin", f"file={PLUGIN},rom={ROM},out={record}"])
    check_refused(res, f"pvh: fw_cfg DMA error while loading the {what}")
    # It saw the error bit at once: QEMU completes a transfer before the
    # OUT that starts it returns, so the descriptor is read a few times per
    # transfer, not polled up to the ROM's limit (2^28 reads).
    assert record.is_file(), "the memory-audit plugin wrote no record" + res.describe()
    n = loads_in_function(record.read_text(), "fw_cfg_transfer")
    assert 0 < n < 1000, f"fw_cfg_transfer made {n} loads" + res.describe()
