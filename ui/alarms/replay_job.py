"""Runs a rule's 30-day replay in the background; the answer arrives on the UI thread.

Replay reads up to 14 days of raw samples plus minute aggregates: seconds of work for a busy
tag, which would freeze the window if it ran on the UI thread.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from desktop.plant.replay import replay
from ui.background import Background, Failure

if TYPE_CHECKING:
    from desktop.services.condition.plant_tags import RuleView
    from desktop.store.database import Database
    from ui.background import Pool

REPLAY_DAYS = 30


class ReplayRunner(QObject):
    """Starts replays; each answer is handed on with the rule it belongs to."""

    sig_finished = Signal(object, object)  # RuleView, ReplayResult
    sig_failed = Signal(object, str)  # RuleView, what went wrong as a person reads it

    def __init__(self, db: Database, pool: Pool | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.db = db
        self._background = Background(self, pool)

    def start(self, rule: RuleView, end: float) -> None:
        """Replay `rule` over the REPLAY_DAYS days before `end` (epoch seconds)."""
        start = end - REPLAY_DAYS * 86400.0

        def failed(failure: Failure) -> None:
            self.sig_failed.emit(rule, failure.message)

        self._background.run(
            lambda: replay(self.db, rule.tag_id, rule.spec, start, end),
            lambda result: self.sig_finished.emit(rule, result),
            failed,
        )
