# SPDX-License-Identifier: GPL-2.0-or-later
#
# pvh.bin: a SeaBIOS option ROM that boots PVH kernels.
#
#   make          build build/pvh.bin, the test guests and the host tools
#   make rom      build/pvh.bin alone (ROM_CROSS=x86_64-linux-gnu- on other hosts)
#   make run      boot the demo guest (or KERNEL=... INITRD=... APPEND=...)
#   make check    every test (installs missing Debian packages first)
#   make check-qemu-backports  the same tests with Debian's newest QEMU
#   make fuzz     run the ELF validation fuzzer (FUZZ_SECONDS=60)
#   make bench    side-by-side benchmarks against QEMU's pvh.bin
#   make install  install the ROM under $(PREFIX)/share/pvh-bin, pvh-inspect
#                 under $(PREFIX)/bin (install-rom: the ROM alone)

BUILD ?= build
PREFIX ?= /usr/local
PYTHON ?= /usr/bin/python3
CC ?= gcc
ifeq ($(origin CC),default)
CC := gcc
endif
CLANG ?= clang

# Host-side code (tools, unit tests): the same common/ sources as the ROM.
HOST_CFLAGS := -std=c11 -O2 -g -Wall -Wextra -Werror -Icommon

.PHONY: all deps run check fuzz bench install install-rom clean
all:

deps:
	@scripts/setup-deps.sh

include optionrom/optionrom.mk
include tools/tools.mk
include tests/guests/guests.mk
include tests/unit/unit.mk
include tests/linux/linux.mk
include tests/memaudit/memaudit.mk
include tests/qemu-backports/qemu-backports.mk
-include bench/bench.mk

# Each fragment above adds to:
#   ALL_TARGETS     what `make` builds
#   CHECK_PREREQS   what the tests need beyond ALL_TARGETS (e.g. a cached kernel)
#   HOST_CHECKS     phony targets run by `make check` before pytest
all: $(ALL_TARGETS)

$(BUILD):
	mkdir -p $@

# make run [KERNEL=vmlinux] [INITRD=rd.cpio] [APPEND="console=ttyS0"]
KERNEL ?=
INITRD ?=
APPEND ?=
run: deps
	$(MAKE) --no-print-directory all
	BUILD=$(abspath $(BUILD)) scripts/run.sh "$(KERNEL)" "$(INITRD)" "$(APPEND)"

# Installed under its own name and directory, so QEMU's pc-bios/pvh.bin is
# never overwritten; point QEMU at it with -L $(PREFIX)/share/pvh-bin.
# install-rom: the ROM alone, built by `make rom` (a cross build, say).
install: install-rom $(BUILD)/pvh-inspect
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 0755 $(BUILD)/pvh-inspect $(DESTDIR)$(PREFIX)/bin/pvh-inspect

install-rom: $(BUILD)/pvh.bin
	install -d $(DESTDIR)$(PREFIX)/share/pvh-bin
	install -m 0644 $(BUILD)/pvh.bin $(DESTDIR)$(PREFIX)/share/pvh-bin/pvh.bin

# pytest options: PYTEST_ARGS="-k selfload -x", PVH_ACCEL=kvm for KVM.
PYTEST_ARGS ?=
# The test suite; check-qemu-backports runs it with another QEMU in the environment.
RUN_TESTS = PVH_BUILD=$(abspath $(BUILD)) $(PYTHON) -m pytest -n 2 -ra tests $(PYTEST_ARGS)
check: deps
	$(MAKE) --no-print-directory all $(CHECK_PREREQS)
	$(MAKE) --no-print-directory $(HOST_CHECKS)
	$(RUN_TESTS)

clean:
	rm -rf $(BUILD)/*.o $(BUILD)/optionrom $(BUILD)/guests $(BUILD)/unit \
	       $(BUILD)/pvh.bin $(BUILD)/pvh.elf $(BUILD)/pvh-inspect \
	       $(BUILD)/dropin $(BUILD)/bench/probe $(BUILD)/bench/probe-dropin
