#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The ROM phase with no initrd, for quick comparisons of ROM builds.

    bench/phasepairs.py [--pairs 60] PROBE_ROM [PROBE_ROM ...]

Each ROM must be a probe build (-DPVH_BENCH_PROBE, as bench/bench.mk
makes build/bench/probe/pvh.bin; another variant: make BUILD=DIR
ROM_EXTRA="-DPVH_BENCH_PROBE ..." DIR/pvh.bin).  For each, in turn, it
boots the one-page stub kernel drop-in (-kernel) PAIRS times, alternating
with QEMU's installed pvh.bin as bench.py does, and prints the medians and
minimums of both ROM phases and the median of the per-pair ratios.  The
ROMs run one after the other, so compare ratios, not times, across them.
Section 1 of `make bench` measures the same window, with initrds too.
"""

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))

import bench  # noqa: E402
import benchelf  # noqa: E402


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pairs", type=int, default=60)
    ap.add_argument("--accel", default="tcg")
    ap.add_argument("--timeout", type=float, default=60, help="seconds per QEMU run")
    ap.add_argument("roms", nargs="+", metavar="PROBE_ROM")
    a = ap.parse_args(argv)
    print(f"ROM phase, no initrd, {a.pairs} pairs each, against QEMU's pvh.bin (ms)")
    with tempfile.TemporaryDirectory(prefix="pvh-phasepairs-") as tmp:
        for i, rom in enumerate(a.roms):
            env = bench.Env(argparse.Namespace(
                accel=a.accel, workdir=str(Path(tmp) / str(i)), rom=rom, probe_rom=rom,
                timeout=a.timeout, verbose=False, idle_wait=0))
            try:
                kernel = env.work / "entry.elf"
                benchelf.write_entry(str(kernel))
                times = bench.probe_phase_pairs(env, kernel, a.pairs)
            finally:
                env.cleanup()
            ours, qemu = times[bench.PROBE], times[bench.STOCK]
            ratio = statistics.median(o / q for o, q in zip(ours, qemu))
            print(f"{rom}: ours {statistics.median(ours):.2f} (min {min(ours):.2f}), "
                  f"QEMU's {statistics.median(qemu):.2f} (min {min(qemu):.2f}), "
                  f"ratio {ratio:.2f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
