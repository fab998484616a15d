# SPDX-License-Identifier: GPL-2.0-or-later
"""build/pvh-inspect: what it prints and its exit status, on the generated
corpus (tests/unit/elf_corpus.py), on the test guests and on the real
Debian kernel (checked against an independent Python reading of the ELF)."""
import os
import re
import struct
import subprocess
import sys

import pytest

from qemu import BUILD

HERE = os.path.dirname(os.path.abspath(__file__))
README = os.path.join(HERE, os.pardir, "README.md")
INSPECT = os.path.join(BUILD, "pvh-inspect")
VMLINUX = os.path.join(BUILD, "linux", "vmlinux")

sys.path.insert(0, os.path.join(HERE, "unit"))
import elf_corpus  # noqa: E402

CASES = {c.name: c for c in elf_corpus.all_cases()}


def inspect(*args):
    assert os.access(INSPECT, os.X_OK), "%s is missing: run make" % INSPECT
    p = subprocess.run([INSPECT, *args], capture_output=True, text=True, timeout=60)
    return p.returncode, p.stdout, p.stderr


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    d = tmp_path_factory.mktemp("corpus")
    for c in CASES.values():
        (d / c.name).write_bytes(c.data)
    return d


# pvh-inspect checks against RAM only: cases that need the ROM's own
# reserved ranges (policy "avoid") are not for it.
BAD = sorted(n for n, c in CASES.items() if c.expect.startswith("pvh:") and not c.avoid)
GOOD = sorted(n for n, c in CASES.items() if c.expect.startswith("ok") and not c.avoid)


@pytest.mark.parametrize("name", BAD)
def test_refused_with_the_roms_message(corpus, name):
    case = CASES[name]
    rc, out, err = inspect("--ram", case.ram, str(corpus / name))
    assert (rc, out, err) == (1, case.expect + "\n", "")


@pytest.mark.parametrize("name", GOOD)
def test_accepted_with_the_expected_layout(corpus, name):
    case = CASES[name]
    rc, out, err = inspect("--ram", case.ram, str(corpus / name))
    assert rc == 0 and err == ""
    fields = dict(f.split("=", 1) for f in case.expect.split()[1:])
    cls, machine = int(fields["class"]), int(fields["machine"])
    segs = [tuple(int(x, 16) for x in s.split(":")) for s in fields["segs"].split(",")]
    lines = out.splitlines()
    assert lines[0] == "boots: ELF%d %s, entry %s, %d segment%s" % (
        cls, {3: "i386", 62: "x86-64"}[machine], fields["entry"], len(segs),
        "" if len(segs) == 1 else "s")
    seg_lines = [l for l in lines if l.startswith("  segment ")]
    assert len(seg_lines) == len(segs)
    for i, (line, (off, paddr, filesz, memsz)) in enumerate(zip(seg_lines, segs)):
        where = "file 0x%08x - 0x%08x" % (off, off + filesz - 1) if filesz else "no file data"
        assert line == ("  segment %d: memory 0x%08x - 0x%08x, %s, filesz 0x%x, memsz 0x%x, "
                        "bss 0x%x" % (i, paddr, paddr + memsz - 1, where, filesz, memsz,
                                      memsz - filesz))


def test_elf64_report(corpus):
    rc, out, _ = inspect(str(corpus / "good-elf64"))
    assert rc == 0
    assert out == (
        "boots: ELF64 x86-64, entry 0x01000010, 2 segments\n"
        "  entry: note at 0x00000140 (owner \"Xen\", type 18, 8-byte descriptor)\n"
        "  segment 0: memory 0x01000000 - 0x010000ff, file 0x00000200 - 0x000002ff, "
        "filesz 0x100, memsz 0x100, bss 0x0\n"
        "  segment 1: memory 0x01200000 - 0x01201fff, file 0x00000300 - 0x0000037f, "
        "filesz 0x80, memsz 0x2000, bss 0x1f80\n"
        "  note at 0x00000140: owner \"Xen\", type 18 (XEN_ELFNOTE_PHYS32_ENTRY), "
        "8-byte descriptor\n"
        "  memory: 512 MiB, q35 layout (0x1ff7fc00 bytes below 4 GiB)\n")


def test_notes_listed_in_file_order(corpus):
    rc, out, _ = inspect(str(corpus / "good-notes-before"))
    assert rc == 0
    notes = [l.split("owner ")[1].split(",")[0] for l in out.splitlines()
             if l.startswith("  note at")]
    assert notes == ['"GNU"', '"Linux"', '"Xen"', '"Xen"']
    assert "entry: note at 0x%08x " % (elf_corpus.NOTE_OFF + 36 + 24 + 24) in out


def test_ram_size_decides(corpus):
    path = str(corpus / "good-ram-6g-top")  # a segment just below 2 GiB
    assert inspect(path)[0] == 1
    assert inspect("--ram", "1G", path)[0] == 1
    assert inspect("--ram", "2G", path)[0] == 0
    assert inspect("--ram=6G", path)[0] == 0
    # From 0xb0000000 on, q35 keeps only 2 GiB below 4 GiB.
    assert inspect("--ram", "2815M", path)[0] == 0
    assert inspect("--ram", "2816M", path)[0] == 0
    rc, out, _ = inspect("--ram", "1G", path)
    assert out.startswith("pvh: segment 0x7ffdf000 - 0x7ffdffff is not in RAM")


def test_segment_at_the_top_of_low_ram(tmp_path):
    # Below 0xb0000000 all RAM is low; at it, the split moves to 2 GiB.
    top = 2815 * 0x100000 - 0x20000 - 0x1000  # the last page of RAM at 2815M
    f = tmp_path / "k"
    f.write_bytes(elf_corpus.with_phdrs([elf_corpus.load(0x200, top, 0x100, 0x1000)],
                                        elf_corpus.pvh_note(top)))
    assert inspect("--ram", "2815M", str(f))[0] == 0
    rc, out, _ = inspect("--ram", "2816M", str(f))
    assert rc == 1 and "is not in RAM" in out


@pytest.mark.parametrize("args", [
    [], ["a", "b"], ["--ram"], ["--ram", "lots", "x"], ["--ram", "1K", "x"],
    ["--ram", "3T", "x"], ["--bogus", "x"],
])
def test_usage_errors(corpus, args):
    args = [str(corpus / "good-elf64") if a == "x" else a for a in args]
    rc, out, err = inspect(*args)
    assert rc == 2 and out == "" and err


def test_file_errors(tmp_path):
    rc, out, err = inspect(str(tmp_path / "missing"))
    assert rc == 2 and out == "" and "No such file" in err
    rc, out, err = inspect(str(tmp_path))
    assert rc == 2 and out == "" and "not a regular file" in err


def test_help():
    rc, out, _ = inspect("--help")
    assert rc == 0 and out.startswith("usage: pvh-inspect [--ram SIZE] FILE")


def test_empty_file(tmp_path):
    (tmp_path / "empty").write_bytes(b"")
    assert inspect(str(tmp_path / "empty")) == (1, "pvh: kernel file is empty\n", "")


def read_elf64_reference(path):
    """The loadable segments and the PVH entry, read independently of the C
    code: (entry, (note offset, descsz), [(offset, paddr, filesz, memsz)]
    sorted by offset)."""
    with open(path, "rb") as f:
        hdr = f.read(64)
        assert hdr[:4] == b"\x7fELF" and hdr[4] == 2
        phoff, = struct.unpack_from("<Q", hdr, 32)
        phentsize, phnum = struct.unpack_from("<HH", hdr, 54)
        f.seek(phoff)
        table = f.read(phentsize * phnum)
        segs, entry, where = [], None, None
        for i in range(phnum):
            ptype, _, off, _, paddr, filesz, memsz, _ = struct.unpack_from(
                "<IIQQQQQQ", table, i * phentsize)
            if ptype == 1 and memsz:
                segs.append((off, paddr, filesz, memsz))
            if ptype == 4 and entry is None:
                f.seek(off)
                notes, pos = f.read(filesz), 0
                while pos + 12 <= len(notes):
                    namesz, descsz, ntype = struct.unpack_from("<III", notes, pos)
                    name = notes[pos + 12:pos + 12 + namesz]
                    desc = pos + 12 + (namesz + 3) // 4 * 4
                    if name == b"Xen\0" and ntype == 18:
                        entry, = struct.unpack_from("<I", notes, desc)
                        where = (off + pos, descsz)
                        break
                    pos = desc + (descsz + 3) // 4 * 4
        return entry, where, sorted(segs)


def test_debian_kernel():
    assert os.path.exists(VMLINUX), "%s is missing: run make check (CHECK_PREREQS)" % VMLINUX
    entry, (note_off, descsz), segs = read_elf64_reference(VMLINUX)
    rc, out, err = inspect(VMLINUX)
    assert rc == 0 and err == ""
    lines = out.splitlines()
    assert lines[0] == "boots: ELF64 x86-64, entry 0x%08x, %d segments" % (entry, len(segs))
    # Linux has more notes than are listed; the entry note comes last.
    assert lines[1] == ('  entry: note at 0x%08x (owner "Xen", type 18, %d-byte descriptor)'
                        % (note_off, descsz))
    got = [l for l in lines if l.startswith("  segment ")]
    assert [l.split(",")[0] for l in got] == [
        "  segment %d: memory 0x%08x - 0x%08x" % (i, s[1], s[1] + s[3] - 1)
        for i, s in enumerate(segs)]
    # 16 MiB of kernel does not fit a 16 MiB guest; it does fit 128 MiB.
    assert inspect("--ram", "16M", VMLINUX)[0] == 1
    assert inspect("--ram", "128M", VMLINUX)[0] == 0


def test_messages_all_in_the_readme():
    """`pvh-inspect --messages` lists every line the ROM can print (from
    common/message.c, the ROM's own table); the README's message tables
    must have exactly those rows, each with its meaning."""
    rc, out, err = inspect("--messages")
    assert rc == 0, err
    printed = out.splitlines()
    assert len(printed) == len(set(printed)) > 30, out
    assert all(m.startswith("pvh: ") and "0x0" not in m for m in printed), out
    rows = re.findall(r"^\| `(pvh: [^`]*)` \|(.*)\|$", open(README).read(), re.M)
    documented = [m for m, _ in rows]
    assert sorted(documented) == sorted(printed), \
        "README rows that the ROM cannot print: %s; messages missing from the README: %s" % (
            sorted(set(documented) - set(printed)), sorted(set(printed) - set(documented)))
    assert [m for m, meaning in rows if not meaning.strip()] == [], "rows without a meaning"
