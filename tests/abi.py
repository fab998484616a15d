# SPDX-License-Identifier: GPL-2.0-or-later
"""The PVH boot ABI as assertions over a test guest's report.

Shared by the drop-in and self-load tests: each check_* function takes a
qemu.Report (and what the test gave QEMU) and raises AssertionError with a
message naming the ABI point that failed.  They are plain functions (no
pytest assertion rewriting here), so every assertion carries its own
message.

    from abi import check_entry_state, check_start_info, ...
    check_entry_state(rep)
    check_cmdline(rep, b"console=ttyS0")
    check_initrd_module(rep, initrd_bytes)
"""

import functools
import re
import zlib

from qemu import ACCEL, EXIT_REPORT_DONE, FOUR_GIB, MemmapEntry, in_ram, overlaps, parse_size

MAGIC = 0x336EC578
# The ABI's EFLAGS bits that must be clear.
EFLAGS_TF, EFLAGS_IF, EFLAGS_VM = 1 << 8, 1 << 9, 1 << 17
PAGE = 4096
ONE_MIB = 1 << 20


# --- CPU state at the entry point -------------------------------------------

def _lsl_ran(rep):
    """Whether the guest ran lsl/lar on its selectors: it does except under
    KVM, whose instruction emulator cannot (see tests/guests/guest.c)."""
    ran = rep.int("lsl_lar")
    assert ran == (ACCEL != "kvm"), \
        f"the guest {'ran' if ran else 'skipped'} lsl/lar under accel={ACCEL}"
    return ran == 1


def check_cr0(rep):
    cr0 = rep.int("cr0")
    assert cr0 == 0x11, f"CR0 is {cr0:#x}, not 0x11 (PE, with ET hard-wired)"


def check_cr4(rep):
    cr4 = rep.int("cr4")
    assert cr4 == 0, f"CR4 is {cr4:#x}, not 0"


def check_eflags(rep):
    eflags = rep.int("eflags")
    assert eflags & EFLAGS_IF == 0, f"IF set in EFLAGS {eflags:#x}"
    assert eflags & EFLAGS_TF == 0, f"TF set in EFLAGS {eflags:#x}"
    assert eflags & EFLAGS_VM == 0, f"VM set in EFLAGS {eflags:#x}"


def check_eflags_system(rep):
    """Beyond the ABI's IF, TF and VM, every other flag that is not an
    arithmetic result is clear too: DF (C code expects it clear), NT, AC,
    RF, IOPL and the rest; bit 1 reads as one.  The README promises it."""
    arithmetic = 0x8D5  # CF, PF, AF, ZF, SF, OF: left by the ROM's last xor
    eflags = rep.int("eflags")
    assert eflags & ~arithmetic == 0x2, \
        f"EFLAGS is {eflags:#x}: flags beyond the arithmetic ones and bit 1 set"


def check_cs(rep):
    cs = rep.segment("cs")
    assert cs["sel"] & 7 == 0, f"CS {cs['sel']:#x} is not a GDT selector with RPL 0"
    assert "base" in cs, f"CS selector {cs['sel']:#x} is not in the GDT"
    assert cs["base"] == 0, f"CS base {cs['base']:#x}"
    assert cs["limit"] == 0xFFFFFFFF, f"CS limit {cs['limit']:#x}"
    assert cs["access"] & 0x80, "CS not present"
    assert cs["access"] & 0x60 == 0, "CS DPL not 0"
    assert cs["access"] & 0x18 == 0x18, "CS is not a code segment"
    assert cs["access"] & 0x02, "CS not readable (the ABI says read/execute)"
    assert cs["db"] == 1, "CS is not 32-bit"
    assert cs["flags"] & 2 == 0, "CS has the L (64-bit) bit set"
    assert not _lsl_ran(rep) or cs.get("lsl") == 0xFFFFFFFF, \
        f"lsl of CS gives {cs.get('lsl')}"
    assert cs["probe"] == 1, "the live CS is not base 0 / 4 GiB"


def check_data_segment(rep, seg):
    d = rep.segment(seg)
    assert "base" in d, f"{seg} selector {d['sel']:#x} is not in the GDT"
    assert d["base"] == 0, f"{seg} base {d['base']:#x}"
    assert d["limit"] == 0xFFFFFFFF, f"{seg} limit {d['limit']:#x}"
    assert d["access"] & 0x80, f"{seg} not present"
    assert d["access"] & 0x18 == 0x10, f"{seg} is not a data segment"
    assert d["access"] & 0x02, f"{seg} not writable"
    assert d["access"] & 0x04 == 0, f"{seg} is expand-down"
    assert d["db"] == 1, f"{seg} is not 32-bit (D/B clear)"
    assert not _lsl_ran(rep) or d.get("lsl") == 0xFFFFFFFF, \
        f"lsl of {seg} gives {d.get('lsl')}"
    assert d["probe"] == 1, f"the live {seg} is not base 0 / 4 GiB"


def check_tr(rep):
    tr = rep.segment("tr")
    assert tr["sel"] & ~7 != 0, "TR not loaded (null selector)"
    assert tr["sel"] & 4 == 0, "TR selector points into the LDT"
    assert "base" in tr, f"TR selector {tr['sel']:#x} is beyond the GDT"
    assert tr["base"] == 0, f"TSS base {tr['base']:#x}"
    assert tr["limit"] == 0x67, f"TSS limit {tr['limit']:#x}"
    assert tr["access"] & 0x10 == 0, "TR is not a system descriptor"
    assert tr["type"] == 0xB, f"TR type {tr['type']:#x}, not a busy 32-bit TSS"
    assert tr["access"] & 0x80, "TSS not present"
    assert not _lsl_ran(rep) or tr.get("lsl") == 0x67, \
        f"lsl of TR gives {tr.get('lsl')}"


def check_a20(rep):
    assert rep.int("a20") == 1, "A20 is disabled"


def check_fs_gs(rep):
    """FS and GS hold DS's selector (checked flat above): the README
    promises them flat too, beyond what the ABI asks."""
    ds = rep.int("ds_sel")
    assert (rep.int("fs_sel"), rep.int("gs_sel")) == (ds, ds), \
        f"FS {rep.int('fs_sel'):#x}, GS {rep.int('gs_sel'):#x}, DS {ds:#x}"


# The ABI's CPU state at entry point by point, {test id: check(rep)}: test
# files parametrize over it to make each point its own test.
ENTRY_STATE = {
    "cr0_is_pe_and_et_only": check_cr0,
    "cr4_is_zero": check_cr4,
    "eflags_if_tf_vm_clear": check_eflags,
    "eflags_system_flags_clear": check_eflags_system,
    "cs_flat_32bit_code": check_cs,
    **{f"{seg}_flat_32bit_data": functools.partial(check_data_segment, seg=seg)
       for seg in ("ds", "es", "ss")},
    "task_register_busy_32bit_tss": check_tr,
    "a20_enabled": check_a20,
    "fs_gs_as_ds": check_fs_gs,
}


def check_entry_state(rep):
    """Every point of the ABI's CPU state."""
    for check in ENTRY_STATE.values():
        check(rep)


# --- start_info and what it points to ----------------------------------------

def check_start_info(rep):
    addr = rep.int("start_info")  # the guest reads start_info at EBX
    assert addr != 0, "EBX is 0"
    assert addr % 8 == 0, f"start_info {addr:#x} not 8-byte aligned"
    # In the ROM's window (README, docs/memory-map.md): below 64 KiB.
    assert addr + 56 <= 0x10000, f"start_info {addr:#x} above 64 KiB"
    assert in_ram(rep.memmap, addr, 56), f"start_info {addr:#x} not in RAM"
    assert rep.int("magic") == MAGIC, f"magic {rep.int('magic'):#x}"
    assert rep.int("version") == 1, f"version {rep.int('version')}"
    assert rep.int("flags") == 0, f"flags {rep.int('flags'):#x}"
    assert rep.int("reserved") == 0, f"reserved {rep.int('reserved'):#x}"


def check_memmap(rep, mem):
    """Well-formed and plausible for a VM with `mem` of RAM."""
    mm = rep.memmap
    n = rep.int("memmap_entries")
    assert 1 <= n <= 127, f"{n} memmap entries"
    assert len(mm) == n, f"memmap_entries {n}, {len(mm)} entries reported"
    assert all(e.reserved == 0 for e in mm), f"memmap reserved field not 0: {mm}"
    assert all(e.size > 0 for e in mm), f"empty memmap entry: {mm}"
    image = rep.int("image_start"), rep.int("image_end") - rep.int("image_start")
    assert in_ram(mm, *image), "the kernel's own range is not RAM in the map"
    ram = sum(e.size for e in mm if e.type == 1)
    assert parse_size(mem) * 0.95 <= ram <= parse_size(mem), \
        f"{ram:#x} bytes of RAM in the map for -m {mem}"
    if parse_size(mem) > 4 << 30:
        assert any(e.type == 1 and e.addr >= FOUR_GIB for e in mm), \
            "no RAM above 4 GiB in the map"


_E820_HEAD = re.compile(r"^e820 map has (\d+) items:$", re.M)
_E820_LINE = re.compile(r"^\s*(\d+): ([0-9a-f]{16}) - ([0-9a-f]{16}) = (\d+)")


def seabios_e820(debug_log):
    """The last E820 map SeaBIOS printed on the debug port (its final one,
    with its own reservations), as MemmapEntry tuples, or None."""
    heads = list(_E820_HEAD.finditer(debug_log))
    if not heads:
        return None
    head = heads[-1]
    count = int(head.group(1))
    lines = debug_log[head.end():].lstrip("\n").splitlines()[:count]
    out = []
    for line in lines:
        m = _E820_LINE.match(line)
        assert m, f"unexpected line in SeaBIOS's e820 dump: {line!r}"
        start, end = int(m.group(2), 16), int(m.group(3), 16)
        out.append(MemmapEntry(start, end - start, int(m.group(4)), 0))
    return out


def check_cmdline(rep, want):
    """The command line is `want` (bytes), byte for byte, NUL-terminated,
    below 4 GiB."""
    assert rep.int("cmdline_paddr") != 0, "cmdline_paddr is 0"
    got = rep.cmdline
    assert got == want, (f"command line differs: {len(got or b'')} bytes, "
                         f"expected {len(want)}; first difference at "
                         f"{_first_difference(got or b'', want)}")
    assert rep.int("cmdline_terminated") == 1, "command line not NUL-terminated"
    assert rep.int("cmdline_paddr") + len(want) + 1 <= FOUR_GIB, \
        "command line above 4 GiB"


def _first_difference(a, b):
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return f"byte {i} ({x:#x} != {y:#x})"
    return f"byte {min(len(a), len(b))} (one is a prefix of the other)"


def check_no_cmdline(rep):
    assert rep.int("cmdline_paddr") == 0, \
        f"cmdline_paddr {rep.int('cmdline_paddr'):#x} without a command line"


def check_initrd_module(rep, data):
    """The initrd is module 0, whole, page-aligned, below 4 GiB."""
    assert rep.int("nr_modules") == 1, f"nr_modules {rep.int('nr_modules')}"
    assert rep.int("modlist_paddr") != 0, "modlist_paddr is 0"
    (mod,) = rep.modules
    assert mod.size == len(data), f"module size {mod.size}, initrd {len(data)}"
    assert mod.crc32 == zlib.crc32(data), "initrd bytes differ (CRC-32)"
    assert mod.paddr % PAGE == 0, f"initrd at {mod.paddr:#x} not page-aligned"
    assert mod.paddr + mod.size <= FOUR_GIB, f"initrd at {mod.paddr:#x} above 4 GiB"
    assert mod.reserved == 0, f"module reserved field {mod.reserved:#x}"
    assert mod.cmdline_paddr == 0, \
        f"module 0 has a command line at {mod.cmdline_paddr:#x}"
    return mod


def check_no_modules(rep):
    assert rep.int("nr_modules") == 0, f"nr_modules {rep.int('nr_modules')}"
    assert rep.int("modlist_paddr") == 0, \
        f"modlist_paddr {rep.int('modlist_paddr'):#x} with no modules"


def check_rsdp(rep):
    addr = rep.int("rsdp_paddr")
    assert addr != 0, "no RSDP handed over"
    assert addr % 16 == 0, f"RSDP {addr:#x} not 16-byte aligned"
    assert 0xE0000 <= addr < 0x100000 or addr < 0xA0000, \
        f"RSDP {addr:#x} not in the BIOS area or the EBDA"
    assert rep.int("rsdp_sig_ok") == 1, "no 'RSD PTR ' at rsdp_paddr"
    assert rep.int("rsdp_sum_ok") == 1, "RSDP checksum wrong"
    # The guest's own search (tests/guests/guest.c) finds the same one first.
    assert addr == rep.int("rsdp_first"), \
        f"RSDP {addr:#x}, but the first one is at {rep.int('rsdp_first'):#x}"


def check_segments_loaded(rep):
    """bss all zero and .data intact at entry (the guest checks both before
    writing either).  On a fresh VM the bss is zero before the ROM runs:
    there this only shows the ROM wrote nothing into it.  That a
    self-loading ROM clears it is shown by test_selfload.py's boot after a
    reset with dirty memory (in drop-in mode QEMU writes the segments)."""
    assert rep.int("bss_zero") == 1, \
        f"bss ({rep.int('bss_size'):#x} bytes) not all zero at entry"
    assert rep.int("data_ok") == 1, ".data canary not at its file value"


def check_after_dirty_reboot(res, initrd, cmdline=b"dirty-reboot"):
    """The multi-segment guest booted with the command line "dirty-reboot"
    (and initrd): it fills its bss and .data with 0xaa and resets; the
    second boot must find bss zero and .data as in the file again."""
    rep = res.report
    assert res.returncode == EXIT_REPORT_DONE and rep and rep.complete, res.describe()
    assert rep["guest"] == "multi"
    assert rep.int("boot") == 2, "the guest did not go through its reset"
    assert rep.int("bss_size") >= 4 << 20, "the 4 MiB bss-only segment was not checked"
    check_segments_loaded(rep)
    check_entry_state(rep)
    check_initrd_module(rep, initrd)
    check_cmdline(rep, cmdline)
    assert res.pvh_lines == [], res.describe()


def check_handed_over_placement(rep, extra_avoid=()):
    """start_info, memmap, module list and command lines: in RAM below
    4 GiB, clear of the kernel, the modules, the IVT/BDA and the BIOS's
    stack, the ranges in extra_avoid ((what, start, length) tuples) and
    each other."""
    image = (rep.int("image_start"), rep.int("image_end") - rep.int("image_start"))
    # SeaBIOS boots on a stack just below 0x7000 (docs/memory-map.md).
    avoid = [("kernel image", *image), ("IVT/BDA", 0, 0x500),
             ("BIOS's boot stack", 0x500, 0x7000 - 0x500)]
    avoid += [(f"module {i}", m.paddr, m.size) for i, m in enumerate(rep.modules)]
    avoid += list(extra_avoid)
    structs = rep.handed_over()
    for name, start, length in structs:
        assert start + length <= FOUR_GIB, f"{name} above 4 GiB"
        assert in_ram(rep.memmap, start, length), f"{name} at {start:#x} not in RAM"
        for what, a_start, a_len in avoid:
            assert not overlaps(start, length, a_start, a_len), \
                f"{name} [{start:#x}, +{length:#x}) overlaps the {what}"
    for i, (n1, s1, l1) in enumerate(structs):
        for n2, s2, l2 in structs[i + 1:]:
            assert not overlaps(s1, l1, s2, l2), f"{n1} overlaps {n2}"
    return structs


def highest_fit_below_4g(memmap, size, avoid=(), align=PAGE):
    """The highest align-aligned address a in RAM above 1 MiB with
    [a, a + size) below 4 GiB, inside one RAM entry and clear of every
    (start, length) in avoid; None if there is none."""
    best = None
    for e in memmap:
        if e.type != 1:
            continue
        lo = max(e.addr, ONE_MIB)
        hi = min(e.addr + e.size, FOUR_GIB)
        a = (hi - size) // align * align
        while a >= lo:
            clash = [s for s, n in avoid if overlaps(a, size, s, n)]
            if not clash:
                if best is None or a > best:
                    best = a
                break
            a = (min(clash) - size) // align * align
    return best
