"""Condition rules on synthetic series: hysteresis, chattering, on-delay, rate, forecast, gaps."""

from __future__ import annotations

import math

from desktop.domain.condition import (
    Change,
    Direction,
    RuleEvaluator,
    RuleKind,
    RuleSpec,
    number,
)


def run(spec: RuleSpec, series: list[tuple[float, float | None]]) -> list[tuple[Change, float]]:
    evaluator = RuleEvaluator(spec)
    events = (evaluator.feed(ts, value) for ts, value in series)
    return [(e.change, e.ts) for e in events if e is not None]


def test_threshold_raises_once_and_clears_only_below_the_hysteresis_band():
    spec = RuleSpec(RuleKind.THRESHOLD, limit=7.0, hysteresis=0.5)
    values = [6.0, 7.2, 6.9, 7.3, 6.7, 7.1, 6.4, 6.0]
    assert run(spec, list(enumerate(values))) == [(Change.RAISED, 1), (Change.CLEARED, 6)]


def test_a_signal_hovering_at_the_limit_does_not_chatter():
    spec = RuleSpec(RuleKind.THRESHOLD, limit=7.0, hysteresis=0.3)
    hovering = [(t, 7.0 + (0.1 if t % 2 else -0.1)) for t in range(200)]
    assert run(spec, hovering) == [(Change.RAISED, 1)]


def test_without_hysteresis_the_same_signal_would_chatter():
    spec = RuleSpec(RuleKind.THRESHOLD, limit=7.0)
    hovering = [(t, 7.0 + (0.1 if t % 2 else -0.1)) for t in range(10)]
    assert len(run(spec, hovering)) == 9  # every crossing after the first sample


def test_on_delay_ignores_short_excursions_and_raises_after_a_sustained_one():
    spec = RuleSpec(RuleKind.THRESHOLD, limit=80.0, on_delay_s=30.0)
    spike = [(t, 90.0 if 10 <= t < 25 else 70.0) for t in range(60)]
    assert run(spec, spike) == []
    sustained = [(t, 90.0 if t >= 10 else 70.0) for t in range(60)]
    assert run(spec, sustained) == [(Change.RAISED, 40)]


def test_below_limits_work_the_other_way_round():
    spec = RuleSpec(RuleKind.THRESHOLD, limit=1.5, direction=Direction.BELOW, hysteresis=0.2)
    assert run(spec, [(0, 2.0), (1, 1.4), (2, 1.6), (3, 1.8)]) == [
        (Change.RAISED, 1),
        (Change.CLEARED, 3),
    ]


def test_gaps_neither_raise_nor_clear():
    spec = RuleSpec(RuleKind.THRESHOLD, limit=7.0, hysteresis=0.5)
    series = [(0, 8.0), (1, None), (2, math.nan), (3, 8.0), (4, None), (5, 6.0)]
    assert run(spec, series) == [(Change.RAISED, 0), (Change.CLEARED, 5)]


def test_rate_of_change_fires_on_a_fast_climb_not_on_noise():
    spec = RuleSpec(RuleKind.RATE_OF_CHANGE, limit=1.0, window_s=120.0, hysteresis=0.2)
    noise = [(t, 50.0 + (0.5 if t % 3 else -0.5)) for t in range(600)]
    assert run(spec, noise) == []
    climb = [(t, 50.0 + max(0, t - 300) * 0.05) for t in range(600)]  # 3 °C/min after 300 s
    events = run(spec, climb)
    assert [c for c, _ in events] == [Change.RAISED]
    assert 300 < events[0][1] < 400


def test_forecast_warns_before_the_limit_is_reached():
    # Vibration climbing 1 mm/s per hour from 3 mm/s: 7.1 mm/s is reached after 4.1 h.
    spec = RuleSpec(
        RuleKind.FORECAST, limit=7.1, window_s=1800.0, horizon_s=2 * 3600.0, hysteresis=600.0
    )
    series = [(t, 3.0 + t / 3600.0 + (0.05 if t % 2 else -0.05)) for t in range(0, 5 * 3600, 5)]
    events = run(spec, series)
    assert events[0][0] is Change.RAISED
    # Raised about two hours ahead of the crossing at 4.1 h, never after it.
    assert 1.9 * 3600 < events[0][1] < 2.3 * 3600
    assert len(events) == 1


def test_forecast_stays_quiet_on_a_flat_signal():
    spec = RuleSpec(RuleKind.FORECAST, limit=7.1, window_s=1800.0, horizon_s=7200.0)
    flat = [(t, 3.0 + (0.2 if t % 7 else -0.2)) for t in range(0, 4 * 3600, 5)]
    assert run(spec, flat) == []


def test_rule_parameters_are_checked():
    bad = RuleSpec(RuleKind.FORECAST, limit=math.inf, hysteresis=-1, window_s=0, horizon_s=0)
    assert set(bad.problems()) == {"limit", "hysteresis", "window_s", "horizon_s"}


def texts(spec: RuleSpec, values: list[float]) -> list[str]:
    evaluator = RuleEvaluator(spec)
    events = (evaluator.feed(float(t), v) for t, v in enumerate(values))
    return [f"{e.change.value}: {e.message}" for e in events if e is not None]


def test_alarm_texts_read_right_when_raised_and_when_cleared():
    spec = RuleSpec(RuleKind.THRESHOLD, limit=35.0, hysteresis=1.0)
    assert texts(spec, [30.0, 38.24, 21.4]) == [
        "raised: value 38.24 above limit 35",
        "cleared: value 21.4 back below limit 35",
    ]
    low = RuleSpec(RuleKind.THRESHOLD, limit=1.5, direction=Direction.BELOW)
    assert texts(low, [2.0, 1.2, 1.9]) == [
        "raised: value 1.2 below limit 1.5",
        "cleared: value 1.9 back above limit 1.5",
    ]


def test_limits_print_without_an_exponent():
    spec = RuleSpec(RuleKind.THRESHOLD, limit=1040.0)
    assert texts(spec, [1000.0, 1043.7]) == ["raised: value 1044 above limit 1040"]
    assert number(0.004567, "mm/s") == "0.004567 mm/s"
    assert number(1e8) == "1.000e+08"


def test_alarm_texts_carry_the_tags_unit():
    spec = RuleSpec(RuleKind.THRESHOLD, limit=7.1, hysteresis=0.5)
    evaluator = RuleEvaluator(spec, "mm/s")
    events = [evaluator.feed(float(t), v) for t, v in enumerate([5.0, 7.43, 6.2])]
    assert [e.message for e in events if e is not None] == [
        "value 7.43 mm/s above limit 7.1 mm/s",
        "value 6.2 mm/s back below limit 7.1 mm/s",
    ]
    rate = RuleEvaluator(RuleSpec(RuleKind.RATE_OF_CHANGE, limit=2.0), "°C")
    assert rate.describe(3.25) == "rate 3.25 °C/min above limit 2 °C/min"
