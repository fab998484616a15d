# SPDX-License-Identifier: GPL-2.0-or-later
#
# The test suite again, with the newest QEMU and SeaBIOS that Debian offers
# this release (its backports suite; QEMU 10.0 for Debian 12), fetched once
# into $(BUILD)/qemu-backports without touching the system (fetch-qemu.sh):
#
#   make check-qemu-backports [PYTEST_ARGS=...]
#
# `make check` tests with the system's QEMU; .ci/run runs both.

QEMU_BACKPORTS := $(BUILD)/qemu-backports

.PHONY: check-qemu-backports
check-qemu-backports: deps
	$(MAKE) --no-print-directory all $(CHECK_PREREQS)
	tests/qemu-backports/fetch-qemu.sh $(QEMU_BACKPORTS)
	PVH_QEMU=$(abspath $(QEMU_BACKPORTS))/qemu-system-x86_64 \
		PVH_QEMU_DATA=$(abspath $(QEMU_BACKPORTS))/share $(RUN_TESTS)
