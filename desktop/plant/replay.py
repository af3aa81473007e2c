"""Replay: run a rule over stored history to see what it would have raised, before enabling it.

The same evaluator as the live monitor is fed the stored series read back as it is drawn:
linear between the kept points, on a grid of whole seconds (coarser for ranges over a month, so
a replay over a year stays a few million steps) plus every kept point, where the
series' extremes lie. Compression kept each sample within the tag's deviation, so a rule
whose limit is further than that from the signal decides as it would have on the raw samples.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from desktop.domain.compression import reconstruct
from desktop.domain.condition import Change, RuleEvaluator, RuleEvent, RuleSpec
from desktop.plant.historian import Historian

if TYPE_CHECKING:
    from desktop.store.database import Database

DAY_S = 86400.0
# Evaluator steps per replay at most (a few seconds of work); beyond about a month the grid
# widens past one second to stay under it.
MAX_STEPS = 3_000_000


@dataclass(frozen=True)
class ReplayResult:
    raised_at: tuple[float, ...]
    cleared_at: tuple[float, ...]
    samples: int

    @property
    def alarms(self) -> int:
        return len(self.raised_at)

    @property
    def work_orders(self) -> int:
        """Each alarm after a clear would have opened an order, provided the previous one was
        finished by then: an upper bound, since replay cannot know when orders are closed."""
        return len(self.raised_at)


def replay(db: Database, tag_id: int, spec: RuleSpec, start: float, end: float) -> ReplayResult:
    history = Historian(db)
    evaluator = RuleEvaluator(spec)
    raised: list[float] = []
    cleared: list[float] = []
    samples = 0
    step = float(max(1, math.ceil((end - start) / MAX_STEPS)))
    day = start
    while day < end:
        day_end = min(end, day + DAY_S)
        pts = history.series_points(tag_id, day, day_end)
        grid = np.arange(math.ceil(day / step) * step, day_end, step)
        kept = pts.ts[(pts.ts >= day) & (pts.ts < day_end)]
        at = np.union1d(grid, kept)
        # Only where there is history: before the first and after the last point is unknown.
        at = at[(at >= pts.ts[0]) & (at <= pts.ts[-1])] if len(pts) else at[:0]
        values = reconstruct(pts.ts, pts.values, at)
        for ts, value in zip(at.tolist(), values.tolist(), strict=True):
            if math.isnan(value):  # a gap neither raises nor clears
                continue
            samples += 1
            _note(evaluator.feed(ts, value), raised, cleared)
        day = day_end
    return ReplayResult(tuple(raised), tuple(cleared), samples)


def _note(event: RuleEvent | None, raised: list[float], cleared: list[float]) -> None:
    if event is not None:
        (raised if event.change is Change.RAISED else cleared).append(event.ts)
