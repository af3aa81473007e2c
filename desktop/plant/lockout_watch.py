"""Puts lock-out safety alarms on the record while the plant is monitored (issue 16).

A machine reading energised behind a verified lock shows on the display from the historian
at once; this thread makes each one an audited record within seconds, whoever is looking,
so the order keeps it even after the raw samples are pruned. It reads the database on its
own thread every `CHECK_S`, never on the OPC UA thread.
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

from sqlalchemy.exc import SQLAlchemyError

from desktop.domain.errors import PermissionDenied, WrenchbookError
from desktop.services.orders.lockout import IsolationView, LockoutService
from desktop.services.shared.clock import Clock, utc_now

if TYPE_CHECKING:
    from desktop.domain.permissions import Actor
    from desktop.store.database import Database

CHECK_S = 5.0
"""One indexed query when no verified lock with a tag is on: cheap enough to repeat often;
the historian commits about every second, so an alarm is on the record within ~6 s."""

_log = logging.getLogger(__name__)


class LockoutWatch:
    def __init__(
        self, db: Database, actor: Actor, interval_s: float = CHECK_S, clock: Clock = utc_now
    ) -> None:
        self._lockout = LockoutService(db, clock)
        self._actor = actor
        self._interval = interval_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="lockout-watch", daemon=True)
        self._lock = threading.Lock()
        self.recorded: list[tuple[str, IsolationView]] = []
        """What this watch put on the record, oldest first (the monitor command prints it)."""

    def start(self) -> LockoutWatch:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=30)

    def check(self) -> list[tuple[str, IsolationView]]:
        """Record what is new now; runs on the watch's thread (or a test's)."""
        try:
            found = self._lockout.record_safety_alarms(self._actor)
        except PermissionDenied:
            # A viewer's workstation: another monitor records them; say so once, not every 5 s.
            _log.warning("%s may not record lock-out safety alarms", self._actor.username)
            self._stop.set()
            return []
        except (SQLAlchemyError, WrenchbookError):
            # Retried at the next check; the display still shows the alarm from the historian.
            _log.exception("lock-out safety alarms could not be recorded")
            return []
        for number, step in found:
            _log.warning("%s: %s", number, step.safety_alarm)
        with self._lock:
            self.recorded.extend(found)
        return found

    def recent(self) -> list[tuple[str, IsolationView]]:
        with self._lock:
            return list(self.recorded)

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            self.check()
