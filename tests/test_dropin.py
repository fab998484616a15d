# SPDX-License-Identifier: GPL-2.0-or-later
"""Drop-in ABI tests: QEMU's own -kernel path with build/pvh.bin in place of
QEMU's ROM (`-L build -L <QEMU data dir>`), booting the PVH test guests.

Each machine configuration is booted once per test process (the result is
cached) and every ABI point is its own test against that boot.  Set
PVH_DROPIN_ROM=qemu to run the same assertions against QEMU's installed
pvh.bin (the TR, 6000-character and no-command-line tests fail there by
design).
"""

import functools
import os
import random
import struct
import zlib
from collections import namedtuple

import pytest

from qemu import (ACCEL, FOUR_GIB, GUEST32, GUEST64, GUEST_MULTI, boot_guest, in_ram,
                  overlaps, parse_size)

ROM_UNDER_TEST = os.environ.get("PVH_DROPIN_ROM", "ours")

# The ABI's EFLAGS bits that must be clear.
EFLAGS_TF, EFLAGS_IF, EFLAGS_VM = 1 << 8, 1 << 9, 1 << 17

# Deterministic initrd contents: an odd size, not a multiple of a page.
INITRD = random.Random(20240229).randbytes((1 << 20) + 4567)
CMDLINE = "console=ttyS0 root=/dev/ram0 rd.test=1 quiet"

Cfg = namedtuple("Cfg", "machine mem dma smp kernel")

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

VARIANT = {GUEST32: "elf32", GUEST64: "elf64", GUEST_MULTI: "multi"}


def cfg_id(c):
    return (f"{c.machine}-{c.mem}-{'dma' if c.dma else 'pio'}-smp{c.smp}-"
            f"{VARIANT[c.kernel]}")


def _cached(fn):
    """functools.cache that also remembers failures, so that a broken boot
    fails each test quickly instead of booting (and timing out) again."""
    @functools.cache
    def outcome(*args, **kwargs):
        try:
            return True, fn(*args, **kwargs)
        except Exception as e:  # noqa: BLE001 (re-raised below)
            return False, e

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        ok, value = outcome(*args, **kwargs)
        if not ok:
            raise value
        return value
    return wrapper


@_cached
def boot(cfg, rom=ROM_UNDER_TEST, append=CMDLINE, initrd=True):
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
    assert res.report.int("bss_zero") == 1, "the guest's bss was not zero"
    assert res.report.int("data_ok") == 1, "the guest's data was changed"


@matrix
def test_vm_configuration_took_effect(cfg):
    """The VM is what the test asked for (else the matrix means nothing)."""
    rep = report(cfg)
    assert bool(rep.int("fw_cfg.id") & 2) == cfg.dma, "fw_cfg DMA on/off"
    assert rep.int("fw_cfg.kernel_entry") == rep.int("entry")
    assert rep.int("lsl_lar") == (ACCEL != "kvm"), "lsl/lar skipped under TCG"
    ram = sum(e.size for e in rep.memmap if e.type == 1)
    assert parse_size(cfg.mem) * 0.95 <= ram <= parse_size(cfg.mem)


# --- CPU state at the entry point -------------------------------------------

@matrix
def test_cr0_is_pe_and_et_only(cfg):
    assert report(cfg).int("cr0") == 0x11


@matrix
def test_cr4_is_zero(cfg):
    assert report(cfg).int("cr4") == 0


@matrix
def test_eflags_if_tf_vm_clear(cfg):
    eflags = report(cfg).int("eflags")
    assert eflags & EFLAGS_IF == 0, f"IF set in {eflags:#x}"
    assert eflags & EFLAGS_TF == 0, f"TF set in {eflags:#x}"
    assert eflags & EFLAGS_VM == 0, f"VM set in {eflags:#x}"


@matrix
def test_cs_flat_32bit_code(cfg):
    rep = report(cfg)
    cs = rep.segment("cs")
    lsl = rep.int("lsl_lar") == 1
    assert cs["sel"] & 7 == 0, "CS must be a GDT selector with RPL 0"
    assert "base" in cs, f"CS selector {cs['sel']:#x} is not in the GDT"
    assert cs["base"] == 0
    assert cs["limit"] == 0xFFFFFFFF
    assert cs["access"] & 0x80, "not present"
    assert cs["access"] & 0x60 == 0, "DPL not 0"
    assert cs["access"] & 0x18 == 0x18, "not a code segment"
    assert cs["access"] & 0x02, "not readable (the ABI says read/execute)"
    assert cs["db"] == 1, "not 32-bit"
    assert cs["flags"] & 2 == 0, "L (64-bit) bit set"
    assert not lsl or cs.get("lsl") == 0xFFFFFFFF, "lsl disagrees"
    assert cs["probe"] == 1, "live CS is not base 0 / 4 GiB"


@matrix
@pytest.mark.parametrize("seg", ["ds", "es", "ss"])
def test_data_segments_flat_32bit(cfg, seg):
    rep = report(cfg)
    d = rep.segment(seg)
    lsl = rep.int("lsl_lar") == 1
    assert "base" in d, f"{seg} selector {d['sel']:#x} is not in the GDT"
    assert d["base"] == 0
    assert d["limit"] == 0xFFFFFFFF
    assert d["access"] & 0x80, "not present"
    assert d["access"] & 0x18 == 0x10, "not a data segment"
    assert d["access"] & 0x02, "not writable"
    assert d["access"] & 0x04 == 0, "expand-down"
    assert d["db"] == 1, "not 32-bit (D/B clear)"
    assert not lsl or d.get("lsl") == 0xFFFFFFFF, "lsl disagrees"
    assert d["probe"] == 1, f"live {seg} is not base 0 / 4 GiB"


@matrix
def test_task_register_busy_32bit_tss(cfg):
    rep = report(cfg)
    tr = rep.segment("tr")
    lsl = rep.int("lsl_lar") == 1
    assert tr["sel"] & ~7 != 0, "TR not loaded (null selector)"
    assert tr["sel"] & 4 == 0, "TR selector points into the LDT"
    assert "base" in tr, f"TR selector {tr['sel']:#x} is beyond the GDT"
    assert tr["base"] == 0
    assert tr["limit"] == 0x67
    assert tr["access"] & 0x10 == 0, "not a system descriptor"
    assert tr["type"] == 0xB, "not a busy 32-bit TSS"
    assert tr["access"] & 0x80, "not present"
    assert not lsl or tr.get("lsl") == 0x67, "lsl disagrees"


@matrix
def test_a20_enabled(cfg):
    assert report(cfg).int("a20") == 1


# --- start_info -------------------------------------------------------------

@matrix
def test_start_info_header(cfg):
    rep = report(cfg)
    addr = rep.int("start_info")
    assert addr == rep.int("ebx")
    assert addr != 0
    assert addr % 8 == 0, f"start_info {addr:#x} not 8-byte aligned"
    assert addr + 56 <= FOUR_GIB
    assert in_ram(rep.memmap, addr, 56), f"start_info {addr:#x} not in RAM"
    assert rep.int("magic") == 0x336EC578
    assert rep.int("version") == 1
    assert rep.int("flags") == 0
    assert rep.int("reserved") == 0


@matrix
def test_memmap_well_formed(cfg):
    rep = report(cfg)
    mm = rep.memmap
    n = rep.int("memmap_entries")
    assert 1 <= n <= 127
    assert len(mm) == n
    assert all(e.reserved == 0 for e in mm), "memmap reserved field not 0"
    assert all(e.size > 0 for e in mm)
    assert in_ram(mm, 0x100000, rep.int("image_end") - 0x100000), \
        "the kernel's own range is not RAM in the map"
    if parse_size(cfg.mem) > 4 << 30:
        assert any(e.type == 1 and e.addr >= FOUR_GIB for e in mm), \
            "no RAM above 4 GiB in the map"


@matrix
def test_memmap_equals_qemus_rom(cfg):
    """The same VM through QEMU's installed pvh.bin gets the same map."""
    ours = report(cfg).memmap
    theirs = boot(cfg, rom="qemu").report.memmap
    assert ours == theirs


@matrix
def test_cmdline_byte_exact(cfg):
    rep = report(cfg)
    assert rep.cmdline == CMDLINE.encode()
    assert rep.int("cmdline_terminated") == 1
    assert rep.int("cmdline_paddr") + len(CMDLINE) + 1 <= FOUR_GIB


@matrix
def test_initrd_is_module_0_intact(cfg):
    rep = report(cfg)
    assert rep.int("nr_modules") == 1
    assert rep.int("modlist_paddr") != 0
    (mod,) = rep.modules
    assert mod.size == len(INITRD)
    assert mod.crc32 == zlib.crc32(INITRD), "initrd bytes differ"
    assert mod.paddr % 4096 == 0, f"initrd at {mod.paddr:#x} not page-aligned"
    assert mod.paddr + mod.size <= FOUR_GIB
    assert mod.reserved == 0
    assert mod.paddr == rep.int("fw_cfg.initrd_addr"), "not at QEMU's INITRD_ADDR"


@matrix
def test_rsdp_valid(cfg):
    rep = report(cfg)
    addr = rep.int("rsdp_paddr")
    assert addr != 0
    assert addr % 16 == 0
    assert 0xE0000 <= addr < 0x100000 or addr < 0xA0000, "RSDP not in BIOS area/EBDA"
    assert rep.int("rsdp_sig_ok") == 1
    assert rep.int("rsdp_sum_ok") == 1


@matrix
def test_handed_over_structures_placed_safely(cfg):
    """start_info, memmap, module list and command line: in RAM below
    4 GiB, clear of the kernel, the initrd, the IVT/BDA and each other."""
    rep = report(cfg)
    image = (rep.int("image_start"), rep.int("image_end") - rep.int("image_start"))
    (mod,) = rep.modules
    avoid = [("kernel image", *image), ("initrd", mod.paddr, mod.size),
             ("IVT/BDA", 0, 0x500)]
    structs = rep.handed_over()
    assert {s[0] for s in structs} >= {"start_info", "memmap", "modlist", "cmdline"}
    for name, start, length in structs:
        assert start + length <= FOUR_GIB, f"{name} above 4 GiB"
        assert in_ram(rep.memmap, start, length), f"{name} at {start:#x} not in RAM"
        for what, a_start, a_len in avoid:
            assert not overlaps(start, length, a_start, a_len), \
                f"{name} [{start:#x}, +{length:#x}) overlaps the {what}"
    for i, (n1, s1, l1) in enumerate(structs):
        for n2, s2, l2 in structs[i + 1:]:
            assert not overlaps(s1, l1, s2, l2), f"{n1} overlaps {n2}"


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
    assert rep.int("cmdline_paddr") != 0
    assert rep.cmdline == want
    assert rep.int("cmdline_terminated") == 1
    assert rep.int("magic") == 0x336EC578


@machines
def test_no_cmdline_gives_cmdline_paddr_0(machine):
    rep = boot(Cfg(machine, "512M", True, 1, GUEST32), append=None,
               initrd=False).report
    assert rep.int("cmdline_paddr") == 0
    assert "cmdline_hex" not in rep


@machines
@pytest.mark.parametrize("dma", [True, False], ids=["dma", "pio"])
def test_no_initrd_gives_no_modules(machine, dma):
    rep = boot(Cfg(machine, "512M", dma, 1, GUEST64), initrd=False).report
    assert rep.int("nr_modules") == 0
    assert rep.int("modlist_paddr") == 0
    assert rep.cmdline == CMDLINE.encode()


BIG_INITRD = random.Random(7).randbytes((16 << 20) + 333)


@machines
@pytest.mark.parametrize("dma", [True, False], ids=["dma", "pio"])
def test_16mib_initrd_intact(machine, dma):
    res = boot_guest(kernel=GUEST32, rom=ROM_UNDER_TEST, machine=machine,
                     dma=dma, initrd=BIG_INITRD, append="big initrd")
    (mod,) = res.report.modules
    assert mod.size == len(BIG_INITRD)
    assert mod.crc32 == zlib.crc32(BIG_INITRD), "initrd bytes differ"
    assert mod.paddr == res.report.int("fw_cfg.initrd_addr")


# --- the test guests themselves ----------------------------------------------

def _elf_layout(path):
    """(class, machine, [(p_type, offset, paddr, filesz, memsz)], notes)
    with notes as (owner, type, descriptor bytes), from PT_NOTE segments."""
    data = path.read_bytes()
    assert data[:4] == b"\x7fELF", f"{path} is not an ELF file"
    is64 = data[4] == 2
    machine = struct.unpack_from("<H", data, 18)[0]
    if is64:
        phoff, = struct.unpack_from("<Q", data, 32)
        phentsize, phnum = struct.unpack_from("<HH", data, 54)
        fmt, fields = "<IIQQQQQQ", (0, 2, 4, 5, 6)  # type flags off vaddr paddr filesz memsz
    else:
        phoff, = struct.unpack_from("<I", data, 28)
        phentsize, phnum = struct.unpack_from("<HH", data, 42)
        fmt, fields = "<IIIIIIII", (0, 1, 3, 4, 5)  # type off vaddr paddr filesz memsz
    phdrs = []
    for i in range(phnum):
        v = struct.unpack_from(fmt, data, phoff + i * phentsize)
        phdrs.append(tuple(v[f] for f in fields))
    notes = []
    for p_type, off, _, filesz, _ in phdrs:
        if p_type != 4:  # PT_NOTE
            continue
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
    loads = [p for p in phdrs if p[0] == 1]
    assert len(loads) == nload
    assert min(p[2] for p in loads) == 0x100000
    pvh = [n for n in notes if n[0] == "Xen" and n[1] == 18]
    assert len(pvh) == 1, f"PHYS32_ENTRY notes: {notes}"
    assert len(pvh[0][2]) == descsz
    assert int.from_bytes(pvh[0][2], "little") == 0x100000
    if path == GUEST_MULTI:
        assert any(p[3] == 0 and p[4] >= 1 << 20 for p in loads), \
            "no bss-only segment"
        assert any(0 < p[3] < p[4] for p in loads), "no segment with a bss tail"
