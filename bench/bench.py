#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""`make bench`: pvh.bin side by side with QEMU's installed pvh.bin.

    bench/bench.py [--pairs N] [--accel tcg|kvm] [--initrd-mib 0,16,64,256]
                   [--no-linux] [--no-plot] [--out bench/results.md]
                   [--probe-rom PROBE] [--dropin-probe-rom DROPIN_PROBE]
    bench/bench.py --smoke      one pair of every kind, tiny sizes, results
                                and plot in build/bench/smoke/ (make check)

How time is taken.  QEMU's debug console (port 0x402) and, for Linux, its
serial port are UDP chardevs sending to a socket of this script on
127.0.0.1: one datagram per byte, sent synchronously from the vCPU thread
when the guest executes its OUT.  The kernel stamps each datagram as the
send queues it (SO_TIMESTAMPNS), so a stamp does not depend on when this
script gets to read it; "QEMU start" is the same clock (CLOCK_REALTIME)
read just before the fork.  Lost datagrams (SO_RXQ_OVFL) fail the run.
A file chardev has no timestamps at all.  A stream socket stamped by a
reader thread was tried first: most stamps agreed with QEMU's own trace
timestamps to a few microseconds, but whenever the reader was descheduled
they came milliseconds late.

The kernels (bench/benchelf.py) enter at a stub that writes "PVHBENCH" to
port 0x402 as its first instruction and exits QEMU: the first marker byte
is kernel entry.  SeaBIOS's log on the same port supplies the other end:
"Booting from ROM...", then "Booting from XXXX:YYYY", its last line
before it far-calls a ROM's boot entry (the first line also goes to the
screen, through the VGA BIOS, which takes a while: the ROM phase starts
after the second), and the end of its "e820 map has N items" dump (POST is
over; INT 19h follows).

Port I/O operations are counted in separate runs with QEMU's
memory_region_ops_read/write trace events, restricted to the regions of the
I/O address space (taken from `info mtree`); the debug-port bytes in the
trace locate the same markers.
"""

import argparse
import bisect
import contextlib
import json
import datetime
import os
import platform
import random
import re
import shutil
import socket
import statistics
import struct
import subprocess
import sys
import threading
import time
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(HERE))

import benchelf  # noqa: E402
from qemu import BUILD, QEMU, QEMU_DATA_DIR, die_with_parent, parse_report  # noqa: E402

MIB = 1 << 20
# The issue asks for at least 10 runs of each setup: the published
# results (bench/results*.md) never have fewer.
MIN_PUBLISHED_PAIRS = 10
QEMU_ROM = QEMU_DATA_DIR / "pvh.bin"
QEMU_ROM_SIZE_DOC = 1536          # what QEMU 7.2's pc-bios/pvh.bin occupies

MARKER = benchelf.MARKER
E820_DUMP = re.compile(rb"e820 map has (\d+) items:\n")
HANDLE19 = b"enter handle_19:"
BOOTING_ROM = b"Booting from ROM..."
# SeaBIOS's debug line right before it far-calls a boot entry (segment:offset).
BOOT_CALL = re.compile(rb"Booting from [0-9a-f]{4}:[0-9a-f]{4}\n")
# The byte the probe build of our ROM (bench/bench.mk, BENCH_PROBE_BYTE in
# optionrom/layout.h) writes to the debug port as its INT 19h hook starts.
HOOK_PROBE = b"\x01"
INIT_START = b"PVHINIT start"
INIT_DONE = b"PVHINIT done"

# Setups: how the kernel reaches the guest.
STOCK = "qemu"     # QEMU's -kernel loader + QEMU's pvh.bin
DROPIN = "ours"    # QEMU's -kernel loader + our pvh.bin (via -L)
SELF = "self"      # our pvh.bin loads the kernel itself (-option-rom, fw_cfg)
PROBE = "probe"    # as DROPIN, with the probe build of our ROM
# glibc's tunable that makes malloc ask for transparent huge pages
# (madvise(MADV_HUGEPAGE)) for its large blocks; glibc 2.35 and later.
THP_HEAP_TUNABLE = "glibc.malloc.hugetlb=1"
SETUP_LABEL = {
    STOCK: "QEMU pvh.bin (-kernel)",
    DROPIN: "our pvh.bin drop-in (-kernel)",
    SELF: "our pvh.bin self-load (fw_cfg)",
}


class BenchError(Exception):
    """A run that did not behave: the benchmark is broken, not slow."""


# ---------------------------------------------------------------------------
# Timestamped capture of a chardev

SO_TIMESTAMPNS = getattr(socket, "SO_TIMESTAMPNS", 35)
SO_RCVBUFFORCE = 33
SO_RXQ_OVFL = 40
RCVBUF = 64 << 20


class Recorder:
    """A UDP socket on 127.0.0.1 that a QEMU chardev (udp) sends to, one
    datagram per byte the guest writes.  The kernel stamps each datagram
    (SO_TIMESTAMPNS, CLOCK_REALTIME) when QEMU's send() queues it, so the
    time does not depend on when this process gets to read it; a thread
    drains the queue so that it never overflows, and SO_RXQ_OVFL reports
    any datagram the kernel dropped all the same."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            self.sock.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, RCVBUF)
        except OSError:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, RCVBUF)
        self.sock.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
        self.sock.setsockopt(socket.SOL_SOCKET, SO_RXQ_OVFL, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.settimeout(0.02)
        self.port = self.sock.getsockname()[1]
        self.chunks, self.dropped, self.unstamped = [], 0, 0
        self.thread = None

    def start(self):
        self.chunks, self.dropped, self.unstamped = [], 0, 0
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while True:
            try:
                data, anc, _, _ = self.sock.recvmsg(1 << 16, 256)
            except socket.timeout:
                if self._stop.is_set():
                    return      # the sender has exited and the queue is empty
                continue
            ts = None
            for level, kind, payload in anc:
                if level != socket.SOL_SOCKET:
                    continue
                if kind == SO_TIMESTAMPNS:
                    sec, nsec = struct.unpack("qq", payload[:16])
                    ts = sec * 1_000_000_000 + nsec
                elif kind == SO_RXQ_OVFL:
                    self.dropped = struct.unpack("I", payload[:4])[0]
            if ts is None:
                self.unstamped += 1
                ts = time.time_ns()
            self.chunks.append((ts, data))

    def stop(self):
        """Call once the sender has exited: drains what is queued."""
        self._stop.set()
        self.thread.join()

    def close(self):
        self.sock.close()


class Timeline:
    """The bytes of one chardev and the time (ms after QEMU start) each
    arrived."""

    def __init__(self, chunks, t0_ns):
        self.data = b"".join(c for _, c in chunks)
        self.ends = []
        n = 0
        for _, c in chunks:
            n += len(c)
            self.ends.append(n)
        self.times = [(t - t0_ns) / 1e6 for t, _ in chunks]

    def at(self, index):
        """Arrival time (ms) of the byte at index."""
        return self.times[bisect.bisect_right(self.ends, index)]

    def text(self):
        return self.data.decode("latin-1")


def find_markers(data):
    """Byte indexes of the phase markers in a debug-port byte stream:
    post_end (last byte of SeaBIOS's e820 dump), handle19 (first byte of
    "enter handle_19:"), boot_rom (the newline after "Booting from ROM..."),
    boot_call (the newline after the "Booting from XXXX:YYYY" that follows:
    SeaBIOS then calls the ROM's boot entry), hook (the probe build's byte
    at the start of its INT 19h hook), entry (first byte of the kernel's
    marker).  Absent ones are None."""
    m = {"post_end": None, "handle19": None, "boot_rom": None, "boot_call": None,
         "hook": None, "entry": None}
    entry = data.find(MARKER)
    limit = entry if entry >= 0 else len(data)
    if entry >= 0:
        m["entry"] = entry
    dumps = [d for d in E820_DUMP.finditer(data, 0, limit)]
    if not dumps:
        return m
    d = dumps[-1]
    pos = d.end()
    for _ in range(int(d.group(1))):
        nl = data.find(b"\n", pos, limit)
        if nl < 0:
            return m
        pos = nl + 1
    m["post_end"] = pos - 1
    h = data.find(HANDLE19, pos, limit)
    if h >= 0:
        m["handle19"] = h
    h = data.find(HOOK_PROBE, pos, limit)
    if h >= 0:
        m["hook"] = h
    b = data.find(BOOTING_ROM, pos, limit)
    if b >= 0:
        nl = data.find(b"\n", b, limit)
        m["boot_rom"] = nl if nl >= 0 else b + len(BOOTING_ROM) - 1
        c = BOOT_CALL.search(data, b + len(BOOTING_ROM), limit)
        if c:
            m["boot_call"] = c.end() - 1
    return m


# ---------------------------------------------------------------------------
# QEMU command lines

class Env:
    """Paths and options shared by every run."""

    def __init__(self, args):
        self.accel = args.accel
        self.work = Path(args.workdir)
        self.work.mkdir(parents=True, exist_ok=True)
        self.rom = Path(args.rom).resolve()
        self.rom_dir = self._rom_dir(self.rom, "romdir")
        probe = getattr(args, "probe_rom", None)
        self.probe_rom = Path(probe).resolve() if probe else None
        self.probe_dir = self._rom_dir(self.probe_rom, "probedir") if probe else None
        self.debug_rec = Recorder()
        self.serial_rec = Recorder()
        self.timeout = args.timeout
        self.verbose = args.verbose
        self.idle_wait = getattr(args, "idle_wait", 0)
        self.waited = 0.0       # seconds spent waiting for other QEMUs to end
        self.waited_runs = 0
        self.contended = 0      # timed runs that ended with another QEMU running
        self.runs = 0

    def _rom_dir(self, rom, name):
        """A directory for -L that holds rom under the name pvh.bin."""
        if rom.name == "pvh.bin":
            return rom.parent
        d = self.work / name
        d.mkdir(exist_ok=True)
        shutil.copyfile(rom, d / "pvh.bin")
        return d

    @contextlib.contextmanager
    def probing(self, rom, name):
        """Meanwhile, the PROBE setup runs rom (another probe build)."""
        saved = self.probe_rom, self.probe_dir
        self.probe_rom = Path(rom).resolve()
        self.probe_dir = self._rom_dir(self.probe_rom, name)
        try:
            yield
        finally:
            self.probe_rom, self.probe_dir = saved

    def cleanup(self):
        self.debug_rec.close()
        self.serial_rec.close()


def qemu_cmd(env, setup, kernel, initrd=None, append=None, mem="1G",
             debug="socket", serial=None, extra=()):
    """debug: "socket" (UDP to env.debug_rec) or "null"; serial: None (no
    serial port) or "socket" (UDP to env.serial_rec)."""
    cmd = [QEMU, "-machine", "q35", "-accel", env.accel, "-m", mem, "-smp", "1",
           "-nographic", "-monitor", "none", "-no-reboot", "-nic", "none",
           "-device", "isa-debug-exit,iobase=0xf4,iosize=4",
           "-device", "isa-debugcon,iobase=0x402,chardev=dbg"]
    if debug == "socket":
        cmd += ["-chardev", f"udp,id=dbg,host=127.0.0.1,port={env.debug_rec.port}"]
    else:
        cmd += ["-chardev", "null,id=dbg"]
    if serial == "socket":
        cmd += ["-chardev", f"udp,id=ser,host=127.0.0.1,port={env.serial_rec.port}",
                "-serial", "chardev:ser"]
    else:
        cmd += ["-serial", "none"]
    if setup == STOCK:
        cmd += ["-L", str(QEMU_DATA_DIR), "-kernel", str(kernel)]
        if initrd:
            cmd += ["-initrd", str(initrd)]
        if append is not None:
            cmd += ["-append", append]
    elif setup in (DROPIN, PROBE):
        rom_dir = env.rom_dir if setup == DROPIN else env.probe_dir
        cmd += ["-L", str(rom_dir), "-L", str(QEMU_DATA_DIR), "-kernel", str(kernel)]
        if initrd:
            cmd += ["-initrd", str(initrd)]
        if append is not None:
            cmd += ["-append", append]
    elif setup == SELF:
        cmd += ["-L", str(QEMU_DATA_DIR), "-option-rom", str(env.rom),
                "-fw_cfg", f"name=opt/pvh/kernel,file={kernel}"]
        if initrd:
            cmd += ["-fw_cfg", f"name=opt/pvh/initrd,file={initrd}"]
        if append is not None:
            cmd += ["-fw_cfg", "name=opt/pvh/cmdline,string=" + append.replace(",", ",,")]
    else:
        raise ValueError(setup)
    return cmd + list(extra)


class Run:
    """One timed boot: timelines of the debug port and the serial port."""

    def __init__(self, cmd, rc, t0, debug, serial, stderr, wall):
        self.cmd, self.rc, self.stderr, self.wall = cmd, rc, stderr, wall
        self.debug = Timeline(debug, t0)
        self.serial = Timeline(serial, t0) if serial is not None else None
        self.marks = find_markers(self.debug.data)

    def t(self, name):
        """ms after QEMU start at which marker name arrived, or None."""
        i = self.marks.get(name)
        return None if i is None else self.debug.at(i)

    def serial_t(self, needle):
        i = self.serial.data.find(needle) if self.serial else -1
        return None if i < 0 else self.serial.at(i)

    def explain(self):
        def tail(b, n=15):
            return "\n".join(b.decode("latin-1").splitlines()[-n:])
        out = (f"\n  command: {' '.join(self.cmd)}\n  exit status {self.rc}, "
               f"{self.wall:.2f} s\n  stderr: {self.stderr.strip()[-500:]}\n"
               f"  debug port (tail):\n{tail(self.debug.data)}")
        if self.serial:
            out += f"\n  serial (tail):\n{tail(self.serial.data)}"
        return out


def other_qemus():
    """PIDs of QEMU processes running on this machine (other people's tests
    compete for the same two cores and make timings meaningless)."""
    pids = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/comm") as f:
                if f.read().startswith("qemu-system"):
                    pids.append(int(d))
        except OSError:
            pass
    return pids


def wait_idle(env):
    """Waits (up to env.idle_wait seconds in all) until no other QEMU runs."""
    if not env.idle_wait:
        return
    t = time.monotonic()
    while other_qemus() and env.waited < env.idle_wait:
        time.sleep(0.2)
        env.waited += 0.2
    env.waited_runs += time.monotonic() - t > 0.1


def timed_run(env, cmd, want_serial=False, timeout=None, environ=None):
    """Runs QEMU once (in environ, or this script's environment); times are
    ms after the CLOCK_REALTIME reading taken just before the fork (the
    clock of the kernel's datagram stamps)."""
    timeout = timeout or env.timeout
    recs = [env.debug_rec] + ([env.serial_rec] if want_serial else [])
    wait_idle(env)
    for r in recs:
        r.start()
    try:
        t0 = time.time_ns()
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, env=environ,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                preexec_fn=die_with_parent)
        try:
            _, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            raise BenchError(f"QEMU did not finish within {timeout} s: {' '.join(cmd)}")
        wall = (time.time_ns() - t0) / 1e9
        if other_qemus():
            env.contended += 1
        env.runs += 1
    finally:
        for r in recs:
            r.stop()
    for r in recs:
        if r.dropped or r.unstamped:
            raise BenchError(f"the capture socket lost {r.dropped} datagrams or got "
                             f"{r.unstamped} without a kernel timestamp: {' '.join(cmd)}")
    run = Run(cmd, proc.returncode, t0, env.debug_rec.chunks,
              env.serial_rec.chunks if want_serial else None,
              err.decode("utf-8", "replace"), wall)
    if b"\npvh:" in run.debug.data or run.debug.data.startswith(b"pvh:"):
        raise BenchError("the ROM reported an error" + run.explain())
    return run


def stub_run(env, setup, kernel, initrd=None, append=None, mem="1G", environ=None):
    """A boot of a stub kernel: must reach the marker and exit with 33."""
    run = timed_run(env, qemu_cmd(env, setup, kernel, initrd, append, mem),
                    environ=environ)
    if run.rc != 33 or run.marks["entry"] is None:
        raise BenchError(f"{setup}: the kernel's entry marker was not seen" + run.explain())
    if run.marks["post_end"] is None:
        raise BenchError(f"{setup}: SeaBIOS's e820 dump was not seen" + run.explain())
    if setup == STOCK and run.marks["boot_call"] is None:
        raise BenchError(f"{setup}: no 'Booting from ROM' and 'Booting from XXXX:YYYY' "
                         "before entry" + run.explain())
    if setup == PROBE and run.marks["hook"] is None:
        raise BenchError(f"{setup}: the probe byte was not seen before entry" + run.explain())
    return run


def thp_heap_environ():
    """This environment with glibc's huge-page tunable added for QEMU."""
    environ = dict(os.environ)
    tun = environ.get("GLIBC_TUNABLES")
    environ["GLIBC_TUNABLES"] = f"{tun}:{THP_HEAP_TUNABLE}" if tun else THP_HEAP_TUNABLE
    return environ


def linux_run(env, setup, kernel, initrd, append):
    run = timed_run(env, qemu_cmd(env, setup, kernel, initrd, append, mem="512M",
                                  serial="socket"),
                    want_serial=True, timeout=max(env.timeout, 180))
    if run.serial_t(INIT_DONE) is None:
        raise BenchError(f"{setup}: Linux did not reach the test init" + run.explain())
    return run


# ---------------------------------------------------------------------------
# Statistics

def median(v):
    return statistics.median(v) if v else float("nan")


def linfit(xs, ys):
    """Least squares y = a + b x: (a, b)."""
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    if sxx == 0:
        return my, 0.0
    b = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx
    return my - b * mx, b


def fmt_ms(v):
    if v is None or v != v:
        return "n/a"
    return f"{v:.2f}" if v < 100 else f"{v:.1f}"


def spread(v):
    """median (min-max) as text."""
    if not v:
        return "n/a"
    return f"{fmt_ms(median(v))} ({fmt_ms(min(v))}-{fmt_ms(max(v))})"


def ratio_text(a, b):
    """Median of the per-pair ratios a[i]/b[i], with their range."""
    r = [x / y for x, y in zip(a, b) if y]
    if not r:
        return "n/a", float("nan")
    return f"{median(r):.2f} ({min(r):.2f}-{max(r):.2f})", median(r)


# ---------------------------------------------------------------------------
# Inputs

def make_blob(path, size):
    """A file of SIZE bytes: a fixed pseudo-random MiB, repeated."""
    path = Path(path)
    if path.is_file() and path.stat().st_size == size:
        return path
    block = random.Random(0x50564842).randbytes(MIB)
    tmp = path.with_suffix(".tmp")
    with open(tmp, "wb") as f:
        left = size
        while left:
            n = min(left, len(block))
            f.write(block[:n])
            left -= n
    os.replace(tmp, path)
    return path


def io_region_names(env):
    """Names of the memory regions in QEMU's I/O address space (q35)."""
    cmd = [QEMU, "-machine", "q35", "-accel", env.accel, "-m", "1G", "-S",
           "-nographic", "-monitor", "stdio", "-serial", "none", "-nic", "none",
           "-device", "isa-debug-exit,iobase=0xf4,iosize=4",
           "-chardev", "null,id=dbg", "-device", "isa-debugcon,iobase=0x402,chardev=dbg",
           "-L", str(QEMU_DATA_DIR)]
    out = subprocess.run(cmd, input=b"info mtree\nquit\n", stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, timeout=60).stdout.decode("latin-1")
    names = set()
    in_io = False
    for line in out.splitlines():
        if line.startswith("address-space:"):
            in_io = line.strip() == "address-space: I/O"
            continue
        if in_io:
            m = re.search(r"\): (\S+)", line)
            if m:
                names.add(m.group(1))
    if "fwcfg" not in names or "isa-debugcon" not in names:
        raise BenchError("could not read QEMU's I/O address space from `info mtree`:\n"
                         + out[-2000:])
    return names


TRACE_LINE = re.compile(r"memory_region_ops_(read|write) cpu (-?\d+) mr \S+ addr (0x[0-9a-f]+) "
                        r"value (0x[0-9a-f]+) size (\d+) name '([^']*)'")


def trace_counts(env, setup, kernel, initrd, io_names):
    """One traced boot: {window: {region: ops}} for the port I/O in the
    windows between the markers, plus MMIO totals."""
    tfile = env.work / f"trace-{setup}.log"
    if tfile.exists():
        tfile.unlink()
    cmd = qemu_cmd(env, setup, kernel, initrd, debug="null",
                   extra=["-trace", "memory_region_ops_read",
                          "-trace", "memory_region_ops_write", "-D", str(tfile)])
    p = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, timeout=max(env.timeout, 300))
    if p.returncode != 33:
        raise BenchError(f"traced run exited with {p.returncode}: {' '.join(cmd)}\n"
                         + p.stderr.decode(errors="replace")[-1000:])
    ops = []       # (kind, region) of each guest CPU access
    text = bytearray()
    text_op = []   # op index of each debug-port byte
    with open(tfile, errors="replace") as f:
        for line in f:
            m = TRACE_LINE.search(line)
            if not m or int(m.group(2)) < 0:
                continue    # not a vCPU access (device DMA, MSI)
            name = m.group(6)
            if name == "isa-debugcon" and m.group(1) == "write":
                text.append(int(m.group(4), 16) & 0xFF)
                text_op.append(len(ops))
            ops.append(("io" if name in io_names else "mmio", name))
    if not env.verbose:
        tfile.unlink()
    marks = find_markers(bytes(text))
    if marks["entry"] is None or marks["post_end"] is None:
        raise BenchError("markers not found in the trace of: " + " ".join(cmd))

    def window(a, b):
        if a is None or b is None:
            return None
        lo, hi = text_op[a] + 1, text_op[b]     # strictly between the markers
        counts = {}
        for kind, name in ops[lo:hi]:
            key = name if kind == "io" else "(mmio)"
            counts[key] = counts.get(key, 0) + 1
        return counts

    # The ROM phase as section 1 times it: from the probe build's byte at
    # the start of its INT 19h hook, or from SeaBIOS's last line before it
    # calls a ROM's boot entry.
    start = marks["hook"] if marks["hook"] is not None else marks["boot_call"]
    return {
        "rom_phase": window(start, marks["entry"]),
        "after_post": window(marks["post_end"], marks["entry"]),
    }


def io_total(counts, with_debugcon=False):
    if counts is None:
        return None
    return sum(v for k, v in counts.items()
               if k != "(mmio)" and (with_debugcon or k != "isa-debugcon"))


def fewer(pairs):
    """Whether ours (the first of each pair of counts) is below QEMU's in
    every pair; never when a count is missing (a marker not found)."""
    return all(o is not None and q is not None and o < q for o, q in pairs)


def io_fw_cfg(counts):
    """The operations on fw_cfg's ports (the selector and data ports, the
    DMA address register): in the ROM phase the only device either ROM
    uses, so the ROM's own operations, where the window's total also has
    SeaBIOS's."""
    if counts is None:
        return None
    return sum(v for k, v in counts.items() if k.startswith("fwcfg"))


def validate_with_guest(env, setup, initrd, size):
    """One boot of the test guest (tests/guests) with the same initrd: the
    initrd must arrive whole (module 0, exact size, CRC-32)."""
    guest = BUILD / "guests" / "guest64.elf"
    if not guest.is_file():
        raise BenchError(f"{guest} is missing (make)")
    cmd = qemu_cmd(env, setup, guest, initrd, debug="socket")
    # Always under TCG: the guest's CRC-32 of a 256 MiB initrd takes seconds
    # there but can take many minutes under a software KVM (PVM).
    cmd[cmd.index("-accel") + 1] = "tcg"
    run = timed_run(env, cmd, timeout=max(env.timeout, 300))
    rep = parse_report(run.debug.text())
    if run.rc != 33 or rep is None or not rep.complete:
        raise BenchError(f"{setup}: the test guest did not complete its report" + run.explain())
    mods = rep.modules
    if size == 0:
        if mods:
            raise BenchError(f"{setup}: a module was handed over without an initrd")
        return
    data = Path(initrd).read_bytes()
    if len(mods) != 1 or mods[0].size != size or mods[0].crc32 != zlib.crc32(data):
        raise BenchError(f"{setup}: the initrd of {size} bytes did not arrive intact: {mods}")


# ---------------------------------------------------------------------------
# The benchmark

def log(msg):
    print(msg, flush=True)


def memcpy_bandwidth(binary, mib, file=None):
    """bench/memcpy-bw's numbers: memcpy and memset into touched and fresh
    memory; with a file, instead the copies from where QEMU holds a file's
    data (a mapping; a heap block as malloc leaves it)."""
    out = subprocess.run([str(binary), str(mib), "5"] + ([str(file)] if file else []),
                         stdout=subprocess.PIPE, check=True, timeout=300).stdout.decode()
    return {k: float(v) for k, v in (l.split("=") for l in out.split())}


def machine_info():
    model = "unknown"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        for line in open("/proc/meminfo"):
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    qv = subprocess.run([QEMU, "--version"], stdout=subprocess.PIPE).stdout.decode().splitlines()[0]
    try:
        thp = Path("/sys/kernel/mm/transparent_hugepage/enabled").read_text().strip()
    except OSError:
        thp = "unknown"
    return {"cpu": model, "cores": os.cpu_count(), "kernel": platform.release(),
            "mem": mem, "qemu": qv, "thp": thp}


def git_rev():
    try:
        rev = subprocess.run(["git", "-C", str(REPO), "describe", "--always", "--dirty"],
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                             timeout=10).stdout.decode().strip()
        return rev or "unknown"
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"


def rotated(setups, i):
    """The setups of round i, each round starting one further along: whichever
    runs first in a round is a little slower (about 2 ms of 90 with a 256 MiB
    initrd, measured), so every setup takes every place as often as the
    number of rounds allows."""
    k = i % len(setups)
    return setups[k:] + setups[:k]


def probe_phase_pairs(env, kernel, pairs):
    """The ROM phase with no initrd (ms), env's probe build against QEMU's
    ROM, pairs rounds: {PROBE: [...], STOCK: [...]}, in round order."""
    times = {PROBE: [], STOCK: []}
    for i in range(pairs):
        for setup in rotated((PROBE, STOCK), i):
            times[setup].append(phase_of(stub_run(env, setup, kernel), setup))
    return times


def bench(args):
    env = Env(args)
    res = {"args": args, "machine": machine_info(), "rev": git_rev(),
           "date": datetime.datetime.now().strftime("%Y-%m-%d %H:%M")}
    try:
        return _bench(env, args, res)
    finally:
        env.cleanup()


def _bench(env, args, res):
    work = env.work
    pairs = args.pairs

    with open("/proc/loadavg") as f:
        res["loadavg_start"] = f.read().split()[:3]
    log(f"bench: memcpy bandwidth ({args.memcpy_mib} MiB)")
    res["memcpy_before"] = memcpy_bandwidth(args.memcpy_bin, args.memcpy_mib)

    # Kernels with a visible entry.
    entry_elf = work / "entry.elf"
    benchelf.write_entry(str(entry_elf))
    bss_elf = work / f"bss-{args.bss_data}M-{args.bss_mib}M.elf"
    benchelf.write_bss(str(bss_elf), args.bss_data, args.bss_mib)
    kernels = [("tiny (one page)", entry_elf), (f"synthetic: {args.bss_data} MiB data "
                                                f"+ {args.bss_mib} MiB bss", bss_elf)]
    vmlinux = Path(args.vmlinux)
    if vmlinux.is_file():
        stub_vmlinux = work / "vmlinux-stub.elf"
        if (not stub_vmlinux.exists()
                or stub_vmlinux.stat().st_mtime < vmlinux.stat().st_mtime):
            benchelf.write_patch(str(vmlinux), str(stub_vmlinux))
        kernels.append((f"Debian vmlinux ({vmlinux.stat().st_size / 1e6:.0f} MB), "
                        "entry patched to the stub", stub_vmlinux))
    res["kernels"] = [(name, path.stat().st_size, load_bytes(path)) for name, path in kernels]

    # 1. ROM phase against initrd size, drop-in, A B A B.
    sizes = args.initrd_mib
    initrds = {s: (make_blob(work / f"initrd-{s}M.bin", s * MIB) if s else None)
               for s in sizes}
    log("bench: checking that every initrd arrives intact (test guest, once each)")
    for s in sizes:
        for setup in (DROPIN, STOCK):
            validate_with_guest(env, setup, initrds[s], s * MIB)
    validate_with_guest(env, SELF, initrds[sizes[-1]], sizes[-1] * MIB)

    # Ours runs as its probe build when there is one (the phase is then timed
    # from the hook's first instructions); the runs are filed as ours.
    ours = PROBE if env.probe_rom else DROPIN
    res["probe"] = env.probe_rom is not None
    phase = {}
    for s in sizes:
        log(f"bench: ROM phase, initrd {s} MiB, {pairs} pairs")
        runs = {ours: [], STOCK: []}
        for i in range(pairs):
            for setup in rotated((ours, STOCK), i):
                runs[setup].append(stub_run(env, setup, entry_elf, initrds[s]))
        phase[s] = {DROPIN: runs[ours], STOCK: runs[STOCK]}
    res["phase"] = phase
    # The same with no initrd for the drop-in-only build (ROM_SELFLOAD=0),
    # in pairs of its own, through its probe build.
    if args.dropin_probe_rom:
        log(f"bench: ROM phase of the drop-in-only build, no initrd, {pairs} pairs")
        with env.probing(args.dropin_probe_rom, "dropinprobedir"):
            times = probe_phase_pairs(env, entry_elf, pairs)
        res["dropin_phase"] = {DROPIN: times[PROBE], STOCK: times[STOCK]}

    # 2. Port I/O operations in the same windows (ours through its probe
    # build, when there is one, so that its ROM phase has a start).
    log("bench: port I/O operations (traced runs)")
    io_names = io_region_names(env)
    ours = PROBE if env.probe_dir else DROPIN
    res["io"] = {s: {DROPIN: trace_counts(env, ours, entry_elf, initrds[s], io_names),
                     STOCK: trace_counts(env, STOCK, entry_elf, initrds[s], io_names)}
                 for s in (sizes[0], sizes[-1])}
    res["io_self"] = trace_counts(env, SELF, entry_elf, None, io_names)

    # 3/4. QEMU start to kernel entry, three setups, rotated.
    entry = {}
    for name, path in kernels:
        log(f"bench: QEMU start to entry, {name}, {pairs} rounds")
        runs = {STOCK: [], DROPIN: [], SELF: []}
        for i in range(pairs):
            for setup in rotated((STOCK, DROPIN, SELF), i):
                runs[setup].append(stub_run(env, setup, path))
        entry[name] = runs
    res["entry"] = entry

    # 3b. The kernels that move data again, -kernel against self-load, with
    # QEMU's heap on huge pages: -fw_cfg file= reads the file into a heap
    # block, which glibc backs with 4 KiB pages unless asked otherwise.
    heap, environ = {}, thp_heap_environ()
    for name, path in kernels[1:]:
        log(f"bench: QEMU start to entry, {name}, heap on huge pages, {pairs} rounds")
        runs = {STOCK: [], SELF: []}
        for i in range(pairs):
            for setup in rotated((STOCK, SELF), i):
                runs[setup].append(stub_run(env, setup, path, environ=environ))
        heap[name] = runs
    res["entry_thp"] = heap

    if args.linux:
        rd = Path(args.linux_initrd)
        append = "console=ttyS0 panic=-1 quiet"
        log(f"bench: Debian kernel to its test init, {pairs} rounds")
        runs = {STOCK: [], DROPIN: [], SELF: []}
        try:
            for i in range(pairs):
                for setup in rotated((STOCK, DROPIN, SELF), i):
                    runs[setup].append(linux_run(env, setup, vmlinux, rd, append))
            res["linux"] = runs
        except BenchError as e:
            if args.accel == "tcg":
                raise
            # Under another accelerator Linux may not boot at all here (a
            # nested or software KVM): say so instead of losing the rest.
            res["linux_failed"] = str(e).splitlines()[0]
            log(f"bench: Linux section skipped: {res['linux_failed']}")
        res["linux_append"] = append

    res["memcpy_after"] = memcpy_bandwidth(args.memcpy_bin, args.memcpy_mib)
    # The same copies from where QEMU holds the data: the largest initrd
    # (mapped by -initrd) and each kernel without bss that moves data (read
    # into a heap block by -fw_cfg file=).
    log("bench: copies from mapped files and heap blocks")
    res["source_bw"] = {}
    if initrds[sizes[-1]]:
        res["source_bw"]["initrd"] = memcpy_bandwidth(args.memcpy_bin, args.memcpy_mib,
                                                      initrds[sizes[-1]])
    for name, path in kernels[1:]:
        if load_bytes(path)[1] == 0:
            res["source_bw"][name] = memcpy_bandwidth(args.memcpy_bin, args.memcpy_mib, path)
    res["rom_size"] = env.rom.stat().st_size
    # The drop-in-only build beside it (make: BUILD/dropin/pvh.bin), if any.
    dropin = env.rom.parent / "dropin" / "pvh.bin"
    res["dropin_rom"] = (str(dropin), dropin.stat().st_size) if dropin.is_file() else None
    res["qemu_rom_size"] = QEMU_ROM.stat().st_size
    res["seabios"] = seabios_version(phase[sizes[0]][STOCK][0])
    res["contention"] = (env.runs, env.contended, env.waited_runs, env.waited)
    with open("/proc/loadavg") as f:
        res["loadavg_end"] = f.read().split()[:3]
    return res


def seabios_version(run):
    m = re.search(rb"SeaBIOS \(version ([^)]*)\)", run.debug.data)
    return m.group(1).decode() if m else "unknown"


def load_bytes(path):
    """(file bytes loaded, bss bytes zeroed) of the PT_LOAD segments."""
    data = Path(path).read_bytes()
    _, phdrs = benchelf.find_pvh_entry(data)
    filesz = sum(p[3] for p in phdrs if p[0] == 1)
    memsz = sum(p[4] for p in phdrs if p[0] == 1)
    return filesz, memsz - filesz


# ---------------------------------------------------------------------------
# Report

def phase_of(run, setup):
    """The ROM phase of one run (ms): from SeaBIOS's "Booting from
    XXXX:YYYY" after "Booting from ROM..." (it then calls the ROM's boot
    entry) to kernel entry; for the probe build, from its byte at the start
    of its INT 19h hook; for a ROM that takes the boot in its INT 19h hook
    without a probe (self-load, and any boot without those markers), from
    the end of POST."""
    if setup != SELF and run.t("hook") is not None:
        return run.t("entry") - run.t("hook")
    if setup != SELF and run.t("boot_call") is not None:
        return run.t("entry") - run.t("boot_call")
    return run.t("entry") - run.t("post_end")


def after_post(run):
    return run.t("entry") - run.t("post_end")


def first_byte(run):
    """QEMU start to the firmware's first debug-port byte: QEMU's own
    start-up, including the host-side loading of -kernel/-initrd/-fw_cfg."""
    return run.debug.at(0)


def mbps(bytes_, ms):
    if ms != ms or ms <= 0:
        return float("nan")
    return bytes_ / 1e6 / (ms / 1000)


def best_ratio(a, b):
    return f"{min(a) / min(b):.2f}" if a and b and min(b) > 0 else "n/a"


def kvm_flavour():
    """Which KVM module backs /dev/kvm (kvm_intel, kvm_amd, kvm_pvm, ...)."""
    try:
        mods = [m for m in os.listdir("/sys/module") if m.startswith("kvm_")]
    except OSError:
        mods = []
    return ", ".join(sorted(mods)) or "none loaded"


def pct(x, of):
    return f"{100 * x / of:.0f}%" if x == x and of else "n/a"


def yes(ok):
    return "yes" if ok else "**no**"


def rel(path):
    try:
        return os.path.relpath(path, REPO)
    except ValueError:
        return str(path)


def phase_numbers(res):
    """({setup: {size: [ROM phase per run]}}, {setup: {size: [end of POST
    to entry per run]}}) for the drop-in initrd cases, runs in pair order."""
    sizes = res["args"].initrd_mib
    phase = res["phase"]
    ph = {setup: {s: [phase_of(r, setup) for r in phase[s][setup]] for s in sizes}
          for setup in (DROPIN, STOCK)}
    # A ROM that boots from its INT 19h hook has no "Booting from ROM" line:
    # its phase starts when SeaBIOS issues INT 19h, which is the end of POST
    # plus SeaBIOS's own pre-INT 19h work.  That work is timed in the paired
    # run of QEMU's ROM (end of POST to "enter handle_19", SeaBIOS's handler)
    # and taken off.
    for s in sizes:
        for i, (o, q) in enumerate(zip(phase[s][DROPIN], phase[s][STOCK])):
            if (o.t("boot_call") is None and o.t("hook") is None
                    and q.t("handle19") is not None):
                ph[DROPIN][s][i] = after_post(o) - (q.t("handle19") - q.t("post_end"))
    ap = {setup: {s: [after_post(r) for r in phase[s][setup]] for s in sizes}
          for setup in (DROPIN, STOCK)}
    return ph, ap


def entry_row(name, runs):
    """One kernel's QEMU-start-to-entry numbers from its runs by setup:
    entry times (st), first firmware bytes (fb), self-load ROM phases (sp)
    and the ratio self-load / QEMU's -kernel (text rt, value rv)."""
    st = {setup: [r.t("entry") for r in rs] for setup, rs in runs.items()}
    fb = {setup: [first_byte(r) for r in rs] for setup, rs in runs.items()}
    rt, rv = ratio_text(st[SELF], st[STOCK])
    return dict(name=name, st=st, fb=fb, sp=[phase_of(r, SELF) for r in runs[SELF]],
                rt=rt, rv=rv)


def write_report(res, args, out, plot):
    a = res["args"]
    m = res["machine"]
    sizes = a.initrd_mib
    phase = res["phase"]
    mc, mc2 = res["memcpy_before"], res["memcpy_after"]
    # The limit is the best the host showed (a measurement can only be slowed).
    fresh = max(mc["memcpy_fresh"], mc2["memcpy_fresh"])
    warm = max(mc["memcpy_warm"], mc2["memcpy_warm"])
    L = []
    w = L.append

    # --- numbers -----------------------------------------------------------
    ph, ap = phase_numbers(res)
    int19_boot = any(r.t("boot_call") is None and r.t("hook") is None
                     for s in sizes for r in phase[s][DROPIN])
    probed = any(r.t("hook") is not None for s in sizes for r in phase[s][DROPIN])
    # Two straight lines per ROM: through the medians, and through the
    # fastest run of each size, which leaves out the host's stalls on fresh
    # guest RAM (heavy-tailed: they can bend the medians' line to a
    # negative fixed cost).
    fits, resid, fast_fits, fast_resid = {}, {}, {}, {}
    for setup in (DROPIN, STOCK):
        for pick, f, r in ((median, fits, resid), (min, fast_fits, fast_resid)):
            ys = [pick(ph[setup][s]) for s in sizes]
            f[setup] = linfit(sizes, ys) if len(sizes) > 1 else (ys[0], float("nan"))
            a0, b0 = f[setup]
            r[setup] = max(abs(y - (a0 + (b0 if b0 == b0 else 0) * x))
                           for x, y in zip(sizes, ys))
    bw = {setup: mbps(MIB, fits[setup][1]) for setup in fits}
    fast_bw = {setup: mbps(MIB, fast_fits[setup][1]) for setup in fast_fits}
    ratios = {s: ratio_text(ph[DROPIN][s], ph[STOCK][s]) for s in sizes}
    ap_ratios = {s: ratio_text(ap[DROPIN][s], ap[STOCK][s]) for s in sizes}
    # Verdicts from the per-round ratios: they cancel the drift between
    # rounds that the heavy-tailed first-touch stalls make of the medians.
    phase_ok = all(ratios[s][1] <= 1 for s in sizes)
    ap_ok = all(ap_ratios[s][1] <= 1 for s in sizes)

    io = res["io"]
    io_phase = {s: (io_total(io[s][DROPIN]["rom_phase"]), io_total(io[s][STOCK]["rom_phase"]))
                for s in io}
    io_own = {s: (io_fw_cfg(io[s][DROPIN]["rom_phase"]), io_fw_cfg(io[s][STOCK]["rom_phase"]))
              for s in io}
    io_after = {s: (io_total(io[s][DROPIN]["after_post"]), io_total(io[s][STOCK]["after_post"]))
                for s in io}
    io_ok = fewer(io_own.values())

    entry = res["entry"]
    krows = []
    for name, fsize, (filesz, bss) in res["kernels"]:
        krows.append(dict(entry_row(name, entry[name]), fsize=fsize, filesz=filesz, bss=bss))
    tiny_sp = median(krows[0]["sp"])
    fresh_set = max(mc["memset_fresh"], mc2["memset_fresh"])
    for k in krows[1:]:
        k["extra"] = median(k["sp"]) - tiny_sp
        k["thr"] = mbps(k["filesz"] + k["bss"], k["extra"])
        # The host's limit for this work: file data at fresh-memory memcpy
        # speed, bss at fresh-memory memset speed.
        k["limit_ms"] = (k["filesz"] / 1e6 / fresh + k["bss"] / 1e6 / fresh_set) * 1000

    hrows = [entry_row(k["name"], res["entry_thp"][k["name"]]) for k in krows[1:]]

    # --- header ------------------------------------------------------------
    w("# pvh.bin benchmarks")
    w("")
    w(f"Generated by `make bench{' PVH_ACCEL=' + a.accel if a.accel != 'tcg' else ''}`"
      f" (`bench/bench.py {' '.join(a.argv)}`; {'smoke configuration, ' if a.smoke else ''}"
      f"{res['date']}, tree {res['rev']}); the next run rewrites this file.")
    w("")
    w(f"- Machine: {m['cpu']}, {m['cores']} cores, {m['mem']} RAM, Linux {m['kernel']}; "
      f"transparent huge pages `{m.get('thp', 'unknown')}`")
    w(f"- {m['qemu']}; SeaBIOS {res['seabios']}; accelerator **{a.accel}**; "
      f"q35, 1 vCPU, 1 GiB (Linux: 512 MiB), `-nic none`")
    if a.accel == "kvm":
        w(f"- KVM module: {kvm_flavour()}" + (
            " (PVM: software virtualization without VMX/SVM, for nested clouds; its "
            "costs, e.g. for real mode and mode switches, are not those of hardware "
            "KVM)" if "kvm_pvm" in kvm_flavour() else ""))
    probe = (f"; the ROM-phase runs use its probe build `{rel(a.probe_rom)}`"
             if res.get("probe") else "")
    w(f"- Our ROM: `{rel(a.rom)}` ({res['rom_size']} bytes{probe}); QEMU's: `{QEMU_ROM}` "
      f"({res['qemu_rom_size']} bytes)")
    runs, contended, waited_runs, waited = res["contention"]
    w(f"- Load average at start / end: {' '.join(res['loadavg_start'])} / "
      f"{' '.join(res['loadavg_end'])}. Before each run the script waits for other "
      f"QEMU processes to end (it waited before {waited_runs} runs, {waited:.0f} s in "
      f"all); **{contended} of {runs} timed runs ended with another QEMU running**"
      + (" (their times may be inflated)." if contended else "."))
    w(f"- {a.pairs} runs of each setup per case, interleaved: ours, QEMU's, then "
      f"QEMU's, ours, and so on (whichever runs first in a round is a little slower, "
      f"so each takes both places equally often with an even number of rounds; the "
      f"three setups of sections 3 and 4 rotate the same way, each first in a third "
      f"of the rounds, give or take one). Times in ms: median (min-max). A "
      f"ratio is the median of the per-round ratios ours/QEMU's (min-max).")
    w(f"- Host memory bandwidth, {a.memcpy_mib} MiB, before / after the boots: memcpy "
      f"{mc['memcpy_fresh']:.0f} / {mc2['memcpy_fresh']:.0f} MB/s into fresh memory "
      f"(first touch, as guest RAM is at boot), {mc['memcpy_warm']:.0f} / "
      f"{mc2['memcpy_warm']:.0f} MB/s into touched memory; memset "
      f"{mc['memset_fresh']:.0f} / {mc2['memset_fresh']:.0f} MB/s fresh, "
      f"{mc['memset_warm']:.0f} / {mc2['memset_warm']:.0f} MB/s touched.")
    for label, b in res.get("source_bw", {}).items():
        w(f"- The same copy into fresh memory from where QEMU holds the data, "
          f"{label} ({b['file_mib']:.0f} MiB): from a mapping of the file (`-initrd`, "
          f"`-kernel`) {b['memcpy_mapped']:.0f} MB/s; from a heap block filled by read(), "
          f"as glibc's malloc leaves it (`-fw_cfg file=`) {b['memcpy_heap']:.0f} MB/s.")
    w("")

    # --- goals -------------------------------------------------------------
    w("## Where the goals stand")
    w("")
    w("| goal | result | met |")
    w("|---|---|---|")
    w("| ROM phase at or below QEMU's pvh.bin in every case | ratio "
      + "; ".join(f"{s} MiB: {ratios[s][0]}" for s in sizes) + f" | {yes(phase_ok)} |")
    dph = res.get("dropin_phase")
    if dph:
        text, value = ratio_text(dph[DROPIN], dph[STOCK])
        w("| (the drop-in-only build, `ROM_SELFLOAD=0`, no initrd, in pairs of its own: "
          f"section 1) | ratio {text} | {yes(value <= 1)} |")
    w("| (the whole hand-off after POST, which includes our INT 19h hook) | ratio "
      + "; ".join(f"{s} MiB: {ap_ratios[s][0]}" for s in sizes) + f" | {yes(ap_ok)} |")
    w("| fewer port-I/O operations: the ROM's own (fw_cfg) in the ROM phase, section 2 | "
      + "; ".join(f"{s} MiB initrd: {o} vs {q}" for s, (o, q) in io_own.items())
      + f" | {yes(io_ok)} |")
    w("| (all port I/O in the ROM phase, SeaBIOS's included) | "
      + "; ".join(f"{s} MiB initrd: {o} vs {q}" for s, (o, q) in io_phase.items())
      + f" | {yes(fewer(io_phase.values()))} |")
    w("| (the same from the end of POST to kernel entry, SeaBIOS's boot path included) | "
      + "; ".join(f"{s} MiB initrd: {o} vs {q}" for s, (o, q) in io_after.items())
      + f" | {yes(fewer(io_after.values()))} |")
    sbw = res.get("source_bw", {})
    from_mapping = ""
    if "initrd" in sbw:
        from_mapping = (f"; {pct(bw[DROPIN], sbw['initrd']['memcpy_mapped'])} of the "
                        f"copy QEMU's DMA makes, from the mapped file into fresh memory "
                        f"({sbw['initrd']['memcpy_mapped']:.0f} MB/s)")
    if bw[DROPIN] == bw[DROPIN]:
        w(f"| initrd loading at >= 50% of host memcpy | medians: {bw[DROPIN]:.0f} MB/s "
          f"(QEMU's ROM {bw[STOCK]:.0f}) = {pct(bw[DROPIN], fresh)} of memcpy into fresh "
          f"memory, {pct(bw[DROPIN], warm)} of memcpy into touched memory{from_mapping}; "
          f"fastest runs: {fast_bw[DROPIN]:.0f} MB/s (QEMU's ROM {fast_bw[STOCK]:.0f}) = "
          f"{pct(fast_bw[DROPIN], fresh)} of memcpy into fresh memory | "
          f"{yes(bw[DROPIN] >= 0.5 * fresh)} |")
    for k in krows[1:]:
        if k["extra"] <= 0:
            continue
        # The issue's measure: "the ROM's loading throughput in MB/s against
        # the host's memcpy bandwidth".  A kernel with bss is mostly zeroed,
        # not copied: its verdict is against the limit that counts its bss at
        # the host's memset rate (which can be above memcpy's).
        share = k["limit_ms"] / k["extra"]
        of_memcpy = k["thr"] / fresh
        verdict = share if k["bss"] else of_memcpy
        stricter = (f"; {100 * share:.0f}% of the limit that counts its bss at "
                    f"the host's memset rate (the verdict's measure)" if k["bss"] else "")
        if k["name"] in sbw and not k["bss"]:
            heap = sbw[k["name"]]["memcpy_heap"]
            stricter += (f"; {pct(k['thr'], heap)} of the copy QEMU's DMA makes, from "
                         f"its heap block into fresh memory "
                         f"({heap:.0f} MB/s)")
        w(f"| kernel loading (self-load) at >= 50% of the host's memcpy bandwidth: "
          f"{k['name']} | {k['thr']:.0f} MB/s, {100 * of_memcpy:.0f}% of memcpy into "
          f"fresh memory{stricter} | {yes(verdict >= 0.5)} |")
    for k in krows:
        w(f"| self-load reaches entry within 1.1x of QEMU's `-kernel`: {k['name']} | "
          f"ratio {k['rt']} | {yes(k['rv'] <= 1.1)} |")
    for h in hrows:
        w(f"| (the same with QEMU's heap on huge pages, `GLIBC_TUNABLES={THP_HEAP_TUNABLE}` "
          f"for both: section 3b): {h['name']} | ratio {h['rt']} | {yes(h['rv'] <= 1.1)} |")
    if len(sizes) > 1:
        w(f"| cost linear in bytes moved: fixed + per MiB | fastest runs: ours "
          f"{fast_fits[DROPIN][0]:.2f} ms + {fast_fits[DROPIN][1]:.3f} ms/MiB, QEMU's "
          f"{fast_fits[STOCK][0]:.2f} ms + {fast_fits[STOCK][1]:.3f} ms/MiB (largest "
          f"distance from the line {fast_resid[DROPIN]:.2f} / {fast_resid[STOCK]:.2f} ms); "
          f"medians: ours {fits[DROPIN][0]:.2f} ms + {fits[DROPIN][1]:.3f} ms/MiB, QEMU's "
          f"{fits[STOCK][0]:.2f} ms + {fits[STOCK][1]:.3f} ms/MiB ({resid[DROPIN]:.2f} / "
          f"{resid[STOCK]:.2f} ms) | - |")
    w("")

    # --- 1 -----------------------------------------------------------------
    w("## 1. ROM phase: drop-in `-kernel` with `-initrd`")
    w("")
    w("From SeaBIOS's handing the boot to the ROM to the kernel's first debug-port "
      "byte, written by its first instruction. For QEMU's ROM the start is the end of "
      "SeaBIOS's debug line \"Booting from XXXX:YYYY\", its last before it far-calls "
      "the ROM's boot entry, not the \"Booting from ROM...\" line before it: SeaBIOS "
      "also prints that one on the screen, through the VGA BIOS, after it went to the "
      "debug port, which under TCG takes a few tenths of a millisecond that are not "
      "the ROM's. The kernel is a one-page stub; the initrd is a file of "
      "pseudo-random bytes.")
    pre19 = [r.t("handle19") - r.t("post_end") for s in sizes for r in phase[s][STOCK]
             if r.t("handle19") is not None]
    if int19_boot and pre19 and max(pre19) - min(pre19) > median(ph[STOCK][sizes[0]]):
        w(f"**Here SeaBIOS's pre-INT 19h step varies by more than QEMU's whole ROM phase "
          f"({min(pre19):.1f} to {max(pre19):.1f} ms), so the estimate of our ROM's phase "
          f"below is unreliable: compare the hand-off table instead.**")
    hook = ("Our ROM takes the boot in its INT 19h hook, so SeaBIOS never prints "
            "\"Booting from ROM\" and skips its boot-list code. ")
    if int19_boot:
        w(hook + "Its phase starts when "
          "SeaBIOS issues INT 19h: the end of POST (its e820 dump) plus SeaBIOS's own "
          "pre-INT 19h work, which is the same code in both setups and is timed in the "
          "paired run of QEMU's ROM (end of POST to \"enter handle_19\") and "
          "subtracted. The hand-off table below compares the same window for both "
          "without that step.")
    if probed:
        w(hook + "Its phase is timed from "
          f"the hook's first instructions: these runs use `{rel(a.probe_rom)}`, this ROM "
          "built with `-DPVH_BENCH_PROBE`, which writes one byte to the debug port there "
          "(three instructions, 6 bytes: the image grows by up to 8 bytes and its RAM "
          "window may move up by 16). Both columns are then the same window: from the firmware handing the "
          "boot to the ROM (INT 19h for ours, the far call to the boot entry for QEMU's) "
          "to the kernel's entry.")
    w("")
    w("| initrd | ours (ms) | QEMU's (ms) | ratio ours/QEMU's | ratio of the fastest runs | "
      "ours <= QEMU's (ratio <= 1) |")
    w("|---|---|---|---|---|---|")
    for s in sizes:
        w(f"| {s} MiB | {spread(ph[DROPIN][s])} | {spread(ph[STOCK][s])} | {ratios[s][0]} | "
          f"{best_ratio(ph[DROPIN][s], ph[STOCK][s])} | "
          f"{yes(ratios[s][1] <= 1)} |")
    w("")
    if dph:
        w("The drop-in-only build (`ROM_SELFLOAD=0`: no fw_cfg directory scan, boot order or "
          f"self-loading; its probe build `{rel(a.dropin_probe_rom)}`), with no initrd, in "
          "pairs of its own against QEMU's ROM:")
        w("")
        w("| initrd | ours, drop-in only (ms) | QEMU's (ms) | ratio ours/QEMU's | "
          "ratio of the fastest runs | ours <= QEMU's (ratio <= 1) |")
        w("|---|---|---|---|---|---|")
        text, value = ratio_text(dph[DROPIN], dph[STOCK])
        w(f"| 0 MiB | {spread(dph[DROPIN])} | {spread(dph[STOCK])} | {text} | "
          f"{best_ratio(dph[DROPIN], dph[STOCK])} | {yes(value <= 1)} |")
        w("")
    w("Runs much slower than their median (a max several times the min) happen in "
      "both setups: the host stalls while it backs guest RAM that is touched for the "
      "first time (the initrd's destination); with QEMU's `-mem-prealloc` they "
      "disappear for both ROMs. The fastest run of each setup shows the cost "
      "without such stalls.")
    w("")
    if len(sizes) > 1:
        w("Straight lines (time = fixed + per MiB x size, least squares) through the "
          "medians and through the fastest run of each size, which leaves the host's "
          "stalls out (they bend the medians' line, down to a fixed cost below zero); "
          "the throughput is the inverse of the per-MiB cost:")
        w("")
        w("| ROM | through | fixed (ms) | per MiB (ms) | throughput (MB/s) | "
          "vs fresh memcpy | largest distance of a point from the line (ms) |")
        w("|---|---|---|---|---|---|---|")
        for setup, label in ((DROPIN, "ours"), (STOCK, "QEMU's")):
            for through, f, r, b in (("medians", fits, resid, bw),
                                     ("fastest runs", fast_fits, fast_resid, fast_bw)):
                w(f"| {label} | {through} | {f[setup][0]:.3f} | {f[setup][1]:.4f} | "
                  f"{b[setup]:.0f} | {pct(b[setup], fresh)} | {r[setup]:.3f} |")
        w("")
    if plot:
        w(f"![ROM phase against initrd size]({os.path.basename(plot)})")
        w("")
    w("The whole firmware hand-off after POST, from the end of SeaBIOS's e820 dump "
      "(the last line before its INT 19h) to kernel entry: the same window for both "
      "ROMs. It contains SeaBIOS's own work before INT 19h, then for QEMU's ROM "
      "SeaBIOS's INT 19h handler, its boot-list code and the ROM phase; for ours its "
      "INT 19h hook, which boots the kernel itself when the ROM comes first in the "
      "boot order, or else looks for a self-load kernel and chains to SeaBIOS (then "
      "the first column, up to SeaBIOS's \"enter handle_19\", shows the hook's cost "
      "against QEMU's).")
    w("")
    w("| initrd | end of POST to INT 19h, ours (\"enter handle_19\", or the probe "
      "byte of its hook) | same, QEMU's | "
      "end of POST to entry, ours | same, QEMU's | ratio | ratio of the fastest |")
    w("|---|---|---|---|---|---|---|")
    for s in sizes:
        int19 = [r.t("handle19") if r.t("handle19") is not None else r.t("hook")
                 for r in phase[s][DROPIN]]
        ho = [t - r.t("post_end") for t, r in zip(int19, phase[s][DROPIN]) if t is not None]
        hq = [r.t("handle19") - r.t("post_end") for r in phase[s][STOCK]
              if r.t("handle19") is not None]
        w(f"| {s} MiB | {spread(ho)} | {spread(hq)} | {spread(ap[DROPIN][s])} | "
          f"{spread(ap[STOCK][s])} | {ap_ratios[s][0]} | "
          f"{best_ratio(ap[DROPIN][s], ap[STOCK][s])} |")
    w("")

    # --- 2 -----------------------------------------------------------------
    w("## 2. Port I/O operations")
    w("")
    w("Counted with QEMU's `memory_region_ops_read/write` trace events (vCPU "
      "accesses only) on the regions of the I/O address space (from `info mtree`), "
      "one traced boot per setup: in the ROM phase, the window of section 1 (ours "
      "through its probe build), and from the end of POST to kernel entry, which adds "
      "SeaBIOS's boot path (our ROM boots from its INT 19h hook and skips most of it). "
      "Under KVM each is a VM exit (a `rep ins/outs` may take fewer). Not counted: the "
      "bytes written to the debug port (SeaBIOS's log, the probe's byte). `(mmio)` "
      "counts memory-mapped accesses (VGA text memory, PCI config), listed for "
      "completeness. A timer interrupt handled by SeaBIOS inside a window adds a few "
      "(pic, io). In QEMU's ROM phase one RTC read (rtc-index, rtc) is SeaBIOS's "
      "code, not the ROM's (QEMU's `-d exec` log shows it in the BIOS); the rest "
      "there, and all of ours, are fw_cfg operations.")
    w("")
    w("| initrd | window | ours | QEMU's | ours, fw_cfg | QEMU's, fw_cfg | ours by region | "
      "QEMU's by region |")
    w("|---|---|---|---|---|---|---|---|")

    def by_region(c):
        if not c:
            return "-"
        return ", ".join(f"{k} {v}" for k, v in sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))
                         if k != "isa-debugcon")

    for s in io:
        for win, what in (("rom_phase", "ROM phase"), ("after_post", "end of POST to entry")):
            o, q = io[s][DROPIN][win], io[s][STOCK][win]
            w(f"| {s} MiB | {what} | {io_total(o)} | {io_total(q)} | {io_fw_cfg(o)} | "
              f"{io_fw_cfg(q)} | {by_region(o)} | {by_region(q)} |")
    sc = res["io_self"]["after_post"]
    w(f"| self-load, no initrd | end of POST to entry | {io_total(sc)} | - | {io_fw_cfg(sc)} | "
      f"- | {by_region(sc)} | - |")
    w("")

    # --- 3/4 ---------------------------------------------------------------
    w("## 3. QEMU start to kernel entry; self-load against QEMU's `-kernel`")
    w("")
    w("Every kernel enters at the marker stub, so its entry is seen exactly. QEMU's "
      "`-kernel` reads the ELF and copies its segments into guest RAM on the host "
      "before the firmware runs; self-load (`-option-rom` + `-fw_cfg name=opt/pvh/kernel`) "
      "has QEMU read the whole file into an fw_cfg item, and the ROM moves each "
      "segment with fw_cfg DMA and zeroes the bss. Three setups, rotated.")
    w("")
    w("| kernel | file | loaded + zeroed | QEMU's pvh.bin, `-kernel` | ours, drop-in `-kernel` | "
      "ours, self-load | ratio self-load / QEMU's |")
    w("|---|---|---|---|---|---|---|")
    for k in krows:
        w(f"| {k['name']} | {k['fsize'] / 1e6:.1f} MB | {k['filesz'] / MIB:.1f} + "
          f"{k['bss'] / MIB:.1f} MiB | {spread(k['st'][STOCK])} | {spread(k['st'][DROPIN])} | "
          f"{spread(k['st'][SELF])} | {k['rt']} |")
    w("")
    w("Where that time goes: QEMU's start-up up to the firmware's first debug-port "
      "byte (host-side file loading happens here), and for self-load the ROM phase "
      "(end of POST to entry), with the throughput of what it moves beyond the "
      "one-page kernel:")
    w("")
    w("| kernel | QEMU start to first firmware byte: `-kernel` | same: self-load | "
      "self-load ROM phase | extra over one page | throughput (MB/s) | "
      "host limit for the same bytes (ms) | ROM at % of the limit |")
    w("|---|---|---|---|---|---|---|---|")
    for k in krows:
        thr = k.get("thr", float("nan"))
        lim = k.get("limit_ms")
        w(f"| {k['name']} | {spread(k['fb'][STOCK])} | {spread(k['fb'][SELF])} | "
          f"{spread(k['sp'])} | {fmt_ms(k.get('extra'))} | "
          f"{'-' if thr != thr else f'{thr:.0f}'} | {fmt_ms(lim) if lim else '-'} | "
          f"{pct(lim, k['extra']) if lim and k['extra'] > 0 else '-'} |")
    w("")
    w("The host limit is the file data at the fresh-memory memcpy rate plus the bss "
      "at the fresh-memory memset rate (guest RAM is touched for the first time). "
      "Above 100%: the ROM's DMA beat the host benchmark.")
    w("")
    for k in krows[1:]:
        extra_qemu = median(k["fb"][SELF]) - median(k["fb"][STOCK])
        why = ("QEMU reads the whole file into the fw_cfg item" if extra_qemu > 0 else
               "`-kernel` has QEMU write the segments, bss included, into guest RAM "
               "on the host before the firmware runs")
        w(f"- {k['name']}: self-load spends {extra_qemu:+.1f} ms in QEMU's start-up "
          f"compared with `-kernel` ({why}), "
          f"and its ROM phase is {fmt_ms(median(k['sp']))} ms against "
          f"{fmt_ms(median([after_post(r) for r in entry[k['name']][STOCK]]))} ms for "
          f"QEMU's ROM after POST.")
    w("")
    if hrows:
        w("### 3b. The same with QEMU's heap on huge pages")
        w("")
        w("`-fw_cfg name=...,file=F` has QEMU read all of F into a block on its heap "
          "(GLib's `g_file_get_contents`) before the guest starts, and the ROM's DMA "
          "copies from that block; `-kernel` maps the file instead. Unless told "
          "otherwise, glibc backs such a block with 4 KiB pages where transparent "
          "huge pages are on `madvise`, and where first touches of 4 KiB pages are "
          "expensive (the header's copy from such a block runs at a fraction of "
          "memcpy's speed) they cost self-load in QEMU's start-up and again in the "
          "ROM's DMA. These runs repeat "
          "`-kernel` and self-load with "
          f"`GLIBC_TUNABLES={THP_HEAP_TUNABLE}` in both QEMUs' environment (glibc "
          "2.35+: malloc asks for huge pages for its large blocks; QEMU already asks "
          "for them for guest RAM). The ROM is the same image.")
        w("")
        w("| kernel | QEMU's pvh.bin, `-kernel` | ours, self-load | ratio self-load / "
          "QEMU's | QEMU start to first firmware byte: `-kernel` | same: self-load | "
          "self-load ROM phase |")
        w("|---|---|---|---|---|---|---|")
        for h in hrows:
            w(f"| {h['name']} | {spread(h['st'][STOCK])} | {spread(h['st'][SELF])} | "
              f"{h['rt']} | {spread(h['fb'][STOCK])} | {spread(h['fb'][SELF])} | "
              f"{spread(h['sp'])} |")
        w("")

    if "linux" in res:
        lr = res["linux"]
        w("## 4. Debian kernel to its test init")
        w("")
        w(f"`{rel(a.vmlinux)}` with `{rel(a.linux_initrd)}`, `{res['linux_append']}`, "
          "512 MiB. From QEMU start: the end of POST (debug port) and the init's first "
          "line \"PVHINIT start\" (serial port, also a timestamped UDP chardev).")
        w("")
        w("| setup | end of POST | init | init, ratio to QEMU's |")
        w("|---|---|---|---|")
        st_init = [r.serial_t(INIT_START) for r in lr[STOCK]]
        for setup in (STOCK, DROPIN, SELF):
            init = [r.serial_t(INIT_START) for r in lr[setup]]
            post = [r.t("post_end") for r in lr[setup]]
            w(f"| {SETUP_LABEL[setup]} | {spread(post)} | {spread(init)} | "
              f"{ratio_text(init, st_init)[0] if setup != STOCK else '1'} |")
        w("")

    if "linux_failed" in res:
        w("## 4. Debian kernel to its test init")
        w("")
        w(f"Not measured: {res['linux_failed']}")
        w("")
    w("## 5. ROM size")
    w("")
    w("| ROM | bytes |")
    w("|---|---|")
    w(f"| ours (`{rel(a.rom)}`) | {res['rom_size']} |")
    if res.get("dropin_rom"):
        path, size = res["dropin_rom"]
        w(f"| ours, drop-in only (`{rel(path)}`, `ROM_SELFLOAD=0`) | {size} |")
    w(f"| QEMU's (`{QEMU_ROM}`) | {res['qemu_rom_size']} |")
    w("")

    w("## How it was measured")
    w("")
    w("- `bench/bench.py`, run by `make bench` (`make bench PVH_ACCEL=kvm` uses KVM and "
      "writes `bench/results-kvm.md`). The debug port (0x402) and the serial port are "
      "UDP chardevs sending to the script on 127.0.0.1, one datagram per byte, sent "
      "synchronously from the vCPU thread when the guest executes its OUT. The host "
      "kernel stamps each datagram when QEMU's send() queues it (SO_TIMESTAMPNS), so "
      "the reader's scheduling cannot delay a stamp; a lost datagram fails the run. "
      "\"QEMU start\" is the same clock read just before the fork. (Checked against "
      "QEMU's own trace timestamps: the two agree within a few microseconds. A stream "
      "socket stamped by a reader thread was milliseconds late whenever the reader was "
      "descheduled; a file chardev has no timestamps.)")
    w("- Kernels: `bench/benchelf.py` writes ELFs whose PVH entry is a stub that "
      "writes \"PVHBENCH\" to port 0x402 as its first instruction and exits through "
      "isa-debug-exit; for the Debian vmlinux the code at its PVH entry is overwritten "
      "by the stub (same file, same segments, same loading work).")
    w("- Before timing, every initrd case boots the test guest (tests/guests) once per "
      "setup, under TCG, and checks that module 0 has the exact size and CRC-32 "
      "(self-load with the largest): a ROM cannot look fast by not loading.")
    w("- Host bandwidth: `bench/memcpy-bw.c`. \"Fresh\" memory is a new mapping with "
      "MADV_HUGEPAGE, as QEMU maps guest RAM: it includes the first-touch page faults "
      "that a DMA into never-written guest RAM pays, which makes it the physical limit "
      "for loading at boot. With a file it also copies from where QEMU holds the "
      "data while the firmware runs: a read-only mapping of the file for `-initrd` "
      "and `-kernel`, a heap block filled by read() for `-fw_cfg "
      "file=` (GLib's `g_file_get_contents`, as QEMU 7.2 loads it): the copy that "
      "QEMU's fw_cfg DMA itself makes for the ROM.")
    w("- `bench/tbprofile.py` shows where a ROM's time goes under TCG: blocks "
      "translated and executed per ROM function, per pass.")
    out.write_text("\n".join(L) + "\n")


def write_raw(res, path):
    """Every run's marker times (ms after QEMU start), for a closer look."""
    def times(r):
        d = {k: r.t(k) for k in ("post_end", "handle19", "boot_rom", "boot_call", "hook",
                                 "entry")}
        d["first_byte"] = first_byte(r)
        if r.serial is not None:
            d["init"] = r.serial_t(INIT_START)
        return d
    raw = {"initrd": {str(s): {setup: [times(r) for r in runs]
                               for setup, runs in res["phase"][s].items()}
                      for s in res["phase"]},
           "kernels": {name: {setup: [times(r) for r in runs]
                              for setup, runs in res["entry"][name].items()}
                       for name in res["entry"]},
           "kernels_heap_on_huge_pages": {
               name: {setup: [times(r) for r in runs] for setup, runs in by.items()}
               for name, by in res["entry_thp"].items()}}
    if "linux" in res:
        raw["linux"] = {setup: [times(r) for r in runs] for setup, runs in res["linux"].items()}
    path.write_text(json.dumps(raw, indent=1) + "\n")


def quartiles(v):
    q = statistics.quantiles(v, n=4) if len(v) > 1 else [v[0], v[0], v[0]]
    return q[0], q[2]


def write_plot(res, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = res["args"].initrd_mib
    ph, ap = phase_numbers(res)
    fig, (ax, dx) = plt.subplots(1, 2, figsize=(11, 4.5), dpi=110)
    top = 0
    for setup, label, color in ((DROPIN, "our pvh.bin", "tab:blue"),
                                (STOCK, "QEMU's pvh.bin", "tab:orange")):
        v = [ph[setup][s] for s in sizes]
        meds = [median(x) for x in v]
        q = [quartiles(x) for x in v]
        top = max(top, max(hi for _, hi in q))
        ax.errorbar(sizes, meds, yerr=[[m - lo for m, (lo, _) in zip(meds, q)],
                                       [hi - m for m, (_, hi) in zip(meds, q)]],
                    fmt="o", color=color, capsize=3, label=f"{label}: median, quartiles")
        if len(sizes) > 1:
            a0, b0 = linfit(sizes, meds)
            ax.plot([0, max(sizes)], [a0, a0 + b0 * max(sizes)], "-", color=color,
                    alpha=0.6, label=f"{label}: {a0:.2f} ms + {b0:.3f} ms/MiB")
    ax.set_ylim(0, top * 1.15 + 0.5)
    ax.set_xlabel("initrd size (MiB)")
    ax.set_ylabel("ms")
    ax.set_title("ROM phase: the ROM is called to kernel entry", fontsize=10)
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8, loc="upper left")

    span = 0.5
    for data, label, color in ((ph, "ROM phase", "tab:green"),
                               (ap, "hand-off after POST (end of POST to entry)", "tab:purple")):
        diffs = [[o - q for o, q in zip(data[DROPIN][s], data[STOCK][s])] for s in sizes]
        meds = [median(d) for d in diffs]
        span = max(span, max(abs(m) for m in meds))
        qs = [quartiles(d) for d in diffs]
        dx.errorbar(sizes, meds, yerr=[[m - lo for m, (lo, _) in zip(meds, qs)],
                                       [hi - m for m, (_, hi) in zip(meds, qs)]],
                    fmt="o-", color=color, capsize=3, label=label)
    dx.axhline(0, color="black", linewidth=0.8)
    dx.set_ylim(-3 * span, 3 * span)   # first-touch stalls would flatten the rest
    dx.set_xlabel("initrd size (MiB)")
    dx.set_ylabel("ms (below 0: ours is faster)")
    dx.set_title("ours minus QEMU's, per pair: median, quartiles", fontsize=10)
    dx.grid(True, alpha=0.3)
    dx.legend(fontsize=8)
    fig.suptitle(f"pvh.bin, drop-in -kernel + -initrd, {res['args'].accel.upper()}, "
                 f"{res['machine']['qemu'].split('(')[0].strip()}, {res['args'].pairs} runs "
                 "per point", fontsize=10)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def main(argv=None):
    ap = argparse.ArgumentParser(description="pvh.bin benchmarks against QEMU's pvh.bin")
    ap.add_argument("--pairs", type=int, default=10, help="runs of each setup per case")
    ap.add_argument("--accel", default=os.environ.get("PVH_ACCEL", "tcg"))
    ap.add_argument("--initrd-mib", default="0,16,64,256",
                    help="comma-separated initrd sizes in MiB (0 = none)")
    ap.add_argument("--bss-data", type=int, default=1, help="MiB of file data, bss kernel")
    ap.add_argument("--bss-mib", type=int, default=256, help="MiB of bss, bss kernel")
    ap.add_argument("--no-linux", dest="linux", action="store_false")
    ap.add_argument("--no-plot", dest="plot", action="store_false")
    ap.add_argument("--smoke", action="store_true",
                    help="one pair, tiny sizes (make check)")
    ap.add_argument("--rom", default=str(BUILD / "pvh.bin"))
    ap.add_argument("--dropin-probe-rom", default=None,
                    help="probe build of the drop-in-only ROM (ROM_SELFLOAD=0): its ROM "
                    "phase with no initrd, in pairs of its own")
    ap.add_argument("--probe-rom", default=None,
                    help="the probe build of the ROM (bench/bench.mk) for the ROM-phase runs")
    ap.add_argument("--vmlinux", default=str(BUILD / "linux" / "vmlinux"))
    ap.add_argument("--linux-initrd", default=str(BUILD / "linux" / "initrd.cpio"))
    ap.add_argument("--memcpy-bin", default=str(BUILD / "bench" / "memcpy-bw"))
    ap.add_argument("--memcpy-mib", type=int, default=256)
    ap.add_argument("--workdir", default=None)
    ap.add_argument("--out", default=None, help="results file (default bench/results.md)")
    ap.add_argument("--timeout", type=float, default=60, help="seconds per QEMU run")
    ap.add_argument("-v", "--verbose", action="store_true", help="keep traces")
    ap.add_argument("--idle-wait", type=float, default=900,
                    help="seconds in all to wait for other QEMU processes to end")
    args = ap.parse_args(argv)
    args.argv = list(sys.argv[1:] if argv is None else argv)

    if args.smoke:
        args.pairs = 1
        args.initrd_mib = "0,1"
        args.bss_data, args.bss_mib = 1, 4
        args.memcpy_mib = 16
        args.idle_wait = 0
    args.initrd_mib = sorted({int(x) for x in args.initrd_mib.split(",")})
    if len(args.initrd_mib) < 1 or args.pairs < 1:
        ap.error("need at least one initrd size and one pair")
    suffix = "" if args.accel == "tcg" else f"-{args.accel}"
    if args.workdir is None:
        args.workdir = str(BUILD / "bench" / ("smoke" if args.smoke else f"run{suffix}"))
    if args.out is None:
        if not args.smoke and args.pairs < MIN_PUBLISHED_PAIRS:
            ap.error(f"bench/results{suffix}.md takes at least {MIN_PUBLISHED_PAIRS} pairs;"
                     " give --out for a shorter run")
        args.out = (str(Path(args.workdir) / "results.md") if args.smoke
                    else str(HERE / f"results{suffix}.md"))
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    plot = out.parent / f"rom-phase{suffix}.png" if args.plot else None

    for need, what in ((args.rom, "make build/pvh.bin"), (args.memcpy_bin, "make bench"),
                       (BUILD / "guests" / "guest64.elf", "make"),
                       *((rom, "make bench") for rom in (args.probe_rom, args.dropin_probe_rom)
                         if rom)):
        if not Path(need).is_file():
            print(f"bench: {need} is missing ({what})", file=sys.stderr)
            return 1
    if args.linux:
        for need in (args.vmlinux, args.linux_initrd):
            if not Path(need).is_file():
                print(f"bench: {need} is missing (make linux-kernel)", file=sys.stderr)
                return 1

    t = time.monotonic()
    try:
        res = bench(args)
    except BenchError as e:
        print(f"bench: FAILED: {e}", file=sys.stderr)
        return 1
    write_raw(res, Path(args.workdir) / "raw.json")
    if plot:
        write_plot(res, plot)
    write_report(res, args, out, plot)
    log(f"bench: wrote {out}" + (f" and {plot}" if plot else "")
        + f" in {time.monotonic() - t:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
