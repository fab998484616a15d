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
row covers is an access the document does not list, and fails the test.
Rows hold for their phase (POST: the init entry; boot: the rest), and some
for named code only: the image is written by the copy and by ltr, the
BIOS's stack by the entry code's pushes, right below the return address
the final far return reads.

Scenarios: drop-in and self-load, with and without DMA (a long command
line then goes to RAM above 1 MiB), a refused kernel (the INT 19h hook
fails, the BEV steps aside, SeaBIOS finds nothing to boot), and a boot
from the BEV, called by a boot program on its own stack.
"""

import functools
import random
import subprocess
from collections import defaultdict, namedtuple

import pytest

import abi
from elftools import PT_LOAD, program_headers
from qemu import (BUILD, DROPIN_ROM, GUEST64, NO_BOOT, ROM, run_qemu, run_sector_then_rom,
                  selfload_fw_cfg)
from test_e820 import BASE_MAP, FAKE, table

PLUGIN = BUILD / "memaudit.so"
ELF = ROM.with_suffix(".elf")
MIB = 1 << 20
INITRD = random.Random(5).randbytes(100000)
LONG_CMDLINE = "console=ttyS0 " + "x" * 3000   # past the ROM's 2 KiB buffer

# A documented range: what may access [lo, hi), in which phase ("post": the
# init entry at POST, in the option ROM area; "boot": everything after), and,
# if not every instruction of the phase may, which: a list of (copy, first,
# end) ranges of image addresses (pvh.elf), copy "area" or "ram".
Row = namedtuple("Row", "name lo hi phase by", defaults=(None,))
Access = namedtuple("Access", "pc base start end count")
INT19_STACK = 0x7000          # optionrom/entry.S: the INT 19h hook's SS:SP
BOOT_FRAME = 44               # what the boot entries push: flags, registers, segments
POST_FRAME = 8                # what the init entry pushes

@functools.cache
def nm(elf=ELF):
    """build/pvh.elf's symbols (or another build's): (name, address, size
    or None), in address order."""
    out = subprocess.run(["nm", "-n", "-S", str(elf)], capture_output=True, text=True,
                         check=True).stdout
    return [(p[-1], int(p[0], 16), int(p[1], 16) if len(p) == 4 else None)
            for p in (ln.split() for ln in out.splitlines()) if len(p) in (3, 4)]


def symbols(elf=ELF):
    return {name: addr for name, addr, _ in nm(elf)}


@functools.cache
def sections(elf=ELF):
    """{name: (addr, size)} of build/pvh.elf's sections (or another build's)."""
    out = subprocess.run(["readelf", "-SW", str(elf)], capture_output=True, text=True,
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


def where(acc, syms):
    """(phase, copy, image address) of the instruction that made acc."""
    run = syms["_image_start"]
    if acc.base == run:
        return "boot", "ram", acc.pc
    pc = acc.pc - acc.base + run
    return ("post" if syms["init_entry"] <= pc < syms["bev_entry"] else "boot"), "area", pc


def final_lret_reads(loads, syms, phase):
    """Where the init entry's (post) or the boot entries' (boot) final far
    return read its return address: the caller's stack pointer then."""
    at = (phase, "area" if phase == "post" else "ram",
          syms["bev_entry" if phase == "post" else "enter_kernel"] - 1)
    return sorted({acc.start for acc in loads if where(acc, syms) == at})


def bev_return_reads(loads, syms):
    """Where the BEV's first check read its caller's far return address
    (the only loads of the code before bev_step_aside): the caller's stack
    pointer at the call, also for a pass that boots and never returns."""
    check = [("boot", "area", pc) for pc in range(syms["bev_entry"], syms["bev_step_aside"])]
    starts = {acc.start for acc in loads if where(acc, syms) in check}
    return sorted(s for s in starts if s + 2 in starts)   # its offset, then its segment


def documented_rows(kind, syms, secs, bases, loads, kernel=None, report=None, ebda=None,
                    elf=ELF):
    """The rows of docs/memory-map.md for this build and run: kind "W",
    what the ROM may write; "R", what it may read (that, and more)."""
    run, end = syms["_image_start"], syms["_image_end"]
    saved = syms["saved_int19"] - run
    rows = [Row("POST: saved_int19 and its fix byte in the option ROM area",
                b + saved, b + saved + 5, "post") for b in bases]
    rows.append(Row("POST: IVT entry 0x19", 0x64, 0x68, "post"))
    for ret in final_lret_reads(loads, syms, "post"):
        rows.append(Row("POST: the caller's stack", ret - POST_FRAME,
                        ret + 4 * (kind == "R"), "post"))
    # The boot entries push onto the BIOS's stack (entry code in the
    # option ROM area) and pop before the final far return; an interrupt
    # the processor takes once the final popfl (just before that lret)
    # gives the caller's IF back pushes its frame there too, which QEMU
    # counts as a store of popfl.
    popfl = syms["enter_kernel"] - 3
    pushes = [("area", syms["bev_entry"], syms["running_in_ram"]),
              ("ram", popfl, popfl + 2)] if kind == "W" else None
    hook = INT19_STACK - BOOT_FRAME - 4      # and the saved vector it returns through
    rows.append(Row("boot: the INT 19h hook's frame below 0:7000h", hook, INT19_STACK,
                    "boot", pushes))
    for ret in set(final_lret_reads(loads, syms, "boot")) | set(bev_return_reads(loads, syms)):
        if ret + 4 != INT19_STACK:           # a BEV pass: the caller's frame
            rows.append(Row("boot: the BEV's frame on its caller's stack", ret - BOOT_FRAME,
                            ret + 4 * (kind == "R"), "boot", pushes))
    # The image: written by the copy (entry code in the option ROM area)
    # and by ltr (the TSS busy bit in the GDT); read by everything.
    rows.append(Row("boot: 0x08000 - _image_end, the image's copy", run, end, "boot",
                    [("area", syms["enter_from_bios"], syms["running_in_ram"]),
                     ("ram", syms["enter_kernel"], syms["enter_kernel"] + 16)]
                    if kind == "W" else None))
    rows.append(Row("boot: .bss", secs[".bss"][0], sum(secs[".bss"]), "boot"))
    for name, (lo, size) in scratch_buffers(secs, elf).items():
        rows.append(Row(f"boot: .scratch, {name}", lo, lo + size, "boot"))
    rows.append(Row("boot: .stack", secs[".stack"][0], sum(secs[".stack"]), "boot"))
    rows.append(Row("boot: boot_memo", syms["boot_memo"], syms["boot_memo"] + 1, "boot"))
    for ph in program_headers(kernel) if kernel else ():
        if ph.type == PT_LOAD:
            rows.append(Row("above 1 MiB: a kernel segment", ph.paddr, ph.paddr + ph.memsz,
                            "boot"))
    if report is not None:
        for mod in report.modules:
            rows.append(Row("above 1 MiB: the initrd", mod.paddr, mod.paddr + mod.size,
                            "boot"))
        at = report.int("cmdline_paddr")
        if at >= MIB:   # the item (QEMU's -append has its NUL) and the ROM's NUL
            rows.append(Row("above 1 MiB: a long command line", at,
                            at + report.int("cmdline_len") + 2, "boot"))
    if kind == "R":
        size = end - run
        rows += [Row("boot: this image in the option ROM area (the copy's source)",
                     b, b + size, "boot") for b in bases]
        rows += [
            # The processor reads the vectors of the ROM's INT 15h and
            # INT 10h, and of a hardware interrupt it takes once the final
            # popfl gives the caller's IF back: QEMU counts that read as a
            # load of popfl.
            Row("boot: IVT, INT 10h", 0x40, 0x44, "boot"),
            Row("boot: IVT, INT 15h", 0x54, 0x58, "boot"),
            Row("boot: IVT, IRQ 0-7", 0x20, 0x40, "boot"),
            Row("boot: IVT, IRQ 8-15", 0x1C0, 0x1E0, "boot"),
            Row("boot: BDA 0x40e (the EBDA's segment)", 0x40E, 0x410, "boot"),
            Row("boot: the EBDA's first KiB (RSDP search)", ebda, ebda + 0x400, "boot"),
            Row("boot: 0xe0000-0xfffff (RSDP search)", 0xE0000, 0x100000, "boot"),
            Row("boot: 0x108000, 0x8000's alias with A20 off (A20 test)", 0x108000,
                0x108004, "boot"),
        ]
    return rows


def scratch_buffers(secs, elf=ELF):
    """{name: (address, size)} of the buffers in .scratch."""
    lo, size = secs[".scratch"]
    return {name: (addr, n) for name, addr, n in nm(elf)
            if n is not None and lo <= addr < lo + size}


def ebda_of(seabios_map):
    """The EBDA: SeaBIOS reserves it at the top of conventional memory."""
    (entry,) = [e for e in seabios_map if e.type == 2 and e.addr < 0xA0000 <= e.addr + e.size]
    return entry.addr


def audit(accesses, rows, syms):
    """(covered: {row name: [(lo, hi)]}, undocumented: [(lo, hi, access)]):
    each access cut along the rows its instruction may use."""
    covered, undocumented = defaultdict(list), []
    for acc in accesses:
        phase, copy, pc = where(acc, syms)
        pieces = [(acc.start, acc.end)]
        for row in rows:
            if row.phase != phase or (row.by is not None and not any(
                    c == copy and first <= pc < last for c, first, last in row.by)):
                continue
            rest = []
            for lo, hi in pieces:
                if hi <= row.lo or lo >= row.hi:
                    rest.append((lo, hi))
                    continue
                covered[row.name].append((max(lo, row.lo), min(hi, row.hi)))
                rest += [(lo, row.lo)] * (lo < row.lo) + [(row.hi, hi)] * (hi > row.hi)
            pieces = rest
        undocumented += [(lo, hi, acc) for lo, hi in pieces]
    return covered, undocumented


def merged(ranges):
    out = []
    for lo, hi in sorted(ranges):
        if out and lo <= out[-1][1]:
            out[-1][1] = max(out[-1][1], hi)
        else:
            out.append([lo, hi])
    return [tuple(r) for r in out]


def explain(kind, covered, undocumented):
    lines = []
    for name, ranges in covered.items():
        m = merged(ranges)
        lines.append(f"  {kind} {name}: {sum(hi - lo for lo, hi in m)} bytes in "
                     f"{m[0][0]:#x}-{m[-1][1]:#x} ({len(m)} ranges)")
    lines += [f"  UNDOCUMENTED {kind} {lo:#x}-{hi:#x} by the instruction at {acc.pc:#x} "
              f"(copy at {acc.base:#x})" for lo, hi, acc in undocumented]
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
    # The drop-in-only build (ROM_SELFLOAD=0): the same rows, at the
    # addresses of its own, smaller, layout.
    "dropin-only": dict(kernel=GUEST64, rom="dropin", initrd=INITRD, append="x", image=DROPIN_ROM),
    "dropin-only-pio": dict(kernel=GUEST64, rom="dropin", initrd=INITRD, append=LONG_CMDLINE,
                            dma=False, image=DROPIN_ROM),
    "selfload": dict(rom=None, option_rom=ROM, fw_cfg=selfload_fw_cfg(GUEST64, INITRD, "x")),
    "selfload-pio": dict(rom=None, option_rom=ROM, dma=False,
                         fw_cfg=selfload_fw_cfg(GUEST64, INITRD, LONG_CMDLINE)),
    "refused": dict(rom=None, option_rom=ROM, nic=False, interact=refused_until_no_boot,
                    fw_cfg=selfload_fw_cfg(b"not an ELF file")),
    # A boot program calls the BEV (tests/guests/fakee820.S, with a map
    # like SeaBIOS's): the BEV's frame lies on that program's stack.
    "bev-from-disk": dict(sector=True, fw_cfg=selfload_fw_cfg(GUEST64, INITRD, "x")),
}


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_every_access_is_documented(tmp_path, name):
    assert PLUGIN.is_file(), f"{PLUGIN} is missing: run `make` first"
    out = tmp_path / "record.txt"
    kwargs = dict(SCENARIOS[name])
    image = kwargs.pop("image", ROM)
    plugin = ["-plugin", f"file={PLUGIN},rom={image},out={out}"]
    if kwargs.pop("sector", False):
        res = run_sector_then_rom(tmp_path, FAKE.read_bytes(), disk_data=table(BASE_MAP),
                                  extra=plugin, timeout=60, **kwargs)
    else:
        res = run_qemu(extra=plugin, timeout=60, **kwargs)
    why = res.describe()
    if name == "refused":
        assert res.debug_pvh_lines == ["pvh: kernel is not an ELF file"], why
    else:
        assert res.report is not None and res.report.complete, why
    assert out.is_file(), "the plugin wrote no record" + why
    elf = image.with_suffix(".elf")
    syms, secs = symbols(elf), sections(elf)
    bases, stores, loads = parse_record(out.read_text())
    # The record is real: the ROM's copy in the option ROM area was found,
    # the image copied, the init entry's far return seen.
    assert len(bases) == 1, f"the ROM's copy in the option ROM area: {bases}" + why
    assert any(st.start <= syms["_image_start"] < st.end for st in stores), \
        "no copy of the image recorded" + why
    assert final_lret_reads(loads, syms, "post"), "the init entry's return not seen" + why
    context = dict(syms=syms, secs=secs, bases=bases, loads=loads, elf=elf,
                   # The CPU writes the kernel only without DMA (QEMU or
                   # fw_cfg DMA do otherwise).
                   kernel=GUEST64.read_bytes() if name == "selfload-pio" else None,
                   report=res.report if name != "refused" else None,
                   ebda=ebda_of(abi.seabios_e820(res.debug_log)))
    written, undocumented = audit(stores, documented_rows("W", **context), syms)
    read, unlisted = audit(loads, documented_rows("R", **context), syms)
    report = explain("write", written, undocumented) + "\n" + explain("read", read, unlisted)
    assert not undocumented and not unlisted, "\n" + report + why
    if name in ("refused", "bev-from-disk"):
        assert written["boot: the BEV's frame on its caller's stack"], \
            "the BEV pass was not recorded" + why
    if name == "refused":
        assert written["boot: boot_memo"], "the failure was not noted in boot_memo" + why
    else:
        assert read["boot: 0xe0000-0xfffff (RSDP search)"], "no RSDP search recorded" + why


def test_audit_finds_an_undocumented_access():
    """The check itself: a store the document does not list (below the
    image at 0x7ff0, by the ROM's RAM copy), a store into the image by
    other code than the copy, and a push below the INT 19h hook's frame
    are reported; the copy and the hook's own frame are not."""
    syms, secs = symbols(), sections()
    run, area = syms["_image_start"], 0xCA000
    in_area = area - run     # an image address in the option ROM area's copy
    rows = documented_rows("W", syms, secs, [area], [])
    copy = Access(syms["enter_from_bios"] + in_area, area, run, syms["_image_end"], 1000)
    frame = Access(syms["bev_entry"] + in_area, area, 0x6FD0, 0x7000, 12)
    stray = Access(run + 0x300, run, 0x7FF0, 0x7FF1, 1)
    into_image = Access(syms["pvh_main"], run, run + 0x300, run + 0x304, 1)
    deep = Access(syms["bev_entry"] + in_area, area, 0x6FC0, 0x6FD0, 4)
    _, undocumented = audit([copy, frame, stray, into_image, deep], rows, syms)
    assert [(lo, hi) for lo, hi, _ in undocumented] == \
        [(0x7FF0, 0x7FF1), (run + 0x300, run + 0x304), (0x6FC0, 0x6FD0)]
