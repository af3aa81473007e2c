"""Shift handover drafted from the plant's own records at each shift's end.

The outgoing crew should not have to remember what happened: the stops and how long they
lasted, the alarms, the emergencies still open, the orders waiting for parts and the parts
drawn are read from the records of the shift's window and frozen into the handover when it is
drafted. The outgoing shift adds its notes; the incoming shift acknowledges with a PIN on the
display. Drafting is idempotent (one handover per shift window), so every workstation and the
monitoring service may try it.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from desktop.domain.enums import HoldReason, Priority, Status, WorkOrderType
from desktop.domain.errors import ConflictError, NotFound, ValidationFailed
from desktop.domain.permissions import Action, Actor, require
from desktop.domain.phrases import Phrase
from desktop.domain.shifts import ShiftWindow, ended_between
from desktop.services.admin.users import UserService
from desktop.services.assets.site_calendar import load_calendar
from desktop.services.orders.machine_downtime import MACHINE_STOP
from desktop.services.shared import audit
from desktop.services.shared.clock import Clock, utc_now
from desktop.store.condition_models import Alarm, ConditionRule, Tag
from desktop.store.inventory_models import Part, StockMovement
from desktop.store.models import Asset, DowntimePeriod, User, WorkOrder
from desktop.store.notification_models import ShiftHandover

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from desktop.store.database import Database

LOOK_BACK = timedelta(days=2)
"""How far back a drafting run looks for shifts that ended without a handover."""


@dataclass(frozen=True)
class StopLine:
    asset: str
    start: str
    end: str | None
    minutes: float
    reason: str | None
    work_order: str | None


@dataclass(frozen=True)
class AlarmLine:
    at: str
    asset: str
    rule: str
    message: str
    work_order: str | None


@dataclass(frozen=True)
class OrderLine:
    number: str
    title: str
    asset: str
    status: str


@dataclass(frozen=True)
class PartLine:
    part: str
    description: str
    quantity: float
    work_order: str | None


@dataclass(frozen=True)
class HandoverFigures:
    stops: tuple[StopLine, ...]
    stopped_minutes: float
    alarms: tuple[AlarmLine, ...]
    emergencies_open: tuple[OrderLine, ...]
    on_hold_for_parts: tuple[OrderLine, ...]
    parts_drawn: tuple[PartLine, ...]


@dataclass(frozen=True)
class HandoverView:
    id: int
    label: str
    shift_start: datetime
    shift_end: datetime
    drafted_at: datetime
    figures: HandoverFigures
    notes: str
    notes_by: str | None
    notes_at: datetime | None
    acknowledged_by: str | None
    acknowledged_at: datetime | None
    version: int


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


class ShiftHandoverService:
    def __init__(self, db: Database, clock: Clock = utc_now) -> None:
        self._db = db
        self._clock = clock

    def draft_due(self) -> list[HandoverView]:
        """Draft the handover of every shift that ended lately without one; returns the new."""
        now = self._clock()
        with self._db.unit_of_work(write=False) as session:
            windows = ended_between(load_calendar(session), now - LOOK_BACK, now)
            have = set(
                session.execute(
                    select(ShiftHandover.shift_start, ShiftHandover.shift_end).where(
                        ShiftHandover.shift_end > now - LOOK_BACK - timedelta(days=1)
                    )
                ).all()
            )
        drafted = []
        for window in windows:
            if (window.start, window.end) in have:
                continue
            view = self._draft(window, now)
            if view is not None:
                drafted.append(view)
        return drafted

    def _draft(self, window: ShiftWindow, now: datetime) -> HandoverView | None:
        try:
            with self._db.unit_of_work() as session:
                figures = self.figures(session, window.start, window.end)
                row = ShiftHandover(
                    shift_start=window.start,
                    shift_end=window.end,
                    label=window.label,
                    drafted_at=now,
                    figures_json=json.dumps(asdict(figures), sort_keys=True),
                    notes="",
                )
                session.add(row)
                session.flush()
                after = {"shift": window.label, "figures": asdict(figures)}
                audit.record(session, None, "draft", "shift_handover", row.id, None, after, now)
                handover_id = row.id
        except IntegrityError:
            return None  # another process drafted this shift a moment ago
        return self.get(handover_id)

    @staticmethod
    def figures(session: Session, start: datetime, end: datetime) -> HandoverFigures:
        """What happened in [start, end), read from the records."""
        stops = []
        stopped = 0.0
        for period, code, number in session.execute(
            select(DowntimePeriod, Asset.code, WorkOrder.number)
            .join(Asset, Asset.id == DowntimePeriod.asset_id)
            .outerjoin(WorkOrder, WorkOrder.id == DowntimePeriod.work_order_id)
            .where(
                DowntimePeriod.reason_code == MACHINE_STOP,
                DowntimePeriod.start < end,
                or_(DowntimePeriod.end.is_(None), DowntimePeriod.end > start),
            )
            .order_by(DowntimePeriod.start)
        ):
            # Only the part of the stop inside the shift counts towards its minutes.
            until = min(period.end or end, end)
            minutes = round((until - max(period.start, start)).total_seconds() / 60, 1)
            stopped += minutes
            ongoing = period.end is None or period.end > end
            stops.append(
                StopLine(
                    code,
                    period.start.isoformat(),
                    None if ongoing else _iso(period.end),
                    minutes,
                    period.stop_reason,
                    number,
                )
            )
        alarms = [
            AlarmLine(alarm.raised_at.isoformat(), code, rule, alarm.message, number)
            for alarm, code, rule, number in session.execute(
                select(Alarm, Asset.code, ConditionRule.name, WorkOrder.number)
                .join(ConditionRule, ConditionRule.id == Alarm.rule_id)
                .join(Tag, Tag.id == ConditionRule.tag_id)
                .join(Asset, Asset.id == Tag.asset_id)
                .outerjoin(WorkOrder, WorkOrder.id == Alarm.work_order_id)
                .where(Alarm.raised_at >= start, Alarm.raised_at < end)
                .order_by(Alarm.raised_at)
            )
        ]
        open_at_end = and_(
            WorkOrder.requested_at < end,
            or_(WorkOrder.completed_at.is_(None), WorkOrder.completed_at >= end),
            or_(WorkOrder.cancelled_at.is_(None), WorkOrder.cancelled_at >= end),
        )
        emergencies = _orders(
            session,
            and_(
                open_at_end,
                or_(
                    WorkOrder.type == WorkOrderType.EMERGENCY,
                    WorkOrder.priority == int(Priority.EMERGENCY),
                ),
            ),
        )
        # The hold is read as it stands now: the history of holds is not kept per reason.
        on_hold = _orders(
            session,
            and_(WorkOrder.status == Status.ON_HOLD, WorkOrder.hold_reason == HoldReason.PARTS),
        )
        parts = [
            PartLine(number_, description, -quantity, wo)
            for number_, description, quantity, wo in session.execute(
                select(Part.number, Part.description, StockMovement.quantity, WorkOrder.number)
                .join(Part, Part.id == StockMovement.part_id)
                .outerjoin(WorkOrder, WorkOrder.id == StockMovement.work_order_id)
                .where(
                    StockMovement.kind == "issue",
                    StockMovement.at >= start,
                    StockMovement.at < end,
                )
                .order_by(StockMovement.id)
            )
        ]
        return HandoverFigures(
            tuple(stops),
            round(stopped, 1),
            tuple(alarms),
            emergencies,
            on_hold,
            tuple(parts),
        )

    def add_notes(self, actor: Actor, handover_id: int, notes: str, expected_version: int) -> None:
        """The outgoing shift's notes; refused once the incoming shift has acknowledged."""
        require(actor, Action.LOG_WORK)
        if len(notes) > 20_000:
            raise ValidationFailed({"notes": "at most 20,000 characters"})
        now = self._clock()
        with self._db.unit_of_work() as session:
            row = self._load(session, handover_id)
            if row.acknowledged_at is not None:
                raise ValidationFailed(
                    {
                        "notes": "the incoming shift has acknowledged this handover: add to the "
                        "next one"
                    }
                )
            if row.version != expected_version:
                editor = session.get(User, row.notes_by_id) if row.notes_by_id else None
                raise ConflictError(
                    row.label,
                    editor.username if editor else "system",
                    row.notes_at or row.drafted_at,
                    row.version,
                )
            before = {"notes": row.notes}
            row.notes, row.notes_by_id, row.notes_at = notes, actor.user_id, now
            try:
                session.flush()
            except StaleDataError:
                raise ConflictError(row.label, "another user", now, row.version) from None
            audit.record(
                session, actor, "notes", "shift_handover", row.id, before, {"notes": notes}, now
            )

    def acknowledge(self, username: str, pin: str, handover_id: int) -> HandoverView:
        """The incoming shift takes the handover over with a PIN, once."""
        actor = UserService(self._db, self._clock).authenticate_pin(username, pin)
        require(actor, Action.RAISE_BREAKDOWN_REQUEST)
        now = self._clock()
        with self._db.unit_of_work() as session:
            row = self._load(session, handover_id)
            if row.acknowledged_at is not None:
                raise ValidationFailed(
                    {"handover": Phrase("{label} was acknowledged already", label=row.label)}
                )
            if row.notes_by_id == actor.user_id:
                raise ValidationFailed(
                    {"handover": "the incoming shift acknowledges: not who wrote the notes"}
                )
            row.acknowledged_by_id, row.acknowledged_at = actor.user_id, now
            audit.record(
                session,
                actor,
                "acknowledge",
                "shift_handover",
                row.id,
                None,
                {"shift": row.label},
                now,
            )
        return self.get(handover_id)

    def get(self, handover_id: int) -> HandoverView:
        with self._db.unit_of_work(write=False) as session:
            return self._view(session, self._load(session, handover_id))

    def recent(self, limit: int = 30) -> list[HandoverView]:
        with self._db.unit_of_work(write=False) as session:
            rows = session.scalars(
                select(ShiftHandover).order_by(ShiftHandover.shift_end.desc()).limit(limit)
            ).all()
            return [self._view(session, row) for row in rows]

    @staticmethod
    def _load(session: Session, handover_id: int) -> ShiftHandover:
        row = session.get(ShiftHandover, handover_id)
        if row is None:
            raise NotFound(Phrase("no shift handover {handover_id}", handover_id=handover_id))
        return row

    @staticmethod
    def _view(session: Session, row: ShiftHandover) -> HandoverView:
        def name(user_id: int | None) -> str | None:
            user = session.get(User, user_id) if user_id else None
            return user.username if user else None

        return HandoverView(
            row.id,
            row.label,
            row.shift_start,
            row.shift_end,
            row.drafted_at,
            _figures(json.loads(row.figures_json)),
            row.notes,
            name(row.notes_by_id),
            row.notes_at,
            name(row.acknowledged_by_id),
            row.acknowledged_at,
            row.version,
        )


def _orders(session: Session, where: Any) -> tuple[OrderLine, ...]:
    return tuple(
        OrderLine(number, title, code, str(status))
        for number, title, code, status in session.execute(
            select(WorkOrder.number, WorkOrder.title, Asset.code, WorkOrder.status)
            .join(Asset, Asset.id == WorkOrder.asset_id)
            .where(where)
            .order_by(WorkOrder.number)
        )
    )


def _figures(data: dict[str, Any]) -> HandoverFigures:
    return HandoverFigures(
        tuple(StopLine(**line) for line in data["stops"]),
        data["stopped_minutes"],
        tuple(AlarmLine(**line) for line in data["alarms"]),
        tuple(OrderLine(**line) for line in data["emergencies_open"]),
        tuple(OrderLine(**line) for line in data["on_hold_for_parts"]),
        tuple(PartLine(**line) for line in data["parts_drawn"]),
    )
