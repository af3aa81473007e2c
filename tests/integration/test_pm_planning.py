"""The planning calendar's service: forecast, load against capacity, rescheduling with checks."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from desktop.domain.errors import ValidationFailed
from desktop.domain.pm_rules import Blackout, IntervalUnit, OnOpen
from desktop.services.assets.site_calendar import CalendarSettings, SiteCalendarService
from desktop.services.orders.work_orders import WorkOrderService
from desktop.services.pm.pm_generator import PMGenerator
from desktop.services.pm.pm_planning import PMPlanningService
from desktop.services.pm.pm_schedules import NewSchedule, PMScheduleService


@pytest.fixture
def planned(db, actors, clock):
    """A weekly 4-hour mechanical PM on P-101 from Wednesday 4 March, first order generated."""
    SiteCalendarService(db, clock).configure(
        actors["paula"], CalendarSettings("mon-fri", "06:00-14:00", "DE", "BY")
    )
    PMScheduleService(db, clock).create(
        actors["paula"],
        NewSchedule(
            "PM-W", "P-101", "Weekly round", date(2026, 3, 4), 1, IntervalUnit.WEEKS,
            estimate_hours=4.0, craft="mechanical", on_open=OnOpen.STACK,
            blackouts=(Blackout(date(2026, 3, 23), date(2026, 3, 27), "audit week"),),
        ),
    )  # fmt: skip
    (order,) = PMGenerator(db, clock).run(actors["paula"]).created
    return PMPlanningService(db, clock), order.number


def test_forecast_shows_open_orders_and_what_the_schedule_will_bring(planned):
    planning, number = planned
    items = planning.forecast(date(2026, 3, 1), date(2026, 4, 5))
    assert [(p.day, p.work_order) for p in items] == [
        (date(2026, 3, 4), number),
        (date(2026, 3, 11), None),
        (date(2026, 3, 18), None),
        # 25 March falls in the audit week: Monday 30 March; 1 April as usual.
        (date(2026, 3, 30), None),
        (date(2026, 4, 1), None),
    ]
    assert items[1].is_forecast
    assert items[1].hours == 4.0


def test_load_per_craft_against_the_crew_capacity(planned):
    planning, _ = planned
    loads = {(d.day, d.group): d for d in planning.load(date(2026, 3, 2), date(2026, 3, 8))}
    # Tom and Tina are mechanical technicians with 40 h a week: 16 h a working day together.
    wednesday = loads[date(2026, 3, 4), "mechanical"]
    assert (wednesday.planned_hours, wednesday.capacity_hours) == (4.0, 16.0)
    assert loads[date(2026, 3, 7), "mechanical"].capacity_hours == 0.0
    assert not wednesday.overloaded


def test_reschedule_moves_the_planned_day_but_not_the_due_date(db, planned, actors):
    planning, number = planned
    version = WorkOrderService(db).get(number).row.version
    with pytest.raises(ValidationFailed, match="not a working day"):
        planning.reschedule(actors["paula"], number, version, date(2026, 4, 3))
    with pytest.raises(ValidationFailed, match="audit week"):
        planning.reschedule(actors["paula"], number, version, date(2026, 3, 24))
    row = planning.reschedule(actors["paula"], number, version, date(2026, 3, 5))
    # First shift 06:00 Berlin (CET) is 05:00 UTC; the due date stays on the 4th.
    assert row.scheduled_start == datetime(2026, 3, 5, 5, 0, tzinfo=UTC)
    assert row.due_at == datetime(2026, 3, 4, 13, 0, tzinfo=UTC)
    moved = planning.forecast(date(2026, 3, 1), date(2026, 3, 8))
    assert [(p.day, p.work_order) for p in moved] == [(date(2026, 3, 5), number)]
