# SPDX-License-Identifier: GPL-2.0-or-later
"""Tests of tools/romsign.py, the option ROM signer and checker.

Synthetic raw images (what objcopy -O binary would give) are built here in
Python; the checker is also run on QEMU's own ROMs and on build/pvh.bin.
"""

import os
import subprocess

import pytest

from qemu import DROPIN_ROM, QEMU_DATA_DIR, ROM

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ROMSIGN = os.path.join(REPO, "tools", "romsign.py")
BUILT_ROM = str(ROM)
QEMU_ROMS = [str(QEMU_DATA_DIR / "pvh.bin"), str(QEMU_DATA_DIR / "linuxboot_dma.bin")]

BLOCK = 512
MAX_BLOCKS = 255
SIZE_OFFSET = 2
INIT_OFFSET = 3
PNP_POINTER_OFFSET = 0x1A
PNP_OFFSET = 0x20               # where the synthetic images put "$PnP"
PNP_SIZE = 0x20                 # 2 units of 16 bytes
PNP_LENGTH_FIELD = 5
PNP_NEXT_FIELD = 6
PNP_CHECKSUM_FIELD = 9
PNP_PRODUCT_FIELD = 0x10
PNP_BEV_FIELD = 0x1A
PRODUCT_NAME = b"romsign test\0"
CODE_OFFSET = PNP_OFFSET + PNP_SIZE + len(PRODUCT_NAME)
JMP_SHORT = 0xEB
RETF = 0xCB
INT = 0xCD
BOOT_FAILURE_VECTOR = 0x18


def put_u16(image, offset, value):
    image[offset:offset + 2] = value.to_bytes(2, "little")


def raw_image(length, pnp_offset=PNP_OFFSET, signature=b"$PnP", bev=None):
    """A raw, unsigned ROM of exactly length bytes: ROM header with a short
    jump to an init routine (retf), a $PnP header whose BEV runs INT 18h,
    and a non-zero filler so that the checksums are not trivially 0."""
    assert length >= CODE_OFFSET + 4
    image = bytearray((i * 7 + 3) & 0xFF for i in range(length))
    image[0:2] = b"\x55\xaa"
    image[SIZE_OFFSET] = 0
    init = CODE_OFFSET
    boot = CODE_OFFSET + 1
    image[INIT_OFFSET] = JMP_SHORT
    image[INIT_OFFSET + 1] = init - (INIT_OFFSET + 2)
    image[INIT_OFFSET + 2:PNP_POINTER_OFFSET] = bytes(
        PNP_POINTER_OFFSET - INIT_OFFSET - 2)
    put_u16(image, PNP_POINTER_OFFSET, pnp_offset)

    header = bytearray(PNP_SIZE)
    header[0:4] = signature
    header[4] = 1                                   # revision
    header[PNP_LENGTH_FIELD] = PNP_SIZE // 16
    header[PNP_CHECKSUM_FIELD] = 0x5A               # stale value to replace
    put_u16(header, PNP_PRODUCT_FIELD, PNP_OFFSET + PNP_SIZE)
    put_u16(header, PNP_BEV_FIELD, boot if bev is None else bev)
    image[PNP_OFFSET:PNP_OFFSET + PNP_SIZE] = header
    image[PNP_OFFSET + PNP_SIZE:CODE_OFFSET] = PRODUCT_NAME
    image[init] = RETF
    image[boot:boot + 2] = bytes([INT, BOOT_FAILURE_VECTOR])
    return image


def romsign(*args):
    return subprocess.run([ROMSIGN, *map(str, args)], capture_output=True,
                          text=True, timeout=30)


def sign(tmp_path, raw, *options):
    src = tmp_path / "rom.raw"
    dst = tmp_path / "rom.bin"
    src.write_bytes(raw)
    result = romsign(*options, src, dst)
    return result, dst


def signed_image(tmp_path, length=1200):
    result, dst = sign(tmp_path, raw_image(length))
    assert result.returncode == 0, result.stderr
    return bytearray(dst.read_bytes())


def rebalance(image):
    """Fix the last byte so that the image sums to 0 again, so that a test
    breaks exactly one property of a signed image."""
    image[-1] = 0
    image[-1] = -sum(image) & 0xFF


def check_file(tmp_path, image, *options):
    path = tmp_path / "check.bin"
    path.write_bytes(image)
    return romsign("--check", *options, path)


def assert_refused(result, words, out=None):
    assert result.returncode == 1, result
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("romsign: ")
    assert words in lines[0]
    assert result.stdout == ""
    if out is not None:
        assert not out.exists()


def test_tool_is_executable():
    assert os.access(ROMSIGN, os.X_OK)


def test_good_image_is_signed(tmp_path):
    raw = raw_image(1200)
    result, dst = sign(tmp_path, raw)
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "romsign: %s: 1536 bytes (3 blocks), checksum ok\n" % dst)

    image = dst.read_bytes()
    assert len(image) == 3 * BLOCK
    assert image[SIZE_OFFSET] == 3
    assert sum(image) % 256 == 0
    assert sum(image[PNP_OFFSET:PNP_OFFSET + PNP_SIZE]) % 256 == 0
    # Padding is zeros up to the checksum byte.
    assert image[len(raw):-1] == bytes(len(image) - len(raw) - 1)
    # Only the size byte and the $PnP checksum byte were changed.
    changed = [i for i in range(len(raw)) if image[i] != raw[i]]
    assert set(changed) <= {SIZE_OFFSET, PNP_OFFSET + PNP_CHECKSUM_FIELD}

    check = romsign("--check", "--strict", dst)
    assert check.returncode == 0, check.stderr
    assert check.stdout.startswith("romsign: %s: ok (" % dst)
    assert check.stderr == ""


@pytest.mark.parametrize("raw_length, blocks", [
    (BLOCK - 1, 1),
    (BLOCK, 2),
    (2 * BLOCK - 1, 2),
    (2 * BLOCK, 3),
    (8 * BLOCK - 1, 8),
    (8 * BLOCK, 9),
    (MAX_BLOCKS * BLOCK - 1, MAX_BLOCKS),
])
def test_block_boundaries(tmp_path, raw_length, blocks):
    """The reserved checksum byte moves a raw image of exactly k blocks to
    k + 1 blocks, and one of k blocks minus a byte stays at k."""
    raw = raw_image(raw_length)
    result, dst = sign(tmp_path, raw)
    assert result.returncode == 0, result.stderr
    image = dst.read_bytes()
    assert len(image) == blocks * BLOCK
    assert image[SIZE_OFFSET] == blocks
    assert sum(image) % 256 == 0
    changed = [i for i in range(raw_length) if image[i] != raw[i]]
    assert set(changed) <= {SIZE_OFFSET, PNP_OFFSET + PNP_CHECKSUM_FIELD}
    assert image[raw_length:-1] == bytes(len(image) - raw_length - 1)
    assert romsign("--check", "--strict", dst).returncode == 0


def test_raw_bytes_kept_at_block_boundary(tmp_path):
    """A raw image of exactly one block keeps its last byte: the checksum
    goes into a new block, not over the code."""
    raw = raw_image(BLOCK)
    raw[-1] = 0xC3
    result, dst = sign(tmp_path, raw)
    assert result.returncode == 0, result.stderr
    image = dst.read_bytes()
    assert image[BLOCK - 1] == 0xC3
    assert image[BLOCK:-1] == bytes(BLOCK - 1)


def test_bad_signature_is_refused(tmp_path):
    raw = raw_image(1200)
    raw[1] = 0xAB
    result, dst = sign(tmp_path, raw)
    assert_refused(result, "signature", dst)


def test_too_short_is_refused(tmp_path):
    result, dst = sign(tmp_path, b"\x55\xaa\x00\xcb")
    assert_refused(result, "too short", dst)


def test_oversized_image_is_refused(tmp_path):
    result, dst = sign(tmp_path, raw_image(MAX_BLOCKS * BLOCK))
    assert_refused(result, "over the limit", dst)


def test_max_size_option(tmp_path):
    result, dst = sign(tmp_path, raw_image(8 * BLOCK), "--max-size", 4096)
    assert_refused(result, "over the limit of 4096 bytes", dst)

    result, dst = sign(tmp_path, raw_image(8 * BLOCK - 1), "--max-size", 4096)
    assert result.returncode == 0, result.stderr
    assert len(dst.read_bytes()) == 4096


@pytest.mark.parametrize("bad", ["0", "511", "130561", "lots"])
def test_bad_max_size_is_a_usage_error(tmp_path, bad):
    result, dst = sign(tmp_path, raw_image(1200), "--max-size", bad)
    assert result.returncode == 2
    assert "--max-size" in result.stderr
    assert not dst.exists()


@pytest.mark.parametrize("pointer", [0x0000, 0x0010, 1200 - 16, 0xFFF0])
def test_pnp_pointer_out_of_range_is_refused(tmp_path, pointer):
    result, dst = sign(tmp_path, raw_image(1200, pnp_offset=pointer))
    assert_refused(result, "$PnP header", dst)


def test_bad_pnp_signature_is_refused(tmp_path):
    result, dst = sign(tmp_path, raw_image(1200, signature=b"$PnX"))
    assert_refused(result, "no $PnP signature", dst)


def test_short_pnp_length_is_refused(tmp_path):
    raw = raw_image(1200)
    raw[PNP_OFFSET + PNP_LENGTH_FIELD] = 1
    result, dst = sign(tmp_path, raw)
    assert_refused(result, "$PnP header length", dst)


def test_pnp_header_past_the_end_is_refused(tmp_path):
    raw = raw_image(1200)
    raw[PNP_OFFSET + PNP_LENGTH_FIELD] = 200        # 3200 bytes
    result, dst = sign(tmp_path, raw)
    assert_refused(result, "runs past the end", dst)


def test_bev_outside_image_is_refused(tmp_path):
    # Inside the padded output but outside the code: still refused.
    result, dst = sign(tmp_path, raw_image(1200, bev=1300))
    assert_refused(result, "BEV 0x0514", dst)


@pytest.mark.parametrize("following", [PNP_OFFSET, 0x100], ids=["itself", "another"])
def test_chained_pnp_header_is_refused(tmp_path, following):
    """SeaBIOS follows the "next header" field until a 0, without a bound:
    one that leads back to the header itself would hang POST.  The tool
    handles one header and takes none after it."""
    raw = raw_image(1200)
    put_u16(raw, PNP_OFFSET + PNP_NEXT_FIELD, following)
    result, dst = sign(tmp_path, raw)
    assert_refused(result, f"next header at 0x{following:04x}", dst)


def test_check_chained_pnp_header(tmp_path):
    image = signed_image(tmp_path)
    put_u16(image, PNP_OFFSET + PNP_NEXT_FIELD, PNP_OFFSET)
    image[PNP_OFFSET + PNP_CHECKSUM_FIELD] = 0
    image[PNP_OFFSET + PNP_CHECKSUM_FIELD] = -sum(
        image[PNP_OFFSET:PNP_OFFSET + PNP_SIZE]) & 0xFF
    rebalance(image)
    assert_refused(check_file(tmp_path, image), "only a single header is supported")


def test_no_bev_is_accepted(tmp_path):
    result, dst = sign(tmp_path, raw_image(1200, bev=0))
    assert result.returncode == 0, result.stderr
    check = romsign("--check", dst)
    assert check.returncode == 0
    assert "no BEV" in check.stdout


def test_check_wrong_checksum(tmp_path):
    image = signed_image(tmp_path)
    image[CODE_OFFSET + 100] ^= 0x01
    assert_refused(check_file(tmp_path, image), "checksum is wrong")


def test_check_size_byte_mismatch(tmp_path):
    image = signed_image(tmp_path)
    image[SIZE_OFFSET] = 2
    rebalance(image)
    assert_refused(check_file(tmp_path, image),
                   "size byte says 2 blocks (1024 bytes) but the file has "
                   "1536 bytes")


def test_check_bad_signature(tmp_path):
    image = signed_image(tmp_path)
    image[0] = 0x54
    rebalance(image)
    assert_refused(check_file(tmp_path, image), "no option ROM signature")


def test_check_truncated_mid_block(tmp_path):
    image = signed_image(tmp_path)
    assert_refused(check_file(tmp_path, image[:1000]),
                   "length 1000 is not a multiple of 512")


def test_check_truncated_at_block_boundary(tmp_path):
    image = signed_image(tmp_path)[:2 * BLOCK]
    rebalance(image)
    assert_refused(check_file(tmp_path, image), "size byte says 3 blocks")


def test_check_truncated_to_nothing(tmp_path):
    image = signed_image(tmp_path)
    assert_refused(check_file(tmp_path, image[:10]), "too short")


def test_check_missing_file(tmp_path):
    assert_refused(romsign("--check", tmp_path / "absent.bin"), "cannot read")


def test_check_bad_pnp_signature(tmp_path):
    image = signed_image(tmp_path)
    image[PNP_OFFSET + 1] = ord("X")
    rebalance(image)
    assert_refused(check_file(tmp_path, image), "no $PnP signature")


def test_check_bev_outside(tmp_path):
    image = signed_image(tmp_path)
    put_u16(image, PNP_OFFSET + PNP_BEV_FIELD, len(image))
    image[PNP_OFFSET + PNP_CHECKSUM_FIELD] = 0
    image[PNP_OFFSET + PNP_CHECKSUM_FIELD] = -sum(
        image[PNP_OFFSET:PNP_OFFSET + PNP_SIZE]) & 0xFF
    rebalance(image)
    assert_refused(check_file(tmp_path, image), "points outside the image")


def test_check_max_size(tmp_path):
    image = signed_image(tmp_path, length=5000)
    assert check_file(tmp_path, image).returncode == 0
    assert_refused(check_file(tmp_path, image, "--max-size", 4096),
                   "over the limit of 4096 bytes")


def test_check_wrong_pnp_checksum_warns(tmp_path):
    """Like QEMU's ROMs: a wrong $PnP header checksum is only a warning,
    and a failure with --strict."""
    image = signed_image(tmp_path)
    image[PNP_OFFSET + PNP_CHECKSUM_FIELD] ^= 0x10
    rebalance(image)

    result = check_file(tmp_path, image)
    assert result.returncode == 0
    assert "ok (" in result.stdout
    assert "warning: $PnP header checksum is wrong" in result.stderr

    assert_refused(check_file(tmp_path, image, "--strict"),
                   "$PnP header checksum is wrong")


def test_check_several_files_fails_if_one_fails(tmp_path):
    good = tmp_path / "good.bin"
    good.write_bytes(signed_image(tmp_path))
    bad = tmp_path / "bad.bin"
    bad.write_bytes(b"\x55\xaa\x01" + bytes(509))
    result = romsign("--check", good, bad)
    assert result.returncode == 1
    assert "%s: ok (" % good in result.stdout
    assert str(bad) in result.stderr


def test_usage_errors(tmp_path):
    assert romsign(tmp_path / "only-one").returncode == 2
    assert romsign("--strict", "a", "b").returncode == 2


def test_help_documents_pnp_checksum_leniency():
    result = romsign("--help")
    assert result.returncode == 0
    assert "--check" in result.stdout
    assert "--max-size" in result.stdout
    assert "warning" in result.stdout


@pytest.mark.parametrize("rom", QEMU_ROMS)
def test_check_accepts_qemu_roms(rom):
    result = romsign("--check", rom)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("romsign: %s: ok (" % rom)


@pytest.mark.parametrize("built", [BUILT_ROM, str(DROPIN_ROM)], ids=["rom", "dropin-only"])
def test_check_accepts_built_rom(built):
    """build/pvh.bin and build/dropin/pvh.bin come from `make all`, which
    always runs before the tests: a missing ROM is a failure, not a reason
    to skip."""
    assert os.path.isfile(built), f"{built} is missing: run make"
    result = romsign("--check", "--strict", built)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "BEV 0x" in result.stdout
