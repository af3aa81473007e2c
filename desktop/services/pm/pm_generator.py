"""The PM generator: creates the preventive work orders due within each schedule's lead time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from desktop.domain.enums import Origin, Priority, WorkOrderType
from desktop.domain.permissions import Action, Actor, require
from desktop.domain.pm_due import next_due
from desktop.domain.pm_rules import OccurrenceState, OnOpen
from desktop.services.assets.site_calendar import load_calendar
from desktop.services.orders.work_order_records import WorkOrderDraft
from desktop.services.orders.work_orders import WorkOrderService
from desktop.services.pm.pm_state import load_state
from desktop.services.shared import audit
from desktop.services.shared.clock import Clock, utc_now
from desktop.services.stock import reservations
from desktop.store.pm_models import PMOccurrence, PMSchedule

if TYPE_CHECKING:
    from datetime import date, datetime

    from sqlalchemy.orm import Session

    from desktop.domain.pm_due import NextDue
    from desktop.domain.work_calendar import WorkCalendar
    from desktop.store.database import Database

# Occurrences one schedule may produce in one run: a daily schedule caught up after a year
# away, and a bound against a calendar bug looping for ever.
MAX_PER_SCHEDULE = 400


@dataclass(frozen=True)
class GeneratedOrder:
    schedule: str
    asset_code: str
    number: str | None
    due_date: date
    planned_date: date
    due_at: datetime
    state: OccurrenceState
    note: str = ""


@dataclass(frozen=True)
class RunResult:
    until: date
    occurrences: tuple[GeneratedOrder, ...]

    @property
    def created(self) -> tuple[GeneratedOrder, ...]:
        return tuple(o for o in self.occurrences if o.state is OccurrenceState.GENERATED)

    @property
    def skipped(self) -> tuple[GeneratedOrder, ...]:
        return tuple(o for o in self.occurrences if o.state is OccurrenceState.SKIPPED)


def _description(schedule: PMSchedule, due: NextDue) -> str:
    lines = [schedule.instructions.strip()] if schedule.instructions.strip() else []
    lines.append(f"PM schedule {schedule.code}, due {due.due_date.isoformat()}")
    if due.due_meter is not None and schedule.meter is not None:
        lines[-1] += f" or at {due.due_meter:g} {schedule.meter.unit} on {schedule.meter.code}"
    if schedule.parts:
        lines.append("Parts kit:")
        lines += [f"- {line.part_number} × {line.quantity:g}" for line in schedule.parts]
    return "\n".join(lines)


class PMGenerator:
    """Safe to run from several workstations at once.

    Each due date is one unit of work that inserts its occurrence row first: the unique key
    (schedule, due date) lets exactly one transaction through, and the loser's whole unit of
    work (its work order and audit entry included) rolls back. Inserting that row before the
    work-order number and the audit head are locked keeps PostgreSQL free of lock cycles.
    """

    def __init__(self, db: Database, clock: Clock = utc_now) -> None:
        self._db = db
        self._clock = clock
        self._orders = WorkOrderService(db, clock)

    def run(self, actor: Actor, until: date | None = None) -> RunResult:
        """Generate everything due on or before `until` (default: the site's today) + lead."""
        require(actor, Action.RUN_PM)
        with self._db.unit_of_work(write=False) as session:
            calendar = load_calendar(session)
            codes = list(
                session.execute(
                    select(PMSchedule.code)
                    .where(PMSchedule.active.is_(True))
                    .order_by(PMSchedule.code)
                ).scalars()
            )
        until = until or calendar.local_date(self._clock())
        done: list[GeneratedOrder] = []
        for code in codes:
            for _ in range(MAX_PER_SCHEDULE):
                try:
                    with self._db.unit_of_work() as session:
                        step = self._step(session, actor, calendar, code, until)
                except IntegrityError:
                    # Another generator took this due date first; look again from its result.
                    continue
                if step is None:
                    break
                done.append(step)
        return RunResult(until, tuple(done))

    def _step(
        self, session: Session, actor: Actor, calendar: WorkCalendar, code: str, until: date
    ) -> GeneratedOrder | None:
        """Handle the schedule's next due date if it is within reach; None when nothing is."""
        schedule = session.execute(
            select(PMSchedule)
            .where(PMSchedule.code == code, PMSchedule.active.is_(True))
            .options(
                selectinload(PMSchedule.parts),
                selectinload(PMSchedule.blackouts),
                selectinload(PMSchedule.meter),
                selectinload(PMSchedule.asset),
            )
        ).scalar_one_or_none()
        if schedule is None:
            return None
        state = load_state(session, schedule, calendar)
        due = next_due(state.rule, state.previous, state.meter, calendar)
        if due is None or due.planned_date > until + timedelta(days=schedule.lead_days):
            return None
        if state.open_order is not None and state.rule.waits_for_completion:
            return None
        note = ""
        if state.open_order is not None and schedule.on_open is OnOpen.SKIP:
            note = f"skipped: {state.open_order} is still open"
        elif state.previous_planned is not None and due.planned_date <= state.previous_planned:
            # A blackout or a shutdown pushed several due dates onto one day: one order will do.
            note = f"skipped: moved onto {due.planned_date} like the due date before it"
        skip = bool(note)
        now = self._clock()
        occurrence = PMOccurrence(
            schedule_id=schedule.id,
            cycle=due.cycle,
            due_date=due.due_date,
            planned_date=due.planned_date,
            due_meter=due.due_meter,
            interval_days=due.interval_days,
            state=OccurrenceState.SKIPPED if skip else OccurrenceState.GENERATED,
            created_at=now,
        )
        session.add(occurrence)
        session.flush()
        due_at = calendar.end_of_day(due.planned_date)
        if skip:
            audit.record(
                session,
                actor,
                "skip",
                "pm_schedule",
                code,
                None,
                {"due_date": due.due_date.isoformat(), "reason": note},
                now,
            )
            return GeneratedOrder(
                code,
                schedule.asset.code,
                None,
                due.due_date,
                due.planned_date,
                due_at,
                OccurrenceState.SKIPPED,
                note,
            )
        draft = WorkOrderDraft(
            title=schedule.title,
            asset_code=schedule.asset.code,
            type=WorkOrderType.PREVENTIVE,
            priority=Priority(schedule.priority),
            description=_description(schedule, due),
            due_at=due_at,
            estimate_hours=schedule.estimate_hours,
            origin=Origin.PM_SCHEDULE,
            checklist_codes=(schedule.checklist_code,) if schedule.checklist_code else (),
        )
        created = self._orders.create_in(session, actor, draft).work_order
        reservations.plan_kit(
            session, created.id, [(line.part_number, line.quantity) for line in schedule.parts]
        )
        occurrence.work_order_id = created.id
        return GeneratedOrder(
            code,
            schedule.asset.code,
            created.number,
            due.due_date,
            due.planned_date,
            due_at,
            OccurrenceState.GENERATED,
        )
