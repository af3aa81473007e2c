"""Guards against the PySide6 release that corrupts None's reference count (PITFALLS.md)."""

from __future__ import annotations

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6 import QtCore


def test_void_qt_calls_leave_none_refcount_alone():
    # PySide6 6.12.0 on Python < 3.12 drops one reference to None per void call; a long-running
    # control-room display then aborts with "deallocating None".
    obj = QtCore.QObject()
    obj.setObjectName("warm-up")  # the first call caches a few objects of its own
    before = sys.getrefcount(None)
    for _ in range(1000):
        obj.setObjectName("x")
    # The broken release loses exactly one reference per call (-1000 here).
    assert abs(sys.getrefcount(None) - before) < 10
