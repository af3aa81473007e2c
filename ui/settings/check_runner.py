"""Runs a connection test in the background; the answer arrives on the UI thread.

A PostgreSQL server or an OPC UA server that does not answer holds a test for its whole
timeout (seconds), which must never freeze the dialog.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from desktop.services.admin.connection_check import CheckResult
from ui.background import Background, Failure
from ui.i18n import tr

if TYPE_CHECKING:
    from collections.abc import Callable

    from ui.background import Pool


class CheckRunner(QObject):
    """Starts tests; each result is handed on with the name of what was tested."""

    sig_finished = Signal(str, object)  # which, CheckResult

    def __init__(self, pool: Pool | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._background = Background(self, pool)

    def start(self, which: str, check: Callable[[], CheckResult]) -> None:
        def failed(failure: Failure) -> None:
            # A test that breaks is a failed test to show.
            text = tr("The test failed: {message}").format(message=failure.message)
            self.sig_finished.emit(which, CheckResult(False, text))

        self._background.run(check, lambda result: self.sig_finished.emit(which, result), failed)
