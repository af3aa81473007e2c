"""Shift windows from the site calendar: when each shift of a day starts and ends, in UTC.

A shift's end is where one crew hands over to the next, so the handover is drafted for each
window that has ended. Zone arithmetic is done on local wall-clock times, so an early shift
starts at 06:00 local time on both sides of a daylight-saving change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from desktop.domain.work_calendar import WorkCalendar


@dataclass(frozen=True, order=True)
class ShiftWindow:
    start: datetime
    end: datetime
    label: str
    """The local day and the shift, e.g. `2026-03-02 06:00-14:00`."""


def windows_on(calendar: WorkCalendar, day: date) -> list[ShiftWindow]:
    """The shifts of a local day (none on days off), in order."""
    if not calendar.is_working_day(day):
        return []
    windows = []
    for shift in calendar.shifts:
        start = datetime.combine(day, shift.start, tzinfo=calendar.zone)
        end_day = day + timedelta(days=1) if shift.end <= shift.start else day
        end = datetime.combine(end_day, shift.end, tzinfo=calendar.zone)
        windows.append(
            ShiftWindow(start.astimezone(UTC), end.astimezone(UTC), f"{day.isoformat()} {shift}")
        )
    return sorted(windows)


def ended_between(calendar: WorkCalendar, since: datetime, now: datetime) -> list[ShiftWindow]:
    """Shifts whose end falls in (since, now], oldest first."""
    first = calendar.local_date(since) - timedelta(days=1)
    last = calendar.local_date(now)
    found = []
    day = first
    while day <= last:
        found += [w for w in windows_on(calendar, day) if since < w.end <= now]
        day += timedelta(days=1)
    return sorted(found)
