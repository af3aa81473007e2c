"""Alarms open exactly one predictive work order each, with evidence; acknowledge; replay."""

from __future__ import annotations

import multiprocessing
from datetime import UTC, datetime

import pytest

from desktop.domain.condition import Direction, Quality, RuleKind, RuleSpec, Sample
from desktop.domain.enums import Origin, Status, WorkOrderType
from desktop.domain.errors import PermissionDenied
from desktop.plant.monitor import ConditionMonitor
from desktop.services.condition.alarms import AlarmService, Evidence
from desktop.services.condition.plant_tags import PlantTagService, RuleDraft, TagDraft
from desktop.services.orders.work_order_records import WorkOrderDraft
from desktop.services.orders.work_orders import SearchFilter, WorkOrderService
from desktop.services.shared import audit
from tests.integration import plant_worker

_spawn = multiprocessing.get_context("spawn")
NS = "urn:example:plant"
AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"  # attachments are checked by their content


@pytest.fixture
def rule(db, actors):
    tags = PlantTagService(db)
    tags.import_tags(
        actors["paula"], [TagDraft("P-101.Vibration", "P-101", NS, "s=P-101.Vibration", "mm/s")]
    )
    spec = RuleSpec(RuleKind.THRESHOLD, 7.1, Direction.ABOVE, hysteresis=0.5, on_delay_s=5)
    return tags.add_rule(
        actors["paula"], RuleDraft("P-101 vibration high", "P-101.Vibration", spec)
    )


def predictive_orders(db):
    return WorkOrderService(db).search(SearchFilter(types=(WorkOrderType.PREDICTIVE,)))


def test_an_alarm_opens_one_predictive_order_with_its_evidence(db, actors, rule):
    alarms = AlarmService(db)
    alarm = alarms.raise_alarm(
        actors["tom"], rule.id, AT, 7.4, "value 7.4 above 7.1", Evidence(b"csv", PNG_SIGNATURE)
    )
    assert alarm is not None
    assert alarm.asset_code == "P-101"
    detail = WorkOrderService(db).get(alarm.work_order_number)
    assert detail.row.type is WorkOrderType.PREDICTIVE
    assert detail.origin is Origin.CONDITION_RULE
    assert int(detail.row.priority) == int(rule.priority)
    assert sorted(a.filename.rsplit(".", 1)[1] for a in detail.attachments) == ["csv", "png"]
    again = alarms.raise_alarm(actors["tom"], rule.id, AT, 7.6, "again", Evidence(b"csv"))
    assert again is None
    assert len(predictive_orders(db)) == 1
    assert audit.verify(db).ok


def test_once_the_order_is_finished_the_rule_may_raise_again(db, actors, rule):
    alarms = AlarmService(db)
    first = alarms.raise_alarm(actors["tom"], rule.id, AT, 7.4, "high", Evidence(b"csv"))
    WorkOrderService(db).transition(
        actors["paula"], first.work_order_number, Status.CANCELLED, note="sensor was loose"
    )
    second = alarms.raise_alarm(actors["tom"], rule.id, AT, 7.4, "high", Evidence(b"csv"))
    assert second is not None
    assert second.work_order_number != first.work_order_number
    assert len(predictive_orders(db)) == 2


@pytest.mark.both_engines
def test_two_monitoring_workstations_raise_one_order_between_them(db, db_url, rule):
    with _spawn.Pool(3) as pool:
        barrier = _spawn.Manager().Barrier(3)
        jobs = [
            pool.apply_async(plant_worker.raise_alarm, (db_url, name, rule.id, barrier))
            for name in ("tom", "tina", "paula")
        ]
        numbers = [job.get(timeout=120) for job in jobs]
    assert len([n for n in numbers if n is not None]) == 1
    assert len(predictive_orders(db)) == 1
    assert len(AlarmService(db).alarms()) == 1
    assert audit.verify(db).ok


def test_acknowledging_records_who_and_viewers_cannot(db, actors, rule):
    alarms = AlarmService(db)
    alarm = alarms.raise_alarm(actors["tom"], rule.id, AT, 7.4, "high", Evidence(b"csv"))
    with pytest.raises(PermissionDenied):
        alarms.acknowledge(actors["vic"], alarm.id)
    acked = alarms.acknowledge(actors["tina"], alarm.id)
    assert acked.acknowledged_by == "tina"
    assert alarms.alarms(unacknowledged_only=True) == []


def test_monitor_raises_from_samples_once_and_attaches_a_trend_picture(db, actors, rule):
    monitor = ConditionMonitor(db, actors["tom"], [rule])
    t0 = AT.timestamp()
    climbing = [Sample(rule.tag_id, t0 + i, 6.0 + i * 0.05, Quality.GOOD) for i in range(60)]
    gaps = [Sample(rule.tag_id, t0 + 60.5, None, Quality.BAD)]
    falling = [Sample(rule.tag_id, t0 + 61 + i, 9.0 - i * 0.1, Quality.GOOD) for i in range(40)]
    events = monitor.process(climbing + gaps + falling)
    assert [e.event.change.value for e in events] == ["raised", "cleared"]
    raised = events[0]
    # 7.1 is crossed at sample 23 (t0+23); the 5 s on-delay holds it until t0+28.
    assert raised.event.ts == t0 + 28
    detail = WorkOrderService(db).get(raised.alarm.work_order_number)
    png = next(a for a in detail.attachments if a.filename.endswith(".png"))
    assert png.size > 1000
    # The rule fires again on the next climb, but its order is still open: no second order.
    monitor.process([Sample(rule.tag_id, t0 + 200 + i, 8.0, Quality.GOOD) for i in range(10)])
    assert len(predictive_orders(db)) == 1
    alarm = AlarmService(db).alarms()[0]
    assert alarm.cleared_at is not None


@pytest.fixture
def second_rule(db, actors):
    """A temperature rule on the pump's motor: another tag, another rule, the same machine."""
    tags = PlantTagService(db)
    tags.import_tags(
        actors["paula"], [TagDraft("M-101.Temperature", "M-101", NS, "s=M-101.Temperature", "°C")]
    )
    spec = RuleSpec(RuleKind.THRESHOLD, 90.0, Direction.ABOVE, hysteresis=1.0, on_delay_s=5)
    return tags.add_rule(actors["paula"], RuleDraft("P-101 motor hot", "M-101.Temperature", spec))


def test_two_rules_on_one_machine_join_one_order(db, actors, rule, second_rule):
    """Issue 16: two condition rules on one failing pump opened two predictive orders."""
    alarms = AlarmService(db)
    first = alarms.raise_alarm(actors["tom"], rule.id, AT, 7.4, "vibration", Evidence(b"a"))
    later = AT.replace(hour=10)
    second = alarms.raise_alarm(actors["tom"], second_rule.id, later, 95.0, "hot", Evidence(b"b"))

    assert second is not None
    assert second.work_order_number == first.work_order_number
    assert len(predictive_orders(db)) == 1
    files = WorkOrderService(db).get(first.work_order_number).attachments
    assert sorted(f.filename for f in files) == [
        "M-101.Temperature-20260302T100000Z.csv",
        "P-101.Vibration-20260302T090000Z.csv",
    ]
    next_day = AT.replace(day=3)
    third = alarms.raise_alarm(actors["tom"], second_rule.id, next_day, 96.0, "hot", Evidence(b""))
    assert third is None  # the motor rule's own alarm still holds that order
    assert audit.verify(db).ok


def test_an_alarm_outside_the_window_opens_its_own_order(db, actors, rule, second_rule):
    alarms = AlarmService(db)
    first = alarms.raise_alarm(actors["tom"], rule.id, AT, 7.4, "vibration", Evidence(b"a"))
    much_later = AT.replace(day=5)
    second = alarms.raise_alarm(
        actors["tom"], second_rule.id, much_later, 95.0, "hot", Evidence(b"b")
    )
    assert second.work_order_number != first.work_order_number
    assert len(predictive_orders(db)) == 2


def test_no_rule_order_while_the_machine_is_locked_out(db, clock, actors, rule):
    from tests.integration.workflow import drive_to

    service = WorkOrderService(db, clock)
    draft = WorkOrderDraft(title="Seal", asset_code="P-101", checklist_codes=("CL-LOTO",))
    number = service.create(actors["admin"], draft).work_order.number
    drive_to(service, actors["admin"], number, Status.IN_PROGRESS, clock)

    alarm = AlarmService(db).raise_alarm(
        actors["tom"], rule.id, AT, 7.4, "vibration", Evidence(b"a")
    )

    assert alarm.work_order_number is None
    assert f"locked out under {number}" in alarm.message
    assert predictive_orders(db) == []


def test_no_rule_order_in_planned_downtime_of_the_line(db, clock, actors, rule):
    service = WorkOrderService(db, clock)
    draft = WorkOrderDraft(title="Line shutdown", asset_code="LINE", type=WorkOrderType.PREVENTIVE)
    number = service.create(actors["admin"], draft).work_order.number
    service.add_downtime(
        actors["admin"], number, AT.replace(hour=6), AT.replace(hour=18), True, "shutdown"
    )
    alarms = AlarmService(db)

    held = alarms.raise_alarm(actors["tom"], rule.id, AT, 7.4, "vibration", Evidence(b"a"))
    after = alarms.raise_alarm(
        actors["tom"], rule.id, AT.replace(hour=19), 7.4, "vibration", Evidence(b"a")
    )

    assert held.work_order_number is None
    assert f"planned downtime under {number}" in held.message
    assert after.work_order_number is not None
    assert len(predictive_orders(db)) == 1
