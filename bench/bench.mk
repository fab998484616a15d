# SPDX-License-Identifier: GPL-2.0-or-later
#
# Benchmarks: our pvh.bin against QEMU's installed one (bench/bench.py).
#
#   make bench                    TCG, 10 runs of each setup per case;
#                                 rewrites bench/results.md and bench/rom-phase.png
#   make bench PVH_ACCEL=kvm      the same under KVM: bench/results-kvm.md
#   make bench BENCH_ARGS="--pairs 20 --initrd-mib 0,8,32,128"
#   make bench-smoke              one run of each kind, tiny sizes (part of
#                                 `make check`: fails on breakage, never on timing)

BENCH_DIR := $(BUILD)/bench
BENCH_MEMCPY := $(BENCH_DIR)/memcpy-bw
BENCH_ACCEL = $(or $(PVH_ACCEL),tcg)
BENCH_ARGS ?=

ALL_TARGETS += $(BENCH_MEMCPY)
HOST_CHECKS += bench-smoke

.PHONY: bench bench-smoke

$(BENCH_DIR)/.dir:
	mkdir -p $(BENCH_DIR) && touch $@

$(BENCH_MEMCPY): bench/memcpy-bw.c | $(BENCH_DIR)/.dir
	$(CC) $(HOST_CFLAGS) -o $@ $<

# The same ROM with one debug-port write at the start of its INT 19h hook
# (-DPVH_BENCH_PROBE): the ROM-phase runs use it to time the phase from
# there.  Built from the same sources in a BUILD directory of its own; a
# sub-make, so that its objects never mix with the real ROM's.
BENCH_PROBE_ROM := $(BENCH_DIR)/probe/pvh.bin

.PHONY: $(BENCH_PROBE_ROM)
$(BENCH_PROBE_ROM):
	$(MAKE) --no-print-directory BUILD=$(BENCH_DIR)/probe \
		ROM_EXTRA=-DPVH_BENCH_PROBE $@

# The drop-in-only ROM (ROM_SELFLOAD=0) with the same probe.
BENCH_PROBE_DROPIN_ROM := $(BENCH_DIR)/probe-dropin/pvh.bin

.PHONY: $(BENCH_PROBE_DROPIN_ROM)
$(BENCH_PROBE_DROPIN_ROM):
	$(MAKE) --no-print-directory BUILD=$(BENCH_DIR)/probe-dropin \
		ROM_SELFLOAD=0 ROM_EXTRA=-DPVH_BENCH_PROBE $@

BENCH_PY = PVH_BUILD=$(abspath $(BUILD)) $(PYTHON) bench/bench.py --accel $(BENCH_ACCEL) \
	--probe-rom $(BENCH_PROBE_ROM) --dropin-probe-rom $(BENCH_PROBE_DROPIN_ROM)

bench: deps
	$(MAKE) --no-print-directory $(BUILD)/pvh.bin $(ROM_DROPIN) $(BENCH_PROBE_ROM) \
		$(BENCH_PROBE_DROPIN_ROM) $(GUESTS) \
		$(BENCH_MEMCPY) $(LINUX_VMLINUX) $(LINUX_INIT) $(LINUX_INITRD)
	$(BENCH_PY) $(BENCH_ARGS)

bench-smoke: $(BUILD)/pvh.bin $(ROM_DROPIN) $(BENCH_PROBE_ROM) $(BENCH_PROBE_DROPIN_ROM) \
		$(GUESTS) $(BENCH_MEMCPY) \
		$(LINUX_VMLINUX) $(LINUX_INIT) $(LINUX_INITRD)
	$(BENCH_PY) --smoke
	$(PYTHON) bench/phasepairs.py --accel $(BENCH_ACCEL) --pairs 1 $(BENCH_PROBE_ROM)
