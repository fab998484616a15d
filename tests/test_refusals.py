# SPDX-License-Identifier: GPL-2.0-or-later
"""The ROM's own refusals (README, "Messages") that the ELF validator does
not cover, and a VM without ACPI.

Each refusal is checked as a user sees it: the one line of the ROM, once,
on the debug port and (through INT 10h) on the serial console, the guest
never entered, and SeaBIOS going on to its boot devices and, with no NIC
and no disk, saying that none is bootable.

- drop-in: a PVH entry note outside the loaded kernel, and a kernel QEMU
  loads below 1 MiB (the numbers in the messages are what QEMU put in
  fw_cfg, read from its fw_cfg_add_i32 trace);
- self-load: an initrd larger than the VM's RAM;
- several copies of the ROM (each hooks INT 19h): the refusal once;
- the screen: the line is in the VGA text page that is shown;
- a self-load kernel refused at the validator's last check: guest memory
  where it would have gone is read back (QMP) and is untouched;
- no ACPI (`-machine pc,acpi=off`): the guest boots with rsdp_paddr 0; with
  ACPI the same VM gets the RSDP SeaBIOS installed.  On q35, acpi=off
  leaves an RSDP: SeaBIOS then builds tables of its own.
"""

import re
import struct

import pytest

import abi
from elftools import PT_LOAD, program_headers, pvh_note_at
from qemu import (DROPIN_ROM, GUEST32, GUEST64, GUEST_MULTI, NO_BOOT, REPORT_BEGIN, ROM,
                  assert_refused, boot_guest, quit_once, run_qemu, run_until_no_boot, selfload_fw_cfg)


def _pt_load(data):
    """guest32.elf's only PT_LOAD program header."""
    loads = [h for h in program_headers(data) if h.type == PT_LOAD]
    assert len(loads) == 1, f"guest32.elf has {len(loads)} PT_LOADs"
    return loads[0]


def guest32_with(entry=None, load_at=None):
    """guest32.elf with its PVH entry note set to entry and/or its PT_LOAD
    moved to load_at (p_paddr and p_vaddr)."""
    data = bytearray(GUEST32.read_bytes())
    if load_at is not None:  # ELF32: p_vaddr at 8, p_paddr at 12
        struct.pack_into("<II", data, _pt_load(data).at + 8, load_at, load_at)
    if entry is not None:
        note, descsz = pvh_note_at(data)
        assert descsz == 4, "guest32.elf's PVH note is not 4 bytes"
        struct.pack_into("<I", data, note + 16, entry)
    return bytes(data)


def guest32_range():
    """(start, end) of guest32.elf's PT_LOAD in memory, end exclusive."""
    ph = _pt_load(GUEST32.read_bytes())
    return ph.paddr, ph.paddr + ph.memsz


_ADD_I32 = re.compile(r"fw_cfg_add_i32 key 0x[0-9a-f]+ '(\w+)', value 0x([0-9a-f]+)")


def qemu_kernel_items(trace):
    """{'kernel_addr': ..., 'kernel_size': ..., 'kernel_entry': ...}: what
    QEMU's -kernel put in fw_cfg, from its fw_cfg_add_i32 trace."""
    items = {k: int(v, 16) for k, v in _ADD_I32.findall(trace)}
    missing = {"kernel_addr", "kernel_size", "kernel_entry"} - set(items)
    assert not missing, f"no {missing} in QEMU's fw_cfg trace:\n{trace}"
    return items


def until_no_boot(**kwargs):
    """run_until_no_boot(), with no disk either, once build/pvh.bin (and
    the drop-in-only build/dropin/pvh.bin) is there."""
    for rom in (ROM, DROPIN_ROM):
        assert rom.is_file(), f"{rom} is missing: run `make` first"
    return run_until_no_boot(**kwargs)


# --- drop-in: what QEMU's -kernel loaded -------------------------------------

ENTRY_CASES = {
    "just-past-the-end": lambda start, end: end,
    "just-below-the-start": lambda start, end: start - 1,
}


# The ROM, and its drop-in-only build (ROM_SELFLOAD=0, with a message
# table of its own).
roms = pytest.mark.parametrize("rom", ["ours", "dropin"], ids=["rom", "dropin-only"])


@roms
@pytest.mark.parametrize("where", list(ENTRY_CASES))
def test_dropin_entry_outside_kernel(tmp_path, where, rom):
    """A PVH note whose entry point is one byte outside the kernel QEMU
    loaded: QEMU accepts the file, the ROM refuses to jump there."""
    entry = ENTRY_CASES[where](*guest32_range())
    trace = tmp_path / "fw_cfg-trace.log"
    res = until_no_boot(kernel=guest32_with(entry=entry), rom=rom,
                        extra=["-trace", "fw_cfg_add_i32", "-D", str(trace)])
    assert_refused(res, f"pvh: entry point 0x{entry:08x} is outside the kernel")
    items = qemu_kernel_items(trace.read_text(errors="replace"))
    # QEMU passed on the entry and the range the test expects.
    assert items["kernel_entry"] == entry, res.describe()
    assert (items["kernel_addr"], items["kernel_addr"] + items["kernel_size"]) \
        == guest32_range(), res.describe()


@pytest.mark.parametrize("machine", ["q35", "pc"])
def test_dropin_kernel_below_1mib(tmp_path, machine):
    """A kernel linked at 0x80000 (PT_LOAD and entry note): QEMU's -kernel
    loads it there, into the BIOS's first MiB, and the ROM refuses it with
    the range QEMU reported (KERNEL_ADDR to KERNEL_ADDR + KERNEL_SIZE - 1)."""
    trace = tmp_path / "fw_cfg-trace.log"
    res = until_no_boot(kernel=guest32_with(entry=0x80000, load_at=0x80000),
                        rom="ours", machine=machine,
                        extra=["-trace", "fw_cfg_add_i32", "-D", str(trace)])
    items = qemu_kernel_items(trace.read_text(errors="replace"))
    start, end = guest32_range()
    assert items["kernel_addr"] == 0x80000, \
        "QEMU did not load the kernel at 0x80000" + res.describe()
    assert items["kernel_size"] == end - start, res.describe()
    last = items["kernel_addr"] + items["kernel_size"] - 1
    assert_refused(res, f"pvh: kernel 0x00080000 - 0x{last:08x} is not in free RAM")


@roms
def test_dropin_initrd_over_the_kernel(tmp_path, rom):
    """QEMU places a 12 MiB -initrd below the top of a 16 MiB VM without
    minding the kernel's bss (the multi-segment guest spans 1 to 7 MiB):
    the ROM does not copy it there, and finds no other room for it."""
    initrd = tmp_path / "initrd.img"
    size = 12 << 20
    with open(initrd, "wb") as f:
        f.truncate(size)
    trace = tmp_path / "fw_cfg-trace.log"
    res = until_no_boot(kernel=GUEST_MULTI, initrd=initrd, rom=rom, mem="16M",
                        extra=["-trace", "fw_cfg_add_i32", "-D", str(trace)])
    items = qemu_kernel_items(trace.read_text(errors="replace"))
    addr = items["initrd_addr"]
    assert addr < items["kernel_addr"] + items["kernel_size"], \
        "QEMU's initrd does not overlap the kernel here" + res.describe()
    assert_refused(res, f"pvh: no room below 4 GiB for the initrd (0x{size:08x} bytes)")


# --- self-load: room for what fw_cfg holds ----------------------------------

def test_selfload_cmdline_larger_than_ram(tmp_path):
    """A 40 MiB opt/pvh/cmdline in a 32 MiB VM: no room for it (and its
    NUL)."""
    cmdline = tmp_path / "cmdline"
    size = 40 << 20
    cmdline.write_bytes(b"x" * size)
    res = until_no_boot(rom=None, option_rom=ROM, mem="32M",
                        fw_cfg=selfload_fw_cfg(GUEST64, None, cmdline))
    assert_refused(res, f"pvh: no room below 4 GiB for the command line (0x{size + 1:08x} bytes)")


def test_selfload_initrd_larger_than_ram(tmp_path):
    """A 200 MiB opt/pvh/initrd in a 128 MiB VM: no free range holds it."""
    initrd = tmp_path / "initrd.img"
    size = 200 << 20
    with open(initrd, "wb") as f:
        f.truncate(size)  # sparse: QEMU reads zeros
    res = until_no_boot(rom=None, option_rom=ROM, mem="128M",
                        fw_cfg=selfload_fw_cfg(GUEST64, initrd, "console=ttyS0"))
    assert_refused(res, f"pvh: no room below 4 GiB for the initrd (0x{size:08x} bytes)")


# --- several copies of the ROM: one attempt, one line ----------------------

def rom_copies(tmp_path, n):
    """n more copies of build/pvh.bin under other names (QEMU's genroms
    files must differ), as -option-rom arguments."""
    args = []
    for i in range(n):
        copy = tmp_path / f"pvh-copy{i}.bin"
        copy.write_bytes(ROM.read_bytes())
        args += ["-option-rom", str(copy)]
    return args


@pytest.mark.parametrize("copies", [1, 2])
def test_selfload_refusal_once_with_rom_copies(tmp_path, copies):
    """Each copy hooks INT 19h at POST and chains to the hook before it:
    the first to run refuses the kernel, and the others (hooks and boot
    entries) must not try it again and repeat the line."""
    res = until_no_boot(rom=None, option_rom=ROM, extra=rom_copies(tmp_path, copies),
                        fw_cfg=selfload_fw_cfg(b"\x7fELF" + bytes(100)))
    assert_refused(res, "pvh: kernel has a bad ELF class (0x00000000)")


def test_dropin_refusal_once_with_a_rom_copy(tmp_path):
    """The same with QEMU's -kernel (this ROM in QEMU's place) and one
    more copy added with -option-rom."""
    entry = guest32_range()[1]
    res = until_no_boot(kernel=guest32_with(entry=entry), rom="ours",
                        extra=rom_copies(tmp_path, 1))
    assert_refused(res, f"pvh: entry point 0x{entry:08x} is outside the kernel")


# --- the screen ----------------------------------------------------------------

VGA_TEXT = 0xB8000            # page 0 of the colour text modes: what is shown
VGA_TEXT_PAGE = 80 * 25 * 2   # a page of mode 3: character, attribute


@pytest.mark.parametrize("machine", ["q35", "pc"])
def test_refusal_shown_on_the_screen(tmp_path, machine):
    """The line reaches the screen a user looks at, not only the serial
    console: once SeaBIOS has said that nothing is bootable, the VGA text
    page shown (page 0, mode 3) is read back through QMP and holds it.
    (The page the ROM names in BH is not tested by this: SeaVGABIOS
    writes teletype output to the page shown whatever BH says.)"""
    dump = tmp_path / "vga.bin"

    def save(qmp):
        qmp.command("pmemsave", val=VGA_TEXT, size=VGA_TEXT_PAGE, filename=str(dump))

    res = run_qemu(rom=None, option_rom=ROM, machine=machine, nic=False, timeout=30,
                   extra=["-vga", "std"], fw_cfg=selfload_fw_cfg(b"not an ELF"),
                   interact=quit_once(NO_BOOT, save))
    why = res.describe()
    want = "pvh: kernel is not an ELF file"
    assert res.debug_pvh_lines == [want], why
    assert dump.is_file(), "the screen was not read" + why
    text = dump.read_bytes()[::2].decode("latin-1")
    rows = [text[i:i + 80].rstrip() for i in range(0, len(text), 80)]
    assert want in rows, "not on the screen:\n" + "\n".join(rows)
    # The read-back works: SeaBIOS's own line is there too.
    assert any(NO_BOOT in row for row in rows), "\n".join(rows)


# --- no ACPI -----------------------------------------------------------------

# name: (-machine, whether SeaBIOS installs an RSDP there, whether its
# log says where: it does when it builds the tables itself, not when it
# takes QEMU's from fw_cfg)
ACPI_CASES = {
    "pc-acpi-off": ("pc,acpi=off", False, False),
    "pc": ("pc", True, False),
    # q35's LPC bridge is always there: SeaBIOS builds its own tables.
    "q35-acpi-off": ("q35,acpi=off", True, True),
}
_RSDP_COPIED = re.compile(r"Copying ACPI RSDP from 0x[0-9a-f]+ to 0x([0-9a-f]+)")


@pytest.mark.parametrize("case", list(ACPI_CASES))
@pytest.mark.parametrize("mode", ["dropin", "selfload"])
def test_rsdp_only_when_the_bios_has_one(mode, case):
    """Without ACPI tables the guest boots and rsdp_paddr is 0 (and the
    guest's own search finds none); with them it is a valid RSDP (the guest
    checks signature and checksums), the one the guest's search finds
    first, and the one SeaBIOS copied where its log says so."""
    machine, has_acpi, logged = ACPI_CASES[case]
    if mode == "dropin":
        res = boot_guest(kernel=GUEST64, rom="ours", machine=machine,
                         nic=False, timeout=60)
    else:
        res = boot_guest(kernel=None, rom=None, option_rom=ROM,
                         machine=machine, nic=False, timeout=60,
                         fw_cfg=selfload_fw_cfg(GUEST64))
    rep = res.report
    assert res.pvh_lines == [], res.describe()
    abi.check_start_info(rep)
    bios_log = res.debug_log[:res.debug_log.find(REPORT_BEGIN)]
    if has_acpi:
        abi.check_rsdp(rep)
        assert rep.int("rsdp_count") == 1, res.describe()
        copied = _RSDP_COPIED.findall(bios_log)
        assert len(copied) == (1 if logged else 0), f"SeaBIOS's log: {copied}" + res.describe()
        for at in copied:
            assert rep.int("rsdp_paddr") == int(at, 16), \
                f"not the RSDP SeaBIOS copied to 0x{at}"
    else:
        assert "ACPI" not in bios_log, "SeaBIOS set up ACPI tables" + res.describe()
        assert rep.int("rsdp_count") == 0, "an RSDP the ROM missed" + res.describe()
        assert rep.int("rsdp_paddr") == 0, \
            f"rsdp_paddr {rep.int('rsdp_paddr'):#x} with no ACPI tables"


# --- a refused kernel leaves guest memory as it was ---------------------------

def test_refused_selfload_kernel_writes_no_guest_memory(tmp_path):
    """The ROM plans the whole boot before it writes guest memory: a kernel
    refused at the last check (its entry point outside its segments) has
    not been loaded.  Once SeaBIOS has said that nothing is bootable, the
    kernel's range at 1 MiB is read back through QMP: still the zeros of
    fresh RAM, not the file's bytes.  (The ROM's own window at 0x8000, read
    the same way, holds its image: the read-back works.)"""
    start, end = guest32_range()
    kernel = guest32_with(entry=end)
    dumps = {"kernel": (tmp_path / "kernel.bin", start, end - start),
             "rom": (tmp_path / "rom.bin", 0x8000, 2)}

    def save(qmp):
        for path, addr, size in dumps.values():
            qmp.command("pmemsave", val=addr, size=size, filename=str(path))

    res = run_qemu(rom=None, option_rom=ROM, nic=False, timeout=30,
                   fw_cfg=selfload_fw_cfg(kernel), interact=quit_once(NO_BOOT, save))
    why = res.describe()
    want = f"pvh: entry point 0x{end:08x} is outside the loaded segments"
    assert res.debug_pvh_lines == [want], why
    assert dumps["rom"][0].read_bytes() == b"\x55\xaa", "QMP read-back failed" + why
    loaded = dumps["kernel"][0].read_bytes()
    assert len(loaded) == end - start, why
    assert loaded == bytes(len(loaded)), (
        f"{sum(b != 0 for b in loaded)} bytes at {start:#x} written" + why)
