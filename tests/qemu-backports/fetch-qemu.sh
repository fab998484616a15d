#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# fetch-qemu.sh OUTDIR
#
# Fetches, once, the newest QEMU that Debian offers this release (from its
# backports suite: QEMU 10.0 for Debian 12) with the SeaBIOS built for it,
# and leaves in OUTDIR, without installing anything on the system:
#   root/                  the packages' files (dpkg-deb -x)
#   share/                 QEMU's firmware directory: its own pvh.bin, its
#                          option ROMs and that SeaBIOS (bios-256k.bin, ...)
#   qemu-system-x86_64     a wrapper that runs root's QEMU with its own
#                          modules, and -L share after the caller's -L
#                          options (the first -L that has a file wins, so a
#                          test's -L build still puts our pvh.bin first)
#   version                "<package> <version>" of each package
#   *.deb                  the downloaded packages (kept: no network again)
#
# `make check-qemu-backports` runs the test suite with it.  The only network
# access is one `apt-get update` and `apt-get download`, both with a package
# list of their own under OUTDIR (the system's apt configuration is not
# touched).  A second run with the files in place does nothing.  Every
# failure names the command that failed.
set -euo pipefail

packages=(qemu-system-x86 qemu-system-common qemu-system-data seabios)
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
mirror=http://deb.debian.org/debian

me=fetch-qemu
# die, run; $out from the argument.
. "$(dirname "$0")/../fetch-common.sh"

if [ -x "$out/qemu-system-x86_64" ] && [ -s "$out/version" ]; then
	echo "fetch-qemu: cached: $out ($(head -n 1 "$out/version"))"
	exit 0
fi

for tool in apt-get apt-cache dpkg-deb ldd; do
	command -v "$tool" >/dev/null || die "'$tool' not found"
done
[ -s "$keyring" ] || die "$keyring is missing (Debian's debian-archive-keyring package)"
codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
[ -n "$codename" ] || die "no VERSION_CODENAME in /etc/os-release"
suite=$codename-backports

# 1. A package list of our own: the backports suite alone.
apt_dir=$out/apt
mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" ||
	die "command failed: mkdir -p $apt_dir/..."
echo "deb [signed-by=$keyring] $mirror $suite main" >"$apt_dir/sources.list"
apt_opts=(-o "Dir::Etc::SourceList=$apt_dir/sources.list" -o "Dir::Etc::SourceParts=/dev/null"
	-o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache"
	-o "APT::Sandbox::User=$(id -un)")
echo "=================================================================="
echo "fetch-qemu: fetching QEMU from $suite: apt-get update (package list under $apt_dir)"
echo "=================================================================="
run apt-get -q "${apt_opts[@]}" update

# 2. Download the packages, at the versions the backports suite has.
dl=$(mktemp -d "$out/download.XXXXXX")
trap 'rm -rf "$dl"' EXIT
specs=()
for p in "${packages[@]}"; do
	v=$(apt-cache "${apt_opts[@]}" madison "$p" | awk -v s="$suite" '$0 ~ s { print $3; exit }')
	[ -n "$v" ] || die "$suite has no package $p (apt-cache madison $p)"
	specs+=("$p=$v")
done
echo "fetch-qemu: downloading ${specs[*]}"
(cd "$dl" && apt-get -q "${apt_opts[@]}" download "${specs[@]}") ||
	die "command failed: apt-get download ${specs[*]}"

# 3. Unpack them side by side.
rm -rf "$out/root" "$out/share"
for deb in "$dl"/*.deb; do
	run dpkg-deb -x "$deb" "$out/root"
done
bin=$out/root/usr/bin/qemu-system-x86_64
[ -x "$bin" ] || die "no usr/bin/qemu-system-x86_64 in the packages"
missing=$(ldd "$bin" | awk '/not found/ { print $1 }')
[ -z "$missing" ] || die "$bin needs libraries this system lacks: $missing"
run mkdir -p "$out/share"
run cp -a "$out/root/usr/share/qemu/." "$out/share/"
run cp -a "$out/root/usr/share/seabios/." "$out/share/"
[ -s "$out/share/pvh.bin" ] && [ -s "$out/share/bios-256k.bin" ] ||
	die "pvh.bin or bios-256k.bin missing from $out/share"
# Its loadable modules (display, audio, ...): without QEMU_MODULE_DIR it
# would try the system QEMU's, which it refuses, with a warning each.  One
# warning stays, for ui-opengl.so: that module is in qemu-system-gui, which
# this script does not fetch (the tests need no display).
mod=$(find "$out/root/usr/lib" -name 'hw-display-*.so' -print -quit)
[ -n "$mod" ] || die "no QEMU modules (hw-display-*.so) under $out/root/usr/lib"
moddir=$(dirname "$mod")

cat >"$out/qemu-system-x86_64" <<EOF
#!/bin/sh
# Written by tests/qemu-backports/fetch-qemu.sh: QEMU from $suite.
QEMU_MODULE_DIR='$moddir' exec '$bin' "\$@" -L '$out/share'
EOF
run chmod +x "$out/qemu-system-x86_64"
for s in "${specs[@]}"; do
	echo "${s%%=*} ${s#*=}"
done >"$out/version"
mv "$dl"/*.deb "$out/"
echo "fetch-qemu: $("$out/qemu-system-x86_64" --version | head -n 1), firmware in $out/share"
