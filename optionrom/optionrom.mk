# SPDX-License-Identifier: GPL-2.0-or-later
# The option ROM: build/pvh.bin (signed), build/pvh.elf (with symbols).

# The project's goal is 4096 bytes; the ROM does not meet it yet (see
# README, "Size").  ROM_MAX_SIZE is the hard ceiling the build enforces so
# that growth stays visible; ROM_GOAL_SIZE is printed with every build.
ROM_GOAL_SIZE := 4096
ROM_MAX_SIZE := 8192
ROM_OBJDIR := $(BUILD)/optionrom

# The tools that build the ROM, apart from the host's: on a host that is
# not x86, ROM_CROSS names a cross toolchain by its prefix (make rom
# ROM_CROSS=x86_64-linux-gnu-), and ROM_CC, ROM_OBJCOPY, ROM_NM each
# tool itself.  Without them the ROM is built with the host's $(CC).
ROM_CROSS ?=
ROM_CC ?= $(if $(ROM_CROSS),$(ROM_CROSS)gcc,$(CC))
ROM_OBJCOPY ?= $(ROM_CROSS)objcopy
ROM_NM ?= $(ROM_CROSS)nm

# Freestanding 32-bit code for any CPU SeaBIOS runs on, down to QEMU's
# oldest model, the 486 (isapc's default): no cmov, and the assembler
# refuses any later instruction in entry.S or inline asm.  Only the
# compiler's own headers, no libc, no libgcc; -mregparm=3 passes the first
# three arguments in EAX, EDX, ECX (entry.S relies on it).  -Oz (GCC 12)
# and link-time optimisation favour size over speed: the ROM runs for a
# millisecond, and under TCG its time is mostly spent translating code, so
# fewer bytes are also faster.
# GCC only: the options below (and the size and page-boundary budgets they
# were tuned for) are GCC's; clang rejects several and makes a larger image.
# Asked when the ROM is built (the flags stamp's recipe), not at every make.
ROM_REQUIRE_GCC = $(if $(filter-out 0,$(shell $(ROM_CC) -dM -E -x c /dev/null 2>/dev/null | grep -c __clang__)),\
	$(error $(ROM_CC) is clang: the ROM is built with GCC: run make with CC=gcc (or ROM_CC=gcc)))
ROM_CFLAGS := -std=c11 -m32 -march=i486 -Wa,-march=i486 -Oz -flto -malign-data=abi -fomit-frame-pointer \
	-ffreestanding -fno-pic -fno-pie \
	-nostdlib -nostdinc -isystem $(shell $(ROM_CC) -m32 -print-file-name=include) \
	-fno-stack-protector -fno-asynchronous-unwind-tables -fno-unwind-tables \
	-fno-common -mregparm=3 -mpreferred-stack-boundary=2 -mno-sse -mno-mmx -mno-80387 \
	-Wall -Wextra -Werror -Ioptionrom -Icommon
ROM_ASFLAGS := -m32 -Wa,-march=i486 -Ioptionrom -Icommon
# Extra compiler flags for variant builds, best each in a BUILD directory
# of its own (a change of flags rebuilds the ROM): bench/bench.mk builds one
# with -DPVH_BENCH_PROBE; ROM_EXTRA=-g gives a pvh.elf with line
# information (addr2line) and the same image.
ROM_EXTRA ?=
ROM_CFLAGS += $(ROM_EXTRA)
ROM_ASFLAGS += $(ROM_EXTRA)

# Optimisations -Oz would run that make this code larger with GCC 12 (each
# by 4 to 20 bytes, 72 together; formerly some were applied to the
# self-load files alone), chosen so that the drop-in boot translates no
# more blocks under TCG (bench/tbprofile.py: one fewer).  Others that save
# bytes but cost blocks: -fno-inline-small-functions (visit() out of line),
# -fno-tree-fre, -fno-ssa-phiopt, -fno-optimize-sibling-calls.  Measure
# again with another compiler.
ROM_CFLAGS += -fno-strict-aliasing -flive-range-shrinkage -fno-tree-vrp -fno-tree-loop-im \
	-fno-code-hoisting -fno-forward-propagate -fno-tree-tail-merge -fno-shrink-wrap

# pvh_main(), with most of the boot inlined into it (main.c), is smaller
# still without global CSE, tree DCE and loop-invariant motion in RTL: 52
# bytes, measured with the same block counts (but one fewer in self-load).
# Not for the other files, where they cost bytes or blocks.  With -flto
# each function's options travel with it to the link.
$(ROM_OBJDIR)/main.o: ROM_CFLAGS += -fno-gcse -fno-tree-dce -fno-move-loop-invariants

# ROM_SELFLOAD=0 builds the drop-in for QEMU's -kernel alone, as QEMU's
# pc-bios/pvh.bin is (common/config.h): without the files below, so that
# the link fails should any of their code still be called.
ROM_SELFLOAD ?= 1
ifeq ($(filter 0 1,$(ROM_SELFLOAD)),)
$(error ROM_SELFLOAD must be 0 or 1, not "$(ROM_SELFLOAD)")
endif
ROM_CFLAGS += -DCONFIG_SELFLOAD=$(ROM_SELFLOAD)
ROM_SELFLOAD_ONLY := optionrom/selfload.c optionrom/files.c optionrom/bootorder.c \
	common/bootorder.c common/pvh_elf.c

ROM_COMMON := freemem message acpi bootorder pvh_elf
ROM_SOURCES := $(wildcard optionrom/*.c) $(patsubst %,common/%.c,$(ROM_COMMON))
ifeq ($(ROM_SELFLOAD),0)
ROM_SOURCES := $(filter-out $(ROM_SELFLOAD_ONLY),$(ROM_SOURCES))
endif
ROM_OBJS := $(ROM_OBJDIR)/entry.o \
	$(patsubst optionrom/%.c,$(ROM_OBJDIR)/%.o,$(filter optionrom/%,$(ROM_SOURCES))) \
	$(patsubst common/%.c,$(ROM_OBJDIR)/common/%.o,$(filter common/%,$(ROM_SOURCES)))

# V=1 shows the full commands.
ifeq ($(V),1)
Q :=
else
Q := @
endif

# The flags each object was built with, rewritten only when they change
# (ROM_EXTRA on the command line, say): a change rebuilds the ROM.
ROM_FLAGS_STAMP := $(ROM_OBJDIR)/flags
ROM_FLAGS_NOW := $(ROM_CC) $(ROM_CFLAGS) | $(ROM_ASFLAGS) | $(ROM_OBJCOPY) $(ROM_NM)
$(ROM_FLAGS_STAMP): FORCE | $(ROM_OBJDIR)
	$(ROM_REQUIRE_GCC)
	$(Q)echo '$(ROM_FLAGS_NOW)' | cmp -s - $@ || echo '$(ROM_FLAGS_NOW)' > $@
.PHONY: FORCE
FORCE:

$(ROM_OBJDIR)/%.o: optionrom/%.c $(wildcard optionrom/*.h common/*.h) optionrom/optionrom.mk $(ROM_FLAGS_STAMP) | $(ROM_OBJDIR)
	@echo "  CC      $<"
	$(Q)$(ROM_CC) $(ROM_CFLAGS) -c -o $@ $<

$(ROM_OBJDIR)/common/%.o: common/%.c $(wildcard optionrom/*.h common/*.h) optionrom/optionrom.mk $(ROM_FLAGS_STAMP) | $(ROM_OBJDIR)
	@echo "  CC      $< (ROM)"
	$(Q)$(ROM_CC) $(ROM_CFLAGS) -c -o $@ $<

$(ROM_OBJDIR)/entry.o: optionrom/entry.S optionrom/layout.h common/e820.h $(ROM_FLAGS_STAMP) | $(ROM_OBJDIR)
	@echo "  AS      $<"
	$(Q)$(ROM_CC) $(ROM_ASFLAGS) -c -o $@ $<

$(ROM_OBJDIR)/rom.lds: optionrom/rom.ld optionrom/layout.h optionrom/optionrom.mk | $(ROM_OBJDIR)
	$(Q)$(ROM_CC) -E -P -undef -x c -Ioptionrom -DROM_MAX_SIZE=$(ROM_MAX_SIZE) -o $@ $<

$(ROM_OBJDIR):
	mkdir -p $@ $@/common

# Every section is placed by name or the link fails (--orphan-handling).
$(BUILD)/pvh.elf: $(ROM_OBJS) $(ROM_OBJDIR)/rom.lds
	@echo "  LD      $@"
	$(Q)$(ROM_CC) $(ROM_CFLAGS) -static -no-pie -o $@ $(ROM_OBJS) \
		-Wl,-T,$(ROM_OBJDIR)/rom.lds -Wl,--orphan-handling=error \
		-Wl,--build-id=none -Wl,--no-warn-rwx-segments

# objcopy takes every allocated section with contents; the check makes sure
# that is exactly the image the linker script laid out.
$(ROM_OBJDIR)/pvh.raw: $(BUILD)/pvh.elf
	$(Q)$(ROM_OBJCOPY) -O binary $< $@
	@start=$$($(ROM_NM) $< | awk '$$3 == "_image_start" { print $$1 }'); \
	end=$$($(ROM_NM) $< | awk '$$3 == "_image_end" { print $$1 }'); \
	expected=$$((0x$$end - 0x$$start)); actual=$$(stat -c %s $@); \
	if [ "$$expected" != "$$actual" ]; then \
		echo "pvh.raw is $$actual bytes, the linked image $$expected: a section escaped the image" >&2; \
		rm -f $@; exit 1; fi

$(BUILD)/pvh.bin: $(ROM_OBJDIR)/pvh.raw tools/romsign.py
	$(Q)$(PYTHON) tools/romsign.py --max-size $(ROM_MAX_SIZE) $< $@
	@echo "$@: $$(stat -c %s $@) bytes (goal $(ROM_GOAL_SIZE), hard limit $(ROM_MAX_SIZE)); code and data $$(stat -c %s $<) bytes$(if $(filter 0,$(ROM_SELFLOAD)), (drop-in only))"

ALL_TARGETS += $(BUILD)/pvh.bin

# The drop-in-only ROM beside it, for the tests and for comparison: built
# from the same sources with ROM_SELFLOAD=0 in a BUILD directory of its
# own (a sub-make, so that its objects never mix with the real ROM's).
ROM_DROPIN := $(BUILD)/dropin/pvh.bin

.PHONY: $(ROM_DROPIN)
$(ROM_DROPIN):
	$(Q)$(MAKE) --no-print-directory BUILD=$(BUILD)/dropin ROM_SELFLOAD=0 $@

ALL_TARGETS += $(ROM_DROPIN)

# The ROM alone, without the host tools, test guests and benchmarks.
.PHONY: rom
rom: $(BUILD)/pvh.bin
