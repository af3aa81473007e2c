"""The control-room snapshot: board counts, the urgent list, open alarms, tags and KPI tiles."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from desktop.domain.condition import Direction, RuleKind, RuleSpec
from desktop.domain.enums import Priority, Stage, Status, WorkOrderType
from desktop.services.analytics.control_room import KPI_KEYS, ControlRoomService
from desktop.services.condition.alarms import AlarmService, Evidence
from desktop.services.condition.plant_tags import PlantTagService, RuleDraft, TagDraft
from desktop.services.orders.work_orders import WorkOrderService
from desktop.services.shared import audit
from tests.integration.workflow import drive_to, raise_order

NS = "urn:example:plant"


@pytest.fixture
def orders(db, actors, clock):
    """Orders in several stages and priorities; one emergency, one overdue, one long closed."""
    service = WorkOrderService(db, clock)
    admin = actors["admin"]
    old = raise_order(service, admin, priority=Priority.LOW).number
    drive_to(service, admin, old, Status.CLOSED, clock)
    clock.advance(days=10)  # `old` was closed more than a week ago
    made = {
        "requested": raise_order(service, admin, priority=Priority.HIGH).number,
        "emergency": raise_order(
            service, admin, "C-201", WorkOrderType.EMERGENCY, priority=Priority.EMERGENCY
        ).number,
        "overdue": raise_order(service, admin, priority=Priority.MEDIUM).number,
        "approved": raise_order(service, admin, priority=Priority.MEDIUM).number,
        "cancelled": raise_order(service, admin, priority=Priority.HIGH).number,
        "closed": raise_order(service, admin, priority=Priority.MEDIUM).number,
    }
    drive_to(service, admin, made["approved"], Status.APPROVED, clock)
    drive_to(service, admin, made["cancelled"], Status.CANCELLED, clock)
    drive_to(service, admin, made["closed"], Status.CLOSED, clock)
    clock.advance(days=8)  # past the 7 days a medium order is due in
    return made


def test_counts_each_stage_by_priority_without_cancelled_or_old_closed_work(db, clock, orders):
    snapshot = ControlRoomService(db, clock).snapshot()
    requested = snapshot.stage(Stage.REQUEST)
    # The emergency and the high order were due within hours and are overdue by now too.
    assert dict(requested.by_priority) == {
        Priority.EMERGENCY: 1,
        Priority.HIGH: 1,
        Priority.MEDIUM: 1,
        Priority.LOW: 0,
    }
    assert snapshot.stage(Stage.APPROVAL).total == 1
    assert snapshot.stage(Stage.REVIEW).total == 0  # closed 8 days ago: past the window
    assert sum(s.total for s in snapshot.stages) == 4
    assert snapshot.sequence == audit.latest_sequence(db)


def test_lists_open_overdue_and_emergency_orders_most_urgent_first(db, clock, orders):
    snapshot = ControlRoomService(db, clock).snapshot()
    listed = [item.number for item in snapshot.work_list]
    assert listed[0] == orders["emergency"]
    assert set(listed) == {
        orders["emergency"],
        orders["requested"],
        orders["overdue"],
        orders["approved"],
    }
    assert all(item.overdue for item in snapshot.work_list)
    assert snapshot.work_list[0].emergency
    assert (snapshot.overdue_count, snapshot.emergency_count, snapshot.urgent_count) == (4, 1, 4)


def test_shows_alarms_until_acknowledged_and_cleared_and_the_tags_with_limits(db, actors, clock):
    tags = PlantTagService(db)
    tags.import_tags(
        actors["paula"],
        [
            TagDraft("P-101.Vibration", "P-101", NS, "s=P-101.Vibration", "mm/s"),
            TagDraft("C-201.Speed", "C-201", NS, "s=C-201.Speed", "m/s"),
        ],
    )
    spec = RuleSpec(RuleKind.THRESHOLD, 7.1, Direction.ABOVE)
    rule = tags.add_rule(actors["paula"], RuleDraft("vibration high", "P-101.Vibration", spec))
    at = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    alarms = AlarmService(db, clock)
    alarm = alarms.raise_alarm(actors["tom"], rule.id, at, 7.4, "7.4 above 7.1", Evidence(b"t,v\n"))
    service = ControlRoomService(db, clock)

    shown = service.snapshot()
    assert [(a.id, a.acknowledged, a.cleared) for a in shown.alarms] == [(alarm.id, False, False)]
    assert shown.alarms[0].priority is Priority.HIGH
    assert {t.name: t.limits for t in shown.tags} == {"P-101.Vibration": (7.1,), "C-201.Speed": ()}

    alarms.acknowledge(actors["tom"], alarm.id)
    assert [(a.acknowledged, a.cleared) for a in service.snapshot().alarms] == [(True, False)]
    alarms.clear(actors["tom"], rule.id, at)
    assert service.snapshot().alarms == ()


def test_kpi_tiles_come_in_the_display_order(db, clock, orders):
    tiles = ControlRoomService(db, clock).kpi_tiles()
    assert tuple(t.key for t in tiles) == KPI_KEYS
    assert next(t for t in tiles if t.key == "overdue").text == "4"
