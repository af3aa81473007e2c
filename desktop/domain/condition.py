"""Condition monitoring vocabulary: samples, their quality, tag kinds and the rule evaluators.

The evaluators are pure state machines fed one sample at a time, so the live monitor, the
replay over stored history and the tests all run the same code.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass
from enum import IntEnum, StrEnum
from typing import TYPE_CHECKING

from desktop.domain.phrases import Phrase

if TYPE_CHECKING:
    import numpy as np


class Quality(IntEnum):
    """Why a sample has a value or not; anything but GOOD is stored as a gap (no value)."""

    GOOD = 0
    UNCERTAIN = 1
    BAD = 2
    NOT_NUMERIC = 3
    CONNECTION_LOST = 4


class DataKind(StrEnum):
    """What a tag measures; counters feed asset meters, states give running time."""

    ANALOG = "analog"
    COUNTER = "counter"
    STATE = "state"


SAMPLING_MIN_MS = 10
SAMPLING_MAX_MS = 3_600_000
"""A tag's own interval: from 10 ms (faster is noise to a historian storing by deviation) to an
hour (slower is a meter reading, not a trend)."""


def sampling_problem(ms: int | None) -> str | None:
    """Why a tag's own sampling interval is refused, or None (None itself: the class default)."""
    if ms is None or SAMPLING_MIN_MS <= ms <= SAMPLING_MAX_MS:
        return None
    return Phrase(
        "a whole number of milliseconds from {sampling_min_ms} to "
        "{sampling_max_ms}, or empty for the tag class's default",
        sampling_min_ms=SAMPLING_MIN_MS,
        sampling_max_ms=SAMPLING_MAX_MS,
    )


@dataclass(frozen=True, slots=True)
class Sample:
    """One reading of a tag: `ts` in epoch seconds (UTC); `value` is None for a gap."""

    tag_id: int
    ts: float
    value: float | None
    quality: Quality


class RuleKind(StrEnum):
    THRESHOLD = "threshold"
    RATE_OF_CHANGE = "rate_of_change"
    FORECAST = "forecast"


class Direction(StrEnum):
    ABOVE = "above"
    BELOW = "below"


@dataclass(frozen=True)
class RuleSpec:
    """A rule's parameters.

    threshold: alarm when the value is beyond `limit` for `on_delay_s`; it clears only once the
    value is back by `hysteresis`, so a signal hovering at the limit does not chatter.
    rate_of_change: the same on the slope (units per minute) of a least-squares fit over
    `window_s`.
    forecast: a Theil-Sen fit over `window_s` predicts when `limit` is crossed; alarm when that
    is less than `horizon_s` away (or already crossed).
    """

    kind: RuleKind
    limit: float
    direction: Direction = Direction.ABOVE
    hysteresis: float = 0.0
    on_delay_s: float = 0.0
    window_s: float = 600.0
    horizon_s: float = 24 * 3600.0

    def problems(self) -> dict[str, str]:
        problems: dict[str, str] = {}
        if not math.isfinite(self.limit):
            problems["limit"] = "must be a number"
        if self.hysteresis < 0 or not math.isfinite(self.hysteresis):
            problems["hysteresis"] = "must be zero or more"
        # NaN passes every comparison below, and the command line's float() accepts "nan".
        if not (math.isfinite(self.on_delay_s) and self.on_delay_s >= 0):
            problems["on_delay_s"] = "must be zero or more seconds"
        if self.kind is not RuleKind.THRESHOLD and not (
            math.isfinite(self.window_s) and self.window_s > 0
        ):
            problems["window_s"] = "must be more than 0 seconds"
        if self.kind is RuleKind.FORECAST and not (
            math.isfinite(self.horizon_s) and self.horizon_s > 0
        ):
            problems["horizon_s"] = "must be more than 0 seconds"
        return problems


class Change(StrEnum):
    RAISED = "raised"
    CLEARED = "cleared"


@dataclass(frozen=True)
class RuleEvent:
    """A rule's alarm state changed at `ts`; `measure` is what was compared with the limit."""

    change: Change
    ts: float
    measure: float
    message: str


# Theil-Sen is O(n²) in the window's points; thinning to this many keeps a fit near 2 ms.
FORECAST_MAX_POINTS = 120
# A forecast is refitted every thirtieth of its window (at least every 10 s of sample time),
# not on every sample: a trend over half an hour does not change in a second.
FORECAST_EVERY_S = 10.0
FORECAST_FITS_PER_WINDOW = 30


class RuleEvaluator:
    """The alarm state of one rule on one tag, fed samples in time order."""

    def __init__(self, spec: RuleSpec, unit: str = "") -> None:
        """`unit` is the tag's, written after every value and limit in the alarm text."""
        self.spec = spec
        self.unit = unit
        self.active = False
        self._pending_since: float | None = None
        self._window: deque[tuple[float, float]] = deque()
        self._last_fit = -math.inf
        self._last_measure: float | None = None

    def feed(self, ts: float, value: float | None) -> RuleEvent | None:
        """Runs on the monitor's thread. Gaps are skipped: they neither raise nor clear."""
        if value is None or not math.isfinite(value):
            return None
        measure = self._measure(ts, value)
        if measure is None:
            return None
        return self._step(ts, measure)

    def _measure(self, ts: float, value: float) -> float | None:
        spec = self.spec
        if spec.kind is RuleKind.THRESHOLD:
            return value
        self._window.append((ts, value))
        while self._window and self._window[0][0] < ts - spec.window_s:
            self._window.popleft()
        if len(self._window) < 3 or self._window[-1][0] - self._window[0][0] < spec.window_s / 2:
            return None
        if spec.kind is RuleKind.RATE_OF_CHANGE:
            t, v = _arrays(self._window)
            import numpy as np

            return float(np.polyfit(t - t[0], v, 1)[0]) * 60.0
        every = max(FORECAST_EVERY_S, spec.window_s / FORECAST_FITS_PER_WINDOW)
        if ts - self._last_fit < every and self._last_measure is not None:
            return None
        self._last_fit = ts
        self._last_measure = self._seconds_to_limit(ts)
        return self._last_measure

    def _seconds_to_limit(self, now: float) -> float:
        """Seconds until the robust fit crosses the limit; inf when it heads away from it."""
        t, v = _arrays(self._window)
        step = max(1, len(t) // FORECAST_MAX_POINTS)
        t, v = t[::step], v[::step]
        slope, intercept = _theil_sen(t - now, v)
        sign = 1.0 if self.spec.direction is Direction.ABOVE else -1.0
        gap = sign * (self.spec.limit - intercept)
        if gap <= 0:
            return 0.0
        toward = sign * slope
        return gap / toward if toward > 0 else math.inf

    def _beyond(self, measure: float, margin: float) -> bool:
        spec = self.spec
        if spec.kind is RuleKind.FORECAST:
            return measure <= spec.horizon_s + margin
        if spec.direction is Direction.ABOVE:
            return measure > spec.limit - margin
        return measure < spec.limit + margin

    def _step(self, ts: float, measure: float) -> RuleEvent | None:
        spec = self.spec
        if not self.active:
            if not self._beyond(measure, 0.0):
                self._pending_since = None
                return None
            if self._pending_since is None:
                self._pending_since = ts
            if ts - self._pending_since < spec.on_delay_s:
                return None
            self.active = True
            self._pending_since = None
            return RuleEvent(Change.RAISED, ts, measure, self.describe(measure))
        # Clearing needs the measure back inside by the hysteresis band.
        if self._beyond(measure, spec.hysteresis):
            return None
        self.active = False
        return RuleEvent(Change.CLEARED, ts, measure, self.describe(measure, cleared=True))

    def describe(self, measure: float, *, cleared: bool = False) -> str:
        """The alarm text; a cleared alarm says the value is back, not that it is beyond."""
        spec = self.spec
        side = spec.direction.value
        if cleared:
            side = "back " + ("below" if spec.direction is Direction.ABOVE else "above")
        unit = self.unit
        limit = number(spec.limit, unit)
        if spec.kind is RuleKind.THRESHOLD:
            return f"value {number(measure, unit)} {side} limit {limit}"
        if spec.kind is RuleKind.RATE_OF_CHANGE:
            per_min = f"{unit}/min" if unit else "/min"
            rate, rate_limit = number(measure), number(spec.limit)
            if unit:
                return f"rate {rate} {per_min} {side} limit {rate_limit} {per_min}"
            return f"rate {rate}/min {side} limit {rate_limit}/min"
        if cleared:
            return f"forecast: limit {limit} no longer expected within the horizon"
        hours = measure / 3600.0
        return f"forecast: limit {limit} reached in {hours:.1f} h"


def number(value: float, unit: str = "") -> str:
    """A measured value as an operator reads it: four significant digits, no exponent between
    0.001 and ten million (`1040`, not `1.04e+03`), the unit after a space when there is one."""
    if not math.isfinite(value):
        text = str(value)
    elif value == 0 or 1e-3 <= abs(value) < 1e7:
        digits = max(0, 3 - math.floor(math.log10(abs(value)))) if value else 0
        text = f"{value:.{digits}f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
    else:
        text = f"{value:.3e}"
    return f"{text} {unit}" if unit else text


def _arrays(window: deque[tuple[float, float]]) -> tuple[np.ndarray, np.ndarray]:
    # numpy loads with the first rule evaluated, not with every import of the models.
    import numpy as np

    data = np.fromiter((x for pair in window for x in pair), dtype=float, count=2 * len(window))
    return data[0::2], data[1::2]


def _theil_sen(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Theil–Sen line: the median of all pairwise slopes, through the medians (as scipy's
    `theilslopes`, method "separate"); a few spikes in a window cannot tilt it."""
    import numpy as np

    dx = x[np.newaxis, :] - x[:, np.newaxis]
    dy = y[np.newaxis, :] - y[:, np.newaxis]
    rising = dx > 0
    slope = float(np.median(dy[rising] / dx[rising]))
    return slope, float(np.median(y) - slope * np.median(x))
