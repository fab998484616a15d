# SPDX-License-Identifier: GPL-2.0-or-later
#
# PVH test guests (see tests/guests/README.md): freestanding 32-bit code,
# linked at 1 MiB, that reports what the firmware handed over.
#   guest32.elf     ELF32, EM_386, 4-byte PHYS32_ENTRY note
#   guest64.elf     ELF64, EM_X86_64, 8-byte note (the same 32-bit code)
#   guest-multi.elf ELF32 with three PT_LOAD segments and several MiB of bss
#   a20off.bin      a boot sector that calls a ROM's boot entry with A20 off
#   int19stack.bin  a boot sector that calls INT 19h on a stack at 0:9000
#   bevstack.bin    a boot sector that calls a ROM's boot entry on a stack
#                   at 0:9000
#   bevcode.bin     a boot sector that calls a ROM's boot entry from code
#                   at 0:9000
#   fakee820.bin    a boot sector that answers INT 15h E820h from its own
#                   map, then calls a ROM's boot entry
#   bevsetup.bin    a boot sector that sets CR0/CR4 bits and puts bytes
#                   (an RSDP) in the EBDA, then calls a ROM's boot entry

GUEST_DIR := $(BUILD)/guests
GUEST_SRC := tests/guests
GUEST_CFLAGS := -std=c11 -m32 -march=i686 -ffreestanding -fno-pic -fno-pie -Os \
	-Wall -Wextra -Werror -fno-stack-protector -fno-asynchronous-unwind-tables \
	-fcf-protection=none -mgeneral-regs-only -fno-builtin -MMD -MP \
	-Icommon -I$(GUEST_SRC)
GUEST_LDFLAGS := -m32 -nostdlib -static -no-pie -Wl,--build-id=none \
	-Wl,-z,noexecstack -Wl,--no-warn-rwx-segments
GUEST_BIGBSS := 0x400000

GUEST_COMMON_OBJS := $(addprefix $(GUEST_DIR)/,entry.o guest.o lib.o demo.o)
GUESTS := $(GUEST_DIR)/guest32.elf $(GUEST_DIR)/guest64.elf $(GUEST_DIR)/guest-multi.elf

BOOT_SECTORS := $(addprefix $(GUEST_DIR)/,a20off.bin int19stack.bin bevstack.bin bevcode.bin fakee820.bin bevsetup.bin)
ALL_TARGETS += $(GUESTS) $(BOOT_SECTORS)

.PHONY: guests
guests: $(GUESTS)

$(GUEST_DIR)/.dir:
	mkdir -p $(GUEST_DIR) && touch $@

$(GUEST_DIR)/%.o: $(GUEST_SRC)/%.c | $(GUEST_DIR)/.dir
	$(CC) $(GUEST_CFLAGS) -c -o $@ $<

$(GUEST_DIR)/entry.o: $(GUEST_SRC)/entry.S | $(GUEST_DIR)/.dir
	$(CC) $(GUEST_CFLAGS) -c -o $@ $<

$(GUEST_DIR)/note-elf32.o: $(GUEST_SRC)/note.S | $(GUEST_DIR)/.dir
	$(CC) $(GUEST_CFLAGS) -DNOTE_DESC_SIZE=4 -DVARIANT='"elf32"' -c -o $@ $<
$(GUEST_DIR)/note-elf64.o: $(GUEST_SRC)/note.S | $(GUEST_DIR)/.dir
	$(CC) $(GUEST_CFLAGS) -DNOTE_DESC_SIZE=8 -DVARIANT='"elf64"' -c -o $@ $<
$(GUEST_DIR)/note-multi.o: $(GUEST_SRC)/note.S | $(GUEST_DIR)/.dir
	$(CC) $(GUEST_CFLAGS) -DNOTE_DESC_SIZE=4 -DVARIANT='"multi"' \
		-DBIGBSS_SIZE=$(GUEST_BIGBSS) -c -o $@ $<

$(GUEST_DIR)/guest32.elf: $(GUEST_COMMON_OBJS) $(GUEST_DIR)/note-elf32.o $(GUEST_SRC)/guest.ld
	$(CC) $(GUEST_LDFLAGS) -Wl,-T,$(GUEST_SRC)/guest.ld -o $@ \
		$(GUEST_COMMON_OBJS) $(GUEST_DIR)/note-elf32.o

$(GUEST_DIR)/guest-multi.elf: $(GUEST_COMMON_OBJS) $(GUEST_DIR)/note-multi.o $(GUEST_SRC)/guest-multi.ld
	$(CC) $(GUEST_LDFLAGS) -Wl,-T,$(GUEST_SRC)/guest-multi.ld -o $@ \
		$(GUEST_COMMON_OBJS) $(GUEST_DIR)/note-multi.o

# ELF64: link the 32-bit code with the 8-byte note, then rewrite the file as
# ELF64 / EM_X86_64 (program headers are kept; the code stays 32-bit).
$(GUEST_DIR)/guest64.elf: $(GUEST_COMMON_OBJS) $(GUEST_DIR)/note-elf64.o $(GUEST_SRC)/guest.ld
	$(CC) $(GUEST_LDFLAGS) -Wl,-T,$(GUEST_SRC)/guest.ld -o $@.tmp32 \
		$(GUEST_COMMON_OBJS) $(GUEST_DIR)/note-elf64.o
	objcopy -O elf64-x86-64 $@.tmp32 $@
	rm -f $@.tmp32

# 16-bit code linked at 0:7c00; the source pads itself to 512 bytes.
$(BOOT_SECTORS): $(GUEST_DIR)/%.bin: $(GUEST_SRC)/%.S $(GUEST_SRC)/bootsector.h | $(GUEST_DIR)/.dir
	$(CC) -m32 -c -o $(GUEST_DIR)/$*.o $<
	ld -m elf_i386 -Ttext=0x7c00 --oformat=binary -o $@ $(GUEST_DIR)/$*.o
	test "$$(stat -c %s $@)" = 512

-include $(wildcard $(GUEST_DIR)/*.d)
