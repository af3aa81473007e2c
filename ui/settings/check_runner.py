"""Runs a connection test on a pool thread; the answer arrives on the UI thread.

A PostgreSQL server or an OPC UA server that does not answer holds a test for its whole
timeout (seconds), which must never freeze the dialog.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from desktop.services.connection_check import CheckResult

if TYPE_CHECKING:
    from collections.abc import Callable

    from ui.assets.history_loader import Pool


class _Job(QRunnable):
    def __init__(self, runner: CheckRunner, which: str, check: Callable[[], CheckResult]) -> None:
        super().__init__()
        self._runner, self._which, self._check = runner, which, check

    def run(self) -> None:
        """Runs on a pool thread."""
        try:
            result = self._check()
        except Exception as exc:  # noqa: BLE001
            # A test that breaks is a failed test to show, not an error lost on a pool thread.
            result = CheckResult(False, f"The test failed: {exc}")
        # The dialog may have been closed (its runner deleted) while the test ran.
        with contextlib.suppress(RuntimeError):
            self._runner.sig_job_done.emit(self._which, result)


class CheckRunner(QObject):
    """Starts tests; each result is handed on with the name of what was tested."""

    sig_finished = Signal(str, object)  # which, CheckResult
    # From the pool thread to this object's (the UI) thread, queued by Qt.
    sig_job_done = Signal(str, object)

    def __init__(self, pool: Pool | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool: Pool = pool or QThreadPool.globalInstance()
        self.sig_job_done.connect(self.sig_finished)

    def start(self, which: str, check: Callable[[], CheckResult]) -> None:
        self._pool.start(_Job(self, which, check))
