"""PM schedules per asset: what to do, how often (calendar, meter or both) and how far ahead."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import object_session, selectinload
from sqlalchemy.orm.exc import StaleDataError

from desktop.domain.enums import Priority
from desktop.domain.errors import ConflictError, NotFound, ValidationFailed
from desktop.domain.permissions import Action, Actor, require
from desktop.domain.phrases import Phrase
from desktop.domain.pm_due import MeterState, PreviousDue, ScheduleRule, next_due
from desktop.domain.pm_rules import (
    Blackout,
    CalendarMode,
    IntervalUnit,
    OnOpen,
    WorkingDayRule,
)
from desktop.services.assets.meters import usage_rate
from desktop.services.assets.site_calendar import load_calendar
from desktop.services.pm.pm_state import load_state
from desktop.services.shared import audit
from desktop.services.shared.clock import Clock, utc_now
from desktop.store.models import Asset, ChecklistTemplate, User
from desktop.store.pm_models import Meter, PMBlackout, PMKitLine, PMSchedule

if TYPE_CHECKING:
    from datetime import date

    from sqlalchemy.orm import Session

    from desktop.domain.work_calendar import WorkCalendar
    from desktop.store.database import Database

MAX_LEAD_DAYS = 365


@dataclass(frozen=True)
class NewSchedule:
    """A PM schedule as a planner defines it; give a calendar interval, a meter one, or both."""

    code: str
    asset_code: str
    title: str
    start_date: date
    calendar_every: int | None = None
    calendar_unit: IntervalUnit | None = None
    calendar_mode: CalendarMode = CalendarMode.FIXED
    meter_code: str | None = None
    meter_every: float | None = None
    lead_days: int = 7
    working_day_rule: WorkingDayRule = WorkingDayRule.NEXT
    on_open: OnOpen = OnOpen.SKIP
    checklist_code: str | None = None
    instructions: str = ""
    estimate_hours: float | None = None
    craft: str | None = None
    priority: Priority = Priority.MEDIUM
    kit: tuple[tuple[str, float], ...] = ()
    blackouts: tuple[Blackout, ...] = field(default=())


@dataclass(frozen=True)
class DueDate:
    """One previewed due date: the day it falls due, the working day it is planned on."""

    due_date: date
    planned_date: date
    by_meter: bool


@dataclass(frozen=True)
class ScheduleView:
    code: str
    asset_code: str
    title: str
    start_date: date
    calendar_every: int | None
    calendar_unit: IntervalUnit | None
    calendar_mode: CalendarMode
    meter_code: str | None
    meter_every: float | None
    lead_days: int
    working_day_rule: WorkingDayRule
    on_open: OnOpen
    checklist_code: str | None
    instructions: str
    estimate_hours: float | None
    craft: str | None
    priority: Priority
    kit: tuple[tuple[str, float], ...]
    blackouts: tuple[Blackout, ...]
    active: bool
    version: int
    next_due: date | None
    next_due_by_meter: bool
    open_order: str | None

    @property
    def interval_text(self) -> str:
        parts = []
        if self.calendar_every is not None and self.calendar_unit is not None:
            unit = self.calendar_unit.value
            unit = unit.removesuffix("s") if self.calendar_every == 1 else unit
            parts.append(f"every {self.calendar_every} {unit} ({self.calendar_mode.value})")
        if self.meter_every is not None:
            parts.append(f"every {self.meter_every:,.10g} on {self.meter_code}")
        return " or ".join(parts) + (", whichever first" if len(parts) == 2 else "")


def schedule_problems(new: NewSchedule) -> dict[str, str]:
    """Field problems that need no database."""
    problems: dict[str, str] = {}
    if not new.code.strip() or len(new.code) > 32 or any(c.isspace() for c in new.code):
        problems["code"] = "1-32 characters without spaces"
    if not new.title.strip() or len(new.title) > 200:
        problems["title"] = "required, at most 200 characters"
    has_calendar = new.calendar_every is not None or new.calendar_unit is not None
    if has_calendar and (new.calendar_every is None or new.calendar_unit is None):
        problems["calendar"] = "give both the number and the unit (e.g. 3 months)"
    elif new.calendar_every is not None and not 0 < new.calendar_every <= 1000:
        problems["calendar"] = "every 1 to 1000 days, weeks, months or years"
    has_meter = new.meter_code is not None or new.meter_every is not None
    if has_meter and (new.meter_code is None or new.meter_every is None):
        problems["meter"] = "give both the meter and the interval (e.g. every 500 h)"
    elif new.meter_every is not None and not (
        math.isfinite(new.meter_every) and new.meter_every > 0
    ):
        problems["meter"] = "the meter interval must be a number more than 0"
    if not has_calendar and not has_meter:
        problems["interval"] = "give a calendar interval, a meter interval, or both"
    if not 0 <= new.lead_days <= MAX_LEAD_DAYS:
        problems["lead_days"] = Phrase("0 to {max_lead_days} days", max_lead_days=MAX_LEAD_DAYS)
    if new.estimate_hours is not None and not 0 < new.estimate_hours <= 10_000:
        problems["estimate_hours"] = "more than 0 and at most 10000"
    parts = [part for part, _ in new.kit]
    if any(not part.strip() for part in parts):
        problems["kit"] = "every kit line needs a part number"
    elif len(set(parts)) != len(parts):
        problems["kit"] = "a part number appears twice; give it once with the total quantity"
    elif any(not (math.isfinite(qty) and qty > 0) for _, qty in new.kit):
        problems["kit"] = "quantities must be numbers more than 0"
    if any(b.last_day < b.first_day for b in new.blackouts):
        problems["blackouts"] = "a blackout ends before it starts"
    return problems


class PMScheduleService:
    def __init__(self, db: Database, clock: Clock = utc_now) -> None:
        self._db = db
        self._clock = clock

    def create(self, actor: Actor, new: NewSchedule) -> ScheduleView:
        require(actor, Action.MANAGE_PM)
        problems = schedule_problems(new)
        with self._db.unit_of_work() as session:
            asset, meter = _references(session, new, problems)
            if session.execute(select(PMSchedule.id).where(PMSchedule.code == new.code)).first():
                problems["code"] = Phrase("a schedule {code} exists already", code=new.code)
            if problems:
                raise ValidationFailed(problems)
            now = self._clock()
            schedule = PMSchedule(
                code=new.code,
                asset=asset,
                title=new.title.strip(),
                instructions=new.instructions,
                checklist_code=new.checklist_code,
                estimate_hours=new.estimate_hours,
                craft=new.craft,
                priority=int(new.priority),
                calendar_every=new.calendar_every,
                calendar_unit=new.calendar_unit,
                calendar_mode=new.calendar_mode,
                start_date=new.start_date,
                meter=meter,
                meter_every=new.meter_every,
                meter_start=meter.total if meter is not None else None,
                lead_days=new.lead_days,
                working_day_rule=new.working_day_rule,
                on_open=new.on_open,
                active=True,
                updated_at=now,
                updated_by_id=actor.user_id,
                parts=[PMKitLine(part_number=p.strip(), quantity=q) for p, q in new.kit],
                blackouts=[
                    PMBlackout(first_day=b.first_day, last_day=b.last_day, reason=b.reason)
                    for b in new.blackouts
                ],
            )
            session.add(schedule)
            session.flush()
            view = self._view(session, schedule)
            audit.record(session, actor, "create", "pm_schedule", new.code, None, _json(view), now)
            return view

    def update(
        self, actor: Actor, code: str, expected_version: int, changes: NewSchedule
    ) -> ScheduleView:
        """Save the schedule form: what to do, how often, how far ahead, the kit.

        The code and the asset stay. Changing the meter counts its interval from the new
        meter's total now; orders already generated keep their dates.
        """
        problems = schedule_problems(changes)
        with self._db.unit_of_work(write=False) as session:
            _references(session, changes, problems)
        problems.pop("code", None)
        if problems:
            raise ValidationFailed(problems)

        def change(schedule: PMSchedule) -> None:
            session = object_session(schedule)
            assert session is not None
            meter = None
            if changes.meter_code is not None:
                meter = session.execute(
                    select(Meter).where(Meter.code == changes.meter_code)
                ).scalar_one()
            if meter is not None and (schedule.meter is None or schedule.meter.id != meter.id):
                schedule.meter_start = meter.total
            elif meter is None:
                schedule.meter_start = None
            schedule.meter = meter
            schedule.title = changes.title.strip()
            schedule.instructions = changes.instructions
            schedule.checklist_code = changes.checklist_code
            schedule.estimate_hours = changes.estimate_hours
            schedule.craft = changes.craft
            schedule.priority = int(changes.priority)
            schedule.calendar_every = changes.calendar_every
            schedule.calendar_unit = changes.calendar_unit
            schedule.calendar_mode = changes.calendar_mode
            schedule.start_date = changes.start_date
            schedule.meter_every = changes.meter_every
            schedule.lead_days = changes.lead_days
            schedule.working_day_rule = changes.working_day_rule
            schedule.on_open = changes.on_open
            kit = {p.strip(): q for p, q in changes.kit}
            for line in list(schedule.parts):
                if line.part_number not in kit:
                    schedule.parts.remove(line)
                else:
                    line.quantity = kit.pop(line.part_number)
            schedule.parts.extend(PMKitLine(part_number=p, quantity=q) for p, q in kit.items())

        return self._change(actor, code, expected_version, change)

    def preview(self, new: NewSchedule, count: int = 5, code: str | None = None) -> list[DueDate]:
        """The next `count` due dates the schedule would get, worked out without saving.

        Picks up after the schedule's last order when `code` is a saved schedule. A floating
        schedule is assumed done on the day it is planned; a meter interval is forecast from
        the meter's recent usage (none while it has too few readings to tell).
        """
        with self._db.unit_of_work(write=False) as session:
            calendar = load_calendar(session)
            meter = None
            if new.meter_code is not None:
                meter = session.execute(
                    select(Meter).where(Meter.code == new.meter_code)
                ).scalar_one_or_none()
            previous = None
            if code is not None:
                saved = session.execute(
                    select(PMSchedule).where(PMSchedule.code == code).options(*_LOAD)
                ).scalar_one_or_none()
                if saved is not None:
                    previous = load_state(session, saved, calendar).previous
            meter_state = None
            if meter is not None:
                meter_state = MeterState(
                    meter.total, meter.last_reading_at, usage_rate(session, meter.id)
                )
        rule = ScheduleRule(
            start_date=new.start_date,
            calendar_every=new.calendar_every,
            calendar_unit=new.calendar_unit,
            calendar_mode=new.calendar_mode,
            meter_every=new.meter_every,
            meter_start=meter.total if meter is not None else None,
            working_day_rule=new.working_day_rule,
            blackouts=new.blackouts,
        )
        dues: list[DueDate] = []
        for _ in range(count):
            upcoming = next_due(rule, previous, meter_state, calendar)
            if upcoming is None:
                break
            dues.append(DueDate(upcoming.due_date, upcoming.planned_date, upcoming.by_meter))
            previous = PreviousDue(
                upcoming.cycle,
                upcoming.due_date,
                upcoming.due_meter,
                completed_on=upcoming.planned_date,
                meter_at_completion=upcoming.due_meter,
            )
        return dues

    def set_active(
        self, actor: Actor, code: str, expected_version: int, active: bool
    ) -> ScheduleView:
        """Pause or resume a schedule; a paused one generates nothing."""
        return self._change(actor, code, expected_version, lambda s: setattr(s, "active", active))

    def add_blackout(
        self, actor: Actor, code: str, expected_version: int, blackout: Blackout
    ) -> ScheduleView:
        if blackout.last_day < blackout.first_day:
            raise ValidationFailed({"blackout": "ends before it starts"})

        def add(schedule: PMSchedule) -> None:
            schedule.blackouts.append(
                PMBlackout(
                    first_day=blackout.first_day, last_day=blackout.last_day, reason=blackout.reason
                )
            )

        return self._change(actor, code, expected_version, add)

    def _change(self, actor: Actor, code: str, expected_version: int, change: Any) -> ScheduleView:
        require(actor, Action.MANAGE_PM)
        with self._db.unit_of_work() as session:
            schedule = self._load(session, code)
            if schedule.version != expected_version:
                raise self._conflict(session, schedule)
            before = _json(self._view(session, schedule))
            change(schedule)
            now = self._clock()
            schedule.updated_at = now
            schedule.updated_by_id = actor.user_id
            try:
                session.flush()
            except StaleDataError:
                session.rollback()
                with self._db.unit_of_work(write=False) as fresh:
                    raise self._conflict(fresh, self._load(fresh, code)) from None
            view = self._view(session, schedule)
            audit.record(session, actor, "update", "pm_schedule", code, before, _json(view), now)
            return view

    @staticmethod
    def _conflict(session: Session, schedule: PMSchedule) -> ConflictError:
        who = session.get(User, schedule.updated_by_id)
        name = who.username if who else "someone"
        return ConflictError(schedule.code, name, schedule.updated_at, schedule.version)

    def get(self, code: str) -> ScheduleView:
        with self._db.unit_of_work(write=False) as session:
            return self._view(session, self._load(session, code))

    def schedules(self, include_inactive: bool = True) -> list[ScheduleView]:
        with self._db.unit_of_work(write=False) as session:
            query = select(PMSchedule).options(*_LOAD).order_by(PMSchedule.code)
            if not include_inactive:
                query = query.where(PMSchedule.active.is_(True))
            calendar = load_calendar(session)
            return [self._view(session, s, calendar) for s in session.execute(query).scalars()]

    @staticmethod
    def _load(session: Session, code: str) -> PMSchedule:
        schedule = session.execute(
            select(PMSchedule).where(PMSchedule.code == code).options(*_LOAD)
        ).scalar_one_or_none()
        if schedule is None:
            raise NotFound(Phrase("no PM schedule {code}", code=code))
        return schedule

    @staticmethod
    def _view(
        session: Session, schedule: PMSchedule, calendar: WorkCalendar | None = None
    ) -> ScheduleView:
        calendar = calendar or load_calendar(session)
        state = load_state(session, schedule, calendar)
        upcoming = next_due(state.rule, state.previous, state.meter, calendar)
        return ScheduleView(
            code=schedule.code,
            asset_code=schedule.asset.code,
            title=schedule.title,
            start_date=schedule.start_date,
            calendar_every=schedule.calendar_every,
            calendar_unit=schedule.calendar_unit,
            calendar_mode=schedule.calendar_mode,
            meter_code=schedule.meter.code if schedule.meter else None,
            meter_every=schedule.meter_every,
            lead_days=schedule.lead_days,
            working_day_rule=schedule.working_day_rule,
            on_open=schedule.on_open,
            checklist_code=schedule.checklist_code,
            instructions=schedule.instructions,
            estimate_hours=schedule.estimate_hours,
            craft=schedule.craft,
            priority=Priority(schedule.priority),
            kit=tuple((line.part_number, line.quantity) for line in schedule.parts),
            blackouts=state.rule.blackouts,
            active=schedule.active,
            version=schedule.version,
            next_due=upcoming.planned_date if upcoming else None,
            next_due_by_meter=upcoming.by_meter if upcoming else False,
            open_order=state.open_order,
        )


def _references(
    session: Session, new: NewSchedule, problems: dict[str, str]
) -> tuple[Asset | None, Meter | None]:
    """The schedule's asset and meter; adds a problem for every reference that does not exist
    (asset, meter, checklist template, craft)."""
    asset = session.execute(select(Asset).where(Asset.code == new.asset_code)).scalar_one_or_none()
    if asset is None:
        problems["asset"] = Phrase("no asset {asset_code}", asset_code=new.asset_code)
    meter = None
    if new.meter_code is not None:
        meter = session.execute(
            select(Meter).where(Meter.code == new.meter_code)
        ).scalar_one_or_none()
        if meter is None:
            problems["meter"] = Phrase("no meter {meter_code}", meter_code=new.meter_code)
    if (
        new.checklist_code is not None
        and not session.execute(
            select(ChecklistTemplate.id).where(
                ChecklistTemplate.code == new.checklist_code,
                ChecklistTemplate.active.is_(True),
            )
        ).first()
    ):
        problems["checklist"] = Phrase(
            "no active checklist template {checklist_code}", checklist_code=new.checklist_code
        )
    if (
        new.craft
        and not session.execute(
            select(User.id).where(User.craft == new.craft, User.active.is_(True))
        ).first()
    ):
        problems["craft"] = Phrase("no active technician of the craft {craft}", craft=new.craft)
    return asset, meter


_LOAD = (
    selectinload(PMSchedule.asset),
    selectinload(PMSchedule.meter),
    selectinload(PMSchedule.parts),
    selectinload(PMSchedule.blackouts),
)


def _json(view: ScheduleView) -> dict[str, Any]:
    return {
        "asset": view.asset_code,
        "title": view.title,
        "start_date": view.start_date.isoformat(),
        "interval": view.interval_text,
        "lead_days": view.lead_days,
        "working_day_rule": view.working_day_rule.value,
        "on_open": view.on_open.value,
        "checklist": view.checklist_code,
        "estimate_hours": view.estimate_hours,
        "craft": view.craft,
        "priority": int(view.priority),
        "kit": [list(line) for line in view.kit],
        "blackouts": [[b.first_day.isoformat(), b.last_day.isoformat()] for b in view.blackouts],
        "active": view.active,
    }
