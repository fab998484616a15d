# SPDX-License-Identifier: GPL-2.0-or-later
"""Real Linux in self-load mode: Debian's cloud kernel (build/linux/vmlinux,
`make linux-kernel`) given to build/pvh.bin as fw_cfg opt/pvh/kernel, with
opt/pvh/initrd (the test initramfs) and opt/pvh/cmdline, and no -kernel at
all.  The test init reports what Linux saw; the checks are those of the
drop-in tests (tests/test_linux.py).  pc-i440fx-3.1 is a machine type on
which QEMU's own -kernel cannot PVH-boot.
"""

import os
import sys
import zlib

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "linux"))
from linuxboot import boot_linux, make_initramfs  # noqa: E402
from qemu import fw_cfg_file_use, fw_cfg_trace_args  # noqa: E402
from test_linux import (BASE_APPEND, MiB, boot_large_initrd, check_report,  # noqa: E402
                        longest_cmdline)

PIO = ["-global", "fw_cfg_io.dma_enabled=off"]


def check_selfload(res, append, mem, smp, payload):
    check_report(res, append, mem, smp, payload)
    pvh = [ln for ln in res.debug.splitlines() if "pvh:" in ln]
    assert pvh == [], f"the ROM printed {pvh}\n{res.explain}"
    # QEMU had no -kernel (linuxboot.qemu_command(mode="selfload")): Linux
    # reaching its init, checked above, is the ROM's self-load at work.


# DMA is the normal case; fw_cfg port I/O moves the 53 MB vmlinux byte by
# byte (about 3 s more under TCG), so only two boots use it: this one and
# test_linux_selfload_pio_reads_kernel_forward (q35).
CASES = [
    # machine, mem, smp, dma
    ("q35", "512M", 1, True),
    ("pc", "512M", 2, True),
    ("pc-i440fx-3.1", "512M", 2, True),
    ("pc-i440fx-3.1", "512M", 2, False),
    ("q35", "6G", 2, True),             # RAM above 4 GiB reaches Linux too
    ("pc-i440fx-3.1", "6G", 2, True),
]


@pytest.mark.parametrize("machine,mem,smp,dma", CASES,
                         ids=[f"{m}-{mem}-smp{s}-{'dma' if d else 'pio'}"
                              for m, mem, s, d in CASES])
def test_linux_selfload_boots_to_init(tmp_path, machine, mem, smp, dma):
    case = f"{machine}-{mem}-{smp}-{'dma' if dma else 'pio'}"
    rd, payload = make_initramfs(tmp_path, payload_size=1 * MiB,
                                 seed=zlib.crc32(case.encode()))
    # The commas go through fw_cfg's string= option escaped.
    append = f"{BASE_APPEND} quiet pvhtest.case={case} pvhtest.list=a,b,,c"
    trace = tmp_path / "fw_cfg-trace.log"
    res = boot_linux(tmp_path, initrd=rd, append=append, mode="selfload",
                     machine=machine, mem=mem, smp=smp,
                     extra_args=fw_cfg_trace_args(trace, reads=False)
                     + ([] if dma else PIO))
    check_selfload(res, append, mem, smp, payload)
    use = fw_cfg_file_use(trace.read_text(errors="replace"))
    assert use["opt/pvh/initrd"].selects == 1, use["opt/pvh/initrd"]
    assert use["opt/pvh/cmdline"].selects == 1, use["opt/pvh/cmdline"]



def test_linux_selfload_pio_reads_kernel_forward(tmp_path):
    """Without DMA each selection of the kernel item costs a read of the
    file from its start to where the ROM goes next (the notes of vmlinux
    lie 23 MB in).  Reading forward needs three selections, each step back
    short of the notes: the file header, back to the program header table
    (inside what the first read covered), and back to the first segment.
    The bound allows one more."""
    rd, payload = make_initramfs(tmp_path, payload_size=64 * 1024, seed=29)
    append = f"{BASE_APPEND} quiet"
    trace = tmp_path / "fw_cfg-trace.log"
    res = boot_linux(tmp_path, initrd=rd, append=append, mode="selfload",
                     machine="q35",
                     extra_args=fw_cfg_trace_args(trace, reads=False) + PIO)
    assert res.done, res.explain
    k = fw_cfg_file_use(trace.read_text(errors="replace"))["opt/pvh/kernel"].selects
    assert 1 <= k <= 4, (f"opt/pvh/kernel selected {k} times; the boot took "
                         f"{res.seconds:.1f}s\n{res.explain}")


def test_linux_selfload_large_initrd(tmp_path):
    """A 48 MiB initramfs arrives intact (CRC of the payload in it)."""
    res, append, payload = boot_large_initrd(tmp_path, seed=17, mode="selfload",
                                             machine="pc-i440fx-3.1")
    check_selfload(res, append, "512M", 1, payload)


@pytest.mark.parametrize("nul", [True, False], ids=["with-nul", "without-nul"])
def test_linux_selfload_cmdline_file(tmp_path, nul):
    """The command line as a file of exact bytes, with and without a
    trailing NUL: the longest x86 Linux takes (2047 bytes), including
    characters a shell or QEMU's option parser could mangle."""
    rd, payload = make_initramfs(tmp_path, payload_size=64 * 1024, seed=23)
    append = longest_cmdline()
    f = tmp_path / "cmdline"
    f.write_bytes(append.encode() + (b"\0" if nul else b""))
    res = boot_linux(tmp_path, initrd=rd, append=None, mode="selfload",
                     machine="q35",
                     extra_args=["-fw_cfg", f"name=opt/pvh/cmdline,file={f}"])
    check_selfload(res, append, "512M", 1, payload)
