"""Historian compression: every sample received is read back within its tag's deviation."""

from __future__ import annotations

import itertools
import math

import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st

from desktop.domain.compression import (
    CompressionSpec,
    Compressor,
    compress,
    default_spec,
    reconstruct,
    time_integral,
)
from desktop.domain.condition import DataKind, Quality, Sample
from desktop.domain.failure_codes import RESOURCES_DIR
from desktop.plant.sim_signals import PlantModel, load_signals

T0 = 1_772_438_400.0
PLANT_FILE = RESOURCES_DIR / "demo_plant.json"


def _error_bound_holds(raw: list[Sample], spec: CompressionSpec) -> None:
    """Each good raw sample's value read back from the kept ones; each gap read back as none."""
    kept = compress(raw, spec)
    ts = np.array([s.ts for s in kept])
    values = np.array([np.nan if s.value is None else s.value for s in kept])
    assert np.all(np.diff(ts) > 0)
    at = np.array([s.ts for s in raw])
    back = reconstruct(ts, values, at, spec.stepped)
    for sample, value in zip(raw, back, strict=True):
        good = sample.value is not None and math.isfinite(sample.value)
        if sample.quality is Quality.GOOD and good:
            assert sample.value is not None
            slack = 1e-9 * max(1.0, abs(sample.value))
            assert abs(value - sample.value) <= spec.deviation + slack, (sample, value)
        else:
            assert math.isnan(value), (sample, value)
    # A value is never held longer than the maximum interval while samples keep coming.
    received = np.array([s.ts for s in raw])
    for a, b in itertools.pairwise(kept):
        if a.value is not None and b.ts - a.ts > spec.max_interval_s:
            assert not np.any((received > a.ts) & (received < b.ts)), (a, b)


values = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)
steps = st.floats(min_value=0.001, max_value=400.0)
qualities = st.sampled_from([Quality.GOOD] * 6 + [Quality.BAD, Quality.UNCERTAIN])


@st.composite
def signals(draw: st.DrawFn) -> list[Sample]:
    n = draw(st.integers(min_value=1, max_value=300))
    ts = T0
    walk = draw(st.booleans())
    value = draw(values)
    raw = []
    for _ in range(n):
        ts += draw(steps)
        step = draw(st.floats(min_value=-50, max_value=50))
        value = value + step if walk else draw(values)
        quality = draw(qualities)
        raw.append(Sample(1, ts, value if quality is Quality.GOOD else None, quality))
    return raw


@given(
    signals(),
    st.floats(min_value=0.0, max_value=100.0),
    st.floats(min_value=0.5, max_value=1000.0),
    st.booleans(),
)
@example([Sample(1, T0, 0.0, Quality.GOOD)], 1.1125369292536007e-308, 1.0, False)
@settings(max_examples=200, deadline=None, derandomize=True)
def test_every_random_sample_reads_back_within_the_deviation(
    raw: list[Sample], deviation: float, max_interval_s: float, stepped: bool
) -> None:
    _error_bound_holds(raw, CompressionSpec(deviation, max_interval_s, stepped))


@given(st.integers(min_value=0, max_value=2**16), st.integers(min_value=200, max_value=900))
@settings(max_examples=15, deadline=None, derandomize=True)
def test_every_simulator_sample_reads_back_within_its_tags_default_deviation(
    seed: int, seconds: int
) -> None:
    """The demo plant's signals (noise, the wearing bearing, starts and stops, the faulty
    sensor's gaps) as the simulator publishes them, each under its unit's default."""
    signals_ = load_signals(PLANT_FILE)
    model = PlantModel(signals_, seed)
    # Start late enough that the bearing is wearing and some machines switch.
    start = 600.0 + seed % 20_000
    rows = [model.step(start + t) for t in range(seconds)]
    for index, signal in enumerate(signals_[:40]):
        template = signal.template
        raw = []
        for t, readings in enumerate(rows):
            reading = readings[index]
            if isinstance(reading.value, str):
                break
            ok = reading.status is None and math.isfinite(float(reading.value))
            raw.append(
                Sample(
                    index,
                    T0 + t,
                    float(reading.value) if ok else None,
                    Quality.GOOD if ok else Quality.BAD,
                )
            )
        if raw:
            _error_bound_holds(raw, default_spec(template.unit, template.kind))


def test_a_noisy_analog_signal_keeps_under_half_of_its_samples() -> None:
    """White noise of 0.6 times the deviation: the door still drops most samples."""
    rng = np.random.default_rng(3)
    values_ = 48.0 + np.cumsum(rng.normal(0, 0.05, 3600)) + rng.normal(0, 0.3, 3600)
    raw = [Sample(1, T0 + i, float(v), Quality.GOOD) for i, v in enumerate(values_)]
    kept = compress(raw, default_spec("°C", DataKind.ANALOG))
    assert len(kept) < len(raw) / 2


def test_a_flat_signal_keeps_a_point_every_max_interval() -> None:
    raw = [Sample(1, T0 + i, 5.0, Quality.GOOD) for i in range(1000)]
    kept = compress(raw, CompressionSpec(0.1, 100.0))
    assert [s.ts - T0 for s in kept] == [
        0.0,
        100.0,
        200.0,
        300.0,
        400.0,
        500.0,
        600.0,
        700.0,
        800.0,
        900.0,
        999.0,
    ]


def test_a_run_of_gaps_of_one_reason_is_kept_once_and_ends_the_line() -> None:
    raw = [
        Sample(1, T0, 1.0, Quality.GOOD),
        Sample(1, T0 + 1, 1.01, Quality.GOOD),
        Sample(1, T0 + 2, None, Quality.BAD),
        Sample(1, T0 + 3, None, Quality.BAD),
        Sample(1, T0 + 4, None, Quality.CONNECTION_LOST),
        Sample(1, T0 + 5, 2.0, Quality.GOOD),
    ]
    kept = compress(raw, CompressionSpec(0.5))
    assert [(s.ts - T0, s.quality) for s in kept] == [
        (0.0, Quality.GOOD),
        (1.0, Quality.GOOD),
        (2.0, Quality.BAD),
        (4.0, Quality.CONNECTION_LOST),
        (5.0, Quality.GOOD),
    ]


def test_repeated_and_late_samples_are_dropped_and_counted() -> None:
    compressor = Compressor(CompressionSpec(0.5))
    assert compressor.feed(Sample(1, T0, 1.0, Quality.GOOD))
    assert compressor.feed(Sample(1, T0, 1.0, Quality.GOOD)) == []
    assert compressor.feed(Sample(1, T0 - 1, 3.0, Quality.GOOD)) == []
    assert compressor.out_of_order == 2


def test_running_state_integrates_to_the_running_time() -> None:
    """Stepped: a machine running from 100 s to 400 s of a 600 s span ran 300 s."""
    ts = np.array([0.0, 100.0, 400.0, 600.0])
    running = np.array([0.0, 1.0, 0.0, 0.0])
    assert time_integral(ts, running, 0.0, 600.0, stepped=True) == (300.0, 600.0)
    assert time_integral(ts, running, 50.0, 150.0, stepped=True) == (50.0, 100.0)


def test_units_have_defaults_and_counts_and_states_step() -> None:
    assert default_spec("°C", DataKind.ANALOG).deviation == 0.5
    assert default_spec("furlong", DataKind.ANALOG).deviation == 0.0
    assert default_spec("", DataKind.COUNTER).stepped
    assert default_spec("", DataKind.STATE).stepped
    assert not default_spec("h", DataKind.COUNTER).stepped
    assert default_spec("°C", DataKind.ANALOG, deviation=0.2, max_interval_s=60.0) == (
        CompressionSpec(0.2, 60.0, False)
    )
