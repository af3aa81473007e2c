"""The site's working calendar: which local days the crew works, its shifts and its closures."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from desktop.domain.phrases import Phrase

if TYPE_CHECKING:
    from holidays import HolidayBase

WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# A due-date search never walks further than this: a calendar without a single working day in
# a year is a configuration error, not a reason to loop forever.
MAX_SEARCH_DAYS = 366


@dataclass(frozen=True)
class Shift:
    """One shift in local wall-clock time; a shift ending at or before its start runs overnight."""

    start: time
    end: time

    @property
    def hours(self) -> float:
        start = self.start.hour * 60 + self.start.minute
        end = self.end.hour * 60 + self.end.minute
        minutes = end - start if end > start else end + 24 * 60 - start
        return minutes / 60

    @classmethod
    def parse(cls, text: str) -> Shift:
        """`06:00-14:00` → Shift; raises ValueError with the expected form."""
        try:
            start, end = (time.fromisoformat(part.strip()) for part in text.split("-"))
        except ValueError:
            raise ValueError(
                Phrase("{text}: write a shift as HH:MM-HH:MM, e.g. 06:00-14:00", text=repr(text))
            ) from None
        if start == end:
            raise ValueError(Phrase("{text}: a shift needs a length", text=repr(text)))
        return cls(start, end)

    def __str__(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"


@dataclass(frozen=True)
class Closure:
    """Days the site does not work beyond public holidays: a planned shutdown, a works holiday."""

    first_day: date
    last_day: date
    name: str

    def covers(self, day: date) -> bool:
        return self.first_day <= day <= self.last_day


@dataclass(frozen=True)
class WorkCalendar:
    """Working days of one site in its own time zone.

    Public holidays come from the `holidays` package (country and optional subdivision, e.g.
    DE / BY), so nobody types Easter in by hand.
    """

    timezone: str = "UTC"
    working_weekdays: frozenset[int] = frozenset(range(5))
    shifts: tuple[Shift, ...] = (Shift(time(6), time(14)),)
    country: str | None = None
    subdivision: str | None = None
    closures: tuple[Closure, ...] = field(default=())

    @cached_property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @cached_property
    def _holidays(self) -> HolidayBase | None:
        if not self.country:
            return None
        # Imported on first use: it costs ~0.1 s, and most screens never ask for a holiday.
        import holidays

        return holidays.country_holidays(self.country, subdiv=self.subdivision)

    def holiday_name(self, day: date) -> str | None:
        if self._holidays is None:
            return None
        return self._holidays.get(day)

    def closure(self, day: date) -> Closure | None:
        return next((c for c in self.closures if c.covers(day)), None)

    def is_working_day(self, day: date) -> bool:
        return (
            day.weekday() in self.working_weekdays
            and self.holiday_name(day) is None
            and self.closure(day) is None
        )

    def why_not_working(self, day: date) -> str | None:
        """Why the crew does not work on `day` (None when it does), for lists and calendars."""
        if day.weekday() not in self.working_weekdays:
            return _DAY_NAMES[day.weekday()]
        name = self.holiday_name(day)
        if name:
            return name
        closure = self.closure(day)
        return closure.name if closure else None

    def next_working_day(self, day: date) -> date:
        """`day` itself when it is a working day, else the first one after it."""
        return self._walk(day, 1)

    def previous_working_day(self, day: date) -> date:
        return self._walk(day, -1)

    def _walk(self, day: date, step: int) -> date:
        for offset in range(MAX_SEARCH_DAYS):
            candidate = day + timedelta(days=step * offset)
            if self.is_working_day(candidate):
                return candidate
        raise ValueError(
            Phrase("no working day within a year of {day}: check the site calendar", day=day)
        )

    def hours_on(self, day: date) -> float:
        """Crew hours per person on `day`: the shifts' length on working days, else 0."""
        return sum(s.hours for s in self.shifts) if self.is_working_day(day) else 0.0

    def local_date(self, instant: datetime) -> date:
        """The site's calendar date at an instant (the plant's 'today', not UTC's)."""
        return instant.astimezone(self.zone).date()

    def end_of_day(self, day: date) -> datetime:
        """When work due on `day` is due: the end of its last shift, local time, as UTC.

        zoneinfo resolves the offset of that wall-clock time on that date, so a due time stays
        at the same local hour across daylight-saving changes.
        """
        last = max(self.shifts, key=lambda s: (s.end <= s.start, s.end))
        local = datetime.combine(day, last.end, tzinfo=self.zone)
        if last.end <= last.start:
            local = datetime.combine(day + timedelta(days=1), last.end, tzinfo=self.zone)
        return local.astimezone(UTC)


def parse_weekdays(text: str) -> frozenset[int]:
    """`mon-fri` or `mon,tue,sat` → weekday numbers (Monday 0); ValueError names the fix."""
    days: set[int] = set()
    for part in (p.strip().lower() for p in text.split(",") if p.strip()):
        ends = part.split("-")
        if len(ends) > 2 or any(e not in WEEKDAY_NAMES for e in ends):
            raise ValueError(
                Phrase(
                    "{part}: use mon, tue, wed, thu, fri, sat, sun or ranges mon-fri",
                    part=repr(part),
                )
            )
        first, last = WEEKDAY_NAMES.index(ends[0]), WEEKDAY_NAMES.index(ends[-1])
        if last < first:
            raise ValueError(Phrase("{part}: a range runs forward, e.g. mon-fri", part=repr(part)))
        days.update(range(first, last + 1))
    if not days:
        raise ValueError("name at least one working day, e.g. mon-fri")
    return frozenset(days)


def format_weekdays(days: frozenset[int]) -> str:
    return ",".join(WEEKDAY_NAMES[d] for d in sorted(days))
