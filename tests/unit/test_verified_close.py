"""The verified-close rule over plain arrays: where the signal's in-band stretch starts."""

from __future__ import annotations

import numpy as np
import pytest

from desktop.domain.condition import Direction, RuleKind, RuleSpec
from desktop.domain.verified_close import check_signal, window_start

HIGH = RuleSpec(RuleKind.THRESHOLD, 7.1, Direction.ABOVE, hysteresis=0.5)
LOW = RuleSpec(RuleKind.THRESHOLD, 2.0, Direction.BELOW, hysteresis=0.2)
TS = np.arange(0.0, 3600.0, 10.0)


def check(spec: RuleSpec, values: np.ndarray, now: float = 3600.0):
    return check_signal("T", spec, TS, values, 0.0, now, 1800.0)


def test_in_band_for_the_verify_time_after_the_last_excursion_passes():
    values = np.full(len(TS), 3.0)
    values[100] = 8.0
    result = check(HIGH, values)
    assert result.settled_since == 1000.0
    assert result.problems() == []


def test_a_late_excursion_below_a_low_limit_fails_with_its_time():
    values = np.full(len(TS), 3.0)
    values[300] = 2.1  # inside the limit, not by the hysteresis
    (problem,) = check(LOW, values).problems()
    assert problem == (
        "signal T not yet back in band for 30 min after the repair "
        "(last out of band 00:50 UTC, 10 min ago)"
    )


def test_bad_samples_and_silence_restart_the_stretch():
    values = np.full(len(TS), 3.0)
    values[300] = np.nan
    assert "gap in the data at 00:50 UTC" in check(HIGH, values).reason
    sparse = np.delete(TS, range(200, 220))
    result = check_signal("T", HIGH, sparse, np.full(len(sparse), 3.0), 0.0, 3600.0, 1800.0)
    assert result.settled_since == 2200.0
    assert "no samples since" in check(HIGH, np.full(len(TS), 3.0), now=4000.0).reason


def test_a_rate_rule_judges_the_slope_over_its_window():
    spec = RuleSpec(RuleKind.RATE_OF_CHANGE, 0.5, Direction.ABOVE, window_s=300.0)
    climbing_then_flat = np.where(TS < 1500, TS / 60.0, 25.0)
    result = check(spec, climbing_then_flat)
    assert 1500.0 <= result.settled_since <= 1800.0
    assert result.verified


@pytest.mark.parametrize(
    "spec",
    [HIGH, LOW, RuleSpec(RuleKind.RATE_OF_CHANGE, 0.5, Direction.ABOVE, window_s=300.0)],
    ids=["high", "low", "rate"],
)
def test_reading_only_from_the_window_start_gives_the_verdict_of_the_whole_repair(spec):
    """Completion reads the samples from `window_start` only; over a long repair with
    excursions, gaps and silences at random, the verdict must not change."""
    rng = np.random.default_rng(21)
    repair, now, verify = 0.0, 6 * 3600.0, 1800.0
    start = window_start(spec, repair, now, verify)
    assert start == now - verify - 120.0 - (300.0 if spec.kind is RuleKind.RATE_OF_CHANGE else 0)
    verdicts: set[bool] = set()
    for _ in range(300):
        ts = np.sort(
            rng.choice(
                np.arange(repair, now, 10.0), size=int(rng.integers(300, 2000)), replace=False
            )
        )
        values = np.full(
            len(ts), 3.0 + (ts / 7200.0 if spec.kind is RuleKind.RATE_OF_CHANGE else 0)
        )
        for _ in range(int(rng.integers(0, 3))):
            at = int(rng.integers(0, len(ts)))
            values[at] = rng.choice([np.nan, 8.0, 1.5, 6.8])
        whole = check_signal("T", spec, ts, values, repair, now, verify)
        kept = ts >= start
        bounded = check_signal(
            "T", spec, ts[kept], values[kept], repair, now, verify, read_from=start
        )
        assert bounded.verified == whole.verified
        verdicts.add(whole.verified)
        if not whole.verified:
            assert (bounded.settled_since, bounded.reason) == (whole.settled_since, whole.reason)
    assert verdicts == {True, False}  # the draw tried both outcomes
