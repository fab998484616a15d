# SPDX-License-Identifier: GPL-2.0-or-later
"""Drop-in ABI tests: QEMU's own -kernel path with build/pvh.bin in place of
QEMU's ROM (`-L build -L <QEMU data dir>`), booting the PVH test guests.

Each machine configuration is booted once per test process (the result is
cached) and every ABI point is its own test against that boot.  Set
PVH_DROPIN_ROM=qemu to run the same assertions against QEMU's installed
pvh.bin; these fail there, by design: TR, no command line, the 6000- and
20000-character and the long-with-initrd command lines (QEMU's ROM
overflows its buffer), and the placement test (its start_info lies at
0x21e0, where SeaBIOS's boot stack was).  The ABI assertions are those of
tests/abi.py, shared with the self-load tests.

A few configurations boot build/dropin/pvh.bin instead, the drop-in-only
build (ROM_SELFLOAD=0), through the same assertions.
"""

import os
import random
import re
import struct
from collections import namedtuple

import pytest

import abi
from elftools import PT_LOAD, PT_NOTE, program_headers
from qemu import (ACCEL, GUEST32, GUEST64, GUEST_MULTI, SEABIOS_MICROVM, boot_guest, cached,
                  fw_cfg_trace_args, in_ram, overlaps, parse_size)

ROM_UNDER_TEST = os.environ.get("PVH_DROPIN_ROM", "ours")

# Deterministic initrd contents: an odd size, not a multiple of a page.
INITRD = random.Random(20240229).randbytes((1 << 20) + 4567)
CMDLINE = "console=ttyS0 root=/dev/ram0 rd.test=1 quiet"

# rom: None for ROM_UNDER_TEST, "dropin" for the drop-in-only build.
Cfg = namedtuple("Cfg", "machine mem dma smp kernel rom", defaults=(None,))

MATRIX = [
    Cfg("q35", "512M", True, 1, GUEST64),
    Cfg("q35", "512M", False, 1, GUEST32),
    Cfg("q35", "6G", True, 1, GUEST32),
    Cfg("q35", "6G", False, 1, GUEST64),
    Cfg("pc", "512M", True, 1, GUEST32),
    Cfg("pc", "512M", False, 1, GUEST64),
    Cfg("pc", "6G", True, 1, GUEST64),
    Cfg("pc", "6G", False, 1, GUEST32),
    Cfg("q35", "512M", True, 2, GUEST64),
    Cfg("pc", "6G", False, 2, GUEST32),
    Cfg("q35", "512M", True, 1, GUEST_MULTI),
]
if ROM_UNDER_TEST == "ours":
    MATRIX += [
        Cfg("q35", "512M", True, 1, GUEST64, "dropin"),
        Cfg("pc", "6G", False, 1, GUEST32, "dropin"),
        Cfg("q35", "6G", True, 2, GUEST_MULTI, "dropin"),
    ]

VARIANT = {GUEST32: "elf32", GUEST64: "elf64", GUEST_MULTI: "multi"}


def cfg_id(c):
    return (f"{c.machine}-{c.mem}-{'dma' if c.dma else 'pio'}-smp{c.smp}-"
            f"{VARIANT[c.kernel]}{'-dropin-only' if c.rom == 'dropin' else ''}")


@cached
def boot(cfg, rom=None, append=CMDLINE, initrd=True):
    """The boot of cfg, through rom if given (QEMU's, say), else cfg's."""
    rom = rom or cfg.rom or ROM_UNDER_TEST
    return boot_guest(kernel=cfg.kernel, rom=rom, machine=cfg.machine,
                      mem=cfg.mem, dma=cfg.dma, smp=cfg.smp, append=append,
                      initrd=INITRD if initrd else None, timeout=60)


def report(cfg):
    return boot(cfg).report


matrix = pytest.mark.parametrize("cfg", MATRIX, ids=cfg_id)


# --- the boot itself -------------------------------------------------------

@matrix
def test_guest_completes_without_rom_messages(cfg):
    res = boot(cfg)
    assert res.report["guest"] == VARIANT[cfg.kernel]
    assert res.pvh_lines == [], "the ROM printed messages on a good boot"
    assert res.report.int("boot") == 1
    # Nothing wrote into the kernel's range before it ran.
    abi.check_segments_loaded(res.report)


@matrix
def test_vm_configuration_took_effect(cfg):
    """The VM is what the test asked for (else the matrix means nothing)."""
    rep = report(cfg)
    assert bool(rep.int("fw_cfg.id") & 2) == cfg.dma, "fw_cfg DMA on/off"
    assert rep.int("fw_cfg.nb_cpus") == cfg.smp, "-smp"
    assert rep.int("fw_cfg.kernel_entry") == rep.int("entry")
    assert rep.int("lsl_lar") == (ACCEL != "kvm"), "lsl/lar skipped under TCG"
    ram = sum(e.size for e in rep.memmap if e.type == 1)
    assert parse_size(cfg.mem) * 0.95 <= ram <= parse_size(cfg.mem)


# --- CPU state at the entry point -------------------------------------------

@matrix
@pytest.mark.parametrize("point", list(abi.ENTRY_STATE))
def test_entry_state(cfg, point):
    """Each point of the ABI's CPU state (tests/abi.py ENTRY_STATE), its own
    test."""
    abi.ENTRY_STATE[point](report(cfg))


# --- start_info -------------------------------------------------------------

@matrix
def test_start_info_header(cfg):
    abi.check_start_info(report(cfg))


@matrix
def test_memmap_well_formed(cfg):
    rep = report(cfg)
    abi.check_memmap(rep, cfg.mem)
    assert in_ram(rep.memmap, 0x100000, rep.int("image_end") - 0x100000), \
        "the range from 1 MiB to the kernel's end is not RAM in the map"


@matrix
def test_memmap_equals_qemus_rom(cfg):
    """The same VM through QEMU's installed pvh.bin gets the same map.
    (With PVH_DROPIN_ROM=qemu both sides are QEMU's ROM: a check of the
    harness alone.)"""
    ours = report(cfg).memmap
    theirs = boot(cfg, rom="qemu").report.memmap
    assert ours == theirs


@matrix
def test_cmdline_byte_exact(cfg):
    abi.check_cmdline(report(cfg), CMDLINE.encode())


@matrix
def test_initrd_is_module_0_intact(cfg):
    rep = report(cfg)
    mod = abi.check_initrd_module(rep, INITRD)
    assert mod.paddr == rep.int("fw_cfg.initrd_addr"), \
        f"initrd at {mod.paddr:#x}, not at QEMU's INITRD_ADDR"


@matrix
def test_rsdp_valid(cfg):
    abi.check_rsdp(report(cfg))


@matrix
def test_handed_over_structures_placed_safely(cfg):
    """start_info, memmap, module list and command line: in RAM below
    4 GiB, clear of the kernel, the initrd (module 0), the IVT/BDA, the
    BIOS's boot stack and each other."""
    rep = report(cfg)
    assert len(rep.modules) == 1, f"{len(rep.modules)} modules, not the initrd alone"
    structs = abi.check_handed_over_placement(rep)
    assert {s[0] for s in structs} >= {"start_info", "memmap", "modlist", "cmdline"}


@pytest.mark.parametrize("nic", ["e1000", "virtio-net-pci"])
def test_boots_whatever_the_setup_item_holds(nic):
    """QEMU 7.2 registers its "setup" item (the file's first 8 KiB) from a
    buffer on its loader's stack: with a NIC that has no network (QEMU then
    warns at start-up) the item holds other bytes from byte 16 on.  The
    drop-in ROM reads only the item's size, so the boot goes on as usual."""
    res = boot_guest(kernel=GUEST64, rom=ROM_UNDER_TEST, machine="q35", nic=False,
                     extra=["-device", nic], append=CMDLINE, initrd=INITRD, timeout=60)
    assert res.pvh_lines == [], res.describe()
    abi.check_entry_state(res.report)
    abi.check_cmdline(res.report, CMDLINE.encode())
    abi.check_initrd_module(res.report, INITRD)


# --- command line and initrd variants (q35 and pc, 512 MiB) ------------------

ODD_CMDLINE = (b"a=\"b c\" d='e f' g,h,,i;j|k&l $HOME ~ \\n \\\\ %s%n "
               b"tab:\t ctrl:\x01\x1f\x7f utf8:\xc3\xa9\xe6\x97\xa5 raw:\xff\xfe\x80 "
               b"  double  spaces  =trailing= ")
PATTERN = b"0123456789abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJKLMNOPQRSTUVWXYZ_"

CMDLINES = {
    "short": b"console=ttyS0",
    "odd-characters": ODD_CMDLINE,
    "4095": (PATTERN * 100)[:4095],
    "4096": (PATTERN * 100)[:4096],
    "6000": (PATTERN * 100)[:6000],
    "20000": (PATTERN * 400)[:20000],
}
machines = pytest.mark.parametrize("machine", ["q35", "pc"])


@machines
@pytest.mark.parametrize("name", list(CMDLINES))
def test_cmdline_variants_byte_exact(machine, name):
    want = CMDLINES[name]
    rep = boot(Cfg(machine, "512M", True, 1, GUEST64), append=want,
               initrd=False).report
    abi.check_cmdline(rep, want)
    abi.check_start_info(rep)


@pytest.mark.parametrize("machine, rom", [("q35", None), ("pc", None), ("q35", "dropin")],
                         ids=["q35", "pc", "q35-dropin-only"])
def test_long_cmdline_with_initrd(machine, rom):
    """A command line too long for the ROM's window goes to free RAM,
    which must not be the initrd QEMU placed.  QEMU leaves some 32 KiB free
    above the initrd: a longer line does not fit there."""
    want = (PATTERN * 700)[:40000]
    rep = boot(Cfg(machine, "512M", True, 1, GUEST64, rom), append=want).report
    abi.check_cmdline(rep, want)
    abi.check_initrd_module(rep, INITRD)
    abi.check_handed_over_placement(rep)


@machines
def test_no_cmdline_gives_cmdline_paddr_0(machine):
    rep = boot(Cfg(machine, "512M", True, 1, GUEST32), append=None,
               initrd=False).report
    abi.check_no_cmdline(rep)


@machines
@pytest.mark.parametrize("dma", [True, False], ids=["dma", "pio"])
def test_no_initrd_gives_no_modules(machine, dma):
    rep = boot(Cfg(machine, "512M", dma, 1, GUEST64), initrd=False).report
    abi.check_no_modules(rep)
    abi.check_cmdline(rep, CMDLINE.encode())


def test_empty_initrd_gives_no_modules():
    """-initrd of an empty file: QEMU still sets INITRD_ADDR (to a page
    below the top of low RAM) with INITRD_SIZE 0; the kernel gets no
    module, not a module of 0 bytes."""
    res = boot_guest(kernel=GUEST64, rom=ROM_UNDER_TEST, initrd=b"", append="empty initrd")
    rep = res.report
    assert rep.int("fw_cfg.initrd_size") == 0, res.describe()
    assert rep.int("fw_cfg.initrd_addr") != 0, \
        "QEMU gave no initrd address: the case tests nothing" + res.describe()
    abi.check_no_modules(rep)
    abi.check_cmdline(rep, b"empty initrd")


BIG_INITRD = random.Random(7).randbytes((16 << 20) + 333)


@machines
@pytest.mark.parametrize("dma", [True, False], ids=["dma", "pio"])
def test_16mib_initrd_intact(machine, dma):
    res = boot_guest(kernel=GUEST32, rom=ROM_UNDER_TEST, machine=machine,
                     dma=dma, initrd=BIG_INITRD, append="big initrd")
    mod = abi.check_initrd_module(res.report, BIG_INITRD)
    assert mod.paddr == res.report.int("fw_cfg.initrd_addr"), \
        f"initrd at {mod.paddr:#x}, not at QEMU's INITRD_ADDR"


@pytest.mark.parametrize("rom", [ROM_UNDER_TEST, "dropin"], ids=["rom", "dropin-only"])
def test_initrd_moved_off_firmware_memory_on_microvm(rom):
    """On microvm QEMU places the initrd against the top of low RAM, over
    the page SeaBIOS's microvm build reserves there (its ACPI tables).  The
    ROM copies the initrd itself, so it takes the highest free range
    instead, as QEMU would have chosen it, and the kernel gets it whole."""
    assert SEABIOS_MICROVM.is_file(), \
        f"{SEABIOS_MICROVM} is missing: scripts/setup-deps.sh installs Debian's seabios"
    res = boot_guest(kernel=GUEST64, rom=rom, machine="microvm", nic=False,
                     extra=["-bios", str(SEABIOS_MICROVM)], initrd=INITRD, append=CMDLINE)
    rep = res.report
    why = res.describe()
    qemu_addr = rep.int("fw_cfg.initrd_addr")
    reserved = [(e.addr, e.size) for e in rep.memmap if e.type != 1]
    assert any(overlaps(qemu_addr, len(INITRD), *r) for r in reserved), \
        "QEMU's initrd address is free RAM here: the case tests nothing" + why
    mod = abi.check_initrd_module(rep, INITRD)
    kernel = (rep.int("image_start"), rep.int("image_end") - rep.int("image_start"))
    assert mod.paddr == abi.highest_fit_below_4g(rep.memmap, len(INITRD), avoid=[kernel]), \
        f"initrd at {mod.paddr:#x}, not the highest free fit" + why
    assert in_ram(rep.memmap, mod.paddr, mod.size), why
    abi.check_entry_state(rep)
    abi.check_cmdline(rep, CMDLINE.encode())
    abi.check_handed_over_placement(rep)
    assert res.pvh_lines == [], why


_SELECT = re.compile(r"fw_cfg_select \S+ key 0x([0-9a-f]+)")
FW_CFG_SIGNATURE, FW_CFG_INITRD_ADDR, FW_CFG_CMDLINE_DATA = 0x00, 0x0a, 0x15


@pytest.mark.parametrize("rom", [ROM_UNDER_TEST, "dropin"], ids=["rom", "dropin-only"])
@pytest.mark.parametrize("given", [False, True], ids=["bare", "initrd-append"])
def test_reads_only_the_items_it_uses(tmp_path, rom, given):
    """Each fw_cfg access is a VM exit under KVM: without -initrd the ROM
    does not read the initrd's address, and without -append (QEMU's item
    then holds only a NUL) not the command line; with them it reads each
    once.  The ROM's selections are those before the guest's own, which
    start with the signature (key 0; the ROM reads it from the DMA
    register instead)."""
    trace = tmp_path / "fw_cfg.log"
    kw = dict(initrd=INITRD, append=CMDLINE) if given else {}
    res = boot_guest(kernel=GUEST64, rom=rom, extra=fw_cfg_trace_args(trace, reads=False), **kw)
    keys = [int(k, 16) for k in _SELECT.findall(trace.read_text(errors="replace"))]
    guest = len(keys) - 1 - keys[::-1].index(FW_CFG_SIGNATURE)
    firmware = keys[:guest]
    want = 1 if given else 0
    assert firmware.count(FW_CFG_INITRD_ADDR) == want, res.describe()
    assert firmware.count(FW_CFG_CMDLINE_DATA) == want, res.describe()
    if given:
        abi.check_initrd_module(res.report, INITRD)
        abi.check_cmdline(res.report, CMDLINE.encode())
    else:
        abi.check_no_modules(res.report)
        abi.check_no_cmdline(res.report)


# --- the test guests themselves ----------------------------------------------

def _elf_layout(path):
    """(class, machine, program headers (elftools.Phdr), notes) with notes
    as (owner, type, descriptor bytes), from PT_NOTE segments."""
    data = path.read_bytes()
    phdrs = program_headers(data)
    is64 = data[4] == 2
    machine = struct.unpack_from("<H", data, 18)[0]
    notes = []
    for h in phdrs:
        if h.type != PT_NOTE:
            continue
        off, filesz = h.offset, h.filesz
        pos = off
        while pos + 12 <= off + filesz:
            namesz, descsz, ntype = struct.unpack_from("<III", data, pos)
            name = data[pos + 12:pos + 12 + namesz].rstrip(b"\0").decode()
            desc_at = pos + 12 + (namesz + 3) // 4 * 4
            notes.append((name, ntype, data[desc_at:desc_at + descsz]))
            pos = desc_at + (descsz + 3) // 4 * 4
    return (64 if is64 else 32), machine, phdrs, notes


@pytest.mark.parametrize("path, elf_class, machine, descsz, nload", [
    (GUEST32, 32, 3, 4, 1), (GUEST64, 64, 62, 8, 1), (GUEST_MULTI, 32, 3, 4, 3)],
    ids=["elf32", "elf64", "multi"])
def test_guest_files_have_the_advertised_shape(path, elf_class, machine, descsz, nload):
    assert path.is_file(), f"{path} is missing: run `make`"
    cls, mach, phdrs, notes = _elf_layout(path)
    assert (cls, mach) == (elf_class, machine)
    loads = [p for p in phdrs if p.type == PT_LOAD]
    assert len(loads) == nload
    assert min(p.paddr for p in loads) == 0x100000
    pvh = [n for n in notes if n[0] == "Xen" and n[1] == 18]
    assert len(pvh) == 1, f"PHYS32_ENTRY notes: {notes}"
    assert len(pvh[0][2]) == descsz
    assert int.from_bytes(pvh[0][2], "little") == 0x100000
    if path == GUEST_MULTI:
        assert any(p.filesz == 0 and p.memsz >= 1 << 20 for p in loads), \
            "no bss-only segment"
        assert any(0 < p.filesz < p.memsz for p in loads), "no segment with a bss tail"
