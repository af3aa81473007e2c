"""The planning view of preventive work: what is due when, the load per craft, rescheduling."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from desktop.domain.enums import Role, Status
from desktop.domain.errors import NotFound, ValidationFailed
from desktop.domain.lifecycle import OPEN_STATUSES
from desktop.domain.permissions import Action, require
from desktop.domain.phrases import Phrase
from desktop.domain.pm_due import PreviousDue, next_due
from desktop.services.assets.site_calendar import load_calendar
from desktop.services.orders.work_orders import WorkOrderService
from desktop.services.pm.pm_state import load_state
from desktop.services.shared.clock import Clock, utc_now
from desktop.store.models import Assignment, User, WorkOrder
from desktop.store.pm_models import PMOccurrence, PMSchedule

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from desktop.domain.permissions import Actor
    from desktop.domain.work_calendar import WorkCalendar
    from desktop.services.orders.work_order_records import WorkOrderRow
    from desktop.store.database import Database

# Forecast steps per schedule: a daily schedule over a year, with room to spare.
MAX_FORECAST_STEPS = 500
NO_CRAFT = "(no craft)"


@dataclass(frozen=True)
class PlannedPM:
    """One piece of preventive work on the planning calendar: an open order or a forecast."""

    schedule: str
    asset_code: str
    title: str
    craft: str | None
    hours: float
    day: date
    due_date: date
    work_order: str | None
    version: int | None
    status: Status | None
    by_meter: bool
    technicians: tuple[str, ...] = ()

    @property
    def is_forecast(self) -> bool:
        return self.work_order is None


@dataclass(frozen=True)
class DayLoad:
    """Planned hours against capacity of one craft or technician on one day."""

    day: date
    group: str
    planned_hours: float
    capacity_hours: float

    @property
    def overloaded(self) -> bool:
        return self.planned_hours > self.capacity_hours


class PMPlanningService:
    def __init__(self, db: Database, clock: Clock = utc_now) -> None:
        self._db = db
        self._clock = clock

    def forecast(self, start: date, end: date) -> list[PlannedPM]:
        """Open PM orders planned in [start, end] and the due dates the schedules will bring.

        An order counts on its scheduled start day when it has one, else on its due day. The
        forecast assumes each order is done on its day, as a planner plans it.
        """
        with self._db.unit_of_work(write=False) as session:
            calendar = load_calendar(session)
            items = self._open_orders(session, calendar, start, end)
            schedules = session.execute(
                select(PMSchedule)
                .where(PMSchedule.active.is_(True))
                .options(
                    selectinload(PMSchedule.asset),
                    selectinload(PMSchedule.meter),
                    selectinload(PMSchedule.blackouts),
                )
                .order_by(PMSchedule.code)
            ).scalars()
            for schedule in schedules:
                items += self._forecast_schedule(session, calendar, schedule, start, end)
        return sorted(items, key=lambda p: (p.day, p.schedule, p.due_date))

    def _open_orders(
        self, session: Session, calendar: WorkCalendar, start: date, end: date
    ) -> list[PlannedPM]:
        rows = session.execute(
            select(PMOccurrence, PMSchedule, WorkOrder)
            .join(PMSchedule, PMSchedule.id == PMOccurrence.schedule_id)
            .join(WorkOrder, WorkOrder.id == PMOccurrence.work_order_id)
            .where(WorkOrder.status.in_(OPEN_STATUSES))
            .options(selectinload(WorkOrder.assignees).selectinload(Assignment.user))
        ).all()
        items = []
        for occurrence, schedule, wo in rows:
            when = wo.scheduled_start or wo.due_at
            day = calendar.local_date(when) if when else occurrence.planned_date
            if not start <= day <= end:
                continue
            items.append(
                PlannedPM(
                    schedule=schedule.code,
                    asset_code=schedule.asset.code,
                    title=wo.title,
                    craft=schedule.craft,
                    hours=wo.estimate_hours or 0.0,
                    day=day,
                    due_date=occurrence.due_date,
                    work_order=wo.number,
                    version=wo.version,
                    status=wo.status,
                    by_meter=False,
                    technicians=tuple(a.user.username for a in wo.assignees),
                )
            )
        return items

    @staticmethod
    def _forecast_schedule(
        session: Session, calendar: WorkCalendar, schedule: PMSchedule, start: date, end: date
    ) -> list[PlannedPM]:
        state = load_state(session, schedule, calendar)
        previous, meter = state.previous, state.meter
        items = []
        for _ in range(MAX_FORECAST_STEPS):
            due = next_due(state.rule, previous, meter, calendar)
            if due is None or due.planned_date > end:
                break
            if due.planned_date >= start:
                items.append(
                    PlannedPM(
                        schedule=schedule.code,
                        asset_code=schedule.asset.code,
                        title=schedule.title,
                        craft=schedule.craft,
                        hours=schedule.estimate_hours or 0.0,
                        day=due.planned_date,
                        due_date=due.due_date,
                        work_order=None,
                        version=None,
                        status=None,
                        by_meter=due.by_meter,
                    )
                )
            previous = PreviousDue(
                due.cycle, due.due_date, due.due_meter, due.planned_date, due.due_meter
            )
            if meter is not None:
                # Later targets lie beyond today's total: they are forecast, not reached.
                meter = replace(meter, target_reached_at=None)
        return items

    def load(self, start: date, end: date, by: str = "craft") -> list[DayLoad]:
        """Hours of PM work per day and craft (or technician) against the crew's capacity.

        Capacity of a technician on a working day is their weekly hours spread over the
        site's working weekdays; on a day off it is 0. Work without an assignee counts
        against its craft when planning by technician (shown as "<craft> (unassigned)").
        """
        if by not in ("craft", "technician"):
            raise ValidationFailed({"by": "craft or technician"})
        items = self.forecast(start, end)
        with self._db.unit_of_work(write=False) as session:
            calendar = load_calendar(session)
            crew = session.execute(
                select(User.username, User.craft, User.weekly_hours).where(
                    User.active.is_(True), User.role == Role.TECHNICIAN
                )
            ).all()
        planned: dict[tuple[date, str], float] = defaultdict(float)
        for item in items:
            if by == "technician" and item.technicians:
                for name in item.technicians:
                    planned[item.day, name] += item.hours / len(item.technicians)
            else:
                group = item.craft or NO_CRAFT
                key = group if by == "craft" else f"{group} (unassigned)"
                planned[item.day, key] += item.hours
        capacity: dict[tuple[date, str], float] = defaultdict(float)
        per_week = max(len(calendar.working_weekdays), 1)
        day = start
        while day <= end:
            if calendar.is_working_day(day):
                for username, craft, weekly in crew:
                    key = (day, username if by == "technician" else craft or NO_CRAFT)
                    capacity[key] += weekly / per_week
            day += timedelta(days=1)
        # Every group on every day, so a calendar grid needs no gaps filled in.
        crew_groups = {name if by == "technician" else craft or NO_CRAFT for name, craft, _ in crew}
        groups = sorted({g for _, g in planned} | crew_groups)
        days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
        return [
            DayLoad(d, g, round(planned[d, g], 2), round(capacity[d, g], 2))
            for d in days
            for g in groups
        ]

    def reschedule(
        self, actor: Actor, number: str, expected_version: int, day: date
    ) -> WorkOrderRow:
        """Plan a PM order for another day (the calendar's drag and drop).

        Moves the scheduled start to the first shift of `day`, never the due date: PM
        compliance is measured against the due date the schedule set. Refused on days off
        and inside the schedule's blackout windows.
        """
        # The role first: a user who may not plan is told so, not that the day is off.
        require(actor, Action.EDIT_WORK_ORDER)
        with self._db.unit_of_work(write=False) as session:
            calendar = load_calendar(session)
            found = session.execute(
                select(WorkOrder.estimate_hours, PMSchedule)
                .join(PMOccurrence, PMOccurrence.work_order_id == WorkOrder.id)
                .join(PMSchedule, PMSchedule.id == PMOccurrence.schedule_id)
                .where(WorkOrder.number == number)
                .options(selectinload(PMSchedule.blackouts))
            ).first()
            if found is None:
                raise NotFound(Phrase("{number} is not an order of a PM schedule", number=number))
            estimate, schedule = found
            blackouts = [(b.first_day, b.last_day, b.reason) for b in schedule.blackouts]
        why = calendar.why_not_working(day)
        if why:
            raise ValidationFailed(
                {"day": Phrase("{day} is not a working day ({why})", day=day, why=why)}
            )
        for first, last, reason in blackouts:
            if first <= day <= last:
                label = f" ({reason})" if reason else ""
                raise ValidationFailed(
                    {
                        "day": Phrase(
                            "{day} is in a blackout of {code}{label}: {first}–{last}",
                            day=day,
                            code=schedule.code,
                            label=label,
                            first=first,
                            last=last,
                        )
                    }
                )
        shift = min(calendar.shifts, key=lambda s: s.start)
        begin = datetime.combine(day, shift.start, tzinfo=calendar.zone)
        hours = estimate or shift.hours
        changes = {"scheduled_start": begin, "scheduled_end": begin + timedelta(hours=hours)}
        return WorkOrderService(self._db, self._clock).update(
            actor, number, expected_version, changes
        )
