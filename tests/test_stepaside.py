# SPDX-License-Identifier: GPL-2.0-or-later
"""With no kernel configured, the ROM steps aside: the BIOS goes through its
boot devices and reports that none is bootable, and the ROM says nothing."""

import re
import struct
import sys

import pytest

from qemu import (BUILD, EXIT_REPORT_DONE, GUEST64, GUEST_DIR, NO_BOOT, REPO,
                  REPORT_BEGIN, ROM,
                  disk_args, make_disk, run_qemu, run_sector_then_rom,
                  run_until_no_boot)

sys.path.insert(0, str(REPO / "tools"))
import romsign  # noqa: E402
from test_memory_map import symbols  # noqa: E402
INT19STACK = GUEST_DIR / "int19stack.bin"
EXIT_BOOTED_AGAIN = 69  # tests/guests/int19stack.S
BEVSTACK = GUEST_DIR / "bevstack.bin"
BEVCODE = GUEST_DIR / "bevcode.bin"
EXIT_BEV_RETURNED = 67  # tests/guests/bevstack.S


@pytest.mark.parametrize("machine", ["q35", "pc"])
@pytest.mark.parametrize("dma", [True, False], ids=["dma", "pio"])
def test_no_kernel_bios_continues(machine, dma):
    assert ROM.is_file(), f"{ROM} is missing: run `make` first"
    # No NIC: its boot ROM would try the network first (slow); no disks.
    res = run_until_no_boot(rom=None, option_rom=ROM, machine=machine, dma=dma)
    assert res.found == NO_BOOT, (
        "SeaBIOS did not report that nothing is bootable" + res.describe())
    assert res.pvh_lines == [], "the ROM printed a message" + res.describe()
    # SeaBIOS did run our ROM (the test would be empty otherwise).
    assert "/rom@genroms/pvh.bin" in res.debug_log, res.describe()


ROM_SLOT = 2048               # SeaBIOS places option ROMs 2 KiB apart
_ROM_RUN = re.compile(r"Running option rom at ([0-9a-f]{4}):0003")


def longer_rom(extra):
    """The same ROM, extra bytes longer: the raw image the build signed
    (build/optionrom/pvh.raw) and extra zeros, signed by tools/romsign.py."""
    raw = (BUILD / "optionrom" / "pvh.raw").read_bytes()
    assert romsign.sign(raw, 1 << 16) == ROM.read_bytes(), "pvh.raw is not pvh.bin's"
    return romsign.sign(raw + bytes(extra), 1 << 16)


def int19_entry_offset():
    """Where int19_entry lies in the image (nm of build/pvh.elf)."""
    addr = symbols()
    return addr["int19_entry"] - addr["_image_start"]


def test_rom_copies_chained_keep_their_checksums(tmp_path):
    """Each copy of the ROM hooks INT 19h at POST, saves the vector it
    finds (the previous copy's) in its image and fixes the image's checksum:
    SeaBIOS checks it again before it registers the ROM's boot entry.  The
    second copy is 2 KiB longer, so that whatever the ROM's size one copy
    sits at a segment whose low byte (0x80) carries into the hook's offset
    when they are added: every copy must still be registered, none refused
    for a bad checksum."""
    names = [f"pvh{c}.bin" for c in "ABCD"]
    extra = []
    for name in names:
        (tmp_path / name).write_bytes(longer_rom(ROM_SLOT) if name == "pvhB.bin"
                                      else ROM.read_bytes())
        extra += ["-option-rom", str(tmp_path / name)]
    res = run_until_no_boot(rom=None, extra=extra)
    why = res.describe()
    assert res.found == NO_BOOT, why
    # The case the test is for happened: a saved vector whose bytes carry.
    segs = [int(s, 16) for s in _ROM_RUN.findall(res.debug_log) if s != "c000"][:4]
    off = int19_entry_offset()
    assert any((seg & 0xFF) + (off & 0xFF) > 0xFF for seg in segs[:3]), \
        f"no saved vector carries (copies at {[hex(s) for s in segs]})" + why
    assert "bad checksum" not in res.debug_log, why
    for name in names:
        assert f"Searching bootorder for: /rom@genroms/{name}" in res.debug_log, \
            f"{name}'s boot entry not registered" + why
    assert res.pvh_lines == [], why


@pytest.mark.parametrize("kernel", [False, True], ids=["no-kernel", "kernel-later"])
def test_int19_called_on_a_stack_where_the_rom_runs(tmp_path, kernel):
    """A boot program calls INT 19h with its stack at 0:9000, inside the
    RAM the ROM copies itself to (tests/guests/int19stack.S).  The ROM's
    INT 19h hook runs first; with no kernel, or with one the boot order puts
    after the disk, it steps aside, and SeaBIOS boots the disk again.  A
    hook that kept the caller's stack would overwrite it with its own copy
    and hang."""
    assert INT19STACK.is_file(), f"{INT19STACK} is missing: run `make` first"
    disk = make_disk(tmp_path / "int19stack.img", INT19STACK.read_bytes())
    res = run_qemu(rom=None, option_rom=ROM, bootindex=1 if kernel else None,
                   nic=False, fw_cfg={"opt/pvh/kernel": GUEST64} if kernel else None,
                   extra=disk_args(disk, 0), timeout=30)
    why = res.describe()
    assert res.returncode == EXIT_BOOTED_AGAIN, why
    assert "INT19STACK: booted again" in res.debug_log, why
    assert res.debug_log.count("Booting from Hard Disk...") == 2, why
    assert res.pvh_lines == [], why


def patched_sector(path, marker, linear):
    """The boot sector at path with the far address after marker (offset,
    then segment) set to the linear address below 1 MiB: segment
    (linear >> 4) & 0xf000, the rest in the offset."""
    sector = bytearray(path.read_bytes())
    at = sector.find(marker)
    assert at >= 0, f"no {marker.decode()} in {path}"
    struct.pack_into("<HH", sector, at + len(marker), linear & 0xFFFF, (linear >> 4) & 0xF000)
    return bytes(sector)


def patched_sector_bytes(sector, marker, offset, word):
    """sector with the 16-bit word offset bytes after marker set."""
    sector = bytearray(sector)
    at = sector.find(marker)
    assert at >= 0, f"no {marker.decode()} in the sector"
    struct.pack_into("<H", sector, at + len(marker) + offset, word)
    return bytes(sector)


@pytest.mark.parametrize("stack", [0x8FFE, 0x8000, 0x100FE, 0x10100],
                         ids=["at-0x8ffe", "at-0x8000", "at-0x100fe", "at-0x10100"])
@pytest.mark.parametrize("kernel", [False, True], ids=["no-kernel", "kernel"])
def test_bev_called_on_a_stack_where_the_rom_runs(tmp_path, kernel, stack):
    """A boot program far-calls the ROM's BEV with its stack in the RAM the
    ROM copies itself to (tests/guests/bevstack.S), also just above its
    start, and just above its end, where the ROM's pushes and BIOS calls
    (up to 0x100 bytes below the caller's stack pointer) reach into it.
    The BEV must return on that stack, which the ROM's copy of itself
    would overwrite: it steps aside at once, kernel or not, and the boot
    program goes on.  From a stack at 0x10100 nothing the ROM does reaches
    the window: with a kernel the BEV boots it.  stack is the stack
    pointer at the far call (linear)."""
    assert BEVSTACK.is_file(), f"{BEVSTACK} is missing: run `make` first"
    # BOOT_FIRST_BEV far-calls the BEV on the sector's stack as it is.
    sector = patched_sector(BEVSTACK, b"STACKTOP", stack)
    res = run_sector_then_rom(tmp_path, sector, timeout=30,
                              fw_cfg={"opt/pvh/kernel": GUEST64} if kernel else None)
    why = res.describe()
    assert res.pvh_lines == [], why
    if kernel and not 0x8000 <= stack < 0x10100:
        assert res.returncode == EXIT_REPORT_DONE, why
        assert REPORT_BEGIN in res.debug_log, why
        return
    assert res.returncode == EXIT_BEV_RETURNED, why
    assert "BEVSTACK: BEV returned" in res.debug_log, why
    assert REPORT_BEGIN not in res.debug_log, why


@pytest.mark.parametrize("code", [0x6000, 0x9000, 0xe000, 0xfff0, 0x10000],
                         ids=["below-window", "at-0x9000", "at-0xe000",
                              "at-the-window-end", "above-window"])
@pytest.mark.parametrize("kernel", [False, True], ids=["no-kernel", "bad-kernel"])
def test_bev_called_from_code_where_the_rom_runs(tmp_path, kernel, code):
    """A boot program far-calls the ROM's BEV from code that lies in the
    RAM the ROM copies itself to (tests/guests/bevcode.S), on a stack
    below it, and (for comparison) from code below that RAM.  The BEV
    returns to that code: it must not copy itself over it.  In the window
    it steps aside at once, kernel or not (the kernel here is refused, so
    that the BEV returns in the comparison case too, with its message)."""
    assert BEVCODE.is_file(), f"{BEVCODE} is missing: run `make` first"
    sector = patched_sector(BEVCODE, b"CODEADDR", code)
    res = run_sector_then_rom(tmp_path, sector, timeout=30,
                              fw_cfg={"opt/pvh/kernel": b"not an ELF"} if kernel else None)
    why = res.describe()
    assert res.returncode == EXIT_BEV_RETURNED, why
    assert "BEVCODE: BEV returned" in res.debug_log, why
    # The caller's return address is 4 bytes past its code: in the
    # window for code up to its last bytes, outside for code above it.
    in_window = 0x8000 <= code < 0x10000
    refused = ["pvh: kernel is not an ELF file"] if kernel and not in_window else []
    assert res.debug_pvh_lines == refused, why
    assert res.serial_pvh_lines == refused, "not shown through INT 10h" + why


EXIT_MULTIBOOT_ENTERED = 73   # entered by a multiboot loader
EXIT_ENTERED_OTHERWISE = 75   # entered without the multiboot magic in EAX


def multiboot_kernel():
    """A minimal multiboot (not PVH) kernel in the a.out-kludge format,
    loaded at 1 MiB: it exits QEMU through isa-debug-exit with status 73
    if a multiboot loader entered it (EAX holds the magic 0x2BADB002),
    else with 75."""
    load = 0x100000
    magic, flags = 0x1BADB002, 1 << 16  # the address fields are valid
    header = struct.pack("<8I", magic, flags, -(magic + flags) & 0xFFFFFFFF,
                         load, load, 0, 0, load + 32)
    code = bytes.fromhex("66baf400"      # mov dx, 0xf4
                         "3d02b0ad2b"    # cmp eax, 0x2badb002
                         "b824000000"    # mov eax, 0x24
                         "7402"          # je 1f
                         "b025"          # mov al, 0x25
                         "ef"            # 1: out dx, eax
                         "f4ebfd")       # 2: hlt; jmp 2b
    return header + code + bytes(64)


@pytest.mark.parametrize("machine", ["q35", "pc"])
def test_multiboot_kernel_not_taken_for_pvh(tmp_path, machine):
    """QEMU's multiboot loader sets the kernel's entry, address and size in
    fw_cfg like its PVH loader (and the multiboot information as the
    "initrd"): with the ROM added by -option-rom, it must see that this is
    not a PVH boot and step aside without a word, for QEMU's multiboot ROM
    to boot the kernel."""
    res = run_qemu(kernel=multiboot_kernel(), rom="qemu", option_rom=ROM,
                   machine=machine, nic=False, timeout=30)
    why = res.describe()
    assert res.returncode == EXIT_MULTIBOOT_ENTERED, why
    # SeaBIOS's boot list booted QEMU's multiboot ROM (our hook did not).
    assert "Booting from ROM..." in res.debug_log, why
    assert res.pvh_lines == [], why


EXIT_BZIMAGE_SETUP = 77  # the setup code of bzimage_kernel() ran


def bzimage_kernel():
    """A minimal Linux boot-protocol 2.08 image ("bzImage"): one setup
    sector after the boot sector, whose code, entered in real mode by
    QEMU's linuxboot ROM at the setup's second sector, exits QEMU through
    isa-debug-exit with status 77.  The protected-mode part never runs.
    Protocol 2.08 is below 2.09, so QEMU appends no setup_data to it."""
    image = bytearray(3 * 512)
    image[0x1f1] = 1                                   # setup_sects
    image[0x1fe:0x200] = b"\x55\xaa"                   # boot_flag
    code_at = 0x240
    image[0x200:0x202] = bytes([0xEB, code_at - 0x202])  # jmp over the header
    image[0x202:0x206] = b"HdrS"
    struct.pack_into("<H", image, 0x206, 0x0208)       # protocol version
    image[0x211] = 0x01                                # LOADED_HIGH
    struct.pack_into("<I", image, 0x22C, 0x37FFFFFF)   # initrd_addr_max
    code = bytes.fromhex("baf400"   # mov dx, 0xf4
                         "b026"     # mov al, 0x26: status (0x26 << 1) | 1 = 77
                         "ee"       # out dx, al
                         "f4ebfd")  # 1: hlt; jmp 1b
    image[code_at:code_at + len(code)] = code
    return bytes(image)


@pytest.mark.parametrize("machine", ["q35", "pc"])
@pytest.mark.parametrize("dma", [True, False], ids=["dma", "pio"])
def test_bzimage_kernel_left_to_qemus_rom(machine, dma):
    """QEMU's bzImage loader fills the "setup" items but no entry point:
    with the ROM added by -option-rom, it must step aside without a word,
    and QEMU's linuxboot ROM boot the image."""
    res = run_qemu(kernel=bzimage_kernel(), rom="qemu", option_rom=ROM,
                   machine=machine, dma=dma, nic=False, timeout=30)
    why = res.describe()
    assert res.returncode == EXIT_BZIMAGE_SETUP, why
    assert "Booting from ROM..." in res.debug_log, why
    assert res.pvh_lines == [], why


def test_a_file_named_like_the_kernel_is_not_the_kernel():
    """Only the exact names count: opt/pvh/kernel2 and opt/pvh/kernel.old
    (whose names begin with opt/pvh/kernel) switch nothing on, and the ROM
    steps aside without a word."""
    res = run_until_no_boot(rom=None, option_rom=ROM,
                            fw_cfg={"opt/pvh/kernel2": GUEST64,
                                    "opt/pvh/kernel.old": GUEST64})
    assert res.found == NO_BOOT, "SeaBIOS did not go on" + res.describe()
    assert res.pvh_lines == [], res.describe()
    assert REPORT_BEGIN not in res.debug_log, res.describe()


def test_files_named_like_the_initrd_and_cmdline_are_not_used():
    """Next to opt/pvh/kernel, opt/pvh/initrd.old and opt/pvh/cmdline2 are
    not the initrd and command line: the kernel gets neither."""
    res = run_qemu(rom=None, option_rom=ROM, nic=False, timeout=30,
                   fw_cfg={"opt/pvh/kernel": GUEST64,
                           "opt/pvh/initrd.old": bytes(range(256)) * 16,
                           "opt/pvh/cmdline2": "not for the kernel"})
    why = res.describe()
    assert res.returncode == EXIT_REPORT_DONE, why
    assert res.report.int("nr_modules") == 0, why
    assert res.report.int("cmdline_paddr") == 0, why

