"""The site working calendar: read by due-date placement and capacity, set by planners."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select

from desktop.domain.errors import NotFound, ValidationFailed
from desktop.domain.permissions import Action, Actor, require
from desktop.domain.phrases import Phrase, message_of
from desktop.domain.work_calendar import (
    Closure,
    Shift,
    WorkCalendar,
    format_weekdays,
    parse_weekdays,
)
from desktop.services.shared import audit, revisions
from desktop.services.shared.clock import Clock, utc_now
from desktop.store.models import Site
from desktop.store.pm_models import CalendarClosure, SiteCalendar

if TYPE_CHECKING:
    from datetime import date

    from sqlalchemy.orm import Session

    from desktop.store.database import Database


@dataclass(frozen=True)
class CalendarSettings:
    """What a planner types in: `mon-fri`, `06:00-14:00,14:00-22:00`, `DE` and `BY`."""

    working_days: str = "mon-fri"
    shifts: str = "06:00-14:00"
    country: str | None = None
    subdivision: str | None = None


def load_calendar(session: Session) -> WorkCalendar:
    """The calendar of the site (the first one: Wrenchbook serves one site per database).

    Without settings it is Monday to Friday, one early shift, no public holidays, in the
    site's time zone.
    """
    site = session.execute(select(Site).order_by(Site.id).limit(1)).scalar_one_or_none()
    if site is None:
        return WorkCalendar()
    row = session.execute(
        select(SiteCalendar).where(SiteCalendar.site_id == site.id)
    ).scalar_one_or_none()
    closures = tuple(
        Closure(c.first_day, c.last_day, c.name)
        for c in session.execute(
            select(CalendarClosure)
            .where(CalendarClosure.site_id == site.id)
            .order_by(CalendarClosure.first_day)
        ).scalars()
    )
    if row is None:
        return WorkCalendar(timezone=site.timezone, closures=closures)
    return WorkCalendar(
        timezone=site.timezone,
        working_weekdays=parse_weekdays(row.working_weekdays),
        shifts=tuple(Shift.parse(s) for s in row.shifts.split(",")),
        country=row.country,
        subdivision=row.subdivision,
        closures=closures,
    )


def settings_problems(settings: CalendarSettings) -> dict[str, str]:
    problems: dict[str, str] = {}
    try:
        parse_weekdays(settings.working_days)
    except ValueError as exc:
        problems["working_days"] = message_of(exc)
    try:
        shifts = [Shift.parse(s) for s in settings.shifts.split(",")]
        if sum(s.hours for s in shifts) > 24:
            problems["shifts"] = "the shifts add up to more than 24 hours"
    except ValueError as exc:
        problems["shifts"] = message_of(exc)
    if settings.subdivision and not settings.country:
        problems["subdivision"] = "needs a country"
    elif settings.country:
        import holidays  # on first use, like WorkCalendar does

        try:
            holidays.country_holidays(settings.country, subdiv=settings.subdivision)
        except NotImplementedError as exc:
            # The holidays package says which part it does not know (country or subdivision).
            field = "subdivision" if "subdivision" in str(exc) else "country"
            problems[field] = str(exc)
    return problems


@dataclass(frozen=True)
class CalendarRecord:
    """The site calendar as its form shows it, with the revision a save is based on."""

    site_code: str
    timezone: str
    settings: CalendarSettings
    closures: tuple[Closure, ...]
    revision: int


class SiteCalendarService:
    def __init__(self, db: Database, clock: Clock = utc_now) -> None:
        self._db = db
        self._clock = clock

    def calendar(self) -> WorkCalendar:
        with self._db.unit_of_work(write=False) as session:
            return load_calendar(session)

    def record(self) -> CalendarRecord:
        with self._db.unit_of_work(write=False) as session:
            site = self._site(session)
            calendar = load_calendar(session)
            shifts = ",".join(str(shift) for shift in calendar.shifts)
            settings = CalendarSettings(
                format_weekdays(calendar.working_weekdays),
                shifts,
                calendar.country,
                calendar.subdivision,
            )
            revision = revisions.revision(session, "site_calendar", site.code)
            return CalendarRecord(site.code, site.timezone, settings, calendar.closures, revision)

    def configure(
        self, actor: Actor, settings: CalendarSettings, expected_revision: int | None = None
    ) -> WorkCalendar:
        """Set the working week, shifts and holiday region of the site; with
        `expected_revision` (the form) a change made by somebody else meanwhile is refused."""
        require(actor, Action.MANAGE_PM)
        problems = settings_problems(settings)
        if problems:
            raise ValidationFailed(problems)
        with self._db.unit_of_work() as session:
            site = self._site(session, lock=True)
            if expected_revision is not None:
                revisions.check(
                    session, "site_calendar", site.code, expected_revision, "The site calendar"
                )
            row = session.execute(
                select(SiteCalendar).where(SiteCalendar.site_id == site.id)
            ).scalar_one_or_none()
            before = _settings_json(row) if row else None
            if row is None:
                row = SiteCalendar(site_id=site.id)
                session.add(row)
            row.working_weekdays = format_weekdays(parse_weekdays(settings.working_days))
            row.shifts = ",".join(str(Shift.parse(s)) for s in settings.shifts.split(","))
            row.country = settings.country.upper() if settings.country else None
            row.subdivision = settings.subdivision.upper() if settings.subdivision else None
            session.flush()
            audit.record(
                session,
                actor,
                "configure",
                "site_calendar",
                site.code,
                before,
                _settings_json(row),
                self._clock(),
            )
            return load_calendar(session)

    def add_closure(self, actor: Actor, first_day: date, last_day: date, name: str) -> Closure:
        """A planned shutdown or works holiday: no working days from first to last day."""
        require(actor, Action.MANAGE_PM)
        problems: dict[str, str] = {}
        if last_day < first_day:
            problems["last_day"] = "must not be before the first day"
        if not name.strip():
            problems["name"] = "required (e.g. summer shutdown)"
        if problems:
            raise ValidationFailed(problems)
        with self._db.unit_of_work() as session:
            site = self._site(session)
            session.add(
                CalendarClosure(
                    site_id=site.id, first_day=first_day, last_day=last_day, name=name.strip()
                )
            )
            after = {"first_day": first_day.isoformat(), "last_day": last_day.isoformat()}
            audit.record(
                session,
                actor,
                "add closure",
                "site_calendar",
                site.code,
                None,
                after | {"name": name.strip()},
                self._clock(),
            )
            return Closure(first_day, last_day, name.strip())

    def remove_closure(self, actor: Actor, first_day: date, name: str) -> None:
        """Take back a shutdown entered by mistake or called off."""
        require(actor, Action.MANAGE_PM)
        with self._db.unit_of_work() as session:
            site = self._site(session)
            closure = session.execute(
                select(CalendarClosure).where(
                    CalendarClosure.site_id == site.id,
                    CalendarClosure.first_day == first_day,
                    CalendarClosure.name == name,
                )
            ).scalar_one_or_none()
            if closure is None:
                raise NotFound(
                    Phrase(
                        "no shutdown {name} from {day}",
                        name=name,
                        day=first_day,
                    )
                )
            before = {
                "first_day": closure.first_day.isoformat(),
                "last_day": closure.last_day.isoformat(),
                "name": closure.name,
            }
            session.delete(closure)
            audit.record(
                session,
                actor,
                "remove closure",
                "site_calendar",
                site.code,
                before,
                None,
                self._clock(),
            )

    @staticmethod
    def _site(session: Session, lock: bool = False) -> Site:
        query = select(Site).order_by(Site.id).limit(1)
        site = session.execute(query.with_for_update() if lock else query).scalar_one_or_none()
        if site is None:
            raise ValidationFailed({"site": "set up the site first (wrenchbook init)"})
        return site


def _settings_json(row: SiteCalendar) -> dict[str, str | None]:
    return {
        "working_days": row.working_weekdays,
        "shifts": row.shifts,
        "country": row.country,
        "subdivision": row.subdivision,
    }
