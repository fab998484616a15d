# SPDX-License-Identifier: GPL-2.0-or-later
#
# Sourced by the scripts that fetch Debian packages for the tests
# (tests/linux/fetch-kernel.sh, tests/qemu-backports/fetch-qemu.sh), after
# they set `me` to their name: error helpers, and their one argument, the
# output directory, made absolute in `out`.

# die MESSAGE: stop, saying why.
die() {
	echo "$me: error: $*" >&2
	exit 1
}

# run CMD...: run a command; on failure, stop and name it.
run() {
	"$@" || die "command failed (exit $?): $*"
}

[ $# -eq 1 ] || die "usage: $0 OUTDIR"
out=$1
mkdir -p "$out" || die "command failed: mkdir -p $out"
out=$(cd "$out" && pwd)
