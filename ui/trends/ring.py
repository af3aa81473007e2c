"""A tag's live points in a ring of numpy arrays, and the part of it a curve needs to draw."""

from __future__ import annotations

import math

import numpy as np

INITIAL_ROOM = 1024


class Ring:
    """The newest `capacity` points of a tag, oldest first. UI thread only.

    The points sit in one block with room to append; only when the block is full are the
    newest points moved to its front (at most once per `capacity` points appended), and `ts`
    and `values` are views, never copies. Appending by `np.concatenate` copied everything kept
    on every tick: a day at 10 Hz is 864,000 points, per curve, five times a second.
    """

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        room = min(INITIAL_ROOM, 2 * capacity)
        self._ts = np.empty(room)
        self._values = np.empty(room)
        self._start = 0
        self._end = 0

    def __len__(self) -> int:
        return self._end - self._start

    @property
    def ts(self) -> np.ndarray:
        return self._ts[self._start : self._end]

    @property
    def values(self) -> np.ndarray:
        return self._values[self._start : self._end]

    def extend(self, ts: np.ndarray, values: np.ndarray) -> None:
        count = len(ts)
        if count >= self.capacity:
            self._reset(ts[-self.capacity :], values[-self.capacity :])
            return
        if self._end + count > len(self._ts):
            self._make_room(count)
        self._ts[self._end : self._end + count] = ts
        self._values[self._end : self._end + count] = values
        self._end += count
        self._start = max(self._start, self._end - self.capacity)

    def _make_room(self, count: int) -> None:
        """Copy the newest points still wanted to the front of a new block with room for
        `count` more, growing it (up to twice the capacity) while it is small. A new block, not
        a move in place: views handed out before (a curve's data) must keep their points."""
        keep = min(len(self), self.capacity - count)
        needed = keep + count
        room = len(self._ts)
        if needed * 2 > room and room < 2 * self.capacity:
            room = min(2 * self.capacity, max(2 * room, 2 * needed))
        ts = np.empty(room)
        values = np.empty(room)
        ts[:keep] = self._ts[self._end - keep : self._end]
        values[:keep] = self._values[self._end - keep : self._end]
        self._ts, self._values = ts, values
        self._start, self._end = 0, keep

    def _reset(self, ts: np.ndarray, values: np.ndarray) -> None:
        room = max(len(self._ts), len(ts))
        self._ts = np.empty(room)
        self._values = np.empty(room)
        self._ts[: len(ts)] = ts
        self._values[: len(ts)] = values
        self._start, self._end = 0, len(ts)


def visible(
    ts: np.ndarray, values: np.ndarray, start: float, end: float, max_points: int
) -> tuple[np.ndarray, np.ndarray]:
    """The points of a time range (and one either side, so the line reaches the edges), at
    most about `max_points`: beyond that each run of points becomes its lowest and highest
    value, at the run's first and last time (peak decimation, as pyqtgraph's), so a spike
    stays visible at any zoom; a run with a gap in it becomes NaN, so the curve still breaks
    there. The newest point is always drawn as it is: a live curve ends at the last value."""
    low = max(int(np.searchsorted(ts, start, "left")) - 1, 0)
    high = min(int(np.searchsorted(ts, end, "right")) + 1, len(ts))
    xs, ys = ts[low:high], values[low:high]
    if len(xs) <= max_points:
        return xs, ys
    body_x, body_y = xs[:-1], ys[:-1]
    run = math.ceil(len(body_x) / max(max_points // 2 - 1, 1))
    runs = math.ceil(len(body_x) / run)
    padded = np.full(runs * run, np.nan)
    padded[: len(body_y)] = body_y
    grid = padded.reshape(runs, run)
    gaps = np.zeros(runs * run, dtype=bool)
    gaps[: len(body_y)] = np.isnan(body_y)
    broken = gaps.reshape(runs, run).any(axis=1)
    last = np.minimum(np.arange(1, runs + 1) * run, len(body_x)) - 1
    peaks_x = np.column_stack((body_x[::run], body_x[last])).reshape(-1)
    peaks_y = np.column_stack((np.fmin.reduce(grid, axis=1), np.fmax.reduce(grid, axis=1)))
    peaks_y[broken] = np.nan
    return np.append(peaks_x, xs[-1]), np.append(peaks_y.reshape(-1), ys[-1])
