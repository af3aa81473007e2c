"""Meter arithmetic: usage between two readings (resets and rollovers) and the usage rate."""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from desktop.domain.phrases import Amount, Phrase

if TYPE_CHECKING:
    from datetime import datetime

# A runtime-hours meter cannot run faster than the clock; this much slack covers readings
# typed in with their time rounded to the quarter hour.
RUNTIME_SLACK_HOURS = 0.5


class MeterKind(StrEnum):
    RUNTIME_HOURS = "runtime_hours"
    CYCLES = "cycles"


class ReadingKind(StrEnum):
    """How a reading relates to the one before it."""

    NORMAL = "normal"
    ROLLOVER = "rollover"
    RESET = "reset"


class ReadingRefused(ValueError):
    """A reading that cannot be right; the message says what to do instead."""


@dataclass(frozen=True)
class Usage:
    delta: float
    kind: ReadingKind


def usage_between(
    kind: MeterKind,
    previous: tuple[datetime, float] | None,
    at: datetime,
    value: float,
    *,
    rollover: float | None,
    reset: bool,
) -> Usage:
    """Usage since the previous reading, from the raw counter values.

    - higher than before: the difference;
    - marked as a reset (meter replaced or zeroed): the new value is all usage since the reset;
    - lower on a meter with a rollover point (a counter that wraps, e.g. at 99,999.9): the
      counter passed its maximum, so usage = rollover − previous + value;
    - lower otherwise: refused, since silently treating it as a reset would hide a typo.
    """
    if not math.isfinite(value):
        raise ReadingRefused(
            Phrase("{value} is not a meter reading: give the number on the counter", value=value)
        )
    if value < 0:
        raise ReadingRefused("a meter reading cannot be negative")
    if rollover is not None and value >= rollover:
        raise ReadingRefused(
            Phrase(
                "the counter wraps at {rollover}: a reading must be below it",
                rollover=Amount(rollover, None),
            )
        )
    if previous is None:
        return Usage(0.0, ReadingKind.RESET if reset else ReadingKind.NORMAL)
    last_at, last_value = previous
    if at <= last_at:
        raise ReadingRefused(
            Phrase(
                "the last reading is from {last_at} UTC: readings go in time order",
                last_at=f"{last_at:%Y-%m-%d %H:%M}",
            )
        )
    if reset:
        usage = Usage(value, ReadingKind.RESET)
    elif value >= last_value:
        usage = Usage(value - last_value, ReadingKind.NORMAL)
    elif rollover is not None:
        usage = Usage(rollover - last_value + value, ReadingKind.ROLLOVER)
    else:
        raise ReadingRefused(
            Phrase(
                "{value} is below the last reading {last_value}: if the meter was "
                "replaced or reset, record it as a reset; otherwise correct the value",
                value=Amount(value, None),
                last_value=Amount(last_value, None),
            )
        )
    if kind is MeterKind.RUNTIME_HOURS:
        elapsed = (at - last_at).total_seconds() / 3600
        if usage.delta > elapsed + RUNTIME_SLACK_HOURS:
            raise ReadingRefused(
                Phrase(
                    "{delta} runtime hours in {elapsed} hours of clock time is not "
                    "possible: check the value and the time",
                    delta=Amount(usage.delta, None),
                    elapsed=Amount(elapsed, 1, grouped=False),
                )
            )
    return usage


def usage_rate_per_day(points: list[tuple[datetime, float]]) -> float | None:
    """Mean usage per day over cumulative totals, oldest first; None without a time span.

    The mean over the window (last − first) ÷ days, rather than a regression: meters are read
    irregularly by hand, and the end points are the only readings known to be complete.
    """
    if len(points) < 2:
        return None
    (first_at, first_total), (last_at, last_total) = points[0], points[-1]
    days = (last_at - first_at).total_seconds() / 86400
    if days <= 0:
        return None
    return max(last_total - first_total, 0.0) / days
