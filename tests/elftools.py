# SPDX-License-Identifier: GPL-2.0-or-later
"""Small ELF helpers shared by the QEMU tests: the program headers and the
PVH note of a (little-endian) test kernel, to check or patch them, and the
code of a kernel that only exits QEMU.  Read here in Python, independently
of the C validator under test."""

import struct
from collections import namedtuple

PT_LOAD = 1
PT_NOTE = 4
XEN_ELFNOTE_PHYS32_ENTRY = 18

# at: the file offset of the program header itself (for patching it)
Phdr = namedtuple("Phdr", "at type offset paddr filesz memsz")

# 32-bit code that exits QEMU through isa-debug-exit (port 0xf4) with
# status 33, EXIT_REPORT_DONE: a kernel that shows it was entered.
EXIT_33_CODE = bytes.fromhex("66baf400"      # mov dx, 0xf4
                             "b810000000"    # mov eax, 0x10
                             "ef"            # out dx, eax
                             "f4ebfd")       # 1: hlt; jmp 1b


def program_headers(data):
    """The program headers of an ELF32 or ELF64 file, in table order."""
    assert data[:4] == b"\x7fELF", "not an ELF file"
    if data[4] == 2:
        phoff, = struct.unpack_from("<Q", data, 32)
        entsize, phnum = struct.unpack_from("<HH", data, 54)
        fmt, fields = "<IIQQQQQQ", (0, 2, 4, 5, 6)  # type flags off vaddr paddr filesz memsz
    else:
        phoff, = struct.unpack_from("<I", data, 28)
        entsize, phnum = struct.unpack_from("<HH", data, 42)
        fmt, fields = "<IIIIIIII", (0, 1, 3, 4, 5)  # type off vaddr paddr filesz memsz
    out = []
    for i in range(phnum):
        at = phoff + i * entsize
        v = struct.unpack_from(fmt, data, at)
        out.append(Phdr(at, *(v[f] for f in fields)))
    return out


def pvh_note_at(data):
    """(file offset of the PHYS32_ENTRY note's header, its descriptor
    size): the first "Xen" note of that type with a 4- or 8-byte
    descriptor (which starts 16 bytes after the header)."""
    for desc in (4, 8):
        at = data.find(struct.pack("<III", 4, desc, XEN_ELFNOTE_PHYS32_ENTRY) + b"Xen\0")
        if at >= 0:
            return at, desc
    raise AssertionError("no PHYS32_ENTRY note")
