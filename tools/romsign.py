#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Sign and check legacy x86 option ROM images (as used by SeaBIOS).

Signing (``romsign.py IN OUT``)
    IN is the raw image produced by ``objcopy -O binary``.  It must start
    with the ROM header (0x55 0xAA, a size placeholder at offset 2, the init
    entry at offset 3) and hold, at offset 0x1A, a 16-bit little-endian
    pointer to a "$PnP" expansion header (PnP BIOS specification layout).
    The signer

    1. checks the ROM signature, that the "$PnP" header lies inside IN with
       a correct signature and a length of at least 32 bytes, and that its
       boot entry vector (BEV), when non-zero, points inside IN;
    2. reserves one trailing byte for the image checksum and pads with zeros
       to a whole number of 512-byte blocks;
    3. refuses the result if it is larger than 255 blocks, or than
       ``--max-size`` bytes when that is given;
    4. writes the block count to offset 2, sets the "$PnP" header checksum
       byte so that the header's bytes sum to 0, and sets the last byte of
       the image so that the whole image sums to 0 (mod 256).

    OUT is written only when every step succeeded.

Checking (``romsign.py --check ROM...``)
    Verifies the signature, that the file length is a multiple of 512 and
    matches the size byte, that the whole image sums to 0, and that the
    "$PnP" header is present, inside the image, at least 32 bytes long and
    has a BEV inside the image (or 0, "no BEV").

    The "$PnP" header checksum is reported as a warning only, not a
    failure.  QEMU's own ROMs (pvh.bin, linuxboot.bin, linuxboot_dma.bin,
    multiboot*.bin of QEMU 7.2) leave the header's checksum byte at 0 and
    their headers do not sum to 0; SeaBIOS looks only at the "$PnP"
    signature of the header, never at its checksum, and it does enforce the
    whole-image checksum.  ``--strict`` turns the warning into a failure;
    use it for images made by this signer, which always sets that checksum.

Exit status: 0 on success, 1 when an image is refused or fails a check,
2 on a command-line error.  Every message is one line starting "romsign: ".
"""

import argparse
import os
import sys

PROG = "romsign"

# Option ROM header.
BLOCK_SIZE = 512                    # the size byte counts 512-byte blocks
MAX_BLOCKS = 255                    # largest value of the size byte
MAX_ROM_SIZE = MAX_BLOCKS * BLOCK_SIZE
ROM_SIGNATURE = b"\x55\xaa"
ROM_SIZE_OFFSET = 2                 # u8, length in blocks
PNP_POINTER_OFFSET = 0x1A           # u16 LE, offset of the "$PnP" header
ROM_HEADER_SIZE = 0x1C              # bytes up to and including that pointer
CHECKSUM_RESERVE = 1                # trailing byte that balances the image sum

# PnP expansion header ("$PnP"), offsets relative to its start.
PNP_SIGNATURE = b"$PnP"
PNP_LENGTH_OFFSET = 5               # u8, header length in 16-byte units
PNP_NEXT_OFFSET = 6                 # u16 LE, offset of the next header (0 = none)
PNP_LENGTH_UNIT = 16
PNP_CHECKSUM_OFFSET = 9             # u8, makes the header sum to 0
PNP_BEV_OFFSET = 0x1A               # u16 LE, boot entry vector (0 = none)
PNP_MIN_HEADER_SIZE = 0x20          # the specification's header size


class RomError(Exception):
    """An image that is refused or fails a check; the text says why."""


def byte_sum(data):
    """Sum of the bytes of data, modulo 256."""
    return sum(data) & 0xFF


def balancing_byte(data_sum):
    """The byte that, added to a sum of data_sum, gives 0 mod 256."""
    return -data_sum & 0xFF


def read_u16(data, offset):
    return int.from_bytes(data[offset:offset + 2], "little")


def round_up(value, multiple):
    return -(-value // multiple) * multiple


class PnpHeader:
    """Where the "$PnP" header is and what it says."""

    def __init__(self, offset, size, bev):
        self.offset = offset
        self.size = size
        self.bev = bev

    def span(self):
        return slice(self.offset, self.offset + self.size)


def check_rom_signature(image):
    if len(image) < ROM_HEADER_SIZE:
        raise RomError("%d bytes is too short for an option ROM header "
                       "(%d bytes)" % (len(image), ROM_HEADER_SIZE))
    if image[:len(ROM_SIGNATURE)] != ROM_SIGNATURE:
        raise RomError("no option ROM signature (starts with %s, not 55 aa)"
                       % image[:len(ROM_SIGNATURE)].hex(" "))


def locate_pnp_header(image, end):
    """Validate the "$PnP" header of image; its bytes and the BEV must lie
    below offset end."""
    offset = read_u16(image, PNP_POINTER_OFFSET)
    if offset < ROM_HEADER_SIZE:
        raise RomError("$PnP header pointer 0x%04x overlaps the ROM header"
                       % offset)
    if offset + PNP_MIN_HEADER_SIZE > end:
        raise RomError("$PnP header pointer 0x%04x is outside the image "
                       "(%d bytes)" % (offset, end))
    signature = bytes(image[offset:offset + len(PNP_SIGNATURE)])
    if signature != PNP_SIGNATURE:
        raise RomError("no $PnP signature at 0x%04x (found %r)"
                       % (offset, signature))
    size = image[offset + PNP_LENGTH_OFFSET] * PNP_LENGTH_UNIT
    if size < PNP_MIN_HEADER_SIZE:
        raise RomError("$PnP header length %d bytes is shorter than %d"
                       % (size, PNP_MIN_HEADER_SIZE))
    if offset + size > end:
        raise RomError("$PnP header at 0x%04x (%d bytes) runs past the end "
                       "of the image (%d bytes)" % (offset, size, end))
    # A BIOS follows the chain of headers until a 0 (SeaBIOS without a
    # bound: a header that leads back to itself hangs POST).  This tool
    # signs and checks one header, so it takes none after it.
    following = read_u16(image, offset + PNP_NEXT_OFFSET)
    if following:
        raise RomError("$PnP header at 0x%04x points to a next header at 0x%04x "
                       "(only a single header is supported)" % (offset, following))
    bev = read_u16(image, offset + PNP_BEV_OFFSET)
    if bev >= end:
        raise RomError("BEV 0x%04x points outside the image (%d bytes)"
                       % (bev, end))
    return PnpHeader(offset, size, bev)


def sign(raw, max_size):
    """Return the signed image made from the raw image bytes."""
    check_rom_signature(raw)
    pnp = locate_pnp_header(raw, len(raw))

    total = round_up(len(raw) + CHECKSUM_RESERVE, BLOCK_SIZE)
    if total > max_size:
        raise RomError("image of %d bytes needs %d bytes (%d blocks) with its "
                       "checksum byte, over the limit of %d bytes"
                       % (len(raw), total, total // BLOCK_SIZE, max_size))

    image = bytearray(raw)
    image += bytes(total - len(raw))
    image[ROM_SIZE_OFFSET] = total // BLOCK_SIZE

    pnp_checksum = pnp.offset + PNP_CHECKSUM_OFFSET
    image[pnp_checksum] = 0
    image[pnp_checksum] = balancing_byte(byte_sum(image[pnp.span()]))

    image[-1] = 0
    image[-1] = balancing_byte(byte_sum(image))
    return bytes(image)


def check(image, max_size):
    """Check a signed image.  Return (summary, warnings) or raise RomError."""
    check_rom_signature(image)
    length = len(image)
    if length % BLOCK_SIZE:
        raise RomError("length %d is not a multiple of %d"
                       % (length, BLOCK_SIZE))
    if length > max_size:
        raise RomError("length %d is over the limit of %d bytes"
                       % (length, max_size))
    blocks = image[ROM_SIZE_OFFSET]
    if blocks * BLOCK_SIZE != length:
        raise RomError("size byte says %d blocks (%d bytes) but the file has "
                       "%d bytes" % (blocks, blocks * BLOCK_SIZE, length))
    total = byte_sum(image)
    if total:
        raise RomError("image checksum is wrong (bytes sum to 0x%02x, not 0)"
                       % total)
    pnp = locate_pnp_header(image, length)

    warnings = []
    header_sum = byte_sum(image[pnp.span()])
    if header_sum:
        warnings.append("$PnP header checksum is wrong (header sums to "
                        "0x%02x, not 0); SeaBIOS does not check it"
                        % header_sum)
    bev = "BEV 0x%04x" % pnp.bev if pnp.bev else "no BEV"
    summary = "%d bytes, %d blocks, $PnP at 0x%04x, %s" % (
        length, blocks, pnp.offset, bev)
    return summary, warnings


def read_file(path):
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError as e:
        raise RomError("cannot read: %s" % e.strerror)


def write_file(path, data):
    """Write data to path through a temporary file, so that a failed run
    never leaves a half-written image behind."""
    tmp = path + ".tmp"
    try:
        with open(tmp, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except OSError as e:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise RomError("cannot write: %s" % e.strerror)


def report(path, text, stream=sys.stdout):
    print("%s: %s: %s" % (PROG, path, text), file=stream)


def sign_command(in_path, out_path, max_size):
    try:
        image = sign(read_file(in_path), max_size)
    except RomError as e:
        report(in_path, e, sys.stderr)
        return 1
    try:
        check(image, max_size)
        write_file(out_path, image)
    except RomError as e:
        report(out_path, e, sys.stderr)
        return 1
    report(out_path, "%d bytes (%d blocks), checksum ok"
           % (len(image), len(image) // BLOCK_SIZE))
    return 0


def check_command(paths, max_size, strict):
    status = 0
    for path in paths:
        try:
            summary, warnings = check(read_file(path), max_size)
            if strict and warnings:
                raise RomError(warnings[0])
        except RomError as e:
            report(path, e, sys.stderr)
            status = 1
            continue
        for warning in warnings:
            report(path, "warning: " + warning, sys.stderr)
        report(path, "ok (%s)" % summary)
    return status


def max_size_arg(text):
    try:
        value = int(text, 0)
    except ValueError:
        raise argparse.ArgumentTypeError("not a number: %r" % text)
    if not BLOCK_SIZE <= value <= MAX_ROM_SIZE:
        raise argparse.ArgumentTypeError(
            "must be between %d and %d" % (BLOCK_SIZE, MAX_ROM_SIZE))
    return value


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog="romsign.py",
        usage="%(prog)s [--max-size N] IN OUT\n"
              "       %(prog)s --check [--strict] [--max-size N] ROM...",
        description="Sign a raw x86 option ROM image (size byte, $PnP "
                    "header checksum, image checksum, padding to 512-byte "
                    "blocks), or check signed images.",
        epilog="--check reports a wrong $PnP header checksum as a warning, "
               "not a failure: QEMU's own ROMs leave it unset and SeaBIOS "
               "ignores it (it only needs the $PnP signature). Use --strict "
               "to fail on it. Exit status: 0 ok, 1 refused or bad image, "
               "2 usage error.")
    parser.add_argument("--check", action="store_true",
                        help="check signed ROM images instead of signing")
    parser.add_argument("--strict", action="store_true",
                        help="with --check, fail on a wrong $PnP header "
                             "checksum instead of warning")
    parser.add_argument("--max-size", type=max_size_arg, default=MAX_ROM_SIZE,
                        metavar="N",
                        help="largest allowed image in bytes, padding and "
                             "checksum byte included (default and maximum "
                             "%d = %d blocks)" % (MAX_ROM_SIZE, MAX_BLOCKS))
    parser.add_argument("paths", nargs="+", metavar="FILE",
                        help="IN OUT when signing; ROM... with --check")
    args = parser.parse_args(argv)
    if not args.check:
        if args.strict:
            parser.error("--strict needs --check")
        if len(args.paths) != 2:
            parser.error("signing needs exactly two files, IN and OUT")
    return args


def main(argv=None):
    args = parse_args(argv)
    if args.check:
        return check_command(args.paths, args.max_size, args.strict)
    return sign_command(args.paths[0], args.paths[1], args.max_size)


if __name__ == "__main__":
    sys.exit(main())
