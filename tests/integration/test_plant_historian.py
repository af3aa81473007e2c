"""Tag mapping import and the historian: batched writes, aggregates, retention, range queries."""

from __future__ import annotations

import math
import time

import pytest

from desktop.domain.condition import DataKind, Direction, Quality, RuleKind, RuleSpec, Sample
from desktop.domain.errors import PermissionDenied, ValidationFailed
from desktop.plant.historian import Historian, HistorianWriter, prune, write_samples
from desktop.plant.replay import replay
from desktop.services.plant_tags import PlantTagService, TagDraft, read_mapping_csv

pytestmark = pytest.mark.both_engines  # the historian upserts minute aggregates per dialect

NS = "urn:example:plant"
MAPPING = """name,asset,namespace_uri,node_id,unit,kind
P-101.Vibration,P-101,urn:example:plant,s=P-101.Vibration,mm/s,analog
P-101.Hours,P-101,urn:example:plant,i=1042,h,counter
"""
T0 = 1_772_438_400.0  # 2026-03-02 08:00 UTC, on a minute boundary


@pytest.fixture
def tags(db, actors):
    service = PlantTagService(db)
    service.import_tags(actors["paula"], read_mapping_csv(MAPPING))
    return {t.name: t for t in service.tags()}


def test_mapping_import_keeps_namespace_uri_and_asset(tags):
    vib = tags["P-101.Vibration"]
    assert (vib.asset_code, vib.namespace_uri, vib.node_id, vib.unit) == (
        "P-101",
        NS,
        "s=P-101.Vibration",
        "mm/s",
    )
    assert tags["P-101.Hours"].kind is DataKind.COUNTER


def test_mapping_import_is_all_or_nothing_and_names_row_and_column(db, actors):
    service = PlantTagService(db)
    bad = [
        TagDraft("A", "P-101", NS, "s=A"),
        TagDraft("B", "NOPE", NS, "s=B"),
        TagDraft("C", "P-101", NS, "ns=2;s=C"),
    ]
    with pytest.raises(ValidationFailed) as caught:
        service.import_tags(actors["paula"], bad)
    assert caught.value.problems == {
        "row 3 asset": "no asset NOPE",
        "row 4 node_id": "write it as i=…, s=…, g=… or b=… without ns=",
    }
    assert service.tags() == []


def test_technicians_cannot_map_tags(db, actors):
    with pytest.raises(PermissionDenied):
        PlantTagService(db).import_tags(actors["tom"], [TagDraft("A", "P-101", NS, "s=A")])


def test_writer_stores_every_sample_and_gaps_stay_gaps(db, tags):
    tag = tags["P-101.Vibration"].id
    # The writer prunes by the real clock, so these samples must be recent.
    t0 = math.floor(time.time() / 60) * 60 - 3600
    writer = HistorianWriter(db, commit_interval_s=0.05).start()
    for chunk in range(10):
        writer.put_batch(
            [Sample(tag, t0 + chunk * 10 + i, 2.0 + i / 10, Quality.GOOD) for i in range(10)]
        )
    writer.put_batch([Sample(tag, t0 + 100.5, None, Quality.BAD)])
    assert writer.flush()
    writer.stop()
    history = Historian(db)
    assert history.count(tag) == 101
    assert writer.dropped == 0
    series = history.raw(tag, t0, t0 + 200)
    assert len(series) == 101
    assert math.isnan(series.avg[-1])
    assert history.gaps(tag, t0, t0 + 200) == [(t0 + 100.5, Quality.BAD)]


def test_minute_aggregates_merge_across_batches(db, tags):
    tag = tags["P-101.Vibration"].id
    write_samples(
        db, [Sample(tag, T0 + 1, 1.0, Quality.GOOD), Sample(tag, T0 + 2, 5.0, Quality.GOOD)]
    )
    write_samples(
        db,
        [
            Sample(tag, T0 + 3, 3.0, Quality.GOOD),
            Sample(tag, T0 + 4, None, Quality.UNCERTAIN),
            Sample(tag, T0 + 61, 7.0, Quality.GOOD),
        ],
    )
    series = Historian(db).aggregates(tag, T0, T0 + 120)
    assert series.ts.tolist() == [T0, T0 + 60]
    assert series.vmin.tolist() == [1.0, 7.0]
    assert series.avg.tolist() == [3.0, 7.0]
    assert series.vmax.tolist() == [5.0, 7.0]


def test_range_query_picks_raw_for_short_ranges_and_aggregates_for_long_ones(db, tags):
    tag = tags["P-101.Vibration"].id
    write_samples(db, [Sample(tag, T0 + i * 30, float(i), Quality.GOOD) for i in range(2 * 24 * 6)])
    history = Historian(db)
    now = T0 + 3 * 3600
    short = history.query(tag, T0, T0 + 3600, now=now)
    assert short.resolution_s == 0
    assert len(short) == 120
    week = history.query(tag, T0 - 3 * 86400, T0 + 4 * 86400, max_points=100, now=now)
    assert week.resolution_s >= 60 * 100
    assert len(week) <= 101
    assert week.vmin.min() == 0.0
    assert week.vmax.max() == 2 * 24 * 6 - 1


def test_retention_drops_old_raw_samples_but_keeps_their_minutes(db, tags):
    tag = tags["P-101.Vibration"].id
    write_samples(
        db, [Sample(tag, T0, 1.0, Quality.GOOD), Sample(tag, T0 + 20 * 86400, 2.0, Quality.GOOD)]
    )
    removed = prune(db, T0 + 20 * 86400)
    assert removed == (1, 0)
    history = Historian(db)
    assert history.count(tag) == 1
    assert len(history.aggregates(tag, T0, T0 + 60)) == 1
    assert prune(db, T0 + 800 * 86400) == (1, 2)


def test_replay_counts_what_a_rule_would_have_raised_over_raw_and_old_history(db, tags):
    tag = tags["P-101.Vibration"].id
    now = T0 + 30 * 86400
    old_spike = [
        Sample(tag, T0 + 86400 + i, 9.0 if 10 <= i < 40 else 2.0, Quality.GOOD) for i in range(120)
    ]
    recent = []
    for day in (25, 27):
        base = T0 + day * 86400
        recent += [
            Sample(tag, base + i, 8.0 if 50 <= i < 100 else 2.0, Quality.GOOD) for i in range(200)
        ]
    write_samples(db, old_spike + recent)
    prune(db, now)  # the old spike survives only as minute aggregates
    spec = RuleSpec(RuleKind.THRESHOLD, 7.1, Direction.ABOVE, hysteresis=0.5)
    result = replay(db, tag, spec, now - 30 * 86400, now)
    assert result.alarms == 3
    assert result.raised_at[1:] == (T0 + 25 * 86400 + 50, T0 + 27 * 86400 + 50)
    strict = replay(db, tag, RuleSpec(RuleKind.THRESHOLD, 8.5), now - 30 * 86400, now)
    assert strict.alarms == 1
