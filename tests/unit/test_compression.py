"""Swinging-door compression: what a reader interpolates from the stored points is within the
tag's deviation of every value received, on random signals and on the demo plant's own."""

from __future__ import annotations

import bisect
import itertools
import math
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.domain.compression import StoredPoint, SwingingDoor, default_deviation
from desktop.domain.condition import DataKind
from desktop.domain.failure_codes import RESOURCES_DIR
from desktop.plant.sim_signals import PlantModel, Wire, load_signals

Sample = tuple[float, float | None]


def compress(samples: list[Sample], door: SwingingDoor) -> list[StoredPoint]:
    stored: list[StoredPoint] = []
    for ts, value in samples:
        stored += door.feed(ts, value)
    return stored + door.flush()


def is_gap(value: float | None) -> bool:
    return value is None or math.isnan(value)


def check_reconstruction(
    samples: list[Sample], stored: list[StoredPoint], deviation: float, max_interval: float
) -> None:
    """Every property a reader relies on, against the raw samples."""
    times = [p.ts for p in stored]
    assert times == sorted(set(times)), "stored points are in strict time order"
    raw = dict(samples)
    for point in stored:
        assert point.ts in raw, "only received samples are stored"
        assert (point.value is None) == is_gap(raw[point.ts])
        if point.value is not None:
            assert point.value == raw[point.ts]
    assert stored[0].ts == samples[0][0], "the first sample is kept"
    last_ts, last_value = samples[-1]
    assert stored[-1].ts == last_ts or (is_gap(last_value) and stored[-1].value is None), (
        "the last sample is kept"
    )
    for ts, value in samples:
        i = bisect.bisect_right(times, ts) - 1
        before = stored[i]
        if is_gap(value):
            assert before.value is None, f"gap at {ts} shows as a gap"
            continue
        assert before.value is not None, f"value at {ts} is not read as a gap"
        if before.ts == ts:
            continue
        after = stored[i + 1]
        assert after.value is not None, f"value at {ts} is between two values"
        share = (ts - before.ts) / (after.ts - before.ts)
        read = before.value + share * (after.value - before.value)
        eps = 1e-9 * (1.0 + abs(value) + abs(before.value) + abs(after.value))
        assert abs(read - value) <= deviation + eps, f"value at {ts}: read {read}, got {value}"
    received = [ts for ts, _ in samples]
    for a, b in itertools.pairwise(stored):
        if a.value is None or b.ts - a.ts <= max_interval:
            continue
        between = bisect.bisect_right(received, a.ts) < bisect.bisect_left(received, b.ts)
        assert not between, f"nothing stored between {a.ts} and {b.ts} though samples came"


@st.composite
def signals(draw: st.DrawFn) -> list[Sample]:
    """Random walks, steps, noise and constants, at irregular times, with gaps."""
    n = draw(st.integers(1, 300))
    rng = random.Random(draw(st.integers(0, 2**32)))
    kind = draw(st.sampled_from(["walk", "steps", "noise", "constant", "mixed"]))
    gap_chance = draw(st.sampled_from([0.0, 0.0, 0.02, 0.2]))
    scale = draw(st.sampled_from([0.01, 1.0, 50.0]))
    ts = draw(st.floats(0, 1e6))
    value = rng.uniform(-100, 100)
    out: list[Sample] = []
    for _ in range(n):
        ts += rng.choice([0.1, 1.0, 1.0, 1.0, rng.uniform(0.01, 30.0)])
        current = kind if kind != "mixed" else rng.choice(["walk", "steps", "noise"])
        if current == "walk":
            value += rng.gauss(0, scale)
        elif current == "steps" and rng.random() < 0.05:
            value += rng.choice([-1, 1]) * scale * 10
        elif current == "noise":
            value = rng.gauss(0, scale)
        gap = rng.random() < gap_chance
        out.append((ts, rng.choice([None, math.nan]) if gap else value))
    return out


@settings(max_examples=300, deadline=None)
@given(
    samples=signals(),
    deviation=st.sampled_from([0.0, 0.001, 0.05, 0.5, 3.0]),
    exception_share=st.sampled_from([0.0, 0.1, 0.25]),
    max_interval=st.sampled_from([0.5, 5.0, 60.0, 600.0]),
)
def test_every_received_value_is_read_back_within_the_deviation(
    samples: list[Sample], deviation: float, exception_share: float, max_interval: float
) -> None:
    door = SwingingDoor(deviation, max_interval, exception=exception_share * deviation)
    stored = compress(samples, door)
    check_reconstruction(samples, stored, deviation, max_interval)


def test_a_constant_keeps_its_ends_and_one_point_per_max_interval() -> None:
    samples: list[Sample] = [(float(t), 20.0) for t in range(3601)]
    stored = compress(samples, SwingingDoor(0.1, max_interval_s=600.0))
    assert [p.ts for p in stored] == [0.0, 600.0, 1200.0, 1800.0, 2400.0, 3000.0, 3600.0]


def test_a_ramp_is_two_points_and_a_step_its_corners() -> None:
    ramp: list[Sample] = [(float(t), 2.0 * t) for t in range(100)]
    assert [p.ts for p in compress(ramp, SwingingDoor(0.01, 1e9))] == [0.0, 99.0]
    step: list[Sample] = [(float(t), 0.0 if t < 50 else 1.0) for t in range(100)]
    kept = [(p.ts, p.value) for p in compress(step, SwingingDoor(0.01, 1e9))]
    assert kept == [(0.0, 0.0), (49.0, 0.0), (50.0, 1.0), (99.0, 1.0)]


def test_a_gap_ends_the_line_before_it_and_is_stored_once() -> None:
    samples: list[Sample] = [(0.0, 1.0), (1.0, 1.0), (2.0, 1.0), (3.0, None), (4.0, math.nan)]
    samples += [(5.0, 2.0), (6.0, 2.0)]
    kept = [(p.ts, p.value) for p in compress(samples, SwingingDoor(0.1, 600.0))]
    assert kept == [(0.0, 1.0), (2.0, 1.0), (3.0, None), (5.0, 2.0), (6.0, 2.0)]


def test_default_deviation_by_unit_then_span_then_absolute() -> None:
    assert default_deviation("°C") == 0.1
    assert default_deviation("bar") == 0.01
    assert default_deviation("mm/s") == 0.05
    assert default_deviation("") == 0.0
    assert default_deviation("furlong", span=500.0) == 0.5
    assert default_deviation("furlong") == 0.01


def test_the_demo_plant_is_read_back_within_each_tags_deviation() -> None:
    """An hour of the simulated plant at 1 Hz, each tag at its unit's default deviation.

    Counters and states shrink to their changes plus one point per max interval; the analog
    tags' simulated noise is 2-8 times their unit's default deviation, so most of their samples
    stay (the printed fraction is the measurement, about half of all samples)."""
    signals = [
        s
        for s in load_signals(RESOURCES_DIR / "demo_plant.json")
        if s.template.wire is not Wire.STRING
    ]
    model = PlantModel(signals, seed=11)
    raw: list[list[Sample]] = [[] for _ in signals]
    for second in range(3600):
        for series, reading in zip(raw, model.step(float(second)), strict=True):
            bad = reading.status is not None and reading.status.startswith("Bad")
            series.append((float(second), None if bad else float(reading.value)))
    received = kept = 0
    for signal, samples in zip(signals, raw, strict=True):
        deviation = default_deviation(signal.template.unit)
        stored = compress(samples, SwingingDoor(deviation, 600.0))
        check_reconstruction(samples, stored, deviation, 600.0)
        if signal.template.kind is not DataKind.ANALOG:
            assert len(stored) < 0.01 * len(samples), signal.node_name
        received += len(samples)
        kept += len(stored)
    share = kept / received
    print(f"demo plant, {len(signals)} tags, 1 h at 1 Hz: kept {kept}/{received} = {share:.2%}")
