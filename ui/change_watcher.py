"""Live refresh: notices writes by other workstations and processes within a few seconds.

Every write appends to the audit chain, so polling the chain's newest sequence number is a
single-row read on either engine and tells whether anything changed at all. The poll runs on
its own thread: a PostgreSQL server that stops answering must never freeze the window.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from sqlalchemy.exc import SQLAlchemyError

from desktop.services.shared import audit
from desktop.store.database import scrub
from ui.background import Poller

if TYPE_CHECKING:
    from desktop.store.database import Database

log = logging.getLogger(__name__)

POLL_SECONDS = 2.0


class ChangeWatcher(QObject):
    """Emits ``sig_changed`` when the audit sequence moves and the connection state on change."""

    sig_changed = Signal(int, object)  # the newest sequence, the kinds of record written
    sig_connection_changed = Signal(bool, str)

    def __init__(self, db: Database, interval: float = POLL_SECONDS) -> None:
        super().__init__()
        self._db = db
        self._poller = Poller("change-watcher", self.poll, interval)
        self.last_sequence: int | None = None
        self.connected = True

    @property
    def interval(self) -> float:
        return self._poller.interval

    @interval.setter
    def interval(self, seconds: float) -> None:
        self._poller.interval = seconds

    def start(self) -> None:
        """Poll on the watcher's own thread; Qt queues the signals to the UI thread."""
        self._poller.start()

    def stop(self) -> None:
        self._poller.stop()

    def poll(self) -> None:
        try:
            sequence = audit.latest_sequence(self._db)
        except SQLAlchemyError as exc:
            if self.connected:
                log.warning("database unreachable: %s", scrub(str(exc), self._db.url))
                self.connected = False
                reason = scrub(str(getattr(exc, "orig", exc)), self._db.url)
                self.sig_connection_changed.emit(False, reason)
            return
        if not self.connected:
            log.info("database reachable again")
            self.connected = True
            self.sig_connection_changed.emit(True, "")
        if self.last_sequence is not None and sequence != self.last_sequence:
            try:
                kinds: frozenset[str] | None = audit.kinds_changed(
                    self._db, self.last_sequence, sequence
                )
            except SQLAlchemyError:
                kinds = None  # everything may have changed
            if sequence < self.last_sequence:
                kinds = None  # the chain moved back (a restore): everything changed
            self.sig_changed.emit(sequence, kinds)
        self.last_sequence = sequence
