"""Alarms of condition rules: one incident opens exactly one predictive work order, with evidence.

"Exactly one" holds across workstations: the alarm row claims `open_rule_id` (unique) in the
same transaction that creates the work order, so a second monitor raising the same rule at the
same moment fails on the constraint and its whole transaction, work order included, rolls back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError

from desktop.domain.enums import Origin, Priority, Status, WorkOrderType
from desktop.domain.errors import NotFound
from desktop.domain.incidents import INCIDENT_WINDOW, ancestors_and_self, asset_family
from desktop.domain.lifecycle import OPEN_STATUSES
from desktop.domain.permissions import Action, Actor, require
from desktop.domain.phrases import Phrase
from desktop.services.orders.work_order_records import WorkOrderDraft
from desktop.services.orders.work_orders import WorkOrderService
from desktop.services.shared import attachments, audit
from desktop.services.shared.clock import Clock, utc_now
from desktop.store.condition_models import Alarm, ConditionRule, Tag
from desktop.store.database import lock_machine
from desktop.store.models import Asset, ChecklistResult, DowntimePeriod, User, WorkOrder

if TYPE_CHECKING:
    from datetime import datetime

    from sqlalchemy import ColumnElement
    from sqlalchemy.orm import Session

    from desktop.store.database import Database


@dataclass(frozen=True)
class Evidence:
    """Files attached to the work order: the samples around the trigger, and their plot."""

    csv: bytes
    png: bytes | None = None


@dataclass(frozen=True)
class AlarmView:
    id: int
    rule_id: int
    rule_name: str
    tag_name: str
    asset_code: str
    raised_at: datetime
    measure: float
    message: str
    cleared_at: datetime | None
    work_order_number: str | None
    work_order_status: Status | None
    acknowledged_at: datetime | None
    acknowledged_by: str | None

    @property
    def work_order_open(self) -> bool:
        return self.work_order_status is not None and self.work_order_status.is_open


class AlarmService:
    def __init__(self, db: Database, clock: Clock = utc_now) -> None:
        self._db = db
        self._clock = clock

    def raise_alarm(
        self,
        actor: Actor,
        rule_id: int,
        at: datetime,
        measure: float,
        message: str,
        evidence: Evidence,
    ) -> AlarmView | None:
        """Open the alarm and its predictive work order; None when the rule already has one
        open (raised here or by another workstation).

        One incident, one order: an alarm of another rule on the same machine (the asset, its
        parents or its subtree) within INCIDENT_WINDOW joins that open order and attaches its
        evidence there. While the machine is locked out or in planned downtime the alarm is
        recorded, says why, and opens no order."""
        require(actor, Action.CREATE_WORK_ORDER)
        try:
            with self._db.unit_of_work() as session:
                rule = session.get(ConditionRule, rule_id)
                if rule is None:
                    raise NotFound(Phrase("no rule {rule_id}", rule_id=rule_id))
                tag = session.get(Tag, rule.tag_id)
                assert tag is not None
                # The machine is locked first, so two rules of one machine firing at once on
                # two workstations see each other's order and join it.
                lock_machine(session, tag.asset_id)
                asset = session.get_one(Asset, tag.asset_id)
                self._release_finished(session, rule_id)
                if session.execute(select(Alarm.id).where(Alarm.open_rule_id == rule_id)).first():
                    return None
                asset_code = asset.code
                parents = dict(session.execute(select(Asset.id, Asset.parent_id)).all())
                held = _held_by(session, ancestors_and_self(asset.id, parents), at)
                joined = (
                    None if held else _open_incident(session, asset_family(asset.id, parents), at)
                )
                alarm = Alarm(
                    rule_id=rule_id,
                    # A held alarm opens no order, so it must not block the rule's next one.
                    open_rule_id=None if held else rule_id,
                    raised_at=at,
                    measure=measure,
                    message=message + (f" (no work order: {held})" if held else ""),
                )
                session.add(alarm)
                # The claim goes in first: a concurrent raise fails here, before a number is used.
                session.flush()
                if held or joined is not None:
                    alarm.work_order_id = joined.id if joined is not None else None
                    if joined is not None:
                        self._attach(session, actor, joined, tag.name, at, evidence)
                    number = joined.number if joined is not None else None
                else:
                    draft = WorkOrderDraft(
                        title=f"{rule.name}: {message}"[:200],
                        asset_code=asset_code,
                        type=WorkOrderType.PREDICTIVE,
                        priority=Priority(rule.priority),
                        description=(
                            f"Raised by condition rule {rule.name} on tag {tag.name} at "
                            f"{at.isoformat()}: {message}. The samples around the trigger are "
                            "attached."
                        ),
                        origin=Origin.CONDITION_RULE,
                    )
                    service = WorkOrderService(self._db, self._clock)
                    created = service.create_in(session, actor, draft)
                    alarm.work_order_id = created.work_order.id
                    wo = session.get(WorkOrder, created.work_order.id)
                    assert wo is not None
                    self._attach(session, actor, wo, tag.name, at, evidence)
                    number = created.work_order.number
                after = {
                    "rule": rule.name,
                    "measure": measure,
                    "message": alarm.message,
                    "work_order": number,
                    "joined": joined is not None,
                }
                audit.record(session, actor, "raise", "alarm", alarm.id, None, after, self._clock())
                alarm_id = alarm.id
        except IntegrityError:
            return None
        return self.get(alarm_id)

    def _attach(
        self,
        session: Session,
        actor: Actor,
        wo: WorkOrder,
        tag_name: str,
        at: datetime,
        evidence: Evidence,
    ) -> None:
        stem = f"{tag_name}-{at.strftime('%Y%m%dT%H%M%SZ')}"
        now = self._clock()
        attachments.store(session, actor, wo, f"{stem}.csv", evidence.csv, now)
        if evidence.png is not None:
            attachments.store(session, actor, wo, f"{stem}.png", evidence.png, now)

    @staticmethod
    def _release_finished(session: Session, rule_id: int) -> None:
        """An alarm whose work order is finished no longer blocks the rule."""
        finished = (
            select(WorkOrder.id)
            .where(WorkOrder.id == Alarm.work_order_id)
            .where(WorkOrder.status.not_in(OPEN_STATUSES))
            .exists()
        )
        session.execute(
            update(Alarm)
            .where(Alarm.open_rule_id == rule_id, finished)
            .values(open_rule_id=None)
            .execution_options(synchronize_session=False)
        )

    def clear(self, actor: Actor, rule_id: int, at: datetime) -> bool:
        """The signal is back in band: the rule's newest uncleared alarm gets its clear time.
        The work order stays open; the alarm still blocks a new one until it is finished.
        Whoever may raise a rule's alarm (the monitoring workstation's user) may clear it."""
        require(actor, Action.CREATE_WORK_ORDER)
        with self._db.unit_of_work() as session:
            alarm = session.execute(
                select(Alarm)
                .where(Alarm.rule_id == rule_id, Alarm.cleared_at.is_(None))
                .order_by(Alarm.id.desc())
                .limit(1)
            ).scalar_one_or_none()
            if alarm is None:
                return False
            alarm.cleared_at = at
            audit.record(
                session,
                actor,
                "clear",
                "alarm",
                alarm.id,
                None,
                {"cleared_at": at.isoformat()},
                self._clock(),
            )
            return True

    def acknowledge(self, actor: Actor, alarm_id: int) -> AlarmView:
        require(actor, Action.ACKNOWLEDGE_ALARMS)
        now = self._clock()
        with self._db.unit_of_work() as session:
            alarm = session.get(Alarm, alarm_id)
            if alarm is None:
                raise NotFound(Phrase("no alarm {alarm_id}", alarm_id=alarm_id))
            if alarm.acknowledged_at is None:
                alarm.acknowledged_at = now
                alarm.acknowledged_by_id = actor.user_id
                audit.record(
                    session,
                    actor,
                    "acknowledge",
                    "alarm",
                    alarm.id,
                    None,
                    {"acknowledged_at": now.isoformat()},
                    now,
                )
        return self.get(alarm_id)

    def get(self, alarm_id: int) -> AlarmView:
        views = self._views(Alarm.id == alarm_id, limit=1)
        if not views:
            raise NotFound(Phrase("no alarm {alarm_id}", alarm_id=alarm_id))
        return views[0]

    def alarms(self, unacknowledged_only: bool = False, limit: int = 500) -> list[AlarmView]:
        """Newest first."""
        condition = Alarm.acknowledged_at.is_(None) if unacknowledged_only else None
        return self._views(condition, limit)

    def _views(self, condition: ColumnElement[bool] | None, limit: int) -> list[AlarmView]:
        with self._db.unit_of_work(write=False) as session:
            query = (
                select(Alarm, ConditionRule.name, Tag.name, Asset.code, WorkOrder, User.username)
                .join(ConditionRule, ConditionRule.id == Alarm.rule_id)
                .join(Tag, Tag.id == ConditionRule.tag_id)
                .join(Asset, Asset.id == Tag.asset_id)
                .outerjoin(WorkOrder, WorkOrder.id == Alarm.work_order_id)
                .outerjoin(User, User.id == Alarm.acknowledged_by_id)
                .order_by(Alarm.id.desc())
                .limit(limit)
            )
            if condition is not None:
                query = query.where(condition)
            return [
                AlarmView(
                    a.id,
                    a.rule_id,
                    rule_name,
                    tag_name,
                    code,
                    a.raised_at,
                    a.measure,
                    a.message,
                    a.cleared_at,
                    wo.number if wo else None,
                    wo.status if wo else None,
                    a.acknowledged_at,
                    who,
                )
                for a, rule_name, tag_name, code, wo, who in session.execute(query)
            ]


def _open_incident(session: Session, family: frozenset[int], at: datetime) -> WorkOrder | None:
    """The open rule order on the same machine raised within the incident window, if any."""
    # The window runs on the alarms' own (machine) times, not on when the order was saved.
    return (
        session.execute(
            select(WorkOrder)
            .join(Alarm, Alarm.work_order_id == WorkOrder.id)
            .where(
                WorkOrder.asset_id.in_(family),
                WorkOrder.origin == Origin.CONDITION_RULE,
                WorkOrder.status.in_(OPEN_STATUSES),
                Alarm.raised_at >= at - INCIDENT_WINDOW,
                Alarm.raised_at <= at + INCIDENT_WINDOW,
            )
            .order_by(WorkOrder.id)
            .limit(1)
        )
        .scalars()
        .first()
    )


def _held_by(session: Session, covering: frozenset[int], at: datetime) -> str | None:
    """Why no rule order may open now: the machine is locked out for work or stopped on
    purpose, so its readings say nothing about its condition. None when it may."""
    planned = session.execute(
        select(WorkOrder.number)
        .join(DowntimePeriod, DowntimePeriod.work_order_id == WorkOrder.id)
        .where(
            DowntimePeriod.asset_id.in_(covering),
            DowntimePeriod.planned.is_(True),
            DowntimePeriod.start <= at,
            or_(DowntimePeriod.end.is_(None), DowntimePeriod.end > at),
        )
        .limit(1)
    ).scalar()
    if planned:
        return f"planned downtime under {planned}"
    locked = session.execute(
        select(WorkOrder.number)
        .join(ChecklistResult, ChecklistResult.work_order_id == WorkOrder.id)
        .where(
            WorkOrder.asset_id.in_(covering),
            WorkOrder.status == Status.IN_PROGRESS,
            ChecklistResult.safety.is_(True),
        )
        .limit(1)
    ).scalar()
    return f"locked out under {locked}" if locked else None
