"""Loads an asset's history on a pool thread and hands it to the UI thread through a signal.

A site area holds thousands of work orders (tens of thousands at a large plant); building their
rows takes about 70 µs each, so a click on an area would freeze the window for a second or more
if it ran on the UI thread.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance

    from desktop.services.asset_history import AssetHistoryService


class Pool(Protocol):
    """What the loader needs of a thread pool; tests hand in a synchronous one."""

    def start(self, runnable: QRunnable) -> None: ...


class SynchronousPool:
    """Runs each job at once on the calling thread: deterministic tests, no waiting."""

    def start(self, runnable: QRunnable) -> None:
        runnable.run()


class _Job(QRunnable):
    """Runs on a pool thread; the service opens its own session there (never shared)."""

    def __init__(
        self,
        loader: HistoryLoader,
        ticket: int,
        service: AssetHistoryService,
        code: str,
        include_subtree: bool,
    ) -> None:
        super().__init__()
        self._loader, self._ticket, self._service = loader, ticket, service
        self._code, self._include_subtree = code, include_subtree

    def run(self) -> None:
        try:
            history = self._service.history(self._code, self._include_subtree)
        except Exception as exc:  # noqa: BLE001
            # Nothing may escape a pool thread unseen: the panel re-raises it on the UI
            # thread, where the application's error dialog and log take it.
            self._deliver(self._loader.sig_job_failed, self._ticket, self._code, exc)
            return
        self._deliver(self._loader.sig_job_done, self._ticket, history)

    @staticmethod
    def _deliver(signal: SignalInstance, *args: object) -> None:
        # The panel may have been closed (its loader deleted) while the query ran.
        with contextlib.suppress(RuntimeError):
            signal.emit(*args)


class HistoryLoader(QObject):
    """Asks for one asset's history at a time; only the newest request's answer is delivered.

    Clicking quickly down the tree starts several jobs; an answer to an older click would
    otherwise overwrite the asset the user is now looking at.
    """

    sig_loaded = Signal(object)  # AssetHistory
    sig_failed = Signal(str, object)  # asset code, the exception
    # From the pool thread to this object's (the UI) thread, queued by Qt.
    sig_job_done = Signal(int, object)
    sig_job_failed = Signal(int, str, object)

    def __init__(
        self,
        service: AssetHistoryService,
        pool: Pool | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._pool: Pool = pool or QThreadPool.globalInstance()
        self._ticket = 0
        self.sig_job_done.connect(self._on_job_done)
        self.sig_job_failed.connect(self._on_job_failed)

    def request(self, code: str, include_subtree: bool) -> None:
        self._ticket += 1
        self._pool.start(_Job(self, self._ticket, self._service, code, include_subtree))

    def cancel(self) -> None:
        """Forget the request in flight: its answer will be dropped."""
        self._ticket += 1

    def _on_job_done(self, ticket: int, history: object) -> None:
        if ticket == self._ticket:
            self.sig_loaded.emit(history)

    def _on_job_failed(self, ticket: int, code: str, error: object) -> None:
        if ticket == self._ticket:
            self.sig_failed.emit(code, error)
