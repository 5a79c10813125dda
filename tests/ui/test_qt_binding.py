"""The Qt binding itself: a release that corrupts reference counts must not slip in.

PySide6 6.12.0 on Python 3.11 drops a reference to None on every void call; after about
20,000 calls (a day of typing in the wizard) Python aborts with "none_dealloc".
"""

from __future__ import annotations

import subprocess
import sys

CALLS = 60_000

SCRIPT = f"""
import os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtWidgets import QApplication, QCheckBox, QLineEdit
app = QApplication([])
line, box = QLineEdit(), QCheckBox()
before = sys.getrefcount(None), sys.getrefcount(True)
for _ in range({CALLS}):
    line.setText("x")
    box.setChecked(True)
print(sys.getrefcount(None) - before[0], sys.getrefcount(True) - before[1])
"""


def test_void_calls_keep_none_and_true_alive() -> None:
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-500:]
    none_delta, true_delta = map(int, result.stdout.split())
    assert abs(none_delta) < 100 and abs(true_delta) < 100
