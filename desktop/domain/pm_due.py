"""When a PM schedule is next due: calendar interval, meter interval, or whichever comes first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from desktop.domain.pm_rules import (
    Blackout,
    CalendarMode,
    IntervalUnit,
    WorkingDayRule,
    add_interval,
    interval_days,
    place_due,
)

if TYPE_CHECKING:
    from desktop.domain.work_calendar import WorkCalendar


@dataclass(frozen=True)
class ScheduleRule:
    """The timing part of a schedule."""

    start_date: date
    calendar_every: int | None = None
    calendar_unit: IntervalUnit | None = None
    calendar_mode: CalendarMode = CalendarMode.FIXED
    meter_every: float | None = None
    meter_start: float | None = None
    working_day_rule: WorkingDayRule = WorkingDayRule.NEXT
    blackouts: tuple[Blackout, ...] = ()

    @property
    def has_calendar(self) -> bool:
        return self.calendar_every is not None and self.calendar_unit is not None

    @property
    def has_meter(self) -> bool:
        return self.meter_every is not None

    @property
    def waits_for_completion(self) -> bool:
        """Floating schedules count from a completion, so the next one waits for it."""
        return self.calendar_mode is CalendarMode.FLOATING and not self.has_meter


@dataclass(frozen=True)
class PreviousDue:
    """The schedule's last due date and what became of it."""

    cycle: int
    due_date: date
    due_meter: float | None
    completed_on: date | None = None
    meter_at_completion: float | None = None


@dataclass(frozen=True)
class MeterState:
    """The meter as far as it is known: its total, the last reading and its recent usage."""

    total: float
    last_reading_at: datetime | None
    rate_per_day: float | None
    target_reached_at: datetime | None = None


@dataclass(frozen=True)
class NextDue:
    cycle: int
    due_date: date
    planned_date: date
    due_meter: float | None
    interval_days: float | None
    by_meter: bool


def meter_target(rule: ScheduleRule, previous: PreviousDue | None) -> float | None:
    """The running meter total at which the next order falls due.

    Counted from the meter at the last completion; while the last order is open (or was
    skipped), from the total it was due at, so stacked orders keep the meter's rhythm.
    """
    if rule.meter_every is None:
        return None
    if previous is None:
        return (rule.meter_start or 0.0) + rule.meter_every
    if previous.meter_at_completion is not None:
        return previous.meter_at_completion + rule.meter_every
    base = previous.due_meter if previous.due_meter is not None else rule.meter_start or 0.0
    return base + rule.meter_every


def _calendar_date(rule: ScheduleRule, previous: PreviousDue | None) -> date | None:
    if rule.calendar_every is None or rule.calendar_unit is None:
        return None
    if previous is None:
        return rule.start_date
    if rule.calendar_mode is CalendarMode.FLOATING:
        base = previous.completed_on or previous.due_date
        return add_interval(base, rule.calendar_every, rule.calendar_unit)
    # Fixed: the first calendar slot counted from the start date after the last due date;
    # counting from the start (not from the last date) keeps month ends from drifting.
    step_days = interval_days(rule.calendar_every, rule.calendar_unit)
    times = max(int((previous.due_date - rule.start_date).days / step_days) - 1, 0)
    candidate = add_interval(rule.start_date, rule.calendar_every, rule.calendar_unit, times)
    while candidate <= previous.due_date:
        times += 1
        candidate = add_interval(rule.start_date, rule.calendar_every, rule.calendar_unit, times)
    return candidate


def _meter_date(
    target: float | None, meter: MeterState | None, calendar: WorkCalendar
) -> date | None:
    """Due date by the meter: when it reached the target, else the usage-rate forecast."""
    if target is None or meter is None:
        return None
    if meter.target_reached_at is not None:
        return calendar.local_date(meter.target_reached_at)
    if meter.last_reading_at is None or not meter.rate_per_day:
        return None
    days_left = (target - meter.total) / meter.rate_per_day
    return calendar.local_date(meter.last_reading_at + timedelta(days=days_left))


def next_due(
    rule: ScheduleRule,
    previous: PreviousDue | None,
    meter: MeterState | None,
    calendar: WorkCalendar,
) -> NextDue | None:
    """The next due date, or None while a meter-only schedule has no usage to forecast from.

    With both intervals the earlier date wins. A schedule falls due at most once a day (its
    due dates are unique), so a meter that runs faster than that gets one order a day.
    """
    target = meter_target(rule, previous)
    by_calendar = _calendar_date(rule, previous)
    by_meter = _meter_date(target, meter, calendar)
    candidates = [d for d in (by_calendar, by_meter) if d is not None]
    if not candidates:
        return None
    due = min(candidates)
    if previous is not None and due <= previous.due_date:
        due = previous.due_date + timedelta(days=1)
    lengths = []
    if rule.calendar_every is not None and rule.calendar_unit is not None:
        lengths.append(interval_days(rule.calendar_every, rule.calendar_unit))
    if rule.meter_every is not None and meter is not None and meter.rate_per_day:
        lengths.append(rule.meter_every / meter.rate_per_day)
    return NextDue(
        cycle=previous.cycle + 1 if previous else 0,
        due_date=due,
        planned_date=place_due(due, calendar, rule.working_day_rule, rule.blackouts),
        due_meter=target,
        interval_days=min(lengths) if lengths else None,
        by_meter=by_meter is not None and (by_calendar is None or by_meter < by_calendar),
    )
