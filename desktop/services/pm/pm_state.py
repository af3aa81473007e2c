"""Reads what the due-date rules need about a schedule from the database."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select

from desktop.domain.lifecycle import OPEN_STATUSES
from desktop.domain.pm_due import MeterState, PreviousDue, ScheduleRule, meter_target
from desktop.domain.pm_rules import Blackout, OccurrenceState
from desktop.services.assets.meters import reached_at, total_at, usage_rate
from desktop.store.models import WorkOrder
from desktop.store.pm_models import PMOccurrence, PMSchedule

if TYPE_CHECKING:
    from datetime import date

    from sqlalchemy.orm import Session

    from desktop.domain.work_calendar import WorkCalendar


@dataclass(frozen=True)
class ScheduleState:
    rule: ScheduleRule
    previous: PreviousDue | None
    meter: MeterState | None
    # The newest generated order of the schedule, when it is still open.
    open_order: str | None
    previous_planned: date | None = None


def rule_of(schedule: PMSchedule) -> ScheduleRule:
    return ScheduleRule(
        start_date=schedule.start_date,
        calendar_every=schedule.calendar_every,
        calendar_unit=schedule.calendar_unit,
        calendar_mode=schedule.calendar_mode,
        meter_every=schedule.meter_every,
        meter_start=schedule.meter_start,
        working_day_rule=schedule.working_day_rule,
        blackouts=tuple(Blackout(b.first_day, b.last_day, b.reason) for b in schedule.blackouts),
    )


def load_state(session: Session, schedule: PMSchedule, calendar: WorkCalendar) -> ScheduleState:
    rule = rule_of(schedule)
    last = session.execute(
        select(PMOccurrence, WorkOrder.completed_at, WorkOrder.status)
        .outerjoin(WorkOrder, WorkOrder.id == PMOccurrence.work_order_id)
        .where(PMOccurrence.schedule_id == schedule.id)
        .order_by(PMOccurrence.cycle.desc())
        .limit(1)
    ).first()
    previous: PreviousDue | None = None
    if last is not None:
        occurrence, completed_at, _status = last
        at_completion = None
        if completed_at is not None and schedule.meter_id is not None:
            at_completion = total_at(session, schedule.meter_id, completed_at)
        previous = PreviousDue(
            cycle=occurrence.cycle,
            due_date=occurrence.due_date,
            due_meter=occurrence.due_meter,
            completed_on=calendar.local_date(completed_at) if completed_at else None,
            meter_at_completion=at_completion,
        )
    open_order = session.execute(
        select(WorkOrder.number)
        .join(PMOccurrence, PMOccurrence.work_order_id == WorkOrder.id)
        .where(
            PMOccurrence.schedule_id == schedule.id,
            PMOccurrence.state == OccurrenceState.GENERATED,
            WorkOrder.status.in_(OPEN_STATUSES),
        )
        .order_by(PMOccurrence.cycle.desc())
        .limit(1)
    ).scalar_one_or_none()
    meter = None
    if schedule.meter is not None:
        target = meter_target(rule, previous)
        meter = MeterState(
            total=schedule.meter.total,
            last_reading_at=schedule.meter.last_reading_at,
            rate_per_day=usage_rate(session, schedule.meter.id),
            target_reached_at=(
                reached_at(session, schedule.meter.id, target) if target is not None else None
            ),
        )
    planned = last[0].planned_date if last is not None else None
    return ScheduleState(rule, previous, meter, open_order, planned)
