# SPDX-License-Identifier: GPL-2.0-or-later
#
# Real Linux for the tests: Debian's cloud kernel (fetched once with apt and
# cached under $(BUILD)/linux/), a static test init and a default initramfs.
# Not part of `make`: only `make check` (CHECK_PREREQS) and `make linux-kernel`
# fetch the kernel (about 26 MB).

LINUX_DIR := $(BUILD)/linux
LINUX_VMLINUX := $(LINUX_DIR)/vmlinux
LINUX_INIT := $(LINUX_DIR)/init
LINUX_INITRD := $(LINUX_DIR)/initrd.cpio

CHECK_PREREQS += $(LINUX_VMLINUX) $(LINUX_INIT) $(LINUX_INITRD)

.PHONY: linux-kernel
linux-kernel: $(LINUX_VMLINUX) $(LINUX_INIT) $(LINUX_INITRD)

# The script keeps the downloaded .deb and does nothing when vmlinux exists;
# delete $(LINUX_DIR) to fetch again.
$(LINUX_VMLINUX):
	tests/linux/fetch-kernel.sh $(LINUX_DIR)

$(LINUX_INIT): tests/linux/init.c | $(LINUX_DIR)/.dir
	$(CC) $(HOST_CFLAGS) -static -o $@ $<

$(LINUX_INITRD): $(LINUX_INIT) tests/linux/mkinitramfs.py
	$(PYTHON) tests/linux/mkinitramfs.py --init $(LINUX_INIT) $@

$(LINUX_DIR)/.dir:
	mkdir -p $(LINUX_DIR) && touch $@
