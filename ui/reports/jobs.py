"""Audit packs built off the UI thread, with progress and a cancel that stops them cleanly."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QThreadPool, Signal

from desktop.domain.errors import WrenchbookError
from desktop.reports.audit_pack import Cancelled, build_audit_pack

if TYPE_CHECKING:
    from pathlib import Path

    from desktop.domain.permissions import Actor
    from desktop.reports.pack_scope import PackRequest
    from desktop.services.clock import Clock
    from desktop.store.database import Database


class PackJob(QObject):
    """One audit-pack build; `run` runs on a pool thread, its signals arrive on the UI thread."""

    sig_progressed = Signal(float)
    sig_finished = Signal(object)
    sig_failed = Signal(str)
    sig_cancelled = Signal()

    def __init__(
        self, db: Database, actor: Actor, request: PackRequest, out: Path, clock: Clock
    ) -> None:
        super().__init__()
        self._db = db
        self._actor = actor
        self._request = request
        self._out = out
        self._clock = clock
        self._stop = threading.Event()

    def cancel(self) -> None:
        """Safe from any thread; the build stops at its next progress report."""
        self._stop.set()

    def run(self) -> None:
        """Runs on a worker thread: it opens its own sessions, never the UI's."""
        try:
            result = build_audit_pack(
                self._db,
                self._actor,
                self._request,
                self._out,
                clock=self._clock,
                progress=self._progress,
            )
        except Cancelled:
            self.sig_cancelled.emit()
        except (WrenchbookError, OSError) as exc:
            self.sig_failed.emit(str(exc))
        except Exception as exc:  # noqa: BLE001 (a worker that dies silently left the bar at 98 %)
            self.sig_failed.emit(f"the pack could not be built: {type(exc).__name__}: {exc}")
        else:
            self.sig_finished.emit(result)

    def _progress(self, fraction: float) -> None:
        if self._stop.is_set():
            raise Cancelled
        self.sig_progressed.emit(fraction)


def run_in_pool(job: PackJob) -> None:
    QThreadPool.globalInstance().start(job.run)
