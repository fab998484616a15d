# SPDX-License-Identifier: GPL-2.0-or-later
"""docs/memory-map.md checked against what the ROM really reads and writes.

QEMU runs with build/memaudit.so (tests/memaudit/memaudit.c), a TCG plugin
that records every load and store made by an instruction of the ROM: of its
RAM copy at 0x8000, or of its copy in the option ROM area (found by its
bytes).  Accesses by the BIOS code the ROM calls (INT 15h, INT 10h) are the
BIOS's; fw_cfg DMA writes are not CPU stores and do not show (the kernel,
initrd and command line the ROM has QEMU write; without DMA the ROM writes
them itself, and they show), nor do the processor's own reads of the GDT.
Each recorded range is cut along the document's rows for its kind, computed
here from build/pvh.elf's symbols and sections, the kernel's PT_LOAD
segments, the EBDA in SeaBIOS's map and what the guest reports: a piece no
row covers is an access the document does not list, and fails the test.  So
does a stack block larger than the bytes the document gives for it.

Scenarios: drop-in and self-load, with and without DMA (a long command
line then goes to RAM above 1 MiB), and a refused kernel (the INT 19h hook
fails, the BEV steps aside, SeaBIOS finds nothing to boot).
"""

import random
import subprocess
from collections import defaultdict, namedtuple

import pytest

import abi
from elftools import PT_LOAD, program_headers
from qemu import BUILD, GUEST64, NO_BOOT, ROM, run_qemu, selfload_fw_cfg

PLUGIN = BUILD / "memaudit.so"
ELF = ROM.with_suffix(".elf")
MIB = 1 << 20
INITRD = random.Random(5).randbytes(100000)
LONG_CMDLINE = "console=ttyS0 " + "x" * 3000   # past the ROM's 2 KiB buffer

Row = namedtuple("Row", "name lo hi budget post_only")
Access = namedtuple("Access", "pc base start end count")


def symbols():
    out = subprocess.run(["nm", "-n", str(ELF)], capture_output=True, text=True,
                         check=True).stdout
    return {p[2]: int(p[0], 16) for p in (ln.split() for ln in out.splitlines())
            if len(p) == 3}


def sections():
    """{name: (addr, size)} of build/pvh.elf's sections."""
    out = subprocess.run(["readelf", "-SW", str(ELF)], capture_output=True, text=True,
                         check=True).stdout
    secs = {}
    for line in out.splitlines():
        parts = line.replace("[ ", "[").split()
        if len(parts) > 6 and parts[0].startswith("[") and parts[1].startswith("."):
            secs[parts[1]] = (int(parts[3], 16), int(parts[5], 16))
    return secs


def parse_record(text):
    """The plugin's output: the ROM-area bases found, the stores and the
    loads."""
    bases, kinds = [], {"W": [], "R": []}
    for line in text.splitlines():
        if line.startswith("# memaudit"):
            field = dict(kv.split("=", 1) for kv in line.split()[2:])
            bases = [int(b, 16) for b in field["bases"].split(",") if b]
        elif line[:2] in ("W ", "R "):
            f = dict(kv.split("=", 1) for kv in line.split()[1:])
            kinds[line[0]].append(Access(int(f["pc"], 16), int(f["base"], 16),
                                         int(f["start"], 16), int(f["end"], 16), int(f["n"])))
    return bases, kinds["W"], kinds["R"]


def documented_rows(syms, secs, bases, kernel=None, report=None, reads=False):
    """The ranges docs/memory-map.md lists as written, for this build and
    run; with reads, as accessed by loads (the ROM may read what it writes,
    and at POST its far return reads the caller's return address too)."""
    run = syms["_image_start"]
    rows = [Row("POST: this image in the option ROM area (saved_int19, saved_int19_fix)",
                b + syms["saved_int19"] - run, b + syms["saved_int19_fix"] + 1 - run,
                None, False) for b in bases]
    rows += [
        Row("POST: IVT entry 0x19", 0x64, 0x68, None, False),
        Row("boot: 0x08000 - _image_end (the image's copy; ltr's busy bit in its GDT)",
            run, syms["_image_end"], None, False),
        Row("boot: .bss", secs[".bss"][0], sum(secs[".bss"]), None, False),
        Row("boot: .scratch", secs[".scratch"][0], sum(secs[".scratch"]), None, False),
        Row("boot: .stack", secs[".stack"][0], sum(secs[".stack"]), None, False),
        Row("boot: boot_memo", syms["boot_memo"], syms["boot_memo"] + 1, None, False),
        # The document gives these two in bytes: where the caller's stack is.
        Row("POST: the caller's stack", 0, MIB, 12 if reads else 8, True),
        Row("boot: the BIOS's stack below 0x7000", 0x500, 0x7000, 48, False),
    ]
    for ph in program_headers(kernel) if kernel else ():
        if ph.type == PT_LOAD:
            rows.append(Row("above 1 MiB: a kernel segment", ph.paddr, ph.paddr + ph.memsz,
                            None, False))
    if report is not None:
        for mod in report.modules:
            rows.append(Row("above 1 MiB: the initrd", mod.paddr, mod.paddr + mod.size,
                            None, False))
        at = report.int("cmdline_paddr")
        if at >= MIB:   # the item (QEMU's -append has its NUL) and the ROM's NUL
            rows.append(Row("above 1 MiB: a long command line", at,
                            at + report.int("cmdline_len") + 2, None, False))
    return rows


def read_rows(syms, bases, ebda):
    """What the document lists as read only (beyond what is written)."""
    size = syms["_image_end"] - syms["_image_start"]
    rows = [Row("boot: this image in the option ROM area (the copy's source)", b, b + size,
                None, False) for b in bases]
    return rows + [
        # QEMU counts the processor's own read of an interrupt vector as a
        # load of the instruction before: a timer interrupt taken at the
        # final popfl shows as its read of 0x20.
        Row("boot: the IVT (INT 15h, INT 10h, an interrupt the BIOS takes)", 0, 0x400,
            None, False),
        Row("boot: BDA 0x40e (the EBDA's segment)", 0x40e, 0x410, None, False),
        Row("boot: the EBDA's first KiB (RSDP search)", ebda, ebda + 0x400, None, False),
        Row("boot: 0xe0000-0xfffff (RSDP search)", 0xE0000, 0x100000, None, False),
        Row("boot: 0x108000, 0x8000's alias with A20 off (A20 test)", 0x108000, 0x108004,
            None, False),
    ]


def ebda_of(seabios_map):
    """The EBDA: SeaBIOS reserves it at the top of conventional memory."""
    (entry,) = [e for e in seabios_map if e.type == 2 and e.addr < 0xA0000 <= e.addr + e.size]
    return entry.addr


def audit(stores, rows, syms, bases):
    """(covered: {row name: [(lo, hi)]}, undocumented: [(lo, hi, access)],
    over budget: [(row name, lo, hi)])."""
    run = syms["_image_start"]
    post_code = range(syms["init_entry"], syms["bev_entry"])   # init_entry: POST only
    covered, undocumented = defaultdict(list), []
    for st in stores:
        image_pc = st.pc if st.base == run else st.pc - st.base + run
        pieces = [(st.start, st.end)]
        for row in rows:
            if row.post_only and (st.base == run or image_pc not in post_code):
                continue
            rest = []
            for lo, hi in pieces:
                if hi <= row.lo or lo >= row.hi:
                    rest.append((lo, hi))
                    continue
                covered[row.name].append((max(lo, row.lo), min(hi, row.hi)))
                rest += [(lo, row.lo)] * (lo < row.lo) + [(row.hi, hi)] * (hi > row.hi)
            pieces = rest
        undocumented += [(lo, hi, st) for lo, hi in pieces]
    over = []
    for row in rows:
        if row.budget is not None:
            over += [(row.name, lo, hi) for lo, hi in merged(covered[row.name])
                     if hi - lo > row.budget]
    return covered, undocumented, over


def merged(ranges):
    out = []
    for lo, hi in sorted(ranges):
        if out and lo <= out[-1][1]:
            out[-1][1] = max(out[-1][1], hi)
        else:
            out.append([lo, hi])
    return [tuple(r) for r in out]


def explain(kind, covered, undocumented, over):
    lines = []
    for name, ranges in covered.items():
        m = merged(ranges)
        if m:
            lines.append(f"  {kind} {name}: {sum(hi - lo for lo, hi in m)} bytes in "
                         f"{m[0][0]:#x}-{m[-1][1]:#x} ({len(m)} ranges)")
    lines += [f"  UNDOCUMENTED {kind} {lo:#x}-{hi:#x} by the instruction at {st.pc:#x} "
              f"(copy at {st.base:#x})" for lo, hi, st in undocumented]
    lines += [f"  OVER BUDGET {name}: {lo:#x}-{hi:#x}" for name, lo, hi in over]
    return "\n".join(lines)


def refused_until_no_boot(debug, serial, qmp):
    """Quit through QMP (a clean exit, so that the plugin writes its
    record) once SeaBIOS has found nothing to boot."""
    if NO_BOOT in debug:
        qmp.command("quit")


SCENARIOS = {
    "dropin": dict(kernel=GUEST64, rom="ours", initrd=INITRD, append="x"),
    "dropin-pio": dict(kernel=GUEST64, rom="ours", initrd=INITRD, append=LONG_CMDLINE,
                       dma=False),
    "selfload": dict(rom=None, option_rom=ROM, fw_cfg=selfload_fw_cfg(GUEST64, INITRD, "x")),
    "selfload-pio": dict(rom=None, option_rom=ROM, dma=False,
                         fw_cfg=selfload_fw_cfg(GUEST64, INITRD, LONG_CMDLINE)),
    "refused": dict(rom=None, option_rom=ROM, nic=False, interact=refused_until_no_boot,
                    fw_cfg=selfload_fw_cfg(b"not an ELF file")),
}


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_every_write_is_documented(tmp_path, name):
    assert PLUGIN.is_file(), f"{PLUGIN} is missing: run `make` first"
    out = tmp_path / "stores.txt"
    kwargs = dict(SCENARIOS[name])
    res = run_qemu(extra=["-plugin", f"file={PLUGIN},rom={ROM},out={out}"], timeout=60,
                   **kwargs)
    why = res.describe()
    if name == "refused":
        assert res.debug_pvh_lines == ["pvh: kernel is not an ELF file"], why
    else:
        assert res.report is not None and res.report.complete, why
    assert out.is_file(), "the plugin wrote no record" + why
    syms = symbols()
    bases, stores, loads = parse_record(out.read_text())
    # The record is real: the image's copy, and the RSDP search, are in it.
    assert len(bases) == 1, f"the ROM's copy in the option ROM area: {bases}" + why
    assert any(st.start <= syms["_image_start"] < st.end for st in stores), \
        "no copy of the image recorded" + why
    rows = documented_rows(syms, sections(), bases,
                           kernel=GUEST64.read_bytes() if name != "refused" else None,
                           report=res.report if name != "refused" else None)
    written, undocumented, over = audit(stores, rows, syms, bases)
    ebda = ebda_of(abi.seabios_e820(res.debug_log))
    rows_read = documented_rows(syms, sections(), bases, reads=True,
                                kernel=GUEST64.read_bytes() if name != "refused" else None,
                                report=res.report if name != "refused" else None)
    read, unlisted, over_read = audit(loads, rows_read + read_rows(syms, bases, ebda),
                                      syms, bases)
    report = (explain("write", written, undocumented, over) + "\n" +
              explain("read", read, unlisted, over_read))
    assert not undocumented and not over, "\n" + report + why
    assert not unlisted and not over_read, "\n" + report + why
    if name == "refused":
        assert written["boot: boot_memo"], "the failure was not noted in boot_memo"
    else:
        assert read["boot: 0xe0000-0xfffff (RSDP search)"], "no RSDP search recorded" + why


def test_audit_finds_an_undocumented_write():
    """The check itself: a store the document does not list (below the
    image at 0x7ff0, by the ROM's RAM copy) is reported, and so is a
    stack block larger than the document says."""
    syms = symbols()
    run = syms["_image_start"]
    rows = documented_rows(syms, sections(), [0xca000])
    stray = Access(run + 0x300, run, 0x7ff0, 0x7ff1, 1)
    copy = Access(run + 0x100, run, run, syms["_image_end"], 1000)
    deep = Access(run + 0x120, run, 0x6f00, 0x6f40, 16)
    _, undocumented, over = audit([copy, stray, deep], rows, syms, [0xca000])
    assert [(lo, hi) for lo, hi, _ in undocumented] == [(0x7ff0, 0x7ff1)]
    assert [(lo, hi) for _, lo, hi in over] == [(0x6f00, 0x6f40)]
