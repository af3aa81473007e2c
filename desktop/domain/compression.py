"""Historian compression: which samples to keep so the stored series stays within a tag's accuracy.

Analog and counter tags use a swinging-door test (Bristol 1990, as in OSIsoft PI): a sample is
dropped while the straight line from the last stored point to the newest sample passes within
the tag's deviation of every sample in between. Unlike the textbook door, which stores the
previous sample as soon as the corridor of slopes closes, this one checks the line to the new
sample against the corridor of all the samples it would skip, so the bound holds for every
dropped sample, not only on average. State tags (running, a status) and tags of deviation 0
use a deadband: a sample is kept when it differs from the last kept value by more than the
deviation, and the series is read back holding each value until the next one.

Stored values are rounded to a tenth of the deviation (they pack into a few bits each) and the
door works with nine tenths of it, so the series read back by linear interpolation (or
holding, for stepped tags) is within the deviation of every sample received. A gap (a sample
without a good value) always ends the line and is itself kept; a run of gaps of one reason is
kept as its first sample. `max_interval_s` bounds the time between kept points, so a flat
signal still shows it is alive and a reader never looks further back than that for the
previous point.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from desktop.domain.condition import DataKind, Quality, Sample

if TYPE_CHECKING:
    from collections.abc import Iterable

DEFAULT_MAX_INTERVAL_S = 300.0
# The door uses this share of the deviation; rounding the kept values takes at most the rest.
DOOR_SHARE = 0.9
QUANTUM_SHARE = 0.1

# Engineering accuracy by unit, as a plant's transmitters typically give it: Pt100 class B is
# ±(0.3 + 0.005·|t|) °C, so about 0.5 °C at process temperatures; pressure and flow
# transmitters ±0.5–1 % of a typical span (10 bar, 50 m³/h); motor current ±1 % of 50 A;
# vibration velocity transmitters ±5 % of a 4 mm/s reading (ISO 10816 zone B); running
# hours to the 36 s a counter's hundredths show. A unit not listed is stored without loss.
DEFAULT_DEVIATION_BY_UNIT: dict[str, float] = {
    "°C": 0.5,
    "degC": 0.5,
    "K": 0.5,
    "°F": 1.0,
    "bar": 0.05,
    "mbar": 5.0,
    "kPa": 5.0,
    "psi": 0.7,
    "m³/h": 0.5,
    "l/min": 1.0,
    "A": 0.5,
    "V": 2.0,
    "kW": 0.5,
    "mm/s": 0.2,
    "g": 0.05,
    "rpm": 5.0,
    "Hz": 0.1,
    "%": 0.5,
    "h": 0.01,
}


@dataclass(frozen=True)
class CompressionSpec:
    """How one tag is compressed. `deviation` 0 keeps every change (lossless)."""

    deviation: float = 0.0
    max_interval_s: float = DEFAULT_MAX_INTERVAL_S
    # Stepped: deadband and hold-last reading (states, counts); else swinging door and lines.
    stepped: bool = False

    @property
    def quantum(self) -> float:
        """The step kept values are rounded to; 0 keeps them exactly."""
        return self.deviation * QUANTUM_SHARE

    def problems(self) -> dict[str, str]:
        problems: dict[str, str] = {}
        if not (math.isfinite(self.deviation) and self.deviation >= 0):
            problems["deviation"] = "must be zero or more"
        if not (math.isfinite(self.max_interval_s) and self.max_interval_s > 0):
            problems["max_interval_s"] = "must be more than 0 seconds"
        return problems


def default_spec(
    unit: str,
    kind: DataKind,
    deviation: float | None = None,
    max_interval_s: float | None = None,
) -> CompressionSpec:
    """A tag's spec: its own deviation and interval where set, else the defaults by unit.

    States are stored on every change; counters without a unit (starts, cycles) are counts,
    so they too step and keep every change.
    """
    stepped = kind is DataKind.STATE or (kind is DataKind.COUNTER and not unit)
    if deviation is None:
        deviation = 0.0 if stepped else DEFAULT_DEVIATION_BY_UNIT.get(unit.strip(), 0.0)
    return CompressionSpec(
        deviation, DEFAULT_MAX_INTERVAL_S if max_interval_s is None else max_interval_s, stepped
    )


# Beyond this many quanta a value is kept as it is (a double holds integers exactly to 2^53).
MAX_QUANTA = 2.0**52


def quantize(value: float, quantum: float) -> float:
    """`value` rounded to a multiple of `quantum`; as it is when that is 0 or too fine."""
    if quantum <= 0 or not abs(value) / quantum < MAX_QUANTA:
        return value
    return float(from_quanta(np.float64(round(value / quantum)), quantum))


def from_quanta(quanta: Any, quantum: float) -> Any:
    """Whole quanta back to values (scalars or arrays alike). Where the quantum is 1/n it
    divides by n, so 50 quanta of 0.02 read 1.0 and not 1.0000000000000002."""
    inverse = 1.0 / quantum
    if not math.isfinite(inverse):  # a quantum so fine that its inverse overflows
        return quanta * quantum
    whole = round(inverse)
    if whole >= 1 and abs(inverse - whole) <= 1e-9 * inverse:
        return quanta / float(whole)
    return quanta * quantum


class Compressor:
    """One tag's compression state, fed its samples in time order.

    `feed` returns the samples to store now (zero, one or two); `flush` the one held back,
    when there is one (at shutdown). Samples not newer than the last one fed are dropped
    (a repeated notification carries nothing new) and counted in `out_of_order`.
    """

    def __init__(self, spec: CompressionSpec) -> None:
        self.spec = spec
        self._door = spec.deviation * DOOR_SHARE
        self._quantum = spec.quantum
        self._archived: Sample | None = None  # the last stored sample
        # The newest sample, not stored yet (always a good value): tag, time and value in a
        # tuple of plain numbers, which the cyclic garbage collector stops tracking. Held as a
        # Sample, one object per tag per second outlived the young collections and brought
        # full collections (a pause of every thread) about once a second at plant scale.
        self._held: tuple[int, float, float] | None = None
        self._upper = math.inf  # corridor of slopes from the archived point
        self._lower = -math.inf
        self._last_ts = -math.inf
        self.out_of_order = 0

    def feed(self, sample: Sample) -> list[Sample]:
        if sample.ts <= self._last_ts:
            self.out_of_order += 1
            return []
        self._last_ts = sample.ts
        good = sample.quality is Quality.GOOD and sample.value is not None
        if not good:
            return self._gap(sample)
        assert sample.value is not None
        if not math.isfinite(sample.value):
            return self._gap(Sample(sample.tag_id, sample.ts, None, Quality.NOT_NUMERIC))
        archived = self._archived
        if archived is None or archived.value is None:
            return self._store(sample)
        if sample.ts - archived.ts > self.spec.max_interval_s:
            out = self._release()
            if sample.ts - self._archived_ts() > self.spec.max_interval_s or not out:
                return [*out, *self._store(sample)]
            return [*out, *self._consider(sample)]
        return self._consider(sample)

    def flush(self) -> list[Sample]:
        """The sample held back, stored so the series reaches the last one received."""
        return self._release()

    def _archived_ts(self) -> float:
        return self._archived.ts if self._archived is not None else -math.inf

    def _consider(self, sample: Sample) -> list[Sample]:
        if self.spec.stepped:
            return self._deadband(sample)
        return self._swing(sample)

    def _deadband(self, sample: Sample) -> list[Sample]:
        assert self._archived is not None
        assert self._archived.value is not None
        assert sample.value is not None
        if abs(sample.value - self._archived.value) > self._door:
            self._held = None
            return self._store(sample)
        # Held so a later gap or the shutdown can still store the last value seen.
        self._held = (sample.tag_id, sample.ts, sample.value)
        return []

    def _swing(self, sample: Sample) -> list[Sample]:
        archived = self._archived
        assert archived is not None
        assert archived.value is not None
        assert sample.value is not None
        dt = sample.ts - archived.ts
        slope = (sample.value - archived.value) / dt
        if self._lower <= slope <= self._upper:
            self._tighten(sample)
            self._held = (sample.tag_id, sample.ts, sample.value)
            return []
        out = self._release()
        # The released sample is the new start: the line to this one skips nothing, so it
        # needs no check; it only narrows the corridor for the samples after it.
        self._tighten(sample)
        self._held = (sample.tag_id, sample.ts, sample.value)
        return out

    def _tighten(self, sample: Sample) -> None:
        archived = self._archived
        assert archived is not None
        assert archived.value is not None
        assert sample.value is not None
        dt = sample.ts - archived.ts
        self._upper = min(self._upper, (sample.value + self._door - archived.value) / dt)
        self._lower = max(self._lower, (sample.value - self._door - archived.value) / dt)

    def _gap(self, sample: Sample) -> list[Sample]:
        out = self._release()
        archived = self._archived
        if archived is not None and archived.value is None and archived.quality is sample.quality:
            return out
        return [*out, *self._store(Sample(sample.tag_id, sample.ts, None, sample.quality))]

    def _release(self) -> list[Sample]:
        held, self._held = self._held, None
        if held is None:
            return []
        return self._store(Sample(*held, Quality.GOOD))

    def _store(self, sample: Sample) -> list[Sample]:
        if sample.value is not None:
            sample = Sample(
                sample.tag_id, sample.ts, quantize(sample.value, self._quantum), sample.quality
            )
            # The corridor starts from the rounded value, as it will be read back.
        self._archived = sample
        self._upper, self._lower = math.inf, -math.inf
        return [sample]


def compress(samples: Iterable[Sample], spec: CompressionSpec) -> list[Sample]:
    """One tag's samples (time order) compressed, including the last one held back."""
    compressor = Compressor(spec)
    kept: list[Sample] = []
    for sample in samples:
        kept.extend(compressor.feed(sample))
    kept.extend(compressor.flush())
    return kept


def reconstruct(
    ts: np.ndarray, values: np.ndarray, at: np.ndarray, stepped: bool = False
) -> np.ndarray:
    """The stored series (`values` NaN at gaps) read at times `at`: lines between kept points
    (or each value held, when `stepped`), NaN from a gap to the next value and outside the
    stored span."""
    out = np.full(len(at), np.nan)
    if len(ts) == 0:
        return out
    right = np.searchsorted(ts, at, side="right")
    left = right - 1
    inside = (left >= 0) & (at <= ts[-1])
    left_c = np.clip(left, 0, len(ts) - 1)
    right_c = np.clip(right, 0, len(ts) - 1)
    v0, v1 = values[left_c], values[right_c]
    t0, t1 = ts[left_c], ts[right_c]
    if stepped:
        result = v0
    else:
        span = np.where(t1 > t0, t1 - t0, 1.0)
        frac = np.where(t1 > t0, (at - t0) / span, 0.0)
        with np.errstate(invalid="ignore"):
            # A line needs a value at both ends: the segment into a gap is NaN, not drawn.
            result = v0 + (v1 - v0) * frac
        # Exactly on a kept point: that point's own value, even just before a gap.
        result = np.where(at == t0, v0, result)
    out[inside] = result[inside]
    return out


def time_integral(
    ts: np.ndarray, values: np.ndarray, start: float, end: float, stepped: bool = False
) -> tuple[float, float]:
    """(∫ value dt, seconds with a value) of the stored series over [start, end): trapezoids
    between kept points (rectangles when `stepped`), nothing over gaps or outside the span."""
    if len(ts) == 0 or end <= start:
        return 0.0, 0.0
    inner = ts[(ts > start) & (ts < end)]
    grid = np.concatenate(([start], inner, [end]))
    grid = grid[(grid >= ts[0]) & (grid <= ts[-1])]
    if len(grid) < 2:
        return 0.0, 0.0
    at = reconstruct(ts, values, grid, stepped)
    widths = np.diff(grid)
    # A segment into or out of a gap is NaN, so it counts nothing, as it is not drawn.
    heights = at[:-1] if stepped else (at[:-1] + at[1:]) / 2
    known = ~np.isnan(heights)
    with np.errstate(over="ignore"):  # values near the double's limit integrate to ±inf
        return float(np.sum(heights[known] * widths[known])), float(np.sum(widths[known]))
