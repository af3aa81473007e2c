"""Sink that turns running-state tags into machine downtime periods.

Split in two by thread: `DowntimeFeed` runs on the OPC UA thread and only detects confirmed
stops and starts (a few comparisons per sample), handing each on as a plain `MachineEdge`;
`DowntimeRecorder` writes an edge, on the plant writer's thread (`RecordWriter`), so a database
waiting for a lock never holds up the subscription.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from desktop.domain.condition import DataKind, Quality
from desktop.domain.errors import WrenchbookError
from desktop.domain.machine_state import StateEdgeDetector
from desktop.services.orders.machine_downtime import MachineDowntimeService

if TYPE_CHECKING:
    from collections.abc import Callable

    from desktop.domain.condition import Sample
    from desktop.domain.machine_state import StateEdge
    from desktop.domain.permissions import Actor
    from desktop.services.condition.plant_tags import TagView
    from desktop.store.database import Database

# A stop must hold this long to count, so a state bit that flickers opens no period.
DEFAULT_OFF_DELAY_S = 5.0
DEFAULT_ON_DELAY_S = 5.0

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class MachineEdge:
    """A confirmed stop (running False) or start of an asset, at the machine's sample time."""

    asset_code: str
    tag_name: str
    ts: float
    running: bool


class DowntimeFeed:
    """Runs `on_edge` on the thread that delivers the batch (the OPC UA thread): hand it to a
    `RecordWriter`'s `put`, or, in tests and one-off replays, to a `DowntimeRecorder`."""

    def __init__(
        self,
        tags: list[TagView],
        on_edge: Callable[[MachineEdge], object],
        on_delay_s: float = DEFAULT_ON_DELAY_S,
        off_delay_s: float = DEFAULT_OFF_DELAY_S,
    ) -> None:
        self._on_edge = on_edge
        self._tags = {t.id: t for t in tags if t.kind is DataKind.STATE}
        self._detectors = {
            tag_id: StateEdgeDetector(on_delay_s, off_delay_s) for tag_id in self._tags
        }

    def put_batch(self, samples: list[Sample]) -> None:
        latest = None
        for sample in samples:
            if sample.quality is Quality.GOOD and (latest is None or sample.ts > latest):
                latest = sample.ts
            detector = self._detectors.get(sample.tag_id)
            if detector is None or sample.value is None or sample.quality is not Quality.GOOD:
                continue
            self._emit(sample.tag_id, detector.feed(sample.ts, sample.value != 0))
        if latest is not None:
            # A stop reports once; the other tags' samples tell when it has held long enough.
            for tag_id, detector in self._detectors.items():
                self._emit(tag_id, detector.confirm(latest))

    def _emit(self, tag_id: int, edge: StateEdge | None) -> None:
        if edge is not None:
            tag = self._tags[tag_id]
            self._on_edge(MachineEdge(tag.asset_code, tag.name, edge.ts, edge.running))


class DowntimeRecorder:
    """Writes machine edges as downtime periods. Runs on the plant writer's thread.

    What the service refuses is logged and dropped; database errors propagate so that the
    writer can retry a lock wait that timed out.
    """

    def __init__(self, db: Database, actor: Actor) -> None:
        self._service = MachineDowntimeService(db)
        self._actor = actor

    def __call__(self, edge: MachineEdge) -> None:
        at = datetime.fromtimestamp(edge.ts, UTC)
        try:
            if edge.running:
                self._service.machine_started(self._actor, edge.asset_code, at)
            else:
                self._service.machine_stopped(self._actor, edge.asset_code, at)
        except WrenchbookError:
            _log.exception("downtime from %s at %s refused", edge.tag_name, at.isoformat())
