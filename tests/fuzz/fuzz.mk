# SPDX-License-Identifier: GPL-2.0-or-later
# libFuzzer target for the ELF validation code (clang, -fsanitize=fuzzer).
#   make fuzz [FUZZ_SECONDS=60]   fuzz, keeping new inputs in build/fuzz/corpus
#   fuzz-smoke (HOST_CHECKS)      10 seconds from the committed seeds only
# Crashes are written to build/fuzz/crash-*; replay one with
#   build/fuzz/fuzz_elf build/fuzz/crash-...

FUZZ_DIR := $(BUILD)/fuzz
FUZZ_SECONDS ?= 60
FUZZ_SMOKE_SECONDS ?= 10
FUZZ_CFLAGS := -std=c11 -g -O1 -Wall -Wextra -Werror -Icommon -Itools -Itests/unit \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
FUZZ_OPTS := -max_len=8192 -timeout=10 -rss_limit_mb=2048 -dict=tests/fuzz/elf.dict \
	-artifact_prefix=$(FUZZ_DIR)/ -print_final_stats=1

$(FUZZ_DIR):
	mkdir -p $@

$(FUZZ_DIR)/fuzz_elf: tests/fuzz/fuzz_elf.c $(UNIT_DEPS) | $(FUZZ_DIR)
	$(CLANG) $(FUZZ_CFLAGS) -o $@ $< $(UNIT_COMMON)

.PHONY: fuzz fuzz-smoke fuzz-seeds
fuzz: $(FUZZ_DIR)/fuzz_elf
	mkdir -p $(FUZZ_DIR)/corpus
	$< $(FUZZ_OPTS) -max_total_time=$(FUZZ_SECONDS) $(FUZZ_DIR)/corpus tests/fuzz/corpus

# Bounded: a fresh corpus directory, FUZZ_SMOKE_SECONDS of fuzzing.
fuzz-smoke: $(FUZZ_DIR)/fuzz_elf
	rm -rf $(FUZZ_DIR)/smoke && mkdir -p $(FUZZ_DIR)/smoke
	$< $(FUZZ_OPTS) -max_total_time=$(FUZZ_SMOKE_SECONDS) $(FUZZ_DIR)/smoke tests/fuzz/corpus \
		2>$(FUZZ_DIR)/smoke.log || { tail -50 $(FUZZ_DIR)/smoke.log; exit 1; }
	@grep -E '^(Done|stat::number_of_executed_units)' $(FUZZ_DIR)/smoke.log | sed 's/^/fuzz-smoke: /'

# Regenerate the committed seeds from the unit-test corpus (small files).
fuzz-seeds:
	rm -rf tests/fuzz/corpus
	$(PYTHON) tests/unit/elf_corpus.py --seeds tests/fuzz/corpus

HOST_CHECKS += fuzz-smoke
