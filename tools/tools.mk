# SPDX-License-Identifier: GPL-2.0-or-later
# Host tools built from the ROM's own common/ code.

# pvh-inspect: would the ROM self-load this ELF file, and how?
PVH_INSPECT_SRCS := tools/pvh-inspect.c tools/qemu_map.c common/pvh_elf.c \
	common/freemem.c common/e820.c common/message.c

$(BUILD)/pvh-inspect: $(PVH_INSPECT_SRCS) tools/qemu_map.h $(wildcard common/*.h) | $(BUILD)
	$(CC) $(HOST_CFLAGS) -Itools -o $@ $(PVH_INSPECT_SRCS)

ALL_TARGETS += $(BUILD)/pvh-inspect
