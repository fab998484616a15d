#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# `make run`: boots a PVH kernel through build/pvh.bin in QEMU (TCG unless
# PVH_ACCEL=kvm), the way QEMU's own -kernel path would, with our ROM in
# place of QEMU's (-L build first).  Without KERNEL it boots the demo guest,
# which prints on the serial console what it received.
#
#   scripts/run.sh [KERNEL [INITRD [APPEND]]]
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top/build}
kernel=${1:-}
initrd=${2:-}
append=${3:-}
accel=${PVH_ACCEL:-tcg}
qemu=${PVH_QEMU:-qemu-system-x86_64}
qemu_data=${PVH_QEMU_DATA:-/usr/share/qemu}

args=(-machine q35 -accel "$accel" -m 512M -nographic -no-reboot
      -L "$build" -L "$qemu_data")

if [ -z "$kernel" ]; then
	kernel=$build/guests/guest64.elf
	append="pvh.demo ${append:-console=ttyS0 hello from make run}"
	# The demo guest ends by writing to isa-debug-exit.
	args+=(-device isa-debug-exit,iobase=0xf4,iosize=4)
	demo=1
fi
args+=(-kernel "$kernel")
[ -n "$initrd" ] && args+=(-initrd "$initrd")
[ -n "$append" ] && args+=(-append "$append")

echo "+ $qemu ${args[*]}" >&2
set +e
"$qemu" "${args[@]}"
rc=$?
set -e
# isa-debug-exit: status 33 is the demo guest's "report complete".
if [ -n "${demo:-}" ]; then
	[ "$rc" -eq 33 ] && exit 0
	if [ "$rc" -eq 37 ]; then
		echo "run: the demo guest found ABI problems (see its report above)" >&2
		exit 1
	fi
	echo "run: the demo guest did not complete (QEMU exit status $rc)" >&2
	exit 1
fi
exit "$rc"
