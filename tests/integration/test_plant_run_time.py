"""Running hours for the KPIs from a running-state tag's history, and when they are not used."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from desktop.domain.condition import Quality, Sample
from desktop.plant.historian import write_samples
from desktop.plant.run_time import HistorianRunTime
from desktop.services.condition.plant_tags import PlantTagService, read_mapping_csv
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
