"""Downtime periods taken from a machine's running state: every stop, with or without an order.

A stop opens an unplanned period at the machine's timestamp, charged to the asset's open
corrective or emergency work order when there is one and kept on the asset alone when there is
not, so availability and the asset history see every stop; the restart ends it. An operator
codes the stop's reason on the display with a PIN, and a long stop of a critical asset with no
order is offered as a pre-filled breakdown request, which then takes the period over.

The asset row is locked (BEGIN IMMEDIATE on SQLite) before the check for an open period, so two
monitoring processes that see the same stop open one period between them, and a stop sent
again after a reconnect is ignored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import or_, select

from desktop.domain.enums import Criticality, WorkOrderType
from desktop.domain.errors import NotFound, ValidationFailed
from desktop.domain.lifecycle import OPEN_STATUSES
from desktop.domain.permissions import Action, Actor, require
from desktop.domain.phrases import Phrase
from desktop.domain.stop_reasons import BY_CODE
from desktop.services.admin.users import UserService
from desktop.services.orders.work_order_records import DowntimeView
from desktop.services.shared import audit
from desktop.services.shared.clock import Clock, utc_now
from desktop.store.database import lock_machine
from desktop.store.models import Asset, DowntimePeriod, User, WorkOrder

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from desktop.store.database import Database

MACHINE_STOP = "machine stop"
LONG_STOP = timedelta(minutes=10)
"""A stop of a criticality-A asset this long, with no order, is offered as a breakdown request."""


@dataclass(frozen=True)
class StopView:
    id: int
    asset_code: str
    asset_name: str
    criticality: Criticality
    start: datetime
    end: datetime | None
    duration: timedelta
    """Up to now while the machine is still stopped."""
    work_order: str | None
    reason: str | None
    coded_by: str | None


_REPAIRS = (WorkOrderType.EMERGENCY, WorkOrderType.CORRECTIVE)


class MachineDowntimeService:
    def __init__(self, db: Database, clock: Clock = utc_now) -> None:
        self._db = db
        self._clock = clock

    def machine_stopped(self, actor: Actor, asset_code: str, at: datetime) -> DowntimeView | None:
        """Open a period at `at`; None when one is already open or was already recorded for this
        stop. It is charged to the asset's open repair order, if it has one."""
        require(actor, Action.LOG_WORK)
        with self._db.unit_of_work() as session:
            asset = self._lock_asset(session, asset_code)
            already = session.execute(
                select(DowntimePeriod.id).where(
                    DowntimePeriod.asset_id == asset.id,
                    DowntimePeriod.reason_code == MACHINE_STOP,
                    (DowntimePeriod.end.is_(None)) | (DowntimePeriod.start == at),
                )
            ).first()
            if already is not None:
                return None
            orders = session.execute(
                select(WorkOrder)
                .where(
                    WorkOrder.asset_id == asset.id,
                    WorkOrder.type.in_(_REPAIRS),
                    WorkOrder.status.in_(OPEN_STATUSES),
                )
                .order_by(WorkOrder.id.desc())
            ).scalars()
            # An emergency is the stop's most likely cause; otherwise the newest repair.
            wo = min(orders, key=lambda w: w.type is not WorkOrderType.EMERGENCY, default=None)
            period = DowntimePeriod(
                work_order_id=wo.id if wo is not None else None,
                asset_id=asset.id,
                start=at,
                end=None,
                planned=False,
                reason_code=MACHINE_STOP,
            )
            session.add(period)
            if wo is not None:
                wo.asset_down = True
            session.flush()
            view = DowntimeView(period.id, at, None, False, MACHINE_STOP)
            after = {
                "asset": asset_code,
                "start": at.isoformat(),
                "reason": MACHINE_STOP,
                "period": period.id,
            }
            entity = ("work_order", wo.number) if wo is not None else ("asset", asset_code)
            audit.record(session, actor, "machine stop", *entity, None, after, self._clock())
            return view

    def machine_started(self, actor: Actor, asset_code: str, at: datetime) -> int:
        """End the asset's open machine-stop period at `at`; returns how many were ended (0 when
        none was open, or when `at` is not after its start)."""
        require(actor, Action.LOG_WORK)
        with self._db.unit_of_work() as session:
            asset = self._lock_asset(session, asset_code)
            rows = session.execute(
                select(DowntimePeriod, WorkOrder.number)
                .outerjoin(WorkOrder, WorkOrder.id == DowntimePeriod.work_order_id)
                .where(
                    DowntimePeriod.asset_id == asset.id,
                    DowntimePeriod.reason_code == MACHINE_STOP,
                    DowntimePeriod.end.is_(None),
                    DowntimePeriod.start < at,
                )
            ).all()
            for period, number in rows:
                period.end = at
                after = {
                    "asset": asset_code,
                    "start": period.start.isoformat(),
                    "end": at.isoformat(),
                    "period": period.id,
                }
                now = self._clock()
                entity = ("work_order", number) if number else ("asset", asset_code)
                audit.record(session, actor, "machine start", *entity, None, after, now)
            return len(rows)

    def code_stop(self, username: str, pin: str, period_id: int, reason: str) -> StopView:
        """An operator's reason for a stop, given on the display with their PIN."""
        coded = BY_CODE.get(reason)
        if coded is None:
            codes = ", ".join(BY_CODE)
            raise ValidationFailed(
                {
                    "reason": Phrase(
                        "unknown stop reason {reason}; one of {codes}",
                        reason=repr(reason),
                        codes=codes,
                    )
                }
            )
        actor = UserService(self._db, self._clock).authenticate_pin(username, pin)
        require(actor, Action.RAISE_BREAKDOWN_REQUEST)
        now = self._clock()
        with self._db.unit_of_work() as session:
            period = session.get(DowntimePeriod, period_id)
            if period is None or period.reason_code != MACHINE_STOP:
                raise NotFound(Phrase("no machine stop {period_id}", period_id=period_id))
            before = {"stop_reason": period.stop_reason, "planned": period.planned}
            period.stop_reason, period.planned = coded.code, coded.planned
            period.coded_by_id, period.coded_at = actor.user_id, now
            after = {"stop_reason": coded.code, "planned": coded.planned, "period": period.id}
            audit.record(session, actor, "code stop", "downtime", period.id, before, after, now)
        return self.stops(period_ids=[period_id])[0]

    def link_to_order(self, session: Session, period_id: int, wo: WorkOrder) -> None:
        """Charge an order-less stop to the order raised for it (in the caller's transaction)."""
        period = session.get(DowntimePeriod, period_id)
        if period is None or period.asset_id != wo.asset_id:
            raise ValidationFailed(
                {
                    "stop": Phrase(
                        "stop {period_id} is not a stop of {number}'s asset",
                        period_id=period_id,
                        number=wo.number,
                    )
                }
            )
        if period.work_order_id is None:
            period.work_order_id = wo.id
            wo.asset_down = period.end is None

    def stops(
        self,
        *,
        since: datetime | None = None,
        asset_code: str | None = None,
        period_ids: list[int] | None = None,
        limit: int = 500,
    ) -> list[StopView]:
        """Machine stops, newest first, with their order (if any) and the operator's code."""
        query = (
            select(
                DowntimePeriod,
                Asset.code,
                Asset.name,
                Asset.criticality,
                WorkOrder.number,
                User.username,
            )
            .join(Asset, Asset.id == DowntimePeriod.asset_id)
            .outerjoin(WorkOrder, WorkOrder.id == DowntimePeriod.work_order_id)
            .outerjoin(User, User.id == DowntimePeriod.coded_by_id)
            .where(DowntimePeriod.reason_code == MACHINE_STOP)
            .order_by(DowntimePeriod.start.desc())
            .limit(max(1, min(limit, 10_000)))
        )
        if since is not None:
            query = query.where(or_(DowntimePeriod.end.is_(None), DowntimePeriod.end >= since))
        if asset_code is not None:
            query = query.where(Asset.code == asset_code)
        if period_ids is not None:
            query = query.where(DowntimePeriod.id.in_(period_ids))
        now = self._clock()
        with self._db.unit_of_work(write=False) as session:
            return [
                StopView(
                    p.id,
                    code,
                    name,
                    Criticality(criticality),
                    p.start,
                    p.end,
                    (p.end or now) - p.start,
                    number,
                    p.stop_reason,
                    coder,
                )
                for p, code, name, criticality, number, coder in session.execute(query)
            ]

    def stops_to_offer(self, min_duration: timedelta = LONG_STOP) -> list[StopView]:
        """Stops of criticality-A assets, with no order, longer than `min_duration`: the display
        offers each as a pre-filled breakdown request."""
        return [
            stop
            for stop in self.stops(since=self._clock() - timedelta(days=1))
            if stop.work_order is None
            and stop.criticality is Criticality.A
            and stop.duration >= min_duration
        ]

    def open_periods(self, asset_code: str) -> list[DowntimeView]:
        """The asset's machine-stop periods not yet ended (status displays, tests)."""
        with self._db.unit_of_work(write=False) as session:
            periods = session.execute(
                select(DowntimePeriod)
                .join(Asset, Asset.id == DowntimePeriod.asset_id)
                .where(
                    Asset.code == asset_code,
                    DowntimePeriod.reason_code == MACHINE_STOP,
                    DowntimePeriod.end.is_(None),
                )
            ).scalars()
            return [DowntimeView(p.id, p.start, p.end, p.planned, p.reason_code) for p in periods]

    @staticmethod
    def _lock_asset(session: Session, code: str) -> Asset:
        asset = session.execute(select(Asset).where(Asset.code == code)).scalar_one_or_none()
        if asset is None:
            raise NotFound(Phrase("no asset {code}", code=code))
        lock_machine(session, asset.id)
        return asset
