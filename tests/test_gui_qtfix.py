"""PySide6 6.12.0 on Python 3.11 handed back None/True/False without counting the reference, so a long
session (tens of thousands of Qt calls) aborted with 'deallocating None'. pyproject pins PySide6 below 6.12;
this test fails if an installed Qt brings the fault back."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def test_many_void_and_bool_qt_calls_do_not_abort():
    code = textwrap.dedent("""
        import os, sys
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        from PySide6.QtWidgets import QApplication, QLabel
        app = QApplication([])
        label = QLabel()
        before = sys.getrefcount(None)
        for i in range(60_000):
            label.setText("x")           # returns None
            label.isVisible()            # returns False
            label.isEnabled()            # returns True
        print("ok", abs(sys.getrefcount(None) - before) < 1000)
    """)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == ["ok", "True"]
