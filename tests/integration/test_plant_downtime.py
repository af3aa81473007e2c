"""Machine downtime from running-state tags, and counter tags feeding the asset's meters."""

from __future__ import annotations

import multiprocessing
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from desktop.domain.condition import Quality, Sample
from desktop.domain.enums import WorkOrderType
from desktop.domain.errors import AuthenticationFailed, ValidationFailed
from desktop.domain.meters import MeterKind
from desktop.plant.counters import CounterFeed
from desktop.plant.downtime_feed import DowntimeFeed, DowntimeRecorder
from desktop.plant.meter_feed import MeterFeed
from desktop.services.admin.users import UserService
from desktop.services.assets.meters import MeterService, NewMeter
from desktop.services.condition.plant_tags import PlantTagService, read_mapping_csv
from desktop.services.orders.breakdown_requests import BreakdownRequest, BreakdownRequestService
from desktop.services.orders.machine_downtime import MACHINE_STOP, MachineDowntimeService
from desktop.services.orders.work_orders import WorkOrderService
from desktop.services.shared import audit
from desktop.store.models import DowntimePeriod, WorkOrder
from tests.integration import downtime_worker
from tests.integration.workflow import raise_order

MAPPING = """name,asset,namespace_uri,node_id,unit,kind
P-101.Running,P-101,urn:example:plant,s=P-101.Running,,state
P-101.Hours,P-101,urn:example:plant,s=P-101.Hours,h,counter
C-201.Starts,C-201,urn:example:plant,s=C-201.Starts,starts,counter
"""
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC).timestamp()

_spawn = multiprocessing.get_context("spawn")


def _tags(db, actors):
    service = PlantTagService(db)
    service.import_tags(actors["paula"], read_mapping_csv(MAPPING))
    return {t.name: t for t in service.tags()}


def _states(tag_id: int, series: list[tuple[float, float]]) -> list[Sample]:
    return [Sample(tag_id, T0 + s, value, Quality.GOOD) for s, value in series]


def _periods(db) -> list[tuple[str, datetime, datetime | None, bool, str]]:
    with db.unit_of_work(write=False) as session:
        rows = session.execute(
            select(
                WorkOrder.number,
                DowntimePeriod.start,
                DowntimePeriod.end,
                DowntimePeriod.planned,
                DowntimePeriod.reason_code,
            )
            .join(WorkOrder, WorkOrder.id == DowntimePeriod.work_order_id)
            .where(DowntimePeriod.reason_code == MACHINE_STOP)
            .order_by(DowntimePeriod.start)
        ).all()
    return [tuple(r) for r in rows]


def _at(seconds: float) -> datetime:
    return datetime.fromtimestamp(T0 + seconds, UTC)


def test_a_stop_and_restart_make_one_period_at_the_machine_times(db, actors, clock):
    tags = _tags(db, actors)
    wo = raise_order(WorkOrderService(db, clock), actors["sam"]).number
    feed = DowntimeFeed(
        list(tags.values()), DowntimeRecorder(db, actors["sam"]), on_delay_s=2.0, off_delay_s=2.0
    )
    running = tags["P-101.Running"].id
    # Running, a 1 s flicker (ignored), then stopped at 60 s for 10 minutes.
    feed.put_batch(_states(running, [(0, 1), (10, 0), (11, 1), (60, 0), (61, 0), (63, 0)]))
    assert _periods(db) == [(wo, _at(60), None, False, MACHINE_STOP)]
    # The same samples again after a reconnect, then the restart; a bad sample in between.
    feed.put_batch(_states(running, [(61, 0), (63, 0)]))
    feed.put_batch([Sample(running, T0 + 300, None, Quality.BAD)])
    feed.put_batch(_states(running, [(660, 1), (661, 1), (665, 1)]))
    assert _periods(db) == [(wo, _at(60), _at(660), False, MACHINE_STOP)]
    assert audit.verify(db).ok
    actions = [e.action for e in audit.entries_for(db, "work_order", wo)]
    assert actions.count("machine stop") == actions.count("machine start") == 1


def test_a_new_feed_after_a_restart_does_not_open_the_stop_twice(db, actors, clock):
    tags = _tags(db, actors)
    raise_order(WorkOrderService(db, clock), actors["sam"], wo_type=WorkOrderType.EMERGENCY)
    running = tags["P-101.Running"].id
    first = DowntimeFeed(list(tags.values()), DowntimeRecorder(db, actors["sam"]), 0.0, 0.0)
    first.put_batch(_states(running, [(0, 1), (60, 0)]))
    # The monitor restarts and sees the whole series from the server again.
    second = DowntimeFeed(list(tags.values()), DowntimeRecorder(db, actors["sam"]), 0.0, 0.0)
    second.put_batch(_states(running, [(0, 1), (60, 0), (120, 1), (0, 1)]))
    third = DowntimeFeed(list(tags.values()), DowntimeRecorder(db, actors["sam"]), 0.0, 0.0)
    third.put_batch(_states(running, [(0, 1), (60, 0), (120, 1)]))
    assert [(p[1], p[2]) for p in _periods(db)] == [(_at(60), _at(120))]


def test_without_an_open_repair_order_a_stop_is_kept_on_the_asset(db, actors, clock):
    tags = _tags(db, actors)
    service = WorkOrderService(db, clock)
    raise_order(service, actors["sam"], wo_type=WorkOrderType.PREVENTIVE)
    raise_order(service, actors["sam"], asset="C-201")
    feed = DowntimeFeed(list(tags.values()), DowntimeRecorder(db, actors["sam"]), 0.0, 0.0)
    feed.put_batch(_states(tags["P-101.Running"].id, [(0, 1), (60, 0), (120, 1)]))
    assert _periods(db) == []  # charged to no order …
    stops = MachineDowntimeService(db, clock).stops(asset_code="P-101")
    assert [(s.start, s.end, s.work_order) for s in stops] == [(_at(60), _at(120), None)]
    assert stops[0].duration.total_seconds() == 60
    assert [e.action for e in audit.entries_for(db, "asset", "P-101")][-2:] == [
        "machine stop",
        "machine start",
    ]


def test_an_operator_codes_a_stop_with_a_pin(db, actors, clock):
    tags = _tags(db, actors)
    UserService(db, clock).set_pin(actors["admin"], "vic", "482913")
    feed = DowntimeFeed(list(tags.values()), DowntimeRecorder(db, actors["sam"]), 0.0, 0.0)
    feed.put_batch(_states(tags["P-101.Running"].id, [(0, 1), (60, 0)]))
    downtime = MachineDowntimeService(db, clock)
    stop = downtime.stops()[0]
    with pytest.raises(ValidationFailed, match="unknown stop reason"):
        downtime.code_stop("vic", "482913", stop.id, "lunch")
    with pytest.raises(AuthenticationFailed):
        downtime.code_stop("vic", "000000", stop.id, "changeover")
    coded = downtime.code_stop("vic", "482913", stop.id, "changeover")
    assert (coded.reason, coded.coded_by) == ("changeover", "vic")
    with db.unit_of_work(write=False) as session:
        assert session.get(DowntimePeriod, stop.id).planned is True  # a changeover is planned


def test_a_long_stop_of_a_critical_asset_is_offered_as_a_request_that_takes_it_over(
    db, actors, clock
):
    tags = _tags(db, actors)
    UserService(db, clock).set_pin(actors["admin"], "vic", "482913")
    feed = DowntimeFeed(list(tags.values()), DowntimeRecorder(db, actors["sam"]), 0.0, 0.0)
    clock.now = _at(60 + 5 * 60)
    feed.put_batch(_states(tags["P-101.Running"].id, [(0, 1), (60, 0)]))
    downtime = MachineDowntimeService(db, clock)
    assert downtime.stops_to_offer() == []  # five minutes: not yet
    clock.now = _at(60 + 11 * 60)
    (offered,) = downtime.stops_to_offer()
    assert offered.asset_code == "P-101"
    created = BreakdownRequestService(db, clock).raise_request(
        "vic",
        "482913",
        BreakdownRequest("P-101", machine_stopped=True, stop_id=offered.id),
    )
    number = created.work_order.number
    assert _periods(db) == [(number, _at(60), None, False, MACHINE_STOP)]  # one period, not two
    assert downtime.stops_to_offer() == []
    feed.put_batch(_states(tags["P-101.Running"].id, [(60 + 12 * 60, 1)]))
    assert _periods(db)[0][2] == _at(60 + 12 * 60)


@pytest.mark.both_engines
def test_two_monitoring_processes_seeing_the_same_stop_open_one_period(db, db_url, actors, clock):
    _tags(db, actors)
    raise_order(WorkOrderService(db, clock), actors["sam"])
    states = [(T0, 1.0), (T0 + 60, 0.0)]
    with _spawn.Pool(2) as pool:
        barrier = _spawn.Manager().Barrier(2)
        jobs = [
            pool.apply_async(downtime_worker.feed_states, (db_url, name, states, barrier))
            for name in ("sam", "tom")
        ]
        for job in jobs:
            job.get(timeout=120)
    assert [(p[1], p[2]) for p in _periods(db)] == [(_at(60), None)]
    assert audit.verify(db).ok


def _meters(db, actors) -> MeterService:
    meters = MeterService(db)
    meters.create(actors["paula"], NewMeter("P-101-RH", "P-101", "Pump running hours"))
    meters.create(
        actors["paula"],
        NewMeter("C-201-CY", "C-201", "Conveyor starts", MeterKind.CYCLES, "starts"),
    )
    return meters


def test_counter_tags_become_meter_readings(db, actors):
    tags = _tags(db, actors)
    meters = _meters(db, actors)
    feed = CounterFeed(list(tags.values()), MeterFeed(db, actors["sam"]), interval_s=3600.0)
    hours, starts = tags["P-101.Hours"].id, tags["C-201.Starts"].id
    feed.put_batch(
        [
            Sample(hours, T0, 1200.0, Quality.GOOD),
            Sample(starts, T0, 40.0, Quality.GOOD),
            Sample(hours, T0 + 60, 1200.1, Quality.GOOD),  # within the hour: not sent
        ]
    )
    feed.put_batch([Sample(hours, T0 + 3600, 1201.0, Quality.GOOD)])
    pump = meters.readings("P-101-RH")
    assert [(r.at, r.value, r.source) for r in reversed(pump)] == [
        (_at(0), 1200.0, "opcua:P-101.Hours"),
        (_at(3600), 1201.0, "opcua:P-101.Hours"),
    ]
    assert pump[0].delta == 1.0
    conveyor = meters.readings("C-201-CY")
    assert [(r.value, r.source) for r in conveyor] == [(40.0, "opcua:C-201.Starts")]


def test_a_reading_the_meter_refuses_is_logged_not_raised(db, actors, caplog):
    tags = _tags(db, actors)
    meters = _meters(db, actors)
    feed = CounterFeed(list(tags.values()), MeterFeed(db, actors["sam"]), interval_s=0.0)
    hours = tags["P-101.Hours"].id
    feed.put_batch([Sample(hours, T0, 1200.0, Quality.GOOD)])
    # The counter went backwards (a replaced PLC, say): the meter refuses it; the feed goes on.
    feed.put_batch([Sample(hours, T0 + 60, 900.0, Quality.GOOD)])
    feed.put_batch([Sample(hours, T0 + 120, 1200.5, Quality.GOOD)])
    assert [r.value for r in reversed(meters.readings("P-101-RH"))] == [1200.0, 1200.5]
    assert any("refused" in r.getMessage() for r in caplog.records)


def test_a_stop_sent_once_opens_its_period_once_other_tags_show_the_delay_passed(db, actors, clock):
    # OPC UA sends a changed value once: the running bit's stop arrives alone, the counters'
    # samples keep coming.
    tags = _tags(db, actors)
    feed = DowntimeFeed(list(tags.values()), DowntimeRecorder(db, actors["sam"]), 5.0, 5.0)
    running, hours = tags["P-101.Running"].id, tags["P-101.Hours"].id
    feed.put_batch(_states(running, [(0, 1), (60, 0)]))
    feed.put_batch([Sample(hours, T0 + 62, 10.0, Quality.GOOD)])
    assert MachineDowntimeService(db, clock).stops(asset_code="P-101") == []
    feed.put_batch([Sample(hours, T0 + 66, 10.1, Quality.GOOD)])
    (stop,) = MachineDowntimeService(db, clock).stops(asset_code="P-101")
    assert (stop.start, stop.end) == (_at(60), None)
