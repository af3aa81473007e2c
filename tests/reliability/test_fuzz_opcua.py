"""OPC UA values fuzzed: NaN, infinities, None, wrong types, huge numbers, bad status codes,
odd and out-of-order timestamps. They become gaps or sound samples, rules never crash on them,
and garbage raises no alarm and writes no work order."""

from __future__ import annotations

import math
from datetime import UTC, datetime

import numpy as np
import pytest
from asyncua import ua
from hypothesis import assume, example, given
from hypothesis import strategies as st

from desktop.domain.condition import (
    Change,
    DataKind,
    Direction,
    Quality,
    RuleEvaluator,
    RuleKind,
    RuleSpec,
    Sample,
)
from desktop.plant.connection import to_sample
from desktop.plant.historian import Historian, write_samples
from desktop.plant.monitor import ConditionMonitor
from desktop.services.condition.plant_tags import PlantTagService, RuleDraft, TagDraft
from tests.reliability.conftest import fingerprint
from tests.reliability.fuzzing import FUZZ, ODD_FLOATS

pytestmark = pytest.mark.both_engines  # extreme values overflow differently per engine

RECEIVED = 1_772_438_400.0  # 2026-03-02 08:00 UTC, when the client got the notification

ODD_VALUES = st.one_of(
    ODD_FLOATS,
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**64 - 1),
    st.text(max_size=20),
    st.binary(max_size=20),
    st.lists(st.floats(), max_size=3),
    st.just(datetime(2026, 3, 2, tzinfo=UTC)),
    st.builds(ua.LocalizedText, st.text(max_size=5)),
)
STATUS_CODES = st.sampled_from(
    [
        ua.StatusCodes.Good,
        ua.StatusCodes.BadSensorFailure,
        ua.StatusCodes.UncertainLastUsableValue,
        ua.StatusCodes.BadCommunicationError,
        ua.StatusCodes.GoodClamped,
        0xFFFFFFFF,
    ]
) | st.integers(min_value=0, max_value=2**32 - 1)
STAMPS = st.none() | st.datetimes(
    min_value=datetime(1601, 1, 2),
    max_value=datetime(9999, 12, 30),
    timezones=st.none() | st.just(UTC),
)


def _data_value(value: object, status: int, stamp: datetime | None) -> ua.DataValue:
    try:
        variant = ua.Variant(value)
    except Exception:
        assume(False)
        raise
    return ua.DataValue(variant, ua.StatusCode(status), SourceTimestamp=stamp)


@FUZZ
@given(value=ODD_VALUES, status=STATUS_CODES, stamp=STAMPS)
@example(value=math.nan, status=ua.StatusCodes.Good, stamp=None)
@example(value=2**64 - 1, status=ua.StatusCodes.Good, stamp=datetime(1601, 1, 2))
@example(value="12.5", status=ua.StatusCodes.Good, stamp=None)
@example(value=1.5, status=ua.StatusCodes.BadSensorFailure, stamp=None)
def test_every_notification_becomes_a_sample_or_a_gap(value, status, stamp):
    sample = to_sample(7, _data_value(value, status, stamp), RECEIVED)
    assert isinstance(sample, Sample)
    assert math.isfinite(sample.ts)
    if sample.quality is Quality.GOOD:
        assert isinstance(sample.value, float)
        assert math.isfinite(sample.value)
        # Beyond this no sensor reads, and sums of such values overflow: kept as a gap.
        assert abs(sample.value) <= 1e300
    else:
        assert sample.value is None


SPECS = st.builds(
    RuleSpec,
    kind=st.sampled_from(list(RuleKind)),
    limit=st.floats(-1e6, 1e6),
    direction=st.sampled_from(list(Direction)),
    hysteresis=st.floats(0, 1e3),
    on_delay_s=st.floats(0, 600),
    window_s=st.floats(1, 3600),
    horizon_s=st.floats(1, 1e6),
)
STREAMS = st.lists(
    st.tuples(
        st.floats(-1e3, 1e5) | st.sampled_from([0.0, 0.0, 1e12]),
        st.none() | ODD_FLOATS | st.sampled_from([1e300, -1e300, 1e-300]),
    ),
    max_size=60,
)


@FUZZ
@given(spec=SPECS, stream=STREAMS, ordered=st.booleans())
@example(
    spec=RuleSpec(RuleKind.RATE_OF_CHANGE, 1.0, window_s=10.0),
    stream=[(0.0, 1.0), (5.0, 1e300), (10.0, -1e300), (10.0, 1e300)],
    ordered=True,
)
@example(
    spec=RuleSpec(RuleKind.FORECAST, 1.0, window_s=10.0),
    stream=[(0.0, 1e300), (5.0, -1e300), (9.0, 1e300), (12.0, 5.0)],
    ordered=True,
)
def test_rules_never_crash_on_odd_streams(spec, stream, ordered):
    """Any finite spec the form accepts, fed anything: alternating raise/clear, no exception."""
    assert spec.problems() == {}
    points = sorted(stream, key=lambda p: p[0]) if ordered else stream
    evaluator = RuleEvaluator(spec)
    active = False
    for ts, value in points:
        event = evaluator.feed(RECEIVED + ts, value)
        if event is not None:
            assert event.change is (Change.CLEARED if active else Change.RAISED)
            assert not math.isnan(event.measure)
            assert event.message
            active = not active
    assert evaluator.active is active


@FUZZ
@given(
    spec_values=st.tuples(ODD_FLOATS, ODD_FLOATS, ODD_FLOATS, ODD_FLOATS, ODD_FLOATS),
    kind=st.sampled_from(list(RuleKind)),
)
@example(spec_values=(1.0, 0.0, 0.0, math.nan, 1.0), kind=RuleKind.RATE_OF_CHANGE)
@example(spec_values=(1.0, 0.0, math.inf, 60.0, 1.0), kind=RuleKind.THRESHOLD)
def test_rule_forms_name_what_is_wrong(spec_values, kind):
    limit, hysteresis, on_delay, window, horizon = spec_values
    spec = RuleSpec(kind, limit, Direction.ABOVE, hysteresis, on_delay, window, horizon)
    problems = spec.problems()
    used = [limit, hysteresis, on_delay]
    used += [window] if kind is not RuleKind.THRESHOLD else []
    used += [horizon] if kind is RuleKind.FORECAST else []
    if any(not math.isfinite(v) for v in used):
        assert problems
    assert all(text.strip() for text in problems.values())


@pytest.fixture
def monitored(db, actors):
    """A threshold rule on a tag of the feed pump, and the monitor that evaluates it."""
    tags = PlantTagService(db)
    tags.import_tags(
        actors["admin"],
        [TagDraft("P101.Temp", "P-101", "urn:test", "s=P101.Temp", "°C", DataKind.ANALOG)],
    )
    tags.add_rule(
        actors["admin"],
        RuleDraft("P-101 hot", "P101.Temp", RuleSpec(RuleKind.THRESHOLD, 80.0, on_delay_s=0.0)),
    )
    tag_id = tags.tags()[0].id
    return tag_id, ConditionMonitor(db, actors["admin"], tags.rules())


GARBAGE = st.tuples(
    st.none() | st.sampled_from([math.nan, math.inf, -math.inf, 1e308, "hot", b"\x00", [90.0]]),
    STATUS_CODES,
    STAMPS,
)


@FUZZ
@given(batch=st.lists(GARBAGE, min_size=1, max_size=30))
@example(batch=[(math.inf, ua.StatusCodes.Good, None), (1e308, ua.StatusCodes.Good, None)])
@example(batch=[(90.0, ua.StatusCodes.BadSensorFailure, None)])
def test_garbage_raises_no_alarm_and_changes_nothing(db, monitored, batch):
    tag_id, monitor = monitored
    samples = [to_sample(tag_id, _data_value(v, s, t), RECEIVED) for v, s, t in batch]
    # A bad status is a gap whatever value it carries; only good, plausible numbers count.
    assume(all(s.value is None or s.value <= 80.0 for s in samples))
    before = fingerprint(db)
    assert monitor.process(samples) == []
    assert fingerprint(db) == before


@FUZZ
@given(
    batch=st.lists(
        GARBAGE | st.tuples(st.floats(-1e300, 1e300), st.just(0), STAMPS), min_size=1, max_size=30
    )
)
@example(batch=[(1e300, 0, None), (1e300, 0, None), (-1e300, 0, None)])
def test_the_historian_stores_gaps_and_values_as_received(db, monitored, batch):
    tag_id, _ = monitored
    samples = [
        to_sample(tag_id, _data_value(v, s, t), RECEIVED + n) for n, (v, s, t) in enumerate(batch)
    ]
    historian = Historian(db)
    # Examples share the database (and may repeat times): what counts is that every batch
    # writes, and what is read back is a number or a gap.
    assert write_samples(db, samples) >= 1
    assert historian.count(tag_id) >= 1
    lows, highs = min(s.ts for s in samples), max(s.ts for s in samples)
    points = historian.points(tag_id, lows, highs + 1)
    assert not np.any(np.isinf(points.values))
    series = historian.aggregates(tag_id, lows - 120, highs + 120)
    for column in (series.vmin, series.avg, series.vmax):
        assert all(math.isfinite(v) for v in column if not math.isnan(v))
