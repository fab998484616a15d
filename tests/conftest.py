# SPDX-License-Identifier: GPL-2.0-or-later
import os
import sys

# Test modules import the shared harness (qemu.py) from this directory.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
