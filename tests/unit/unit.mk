# SPDX-License-Identifier: GPL-2.0-or-later
# Host unit tests of the shared code (common/), run by `make check` as
# `unit-check`:
#   build/unit/elf-test       common/pvh_elf.c over the generated corpus
#   build/unit/common-test    e820, freemem, messages, the RSDP scan and the
#                             QEMU map model
#   rom-compat                pvh_elf.c as the ROM compiles it: stack use and
#                             the only symbols it needs from outside
# All built with AddressSanitizer and UndefinedBehaviorSanitizer.

UNIT_DIR := $(BUILD)/unit
UNIT_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
UNIT_CFLAGS := $(HOST_CFLAGS) -Itools -Itests/unit $(UNIT_SAN)
UNIT_COMMON := common/pvh_elf.c common/freemem.c common/e820.c common/message.c \
	common/acpi.c common/bootorder.c tools/qemu_map.c
UNIT_DEPS := $(UNIT_COMMON) $(wildcard common/*.h) tools/qemu_map.h tests/unit/image_check.h tests/unit/check.h

# Stack budget of pvh_elf_check() and everything it calls, in the ROM.
UNIT_ROM_STACK_MAX := 1024

$(UNIT_DIR):
	mkdir -p $@

$(UNIT_DIR)/elf-test: tests/unit/elf_test.c $(UNIT_DEPS) | $(UNIT_DIR)
	$(CC) $(UNIT_CFLAGS) -o $@ $< $(UNIT_COMMON)

# message.c as a ROM built with ROM_SELFLOAD=0 has it (common/config.h),
# its format_message() renamed so that common-test holds both tables.
$(UNIT_DIR)/message-dropin.o: common/message.c $(wildcard common/*.h) | $(UNIT_DIR)
	$(CC) $(UNIT_CFLAGS) -DCONFIG_SELFLOAD=0 -Dformat_message=format_message_dropin -c -o $@ $<

$(UNIT_DIR)/common-test: tests/unit/common_test.c $(UNIT_DEPS) $(UNIT_DIR)/message-dropin.o | $(UNIT_DIR)
	$(CC) $(UNIT_CFLAGS) -o $@ $< $(UNIT_COMMON) $(UNIT_DIR)/message-dropin.o

$(UNIT_DIR)/corpus/manifest: tests/unit/elf_corpus.py | $(UNIT_DIR)
	rm -rf $(UNIT_DIR)/corpus
	$(PYTHON) tests/unit/elf_corpus.py $(UNIT_DIR)/corpus

# pvh_elf.c with the ROM's flags (without -flto, to see its own frames).
$(UNIT_DIR)/pvh_elf-rom.o: common/pvh_elf.c $(wildcard common/*.h) | $(UNIT_DIR)
	$(CC) $(filter-out -flto,$(ROM_CFLAGS)) -fstack-usage -c -o $@ $<

.PHONY: unit-check rom-compat
rom-compat: $(UNIT_DIR)/pvh_elf-rom.o
	@su=$(UNIT_DIR)/pvh_elf-rom.su; \
	if grep -v 'bounded$$\|static$$' $$su; then \
		echo "rom-compat: unbounded stack use in pvh_elf.c" >&2; exit 1; fi; \
	total=$$(awk '{s += $$2} END {print s}' $$su); \
	echo "rom-compat: pvh_elf.c stack, all frames together: $$total bytes (limit $(UNIT_ROM_STACK_MAX))"; \
	[ $$total -le $(UNIT_ROM_STACK_MAX) ] || { echo "rom-compat: too much stack" >&2; exit 1; }; \
	extra=$$(nm -u $< | awk '{print $$2}' | grep -vx 'freemem_take\|memmove' || true); \
	[ -z "$$extra" ] || { echo "rom-compat: pvh_elf.c needs $$extra" >&2; exit 1; }; \
	if nm $< | grep -q ' [bBdD] '; then \
		echo "rom-compat: pvh_elf.c has writable globals" >&2; nm $< >&2; exit 1; fi

unit-check: $(UNIT_DIR)/elf-test $(UNIT_DIR)/common-test $(UNIT_DIR)/corpus/manifest rom-compat
	$(UNIT_DIR)/common-test
	$(UNIT_DIR)/elf-test $(UNIT_DIR)/corpus

HOST_CHECKS += unit-check

include tests/fuzz/fuzz.mk
