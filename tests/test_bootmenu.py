# SPDX-License-Identifier: GPL-2.0-or-later
"""SeaBIOS's interactive boot menu (-boot menu=on), driven as a user would:
ESC at "Press ESC for boot menu", then the number of a device.

The ROM boots from its INT 19h hook when the boot order puts it first; by
then the menu has run, so with the menu on the hook must stand aside and
let SeaBIOS's boot list (which follows the user's pick) call the ROM's boot
entry in turn.  QEMU's own pvh.bin has no hook, so it honours the menu; the
drop-in must too.
"""

import re

import pytest

from qemu import (DISK_MARKER, EXIT_REPORT_DONE, GUEST64, NO_BOOT, ROM,
                  assert_disk_booted, disk_args, make_disk, make_marker_disk, run_qemu,
                  run_until_no_boot)

PROMPT = "Press ESC for boot menu"
TITLE = "Select boot device:"
ENTRY = re.compile(r"^([1-9a-z])\. (.+)$", re.M)
# The description SeaBIOS gives a BEV: the PnP product name of the ROM.
ROM_ENTRY = "PVH kernel"
DISK_ENTRY = "Virtio disk"
# Long enough for the test to press ESC under TCG on a busy host.
MENU = ["-boot", "menu=on,splash-time=60000"]
# The menu on, its prompt gone at once: nobody picks anything.
NO_PICK = ["-boot", "menu=on,splash-time=0"]


class MenuUser:
    """Presses ESC at the prompt, then the key of the first menu entry whose
    text contains `choice`; remembers the menu it saw.  SeaBIOS waits for
    the key as long as it takes, so the user waits for the whole list."""

    def __init__(self, choice):
        self.choice = choice
        self.menu = None
        self.pressed = None
        self._last = None

    def __call__(self, debug, serial, qmp):
        if self.pressed:
            return
        if self.menu is None:
            if PROMPT in debug and TITLE not in debug:
                self.menu = []
                qmp.press("esc")
            return
        if TITLE not in debug:
            return
        entries = ENTRY.findall(debug.split(TITLE, 1)[1])
        key = next((k for k, desc in entries if self.choice in desc), None)
        # Act on a list that has the choice and stayed the same from one
        # look to the next: SeaBIOS has finished printing it.
        if key and entries == self._last:
            self.menu = entries
            qmp.press(key)
            self.pressed = key
        self._last = entries


def boot(tmp_path, rom_mode, boot_opts=(), disk_bootindex=None, more_fw_cfg=None,
         **kwargs):
    """Boots the test kernel (command line "menu") next to the marker disk.
    rom_mode: "selfload" (-option-rom, optionally with bootindex=...), or
    "ours" / "qemu" for -kernel with that ROM (QEMU gives it bootindex 0);
    more_fw_cfg: further fw_cfg items, for self-load."""
    disk = make_marker_disk(tmp_path / "marker.img")
    if rom_mode == "selfload":
        kwargs.update(rom=None, option_rom=ROM,
                      fw_cfg={"opt/pvh/kernel": GUEST64, "opt/pvh/cmdline": "menu",
                              **(more_fw_cfg or {})})
    else:
        kwargs.update(rom=rom_mode, kernel=GUEST64, append="menu")
    return run_qemu(nic=False, extra=list(boot_opts) + disk_args(disk, disk_bootindex),
                    **kwargs)


def boot_with_menu(tmp_path, choice, rom_mode, machine="q35"):
    user = MenuUser(choice)
    res = boot(tmp_path, rom_mode, MENU, machine=machine, interact=user, timeout=90,
               allow_timeout=True)
    assert user.pressed, (f"no {choice!r} in the boot menu" if user.menu is not None
                          else "the boot menu was not offered") + res.describe()
    assert not res.timed_out, "QEMU did not finish" + res.describe()
    return res


def assert_disk_booted_quietly(res):
    assert_disk_booted(res)
    assert res.pvh_lines == [], res.describe()


def assert_kernel_booted(res):
    why = res.describe()
    assert res.returncode == EXIT_REPORT_DONE, "the PVH kernel did not boot" + why
    assert res.report.complete and res.report.cmdline == b"menu", why
    assert DISK_MARKER not in res.debug_log, why
    # Through the boot list, as the user asked, not through the hook.
    assert "Booting from ROM..." in res.debug_log, why


def test_dropin_without_menu_boots_from_the_hook(tmp_path):
    """The control for the tests below: with the menu off, the drop-in ROM
    boots from its INT 19h hook, before SeaBIOS's boot list would call its
    boot entry ("Booting from ROM...")."""
    res = boot(tmp_path, "ours", disk_bootindex=1, timeout=60)
    why = res.describe()
    assert res.returncode == EXIT_REPORT_DONE, "the PVH kernel did not boot" + why
    assert PROMPT not in res.debug_log, why
    assert "Booting from" not in res.debug_log, why


@pytest.mark.parametrize("machine", ["q35", "pc"])
def test_selfload_user_picks_the_disk(tmp_path, machine):
    res = boot_with_menu(tmp_path, DISK_ENTRY, "selfload", machine)
    assert_disk_booted_quietly(res)


def test_selfload_user_picks_the_kernel(tmp_path):
    res = boot_with_menu(tmp_path, ROM_ENTRY, "selfload")
    assert_kernel_booted(res)


@pytest.mark.parametrize("rom", ["ours", "qemu"])
def test_dropin_user_picks_the_disk(tmp_path, rom):
    """QEMU's ROM is the reference: the user's pick wins over -kernel."""
    res = boot_with_menu(tmp_path, DISK_ENTRY, rom)
    assert_disk_booted_quietly(res)


@pytest.mark.parametrize("rom_mode", ["selfload", "ours"])
def test_menu_not_opened_boots_the_kernel(tmp_path, rom_mode):
    """The menu on but not opened: the boot order stands; the kernel, first
    in it (the self-load ROM with bootindex 0), boots (through SeaBIOS's
    boot list)."""
    res = boot(tmp_path, rom_mode, NO_PICK, disk_bootindex=1, timeout=60,
               bootindex=0 if rom_mode == "selfload" else None)
    assert PROMPT in res.debug_log, res.describe()
    assert_kernel_booted(res)


def test_menu_not_opened_selfload_without_bootindex_follows_seabios(tmp_path):
    """Without a bootindex SeaBIOS lists a ROM after the disks, and with the
    menu on that list is what the user sees and gets: the disk boots."""
    res = boot(tmp_path, "selfload", NO_PICK, timeout=60)
    assert PROMPT in res.debug_log, res.describe()
    assert_disk_booted_quietly(res)


STRICT = ["-boot", "menu=on,splash-time=0,strict=on"]


def test_strict_boot_order_leaves_a_rom_without_bootindex_out(tmp_path):
    """With the menu on and -boot strict=on, SeaBIOS boots only what the
    boot order names (here a disk that does not boot, bootindex 0): a
    self-load ROM without bootindex is not booted (the README says so, and
    to give it bootindex=0)."""
    disk = make_disk(tmp_path / "blank.img", bytes(512))
    res = run_until_no_boot(rom=None, option_rom=ROM, extra=STRICT + disk_args(disk, 0),
                            fw_cfg={"opt/pvh/kernel": GUEST64})
    why = res.describe()
    assert PROMPT in res.debug_log, why
    assert "Booting from Hard Disk" in res.debug_log, why
    assert res.found == NO_BOOT, why
    assert "Booting from ROM" not in res.debug_log, why
    assert "PVHGUEST" not in res.debug_log and res.pvh_lines == [], why


def test_strict_boot_order_with_bootindex_0_boots_the_kernel(tmp_path):
    res = boot(tmp_path, "selfload", STRICT, disk_bootindex=1, bootindex=0, timeout=60)
    assert_kernel_booted(res)


# A fw_cfg file of this name, given by hand, is what SeaBIOS reads for the
# menu setting (its own entry for -boot menu= has the same name; the file
# given by hand wins).  The ROM reads the setting itself (item 0x0e) and
# not that file, as the README says.
SHOW_MENU_FILE = "etc/show-boot-menu"


def test_show_boot_menu_file_hides_the_menu_but_not_from_the_rom(tmp_path):
    """-boot menu=on with etc/show-boot-menu = 0: SeaBIOS offers no menu, yet
    the ROM, which follows -boot menu=, stands aside for SeaBIOS's boot list
    (the kernel, first in the order, boots through it)."""
    res = boot(tmp_path, "selfload", NO_PICK, disk_bootindex=1, timeout=60, bootindex=0,
               more_fw_cfg={SHOW_MENU_FILE: (0).to_bytes(2, "little")})
    assert PROMPT not in res.debug_log, "SeaBIOS offered the menu" + res.describe()
    assert_kernel_booted(res)


def test_show_boot_menu_file_offers_the_menu_but_the_rom_boots_from_its_hook(tmp_path):
    """-boot menu=off with etc/show-boot-menu = 1: SeaBIOS offers the menu
    (nobody presses ESC), and the ROM, which follows -boot menu=, boots from
    its INT 19h hook as with the menu off."""
    res = boot(tmp_path, "selfload", ["-boot", "menu=off"], disk_bootindex=1, timeout=60,
               bootindex=0,
               more_fw_cfg={SHOW_MENU_FILE: (1).to_bytes(2, "little")})
    why = res.describe()
    assert PROMPT in res.debug_log, "SeaBIOS did not offer the menu" + why
    assert res.returncode == EXIT_REPORT_DONE, "the PVH kernel did not boot" + why
    assert res.report.complete and res.report.cmdline == b"menu", why
    assert "Booting from" not in res.debug_log, "not booted from the hook" + why
