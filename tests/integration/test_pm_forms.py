"""PM schedules from the form: due dates previewed before saving, every field changed later."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from desktop.domain.errors import ConflictError, ValidationFailed
from desktop.domain.meters import MeterKind
from desktop.domain.pm_rules import CalendarMode, IntervalUnit, OnOpen
from desktop.services.assets.meters import MeterService, NewMeter
from desktop.services.pm.pm_schedules import NewSchedule, PMScheduleService

pytestmark = pytest.mark.both_engines


def test_previews_monthly_due_dates_on_working_days_without_saving(db, clock, actors):
    service = PMScheduleService(db, clock)
    new = NewSchedule("PM-1", "P-101", "Pump service", date(2026, 3, 2), 1, IntervalUnit.MONTHS)

    dues = service.preview(new, count=4)

    assert [d.due_date for d in dues] == [
        date(2026, 3, 2),
        date(2026, 4, 2),
        date(2026, 5, 2),
        date(2026, 6, 2),
    ]
    # 2 May 2026 is a Saturday: planned on the next working day.
    assert dues[2].planned_date == date(2026, 5, 4)
    assert service.schedules() == []


def test_previews_a_meter_interval_from_the_usage_so_far(db, clock, actors):
    meters = MeterService(db, clock)
    meters.create(
        actors["paula"], NewMeter("P-101-H", "P-101", "Run hours", MeterKind.RUNTIME_HOURS)
    )
    for day, value in ((1, 0.0), (11, 200.0), (21, 400.0)):
        meters.record_reading(actors["tom"], "P-101-H", value, datetime(2026, 2, day, tzinfo=UTC))
    service = PMScheduleService(db, clock)
    new = NewSchedule(
        "PM-H", "P-101", "500 h service", date(2026, 2, 1), meter_code="P-101-H", meter_every=500
    )

    dues = service.preview(new, count=2)

    assert all(d.by_meter for d in dues)
    # 20 h a day: 500 h take 25 days from the last reading on 21 February.
    assert dues[0].due_date == date(2026, 3, 18)
    assert dues[1].due_date == date(2026, 4, 12)


def test_updates_every_field_and_refuses_a_stale_save(db, clock, actors):
    service = PMScheduleService(db, clock)
    saved = service.create(
        actors["paula"],
        NewSchedule("PM-1", "P-101", "Pump service", date(2026, 3, 2), 1, IntervalUnit.MONTHS),
    )
    changed = NewSchedule(
        "PM-1",
        "P-101",
        "Pump service, full",
        date(2026, 3, 9),
        2,
        IntervalUnit.WEEKS,
        CalendarMode.FLOATING,
        lead_days=3,
        on_open=OnOpen.STACK,
        checklist_code="CL-PUMP",
        estimate_hours=2.5,
        kit=(("SEAL-1", 2.0),),
    )

    view = service.update(actors["paula"], "PM-1", saved.version, changed)

    assert (view.title, view.interval_text, view.lead_days, view.on_open, view.kit) == (
        "Pump service, full",
        "every 2 weeks (floating)",
        3,
        OnOpen.STACK,
        (("SEAL-1", 2.0),),
    )
    assert view.version > saved.version
    with pytest.raises(ConflictError):
        service.update(actors["paula"], "PM-1", saved.version, changed)
    with pytest.raises(ValidationFailed) as bad:
        service.update(
            actors["paula"],
            "PM-1",
            view.version,
            NewSchedule("PM-1", "P-101", "", date(2026, 3, 9), checklist_code="NOPE"),
        )
    assert set(bad.value.problems) == {"title", "interval", "checklist"}
