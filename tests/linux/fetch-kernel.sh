#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# fetch-kernel.sh OUTDIR
#
# Fetches Debian's cloud kernel once and leaves in OUTDIR:
#   vmlinux          the uncompressed ELF64 kernel (a PVH kernel: it carries a
#                    Xen PHYS32_ENTRY note), ready for -kernel or opt/pvh/kernel
#   vmlinux.version  "<package> <version>" of the Debian package it came from
#   <package>.deb    the downloaded package (kept, so a rebuild needs no network)
#
# The only network access is `apt-get download` (and one `apt-get update` if
# the package lists are missing).  A second run with the files in place does
# nothing.  Every failure names the command that failed.
set -euo pipefail

meta=linux-image-cloud-amd64

me=fetch-kernel
# die, run; $out from the argument.
. "$(dirname "$0")/../fetch-common.sh"

# elapsed T0 T1: seconds between two $EPOCHREALTIME readings.
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

# Cached: nothing to do (and no network).
if [ -s "$out/vmlinux" ] && [ -s "$out/vmlinux.version" ]; then
	echo "fetch-kernel: cached: $out/vmlinux ($(cat "$out/vmlinux.version"))"
	exit 0
fi

for tool in apt-cache apt-get dpkg-deb tar lz4 readelf od; do
	command -v "$tool" >/dev/null ||
		die "'$tool' not found (run scripts/setup-deps.sh, or install it)"
done

# 1. Which kernel package the meta package points at.
if ! apt-cache show "$meta" >/dev/null 2>&1; then
	echo "=================================================================="
	echo "fetch-kernel: apt knows no '$meta' (package lists missing?)"
	echo "fetch-kernel: running: apt-get update"
	echo "=================================================================="
	[ "$(id -u)" -eq 0 ] ||
		die "not root: run 'apt-get update' as root, then retry"
	run apt-get update
	apt-cache show "$meta" >/dev/null 2>&1 ||
		die "command failed: apt-cache show $meta (even after apt-get update)"
fi
deps=$(apt-cache depends "$meta") ||
	die "command failed: apt-cache depends $meta"
pkg=$(printf '%s\n' "$deps" |
	sed -n 's/^ *Depends: *\(linux-image-[^ ]*\).*/\1/p' | head -n 1)
[ -n "$pkg" ] ||
	die "no linux-image-* dependency in the output of: apt-cache depends $meta"
ver=$(apt-cache show --no-all-versions "$pkg" |
	sed -n 's/^Version: *//p' | head -n 1)
[ -n "$ver" ] || die "no Version in the output of: apt-cache show $pkg"

# 2. Download it (unless a previous run did).
deb="$out/$pkg.deb"
if [ ! -s "$deb" ]; then
	echo "fetch-kernel: downloading $pkg $ver"
	dl=$(mktemp -d "$out/download.XXXXXX")
	t0=$EPOCHREALTIME
	# apt drops privileges to _apt for downloads; the temporary directory
	# is ours (mode 700), so let apt download as the current user.
	(cd "$dl" && apt-get -q -o APT::Sandbox::User="$(id -un)" download "$pkg=$ver") ||
		{ rm -rf "$dl"; die "command failed: apt-get download $pkg=$ver"; }
	t1=$EPOCHREALTIME
	files=("$dl"/*.deb)
	[ -s "${files[0]}" ] ||
		{ rm -rf "$dl"; die "apt-get download $pkg=$ver produced no .deb"; }
	mv "${files[0]}" "$deb"
	rm -rf "$dl"
	echo "fetch-kernel: downloaded $(stat -c %s "$deb") bytes in" \
		"$(elapsed "$t0" "$t1") s"
fi

# 3. Unpack only /boot/vmlinuz-* (the modules are not needed).
t0=$EPOCHREALTIME
work=$(mktemp -d "$out/unpack.XXXXXX")
trap 'rm -rf "$work"' EXIT
set +e
dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$work" --wildcards './boot/vmlinuz-*'
st=("${PIPESTATUS[@]}")
set -e
[ "${st[0]}" -eq 0 ] || die "command failed (exit ${st[0]}): dpkg-deb --fsys-tarfile $deb"
[ "${st[1]}" -eq 0 ] ||
	die "command failed (exit ${st[1]}): tar -x -C $work --wildcards './boot/vmlinuz-*'"
bz=("$work"/boot/vmlinuz-*)
[ -s "${bz[0]}" ] || die "no /boot/vmlinuz-* in $deb"
bz=${bz[0]}

# 4. Find the compressed payload.  The x86 boot protocol (2.08+) gives its
# place: the protected-mode part starts at (setup_sects + 1) * 512 (setup_sects
# is the byte at 0x1f1; 0 means 4), and the 32-bit fields at 0x248 and 0x24c
# hold payload_offset (from that start) and payload_length.  The payload must
# begin with the LZ4 legacy frame magic 02 21 4c 18; its last 4 bytes are the
# uncompressed size (little-endian), appended by the kernel build.
u8() { od -An -v -t u1 -j "$2" -N 1 "$1" | tr -d ' '; }
u32() { od -An -v -t u4 -j "$2" -N 4 "$1" | tr -d ' '; }
[ "$(od -An -c -j $((0x202)) -N 4 "$bz" | tr -d ' ')" = "HdrS" ] ||
	die "$bz is not a bzImage (no HdrS at 0x202)"
setup_sects=$(u8 "$bz" $((0x1f1)))
[ "$setup_sects" -ne 0 ] || setup_sects=4
pm_start=$(((setup_sects + 1) * 512))
pl_off=$((pm_start + $(u32 "$bz" $((0x248)))))
pl_len=$(u32 "$bz" $((0x24c)))
magic=$(od -An -v -t x1 -j "$pl_off" -N 4 "$bz" | tr -d ' ')
if [ "$magic" != "02214c18" ]; then
	# Not where the header says: fall back to the first LZ4 legacy magic.
	hit=$(LC_ALL=C grep -obUaP '\x02\x21\x4c\x18' "$bz" | head -n 1 | cut -d: -f1)
	[ -n "$hit" ] ||
		die "no LZ4 legacy frame (02 21 4c 18) in $bz (payload at $pl_off has magic $magic)"
	echo "fetch-kernel: warning: header payload offset $pl_off has magic" \
		"$magic; using the LZ4 magic found at $hit"
	pl_off=$hit
	pl_len=$(($(stat -c %s "$bz") - hit))
fi
want=$(u32 "$bz" $((pl_off + pl_len - 4)))

# 5. Decompress exactly the LZ4 stream (without the 4-byte size trailer,
# which lz4 would take for the start of another block).
dd if="$bz" bs=1M iflag=skip_bytes,count_bytes skip="$pl_off" \
	count=$((pl_len - 4)) status=none | lz4 -dc >"$work/vmlinux" ||
	die "command failed: lz4 -dc (payload of $bz at offset $pl_off, $pl_len bytes)"
t1=$EPOCHREALTIME
got=$(stat -c %s "$work/vmlinux")
[ "$got" -eq "$want" ] ||
	die "lz4 -dc gave $got bytes; the bzImage says $want"

# 6. Check it is what the ROM needs: ELF64 x86-64 with a Xen PHYS32_ENTRY note.
hdr=$(readelf -h "$work/vmlinux" 2>&1) ||
	die "command failed: readelf -h (decompressed vmlinux): $hdr"
grep -q 'Class: *ELF64' <<<"$hdr" || die "decompressed vmlinux is not ELF64"
grep -q 'Machine: *Advanced Micro Devices X86-64' <<<"$hdr" ||
	die "decompressed vmlinux is not an x86-64 ELF"
notes=$(readelf -n "$work/vmlinux" 2>&1) ||
	die "command failed: readelf -n (decompressed vmlinux)"
# readelf names type 18 of owner "Xen" either by name or as "Unknown note type: (0x00000012)".
grep -Eq '^[[:space:]]*Xen[[:space:]]+0x[0-9a-f]+[[:space:]]+(.*PHYS32_ENTRY|Unknown note type: \(0x00000012\))' <<<"$notes" ||
	die "decompressed vmlinux has no Xen PHYS32_ENTRY note (readelf -n)"

echo "$pkg $ver" >"$work/vmlinux.version"
mv "$work/vmlinux.version" "$out/vmlinux.version"
mv "$work/vmlinux" "$out/vmlinux"
echo "fetch-kernel: $out/vmlinux: $got bytes, from $pkg $ver" \
	"(unpacked in $(elapsed "$t0" "$t1") s)"
