"""Runs a rule's 30-day replay on a pool thread; the answer arrives on the UI thread.

Replay reads up to 14 days of raw samples plus minute aggregates: seconds of work for a busy
tag, which would freeze the window if it ran on the UI thread.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from desktop.plant.replay import replay

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance

    from desktop.plant.replay import ReplayResult
    from desktop.services.plant_tags import RuleView
    from desktop.store.database import Database
    from ui.assets.history_loader import Pool

REPLAY_DAYS = 30


class _Job(QRunnable):
    def __init__(self, runner: ReplayRunner, rule: RuleView, start: float, end: float) -> None:
        super().__init__()
        self._runner, self._rule, self._start, self._end = runner, rule, start, end

    def run(self) -> None:
        try:
            result: ReplayResult = replay(
                self._runner.db, self._rule.tag_id, self._rule.spec, self._start, self._end
            )
        except Exception as exc:  # noqa: BLE001
            # Nothing may escape a pool thread unseen: the panel shows it on the UI thread.
            self._deliver(self._runner.sig_job_failed, self._rule, exc)
            return
        self._deliver(self._runner.sig_job_done, self._rule, result)

    @staticmethod
    def _deliver(signal: SignalInstance, *args: object) -> None:
        # The panel may have been closed (its runner deleted) while the replay ran.
        with contextlib.suppress(RuntimeError):
            signal.emit(*args)


class ReplayRunner(QObject):
    """Starts replays; each answer is handed on with the rule it belongs to."""

    sig_finished = Signal(object, object)  # RuleView, ReplayResult
    sig_failed = Signal(object, object)  # RuleView, the exception
    # From the pool thread to this object's (the UI) thread, queued by Qt.
    sig_job_done = Signal(object, object)
    sig_job_failed = Signal(object, object)

    def __init__(self, db: Database, pool: Pool | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.db = db
        self._pool: Pool = pool or QThreadPool.globalInstance()
        self.sig_job_done.connect(self.sig_finished)
        self.sig_job_failed.connect(self.sig_failed)

    def start(self, rule: RuleView, end: float) -> None:
        """Replay `rule` over the REPLAY_DAYS days before `end` (epoch seconds)."""
        self._pool.start(_Job(self, rule, end - REPLAY_DAYS * 86400.0, end))
