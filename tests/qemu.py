# SPDX-License-Identifier: GPL-2.0-or-later
"""Shared QEMU harness for the pvh.bin tests.

Boots QEMU (TCG unless PVH_ACCEL says otherwise) with the debug console on
port 0x402 and isa-debug-exit on 0xf4 wired to files, waits for it to exit
(or for a string to appear, then kills it) and parses the report of the PVH
test guests (tests/guests/README.md lists the keys).

    res = run_qemu(kernel=GUEST64, initrd=b"...", append="console=ttyS0")
    res.returncode   # 33: the guest finished its report
    res.report       # Report (a dict of str -> str) or None
    res.debug_log    # everything written to port 0x402 (SeaBIOS log too)
    res.serial       # COM1
    res.pvh_lines    # lines starting with "pvh:" (the ROM's messages),
                     # also apart: res.debug_pvh_lines, res.serial_pvh_lines

A timeout kills QEMU and raises QemuTimeout (an AssertionError) unless
allow_timeout=True.  boot_guest() is run_qemu() plus the assertion that the
guest report is complete.  Self-loading:

    boot_guest(kernel=None, rom=None, option_rom=ROM,
               fw_cfg=selfload_fw_cfg(GUEST_MULTI, cmdline="dirty-reboot"),
               reboot=True)

Environment: PVH_ACCEL (tcg), PVH_QEMU (qemu-system-x86_64), PVH_QEMU_DATA
(QEMU's firmware directory, found automatically), PVH_BUILD (the build
directory: build/), PVH_KEEP_LOGS=1 (keep each run's serial.log /
debug.log and print where).
"""

import ctypes
import functools
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections import namedtuple
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# `make check` passes its BUILD directory; build/ otherwise.
BUILD = Path(os.environ.get("PVH_BUILD") or REPO / "build")
ROM = BUILD / "pvh.bin"
# The same sources built with ROM_SELFLOAD=0: the drop-in alone (make).
DROPIN_ROM = BUILD / "dropin" / "pvh.bin"
GUEST_DIR = BUILD / "guests"
GUEST32 = GUEST_DIR / "guest32.elf"
GUEST64 = GUEST_DIR / "guest64.elf"
GUEST_MULTI = GUEST_DIR / "guest-multi.elf"

QEMU = os.environ.get("PVH_QEMU", "qemu-system-x86_64")
ACCEL = os.environ.get("PVH_ACCEL", "tcg")

# Exit statuses: isa-debug-exit makes QEMU exit with (value << 1) | 1.
EXIT_REPORT_DONE = 33   # guest wrote 0x10: report complete
EXIT_GUEST_FAULT = 35   # guest wrote 0x11: it took an exception
# A triple fault (or any reset) with -no-reboot exits with status 0.

REPORT_BEGIN = "PVHGUEST BEGIN"
REPORT_END = "PVHGUEST END"

FOUR_GIB = 1 << 32

# microvm's default firmware, qboot, runs no option ROMs; SeaBIOS has a
# build for the machine (Debian's seabios package, which QEMU depends on).
SEABIOS_MICROVM = Path("/usr/share/seabios/bios-microvm.bin")


def qemu_data_dir():
    """QEMU's firmware directory (the one holding its own pvh.bin)."""
    candidates = []
    if os.environ.get("PVH_QEMU_DATA"):
        candidates.append(Path(os.environ["PVH_QEMU_DATA"]))
    exe = shutil.which(QEMU)
    if exe:
        prefix = Path(os.path.realpath(exe)).parent.parent
        candidates.append(prefix / "share" / "qemu")
    candidates += [Path("/usr/share/qemu"), Path("/usr/local/share/qemu")]
    for d in candidates:
        if (d / "pvh.bin").is_file():
            return d
    raise FileNotFoundError(
        "QEMU's data directory (with pvh.bin) not found; tried "
        + ", ".join(str(c) for c in candidates)
        + " (set PVH_QEMU_DATA)")


QEMU_DATA_DIR = qemu_data_dir()
QEMU_ROM = QEMU_DATA_DIR / "pvh.bin"


# Linux's prctl option: the signal a process gets when its parent exits.
PR_SET_PDEATHSIG = 1
_LIBC = ctypes.CDLL(None, use_errno=True)


def die_with_parent():
    """Run in the child between fork and exec (Popen's preexec_fn): QEMU is
    killed when the process that started it ends, even when that process is
    killed itself (a pytest-xdist worker stopped by -x or by Ctrl-C), so that
    no QEMU outlives its test.  Linux sends the signal when the thread that
    started the child ends: QEMU is started from the main thread only."""
    if _LIBC.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG)")


class QemuTimeout(AssertionError):
    """QEMU did not finish in time (it has been killed)."""


# ---------------------------------------------------------------------------
# The guest report

Module = namedtuple("Module", "paddr size cmdline_paddr reserved crc32 cmdline")
MemmapEntry = namedtuple("MemmapEntry", "addr size type reserved")


class Report(dict):
    """The key=value lines of one guest report, values as strings."""

    def __repr__(self):  # short, for pytest's assertion messages
        return f"<guest report: {len(self)} keys, guest={self.get('guest')}>"

    def int(self, key):
        """Value of key as an integer (values are hex with 0x)."""
        if key not in self:
            raise KeyError(f"guest report has no {key!r} "
                           f"(keys: {', '.join(sorted(self))})")
        return int(self[key], 0)

    def get_int(self, key, default=None):
        return int(self[key], 0) if key in self else default

    @property
    def complete(self):
        return self.get("complete") == "1"

    @property
    def fault(self):
        """(vector, error, eip, stage) if the guest took an exception."""
        if "fault.vector" not in self:
            return None
        return tuple(self.int("fault." + k) for k in ("vector", "error", "eip", "stage"))

    @property
    def memmap(self):
        """The memory map as MemmapEntry tuples, in order."""
        out = []
        i = 0
        while f"memmap.{i}" in self:
            out.append(MemmapEntry(*(int(v, 0) for v in self[f"memmap.{i}"].split(","))))
            i += 1
        return out

    @property
    def cmdline(self):
        """Command line bytes (without the NUL), or None if not handed over."""
        if "cmdline_hex" not in self:
            return None
        return bytes.fromhex(self["cmdline_hex"])

    @property
    def modules(self):
        """Module list entries; crc32 is None when the guest could not read
        the data (above 4 GiB), cmdline None when the module has none."""
        out = []
        i = 0
        while f"module.{i}" in self:
            v = [int(x, 0) for x in self[f"module.{i}"].split(",")]
            crc = v[4] if len(v) > 4 else None
            mc = self.get(f"module.{i}.cmdline_hex")
            out.append(Module(v[0], v[1], v[2], v[3], crc,
                              bytes.fromhex(mc) if mc is not None else None))
            i += 1
        return out

    def segment(self, name):
        """Decoded descriptor fields of cs/ds/es/ss/tr as a dict of ints."""
        pre = name + "_"
        return {k[len(pre):]: int(v, 0) for k, v in self.items()
                if k.startswith(pre) and v.startswith("0x")}

    def handed_over(self):
        """(name, start, length) of each structure start_info points to,
        start_info itself included; absent ones (address 0) left out."""
        out = [("start_info", self.int("start_info"), 56)]
        if self.get_int("memmap_paddr"):
            out.append(("memmap", self.int("memmap_paddr"),
                        24 * self.int("memmap_entries")))
        if self.get_int("modlist_paddr"):
            out.append(("modlist", self.int("modlist_paddr"),
                        32 * self.int("nr_modules")))
        if self.get_int("cmdline_paddr"):
            out.append(("cmdline", self.int("cmdline_paddr"),
                        self.int("cmdline_len") + 1))
        for i, m in enumerate(self.modules):
            if m.cmdline_paddr:
                n = len(m.cmdline) + 1 if m.cmdline is not None else 1
                out.append((f"module.{i}.cmdline", m.cmdline_paddr, n))
        return out


def parse_report(text):
    """The last guest report in text (a debug-port log), or None.

    A report cut short (no END line) is returned too, without complete=1."""
    start = text.rfind(REPORT_BEGIN)
    if start < 0:
        return None
    body = text[start + len(REPORT_BEGIN):]
    end = body.find(REPORT_END)
    if end >= 0:
        body = body[:end]
    rep = Report()
    for line in body.splitlines():
        key, sep, value = line.partition("=")
        if sep:
            rep[key.strip()] = value.strip()
    return rep


# ---------------------------------------------------------------------------
# Running QEMU

class QemuResult:
    def __init__(self, cmd, returncode, timed_out, found, debug_log, serial,
                 stderr, elapsed):
        self.cmd = cmd
        self.returncode = returncode  # None when killed by the harness
        self.timed_out = timed_out
        self.found = found            # the wait_for string seen, or None
        self.debug_log = debug_log
        self.serial = serial
        self.stderr = stderr
        self.elapsed = elapsed
        self.report = parse_report(debug_log)

    @property
    def pvh_lines(self):
        """The ROM's messages ("pvh: ..." lines) on the debug port or serial."""
        lines = self.debug_pvh_lines
        return lines + [ln for ln in self.serial_pvh_lines if ln not in lines]

    @property
    def debug_pvh_lines(self):
        """The "pvh: ..." lines on the debug port (0x402), in order, each
        as often as it was written (a message printed twice shows)."""
        return _pvh_lines(self.debug_log, unique=False)

    @property
    def serial_pvh_lines(self):
        """The "pvh: ..." lines on COM1: the ROM's INT 10h output, which
        SeaBIOS's serial console carries there with -nographic."""
        return _pvh_lines(self.serial)

    def describe(self, tail=40):
        """A failure explanation: command, status and the ends of the logs."""
        def last(text):
            return "\n".join(text.splitlines()[-tail:])
        cmd = " ".join(os.fsdecode(c) if isinstance(c, bytes) else str(c)
                       for c in self.cmd)
        if len(cmd) > 2000:
            cmd = cmd[:2000] + "..."
        return (f"\n--- command: {cmd}\n"
                f"--- exit status {self.returncode}"
                f"{' (timed out, killed)' if self.timed_out else ''}"
                f" after {self.elapsed:.1f}s\n"
                f"--- stderr:\n{last(self.stderr)}\n"
                f"--- serial (last {tail} lines):\n{last(self.serial)}\n"
                f"--- debug port (last {tail} lines):\n{last(self.debug_log)}\n")


_ANSI = re.compile(r"\x1b(\[[0-9;?]*[A-Za-z]|c)")


def _pvh_lines(text, unique=True):
    """The "pvh:" lines of text, in order, without escape sequences; each
    once if unique (SeaBIOS's serial console may repeat screen lines)."""
    lines = []
    for line in _ANSI.sub("", text).splitlines():
        line = line.strip()
        if line.startswith("pvh:") and not (unique and line in lines):
            lines.append(line)
    return lines


def _fw_cfg_escape(s):
    return s.replace(",", ",,")


def qemu_cmd(workdir, kernel=None, initrd=None, append=None, rom="ours",
             machine="q35", mem="512M", smp=1, dma=True, extra=(),
             option_rom=None, bootindex=None, fw_cfg=None, reboot=False,
             nic=True):
    """The QEMU command line (a list) for one run; files go to workdir.

    kernel, initrd: a path, or bytes (written to a file in workdir).
    append: str or bytes (bytes reach QEMU unchanged).
    rom: "ours" (build/pvh.bin replaces QEMU's for -kernel), "dropin" (the
         same with build/dropin/pvh.bin, the drop-in-only build), "qemu"
         (QEMU's installed pvh.bin), or None (no -L at all).
    fw_cfg: {name: value}; a Path is passed as file=, bytes are written to a
         file first, a str is passed as string=.
    option_rom: path for -option-rom (bootindex=N appended if given).
    reboot: False adds -no-reboot (a reset then exits QEMU with status 0).
    nic: False adds -nic none (no iPXE boot ROM, no network boot attempt).
    """
    workdir = Path(workdir)

    def as_file(value, name):
        if isinstance(value, (bytes, bytearray)):
            p = workdir / name
            p.write_bytes(value)
            return str(p)
        return str(value)

    cmd = [QEMU, "-machine", machine, "-accel", ACCEL, "-m", str(mem),
           "-smp", str(smp), "-nographic", "-monitor", "none",
           "-serial", f"file:{workdir / 'serial.log'}",
           "-chardev", f"file,id=pvhdbg,path={workdir / 'debug.log'}",
           "-device", "isa-debugcon,iobase=0x402,chardev=pvhdbg",
           "-device", "isa-debug-exit,iobase=0xf4,iosize=4"]
    if not reboot:
        cmd.append("-no-reboot")
    if not nic:
        cmd += ["-nic", "none"]
    if rom == "ours":
        cmd += ["-L", str(BUILD), "-L", str(QEMU_DATA_DIR)]
    elif rom == "dropin":
        cmd += ["-L", str(DROPIN_ROM.parent), "-L", str(QEMU_DATA_DIR)]
    elif rom == "qemu":
        cmd += ["-L", str(QEMU_DATA_DIR)]
    elif rom is not None:
        raise ValueError(f"rom must be 'ours', 'dropin', 'qemu' or None, not {rom!r}")
    if not dma:
        cmd += ["-global", "fw_cfg_io.dma_enabled=off"]
    if kernel is not None:
        cmd += ["-kernel", as_file(kernel, "kernel.bin")]
    if initrd is not None:
        cmd += ["-initrd", as_file(initrd, "initrd.bin")]
    if append is not None:
        cmd += ["-append", append]
    if option_rom is not None:
        arg = str(option_rom)
        if bootindex is not None:
            arg += f",bootindex={bootindex}"
        cmd += ["-option-rom", arg]
    for i, (name, value) in enumerate((fw_cfg or {}).items()):
        if isinstance(value, str):
            spec = f"name={name},string={_fw_cfg_escape(value)}"
        else:
            path = as_file(value, f"fw_cfg{i}.bin")
            spec = f"name={name},file={_fw_cfg_escape(path)}"
        cmd += ["-fw_cfg", spec]
    cmd += list(extra)
    return cmd


def _read(path):
    try:
        return path.read_bytes().decode("latin-1")
    except FileNotFoundError:
        return ""


class QMP:
    """A minimal QMP client on QEMU's unix socket: enough to press keys."""

    def __init__(self, path, timeout=10):
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                self.sock.connect(str(path))
                break
            except OSError:
                self.sock.close()
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        self.sock.settimeout(timeout)
        self.stream = self.sock.makefile("rb")
        try:
            self._reply()  # the greeting
            self.command("qmp_capabilities")
        except BaseException:
            self.close()
            raise

    def _reply(self):
        while True:
            line = self.stream.readline()
            if not line:
                raise ConnectionError("QMP: QEMU closed the socket")
            msg = json.loads(line)
            if "event" not in msg:
                return msg

    def command(self, name, **arguments):
        msg = {"execute": name}
        if arguments:
            msg["arguments"] = arguments
        self.sock.sendall(json.dumps(msg).encode() + b"\n")
        reply = self._reply()
        if "error" in reply:
            raise RuntimeError(f"QMP {name}: {reply['error']}")
        return reply.get("return")

    def press(self, qcode):
        """Press and release one key (a QEMU qcode: "esc", "1", "a", ...)."""
        self.command("send-key", keys=[{"type": "qcode", "data": qcode}])

    def close(self):
        self.stream.close()
        self.sock.close()


def quit_once(marker, action=None):
    """An interact callable for run_qemu(): once marker is on the debug
    port, call action(qmp) if given, then quit QEMU through QMP (a clean
    exit: plugins write their records).  One per run: it acts only once."""
    done = []

    def interact(debug, serial, qmp):
        if marker in debug and not done:
            done.append(True)
            if action:
                action(qmp)
            qmp.command("quit")
    return interact


def run_qemu(kernel=None, initrd=None, append=None, rom="ours", machine="q35",
             mem="512M", smp=1, dma=True, extra=(), option_rom=None,
             bootindex=None, fw_cfg=None, reboot=False, nic=True, timeout=60,
             wait_for=None, allow_timeout=False, interact=None):
    """Run QEMU once (arguments as for qemu_cmd) and return a QemuResult.

    wait_for: a string (or several) to look for on serial and the debug port;
    once one appears QEMU is killed and result.found says which.  If QEMU
    exits first, found is None.  A timeout kills QEMU and raises QemuTimeout
    unless allow_timeout is true.
    interact: a callable(debug, serial, qmp) called every 50 ms while QEMU
    runs, with the debug port's and the serial port's output so far and a
    QMP client (to press keys, as a user at the console would).
    """
    if isinstance(wait_for, str):
        wait_for = (wait_for,)
    keep = os.environ.get("PVH_KEEP_LOGS")
    workdir = Path(tempfile.mkdtemp(prefix="pvh-qemu-"))
    qmp = None
    try:
        if interact:
            extra = list(extra) + ["-qmp", f"unix:{workdir / 'qmp.sock'},server=on,wait=off"]
        cmd = qemu_cmd(workdir, kernel=kernel, initrd=initrd, append=append,
                       rom=rom, machine=machine, mem=mem, smp=smp, dma=dma,
                       extra=extra, option_rom=option_rom, bootindex=bootindex,
                       fw_cfg=fw_cfg, reboot=reboot, nic=nic)
        serial_path = workdir / "serial.log"
        debug_path = workdir / "debug.log"
        start = time.monotonic()
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                preexec_fn=die_with_parent)
        found = None
        timed_out = False
        try:
            if wait_for or interact:
                while proc.poll() is None:
                    debug, serial = _read(debug_path), _read(serial_path)
                    found = next((w for w in wait_for or () if w in serial + debug), None)
                    if found:
                        break
                    if interact:
                        try:
                            qmp = qmp or QMP(workdir / "qmp.sock")
                            interact(debug, serial, qmp)
                        except (OSError, ConnectionError):
                            if proc.poll() is None:
                                raise
                    if time.monotonic() - start > timeout:
                        timed_out = True
                        break
                    time.sleep(0.05)
                if proc.poll() is None:
                    proc.kill()
                    returncode = None
                else:
                    returncode = proc.returncode
                proc.wait()
            else:
                try:
                    proc.wait(timeout=timeout)
                    returncode = proc.returncode
                except subprocess.TimeoutExpired:
                    timed_out = True
                    proc.kill()
                    proc.wait()
                    returncode = None
            output = proc.stdout.read().decode("utf-8", "replace")
        finally:
            if qmp:
                qmp.close()
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            proc.stdout.close()
        serial = _read(serial_path)
        debug = _read(debug_path)
        if wait_for and found is None:
            found = next((w for w in wait_for if w in serial + debug), None)
        res = QemuResult(cmd, returncode, timed_out, found, debug, serial,
                         output, time.monotonic() - start)
    finally:
        if keep:
            print(f"pvh: QEMU logs kept in {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    if timed_out and not allow_timeout:
        raise QemuTimeout(f"QEMU did not finish within {timeout}s and was killed"
                          + res.describe())
    return res


def cached(fn):
    """functools.cache that also remembers failures, so that a broken boot
    fails each test that uses it quickly instead of booting (and timing
    out) again."""
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


def boot_guest(kernel=GUEST64, **kwargs):
    """run_qemu() for a test guest; asserts that it completed its report
    (exit status 33) and returns the QemuResult."""
    if isinstance(kernel, Path) and not kernel.is_file():
        raise AssertionError(f"{kernel} is missing: run `make` first")
    rom = {"ours": ROM, "dropin": DROPIN_ROM}.get(kwargs.get("rom", "ours"))
    if rom is not None and not rom.is_file():
        raise AssertionError(f"{rom} is missing: run `make` first")
    res = run_qemu(kernel=kernel, **kwargs)
    rep = res.report
    if res.returncode != EXIT_REPORT_DONE or rep is None or not rep.complete:
        why = "the guest did not complete its report"
        if rep is not None and rep.fault:
            v, err, eip, stage = rep.fault
            why = (f"the guest took exception {v} (error {err:#x}) at eip "
                   f"{eip:#x} (probe stage {stage})")
        elif res.returncode == 0:
            why += " (exit status 0: a reset or triple fault)"
        if res.pvh_lines:
            why += "; ROM said: " + " | ".join(res.pvh_lines)
        raise AssertionError(why + res.describe())
    return res


def selfload_fw_cfg(kernel, initrd=None, cmdline=None):
    """The fw_cfg items of the self-loading interface, for run_qemu(fw_cfg=)
    (kernel, initrd: Path or bytes; cmdline: a str goes in with string=,
    without a NUL; bytes through a file, exactly those bytes, e.g. with or
    without a trailing NUL)."""
    items = {"opt/pvh/kernel": kernel}
    if initrd is not None:
        items["opt/pvh/initrd"] = initrd
    if cmdline is not None:
        items["opt/pvh/cmdline"] = cmdline
    return items


# ---------------------------------------------------------------------------
# Helpers for assertions

def overlaps(a_start, a_len, b_start, b_len):
    """Do [a_start, a_start + a_len) and [b_start, b_start + b_len) meet?"""
    return a_start < b_start + b_len and b_start < a_start + a_len


def in_ram(memmap, start, length):
    """Is [start, start + length) inside one RAM (type 1) entry?"""
    return any(e.type == 1 and e.addr <= start and start + length <= e.addr + e.size
               for e in memmap)


def parse_size(mem):
    """'512M' / '6G' / 1024 (MiB) -> bytes."""
    s = str(mem).upper()
    units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}
    if s[-1] in units:
        return int(float(s[:-1]) * units[s[-1]])
    return int(s) << 20


# ---------------------------------------------------------------------------
# When the ROM steps aside or refuses: SeaBIOS goes on to its boot devices

NO_BOOT = "No bootable device."  # SeaBIOS, once it has tried them all


def run_until_no_boot(**kwargs):
    """run_qemu() (the same arguments) with no NIC, until SeaBIOS says that
    nothing is bootable: QEMU is killed then (it would wait and retry)."""
    return run_qemu(nic=False, wait_for=NO_BOOT, timeout=30, allow_timeout=True,
                    **kwargs)


def assert_refused(res, want):
    """The ROM refused the boot with the line want: that line once on the
    debug port and once, through INT 10h, on serial, and no other "pvh:"
    output; the guest not entered; SeaBIOS booting on after it, to say at
    last that nothing is bootable (a run_until_no_boot() result)."""
    why = res.describe()
    assert REPORT_BEGIN not in res.debug_log, "the guest was entered" + why
    assert res.debug_pvh_lines == [want], why
    assert res.serial_pvh_lines == [want], "not shown through INT 10h" + why
    # Once (the boot entry SeaBIOS tries later does not repeat it), and no
    # partial or garbled output.
    assert [ln for ln in res.debug_log.splitlines() if "pvh:" in ln] == [want], why
    assert res.serial.count(want) == 1, "printed more than once on serial" + why
    assert want + "\r\n" in res.debug_log, "the line does not end in CR LF" + why
    first = res.debug_log.find(want)
    assert "Booting from " in res.debug_log[first:], \
        "SeaBIOS booted nothing after the message" + why
    assert res.found == NO_BOOT, "SeaBIOS did not go on to say so" + why


# ---------------------------------------------------------------------------
# A bootable disk for the boot-order tests

DISK_MARKER = "DISKBOOT"
EXIT_DISK_BOOT = 65     # the marker disk's boot sector wrote 0x20 to 0xf4


def marker_boot_sector(marker=DISK_MARKER):
    """A 512-byte MBR boot sector (real mode, loaded at 0:7c00) that writes
    marker + "\\n" to the debug port 0x402 and exits QEMU through
    isa-debug-exit with status EXIT_DISK_BOOT (halting if that device is
    absent)."""
    text = marker.encode() + b"\n\0"
    code = bytearray()
    code += b"\x31\xc0"                 # xor ax, ax
    code += b"\x8e\xd8"                 # mov ds, ax
    code += b"\xfc"                     # cld
    msg_fixup = len(code) + 1
    code += b"\xbe\x00\x00"             # mov si, <text>  (patched below)
    code += b"\xba\x02\x04"             # mov dx, 0x402
    code += b"\xac"                     # next: lodsb
    code += b"\x84\xc0"                 #       test al, al
    code += b"\x74\x03"                 #       jz done
    code += b"\xee"                     #       out dx, al
    code += b"\xeb\xf8"                 #       jmp next
    code += b"\xba\xf4\x00"             # done: mov dx, 0xf4
    code += b"\x66\xb8" + ((EXIT_DISK_BOOT - 1) // 2).to_bytes(4, "little")
    #                                     mov eax, 0x20
    code += b"\x66\xef"                 #       out dx, eax
    code += b"\xf4"                     # halt: hlt
    code += b"\xeb\xfd"                 #       jmp halt
    code[msg_fixup:msg_fixup + 2] = (0x7C00 + len(code)).to_bytes(2, "little")
    sector = bytes(code) + text
    assert len(sector) <= 446, "boot sector code runs into the partition table"
    return sector + bytes(510 - len(sector)) + b"\x55\xaa"


def make_disk(path, boot_sector, size=1 << 20, data=b""):
    """A raw disk image at path: boot_sector (512 bytes), data from the
    next sector on, then zeros."""
    assert len(boot_sector) == 512 and 512 + len(data) <= size
    path = Path(path)
    path.write_bytes(boot_sector + data + bytes(size - 512 - len(data)))
    return path


def make_marker_disk(path, marker=DISK_MARKER, size=1 << 20):
    """A raw disk image at path whose boot sector is marker_boot_sector()."""
    return make_disk(path, marker_boot_sector(marker), size)


def assert_disk_booted(res):
    """The marker disk booted (see marker_boot_sector), the PVH kernel did not."""
    why = res.describe()
    assert res.returncode == EXIT_DISK_BOOT, "the disk did not boot" + why
    assert DISK_MARKER in res.debug_log, why
    assert REPORT_BEGIN not in res.debug_log, "the PVH kernel was entered" + why


def run_sector_then_rom(tmp_path, sector, disk_data=b"", extra=(), **kwargs):
    """run_qemu() (the same arguments) with no NIC, a disk whose boot
    sector is sector (and disk_data after it), which SeaBIOS boots first
    (bootindex 0), and the ROM by -option-rom after it (bootindex 1): for
    boot sectors that set the machine up in some way and then call the
    ROM's boot entry themselves."""
    assert ROM.is_file(), f"{ROM} is missing: run `make` first"
    disk = make_disk(Path(tmp_path) / "sector.img", sector, data=disk_data)
    return run_qemu(rom=None, option_rom=ROM, bootindex=1, nic=False,
                    extra=disk_args(disk, 0) + list(extra), **kwargs)


def disk_args(path, bootindex=None, ident="pvhdisk"):
    """QEMU arguments attaching the raw image at path as a virtio-blk disk
    (on q35 and pc alike), with a bootindex if given."""
    dev = f"virtio-blk-pci,drive={ident}"
    if bootindex is not None:
        dev += f",bootindex={bootindex}"
    return ["-drive", f"file={_fw_cfg_escape(str(path))},format=raw,if=none,id={ident}",
            "-device", dev]


def nic_args(model="e1000", bootindex=None, ident="pvhnet"):
    """QEMU arguments for a NIC with its own iPXE boot ROM (user networking;
    use with nic=False so that QEMU adds no default NIC)."""
    dev = f"{model},netdev={ident}"
    if bootindex is not None:
        dev += f",bootindex={bootindex}"
    return ["-netdev", f"user,id={ident}", "-device", dev]


# ---------------------------------------------------------------------------
# How the firmware read fw_cfg items, from QEMU's trace

def fw_cfg_trace_args(path, reads=True):
    """QEMU arguments logging fw_cfg file additions, item selections (DMA
    ones included) and, if reads, data-port reads (one line per byte) to
    the file at path."""
    args = ["-trace", "fw_cfg_select", "-trace", "fw_cfg_add_file"]
    if reads:
        args += ["-trace", "fw_cfg_read"]
    return args + ["-D", str(path)]


_ADD_FILE = re.compile(r"fw_cfg_add_file \S+ #\d+: (\S+) \(\d+ bytes\)")
_TRACE_EVENT = re.compile(r"fw_cfg_(select|read) \S+ (?:key 0x([0-9a-f]+))?")

FwCfgUse = namedtuple("FwCfgUse", "selects pio_bytes")


def fw_cfg_file_use(trace):
    """{file name: FwCfgUse(times its item was selected, bytes read from it
    through the data port)} from a trace written with fw_cfg_trace_args().
    DMA transfers count as selections only.  QEMU numbers the files 0x20,
    0x21, ... in name order (for the machine types tested here; only
    pc-i440fx-2.4 and older keep insertion order)."""
    names = _ADD_FILE.findall(trace)
    assert names, "no fw_cfg_add_file events in the trace"
    assert len(names) == len(set(names)), f"a file was added twice: {names}"
    name_of = {0x20 + i: name for i, name in enumerate(sorted(names))}
    selects = dict.fromkeys(names, 0)
    reads = dict.fromkeys(names, 0)
    current = None
    for m in _TRACE_EVENT.finditer(trace):
        if m.group(1) == "select":
            current = name_of.get(int(m.group(2), 16))
            if current:
                selects[current] += 1
        elif current:
            reads[current] += 1
    return {n: FwCfgUse(selects[n], reads[n]) for n in names}
