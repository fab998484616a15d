# SPDX-License-Identifier: GPL-2.0-or-later
"""Booting the real Debian cloud kernel to the test init (tests/linux/init.c).

Reusable by the drop-in tests (tests/test_linux.py) and the self-load tests:

    rd, payload = make_initramfs(tmp_path, payload_size=..., seed=...)
    res = boot_linux(tmp_path, initrd=rd, append="console=ttyS0 ...",
                     mode="dropin" | "selfload", machine="q35", mem="512M",
                     smp=1, rom="ours" | "qemu", extra_args=[...])
    res.report   {"cmdline": ..., "memtotal_kb": ..., "cpus": ..., ...}
    res.done     True once the init printed "PVHINIT done"
    res.explain  text for assertion messages (command, exit, log tails)

The init's report is read from the serial log (-serial file:...): every line
containing "PVHINIT key=value".  The ROM's own "pvh: ..." lines go to the
debug port (0x402, captured too) and, with -nographic, to the serial log.
"""

import os
import re
import shlex
import subprocess
import sys
import time
import zlib
from dataclasses import dataclass, field

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.dirname(HERE))
import mkinitramfs  # noqa: E402
import qemu  # noqa: E402  (the build directory, QEMU and its data directory)

BUILD = str(qemu.BUILD)
LINUX_BUILD = os.path.join(BUILD, "linux")
VMLINUX = os.path.join(LINUX_BUILD, "vmlinux")
INIT = os.path.join(LINUX_BUILD, "init")
OUR_ROM = str(qemu.ROM)
QEMU = qemu.QEMU
QEMU_DATADIR = str(qemu.QEMU_DATA_DIR)
BOOT_TIMEOUT = 120  # seconds; a TCG boot to init takes about 2 s

_REPORT_RE = re.compile(r"PVHINIT ([a-z0-9_]+)(?:=(.*))?$")


def accel():
    """TCG unless the environment asks for another accelerator (PVH_ACCEL)."""
    return os.environ.get("PVH_ACCEL", "tcg")


def require_built(*paths):
    """Fails (never skips) when a prerequisite is missing, naming the make
    target that builds it."""
    missing = [p for p in paths if not os.path.exists(p)]
    assert not missing, (
        f"missing {', '.join(missing)}: run `make check` or "
        f"`make linux-kernel` (and `make` for build/pvh.bin) first")


def make_initramfs(tmpdir, payload_size=mkinitramfs.DEFAULT_PAYLOAD_SIZE,
                   seed=mkinitramfs.DEFAULT_SEED, name="initrd.cpio"):
    """Builds an initramfs with the test init and a payload of the given
    size in TMPDIR; returns (path, payload bytes)."""
    require_built(INIT)
    path = os.path.join(str(tmpdir), name)
    payload = mkinitramfs.build_initramfs(path, INIT, payload_size, seed)
    return path, payload


def crc32_hex(data):
    """The CRC the init reports for DATA."""
    return "%08x" % (zlib.crc32(data) & 0xFFFFFFFF)


def parse_report(text):
    """{key: value} from the "PVHINIT key=value" lines of a serial log (a
    line may start with other output, e.g. SeaBIOS's "Booting from ROM..").
    A key seen twice keeps its first value; bare words ("start", "done")
    map to ""."""
    report = {}
    for line in text.splitlines():
        line = line.rstrip("\r")
        i = line.find("PVHINIT ")
        if i < 0:
            continue
        m = _REPORT_RE.match(line[i:])
        if m:
            report.setdefault(m.group(1), m.group(2) if m.group(2) is not None
                              else "")
    return report


@dataclass
class LinuxResult:
    cmd: list
    returncode: int
    timed_out: bool
    seconds: float
    serial: str
    debug: str
    report: dict = field(default_factory=dict)

    @property
    def done(self):
        return "done" in self.report

    @property
    def explain(self):
        def tail(s, n=40):
            return "\n".join(s.splitlines()[-n:])
        pvh = [ln for ln in self.debug.splitlines() if "pvh:" in ln]
        return (f"command: {shlex.join(self.cmd)}\n"
                f"exit status: {self.returncode}"
                f"{' (timed out)' if self.timed_out else ''}, "
                f"{self.seconds:.1f} s\n"
                f"ROM messages: {pvh}\n"
                f"--- serial log (tail) ---\n{tail(self.serial)}\n"
                f"--- debug port log (tail) ---\n{tail(self.debug, 15)}")


def qemu_command(workdir, kernel=VMLINUX, initrd=None, append=None,
                 mode="dropin", machine="q35", mem="512M", smp=1, rom="ours",
                 extra_args=()):
    """The QEMU command line for one boot, and the paths of its logs.

    mode "dropin":   -kernel/-initrd/-append, QEMU's PVH loader, the ROM
                     found through -L (rom "ours": build/ first; "qemu":
                     QEMU's data directory only).
    mode "selfload": -option-rom build/pvh.bin with opt/pvh/kernel, and
                     opt/pvh/initrd and opt/pvh/cmdline when given.
    """
    serial = os.path.join(str(workdir), "serial.log")
    debug = os.path.join(str(workdir), "debugcon.log")
    cmd = [QEMU,
           "-machine", f"{machine},accel={accel()}",
           "-m", str(mem), "-smp", str(smp),
           "-no-reboot", "-nographic", "-monitor", "none",
           "-serial", f"file:{serial}",
           "-chardev", f"file,id=pvhdbg,path={debug}",
           "-device", "isa-debugcon,iobase=0x402,chardev=pvhdbg"]
    if mode == "dropin":
        if rom == "ours":
            cmd += ["-L", BUILD]
        elif rom != "qemu":
            raise ValueError(f"rom must be 'ours' or 'qemu', not {rom!r}")
        cmd += ["-L", QEMU_DATADIR, "-kernel", kernel]
        if initrd is not None:
            cmd += ["-initrd", initrd]
        if append is not None:
            cmd += ["-append", append]
    elif mode == "selfload":
        cmd += ["-L", QEMU_DATADIR, "-option-rom", OUR_ROM,
                "-fw_cfg", f"name=opt/pvh/kernel,file={kernel}"]
        if initrd is not None:
            cmd += ["-fw_cfg", f"name=opt/pvh/initrd,file={initrd}"]
        if append is not None:
            # fw_cfg's option parser splits on commas; ",," is a literal one.
            cmd += ["-fw_cfg",
                    f"name=opt/pvh/cmdline,string={append.replace(',', ',,')}"]
    else:
        raise ValueError(f"unknown mode {mode!r}")
    return list(cmd) + list(extra_args), serial, debug


def boot_linux(workdir, timeout=BOOT_TIMEOUT, **kw):
    """Boots once (see qemu_command for the arguments) and returns a
    LinuxResult.  QEMU ends when the init powers off (-no-reboot), on a
    triple fault or panic reboot, or is killed at TIMEOUT."""
    rom = kw.get("rom", "ours")
    mode = kw.get("mode", "dropin")
    require_built(kw.get("kernel", VMLINUX))
    if rom == "ours" or mode == "selfload":
        require_built(OUR_ROM)
    cmd, serial_path, debug_path = qemu_command(workdir, **kw)
    for p in (serial_path, debug_path):
        if os.path.exists(p):
            os.unlink(p)
    t0 = time.monotonic()
    timed_out = False
    try:
        proc = subprocess.run(cmd, stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              timeout=timeout)
        rc = proc.returncode
        qemu_out = proc.stdout.decode(errors="replace")
    except subprocess.TimeoutExpired as e:
        timed_out = True
        rc = None
        qemu_out = (e.stdout or b"").decode(errors="replace")
    seconds = time.monotonic() - t0

    def read(p):
        try:
            with open(p, "rb") as f:
                return f.read().decode(errors="replace")
        except FileNotFoundError:
            return ""
    serial = read(serial_path)
    if qemu_out.strip():
        serial += "\n[qemu stdout/stderr]\n" + qemu_out
    res = LinuxResult(cmd=cmd, returncode=rc, timed_out=timed_out,
                      seconds=seconds, serial=serial, debug=read(debug_path))
    res.report = parse_report(read(serial_path))
    return res
