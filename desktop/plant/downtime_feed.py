"""Sink that turns running-state tags into machine downtime periods.

It runs on the OPC UA thread: edge detection is a few comparisons per sample and the database
is only touched on a confirmed stop or start, which happens a few times a shift. Any error is
logged and swallowed so the subscription keeps running.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy.exc import SQLAlchemyError

from desktop.domain.condition import DataKind, Quality
from desktop.domain.errors import WrenchbookError
from desktop.domain.machine_state import StateEdge, StateEdgeDetector
from desktop.services.machine_downtime import MachineDowntimeService

if TYPE_CHECKING:
    from desktop.domain.condition import Sample
    from desktop.domain.permissions import Actor
    from desktop.services.plant_tags import TagView
    from desktop.store.database import Database

# A stop must hold this long to count, so a state bit that flickers opens no period.
DEFAULT_OFF_DELAY_S = 5.0
DEFAULT_ON_DELAY_S = 5.0

_log = logging.getLogger(__name__)


class DowntimeFeed:
    def __init__(
        self,
        db: Database,
        actor: Actor,
        tags: list[TagView],
        on_delay_s: float = DEFAULT_ON_DELAY_S,
        off_delay_s: float = DEFAULT_OFF_DELAY_S,
    ) -> None:
        self._service = MachineDowntimeService(db)
        self._actor = actor
        self._tags = {t.id: t for t in tags if t.kind is DataKind.STATE}
        self._detectors = {
            tag_id: StateEdgeDetector(on_delay_s, off_delay_s) for tag_id in self._tags
        }

    def put_batch(self, samples: list[Sample]) -> None:
        for sample in samples:
            detector = self._detectors.get(sample.tag_id)
            if detector is None or sample.value is None or sample.quality is not Quality.GOOD:
                continue
            edge = detector.feed(sample.ts, sample.value != 0)
            if edge is not None:
                self._apply(self._tags[sample.tag_id], edge)

    def _apply(self, tag: TagView, edge: StateEdge) -> None:
        at = datetime.fromtimestamp(edge.ts, UTC)
        try:
            if edge.running:
                self._service.machine_started(self._actor, tag.asset_code, at)
            else:
                self._service.machine_stopped(self._actor, tag.asset_code, at)
        except (SQLAlchemyError, WrenchbookError):
            # Never into the client thread: the next edge is tried again on its own.
            _log.exception("downtime from %s at %s not recorded", tag.name, at.isoformat())
