#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Where the ROM's time goes under TCG: translated blocks per ROM function.

    bench/tbprofile.py [--self] [--initrd FILE] [--kernel ELF] [--rom-elf build/pvh.elf]
    bench/tbprofile.py --timed [same options]
    bench/tbprofile.py --blocks [same options]

Boots once with QEMU's `-d in_asm,exec,nochain` log (every translation and
every execution of a translated block, TB), cuts the log from the first
block the ROM runs in its RAM copy to the kernel's entry point, and splits
it into the ROM's passes (each begins where the entry code jumps to its RAM
copy: the INT 19h hook, then the boot entry).  For each pass it prints, per
function of build/pvh.elf, the blocks translated, the instructions they
hold and the blocks executed.  A translation's cost grows with its
instructions: on the machine of bench/results.md, timed with QEMU's
translate_block and exec_tb trace events, about 5 us per block plus
1.7 us per instruction (tracing included), so both counts matter.
"(SeaBIOS ...)" rows are the BIOS calls and, when
the INT 19h hook chains to SeaBIOS, SeaBIOS's own boot code up to the next
pass.  Under TCG a translation costs microseconds and an
executed block tens of nanoseconds (a `rep` string instruction executes one
block per element); under KVM neither exists, but mode switches and port
I/O become VM exits.

--blocks also lists each translated block of each pass in the order QEMU
translated it: its address, its instructions and where it is in the source
(addr2line; a ROM built with ROM_EXTRA=-g gives file and line, and the same
image), to find what a change of the code would save.

--timed boots with QEMU's timestamped `translate_block` trace event
instead (no per-block logging, so the guest runs at its normal speed):
from the translation of the ROM's INT 19h hook to that of the kernel's
entry, it prints the time, the blocks translated per function, the mean
and median time from one translation to the next (the median is about
the cost of one translation; the mean includes the code that runs in
between), and the longest stretches without one (code that runs long,
or a BIOS call).
"""

import argparse
import bisect
import collections
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO / "tests"))

import benchelf  # noqa: E402
from qemu import BUILD, QEMU, QEMU_DATA_DIR  # noqa: E402

# In QEMU's in_asm log an instruction of more than 8 bytes goes on in a
# line of its own: an address and bytes, no mnemonic.
CONTINUATION = re.compile(r"^0x[0-9a-f]+:\s+[0-9a-f]{2}(?: [0-9a-f]{2})*\s*$")
TRACE = re.compile(r"^Trace \d+: \S+ \[[0-9a-f]+/([0-9a-f]+)/")
# Option ROMs run at 0xC0000-0xDFFFF; SeaBIOS at 0xE0000-0xFFFFF.
OPTION_ROM_AREA = range(0xC0000, 0xE0000)
TRANSLATE = re.compile(r"^\d+@(\d+\.\d+):translate_block .*pc:(0x[0-9a-f]+)")


def symbols(elf):
    out = subprocess.run(["nm", "-n", str(elf)], stdout=subprocess.PIPE, check=True,
                         text=True).stdout
    syms = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3:
            syms.setdefault(parts[2], int(parts[0], 16))
    code = sorted((a, n) for n, a in syms.items())
    return syms, code


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--self", action="store_true", help="self-load instead of drop-in")
    ap.add_argument("--initrd")
    ap.add_argument("--kernel", help="PVH ELF (default: the benchmark's one-page stub)")
    ap.add_argument("--rom", default=str(BUILD / "pvh.bin"))
    ap.add_argument("--rom-elf", default=str(BUILD / "pvh.elf"))
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--timed", action="store_true",
                    help="time the translations instead of counting executions")
    ap.add_argument("--blocks", action="store_true",
                    help="list every translated block with its source line")
    a = ap.parse_args(argv)

    syms, code = symbols(a.rom_elf)
    lo, hi = syms["_image_start"], syms.get("_stack_top", syms["_image_start"] + 0x8000)
    pass_start = syms["running_in_ram"]
    addrs = [x for x, _ in code]

    def where(pc):
        if lo <= pc < hi:
            i = bisect.bisect_right(addrs, pc) - 1
            return code[i][1]
        if pc in OPTION_ROM_AREA:
            return "(option ROM area: entry, copy)"
        if 0xE0000 <= pc < 0x100000:
            return "(SeaBIOS: BIOS calls, boot code)"
        return f"(other {pc:#x})"

    with tempfile.TemporaryDirectory(prefix="pvh-tbprof-") as tmp:
        kernel = a.kernel
        if kernel is None:
            kernel = os.path.join(tmp, "entry.elf")
            benchelf.write_entry(kernel)
        entry, _ = benchelf.find_pvh_entry(Path(kernel).read_bytes())
        log = os.path.join(tmp, "exec.log")
        cmd = [QEMU, "-machine", "q35", "-accel", "tcg", "-m", "1G", "-nographic",
               "-monitor", "none", "-serial", "none", "-no-reboot", "-nic", "none",
               "-chardev", "null,id=d", "-device", "isa-debugcon,iobase=0x402,chardev=d",
               "-device", "isa-debug-exit,iobase=0xf4,iosize=4",
               "-D", log]
        if a.timed:
            cmd += ["-trace", "translate_block", "-msg", "timestamp=on"]
        else:
            cmd += ["-d", "in_asm,exec,nochain"]
        if a.self:
            cmd += ["-L", str(QEMU_DATA_DIR), "-option-rom", a.rom,
                    "-fw_cfg", f"name=opt/pvh/kernel,file={kernel}"]
            if a.initrd:
                cmd += ["-fw_cfg", f"name=opt/pvh/initrd,file={a.initrd}"]
        else:
            romdir = os.path.join(tmp, "rom")
            os.mkdir(romdir)
            os.symlink(os.path.abspath(a.rom), os.path.join(romdir, "pvh.bin"))
            cmd += ["-L", romdir, "-L", str(QEMU_DATA_DIR), "-kernel", kernel]
            if a.initrd:
                cmd += ["-initrd", a.initrd]
        rc = subprocess.run(cmd, stdin=subprocess.DEVNULL).returncode
        if rc != 33:
            print(f"tbprofile: QEMU exited with {rc}: {' '.join(cmd)}", file=sys.stderr)
            return 1

        if a.timed:
            return timed_report(log, where, pass_start, entry, a.top)

        passes = []       # [Counter executed, Counter translated, Counter insns] per pass
        started = False
        pending_in = False
        in_block = False  # within the instructions of a translated block
        pc = None
        # Blocks run in the option ROM area just before a pass jumps to its
        # RAM copy (entry code, the image copy) belong to that pass.
        area_ex, area_tr, area_in = 0, 0, 0
        area = "(option ROM area: entry, copy)"
        with open(log, errors="replace") as f:
            for line in f:
                if line.startswith("Trace"):
                    m = TRACE.match(line)
                    if not m:
                        continue
                    prev_pc, pc = pc, int(m.group(1), 16)
                    if pc == entry and started:
                        break
                    w = where(pc)
                    # A rep string instruction there runs one block per element.
                    if pc == pass_start and pc != prev_pc:
                        started = True
                        passes.append([collections.Counter({area: area_ex}),
                                       collections.Counter({area: area_tr}),
                                       collections.Counter({area: area_in}),
                                       []])
                    if w == area:
                        area_ex += 1
                    else:
                        area_ex = area_tr = area_in = 0
                    if not started or w == area:
                        continue
                    passes[-1][0][w] += 1
                elif line.startswith("IN:"):
                    pending_in = True
                elif line.startswith("0x") and (pending_in or in_block):
                    if CONTINUATION.match(line):
                        continue  # the rest of a long instruction's bytes
                    addr = int(line.split(":")[0], 16)
                    if pending_in and addr == entry:
                        break  # the kernel's first block: the end
                    w = where(addr)
                    if w == area:
                        area_tr += pending_in
                        area_in += 1
                    elif started:
                        passes[-1][1][w] += pending_in
                        passes[-1][2][w] += 1
                        blocks = passes[-1][3]
                        if pending_in:
                            blocks.append([addr, 0])
                        if blocks:
                            blocks[-1][1] += 1
                    pending_in = False
                    in_block = True
                else:
                    in_block = False

    names = ["INT 19h hook", "boot entry"] if len(passes) == 2 else \
        [f"pass {i + 1}" for i in range(len(passes))]
    print(f"{'drop-in' if not a.self else 'self-load'}, kernel {kernel}"
          f"{', initrd ' + a.initrd if a.initrd else ''}: {len(passes)} ROM pass(es)")
    for name, (ex, tr, ins, blocks) in zip(names, passes):
        print(f"\n{name}: {sum(tr.values())} blocks translated "
              f"({sum(ins.values())} instructions), {sum(ex.values())} executed")
        print(f"  {'function':36s} {'translated':>10s} {'instructions':>12s} {'executed':>9s}")
        keys = sorted(set(ex) | set(tr), key=lambda k: (-tr[k], -ex[k]))
        for k in keys[:a.top]:
            print(f"  {k:36s} {tr[k]:10d} {ins[k]:12d} {ex[k]:9d}")
        if a.blocks:
            print_blocks(blocks, a.rom_elf, where, lo, hi)
    return 0


def print_blocks(blocks, elf, where, lo, hi):
    """Each translated block: address, instructions, function and source
    line of its first instruction (addr2line, for the ROM's own)."""
    own = [addr for addr, _ in blocks if lo <= addr < hi]
    # Without an address on its command line addr2line would read stdin.
    out = subprocess.run(["addr2line", "-f", "-e", str(elf)] + [f"{x:#x}" for x in own],
                         stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, check=True,
                         text=True).stdout.splitlines() if own else []
    lines = {addr: (out[2 * i], out[2 * i + 1].rsplit("/", 1)[-1])
             for i, addr in enumerate(own)}
    print(f"\n  {'block':>8s} {'insns':>5s}  where")
    for addr, n in blocks:
        fn, line = lines.get(addr, (where(addr), ""))
        print(f"  {addr:#8x} {n:5d}  {fn} {line}".rstrip())


def timed_report(log, where, pass_start, entry, top):
    """The --timed report, from a translate_block trace."""
    events = []  # (seconds, pc)
    with open(log, errors="replace") as f:
        for line in f:
            m = TRANSLATE.match(line)
            if m:
                events.append((float(m.group(1)), int(m.group(2), 16)))
    # The hook's first blocks run in the option ROM area (entry, image
    # copy), just before the first block of its RAM copy.
    start = next((i for i, (_, pc) in enumerate(events) if pc == pass_start), None)
    while start and events[start - 1][1] in OPTION_ROM_AREA:
        start -= 1
    end = next((i for i, (_, pc) in enumerate(events) if pc == entry), None)
    if start is None or end is None or end < start:
        print("tbprofile: the hook's or the kernel's first block was not seen",
              file=sys.stderr)
        return 1
    window = events[start:end + 1]
    total = (window[-1][0] - window[0][0]) * 1e6
    per = collections.Counter(where(pc) for _, pc in window[:-1])
    n = sum(per.values())
    # Each step: the time from one translation to the next, and where it ends.
    steps = sorted(((b[0] - a[0]) * 1e6, where(b[1]))
                   for a, b in zip(window, window[1:]))
    print(f"INT 19h hook to kernel entry: {total:.0f} us, {n} blocks translated; "
          f"from one translation to the next {total / n:.1f} us on average, "
          f"{steps[len(steps) // 2][0]:.1f} us median (the cost of a translation, "
          f"where little runs in between)")
    print(f"\n  {'function':36s} {'translated':>10s}")
    for k, c in per.most_common(top):
        print(f"  {k:36s} {c:10d}")
    print("\nlongest stretches without a translation (us, before a block of):")
    for g, w in steps[:-6:-1]:
        print(f"  {g:8.0f}  {w}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
