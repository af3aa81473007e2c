"""Breakdown requests from the control-room display: PIN, pre-filled content, approval queue."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from desktop.domain.condition import Direction, Quality, RuleKind, RuleSpec, Sample
from desktop.domain.enums import Origin, Priority, Status, WorkOrderType
from desktop.domain.errors import AuthenticationFailed, ValidationFailed
from desktop.plant.historian import write_samples
from desktop.services.admin.users import UserService
from desktop.services.condition.alarms import AlarmService, Evidence
from desktop.services.condition.plant_tags import PlantTagService, RuleDraft, TagDraft
from desktop.services.orders.breakdown_requests import BreakdownRequest, BreakdownRequestService
from desktop.services.orders.work_orders import WorkOrderService
from desktop.services.shared import audit

NS = "urn:example:plant"
AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
PIN = "4711"


@pytest.fixture
def plant(db, actors, clock):
    """P-101 with two mapped tags, a stored temperature, rules of two priorities, and a PIN
    for the viewer vic (a plant operator)."""
    tags = PlantTagService(db)
    tags.import_tags(
        actors["paula"],
        [
            TagDraft("P-101.Vibration", "P-101", NS, "s=P-101.Vibration", "mm/s"),
            TagDraft("P-101.Temperature", "P-101", NS, "s=P-101.Temperature", "°C"),
            TagDraft("C-201.Speed", "C-201", NS, "s=C-201.Speed", "m/s"),
        ],
    )
    ids = {t.name: t.id for t in tags.tags()}
    write_samples(
        db,
        [
            Sample(ids["P-101.Temperature"], AT.timestamp() - 60, 61.0, Quality.GOOD),
            Sample(ids["P-101.Temperature"], AT.timestamp() - 30, 63.5, Quality.GOOD),
            Sample(ids["P-101.Temperature"], AT.timestamp(), None, Quality.CONNECTION_LOST),
        ],
    )
    spec = RuleSpec(RuleKind.THRESHOLD, 7.1, Direction.ABOVE, hysteresis=0.5)
    high = tags.add_rule(actors["paula"], RuleDraft("vibration high", "P-101.Vibration", spec))
    trip = tags.add_rule(
        actors["paula"],
        RuleDraft("vibration trip", "P-101.Vibration", spec, priority=Priority.EMERGENCY),
    )
    speed = tags.add_rule(actors["paula"], RuleDraft("belt slow", "C-201.Speed", spec))
    UserService(db, clock).set_pin(actors["vic"], "vic", PIN)
    alarms = AlarmService(db, clock)
    raised = {
        name: alarms.raise_alarm(
            actors["tom"], rule.id, AT, 7.4, "7.4 above 7.1", Evidence(b"t,v\n")
        )
        for name, rule in (("high", high), ("trip", trip), ("speed", speed))
    }
    return ids, raised


def order_count(db) -> int:
    return WorkOrderService(db).count()


def test_an_operator_pin_files_a_prefilled_request_for_approval(db, clock, plant):
    ids, raised = plant
    service = BreakdownRequestService(db, clock)
    request = BreakdownRequest("P-101", raised["high"].id, {ids["P-101.Vibration"]: 7.35})
    created = service.raise_request("vic", PIN, request)

    detail = WorkOrderService(db).get(created.work_order.number)
    assert detail.row.status is Status.REQUESTED  # waits in the approval queue
    assert detail.row.type is WorkOrderType.CORRECTIVE
    assert detail.row.priority is Priority.HIGH
    assert detail.row.asset_code == "P-101"
    assert detail.requester == "vic"
    assert detail.is_failure
    assert detail.origin is Origin.BREAKDOWN_REPORT
    assert "vibration high on P-101.Vibration: 7.4 above 7.1" in detail.description
    assert "P-101.Vibration: 7.35 mm/s (live)" in detail.description
    assert "P-101.Temperature: 63.5 °C (stored" in detail.description
    entry = next(
        e
        for e in audit.entries_for(db, "work_order", created.work_order.number)
        if e.action == "raise breakdown request"
    )
    assert entry.username == "vic"
    readings = {r["tag"]: r["value"] for r in entry.changes["readings"][1]}
    assert readings == {"P-101.Temperature": 63.5, "P-101.Vibration": 7.35}
    assert audit.verify(db).ok


def test_an_emergency_alarm_or_a_stopped_machine_makes_an_emergency_order(db, clock, plant):
    _ids, raised = plant
    service = BreakdownRequestService(db, clock)
    tripped = service.raise_request("vic", PIN, BreakdownRequest("P-101", raised["trip"].id))
    stopped = service.raise_request("vic", PIN, BreakdownRequest("P-101", machine_stopped=True))
    for created in (tripped, stopped):
        assert created.work_order.type is WorkOrderType.EMERGENCY
        assert created.work_order.priority is Priority.EMERGENCY
        assert created.work_order.status is Status.REQUESTED
    downtime = WorkOrderService(db).get(stopped.work_order.number).downtime
    assert [d.end for d in downtime] == [None]  # the machine is down from now on


def test_the_prefill_shows_what_will_be_filed_without_writing(db, clock, plant):
    ids, raised = plant
    before = audit.latest_sequence(db)
    draft = BreakdownRequestService(db, clock).prefill(
        BreakdownRequest("P-101", raised["trip"].id, {ids["P-101.Vibration"]: 9.0})
    )
    assert (draft.type, draft.priority) == (WorkOrderType.EMERGENCY, Priority.EMERGENCY)
    assert [r.tag_name for r in draft.readings] == ["P-101.Temperature", "P-101.Vibration"]
    assert draft.readings[1].value == 9.0
    assert audit.latest_sequence(db) == before


@pytest.mark.parametrize(
    ("username", "pin", "error"),
    [
        ("vic", "9999", AuthenticationFailed),
        ("tom", PIN, AuthenticationFailed),  # tom has no PIN
        ("nobody", PIN, AuthenticationFailed),
    ],
)
def test_a_wrong_or_missing_pin_files_nothing(db, clock, plant, username, pin, error):
    _ids, raised = plant
    count = order_count(db)
    with pytest.raises(error):
        BreakdownRequestService(db, clock).raise_request(
            username, pin, BreakdownRequest("P-101", raised["high"].id)
        )
    assert order_count(db) == count


def test_an_alarm_of_another_asset_or_an_unknown_asset_is_refused(db, clock, plant):
    _ids, raised = plant
    service = BreakdownRequestService(db, clock)
    count = order_count(db)
    with pytest.raises(ValidationFailed, match="another asset"):
        service.raise_request("vic", PIN, BreakdownRequest("P-101", raised["speed"].id))
    with pytest.raises(ValidationFailed, match="no asset X-1"):
        service.raise_request("vic", PIN, BreakdownRequest("X-1"))
    assert order_count(db) == count
