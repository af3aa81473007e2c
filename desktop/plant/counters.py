"""Counter tags (runtime hours, starts) handed on as meter readings, at most once per interval.

A sink beside the historian. `on_reading` runs on the OPC UA thread, so the monitoring runtime
passes a `RecordWriter`'s `put`, and the meter write (`MeterFeed`) runs on the writer's thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from desktop.domain.condition import DataKind, Quality

if TYPE_CHECKING:
    from collections.abc import Callable

    from desktop.domain.condition import Sample
    from desktop.services.condition.plant_tags import TagView

# Meters want a reading an hour, not one a second.
DEFAULT_INTERVAL_S = 3600.0


@dataclass(frozen=True)
class CounterReading:
    asset_code: str
    tag_name: str
    unit: str
    ts: float
    value: float


class CounterFeed:
    """Runs `on_reading` on the thread that delivers the batch (the OPC UA thread): keep the
    callback short or hand it to a queue."""

    def __init__(
        self,
        tags: list[TagView],
        on_reading: Callable[[CounterReading], object],
        interval_s: float = DEFAULT_INTERVAL_S,
    ) -> None:
        self._tags = {t.id: t for t in tags if t.kind is DataKind.COUNTER}
        self._on_reading = on_reading
        self._interval = interval_s
        self._last: dict[int, float] = {}

    def put_batch(self, samples: list[Sample]) -> None:
        for sample in samples:
            tag = self._tags.get(sample.tag_id)
            if tag is None or sample.value is None or sample.quality is not Quality.GOOD:
                continue
            if sample.ts - self._last.get(tag.id, -self._interval) < self._interval:
                continue
            self._last[tag.id] = sample.ts
            self._on_reading(
                CounterReading(tag.asset_code, tag.name, tag.unit, sample.ts, sample.value)
            )
