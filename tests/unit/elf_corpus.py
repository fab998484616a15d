#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""A corpus of good and bad PVH kernel files for the ELF validation code.

Each case is a file plus what pvh_elf_check() must say about it under a
given memory policy:
  - bad files: the exact message the ROM prints ("pvh: ..."),
  - good files: class, machine, entry point, the segments in load order
    (sorted by file offset) and the number of notes walked.

    elf_corpus.py OUTDIR               writes OUTDIR/<case> and OUTDIR/manifest
    elf_corpus.py --seeds DIR          writes the small cases (fuzzer seeds)

The manifest has one line per case, fields separated by tabs:
    name  policy  reads  expected
policy: "ram=SIZE" and optionally " avoid=START-END" (hex, END exclusive: a
range the ROM keeps for itself, taken out of the free list); reads: the
exact number of reader calls (one for the start of the file, one for the
whole program header table, two per note: its header, then the rest of its
first 32 bytes), or "-"; expected: "pvh: <message>" or
"ok class=C machine=M entry=0xE segs=OFF:PADDR:FILESZ:MEMSZ,... notes=N"
(hex numbers: 0x and eight digits, offsets in minimal hex).
"""
import os
import random
import struct
import sys

EM_386, EM_X86_64, EM_ARM, EM_AARCH64 = 3, 62, 40, 183
ET_REL, ET_EXEC, ET_DYN = 1, 2, 3
PT_NULL, PT_LOAD, PT_DYNAMIC, PT_NOTE, PT_PHDR = 0, 1, 2, 4, 6
PT_GNU_STACK = 0x6474E551
XEN_ELFNOTE_GUEST_OS, XEN_ELFNOTE_PHYS32_ENTRY = 6, 18
XEN_ELFNOTE_PHYS32_RELOC = 19

MIB = 1 << 20
KERNEL_BASE = 16 * MIB  # where the test kernels load


def pad4(b):
    return b + bytes(-len(b) % 4)


def note(owner, ntype, desc, namesz=None, descsz=None, padded=True):
    """An ELF note; owner is given with its NUL (or without, on purpose)."""
    head = struct.pack("<III", len(owner) if namesz is None else namesz,
                       len(desc) if descsz is None else descsz, ntype)
    if not padded:
        return head + owner + desc
    return head + pad4(owner) + pad4(desc)


def pvh_note(entry, size=8):
    desc = struct.pack("<Q", entry)
    desc = desc[:size] if size <= 8 else desc + bytes(size - 8)
    return note(b"Xen\0", XEN_ELFNOTE_PHYS32_ENTRY, desc)


def build_id_note():
    return note(b"GNU\0", 3, bytes(range(20)))


def linux_note():
    # Owner of 6 bytes: its name needs 2 bytes of padding.
    return note(b"Linux\0", 0x100, struct.pack("<I", 0x60100))


def guest_os_note():
    return note(b"Xen\0", XEN_ELFNOTE_GUEST_OS, b"linux\0")  # desc padded 6 -> 8


class Ph:
    """A program header; vaddr defaults to paddr."""

    def __init__(self, ptype, offset, paddr, filesz, memsz=None, align=0x1000,
                 vaddr=None, flags=5):
        self.type, self.offset, self.paddr = ptype, offset, paddr
        self.filesz = filesz
        self.memsz = filesz if memsz is None else memsz
        self.align, self.flags = align, flags
        self.vaddr = paddr if vaddr is None else vaddr


def load(offset, paddr, filesz, memsz=None, **kw):
    return Ph(PT_LOAD, offset, paddr, filesz, memsz, **kw)


def note_ph(offset, data_or_size, **kw):
    size = data_or_size if isinstance(data_or_size, int) else len(data_or_size)
    kw.setdefault("align", 4)
    return Ph(PT_NOTE, offset, 0, size, 0, flags=4, **kw)


def pattern(n, seed):
    """Recognisable, deterministic segment contents."""
    return bytes((seed * 37 + i * 7) & 0xFF for i in range(n))


def build(cls=64, phdrs=(), blobs=(), machine=None, etype=ET_EXEC, data=1,
          ident_version=1, version=1, phoff=None, phentsize=None, phnum=None,
          size=None, entry=0, write_table=True):
    """An ELF file: header at 0, program headers at phoff (unless
    write_table is false: then e_phoff points nowhere), blobs at their
    offsets; the file is as long as the furthest of them (or size)."""
    is64 = cls == 64
    ehsize, phsize = (64, 56) if is64 else (52, 32)
    machine = (EM_X86_64 if is64 else EM_386) if machine is None else machine
    phoff = ehsize if phoff is None else phoff
    phentsize = phsize if phentsize is None else phentsize
    phnum = len(phdrs) if phnum is None else phnum
    ident = b"\x7fELF" + bytes([2 if is64 else 1, data, ident_version, 0]) + bytes(8)
    if is64:
        hdr = ident + struct.pack("<HHIQQQIHHHHHH", etype, machine, version, entry,
                                  phoff, 0, 0, ehsize, phentsize, phnum, 64, 0, 0)
    else:
        hdr = ident + struct.pack("<HHIIIIIHHHHHH", etype, machine, version, entry,
                                  phoff, 0, 0, ehsize, phentsize, phnum, 40, 0, 0)
    table = b""
    for p in phdrs:
        if is64:
            table += struct.pack("<IIQQQQQQ", p.type, p.flags, p.offset, p.vaddr,
                                 p.paddr, p.filesz, p.memsz, p.align)
        else:
            table += struct.pack("<IIIIIIII", p.type, p.offset, p.vaddr, p.paddr,
                                 p.filesz, p.memsz, p.flags, p.align)
    pieces = [(0, hdr)] + ([(phoff, table)] if table and write_table else []) + list(blobs)
    spans = sorted((off, off + len(b)) for off, b in pieces if b)
    for (_, end1), (start2, _) in zip(spans, spans[1:]):
        assert end1 <= start2, "overlapping pieces in a generated file"
    end = max(off + len(b) for off, b in pieces)
    out = bytearray(end if size is None else max(end, size))
    for off, b in pieces:
        out[off:off + len(b)] = b
    return bytes(out if size is None else out[:size])


# The standard small kernel: code, data with bss, and a PT_NOTE, laid out
# compactly (the validator does not care about page alignment) so that the
# files make good fuzzer seeds.
CODE_OFF, CODE_LEN = 0x200, 0x100
DATA_OFF, DATA_LEN = 0x300, 0x80
NOTE_OFF = 0x140
CODE_PADDR = KERNEL_BASE
DATA_PADDR = KERNEL_BASE + 0x200000
ENTRY = CODE_PADDR + 0x10


def std_parts(cls=64, entry=ENTRY, notes=None, desc=8, note_align=4):
    notes = pvh_note(entry, desc) if notes is None else notes
    phdrs = [load(CODE_OFF, CODE_PADDR, CODE_LEN, flags=5),
             load(DATA_OFF, DATA_PADDR, DATA_LEN, 0x2000, flags=6),
             note_ph(NOTE_OFF, notes, align=note_align)]
    blobs = [(CODE_OFF, pattern(CODE_LEN, 1)), (DATA_OFF, pattern(DATA_LEN, 2)),
             (NOTE_OFF, notes)]
    return phdrs, blobs


def std(cls=64, entry=ENTRY, notes=None, desc=8, note_align=4, **kw):
    phdrs, blobs = std_parts(cls, entry, notes, desc, note_align)
    return build(cls, phdrs, blobs, **kw)


def with_phdrs(phdrs, notes=None, cls=64, extra_blobs=(), **kw):
    """A kernel with the given PT_LOADs (filled with pattern data) and the
    standard PVH note appended as a PT_NOTE at NOTE_OFF."""
    notes = pvh_note(ENTRY) if notes is None else notes
    blobs = [(NOTE_OFF, notes)] + list(extra_blobs)
    filled = set()
    for i, p in enumerate(phdrs):
        if p.type == PT_LOAD and p.filesz and p.offset + p.filesz <= 0x8000 \
                and p.offset not in filled:
            blobs.append((p.offset, pattern(p.filesz, i + 3)))
            filled.add(p.offset)
    return build(cls, list(phdrs) + [note_ph(NOTE_OFF, notes)], blobs, **kw)


def code_kernel(code, cls=64, notes=None, text_memsz=0x1000, extra_phdrs=()):
    """A kernel that runs code: one text segment at KERNEL_BASE (file
    offset 0x1000, 4 KiB of file, text_memsz of memory) entered at its
    start, then extra_phdrs, then a PT_NOTE at file offset 0x1800 holding
    notes (by default the PVH note for that entry, 8 bytes)."""
    notes = pvh_note(KERNEL_BASE) if notes is None else notes
    phdrs = [load(0x1000, KERNEL_BASE, 0x1000, text_memsz), *extra_phdrs,
             note_ph(0x1800, notes)]
    return build(cls, phdrs, [(0x1000, code), (0x1800, notes)], size=0x2000,
                 entry=KERNEL_BASE)


class Case:
    def __init__(self, name, data, expect, ram="512M", avoid=None, reads=None, seed=True):
        self.name, self.data, self.expect = name, data, expect
        self.ram, self.avoid, self.reads, self.seed = ram, avoid, reads, seed

    def policy(self):
        p = "ram=" + self.ram
        if self.avoid:
            p += " avoid=0x%x-0x%x" % self.avoid
        return p


def ok(cls, entry, segs, notes, machine=None):
    """segs: (offset, paddr, filesz, memsz) in load order."""
    machine = (EM_X86_64 if cls == 64 else EM_386) if machine is None else machine
    s = ",".join("0x%x:0x%08x:0x%x:0x%x" % seg for seg in segs)
    return "ok class=%d machine=%d entry=0x%08x segs=%s notes=%d" % (
        cls, machine, entry, s, notes)


STD_SEGS = [(CODE_OFF, CODE_PADDR, CODE_LEN, CODE_LEN), (DATA_OFF, DATA_PADDR, DATA_LEN, 0x2000)]


def seg_range(paddr, memsz):
    return "0x%08x - 0x%08x" % (paddr, paddr + memsz - 1)


def good_cases():
    c = []
    # The start of the file, which holds the program header table too,
    # then two reads for the note: three reads.
    c.append(Case("good-elf64", std(64), ok(64, ENTRY, STD_SEGS, 1), reads=3))
    c.append(Case("good-elf32-desc4", std(32, desc=4), ok(32, ENTRY, STD_SEGS, 1), reads=3))
    c.append(Case("good-elf64-desc4", std(64, desc=4), ok(64, ENTRY, STD_SEGS, 1)))
    c.append(Case("good-elf32-desc8", std(32, desc=8), ok(32, ENTRY, STD_SEGS, 1)))
    c.append(Case("good-elf64-em386", std(64, machine=EM_386),
                  ok(64, ENTRY, STD_SEGS, 1, machine=EM_386)))
    # Header fields the ABI leaves free: EI_OSABI (FreeBSD's kernels, which
    # boot through PVH, say 9), EI_ABIVERSION, the e_ident padding, e_flags.
    for cls, flags_off in ((32, 0x24), (64, 0x30)):
        data = bytearray(std(cls))
        data[7:16] = b"\x09\x01pvhpad!"
        struct.pack_into("<I", data, flags_off, 0x12345678)
        c.append(Case("good-elf%d-osabi-flags" % cls, bytes(data), ok(cls, ENTRY, STD_SEGS, 1)))
    # The high half of an 8-byte descriptor is not part of the entry.
    n = note(b"Xen\0", XEN_ELFNOTE_PHYS32_ENTRY, struct.pack("<II", ENTRY, 0xFFFFFFFF))
    c.append(Case("good-desc8-high-bits", std(64, notes=n), ok(64, ENTRY, STD_SEGS, 1)))

    # Segments whose file order differs from their table and address order.
    segs = [load(0x600, KERNEL_BASE + 0x20000, 0x40),
            load(0x200, KERNEL_BASE + 0x10000, 0x80, 0x1000),
            load(0x400, KERNEL_BASE, 0x100)]
    n = pvh_note(KERNEL_BASE + 4)
    data = with_phdrs(segs, n)
    c.append(Case("good-out-of-order", data, ok(64, KERNEL_BASE + 4, [
        (0x200, KERNEL_BASE + 0x10000, 0x80, 0x1000),
        (0x400, KERNEL_BASE, 0x100, 0x100),
        (0x600, KERNEL_BASE + 0x20000, 0x40, 0x40)], 1)))

    # bss tails and a segment that is all bss.
    segs = [load(0x200, KERNEL_BASE, 0x100, 0x3000),
            load(0, KERNEL_BASE + 0x100000, 0, 0x10000)]
    c.append(Case("good-bss", with_phdrs(segs, pvh_note(KERNEL_BASE)), ok(64, KERNEL_BASE, [
        (0, KERNEL_BASE + 0x100000, 0, 0x10000), (0x200, KERNEL_BASE, 0x100, 0x3000)], 1)))

    # Other notes first (odd name and descriptor lengths, padded to 4).
    notes = build_id_note() + linux_note() + guest_os_note() + pvh_note(ENTRY)
    c.append(Case("good-notes-before", std(64, notes=notes), ok(64, ENTRY, STD_SEGS, 4)))

    # p_align 8 does not change the 4-byte padding: here the PVH note
    # starts at a multiple of 4 that is not a multiple of 8.
    notes = note(b"Xen\0", 7, b"2.6\0") + note(b"Xen\0", 5, b"xen-3.0\0") \
        + guest_os_note() + pvh_note(ENTRY)
    assert (notes.index(pvh_note(ENTRY)) % 8) == 4
    c.append(Case("good-note-align8", std(64, notes=notes, note_align=8),
                  ok(64, ENTRY, STD_SEGS, 4)))

    # Two PT_NOTE segments, the PVH note in the second; PHYS32_RELOC ignored.
    n1 = build_id_note() + note(b"Xen\0", XEN_ELFNOTE_PHYS32_RELOC, struct.pack("<III", 0x200000, 0x1000000, 0xffffffff))
    n2 = pvh_note(ENTRY)
    phdrs, blobs = std_parts(64, notes=n2)
    phdrs[2].offset = 0x1A0
    blobs[2] = (0x1A0, n2)
    phdrs.insert(0, note_ph(0x140, n1))
    blobs.append((0x140, n1))
    c.append(Case("good-two-note-segments", build(64, phdrs, blobs),
                  ok(64, ENTRY, STD_SEGS, 3), reads=7))

    # An empty PT_NOTE is ignored wherever it points (as an empty PT_LOAD's
    # file range is), even past the end of the file.
    phdrs, blobs = std_parts(64)
    phdrs.insert(2, note_ph(0xFFFFFF00, 0))
    c.append(Case("good-empty-note-past-eof", build(64, phdrs, blobs),
                  ok(64, ENTRY, STD_SEGS, 1)))

    # Two PVH notes: the first one wins.
    notes = pvh_note(ENTRY) + pvh_note(CODE_PADDR + 0x20, 4)
    c.append(Case("good-two-pvh-notes", std(64, notes=notes), ok(64, ENTRY, STD_SEGS, 2)))

    # A PT_LOAD with memsz 0 is ignored wherever it points; so are other
    # program header types.
    phdrs, blobs = std_parts(64)
    phdrs = [Ph(PT_PHDR, 0x40, 0x40, 56 * 6), load(0xFFFFFFF0, 0, 0, 0),
             Ph(PT_GNU_STACK, 0, 0, 0, 0, align=16), Ph(PT_NULL, 0, 0, 0)] + phdrs[:2] + [phdrs[2]]
    c.append(Case("good-ignored-phdrs", build(64, phdrs, blobs, phoff=0x400),
                  ok(64, ENTRY, STD_SEGS, 1)))

    # A big note segment with a 1000-byte note: only the first 32 bytes of
    # each note are read, in two reads per note (26 notes), after the
    # file's start (with the table).
    notes = b"".join(note(b"Xen\0", 100 + i, bytes(range(i))) for i in range(24))
    notes += note(b"GNU\0", 1, bytes(1000)) + pvh_note(ENTRY)
    phdrs, blobs = std_parts(64, notes=notes)
    phdrs[2].offset = 0x1000
    blobs[2] = (0x1000, notes)
    c.append(Case("good-big-note-segment", build(64, phdrs, blobs),
                  ok(64, ENTRY, STD_SEGS, 26), reads=53))

    # 20 program headers, the PT_NOTE in the middle, the table past the
    # file's start (0x400): still the file's start, the table in one read
    # and the note's two reads.
    phdrs, blobs = std_parts(64)
    many = [Ph(PT_NULL, 0, 0, 0)] * 8 + [phdrs[2]] + [Ph(PT_NULL, 0, 0, 0)] * 9 + phdrs[:2]
    c.append(Case("good-many-phdrs", build(64, many, blobs, phoff=0x400),
                  ok(64, ENTRY, STD_SEGS, 1), reads=4))

    # Exactly PVH_MAX_SEGMENTS loadable segments, adjacent in memory.
    segs = [load(0x400 + 0x10 * i, KERNEL_BASE + 0x10 * i, 0x10) for i in range(16)]
    c.append(Case("good-16-segments", with_phdrs(segs, pvh_note(KERNEL_BASE), phoff=0x1000),
                  ok(64, KERNEL_BASE, [(0x400 + 0x10 * i, KERNEL_BASE + 0x10 * i, 0x10, 0x10)
                                       for i in range(16)], 1)))

    # Exactly PVH_MAX_PHNUM program headers, the limit.
    phdrs, blobs = std_parts(64)
    full = [Ph(PT_NULL, 0, 0, 0)] * 61 + phdrs
    c.append(Case("good-64-phdrs", build(64, full, blobs, phoff=0x400),
                  ok(64, ENTRY, STD_SEGS, 1), reads=4))

    # The table as the file's last bytes, all inside the first read: not
    # read again (the start, then the note's two reads).
    n = pvh_note(KERNEL_BASE)
    phdrs = [load(0x60, KERNEL_BASE, 0x40), note_ph(0x40, n)]
    data = build(64, phdrs, [(0x40, n), (0x60, pattern(0x40, 9))], phoff=0xA0)
    assert len(data) == 0xA0 + 2 * 56
    c.append(Case("good-table-at-end", data,
                  ok(64, KERNEL_BASE, [(0x60, KERNEL_BASE, 0x40, 0x40)], 1), reads=3))

    # Segments that touch in memory, the lower one listed second.
    segs = [load(0x200, KERNEL_BASE + 0x1000, 0x100, 0x1000), load(0x300, KERNEL_BASE, 0x100, 0x1000)]
    c.append(Case("good-touching-descending", with_phdrs(segs, pvh_note(KERNEL_BASE + 0x10)),
                  ok(64, KERNEL_BASE + 0x10, [(0x200, KERNEL_BASE + 0x1000, 0x100, 0x1000),
                                              (0x300, KERNEL_BASE, 0x100, 0x1000)], 1)))

    # Two segments from the same file bytes keep their table order.
    segs = [load(0x200, KERNEL_BASE + 0x10000, 0x100), load(0x200, KERNEL_BASE, 0x100)]
    c.append(Case("good-shared-offset", with_phdrs(segs, pvh_note(KERNEL_BASE + 0x10)),
                  ok(64, KERNEL_BASE + 0x10, [(0x200, KERNEL_BASE + 0x10000, 0x100, 0x100),
                                              (0x200, KERNEL_BASE, 0x100, 0x100)], 1)))

    # The entry on the last file-backed byte of a segment.
    last = DATA_PADDR + DATA_LEN - 1
    c.append(Case("good-entry-last-byte", std(64, entry=last), ok(64, last, STD_SEGS, 1)))

    # High in RAM below 4 GiB on a 6 GiB guest (low RAM ends at 2 GiB).
    top = 0x80000000 - 0x20000 - 0x1000
    segs = [load(0x200, top, 0x100, 0x1000)]
    c.append(Case("good-ram-6g-top", with_phdrs(segs, pvh_note(top)),
                  ok(64, top, [(0x200, top, 0x100, 0x1000)], 1), ram="6G"))

    # Clear of a range the ROM keeps for itself, right next to it.
    c.append(Case("good-next-to-avoid", std(64), ok(64, ENTRY, STD_SEGS, 1),
                  avoid=(CODE_PADDR + CODE_LEN, DATA_PADDR)))
    return c


def bad(name, data, message, **kw):
    return Case(name, data, "pvh: " + message, **kw)


def bad_cases():
    c = []
    good = std(64)
    good32 = std(32)

    # Not ELF at all.
    c.append(bad("empty", b"", "kernel file is empty", reads=0))
    rnd = random.Random(3)
    data = bytes(rnd.randrange(256) for _ in range(4096))
    assert data[:4] != b"\x7fELF"
    c.append(bad("random-bytes", data, "kernel is not an ELF file"))
    c.append(bad("shell-script", b"#!/bin/sh\necho hello\n", "kernel is not an ELF file"))
    bz = bytearray(0x600)
    bz[0:2] = b"MZ"
    bz[0x1FE:0x200] = b"\x55\xaa"
    bz[0x202:0x206] = b"HdrS"
    bz[0x206:0x208] = struct.pack("<H", 0x20F)
    c.append(bad("bzimage", bytes(bz), "kernel is a bzImage, not an ELF file",
                 reads=1))
    # The signature's last byte is the file's last byte; one byte short.
    c.append(bad("bzimage-ends-at-signature", bytes(bz[:0x206]),
                 "kernel is a bzImage, not an ELF file"))
    c.append(bad("bzimage-cut-in-signature", bytes(bz[:0x205]), "kernel is not an ELF file"))
    c.append(bad("mz-only", b"MZ" + bytes(0x300), "kernel is not an ELF file"))
    c.append(bad("one-byte", b"\x7f", "kernel file is truncated"))
    c.append(bad("magic-only", b"\x7fELF", "kernel file is truncated"))
    c.append(bad("wrong-magic", b"\x7fELG" + good[4:], "kernel is not an ELF file"))

    # Truncated inside the file header.
    c.append(bad("truncated-ident", good[:10], "kernel file is truncated"))
    c.append(bad("truncated-header64", good[:63], "kernel file is truncated"))
    c.append(bad("truncated-header32", good32[:51], "kernel file is truncated"))
    # The whole header and nothing else: e_phoff at the end of the file,
    # with no program headers, is inside it.
    for cls, size in ((64, 64), (32, 52)):
        data = build(cls, [], [])
        assert len(data) == size
        c.append(bad("header-only-elf%d" % cls, data, "kernel has no loadable segment"))

    # e_ident.
    c.append(bad("class-none", std(64)[:4] + b"\0" + good[5:], "kernel has a bad ELF class (0x00000000)"))
    c.append(bad("class-3", good[:4] + b"\3" + good[5:], "kernel has a bad ELF class (0x00000003)"))
    c.append(bad("big-endian", std(64, data=2), "kernel is not a little-endian ELF file"))
    c.append(bad("data-none", std(64, data=0), "kernel is not a little-endian ELF file"))
    c.append(bad("ident-version-0", std(64, ident_version=0), "kernel has a bad ELF version (0x00000000)"))
    c.append(bad("e-version-2", std(64, version=2), "kernel has a bad ELF version (0x00000002)"))

    # The rest of the header.
    c.append(bad("machine-arm", std(32, machine=EM_ARM), "kernel is not an x86 ELF file (machine 0x00000028)"))
    # Only the low byte is x86's: e_machine is 16 bits wide.
    for m in (0x103, 0x13E):
        c.append(bad("machine-0x%x" % m, std(64 if m & 0xFF == EM_X86_64 else 32, machine=m),
                     "kernel is not an x86 ELF file (machine 0x%08x)" % m))
    c.append(bad("machine-aarch64", std(64, machine=EM_AARCH64),
                 "kernel is not an x86 ELF file (machine 0x000000b7)"))
    c.append(bad("et-rel", std(64, etype=ET_REL), "kernel is not an ELF executable (type 0x00000001)"))
    c.append(bad("et-dyn", std(64, etype=ET_DYN), "kernel is not an ELF executable (type 0x00000003)"))
    # e_type is 16 bits wide too: an OS-specific type whose low byte is ET_EXEC's.
    c.append(bad("et-0xfe02", std(64, etype=0xFE02),
                 "kernel is not an ELF executable (type 0x0000fe02)"))
    c.append(bad("phentsize-32-in-elf64", std(64, phentsize=32),
                 "kernel has a bad program header size (0x00000020)"))
    c.append(bad("phentsize-0-in-elf32", std(32, phentsize=0),
                 "kernel has a bad program header size (0x00000000)"))
    c.append(bad("phnum-0", std(64, phnum=0), "kernel has no loadable segment"))
    c.append(bad("phnum-65", std(64, phnum=65), "kernel has too many program headers (0x00000041)"))
    c.append(bad("phnum-xnum", std(64, phnum=0xFFFF), "kernel has too many program headers (0x0000ffff)"))
    c.append(bad("phoff-past-end", std(64, phoff=0x10000, write_table=False),
                 "program headers lie outside the file"))
    c.append(bad("phoff-huge", std(64, phoff=1 << 63, write_table=False),
                 "program headers lie outside the file"))
    c.append(bad("phoff-wraps", std(64, phoff=(1 << 64) - 8, write_table=False),
                 "program headers lie outside the file"))
    c.append(bad("phdrs-cut", good[:0x40 + 56 + 20],
                 "program headers lie outside the file"))
    c.append(bad("phnum-past-end", std(64, phnum=60),
                 "program headers lie outside the file"))

    # PT_LOAD segments.
    def one(p, cls=64, **kw):
        return with_phdrs([p], cls=cls, **kw)

    c.append(bad("filesz-gt-memsz", one(load(0x200, KERNEL_BASE, 0x100, 0x80)),
                 "program header 0x00000000: file size exceeds memory size"))
    c.append(bad("filesz-gt-memsz-zero", one(load(0x200, KERNEL_BASE, 0x100, 0)),
                 "program header 0x00000000: file size exceeds memory size"))
    # Both sizes 4 GiB or more: the ROM works with 32-bit copies, which
    # cannot both saturate to the same value and still show the order.
    c.append(bad("filesz-gt-memsz-both-huge", one(load(0x200, KERNEL_BASE, 6 << 30, 5 << 30)),
                 "program header 0x00000000: file size exceeds memory size"))
    c.append(bad("filesz-gt-memsz-same-high-half",
                 one(load(0x200, KERNEL_BASE, (1 << 32) + 2, (1 << 32) + 1)),
                 "program header 0x00000000: file size exceeds memory size"))
    c.append(bad("filesz-gt-memsz-huge-filesz", one(load(0x200, KERNEL_BASE, 1 << 32, 0x100)),
                 "program header 0x00000000: file size exceeds memory size"))
    c.append(bad("segment-offset-past-end", one(load(0x10000, KERNEL_BASE, 0x100)),
                 "program header 0x00000000: data lies outside the file"))
    c.append(bad("segment-offset-wraps", one(load((1 << 64) - 0x10, KERNEL_BASE, 0x100)),
                 "program header 0x00000000: data lies outside the file"))
    c.append(bad("segment-filesz-huge", one(load(0x200, KERNEL_BASE, 1 << 40, 1 << 40)),
                 "program header 0x00000000: data lies outside the file"))
    c.append(bad("truncated-in-segment", good[:CODE_OFF + CODE_LEN + 0x40],
                 "program header 0x00000001: data lies outside the file"))
    c.append(bad("memsz-wraps-4g", one(load(0x200, 0xFFF00000, 0x100, 0x200000)),
                 "program header 0x00000000: segment is not below 4 GiB"))
    c.append(bad("memsz-wraps-4g-elf32", one(load(0x200, 0xFFFFFF00, 0x100, 0x1000), cls=32),
                 "program header 0x00000000: segment is not below 4 GiB"))
    c.append(bad("memsz-huge", one(load(0x200, KERNEL_BASE, 0x100, (1 << 64) - 1)),
                 "program header 0x00000000: segment is not below 4 GiB"))
    c.append(bad("paddr-is-vaddr", one(load(0x200, 0xFFFFFFFF81000000, 0x100)),
                 "program header 0x00000000: segment is not below 4 GiB"))
    c.append(bad("paddr-above-4g-one-byte", one(load(0x200, 0x100000000, 1)),
                 "program header 0x00000000: segment is not below 4 GiB"))
    c.append(bad("paddr-above-4g", one(load(0x200, 0x100000000, 0x100)),
                 "program header 0x00000000: segment is not below 4 GiB"))
    c.append(bad("segment-bios-area", one(load(0x200, 0xF0000, 0x100)),
                 "segment %s is in the first MiB" % seg_range(0xF0000, 0x100)))
    c.append(bad("segment-at-zero", one(load(0x200, 0, 0x100)),
                 "segment %s is in the first MiB" % seg_range(0, 0x100)))
    c.append(bad("segment-beyond-ram", one(load(0x200, 0x40000000, 0x100)),
                 "segment %s is not in RAM" % seg_range(0x40000000, 0x100)))
    c.append(bad("segment-across-ram-end", one(load(0x200, 0x1FFDF000, 0x100, 0x2000)),
                 "segment %s is not in RAM" % seg_range(0x1FFDF000, 0x2000)))
    c.append(bad("segment-in-pci-hole-6g", one(load(0x200, 0x90000000, 0x100)),
                 "segment %s is not in RAM" % seg_range(0x90000000, 0x100), ram="6G"))
    # A segment must end below 4 GiB; one byte less is only "not in RAM".
    c.append(bad("segment-ends-at-4g", one(load(0x200, 0xFFFFF000, 0x100, 0x1000)),
                 "program header 0x00000000: segment is not below 4 GiB"))
    c.append(bad("segment-ends-below-4g", one(load(0x200, 0xFFFFF000, 0x100, 0xFFF)),
                 "segment %s is not in RAM" % seg_range(0xFFFFF000, 0xFFF)))
    c.append(bad("segment-over-rom-area", std(64),
                 "segment %s is not in RAM" % seg_range(DATA_PADDR, 0x2000),
                 avoid=(DATA_PADDR + 0x1000, DATA_PADDR + 0x2000)))
    c.append(bad("segments-overlap", with_phdrs([load(0x200, KERNEL_BASE, 0x100, 0x1000),
                                                 load(0x300, KERNEL_BASE + 0x800, 0x100, 0x1000)]),
                 "segment %s overlaps another segment" % seg_range(KERNEL_BASE + 0x800, 0x1000)))
    # Overlapping by one byte: the later segment's last byte is the
    # earlier one's first, or its first byte the earlier one's last.
    c.append(bad("segments-overlap-first-byte",
                 with_phdrs([load(0x200, KERNEL_BASE + 0x1000, 0x100),
                             load(0x300, KERNEL_BASE + 0xF00, 0x101)]),
                 "segment %s overlaps another segment" % seg_range(KERNEL_BASE + 0xF00, 0x101)))
    c.append(bad("segments-overlap-last-byte",
                 with_phdrs([load(0x200, KERNEL_BASE + 0x1000, 0x100),
                             load(0x300, KERNEL_BASE + 0x10FF, 0x100)]),
                 "segment %s overlaps another segment" % seg_range(KERNEL_BASE + 0x10FF, 0x100)))
    c.append(bad("segments-identical", with_phdrs([load(0x200, KERNEL_BASE, 0x100)] * 2),
                 "segment %s overlaps another segment" % seg_range(KERNEL_BASE, 0x100)))
    c.append(bad("segment-inside-bss", with_phdrs([load(0x200, KERNEL_BASE, 0x100, 0x10000),
                                                   load(0x300, KERNEL_BASE + 0x8000, 0x10)]),
                 "segment %s overlaps another segment" % seg_range(KERNEL_BASE + 0x8000, 0x10)))
    c.append(bad("too-many-segments",
                 with_phdrs([load(0x400 + 0x10 * i, KERNEL_BASE + 0x10 * i, 0x10) for i in range(17)],
                            phoff=0x1000),
                 "kernel has more than 16 loadable segments"))
    c.append(bad("no-load-segment", build(64, [note_ph(NOTE_OFF, pvh_note(ENTRY))],
                                          [(NOTE_OFF, pvh_note(ENTRY))]),
                 "kernel has no loadable segment"))
    c.append(bad("only-empty-loads", with_phdrs([load(0, KERNEL_BASE, 0, 0)] * 3),
                 "kernel has no loadable segment"))

    # Notes.
    def notes_case(name, notes, message, **kw):
        c.append(bad(name, std(64, notes=notes), message, **kw))

    no_note = "no PVH entry note (XEN_ELFNOTE_PHYS32_ENTRY)"
    c.append(bad("no-pt-note", build(64, std_parts()[0][:2], std_parts()[1][:2]), no_note))
    notes_case("only-build-id", build_id_note(), no_note)
    notes_case("owner-XEN", note(b"XEN\0", 18, struct.pack("<Q", ENTRY)), no_note)
    notes_case("owner-no-nul", note(b"Xen", 18, struct.pack("<Q", ENTRY)), no_note)
    notes_case("owner-Xenon", note(b"Xenon\0", 18, struct.pack("<Q", ENTRY)), no_note)
    notes_case("owner-GNU-type-18", note(b"GNU\0", 18, struct.pack("<Q", ENTRY)), no_note)
    notes_case("xen-wrong-type", note(b"Xen\0", 17, struct.pack("<Q", ENTRY)), no_note)
    notes_case("empty-note-segment", b"", no_note)
    notes_case("desc-16", pvh_note(ENTRY, 16), "PVH entry note descriptor is not 4 or 8 bytes (0x00000010)")
    notes_case("desc-2", pvh_note(ENTRY, 2), "PVH entry note descriptor is not 4 or 8 bytes (0x00000002)")
    notes_case("desc-0", pvh_note(ENTRY, 0), "PVH entry note descriptor is not 4 or 8 bytes (0x00000000)")
    notes_case("second-pvh-note-bad", pvh_note(ENTRY) + pvh_note(ENTRY, 12),
               "PVH entry note descriptor is not 4 or 8 bytes (0x0000000c)")
    at = "malformed ELF note at file offset 0x%08x"
    notes_case("descsz-huge", note(b"Xen\0", 18, struct.pack("<Q", ENTRY), descsz=0xFFFFFFFF),
               at % NOTE_OFF)
    notes_case("namesz-huge", note(b"Xen\0", 18, struct.pack("<Q", ENTRY), namesz=0xFFFFFFFD),
               at % NOTE_OFF)
    notes_case("descsz-past-segment", pvh_note(ENTRY) + note(b"GNU\0", 3, bytes(8), descsz=12),
               at % (NOTE_OFF + 24))
    notes_case("desc-padding-missing", build_id_note() + note(b"Xen\0", 6, b"linux", padded=False),
               at % (NOTE_OFF + 36))
    notes_case("trailing-bytes", pvh_note(ENTRY) + b"\0" * 5, at % (NOTE_OFF + 24))
    notes_case("half-note-header", pvh_note(ENTRY)[:8], at % NOTE_OFF)
    # "Xen" with its NUL padded into an 8-byte name is another owner.
    notes_case("owner-Xen-namesz-8", note(b"Xen\0\0\0\0\0", 18, struct.pack("<Q", ENTRY)),
               no_note)
    # A note segment that ends the file, with 5 bytes after its one note:
    # too few for a note header, and nothing to read past them.
    tail = DATA_OFF + DATA_LEN
    phdrs, blobs = std_parts(notes=pvh_note(ENTRY) + b"\0" * 5)
    phdrs[2].offset = tail
    blobs[2] = (tail, blobs[2][1])
    data = build(64, phdrs, blobs)
    assert len(data) == tail + 29
    c.append(bad("note-tail-ends-file", data, at % (tail + 24)))
    phdrs, blobs = std_parts()
    phdrs[2].offset = 0x10000
    c.append(bad("note-segment-past-end", build(64, phdrs, blobs),
                 "program header 0x00000002: data lies outside the file"))
    phdrs, blobs = std_parts()
    phdrs[2].filesz = 1 << 62
    c.append(bad("note-segment-huge", build(64, phdrs, blobs),
                 "program header 0x00000002: data lies outside the file"))

    # The entry point.
    outside = "entry point 0x%08x is outside the loaded segments"
    c.append(bad("entry-outside", std(64, entry=0x2000000), outside % 0x2000000))
    c.append(bad("entry-in-bss", std(64, entry=DATA_PADDR + DATA_LEN), outside % (DATA_PADDR + DATA_LEN)))
    c.append(bad("entry-below-segment", std(64, entry=CODE_PADDR - 1), outside % (CODE_PADDR - 1)))
    c.append(bad("entry-zero", std(64, entry=0), outside % 0))
    c.append(bad("entry-zero-bss-only",
                 with_phdrs([load(0, KERNEL_BASE, 0, 0x1000)], pvh_note(KERNEL_BASE)),
                 outside % KERNEL_BASE))
    return c


def all_cases():
    cases = good_cases() + bad_cases()
    names = [c.name for c in cases]
    assert len(names) == len(set(names)), "duplicate case names"
    return cases


def write_corpus(outdir):
    os.makedirs(outdir, exist_ok=True)
    lines = []
    for c in all_cases():
        with open(os.path.join(outdir, c.name), "wb") as f:
            f.write(c.data)
        reads = "-" if c.reads is None else str(c.reads)
        lines.append("\t".join([c.name, c.policy(), reads, c.expect]))
    with open(os.path.join(outdir, "manifest"), "w") as f:
        f.write("\n".join(lines) + "\n")


def write_seeds(outdir, limit=2048):
    """The small cases, for the fuzzer (under the standard 512M policy)."""
    os.makedirs(outdir, exist_ok=True)
    for c in all_cases():
        if c.seed and 0 < len(c.data) <= limit:
            with open(os.path.join(outdir, c.name), "wb") as f:
                f.write(c.data)


def main(argv):
    if len(argv) == 3 and argv[1] == "--seeds":
        write_seeds(argv[2])
    elif len(argv) == 2:
        write_corpus(argv[1])
    else:
        sys.stderr.write("usage: elf_corpus.py OUTDIR | --seeds DIR\n")
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
