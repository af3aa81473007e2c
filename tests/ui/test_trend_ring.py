"""The trends panel's live points: a ring of numpy arrays, and the part of it drawn."""

from __future__ import annotations

import numpy as np

from ui.trends.ring import Ring, visible


def test_the_ring_keeps_the_newest_points_in_order_however_they_arrive():
    ring = Ring(capacity=1000)
    kept_ts: list[float] = []
    start = 0
    for size in [1, 7, 300, 999, 1, 1000, 2500, 13, 640] * 3:
        ts = np.arange(start, start + size, dtype=float)
        ring.extend(ts, ts * 2)
        kept_ts = [*kept_ts, *ts.tolist()][-1000:]
        start += size
        assert ring.ts.tolist() == kept_ts
        assert ring.values.tolist() == [t * 2 for t in kept_ts]


def test_points_handed_to_a_curve_keep_their_values_while_the_ring_moves_on():
    ring = Ring(capacity=100)
    ring.extend(np.arange(100.0), np.arange(100.0))
    drawn = ring.values
    for first in range(100, 1000, 30):
        ring.extend(np.arange(first, first + 30.0), np.full(30, -1.0))
    assert drawn.tolist() == list(range(100))
    assert ring.ts[-1] == 999.0


def test_visible_points_are_the_range_and_one_either_side():
    ts = np.arange(100.0)
    xs, ys = visible(ts, ts * 10, 20.5, 30.0, max_points=1000)
    assert xs.tolist() == list(range(20, 32))
    assert ys[0] == 200.0


def test_decimation_keeps_every_spike_and_every_gap_of_a_long_range():
    ts = np.arange(100_000.0)
    values = np.sin(ts / 500)
    values[12_345] = 50.0
    values[70_000:70_400] = np.nan
    values[90_001] = np.nan  # one sample lost: the line breaks there too
    xs, ys = visible(ts, values, 0.0, 100_000.0, max_points=2000)
    assert len(xs) <= 2002
    assert np.all(np.diff(xs) >= 0)
    assert np.nanmax(ys) == 50.0
    inside_gap = (xs > 70_100) & (xs < 70_300)
    assert inside_gap.any()
    assert np.all(np.isnan(ys[inside_gap]))
    assert np.any(np.abs(xs[np.isnan(ys)] - 90_001) < 100)
    assert np.nanmin(ys) == np.nanmin(values)
