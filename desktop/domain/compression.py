"""Swinging-door compression of one tag's samples, so the historian keeps years, not days.

A process value sampled every second mostly moves along straight lines within its sensor's
accuracy; storing only the corners of those lines, and letting readers interpolate linearly,
keeps a few per cent of the samples without losing anything the sensor could actually tell.

This is the strict variant of the swinging door: a sample becomes the candidate end of the
current line only if the straight line from the last stored point to it passes within
`deviation` of every sample in between. (The classic door only checks that *some* line still
fits, and can then store a corner whose line misses an earlier sample by more than the
deviation.) So every received value is within `deviation` of the stored series read back with
linear interpolation; the property test in tests/unit/test_compression.py holds it to that.

Gaps (no value, bad quality, NaN) are always stored (the start of each run of them), so a reader
shows a hole rather than a line drawn across a sensor fault, and they restart the door. A value
is stored at least every `max_interval_s` unless no sample arrived in between.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

# Accuracy, in engineering units, below which a change says nothing about the process: what a
# typical industrial sensor of that kind resolves. Units not listed fall back to a fraction of
# the tag's span, or to ABSOLUTE_DEFAULT when the span is unknown.
DEFAULT_DEVIATION_BY_UNIT: dict[str, float] = {
    "°C": 0.1,
    "K": 0.1,
    "°F": 0.2,
    "bar": 0.01,
    "mbar": 1.0,
    "kPa": 1.0,
    "mm/s": 0.05,
    "%": 0.1,
    "A": 0.1,
    "V": 0.5,
    "kW": 0.1,
    "rpm": 1.0,
    "Hz": 0.01,
    "m³/h": 0.1,
    "l/min": 0.1,
    # Operating-hours counters: 36 s is finer than any maintenance interval counted in hours.
    "h": 0.01,
    # Unitless tags are states and counts: kept exactly.
    "": 0.0,
}
SPAN_FRACTION = 0.001
ABSOLUTE_DEFAULT = 0.01
# Without a change worth storing, a point is still stored this often, so a reader sees that the
# tag was alive and a plot's right edge is never older than this.
DEFAULT_MAX_INTERVAL_S = 600.0


def default_deviation(unit: str, span: float | None = None) -> float:
    """The deviation for a tag of `unit`: the table's, else 0.1 % of its span, else absolute."""
    key = unit.strip()
    if key in DEFAULT_DEVIATION_BY_UNIT:
        return DEFAULT_DEVIATION_BY_UNIT[key]
    if span is not None and span > 0:
        return SPAN_FRACTION * span
    return ABSOLUTE_DEFAULT


@dataclass(frozen=True, slots=True)
class StoredPoint:
    ts: float
    # None: a gap (no value or bad quality) starting at ts.
    value: float | None


class SwingingDoor:
    """One tag's compressor, fed (ts, value) in time order; returns the points to store now.

    `deviation` is the total error bound. `exception` is PI's exception deadband: a value within
    it of the last value passed to the door is skipped without computing slopes (cheap on quiet
    tags); when a value finally passes, the last skipped one is passed too, as PI does, so the
    skipped values are bounded. Each skipped value can then be up to 2 × `exception` away from
    the line through the values passed, so the door itself works with
    `deviation - 2 × exception`; `exception` is therefore at most a quarter of `deviation`.
    """

    def __init__(
        self,
        deviation: float,
        max_interval_s: float = DEFAULT_MAX_INTERVAL_S,
        exception: float = 0.0,
    ) -> None:
        if deviation < 0 or max_interval_s <= 0:
            raise ValueError("deviation must be ≥ 0 and max_interval_s > 0")
        if not 0 <= exception <= deviation / 4:
            raise ValueError("exception must be between 0 and a quarter of the deviation")
        self._door_dev = deviation - 2 * exception
        self._exception = exception
        self._max = max_interval_s
        self._last_ts: float | None = None
        # Exception filter: the last value passed to the door, and the last one skipped.
        self._passed: tuple[float, float] | None = None
        self._skipped: tuple[float, float] | None = None
        # Door: the last stored point (None before the first value or after a gap), the
        # candidate end of the current line, and the slopes the line may take to pass within
        # the deviation of every value since the stored point.
        self._anchor: tuple[float, float] | None = None
        self._held: tuple[float, float] | None = None
        self._low = -math.inf
        self._high = math.inf
        self._in_gap = False

    def feed(self, ts: float, value: float | None) -> list[StoredPoint]:
        """Points to store because of this sample; repeated or older timestamps are ignored."""
        if self._last_ts is not None and ts <= self._last_ts:
            return []
        self._last_ts = ts
        if value is None or math.isnan(value):
            return self._gap(ts)
        self._in_gap = False
        if self._passes_exception(ts, value):
            out: list[StoredPoint] = []
            if self._skipped is not None:
                out += self._door(*self._skipped)
                self._skipped = None
            out += self._door(ts, value)
            self._passed = (ts, value)
            return out
        self._skipped = (ts, value)
        return []

    def flush(self) -> list[StoredPoint]:
        """Store what is held (the series' last value), e.g. when the historian stops."""
        out: list[StoredPoint] = []
        if self._skipped is not None:
            out += self._door(*self._skipped)
            self._skipped = None
        if self._held is not None:
            out.append(self._store(*self._held))
            self._held = None
        return out

    def _passes_exception(self, ts: float, value: float) -> bool:
        if self._exception <= 0 or self._passed is None:
            return True
        last_ts, last_value = self._passed
        return abs(value - last_value) > self._exception or ts - last_ts >= self._max

    def _gap(self, ts: float) -> list[StoredPoint]:
        # The last value before the gap ends the line, so nothing is drawn across the hole.
        out = self.flush()
        self._anchor = None
        self._passed = None
        # A gap lasts until the next value: only its start needs storing.
        if not self._in_gap:
            self._in_gap = True
            out.append(StoredPoint(ts, None))
        return out

    def _door(self, ts: float, value: float) -> list[StoredPoint]:
        if self._anchor is None:
            return [self._store(ts, value)]
        t0, v0 = self._anchor
        dt = ts - t0
        if dt <= self._max and self._low <= (value - v0) / dt <= self._high:
            self._held = (ts, value)
            self._narrow(ts, value)
            return []
        # This sample cannot end the current line: the held one does, and a new line starts.
        out: list[StoredPoint] = []
        if self._held is not None:
            out.append(self._store(*self._held))
            self._held = None
        t0, v0 = self._anchor
        if ts - t0 > self._max:
            out.append(self._store(ts, value))
            return out
        self._held = (ts, value)
        self._narrow(ts, value)
        return out

    def _narrow(self, ts: float, value: float) -> None:
        assert self._anchor is not None
        t0, v0 = self._anchor
        dt = ts - t0
        self._high = min(self._high, (value + self._door_dev - v0) / dt)
        self._low = max(self._low, (value - self._door_dev - v0) / dt)

    def _store(self, ts: float, value: float) -> StoredPoint:
        self._anchor = (ts, value)
        self._low, self._high = -math.inf, math.inf
        return StoredPoint(ts, value)
