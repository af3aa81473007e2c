"""Replay: run a rule over stored history to see what it would have raised, before enabling it.

The same evaluator as the live monitor is fed the raw samples where they are still kept
(14 days) and, further back, the minute extreme on the rule's side of the limit (the maximum
for an upper limit), so a short excursion in old data is not averaged away.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from desktop.domain.condition import Change, Direction, RuleEvaluator, RuleEvent, RuleSpec
from desktop.plant.historian import RAW_RETENTION, Historian

if TYPE_CHECKING:
    from desktop.store.database import Database

DAY_S = 86400.0


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
    raw_from = max(start, end - RAW_RETENTION.total_seconds())
    if start < raw_from:
        old = history.aggregates(tag_id, start, raw_from)
        extreme = old.vmax if spec.direction is Direction.ABOVE else old.vmin
        # A minute's extreme stands for the whole minute: stamp it at the minute's end.
        for ts, value in zip(old.ts + 59.0, extreme, strict=True):
            samples += 1
            _note(evaluator.feed(float(ts), float(value)), raised, cleared)
    day = raw_from
    while day < end:
        chunk = history.raw(tag_id, day, min(end, day + DAY_S))
        for ts, value in zip(chunk.ts, chunk.avg, strict=True):
            samples += 1
            _note(evaluator.feed(float(ts), float(value)), raised, cleared)
        day += DAY_S
    return ReplayResult(tuple(raised), tuple(cleared), samples)


def _note(event: RuleEvent | None, raised: list[float], cleared: list[float]) -> None:
    if event is not None:
        (raised if event.change is Change.RAISED else cleared).append(event.ts)
