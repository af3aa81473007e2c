"""Preventive maintenance through the real services on both engines."""

from __future__ import annotations

import csv
from datetime import UTC, date, datetime, timedelta

import pytest

from desktop.domain.enums import ChecklistItemKind, CheckResult, Origin, Status, WorkOrderType
from desktop.domain.errors import PermissionDenied, TransitionRefused, ValidationFailed
from desktop.domain.meters import MeterKind, ReadingKind
from desktop.domain.pm_compliance import GraceRule
from desktop.domain.pm_rules import Blackout, CalendarMode, IntervalUnit, OccurrenceState, OnOpen
from desktop.services.analytics.export import export
from desktop.services.assets.meters import MeterService, NewMeter, ReadingInput
from desktop.services.assets.site_calendar import CalendarSettings, SiteCalendarService
from desktop.services.orders.checklist_findings import findings
from desktop.services.orders.work_order_records import WorkOrderDraft
from desktop.services.orders.work_orders import SearchFilter, WorkOrderService
from desktop.services.pm.pm_compliance import pm_compliance
from desktop.services.pm.pm_generator import PMGenerator
from desktop.services.pm.pm_schedules import NewSchedule, PMScheduleService
from desktop.services.shared import audit
from tests.integration.workflow import drive_to

# The FakeClock starts on Monday 2026-03-02 08:00 UTC; the seeded site is in Europe/Berlin.
MONDAY = date(2026, 3, 2)


def weekly(code: str = "PM-P101-W", **fields: object) -> NewSchedule:
    values: dict[str, object] = {
        "code": code,
        "asset_code": "P-101",
        "title": "Weekly pump round",
        "start_date": date(2026, 3, 4),
        "calendar_every": 1,
        "calendar_unit": IntervalUnit.WEEKS,
        "lead_days": 7,
        "checklist_code": "CL-PUMP",
        "instructions": "Walk the pump, listen to the bearings.",
        "estimate_hours": 1.5,
        "craft": "mechanical",
        "kit": (("SEAL-KIT-40", 1.0), ("GREASE-LT2", 0.2)),
    }
    values.update(fields)
    return NewSchedule(**values)  # type: ignore[arg-type]


def _orders(db) -> list:
    return WorkOrderService(db).search(
        SearchFilter(types=(WorkOrderType.PREVENTIVE,)), sort="due", descending=False
    )


def test_generator_creates_what_is_due_within_the_lead_time_once(db, actors, clock):
    PMScheduleService(db, clock).create(actors["paula"], weekly())
    generator = PMGenerator(db, clock)
    first = generator.run(actors["paula"])
    assert [o.due_date for o in first.created] == [date(2026, 3, 4)]
    assert generator.run(actors["paula"]).occurrences == ()
    (row,) = _orders(db)
    detail = WorkOrderService(db).get(row.number)
    assert detail.origin is Origin.PM_SCHEDULE
    # Due at the end of the 06:00-14:00 shift, Berlin time (CET, UTC+1).
    assert row.due_at == datetime(2026, 3, 4, 13, 0, tzinfo=UTC)
    assert detail.estimate_hours == 1.5
    assert [i.text for i in detail.checklist][:2] == ["no leaks", "bearing temperature"]
    assert "Walk the pump" in detail.description
    assert "SEAL-KIT-40 × 1" in detail.description
    assert audit.verify(db).ok


def test_stack_keeps_every_due_date_and_skip_records_the_skipped_ones(db, actors, clock):
    schedules = PMScheduleService(db, clock)
    schedules.create(actors["paula"], weekly("STACK", on_open=OnOpen.STACK))
    schedules.create(actors["paula"], weekly("SKIP", asset_code="C-201", on_open=OnOpen.SKIP))
    result = PMGenerator(db, clock).run(actors["paula"], until=date(2026, 3, 25))
    stacked = [o for o in result.occurrences if o.schedule == "STACK"]
    skipped = [o for o in result.occurrences if o.schedule == "SKIP"]
    assert [o.state for o in stacked] == [OccurrenceState.GENERATED] * 5
    assert [o.state for o in skipped] == [OccurrenceState.GENERATED] + [OccurrenceState.SKIPPED] * 4
    assert "still open" in skipped[1].note
    assert len(_orders(db)) == 6


def test_skip_schedule_generates_again_once_the_open_order_is_done(db, actors, clock):
    PMScheduleService(db, clock).create(actors["paula"], weekly(on_open=OnOpen.SKIP))
    generator = PMGenerator(db, clock)
    (first,) = generator.run(actors["paula"]).created
    clock.advance(days=7)
    assert generator.run(actors["paula"]).created == ()
    assert first.number is not None
    WorkOrderService(db, clock).transition(
        actors["paula"], first.number, Status.CANCELLED, note="pump replaced"
    )
    clock.advance(days=7)
    created = generator.run(actors["paula"]).created
    assert [o.due_date for o in created] == [date(2026, 3, 18)]


def test_floating_schedule_waits_for_the_completion_and_counts_from_it(db, actors, clock):
    schedule = weekly(calendar_every=2, calendar_mode=CalendarMode.FLOATING, checklist_code=None)
    PMScheduleService(db, clock).create(actors["paula"], schedule)
    generator = PMGenerator(db, clock)
    (first,) = generator.run(actors["paula"], until=date(2026, 4, 30)).created
    assert first.number is not None
    clock.now = datetime(2026, 3, 9, 8, 0, tzinfo=UTC)
    drive_to(WorkOrderService(db, clock), actors["admin"], first.number, Status.COMPLETED, clock)
    (second,) = generator.run(actors["paula"], until=date(2026, 3, 20)).created
    # Completed on Monday the 9th (local), so due two weeks later.
    assert second.due_date == date(2026, 3, 23)


@pytest.mark.both_engines
def test_due_dates_keep_the_local_hour_across_the_dst_change(db, actors, clock):
    schedule = weekly(start_date=date(2026, 3, 27), checklist_code=None, on_open=OnOpen.STACK)
    PMScheduleService(db, clock).create(actors["paula"], schedule)
    PMGenerator(db, clock).run(actors["paula"], until=date(2026, 3, 27))
    due = [row.due_at for row in _orders(db)]
    # 14:00 in Berlin: 13:00 UTC in winter, 12:00 UTC from Sunday 2026-03-29 on.
    assert due == [
        datetime(2026, 3, 27, 13, 0, tzinfo=UTC),
        datetime(2026, 4, 3, 12, 0, tzinfo=UTC),
    ]


def test_calendar_moves_due_dates_off_holidays_and_blackouts(db, actors, clock):
    SiteCalendarService(db, clock).configure(
        actors["paula"], CalendarSettings("mon-fri", "06:00-14:00", "DE", "BY")
    )
    schedules = PMScheduleService(db, clock)
    # Good Friday 2026-04-03 and Easter Monday: the next working day is Tuesday the 7th.
    easter = schedules.create(
        actors["paula"],
        weekly("EASTER", start_date=date(2026, 4, 3), calendar_every=1,
               calendar_unit=IntervalUnit.YEARS),
    )  # fmt: skip
    assert easter.next_due == date(2026, 4, 7)
    campaign = Blackout(date(2026, 3, 1), date(2026, 3, 20), "bottling campaign")
    blocked = schedules.create(
        actors["paula"],
        weekly("CAMPAIGN", asset_code="C-201", blackouts=(campaign,), on_open=OnOpen.STACK),
    )
    assert blocked.next_due == date(2026, 3, 23)
    result = PMGenerator(db, clock).run(actors["paula"], until=date(2026, 3, 20))
    campaign_orders = [o for o in result.occurrences if o.schedule == "CAMPAIGN"]
    # Three weekly due dates fall in the window: one order after it, not a pile of three.
    assert [(o.planned_date, o.state) for o in campaign_orders] == [
        (date(2026, 3, 23), OccurrenceState.GENERATED),
        (date(2026, 3, 23), OccurrenceState.SKIPPED),
        (date(2026, 3, 23), OccurrenceState.SKIPPED),
        (date(2026, 3, 25), OccurrenceState.GENERATED),
    ]


def test_planned_shutdown_is_no_working_day(db, actors, clock):
    calendar = SiteCalendarService(db, clock)
    calendar.add_closure(actors["paula"], date(2026, 3, 2), date(2026, 3, 6), "spring shutdown")
    view = PMScheduleService(db, clock).create(actors["paula"], weekly())
    assert view.next_due == date(2026, 3, 9)
    with pytest.raises(ValidationFailed, match="subdivision"):
        calendar.configure(actors["paula"], CalendarSettings(country="DE", subdivision="XX"))


def test_schedule_input_is_checked_and_names_what_to_fix(db, actors, clock):
    schedules = PMScheduleService(db, clock)
    bad = weekly(
        calendar_unit=None, checklist_code="NOPE", asset_code="X-1", kit=(("A", 0.0),),
        craft="welding",
    )  # fmt: skip
    with pytest.raises(ValidationFailed) as refused:
        schedules.create(actors["paula"], bad)
    assert set(refused.value.problems) == {"calendar", "checklist", "asset", "kit", "craft"}
    with pytest.raises(PermissionDenied):
        schedules.create(actors["tom"], weekly())
    with pytest.raises(PermissionDenied):
        PMGenerator(db, clock).run(actors["tom"])


def test_paused_schedule_generates_nothing(db, actors, clock):
    schedules = PMScheduleService(db, clock)
    view = schedules.create(actors["paula"], weekly())
    schedules.set_active(actors["paula"], view.code, view.version, active=False)
    assert PMGenerator(db, clock).run(actors["paula"]).occurrences == ()


def _runtime_meter(db, actors, clock) -> MeterService:
    meters = MeterService(db, clock)
    meters.create(actors["paula"], NewMeter("P-101-RH", "P-101", "Pump running hours"))
    return meters


def test_meter_readings_count_resets_and_refuse_a_lower_value(db, actors, clock):
    meters = _runtime_meter(db, actors, clock)
    t0 = clock()
    meters.record_reading(actors["tom"], "P-101-RH", 1000.0, t0 - timedelta(days=2))
    meters.record_reading(actors["tom"], "P-101-RH", 1020.0, t0 - timedelta(days=1))
    with pytest.raises(ValidationFailed, match="record it as a reset"):
        meters.record_reading(actors["tom"], "P-101-RH", 12.0, t0)
    reset = meters.record_reading(actors["tom"], "P-101-RH", 12.0, t0, reset=True)
    assert (reset.kind, reset.delta, reset.total) == (ReadingKind.RESET, 12.0, 32.0)
    assert meters.usage_rate("P-101-RH") == pytest.approx(16.0)


def test_tag_feed_batches_count_rollovers_and_ignore_a_resent_value(db, actors, clock):
    meters = MeterService(db, clock)
    meters.create(
        actors["paula"],
        NewMeter("C-201-CY", "C-201", "Conveyor starts", MeterKind.CYCLES, "starts", 10_000.0),
    )
    t0 = clock() - timedelta(hours=3)
    tag = "opcua:ns=2;s=C201.Starts"
    batch = [
        ReadingInput("C-201-CY", 9_990.0, t0, tag),
        ReadingInput("C-201-CY", 5.0, t0 + timedelta(hours=1), tag),
    ]
    views = meters.record_readings(actors["admin"], batch)
    assert [v.kind for v in views] == [ReadingKind.NORMAL, ReadingKind.ROLLOVER]
    assert views[-1].total == 15.0
    again = meters.record_readings(actors["admin"], batch[-1:])
    assert again == []
    assert len(meters.readings("C-201-CY")) == 2


def test_meter_schedule_is_forecast_from_usage_and_generated_when_near(db, actors, clock):
    meters = _runtime_meter(db, actors, clock)
    t0 = clock()
    meters.record_reading(actors["tom"], "P-101-RH", 0.0, t0 - timedelta(days=10))
    meters.record_reading(actors["tom"], "P-101-RH", 200.0, t0)
    schedules = PMScheduleService(db, clock)
    view = schedules.create(
        actors["paula"],
        weekly("RH-500", calendar_every=None, calendar_unit=None, meter_code="P-101-RH",
               meter_every=500.0, start_date=MONDAY),
    )  # fmt: skip
    # Counted from the 200 h when the schedule was set up; at 20 h a day, 500 h more take 25
    # days: Friday 2026-03-27.
    assert view.next_due == date(2026, 3, 27)
    assert view.next_due_by_meter
    generator = PMGenerator(db, clock)
    assert generator.run(actors["paula"]).created == ()
    clock.advance(days=19)
    meters.record_reading(actors["tom"], "P-101-RH", 580.0, clock())
    (order,) = generator.run(actors["paula"]).created
    assert order.due_date == date(2026, 3, 27)


def test_failed_items_raise_one_corrective_each_with_the_finding(db, actors, clock):
    service = WorkOrderService(db, clock)
    draft = WorkOrderDraft(
        "Quarterly inspection", "P-101", WorkOrderType.INSPECTION, checklist_codes=("CL-PUMP",)
    )
    number = service.create(actors["paula"], draft).work_order.number
    tom = actors["tom"]
    failed_check = service.answer_checklist_item(tom, number, 1, result=CheckResult.FAIL)
    too_hot = service.answer_checklist_item(tom, number, 2, value=92.5)
    fine = service.answer_checklist_item(tom, number, 3, text="oil weeping at the gland")
    again = service.answer_checklist_item(tom, number, 1, result=CheckResult.FAIL)
    assert failed_check.corrective_order is not None
    assert too_hot.corrective_order is not None
    assert failed_check.corrective_order != too_hot.corrective_order
    assert fine.corrective_order is None
    assert again.corrective_order is None
    corrective = service.get(too_hot.corrective_order)
    assert corrective.row.type is WorkOrderType.CORRECTIVE
    assert corrective.row.asset_code == "P-101"
    assert not corrective.is_failure
    assert corrective.origin is Origin.INSPECTION_FINDING
    assert service.get(number).origin is Origin.REQUEST
    assert f"Found on {number}" in corrective.description
    assert "measured 92.5 °C, limits 10–80 °C" in corrective.description
    assert [(f.position, f.corrective) for f in findings(db, number)] == [
        (1, failed_check.corrective_order),
        (2, too_hot.corrective_order),
    ]
    signed = service.answer_checklist_item(tom, number, 4)
    assert signed.kind is ChecklistItemKind.SIGNATURE
    assert (signed.text_value, signed.answered_at) == ("Tom", clock())


def test_safety_checklist_must_be_fully_answered_before_work_starts(db, actors, clock):
    service = WorkOrderService(db, clock)
    draft = WorkOrderDraft(
        "Replace coupling", "P-101", WorkOrderType.PREVENTIVE, checklist_codes=("CL-LOTO",)
    )
    number = service.create(actors["paula"], draft).work_order.number
    drive_to(service, actors["admin"], number, Status.SCHEDULED, clock)
    with pytest.raises(TransitionRefused, match="isolator locked"):
        service.transition(actors["tom"], number, Status.IN_PROGRESS)
    service.answer_checklist_item(actors["tom"], number, 1, result=CheckResult.PASS)
    assert (
        service.transition(actors["tom"], number, Status.IN_PROGRESS).status is Status.IN_PROGRESS
    )


@pytest.mark.both_engines
def test_compliance_counts_orders_due_in_the_period_by_grace(db, actors, clock, tmp_path):
    schedule = weekly(calendar_every=10, calendar_unit=IntervalUnit.DAYS, checklist_code=None,
                      on_open=OnOpen.STACK, start_date=date(2026, 3, 3))  # fmt: skip
    PMScheduleService(db, clock).create(actors["paula"], schedule)
    PMGenerator(db, clock).run(actors["paula"], until=date(2026, 3, 6))
    early, late = _orders(db)
    service = WorkOrderService(db, clock)
    # Due 3 March 13:00 UTC; 10 % of a 10-day interval is one day of grace.
    clock.now = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)
    drive_to(service, actors["admin"], early.number, Status.COMPLETED, clock)
    clock.now = datetime(2026, 3, 13, 13, 0, tzinfo=UTC) + timedelta(days=1, minutes=1)
    drive_to(service, actors["admin"], late.number, Status.COMPLETED, clock)
    period = (datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 4, 1, tzinfo=UTC))
    report = pm_compliance(db, *period)
    assert (report.due, report.on_time, report.percent) == (2, 1, 50.0)
    assert [o.on_time for o in report.orders] == [True, False]
    assert report.orders[0].schedule == "PM-P101-W"
    assert pm_compliance(db, *period, grace=GraceRule.SMRP_20_PERCENT).percent == 100.0
    # The KPI dashboard reads the same answer through its PM-compliance source.
    from desktop.services.analytics.kpi import KpiService
    from desktop.services.analytics.kpi_records import KpiQuery
    from desktop.services.pm.pm_compliance import ScheduledPmCompliance

    due = ScheduledPmCompliance(db).pm_due(*period)
    assert [(d.due_at, d.done_in_grace) for d in due] == [
        (o.due_at, o.on_time) for o in report.orders
    ]
    board = KpiService(db, clock, pm_compliance=ScheduledPmCompliance(db)).dashboard(
        KpiQuery(*period)
    )
    assert board.figure("pm_compliance").value == 50.0
    export(db, tmp_path)
    with (tmp_path / "work_orders.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert {(r["pm_schedule"], r["pm_interval_days"]) for r in rows} == {("PM-P101-W", "10")}


def test_kit_parts_become_the_orders_parts_list_and_are_reserved_when_scheduled(db, actors, clock):
    from datetime import timedelta

    from desktop.domain.enums import Status
    from desktop.services.stock.inventory import InventoryService
    from tests.integration.stock import stock_room

    admin = actors["admin"]
    inventory = InventoryService(db, clock)
    stock_room(inventory, admin)
    kit = (("P-1002", 2.0), ("NOT-STOCKED", 1.0))
    PMScheduleService(db, clock).create(actors["paula"], weekly(kit=kit))
    (generated,) = PMGenerator(db, clock).run(actors["paula"]).created
    number = generated.number
    planned = inventory.work_order_parts(number)
    assert [(line.part, line.planned) for line in planned.lines] == [("P-1002", 2.0)]
    assert "NOT-STOCKED × 1" in WorkOrderService(db).get(number).description
    service = WorkOrderService(db, clock)
    service.transition(admin, number, Status.APPROVED)
    row = service.get(number).row
    start = clock() + timedelta(hours=2)
    row = service.update(
        admin,
        number,
        row.version,
        {"scheduled_start": start, "scheduled_end": start + timedelta(hours=2)},
    )
    service.assign(admin, number, row.version, ["tom"])
    service.transition(admin, number, Status.SCHEDULED)
    reserved = inventory.work_order_parts(number)
    assert [(line.part, line.reserved) for line in reserved.lines] == [("P-1002", 2.0)]
