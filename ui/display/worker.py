"""Reads the display's snapshot on its own thread: a stalled database never freezes the screen.

It reads every `REFRESH_SECONDS` and at once when woken (the change watcher saw the audit
chain move). The KPI tiles cost a pandas pass, so they are read at most once a minute when
the chain moved, and every five minutes otherwise. A failed read is reported once per outage
with its time; the thread keeps trying, and the first good read ends the outage.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from sqlalchemy.exc import SQLAlchemyError

from desktop.domain.errors import WrenchbookError
from ui.background import Poller

if TYPE_CHECKING:
    from datetime import datetime

    from desktop.services.analytics.control_room import ControlRoomService
    from desktop.services.shared.clock import Clock

log = logging.getLogger(__name__)

REFRESH_SECONDS = 5.0
KPI_MIN_SECONDS = 60.0
"""A busy site writes every few seconds; the KPI pass, far dearer than the snapshot, need not
follow each write."""
KPI_MAX_SECONDS = 300.0
"""Figures such as overdue move with the clock alone."""


class SnapshotWorker(QObject):
    """Emits `sig_snapshot_read(Snapshot)`, `sig_kpis_read(tuple)` and, once per outage,
    `sig_failed(reason, since)`; `poll()` does one round on the caller's thread (tests)."""

    sig_snapshot_read = Signal(object)
    sig_kpis_read = Signal(object)
    sig_failed = Signal(str, object)

    def __init__(
        self, service: ControlRoomService, clock: Clock, interval: float = REFRESH_SECONDS
    ) -> None:
        super().__init__()
        self._service = service
        self._clock = clock
        self._poller = Poller("display-snapshot", self.poll, interval)
        self._kpi_sequence: int | None = None
        self._kpi_read_at = 0.0
        self.down_since: datetime | None = None

    def start(self) -> None:
        """Read on the snapshot thread; Qt queues the signals to the UI thread."""
        self._poller.start()

    def stop(self) -> None:
        self._poller.stop(timeout=10)

    def wake(self) -> None:
        """Read again now (any thread)."""
        self._poller.wake()

    def poll(self) -> None:
        try:
            snapshot = self._service.snapshot()
        except (SQLAlchemyError, WrenchbookError) as exc:
            self._failed(exc)
            return
        if self.down_since is not None:
            log.info("display reads the database again")
            self.down_since = None
        self.sig_snapshot_read.emit(snapshot)
        age = time.monotonic() - self._kpi_read_at
        changed = snapshot.sequence != self._kpi_sequence
        if self._kpi_sequence is not None and age < (
            KPI_MIN_SECONDS if changed else KPI_MAX_SECONDS
        ):
            return
        try:
            kpis = self._service.kpi_tiles()
        except (SQLAlchemyError, WrenchbookError) as exc:
            self._failed(exc)
            return
        self._kpi_sequence = snapshot.sequence
        self._kpi_read_at = time.monotonic()
        self.sig_kpis_read.emit(kpis)

    def _failed(self, exc: Exception) -> None:
        if self.down_since is None:
            self.down_since = self._clock()
            log.warning("display cannot read the database: %s", exc)
            self.sig_failed.emit(str(getattr(exc, "orig", None) or exc), self.down_since)
