"""Running hours for the KPIs from a running-state tag's history, and when they are not used."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from desktop.domain.condition import Quality, Sample
from desktop.plant.historian import write_samples
from desktop.plant.run_time import HistorianRunTime
from desktop.services.condition.plant_tags import PlantTagService, read_mapping_csv
from desktop.store.history import history_store, tag_specs
from desktop.store.models import Asset

MAPPING = """name,asset,namespace_uri,node_id,unit,kind
P-101.Running,P-101,urn:example:plant,s=P-101.Running,,state
"""
START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def _asset_id(db, code):
    from sqlalchemy import select

    with db.unit_of_work(write=False) as session:
        return session.execute(select(Asset.id).where(Asset.code == code)).scalar_one()


def test_running_and_idle_hours_come_from_the_running_state(db, actors):
    service = PlantTagService(db)
    service.import_tags(actors["paula"], read_mapping_csv(MAPPING))
    (tag,) = service.tags()
    t0 = START.timestamp()
    # Three hours, one sample a minute: running the first two hours, stopped the third.
    samples = [
        Sample(tag.id, t0 + 60 * m, 1.0 if m < 120 else 0.0, Quality.GOOD) for m in range(181)
    ]
    write_samples(db, samples)
    pump = _asset_id(db, "P-101")
    (run,) = HistorianRunTime(db).run_times([pump], [START, START + timedelta(hours=3)])
    assert run[pump].running_hours == 2.0
    assert run[pump].idle_hours == 1.0
    # A span that starts before the tag's history keeps calendar hours: the asset is left out.
    assert HistorianRunTime(db).run_times([pump], [START - timedelta(days=1), START]) == [{}]
    # Assets without a running-state tag are never in the answer.
    assert HistorianRunTime(db).run_times([_asset_id(db, "C-201")], [START, START]) == [{}]


def test_running_hours_over_days_add_the_block_summaries_and_the_exact_ends(db, actors):
    """Days of eight hours running and four stopped; a span starting and ending inside a
    ten-minute window gets the running time the held state gives, to the second."""
    service = PlantTagService(db)
    service.import_tags(actors["paula"], read_mapping_csv(MAPPING))
    (tag,) = service.tags()
    t0 = START.timestamp()
    seconds = np.arange(0, 3 * 86400, 15)
    running = ((seconds // 3600) % 12 < 8).astype(float)
    write_samples(
        db, [Sample(tag.id, t0 + t, v, Quality.GOOD) for t, v in zip(seconds, running, strict=True)]
    )
    start, end = t0 + 17 * 60 + 3, t0 + 2 * 86400 + 5 * 60 + 7
    inside = (t0 + seconds >= start) & (t0 + seconds < end)
    # Each sample's state holds for its 15 s; the span cuts the first and the last.
    expected = np.sum(running[inside]) * 15 - running[inside][-1] * (
        t0 + seconds[inside][-1] + 15 - end
    )
    expected += running[np.argmax(inside) - 1] * (t0 + seconds[np.argmax(inside)] - start)
    pump = _asset_id(db, "P-101")
    (run,) = HistorianRunTime(db).run_times(
        [pump], [datetime.fromtimestamp(start, UTC), datetime.fromtimestamp(end, UTC)]
    )
    assert run[pump].running_hours * 3600 == pytest.approx(expected, abs=1e-6)
    assert (run[pump].running_hours + run[pump].idle_hours) * 3600 == pytest.approx(end - start)


PLANT = """name,asset,namespace_uri,node_id,unit,kind
P-101.Running,P-101,urn:example:plant,s=P-101.Running,,state
C-201.Running,C-201,urn:example:plant,s=C-201.Running,,state
P-101.Pressure,P-101,urn:example:plant,s=P-101.Pressure,bar,analog
"""
DAY = 86400


def _pump_state(s: int) -> float:
    """Changes every 4321 s (inside buckets and windows) and exactly at the third edge."""
    return float((s // 4321 + (s >= 2 * DAY)) % 2)


@pytest.mark.both_engines
def test_all_buckets_read_at_once_equal_each_bucket_read_alone(db, actors):
    """The dashboard reads its buckets in one call; each bucket's integral, known time and
    running hours are those the bucket read on its own gives, with the state changing inside
    buckets and on an edge, a day-long hole in the history, an hour without a value, a tag
    whose history starts mid-period, edges inside ten-minute windows and after the last
    packed one."""
    service = PlantTagService(db)
    service.import_tags(actors["paula"], read_mapping_csv(PLANT))
    tags = {tag.name: tag.id for tag in service.tags()}
    t0 = START.timestamp()
    samples = []
    for s in range(-3600, 6 * DAY + 1, 30):
        if int(2.5 * DAY) <= s < int(3.4 * DAY):
            continue  # nothing recorded: no blocks for most of a day
        lost = int(4.2 * DAY) <= s < int(4.2 * DAY) + 3600
        samples.append(
            Sample(
                tags["P-101.Running"],
                t0 + s,
                None if lost else _pump_state(s),
                Quality.CONNECTION_LOST if lost else Quality.GOOD,
            )
        )
        samples.append(Sample(tags["P-101.Pressure"], t0 + s, 5 + 3 * np.sin(s / 5000), 0))
    conveyor_from = 3 * DAY + 1234
    samples += [
        Sample(tags["C-201.Running"], t0 + s, float(s // 5000 % 2), Quality.GOOD)
        for s in range(conveyor_from, 6 * DAY + 1, 60)
    ]
    write_samples(db, samples)
    edges = [
        t0,
        t0 + DAY,
        t0 + DAY + 7 * 3600 + 1023.5,
        t0 + 2 * DAY,
        t0 + 3 * DAY,
        t0 + 4 * DAY + 300,
        t0 + 5 * DAY,
        t0 + 6 * DAY - 7,
        t0 + 6 * DAY + 3600,
    ]
    store = history_store(db)
    specs = tag_specs(db)
    together = store.integrals_between(specs, edges)
    alone = [store.integrals(specs, lo, hi) for lo, hi in itertools.pairwise(edges)]

    assert set(together) == set(tags.values()) == set(alone[0])
    for tag_id, (spans, first) in together.items():
        assert [first] * len(alone) == [span[tag_id][2] for span in alone]
        assert spans == [pytest.approx(span[tag_id][:2], rel=1e-12, abs=1e-9) for span in alone]
    # While rows of an older Wrenchbook's tables wait to be moved, the spans are read alone.
    store.legacy_rows_left = True
    assert store.integrals_between(specs, edges) == {
        tag_id: ([span[tag_id][:2] for span in alone], first)
        for tag_id, (_, first) in together.items()
    }
    store.legacy_rows_left = False
    # The state holds over the hole in the recording; the hour without a value is not known.
    pump_spans = together[tags["P-101.Running"]][0]
    assert pump_spans[4][1] == pytest.approx(DAY + 300)
    assert pump_spans[5][1] == pytest.approx(DAY - 300 - 3600)

    pump, conveyor = _asset_id(db, "P-101"), _asset_id(db, "C-201")
    run = HistorianRunTime(db).run_times(
        [pump, conveyor], [datetime.fromtimestamp(x, UTC) for x in edges]
    )
    for k, span in enumerate(alone):
        assert pump in run[k]
        running_s, known_s, _ = span[tags["P-101.Running"]]
        assert run[k][pump].running_hours == pytest.approx(running_s / 3600, rel=1e-12)
        assert run[k][pump].idle_hours == pytest.approx((known_s - running_s) / 3600, rel=1e-12)
    # The conveyor's history starts in the fifth bucket: the buckets up to it keep calendar
    # hours, the later ones have its running hours.
    assert [conveyor in span for span in run] == [False] * 5 + [True] * 3
    running_s, known_s, _ = alone[5][tags["C-201.Running"]]
    assert run[5][conveyor].running_hours == pytest.approx(running_s / 3600, rel=1e-12)
    assert running_s > 0
