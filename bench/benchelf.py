#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""PVH kernels for the benchmark, whose entry point is visible on the host.

Every kernel written here enters at a ten-instruction stub that, as its very
first action, writes the marker "PVHBENCH\\n" to the debug port 0x402 and
then exits QEMU through isa-debug-exit (status 33).  The host timestamps the
marker's first byte: that is the moment of kernel entry.

    benchelf.py entry OUT                 a one-page ELF32 at 1 MiB
    benchelf.py bss OUT --data N --bss M  ELF32 at 16 MiB: N MiB of file data,
                                          then M MiB of bss (memsz > filesz)
    benchelf.py patch VMLINUX OUT         a copy of a PVH vmlinux whose code
                                          at the PVH entry is replaced by the
                                          stub: same file, same segments, same
                                          loading work, observable entry

The ELF layout is written from the ELF and PVH specifications (a PT_LOAD
and a PT_NOTE with owner "Xen", type 18 = XEN_ELFNOTE_PHYS32_ENTRY).
"""

import argparse
import os
import struct
import sys

MARKER = b"PVHBENCH\n"
DEBUG_PORT = 0x402
EXIT_PORT = 0xF4
EXIT_VALUE = 0x10           # QEMU exits with (0x10 << 1) | 1 = 33
XEN_ELFNOTE_PHYS32_ENTRY = 18
MIB = 1 << 20


def stub(load_addr):
    """Machine code (32-bit protected mode) placed at load_addr, followed by
    the marker; returns the bytes."""
    code_len = 32
    msg = load_addr + code_len
    code = b"".join([
        b"\xba" + struct.pack("<I", DEBUG_PORT),   # mov edx, 0x402
        b"\xbe" + struct.pack("<I", msg),          # mov esi, msg
        b"\xb9" + struct.pack("<I", len(MARKER)),  # mov ecx, len
        b"\xfc",                                   # cld
        b"\xf3\x6e",                               # rep outsb
        b"\xba" + struct.pack("<I", EXIT_PORT),    # mov edx, 0xf4
        b"\xb8" + struct.pack("<I", EXIT_VALUE),   # mov eax, 0x10
        b"\xef",                                   # out dx, eax
        b"\xf4",                                   # 1: hlt
        b"\xeb\xfd",                               # jmp 1b
    ])
    assert len(code) == code_len, len(code)
    return code + MARKER


def xen_note(entry):
    """One ELF note: owner "Xen", PHYS32_ENTRY, 4-byte descriptor."""
    name = b"Xen\0"
    desc = struct.pack("<I", entry)
    return struct.pack("<III", len(name), len(desc), XEN_ELFNOTE_PHYS32_ENTRY) + name + desc


def elf32(load_addr, body, memsz, entry):
    """ELF32 EM_386 executable: PT_LOAD of body at load_addr (memsz bytes in
    memory) and a PT_NOTE with the PVH entry."""
    ehsize, phentsize, phnum = 52, 32, 2
    note = xen_note(entry)
    note_off = ehsize + phnum * phentsize
    body_off = (note_off + len(note) + 0xFFF) & ~0xFFF
    ident = b"\x7fELF" + bytes([1, 1, 1, 0]) + bytes(8)
    hdr = ident + struct.pack("<HHIIIIIHHHHHH", 2, 3, 1, entry, ehsize, 0, 0,
                              ehsize, phentsize, phnum, 40, 0, 0)
    ph_load = struct.pack("<IIIIIIII", 1, body_off, load_addr, load_addr,
                          len(body), memsz, 5 | 2, 0x1000)
    ph_note = struct.pack("<IIIIIIII", 4, note_off, 0, 0, len(note), len(note), 4, 4)
    head = hdr + ph_load + ph_note + note
    return head + bytes(body_off - len(head)) + body


def write_entry(out):
    load = 0x100000
    body = stub(load)
    with open(out, "wb") as f:
        f.write(elf32(load, body, len(body), load))


def write_bss(out, data_mib, bss_mib):
    load = 0x1000000
    body = stub(load)
    # File data: a repeating non-zero pattern (what is loaded must be copied,
    # it cannot be mistaken for zero fill).
    data = data_mib * MIB
    pattern = bytes(range(1, 256)) * 4112  # about 1 MiB
    filler = (pattern * (data // len(pattern) + 1))[:max(0, data - len(body))]
    filesz = len(body) + len(filler)
    with open(out, "wb") as f:
        f.write(elf32(load, body + filler, filesz + bss_mib * MIB, load))


def find_pvh_entry(data):
    """(entry, [(p_type, offset, paddr, filesz, memsz)]) of an ELF32/64."""
    if data[:4] != b"\x7fELF":
        raise ValueError("not an ELF file")
    is64 = data[4] == 2
    if is64:
        phoff, = struct.unpack_from("<Q", data, 32)
        phentsize, phnum = struct.unpack_from("<HH", data, 54)
    else:
        phoff, = struct.unpack_from("<I", data, 28)
        phentsize, phnum = struct.unpack_from("<HH", data, 42)
    phdrs = []
    for i in range(phnum):
        o = phoff + i * phentsize
        if is64:
            t, _fl, off, _va, pa, fsz, msz, _al = struct.unpack_from("<IIQQQQQQ", data, o)
        else:
            t, off, _va, pa, fsz, msz, _fl, _al = struct.unpack_from("<IIIIIIII", data, o)
        phdrs.append((t, off, pa, fsz, msz))
    for t, off, _pa, fsz, _msz in phdrs:
        if t != 4:
            continue
        pos, end = off, off + fsz
        while pos + 12 <= end:
            namesz, descsz, ntype = struct.unpack_from("<III", data, pos)
            name = data[pos + 12:pos + 12 + namesz]
            desc_at = pos + 12 + ((namesz + 3) & ~3)
            if name.rstrip(b"\0") == b"Xen" and ntype == XEN_ELFNOTE_PHYS32_ENTRY:
                return struct.unpack_from("<I", data, desc_at)[0], phdrs
            pos = desc_at + ((descsz + 3) & ~3)
    raise ValueError("no XEN_ELFNOTE_PHYS32_ENTRY note")


def write_patch(vmlinux, out):
    data = bytearray(open(vmlinux, "rb").read())
    entry, phdrs = find_pvh_entry(data)
    code = stub(entry)
    for t, off, pa, fsz, _msz in phdrs:
        if t == 1 and pa <= entry and entry + len(code) <= pa + fsz:
            at = off + (entry - pa)
            data[at:at + len(code)] = code
            break
    else:
        raise ValueError(f"PVH entry {entry:#x} is not in a loaded segment")
    tmp = out + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, out)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("entry")
    p.add_argument("out")
    p = sub.add_parser("bss")
    p.add_argument("out")
    p.add_argument("--data", type=int, default=1, help="MiB of file data")
    p.add_argument("--bss", type=int, default=256, help="MiB of bss")
    p = sub.add_parser("patch")
    p.add_argument("vmlinux")
    p.add_argument("out")
    a = ap.parse_args(argv)
    if a.cmd == "entry":
        write_entry(a.out)
    elif a.cmd == "bss":
        write_bss(a.out, a.data, a.bss)
    else:
        write_patch(a.vmlinux, a.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
