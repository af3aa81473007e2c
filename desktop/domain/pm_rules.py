"""Preventive-maintenance schedule rules: intervals, due-date placement, what to do when late."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from dateutil.relativedelta import relativedelta

from desktop.domain.phrases import Phrase

if TYPE_CHECKING:
    from desktop.domain.work_calendar import WorkCalendar

# Mean lengths for turning calendar intervals into days (grace windows, usage forecasts).
_DAYS_PER_UNIT = {"days": 1.0, "weeks": 7.0, "months": 365.2425 / 12, "years": 365.2425}
# Bound on how often placement may bounce between blackouts and non-working days.
_MAX_PLACEMENT_STEPS = 64


class IntervalUnit(StrEnum):
    DAYS = "days"
    WEEKS = "weeks"
    MONTHS = "months"
    YEARS = "years"


class CalendarMode(StrEnum):
    """Fixed: due on the calendar whatever happened; floating: counted from the last completion."""

    FIXED = "fixed"
    FLOATING = "floating"


class OnOpen(StrEnum):
    """What the generator does when the previous order of the schedule is still open."""

    SKIP = "skip"
    STACK = "stack"


class WorkingDayRule(StrEnum):
    """Where a due date on a non-working day goes."""

    KEEP = "keep"
    NEXT = "next"
    PREVIOUS = "previous"


class OccurrenceState(StrEnum):
    """What the generator did with one due date of a schedule."""

    GENERATED = "generated"
    SKIPPED = "skipped"


def add_interval(day: date, every: int, unit: IntervalUnit, times: int = 1) -> date:
    """`day` plus `times` intervals, computed from `day` in one step.

    relativedelta clamps to the month's end (Jan 31 + 1 month = Feb 28, or 29 in a leap
    year), and counting every cycle from the same anchor keeps a fixed monthly schedule on the
    31st from drifting to the 28th for good after one February.
    """
    n = every * times
    if unit is IntervalUnit.DAYS:
        return day + timedelta(days=n)
    if unit is IntervalUnit.WEEKS:
        return day + timedelta(weeks=n)
    if unit is IntervalUnit.MONTHS:
        return day + relativedelta(months=n)
    return day + relativedelta(years=n)


def interval_days(every: int, unit: IntervalUnit) -> float:
    """The interval's mean length in days (a month is 30.44 days)."""
    return every * _DAYS_PER_UNIT[unit.value]


@dataclass(frozen=True)
class Blackout:
    """Days on which a schedule must not fall due (a production campaign, an audit week)."""

    first_day: date
    last_day: date
    reason: str = ""

    def covers(self, day: date) -> bool:
        return self.first_day <= day <= self.last_day


def place_due(
    nominal: date,
    calendar: WorkCalendar,
    rule: WorkingDayRule,
    blackouts: tuple[Blackout, ...] = (),
) -> date:
    """The date work nominally due on `nominal` is actually due.

    The working-day rule moves it off weekends, holidays and shutdowns; a blackout window
    moves it to after the window (moving it before would bring work forward unasked, and a
    planner who wants that sets a blackout-free date by hand).
    """
    day = nominal
    if rule is WorkingDayRule.PREVIOUS:
        day = calendar.previous_working_day(day)
        if not any(b.covers(day) for b in blackouts):
            return day
        day = nominal
    for _ in range(_MAX_PLACEMENT_STEPS):
        window = next((b for b in blackouts if b.covers(day)), None)
        if window is not None:
            day = window.last_day + timedelta(days=1)
            continue
        if rule is not WorkingDayRule.KEEP and not calendar.is_working_day(day):
            day = calendar.next_working_day(day)
            continue
        return day
    raise ValueError(
        Phrase(
            "no allowed due date after {nominal}: check the blackouts and the calendar",
            nominal=nominal,
        )
    )
