# SPDX-License-Identifier: GPL-2.0-or-later
# memaudit.so: a QEMU TCG plugin that records the ROM's loads and stores, for
# tests/test_memory_map.py (docs/memory-map.md checked against them).

MEMAUDIT := $(BUILD)/memaudit.so

$(MEMAUDIT): tests/memaudit/memaudit.c tests/memaudit/plugin_api.h | $(BUILD)
	$(CC) $(HOST_CFLAGS) -shared -fPIC -fvisibility=hidden -pthread -o $@ $<

ALL_TARGETS += $(MEMAUDIT)
