# SPDX-License-Identifier: GPL-2.0-or-later
"""Self-load mode: `-option-rom build/pvh.bin -fw_cfg name=opt/pvh/kernel,...`.

The ROM reads the test guest's ELF from fw_cfg, validates it, loads it and
hands over exactly as in drop-in mode.  Each VM configuration is booted once
per test process (the result is cached) and every ABI point is its own test
against that boot, with the assertions of tests/abi.py (the same points as
tests/test_dropin.py).  Also here: command line and initrd variants, the
precedence of opt/pvh/kernel over -kernel, the multi-segment guest after a
warm reboot with dirty memory, a machine type on which QEMU's own -kernel
path cannot PVH-boot, and bad kernel files the ROM must refuse with its
message while the BIOS goes on.
"""

import random
import re
import struct
import subprocess
import sys
from collections import namedtuple
from pathlib import Path

import pytest

import abi
from elftools import EXIT_33_CODE, PT_LOAD, program_headers, pvh_note_at
from qemu import (BUILD, DISK_MARKER, EXIT_DISK_BOOT, EXIT_REPORT_DONE,
                  GUEST32, GUEST64, GUEST_MULTI, REPORT_BEGIN, ROM, SEABIOS_MICROVM,
                  assert_refused, boot_guest, cached, disk_args,
                  fw_cfg_file_use, fw_cfg_trace_args, make_marker_disk,
                  overlaps, run_qemu, run_until_no_boot, selfload_fw_cfg)

sys.path.insert(0, str(Path(__file__).resolve().parent / "unit"))
import elf_corpus  # noqa: E402

INSPECT = BUILD / "pvh-inspect"

# Deterministic initrd contents: an odd size, not a multiple of a page.
INITRD = random.Random(20240301).randbytes((1 << 20) + 4567)
# The longest command line (with its NUL) the ROM keeps in its own window.
CMDLINE_IN_WINDOW = 2048
# Given with string=: the commas test the option escaping on the way.
CMDLINE = "console=ttyS0 root=/dev/ram0 rd.test=1,2,,3 quiet"

MACHINES = ["q35", "pc", "pc-i440fx-3.1"]
# Machine types whose -kernel path PVH-boots (QEMU 4.0 and later types).
DROPIN_MACHINES = {"q35", "pc"}

VARIANT = {GUEST32: "elf32", GUEST64: "elf64", GUEST_MULTI: "multi"}

Cfg = namedtuple("Cfg", "machine mem dma kernel")

MATRIX = [Cfg(m, mem, dma, k)
          for m in MACHINES for mem in ("512M", "6G") for dma in (True, False)
          for k in (GUEST32, GUEST64)]
MATRIX += [Cfg("q35", "512M", True, GUEST_MULTI),
           Cfg("pc", "6G", False, GUEST_MULTI),
           Cfg("pc-i440fx-3.1", "512M", False, GUEST_MULTI)]


def cfg_id(c):
    return f"{c.machine}-{c.mem}-{'dma' if c.dma else 'pio'}-{VARIANT[c.kernel]}"


@cached
def boot(cfg, cmdline=CMDLINE, initrd=INITRD):
    assert ROM.is_file(), f"{ROM} is missing: run `make` first"
    return boot_guest(kernel=None, rom=None, option_rom=ROM,
                      machine=cfg.machine, mem=cfg.mem, dma=cfg.dma,
                      fw_cfg=selfload_fw_cfg(cfg.kernel, initrd, cmdline),
                      timeout=60)


@cached
def boot_dropin(cfg):
    """The same VM booted through the drop-in path (QEMU's -kernel with
    build/pvh.bin in place of QEMU's ROM)."""
    return boot_guest(kernel=cfg.kernel, rom="ours", machine=cfg.machine,
                      mem=cfg.mem, dma=cfg.dma, append=CMDLINE, initrd=INITRD,
                      timeout=60)


def report(cfg):
    return boot(cfg).report


matrix = pytest.mark.parametrize("cfg", MATRIX, ids=cfg_id)
# The configurations the drop-in path can boot too, for comparisons.
dropin_matrix = pytest.mark.parametrize(
    "cfg", [c for c in MATRIX if c.machine in DROPIN_MACHINES], ids=cfg_id)


# --- the boot itself -------------------------------------------------------

@matrix
def test_guest_completes_without_rom_messages(cfg):
    res = boot(cfg)
    assert res.report["guest"] == VARIANT[cfg.kernel]
    assert res.pvh_lines == [], "the ROM printed messages on a good boot"
    assert res.report.int("boot") == 1


@matrix
def test_vm_configuration_took_effect(cfg):
    """The VM is what the test asked for, and the kernel came through the
    ROM: QEMU itself was given no -kernel."""
    rep = report(cfg)
    assert bool(rep.int("fw_cfg.id") & 2) == cfg.dma, "fw_cfg DMA on/off"
    assert rep.int("fw_cfg.kernel_entry") == 0
    assert rep.int("fw_cfg.kernel_size") == 0
    assert rep.int("fw_cfg.initrd_size") == 0


# --- CPU state at the entry point -------------------------------------------

@matrix
@pytest.mark.parametrize("point", list(abi.ENTRY_STATE))
def test_entry_state(cfg, point):
    """Each point of the ABI's CPU state (tests/abi.py ENTRY_STATE), its own
    test."""
    abi.ENTRY_STATE[point](report(cfg))


@dropin_matrix
def test_entry_state_equals_dropin(cfg):
    """Entry registers and descriptors are those of the drop-in path (the
    addresses of start_info and the ROM's GDT/stack may differ).  QEMU's
    -kernel cannot PVH-boot pc-i440fx-3.1 (see
    test_qemu_kernel_does_not_pvh_boot_old_machine): the ABI tests above
    cover it."""
    keys = [k for k in report(cfg)
            if k.split("_")[0] in ("cr0", "cr4", "eflags", "cs", "ds", "es",
                                   "ss", "tr", "fs", "gs", "a20")]
    ours = {k: report(cfg)[k] for k in keys}
    theirs = {k: boot_dropin(cfg).report.get(k) for k in keys}
    assert ours == theirs


# --- start_info -------------------------------------------------------------

@matrix
def test_start_info_header(cfg):
    abi.check_start_info(report(cfg))


@matrix
def test_memmap_well_formed(cfg):
    abi.check_memmap(report(cfg), cfg.mem)


@matrix
def test_memmap_equals_the_bios_e820(cfg):
    """Every entry SeaBIOS's INT 15h E820 gives, as it printed them."""
    res = boot(cfg)
    bios = abi.seabios_e820(res.debug_log)
    assert bios, "SeaBIOS printed no e820 map" + res.describe()
    assert res.report.memmap == bios


@dropin_matrix
def test_memmap_equals_dropin(cfg):
    """The same VM through the drop-in path gets the same map (on
    pc-i440fx-3.1, test_memmap_equals_the_bios_e820 stands in)."""
    assert report(cfg).memmap == boot_dropin(cfg).report.memmap


@matrix
def test_cmdline_byte_exact(cfg):
    abi.check_cmdline(report(cfg), CMDLINE.encode())


@matrix
def test_initrd_is_module_0_intact(cfg):
    abi.check_initrd_module(report(cfg), INITRD)


@matrix
def test_initrd_placement(cfg):
    """Page-aligned, in RAM above 1 MiB and below 4 GiB, clear of the
    kernel and of the firmware, at the highest such address (as QEMU
    places its own)."""
    rep = report(cfg)
    mod = abi.check_initrd_module(rep, INITRD)
    image = (rep.int("image_start"), rep.int("image_end") - rep.int("image_start"))
    assert mod.paddr >= 1 << 20, f"initrd at {mod.paddr:#x} in the first MiB"
    assert abi.in_ram(rep.memmap, mod.paddr, mod.size), \
        f"initrd at {mod.paddr:#x} not in RAM (firmware or hole)"
    assert not overlaps(mod.paddr, mod.size, *image), "initrd overlaps the kernel"
    rsdp = rep.int("rsdp_paddr")
    assert not overlaps(mod.paddr, mod.size, rsdp, 36), "initrd overlaps the RSDP"
    best = abi.highest_fit_below_4g(rep.memmap, mod.size, avoid=[image])
    assert mod.paddr == best, \
        f"initrd at {mod.paddr:#x}, the highest fit is {best:#x}"


@matrix
def test_segments_loaded_bss_zero_data_intact(cfg):
    rep = report(cfg)
    abi.check_segments_loaded(rep)
    assert rep.int("bss_size") > 0


@matrix
def test_rsdp_valid(cfg):
    abi.check_rsdp(report(cfg))


@matrix
def test_handed_over_structures_placed_safely(cfg):
    rep = report(cfg)
    structs = abi.check_handed_over_placement(rep)
    assert {s[0] for s in structs} >= {"start_info", "memmap", "modlist", "cmdline"}


# --- command line and initrd variants ----------------------------------------

ODD = (b"a=\"b c\" d='e f' g,h,,i;j|k&l $HOME ~ \\n \\\\ %s%n "
       b"tab:\t ctrl:\x01\x1f\x7f utf8:\xc3\xa9\xe6\x97\xa5 raw:\xff\xfe\x80 "
       b"  double  spaces  =trailing= ")
PATTERN = b"0123456789abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJKLMNOPQRSTUVWXYZ_"

# name: (what goes into opt/pvh/cmdline, what the kernel must see)
CMDLINES = {
    "string-with-commas": ("a,b,,c=d,e x=\"1,2\"", b"a,b,,c=d,e x=\"1,2\""),
    "file-odd-no-nul": (ODD, ODD),
    "file-odd-with-nul": (ODD + b"\0", ODD),
    "file-2047": ((PATTERN * 100)[:2047], (PATTERN * 100)[:2047]),
    "file-2048": ((PATTERN * 100)[:2048], (PATTERN * 100)[:2048]),
    "file-4095": ((PATTERN * 100)[:4095], (PATTERN * 100)[:4095]),
    "file-4096": ((PATTERN * 100)[:4096], (PATTERN * 100)[:4096]),
    "file-6000-no-nul": ((PATTERN * 100)[:6000], (PATTERN * 100)[:6000]),
    "file-6000-with-nul": ((PATTERN * 100)[:6000] + b"\0", (PATTERN * 100)[:6000]),
    "string-6000": ((PATTERN * 100)[:6000].decode(), (PATTERN * 100)[:6000]),
    "file-20000": ((PATTERN * 400)[:20000], (PATTERN * 400)[:20000]),
}
machines = pytest.mark.parametrize("machine", MACHINES)


@machines
@pytest.mark.parametrize("name", list(CMDLINES))
def test_cmdline_variants_byte_exact(machine, name):
    given, want = CMDLINES[name]
    rep = boot(Cfg(machine, "512M", True, GUEST64), cmdline=given,
               initrd=None).report
    abi.check_cmdline(rep, want)
    abi.check_start_info(rep)
    abi.check_handed_over_placement(rep)
    # Up to 2047 bytes and the NUL in the ROM's window; longer ones at the
    # top of RAM below 4 GiB, where nothing else was placed.
    at = rep.int("cmdline_paddr")
    if len(want) < CMDLINE_IN_WINDOW:
        assert 0x8000 <= at < 0x10000, f"command line at {at:#x}"
    else:
        image = (rep.int("image_start"), rep.int("image_end") - rep.int("image_start"))
        best = abi.highest_fit_below_4g(rep.memmap, len(want) + 1, avoid=[image], align=8)
        assert at == best, f"command line at {at:#x}, not at the highest fit {best:#x}"


@machines
@pytest.mark.parametrize("dma", [True, False], ids=["dma", "pio"])
def test_long_cmdline_with_initrd(machine, dma):
    """The initrd and a command line too long for the ROM's window both
    go to free RAM: each at its highest fit, the command line below the
    initrd, neither over the other."""
    given, want = CMDLINES["file-6000-no-nul"]
    rep = boot(Cfg(machine, "512M", dma, GUEST64), cmdline=given).report
    abi.check_cmdline(rep, want)
    mod = abi.check_initrd_module(rep, INITRD)
    abi.check_handed_over_placement(rep)
    image = (rep.int("image_start"), rep.int("image_end") - rep.int("image_start"))
    assert mod.paddr == abi.highest_fit_below_4g(rep.memmap, len(INITRD), avoid=[image])
    at = rep.int("cmdline_paddr")
    best = abi.highest_fit_below_4g(rep.memmap, len(want) + 1, align=8,
                                    avoid=[image, (mod.paddr, mod.size)])
    assert at == best, f"command line at {at:#x}, not at the highest fit {best:#x}"


@machines
@pytest.mark.parametrize("initrd", [True, False], ids=["initrd", "no-initrd"])
def test_no_cmdline_gives_cmdline_paddr_0(machine, initrd):
    rep = boot(Cfg(machine, "512M", True, GUEST32), cmdline=None,
               initrd=INITRD if initrd else None).report
    abi.check_no_cmdline(rep)
    if initrd:
        abi.check_initrd_module(rep, INITRD)
    else:
        abi.check_no_modules(rep)


@machines
@pytest.mark.parametrize("dma", [True, False], ids=["dma", "pio"])
def test_no_initrd_gives_no_modules(machine, dma):
    rep = boot(Cfg(machine, "512M", dma, GUEST64), initrd=None).report
    abi.check_no_modules(rep)
    abi.check_cmdline(rep, CMDLINE.encode())


@machines
def test_page_sized_initrd(machine):
    """An initrd of exactly one page (no partial page at its end)."""
    data = random.Random(4096).randbytes(4096)
    rep = boot(Cfg(machine, "512M", False, GUEST32), initrd=data).report
    abi.check_initrd_module(rep, data)


# --- opt/pvh/kernel takes precedence over -kernel ----------------------------

@pytest.mark.parametrize("machine", sorted(DROPIN_MACHINES))
def test_selfload_kernel_takes_precedence_over_dash_kernel(machine):
    """QEMU's -kernel/-initrd/-append (our ROM in QEMU's place, so that it
    sees both) with the opt/pvh items too: the opt/pvh ones boot."""
    dropin_rd = random.Random(1).randbytes(20000)
    res = boot_guest(kernel=GUEST_MULTI, initrd=dropin_rd, append="from -append",
                     rom="ours", machine=machine,
                     fw_cfg=selfload_fw_cfg(GUEST64, INITRD, CMDLINE))
    rep = res.report
    # QEMU did set up its -kernel path (else the test would prove nothing).
    assert rep.int("fw_cfg.kernel_entry") == 0x100000
    assert rep.int("fw_cfg.initrd_size") == len(dropin_rd)
    assert rep["guest"] == "elf64", "the -kernel guest booted, not opt/pvh/kernel"
    abi.check_cmdline(rep, CMDLINE.encode())
    abi.check_initrd_module(rep, INITRD)
    abi.check_entry_state(rep)
    abi.check_segments_loaded(rep)
    assert res.pvh_lines == []


# --- a machine type QEMU's own loader cannot PVH-boot ------------------------

@pytest.mark.parametrize("machine, pvh", [("pc-i440fx-3.1", False), ("pc-q35-3.1", False),
                                          ("pc", True)])
def test_qemu_kernel_does_not_pvh_boot_old_machine(machine, pvh):
    """On pc-i440fx-3.1 and pc-q35-3.1 QEMU's -kernel does not PVH-boot the guest (it takes
    the Linux boot protocol path, which this ELF is not): the reason to
    self-load.  On pc (a current type) the same command does, which shows
    that the command would work if the machine type allowed it.  Which
    ROM QEMU set up for -kernel decides it, not how long the guest takes:
    on the old type SeaBIOS boots linuxboot (QEMU is stopped right then)."""
    boot = REPORT_BEGIN if pvh else "Booting from ROM"
    res = run_qemu(kernel=GUEST64, rom=None, machine=machine, nic=False,
                   wait_for=[boot], timeout=60)
    why = res.describe()
    assert res.found == boot, why
    if pvh:
        assert "/rom@genroms/pvh.bin" in res.debug_log, why
    else:
        assert "/rom@genroms/pvh.bin" not in res.debug_log, "QEMU set up its PVH ROM" + why
        assert "/rom@genroms/linuxboot" in res.debug_log, why


def test_selfload_on_old_q35():
    """pc-q35-3.1, where QEMU's own -kernel cannot PVH-boot (the test
    above): the self-loaded guest gets the whole ABI, as on current types."""
    rep = boot(Cfg("pc-q35-3.1", "512M", True, GUEST64)).report
    abi.check_entry_state(rep)
    abi.check_start_info(rep)
    abi.check_cmdline(rep, CMDLINE.encode())
    abi.check_initrd_module(rep, INITRD)
    abi.check_rsdp(rep)
    abi.check_handed_over_placement(rep)


# --- QEMU's oldest CPU models ------------------------------------------------

def exit_stub_kernel():
    """An ELF32 PVH kernel that only exits QEMU with status 33 (no
    instruction a 486 lacks, unlike the test guests)."""
    return elf_corpus.code_kernel(EXIT_33_CODE, cls=32,
                                  notes=elf_corpus.pvh_note(elf_corpus.KERNEL_BASE, 4))


@pytest.mark.parametrize("cpu", ["486", "pentium"])
def test_runs_on_cpus_without_cmov(cpu):
    """isapc with its default 486, and a Pentium: CPUs without cmov (the
    ROM once used it before any check, and hung the boot even with no
    kernel configured).  The ROM must self-load a kernel there and enter
    it, and with no kernel step aside as on any machine."""
    res = run_qemu(rom=None, option_rom=ROM, machine="isapc", extra=["-cpu", cpu],
                   fw_cfg={"opt/pvh/kernel": exit_stub_kernel()}, nic=False, timeout=30)
    assert res.returncode == 33, "the kernel was not entered" + res.describe()
    assert res.pvh_lines == [], res.describe()
    res = run_until_no_boot(rom=None, option_rom=ROM, machine="isapc", extra=["-cpu", cpu])
    assert res.found is not None, "the ROM did not step aside" + res.describe()
    assert res.pvh_lines == [], res.describe()


# --- microvm: no PCI, ACPI optional ------------------------------------------

@pytest.mark.parametrize("dma", [True, False], ids=["dma", "pio"])
@pytest.mark.parametrize("acpi", ["on", "off"])
def test_selfload_on_microvm(acpi, dma):
    """QEMU's minimal machine type, with SeaBIOS's microvm build: no PCI,
    an E820 map of its own, and ACPI tables only with acpi=on.  The ROM
    must self-load the kernel and hand over SeaBIOS's final map, the
    RSDP with ACPI and rsdp_paddr 0 without."""
    assert SEABIOS_MICROVM.is_file(), \
        f"{SEABIOS_MICROVM} is missing: scripts/setup-deps.sh installs Debian's seabios"
    res = run_qemu(rom=None, option_rom=ROM, machine=f"microvm,acpi={acpi}", dma=dma,
                   extra=["-bios", str(SEABIOS_MICROVM)], nic=False,
                   fw_cfg=selfload_fw_cfg(GUEST64, INITRD, CMDLINE), timeout=60)
    why = res.describe()
    assert res.returncode == EXIT_REPORT_DONE, why
    rep = res.report
    assert rep.complete, why
    # fw_cfg's ID as the guest reads it: bit 1 says DMA.
    assert bool(rep.int("fw_cfg.id") & 2) == dma, why
    abi.check_entry_state(rep)
    abi.check_start_info(rep)
    abi.check_memmap(rep, "512M")
    assert rep.memmap == abi.seabios_e820(res.debug_log), why
    abi.check_cmdline(rep, CMDLINE.encode())
    abi.check_initrd_module(rep, INITRD)
    abi.check_segments_loaded(rep)
    abi.check_handed_over_placement(rep)
    if acpi == "on":
        abi.check_rsdp(rep)
    else:
        assert rep.int("rsdp_paddr") == 0, why
        assert rep.int("rsdp_count") == 0, "the guest found an RSDP" + why
    assert res.pvh_lines == [], why


# --- the multi-segment guest: bss zeroed, data reloaded after a warm reboot ---

@machines
@pytest.mark.parametrize("dma", [True, False], ids=["dma", "pio"])
def test_multi_segment_bss_after_dirty_warm_reboot(tmp_path, machine, dma):
    """The guest fills its bss and .data with 0xaa and resets; on the second
    boot (the ROM loads the kernel again into that dirty memory) bss must
    be zero and .data back to its file contents.  The kernel file ends in
    a byte that is not 0 (past everything the ELF describes), so that a
    bss cleared by a DMA read starting short of the item's end shows."""
    kernel = tmp_path / "guest-multi-tail.elf"
    kernel.write_bytes(GUEST_MULTI.read_bytes() + b"\x5c")
    res = run_qemu(rom=None, option_rom=ROM, machine=machine, dma=dma,
                   reboot=True, nic=False,
                   fw_cfg=selfload_fw_cfg(kernel, INITRD, "dirty-reboot"),
                   timeout=60)
    abi.check_after_dirty_reboot(res, INITRD)


@pytest.mark.parametrize("dma", [True, False], ids=["dma", "pio"])
def test_long_cmdline_without_nul_after_dirty_warm_reboot(dma):
    """A command line of 3000 bytes without a NUL (opt/pvh/cmdline as a
    string): the ROM places it in RAM of its choosing (not in its window,
    which SeaBIOS zeroes at each boot) and writes the NUL itself.  The
    guest fills the line and its NUL with 0xaa and resets; the second boot
    must find the line terminated again, at the same place."""
    cmdline = "dirty-reboot " + "x" * (3000 - len("dirty-reboot "))
    res = run_qemu(rom=None, option_rom=ROM, dma=dma, reboot=True, nic=False,
                   fw_cfg=selfload_fw_cfg(GUEST_MULTI, INITRD, cmdline), timeout=60)
    abi.check_after_dirty_reboot(res, INITRD, cmdline.encode())
    assert res.report.int("cmdline_paddr") >= 1 << 20, \
        "the command line stayed in the ROM's window" + res.describe()


# --- the kernel item is read forward ----------------------------------------

def many_notes_kernel():
    """A minimal ELF64 PVH kernel shaped like Linux's vmlinux: its PT_NOTE
    lies inside the text segment, after the segment's start, and holds many
    small notes (20 to 28 bytes) before the PVH one.  Its code exits QEMU
    through isa-debug-exit with status 33."""
    base = elf_corpus.KERNEL_BASE
    note = elf_corpus.note
    notes = (note(b"GNU\0", 3, bytes(20)) + note(b"Linux\0", 0x100, bytes(4))
             + note(b"Xen\0", 6, b"linux\0") + note(b"Xen\0", 7, b"2.6\0")
             + note(b"Xen\0", 5, b"xen-3.0\0")
             + b"".join(note(b"Xen\0", t, struct.pack("<Q", t))
                        for t in (1, 2, 3, 4, 8, 9, 10, 11, 12, 13, 14, 16, 17))
             + elf_corpus.pvh_note(base, 8))
    return elf_corpus.code_kernel(EXIT_33_CODE, notes=notes, text_memsz=0x3000)


def fw_cfg_use(tmp_path, kernel, dma, initrd=None, cmdline=None):
    trace = tmp_path / "fw_cfg-trace.log"
    res = run_qemu(rom=None, option_rom=ROM, dma=dma, nic=False,
                   fw_cfg=selfload_fw_cfg(kernel, initrd, cmdline),
                   extra=fw_cfg_trace_args(trace), timeout=60)
    assert res.returncode == EXIT_REPORT_DONE, res.describe()
    return fw_cfg_file_use(trace.read_text(errors="replace")), res


def load_selections(data, dma):
    """How many times loading must select the kernel item: back to the
    first segment with file data, then only where a segment's data lies
    before the end of the last read, or (with DMA) after a segment whose
    bss was filled by a read past the end of the item."""
    loads = sorted((h for h in program_headers(data) if h.type == PT_LOAD),
                   key=lambda h: h.offset)
    selections, pos = 0, None  # pos None: the next read selects
    for h in loads:
        if h.filesz:
            if pos is None or h.offset < pos:
                selections += 1
            pos = h.offset + h.filesz
        if dma and h.memsz > h.filesz:
            pos = None
    return selections


def check_kernel_read_forward(use, kernel, dma):
    """The kernel item is selected again only to go back: the file header
    first, back to the program header table (inside what that read
    covered), then as loading needs (load_selections).  Without DMA every
    selection means reading the file again from its start up to the wanted
    offset, a byte per port access: a ROM that reads forward reads at most
    the headers and notes and then the file once more."""
    k = use["opt/pvh/kernel"]
    data = Path(kernel).read_bytes()
    most = 2 + load_selections(data, dma)
    assert 1 <= k.selects <= most, (
        f"opt/pvh/kernel selected {k.selects} times, more than {most}")
    if not dma:
        assert k.pio_bytes <= 2 * len(data) + 4096, (
            f"{k.pio_bytes} bytes read through the data port from a "
            f"{len(data)}-byte kernel ({k.selects} selections of the item)")


@pytest.mark.parametrize("dma", [True, False], ids=["dma", "pio"])
def test_many_small_notes_read_forward(tmp_path, dma):
    """Validation and loading read opt/pvh/kernel forward, also for a
    kernel shaped like Linux's: many notes of less than 32 bytes in a
    PT_NOTE inside the text segment.  (Going back to each note costs,
    without DMA, a read from the file's start up to the notes every time:
    23 MB for Debian's vmlinux, for each of its notes.)"""
    kernel = tmp_path / "many-notes.elf"
    kernel.write_bytes(many_notes_kernel())
    ok = subprocess.run([str(INSPECT), str(kernel)], capture_output=True, text=True)
    assert ok.returncode == 0, f"pvh-inspect refuses the test kernel: {ok.stdout}"
    use, _ = fw_cfg_use(tmp_path, kernel, dma)
    check_kernel_read_forward(use, kernel, dma)


@pytest.mark.parametrize("kernel", [GUEST32, GUEST64, GUEST_MULTI],
                         ids=["elf32", "elf64", "multi"])
@pytest.mark.parametrize("dma", [True, False], ids=["dma", "pio"])
def test_fw_cfg_items_read_once(tmp_path, kernel, dma):
    """The kernel read forward (above); initrd and command line each in one
    transfer straight to their place, every byte read once."""
    initrd = INITRD[:100000]
    use, res = fw_cfg_use(tmp_path, kernel, dma, initrd=initrd, cmdline=CMDLINE)
    assert res.report and res.report.complete, res.describe()
    check_kernel_read_forward(use, kernel, dma)
    assert use["opt/pvh/initrd"].selects == 1, use
    assert use["opt/pvh/cmdline"].selects == 1, use
    if not dma:
        assert use["opt/pvh/initrd"].pio_bytes == len(initrd), use
        assert use["opt/pvh/cmdline"].pio_bytes == len(CMDLINE), use


@pytest.mark.parametrize("dma", [True, False], ids=["dma", "pio"])
def test_segment_without_file_data_selects_nothing(tmp_path, dma):
    """A PT_LOAD that is all bss has no file data to read: it costs no
    selection of the kernel item of its own (with DMA its zero fill is a
    read past the item's end, which goes on from where the last read
    stopped).  For a kernel whose headers lie in the first read, that
    leaves exactly one selection to validate it and load_selections() to
    load it."""
    kernel = tmp_path / "bss-only.elf"
    kernel.write_bytes(elf_corpus.code_kernel(
        EXIT_33_CODE, extra_phdrs=[elf_corpus.load(0, elf_corpus.KERNEL_BASE + 0x100000,
                                                   0, 0x2000)]))
    use, _ = fw_cfg_use(tmp_path, kernel, dma)
    want = 1 + load_selections(kernel.read_bytes(), dma)
    assert use["opt/pvh/kernel"].selects == want, use["opt/pvh/kernel"]


@pytest.mark.parametrize("dma", [True, False], ids=["dma", "pio"])
def test_files_found_past_the_first_64_directory_entries(dma):
    """The ROM reads the fw_cfg directory 64 entries at a time.  QEMU's
    machines allow 32 files unless told otherwise (x-file-slots): with 1024
    slots and 100 files that sort before them (QEMU keeps the directory in
    name order), the opt/pvh/ files come past the first 64 entries."""
    fw_cfg = {f"opt/aaa/{i:03d}": f"file {i}" for i in range(100)}
    fw_cfg.update(selfload_fw_cfg(GUEST64, INITRD[:4096], "many files"))
    res = boot_guest(kernel=None, rom=None, option_rom=ROM, nic=False, dma=dma,
                     fw_cfg=fw_cfg, extra=["-global", "fw_cfg_io.x-file-slots=1024"])
    rep = res.report
    abi.check_cmdline(rep, b"many files")
    abi.check_initrd_module(rep, INITRD[:4096])
    assert res.pvh_lines == [], res.describe()


# --- bad kernel files --------------------------------------------------------

def _corpus(name):
    """(file bytes, the message the corpus expects) of an elf_corpus case."""
    cases = {c.name: c for c in elf_corpus.bad_cases()}
    return cases[name].data, cases[name].expect


def _patched_guest(path, fn):
    data = bytearray(path.read_bytes())
    fn(data)
    return bytes(data)


def _no_pvh_note(data):
    """The real guest with its PHYS32_ENTRY note turned into type 17."""
    at, _ = pvh_note_at(data)
    struct.pack_into("<I", data, at + 8, 17)


def _paddr(new):
    """The real ELF32 guest with its only PT_LOAD moved to paddr new."""
    def patch(data):
        loads = [h for h in program_headers(data) if h.type == PT_LOAD]
        assert loads, "no PT_LOAD"
        struct.pack_into("<I", data, loads[0].at + 12, new)  # ELF32 p_paddr
    return patch


# name: (machine, mem, dma, a function giving the file's bytes and the
# message expected: the corpus's, or a string or pattern of its own)
BAD = {
    "not-elf": ("q35", "512M", True, lambda: _corpus("random-bytes")),
    "empty": ("q35", "512M", True, lambda: _corpus("empty")),
    "bzimage": ("pc", "512M", True, lambda: _corpus("bzimage")),
    "host-program": ("q35", "512M", True, lambda: (Path("/usr/bin/true").read_bytes(),
                                               "pvh: kernel is not an ELF executable (type 0x00000003)")),
    "truncated-header": ("q35", "512M", False, lambda: _corpus("truncated-header64")),
    "truncated-guest": ("pc-i440fx-3.1", "512M", True,
                        lambda: (GUEST64.read_bytes()[:0x2000],
                                  "pvh: program header 0x00000000: data lies outside the file")),
    "wrong-machine": ("q35", "512M", True, lambda: _corpus("machine-arm")),
    "big-endian": ("pc", "512M", False, lambda: _corpus("big-endian")),
    "no-pvh-note": ("q35", "512M", True, lambda: _corpus("no-pt-note")),
    "no-pvh-note-guest": ("pc-i440fx-3.1", "512M", False,
                          lambda: (_patched_guest(GUEST64, _no_pvh_note),
                                    "pvh: no PVH entry note (XEN_ELFNOTE_PHYS32_ENTRY)")),
    "segment-in-first-mib": ("q35", "512M", True, lambda: _corpus("segment-bios-area")),
    "guest-in-first-mib": ("pc", "512M", True,
                           lambda: (_patched_guest(GUEST32, _paddr(0x80000)), re.compile(
                               r"pvh: segment 0x00080000 - 0x0008[0-9a-f]{4} is in the first MiB"))),
    "segment-beyond-ram": ("q35", "512M", True, lambda: _corpus("segment-beyond-ram")),
    "segment-in-pci-hole": ("q35", "6G", True, lambda: _corpus("segment-in-pci-hole-6g")),
    "guest-beyond-ram": ("pc-i440fx-3.1", "512M", True,
                         lambda: (_patched_guest(GUEST32, _paddr(0x30000000)), re.compile(
                             r"pvh: segment 0x30000000 - 0x3000[0-9a-f]{4} is not in RAM"))),
    "segments-overlap": ("q35", "512M", False, lambda: _corpus("segments-overlap")),
    "entry-outside-segments": ("q35", "512M", True, lambda: _corpus("entry-outside")),
    "bad-note": ("pc", "512M", True, lambda: _corpus("descsz-huge")),
}


def inspect_message(path, mem):
    """What build/pvh-inspect says the ROM prints for this file."""
    assert INSPECT.is_file(), f"{INSPECT} is missing: run `make`"
    p = subprocess.run([str(INSPECT), "--ram", mem, str(path)],
                       capture_output=True, text=True, timeout=30)
    assert p.returncode == 1, (f"pvh-inspect exit {p.returncode} for a bad file:\n"
                               f"{p.stdout}{p.stderr}")
    lines = [ln for ln in p.stdout.splitlines() if ln.startswith("pvh: ")]
    assert len(lines) == 1, f"pvh-inspect output: {p.stdout!r} {p.stderr!r}"
    return lines[0]


@pytest.mark.parametrize("name", list(BAD))
def test_bad_kernel_refused_and_bios_continues(tmp_path, name):
    machine, mem, dma, make = BAD[name]
    data, expected = make()
    kernel = tmp_path / "bad-kernel"
    kernel.write_bytes(data)
    want = inspect_message(kernel, mem)
    if isinstance(expected, re.Pattern):
        assert expected.fullmatch(want), f"pvh-inspect says {want!r}"
    else:
        assert want == expected, "pvh-inspect disagrees with the expected message"
    # No NIC and no disk: SeaBIOS goes through its (empty) devices and says
    # so; QEMU is killed once it has.
    res = run_until_no_boot(rom=None, option_rom=ROM, machine=machine, mem=mem,
                            dma=dma, fw_cfg=selfload_fw_cfg(kernel, INITRD, CMDLINE))
    assert_refused(res, want)


@pytest.mark.parametrize("machine", MACHINES)
def test_bad_kernel_then_disk_boots(tmp_path, machine):
    """After refusing the kernel the BIOS boots the next device, a disk."""
    data, _ = _corpus("entry-outside")
    kernel = tmp_path / "bad-kernel"
    kernel.write_bytes(data)
    want = inspect_message(kernel, "512M")
    disk = make_marker_disk(tmp_path / "disk.img")
    res = run_qemu(rom=None, option_rom=ROM, machine=machine, nic=False,
                   fw_cfg=selfload_fw_cfg(kernel), extra=disk_args(disk),
                   timeout=30)
    why = res.describe()
    assert res.returncode == EXIT_DISK_BOOT, "the disk did not boot" + why
    assert res.debug_pvh_lines == [want], why
    assert res.serial_pvh_lines == [want], "not shown through INT 10h" + why
    log = res.debug_log
    assert log.find(want) < log.find(DISK_MARKER), why
    assert REPORT_BEGIN not in log, why

