"""Tag mapping import and the historian: compressed writes, blocks, retention, range queries,
replay, and the samples of an older version moved into the history store."""

from __future__ import annotations

import math
import time

import numpy as np
import pytest
from sqlalchemy import func, insert, select, text

from desktop.domain.condition import DataKind, Direction, Quality, RuleKind, RuleSpec, Sample
from desktop.domain.errors import PermissionDenied, ValidationFailed
from desktop.plant.historian import Historian, HistorianWriter, prune, write_samples
from desktop.plant.replay import replay
from desktop.services.condition.plant_tags import PlantTagService, TagDraft, read_mapping_csv
from desktop.store.condition_models import MinuteAggregate, RawSample
from desktop.store.database import sqlite_path
from desktop.store.history import (
    PARTITION_S,
    blocks_table,
    history_store,
    points_table,
    tag_specs,
)

pytestmark = pytest.mark.both_engines  # the history store is a file or partitioned tables

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


def test_writer_compresses_within_the_deviation_and_gaps_stay_gaps(db, tags):
    tag = tags["P-101.Vibration"].id  # mm/s: 0.2 mm/s by default
    t0 = math.floor(time.time() / 60) * 60 - 3600
    writer = HistorianWriter(db, commit_interval_s=0.05).start()
    raw = [
        Sample(tag, t0 + i, 2.0 + 0.01 * i + 0.05 * math.sin(i), Quality.GOOD) for i in range(100)
    ]
    for chunk in range(10):
        writer.put_batch(raw[chunk * 10 : chunk * 10 + 10])
    writer.put_batch([Sample(tag, t0 + 100.5, None, Quality.BAD)])
    writer.stop()
    assert (writer.received, writer.dropped) == (101, 0)
    history = Historian(db)
    stored = history.count(tag)
    assert stored == writer.written
    assert stored < 20
    at = np.array([s.ts for s in raw])
    back = history.values_at(tag, at)
    assert np.max(np.abs(back - [s.value for s in raw])) <= 0.2
    assert math.isnan(history.values_at(tag, np.array([t0 + 100.7]))[0])
    assert history.gaps(tag, t0, t0 + 200) == [(t0 + 100.5, Quality.BAD)]


def test_flush_commits_every_sample_handed_over_without_waiting_for_the_commit(db, tags):
    vib, hours = tags["P-101.Vibration"].id, tags["P-101.Hours"].id
    writer = HistorianWriter(db, commit_interval_s=3600).start()
    raw = [Sample(t, T0 + i, 100.0 + i * i, Quality.GOOD) for i in range(60) for t in (vib, hours)]
    for first in range(0, len(raw), 7):
        writer.put_batch(raw[first : first + 7])
    assert writer.flush()
    assert (writer.received, writer.dropped) == (120, 0)
    assert Historian(db).count() == writer.written
    writer.put_batch([Sample(vib, T0 + 60, 5.0, Quality.GOOD)])
    assert writer.flush()
    assert writer.received == 121
    writer.stop()
    history = Historian(db)
    for tag, deviation in ((vib, 0.2), (hours, 0.01)):
        at = np.array([s.ts for s in raw if s.tag_id == tag])
        back = history.values_at(tag, at)
        assert np.max(np.abs(back - [s.value for s in raw if s.tag_id == tag])) <= deviation


def test_a_pack_of_several_tags_and_windows_keeps_each_series_apart(db, tags):
    vib, hours = tags["P-101.Vibration"].id, tags["P-101.Hours"].id
    samples = [
        Sample(t, T0 + 30 * i, (1.0 if t == vib else 500.0) + i, Quality.GOOD)
        for i in range(80)  # 2,400 s: four windows each
        for t in (vib, hours)
    ]
    write_samples(db, samples)
    history_store(db).pack(T0 + 7200, tag_specs(db))
    with history_store(db).engine.connect() as conn:
        blocks = conn.execute(
            select(blocks_table.c.tag_id, func.count()).group_by(blocks_table.c.tag_id)
        ).all()
    assert sorted(blocks) == sorted([(vib, 4), (hours, 4)])
    history = Historian(db)
    for tag in (vib, hours):
        mine = [s for s in samples if s.tag_id == tag]
        back = history.values_at(tag, np.array([s.ts for s in mine]))
        assert np.max(np.abs(back - [s.value for s in mine])) <= 0.2


def test_the_history_is_a_file_of_its_own_beside_a_sqlite_database(db, tags):
    write_samples(db, [Sample(tags["P-101.Vibration"].id, T0, 1.0, Quality.GOOD)])
    store = history_store(db)
    if db.dialect == "sqlite":
        assert store.path == sqlite_path(db.url).with_name("wrenchbook-history.sqlite3")
        assert store.path.exists()
    assert store.size_bytes() > 0


def test_windows_are_packed_into_blocks_and_late_samples_join_them(db, tags):
    tag = tags["P-101.Hours"].id  # running hours: within 0.01 h
    samples = [Sample(tag, T0 + 7 * i, 100.0 + i + (i % 3) / 2, Quality.GOOD) for i in range(300)]
    write_samples(db, samples[::2])
    write_samples(db, samples[1::2])  # late: into windows already packed
    store = history_store(db)
    with store.engine.connect() as conn:
        blocks = conn.execute(select(func.count()).select_from(blocks_table)).scalar_one()
        loose = conn.execute(select(func.count()).select_from(points_table)).scalar_one()
    # 2,100 s: three whole windows packed; the last one, still open, waits as loose points.
    assert (blocks, loose > 0) == (3, True)
    at = np.array([s.ts for s in samples])
    back = Historian(db).values_at(tag, at)
    assert np.max(np.abs(back - [s.value for s in samples])) <= 0.01


def test_week_zoom_reads_block_summaries_with_extremes_and_time_average(db, tags):
    tag = tags["P-101.Vibration"].id
    write_samples(
        db, [Sample(tag, T0 + i * 30, float(i % 2), Quality.GOOD) for i in range(2 * 24 * 120)]
    )
    history = Historian(db)
    short = history.query(tag, T0, T0 + 3600)
    assert short.resolution_s == 0
    assert 120 <= len(short) <= 122
    long = history.query(tag, T0 - 40 * 86400, T0 + 3 * 86400, max_points=100)
    assert long.resolution_s >= 600
    assert len(long) <= 101
    assert (np.nanmin(long.vmin), np.nanmax(long.vmax)) == (0.0, 1.0)
    assert np.allclose(long.avg, 0.5, atol=0.02)


def test_retention_per_tag_class_drops_old_blocks(db, tags):
    vib, hours = tags["P-101.Vibration"].id, tags["P-101.Hours"].id
    write_samples(
        db, [Sample(t, T0 + i, 1.0 + i, Quality.GOOD) for t in (vib, hours) for i in (0, 1)]
    )
    store = history_store(db)
    store.set_retention(DataKind.ANALOG, 30)
    assert store.retention()[DataKind.ANALOG] == 30
    assert prune(db, T0 + 20 * 86400) == 0
    # The analog tag's two points go; the counter's stay for five years.
    assert prune(db, T0 + 40 * 86400) == 2
    history = Historian(db)
    assert (history.count(vib), history.count(hours)) == (0, 2)
    assert prune(db, T0 + 2000 * 86400) == 2
    assert history.count(hours) == 0


def test_replay_counts_what_a_rule_would_have_raised_over_the_stored_history(db, tags):
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
    spec = RuleSpec(RuleKind.THRESHOLD, 7.1, Direction.ABOVE, hysteresis=0.5)
    result = replay(db, tag, spec, now - 30 * 86400, now)
    assert result.alarms == 3
    assert result.raised_at[1:] == (T0 + 25 * 86400 + 50, T0 + 27 * 86400 + 50)
    strict = replay(db, tag, RuleSpec(RuleKind.THRESHOLD, 8.5), now - 30 * 86400, now)
    assert strict.alarms == 1


def test_samples_of_an_older_version_are_read_and_moved_into_the_store(db, tags):
    """An upgraded site: its raw samples and the minutes before them survive, compressed."""
    tag = tags["P-101.Vibration"].id
    with db.unit_of_work() as session:
        session.execute(
            insert(MinuteAggregate),
            [
                {
                    "tag_id": tag,
                    "minute": T0 - 600 + 60 * m,
                    "vmin": 1,
                    "vmax": 3,
                    "vsum": 2 * 5,
                    "count": 5,
                }
                for m in range(10)
            ],
        )
        session.execute(
            insert(RawSample),
            [{"tag_id": tag, "ts": T0 + i, "value": 5.0 + i, "quality": 0} for i in range(50)]
            + [{"tag_id": tag, "ts": T0 + 50, "value": None, "quality": int(Quality.BAD)}],
        )
    store = history_store(db)
    store.legacy_rows_left = True  # as found when a store opens on an upgraded database
    history = Historian(db)
    before = history.values_at(tag, np.array([T0 + 10.0, T0 + 49.0]))
    assert before.tolist() == [15.0, 54.0]
    assert store.move_legacy(tag_specs(db), 8, T0 + 3600) == 8
    assert store.legacy_rows_left
    while store.move_legacy(tag_specs(db), 8, T0 + 3600):
        pass
    assert not store.legacy_rows_left
    with db.unit_of_work(write=False) as session:
        assert session.execute(select(func.count()).select_from(RawSample)).scalar_one() == 0
    at = np.arange(T0, T0 + 50)
    assert np.max(np.abs(history.values_at(tag, at) - (5.0 + at - T0))) <= 0.2
    assert history.values_at(tag, np.array([T0 - 570.0]))[0] == pytest.approx(2.0, abs=0.2)
    assert history.gaps(tag, T0, T0 + 60) == [(T0 + 50, Quality.BAD)]


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_postgresql_keeps_blocks_in_weekly_partitions_and_drops_old_weeks_whole(db, tags):
    tag = tags["P-101.Hours"].id
    weeks = [T0 + w * PARTITION_S for w in range(3)]
    write_samples(
        db, [Sample(tag, t + i * 60, 10.0 * i, Quality.GOOD) for t in weeks for i in range(30)]
    )
    listing = text(
        "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
        "JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'hist_blocks' ORDER BY 1"
    )
    loose = text(
        "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
        "JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'hist_points' ORDER BY 1"
    )
    with db.engine.connect() as conn:
        partitions = conn.execute(listing).scalars().all()
        # The unpacked points' windows: packed ones were dropped whole; the last one waits.
        windows = conn.execute(loose).scalars().all()
    assert len(partitions) == 3
    assert windows == [f"hist_points_{int(weeks[2] + 1200)}", "hist_points_default"]
    count = Historian(db).count(tag)
    # Five years on: the first week has gone past the counter's retention, as a partition.
    store = history_store(db)
    now = weeks[1] + 1825 * 86400
    assert prune(db, now) == 3  # the week's three ten-minute blocks
    with db.engine.connect() as conn:
        assert conn.execute(listing).scalars().all() == partitions[1:]
    assert Historian(db).count(tag) == count * 2 // 3
    assert store.points(tag, weeks[0], weeks[0] + 3600).ts.min() >= weeks[1]
