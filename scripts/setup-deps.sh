#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The one place where pvh.bin installs what it needs from Debian.  `make run`,
# `make check` and `make bench` call it first.  Packages already present are
# left alone; missing ones are installed loudly, after one `apt-get update`.
# Without root (or apt) it stops and prints the exact command to run.
set -euo pipefail

# Package list: what each is for.
packages=(
	qemu-system-x86      # qemu-system-x86_64, SeaBIOS and QEMU's pvh.bin
	seabios              # its microvm build, for the microvm test (QEMU depends on it)
	ipxe-qemu            # NIC option ROMs for the boot-order tests
	python3-pytest       # the test runner (/usr/bin/python3 -m pytest)
	python3-pytest-xdist # running the QEMU tests on both cores
	lz4                  # unpacking the Debian kernel's vmlinux
	python3-matplotlib   # the benchmark plot
	clang                # the fuzzer build (`make fuzz`, `make check`)
	libclang-rt-14-dev   # libFuzzer and sanitizer runtimes for `make fuzz`
	libc6-dev            # the static test init of the real-Linux tests
)

missing=()
for p in "${packages[@]}"; do
	status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	[ "$status" = "install ok installed" ] || missing+=("$p")
done

[ ${#missing[@]} -eq 0 ] && exit 0

cmd="apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
echo "=================================================================="
echo "pvh.bin: missing Debian packages: ${missing[*]}"
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
	echo "pvh.bin: cannot install them here; run as root:"
	echo "    $cmd"
	echo "=================================================================="
	exit 1
fi
echo "pvh.bin: installing them now: $cmd"
echo "=================================================================="
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends "${missing[@]}"
