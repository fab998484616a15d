# SPDX-License-Identifier: GPL-2.0-or-later
"""Real Linux through our ROM (drop-in mode): Debian's cloud kernel
(build/linux/vmlinux, fetched by `make linux-kernel`) boots with QEMU's
-kernel/-initrd/-append and `-L build` ahead of QEMU's data directory, to the
test init of tests/linux/init.c, which reports what the kernel saw."""

import os
import re
import sys
import zlib

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "linux"))
import linuxboot  # noqa: E402
from linuxboot import boot_linux, crc32_hex, make_initramfs  # noqa: E402
from qemu import ROM, fw_cfg_trace_args  # noqa: E402

MiB = 1 << 20
BASE_APPEND = "console=ttyS0 panic=-1"


def mem_kib(mem):
    units = {"M": 1 << 10, "G": 1 << 20}
    return int(mem[:-1]) * units[mem[-1]]


def longest_cmdline():
    """The longest command line x86 Linux takes (2047 bytes: its
    COMMAND_LINE_SIZE is 2048 with the NUL), including characters a shell
    or QEMU's option parser could mangle."""
    head = f"{BASE_APPEND} quiet pvhtest.odd=a,b;c'd\\e$f pvhtest.pad="
    append = head + "".join(chr(0x21 + i % 94) for i in range(2047 - len(head)))
    # The kernel would treat a '"' as quoting: keep the padding free of it.
    append = append.replace('"', "x")
    assert len(append) == 2047
    return append


def boot_ours(tmp_path, **boot_args):
    """boot_linux in drop-in mode with our ROM in QEMU's place, and the
    proof that QEMU loaded it: the genroms/pvh.bin it added (its fw_cfg
    trace) has build/pvh.bin's size, not that of QEMU's own ROM."""
    trace = tmp_path / "fw_cfg-trace.log"
    res = boot_linux(tmp_path, rom="ours",
                     extra_args=fw_cfg_trace_args(trace, reads=False), **boot_args)
    loaded = re.findall(r"fw_cfg_add_file \S+ #\d+: genroms/pvh\.bin \((\d+) bytes\)",
                        trace.read_text(errors="replace"))
    assert loaded == [str(ROM.stat().st_size)], (
        f"QEMU loaded genroms/pvh.bin of {loaded} bytes, not {ROM}\n{res.explain}")
    return res


def boot_large_initrd(tmp_path, seed, boot=boot_linux, **boot_args):
    """Boots with a 48 MiB initramfs (through boot, with boot_args as for
    boot_linux): the result, the command line given and the initramfs
    payload, for check_report."""
    rd, payload = make_initramfs(tmp_path, payload_size=48 * MiB, seed=seed)
    append = f"{BASE_APPEND} quiet"
    return boot(tmp_path, initrd=rd, append=append, **boot_args), append, payload


def check_report(res, append, mem, smp, payload):
    """Every point a user would check after booting; one message per
    failure with the whole context."""
    why = res.explain
    assert not res.timed_out, f"Linux did not finish booting\n{why}"
    rep = res.report
    assert "start" in rep, f"the test init never ran\n{why}"
    assert res.done, f"the test init did not finish its report\n{why}"

    assert rep.get("cmdline") == append, (
        f"/proc/cmdline {rep.get('cmdline')!r} != -append {append!r}\n{why}")

    total = mem_kib(mem)
    memtotal = int(rep["memtotal_kb"])
    assert 0.80 * total <= memtotal <= total, (
        f"MemTotal {memtotal} kB not within 80%..100% of -m {mem} "
        f"({total} kB)\n{why}")

    assert rep.get("cpus") == str(smp), (
        f"{rep.get('cpus')} CPUs online, -smp {smp}\n{why}")

    assert rep.get("acpi") == "1", f"Linux found no ACPI tables\n{why}"
    # The MADT is how Linux finds the other CPUs: it must be there.
    assert "APIC" in rep.get("acpi_tables", "").split(","), (
        f"no MADT (APIC) among ACPI tables {rep.get('acpi_tables')!r}\n{why}")

    assert rep.get("payload_size") == str(len(payload)), (
        f"initramfs payload is {rep.get('payload_size')} bytes, "
        f"expected {len(payload)}\n{why}")
    assert rep.get("payload_crc32") == crc32_hex(payload), (
        f"initramfs payload CRC {rep.get('payload_crc32')} != "
        f"{crc32_hex(payload)}\n{why}")


@pytest.mark.parametrize("machine,mem,smp", [
    ("q35", "512M", 1),
    ("q35", "512M", 2),
    ("pc", "512M", 2),
    ("q35", "6G", 2),       # RAM above 4 GiB must reach Linux too
])
def test_linux_boots_to_init(tmp_path, machine, mem, smp):
    rd, payload = make_initramfs(tmp_path, payload_size=1 * MiB,
                                 seed=zlib.crc32(f"{machine}{mem}{smp}".encode()))
    append = f"{BASE_APPEND} quiet pvhtest.case={machine}-{mem}-{smp}"
    res = boot_ours(tmp_path, initrd=rd, append=append, machine=machine,
                    mem=mem, smp=smp)
    check_report(res, append, mem, smp, payload)


def test_linux_large_initrd(tmp_path):
    """A 48 MiB initramfs arrives intact (CRC of the payload in it)."""
    res, append, payload = boot_large_initrd(tmp_path, seed=7, boot=boot_ours,
                                             mem="512M")
    check_report(res, append, "512M", 1, payload)


def test_linux_longest_cmdline(tmp_path):
    """The longest command line x86 Linux takes (2047 bytes: its
    COMMAND_LINE_SIZE is 2048 with the NUL) arrives byte-exact, including
    characters a shell or QEMU's option parser could mangle."""
    rd, payload = make_initramfs(tmp_path, payload_size=64 * 1024, seed=11)
    append = longest_cmdline()
    res = boot_ours(tmp_path, initrd=rd, append=append)
    check_report(res, append, "512M", 1, payload)


def test_linux_without_initrd_reaches_the_kernel(tmp_path):
    """No -initrd: the ROM hands over no module and Linux, finding no
    initramfs and no root device, panics with its own message (panic=-1
    then ends QEMU)."""
    append = BASE_APPEND
    res = boot_ours(tmp_path, initrd=None, append=append,
                    timeout=linuxboot.BOOT_TIMEOUT)
    assert not res.timed_out, res.explain
    assert "Kernel command line: " + append in res.serial, res.explain
    assert "VFS: Unable to mount root fs" in res.serial, res.explain
    assert "PVHINIT" not in res.serial, res.explain


def test_report_parser():
    """The parser finds report lines behind other output and ignores noise."""
    log = ("SeaBIOS\r\nBooting from ROM..PVHINIT start\r\n"
           "[    1.0] random: noise\n"
           "PVHINIT cmdline=console=ttyS0 a=b=c\n"
           "PVHINIT cpus=2\nPVHINIT cpus=3\nPVHINIT done\n")
    rep = linuxboot.parse_report(log)
    assert rep == {"start": "", "cmdline": "console=ttyS0 a=b=c",
                   "cpus": "2", "done": ""}
