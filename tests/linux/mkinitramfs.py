#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Write the test initramfs: an uncompressed newc cpio archive holding

    /init         the static test init (tests/linux/init.c)
    /payload.bin  SIZE pseudo-random bytes from a fixed seed (deterministic)
    /proc /sys /dev, and /dev/console (character device 5:1)

Usage: mkinitramfs.py --init INIT [--payload-size N] [--seed S] OUT

As a module: build_initramfs(out, init, payload_size, seed) returns the
payload bytes (so a test knows the CRC the init must report).
"""

import argparse
import os
import random
import stat
import sys

NEWC_MAGIC = b"070701"
DEFAULT_PAYLOAD_SIZE = 1 << 20
DEFAULT_SEED = 0x5056_4821  # any fixed value: same bytes on every run


def payload_bytes(size, seed=DEFAULT_SEED):
    """The payload: SIZE bytes, a function of SIZE and SEED only."""
    return random.Random(seed).randbytes(size)


def _pad4(n):
    return (4 - n % 4) % 4


def newc_entry(name, mode, data=b"", rdev=(0, 0), ino=0, nlink=1, mtime=0):
    """One newc member: 110-byte ASCII header, NUL-terminated name padded so
    that header+name is a multiple of 4, data padded likewise."""
    namez = name.encode() + b"\0"
    fields = (
        ino, mode, 0, 0, nlink, mtime, len(data),
        0, 0,            # major/minor of the device holding the file
        rdev[0], rdev[1],  # major/minor of a device node
        len(namez), 0,   # name size (with NUL), checksum (0 for newc)
    )
    for f in fields:
        if not 0 <= f <= 0xFFFFFFFF:
            raise ValueError(f"cpio field out of range for {name!r}: {f}")
    header = NEWC_MAGIC + b"".join(b"%08X" % f for f in fields)
    assert len(header) == 110
    out = header + namez + b"\0" * _pad4(len(header) + len(namez))
    return out + data + b"\0" * _pad4(len(data))


def build_initramfs(out, init, payload_size=DEFAULT_PAYLOAD_SIZE,
                    seed=DEFAULT_SEED, extra_files=None):
    """Writes the archive to OUT; INIT is the path of the static init.
    EXTRA_FILES: optional {archive name: bytes}.  Returns the payload."""
    with open(init, "rb") as f:
        init_data = f.read()
    payload = payload_bytes(payload_size, seed)
    members = [
        ("dev", stat.S_IFDIR | 0o755, b"", (0, 0)),
        ("dev/console", stat.S_IFCHR | 0o600, b"", (5, 1)),
        ("proc", stat.S_IFDIR | 0o755, b"", (0, 0)),
        ("sys", stat.S_IFDIR | 0o755, b"", (0, 0)),
        ("init", stat.S_IFREG | 0o755, init_data, (0, 0)),
        ("payload.bin", stat.S_IFREG | 0o644, payload, (0, 0)),
    ]
    for name, data in sorted((extra_files or {}).items()):
        members.append((name.lstrip("/"), stat.S_IFREG | 0o644, data, (0, 0)))
    tmp = f"{out}.tmp{os.getpid()}"
    with open(tmp, "wb") as f:
        for ino, (name, mode, data, rdev) in enumerate(members, start=1):
            nlink = 2 if stat.S_ISDIR(mode) else 1
            f.write(newc_entry(name, mode, data, rdev, ino=ino, nlink=nlink))
        f.write(newc_entry("TRAILER!!!", 0, nlink=1))
    os.replace(tmp, out)
    return payload


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--init", required=True, help="static init binary")
    ap.add_argument("--payload-size", type=lambda s: int(s, 0),
                    default=DEFAULT_PAYLOAD_SIZE, help="bytes (default 1 MiB)")
    ap.add_argument("--seed", type=lambda s: int(s, 0), default=DEFAULT_SEED)
    ap.add_argument("out", help="output cpio file")
    args = ap.parse_args(argv)
    if args.payload_size < 0:
        ap.error("--payload-size must be >= 0")
    try:
        build_initramfs(args.out, args.init, args.payload_size, args.seed)
    except OSError as e:
        print(f"mkinitramfs: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
