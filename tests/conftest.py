# SPDX-License-Identifier: GPL-2.0-or-later
import os
import sys

# Test modules import the shared harness (qemu.py) from this directory.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


def pytest_report_header(config):
    """Which QEMU and firmware directory the run tests (PVH_QEMU,
    PVH_QEMU_DATA), first in the log."""
    import subprocess
    from qemu import QEMU, QEMU_DATA_DIR
    try:
        out = subprocess.run([QEMU, "--version"], capture_output=True, text=True,
                             timeout=30).stdout
        version = out.splitlines()[0] if out else "no version output"
    except OSError as e:
        version = f"cannot run it: {e}"
    return f"qemu: {QEMU}: {version}; firmware directory {QEMU_DATA_DIR}"
