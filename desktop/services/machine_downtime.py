"""Downtime periods taken from a machine's running state, linked to its open repair order.

A stop opens an unplanned period on the asset's open corrective or emergency work order; the
restart ends it; both at the machine's timestamps. The asset row is locked (BEGIN IMMEDIATE on
SQLite) before the check for an open period, so two monitoring processes that see the same stop
open one period between them, and a stop sent again after a reconnect is ignored.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select

from desktop.domain.enums import Status, WorkOrderType
from desktop.domain.errors import NotFound
from desktop.domain.permissions import Action, Actor, require
from desktop.services import audit
from desktop.services.clock import Clock, utc_now
from desktop.services.work_order_records import DowntimeView
from desktop.store.models import Asset, DowntimePeriod, WorkOrder

if TYPE_CHECKING:
    from datetime import datetime

    from sqlalchemy.orm import Session

    from desktop.store.database import Database

MACHINE_STOP = "machine stop"
_REPAIRS = (WorkOrderType.EMERGENCY, WorkOrderType.CORRECTIVE)
_OPEN = tuple(s for s in Status if s.is_open)


class MachineDowntimeService:
    def __init__(self, db: Database, clock: Clock = utc_now) -> None:
        self._db = db
        self._clock = clock

    def machine_stopped(self, actor: Actor, asset_code: str, at: datetime) -> DowntimeView | None:
        """Open a period at `at`; None when one is already open or was already recorded for this
        stop, or when the asset has no open corrective or emergency order to charge it to."""
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
                    WorkOrder.status.in_(_OPEN),
                )
                .order_by(WorkOrder.id.desc())
            ).scalars()
            # An emergency is the stop's most likely cause; otherwise the newest repair.
            wo = min(orders, key=lambda w: w.type is not WorkOrderType.EMERGENCY, default=None)
            if wo is None:
                return None
            period = DowntimePeriod(
                work_order_id=wo.id,
                asset_id=asset.id,
                start=at,
                end=None,
                planned=False,
                reason_code=MACHINE_STOP,
            )
            session.add(period)
            wo.asset_down = True
            session.flush()
            view = DowntimeView(period.id, at, None, False, MACHINE_STOP)
            after = {"asset": asset_code, "start": at.isoformat(), "reason": MACHINE_STOP}
            audit.record(
                session, actor, "machine stop", "work_order", wo.number, None, after, self._clock()
            )
            return view

    def machine_started(self, actor: Actor, asset_code: str, at: datetime) -> int:
        """End the asset's open machine-stop period at `at`; returns how many were ended (0 when
        none was open, or when `at` is not after its start)."""
        require(actor, Action.LOG_WORK)
        with self._db.unit_of_work() as session:
            asset = self._lock_asset(session, asset_code)
            rows = session.execute(
                select(DowntimePeriod, WorkOrder.number)
                .join(WorkOrder, WorkOrder.id == DowntimePeriod.work_order_id)
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
                }
                now = self._clock()
                action = "machine start"
                audit.record(session, actor, action, "work_order", number, None, after, now)
            return len(rows)

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
        asset = session.execute(
            select(Asset).where(Asset.code == code).with_for_update()
        ).scalar_one_or_none()
        if asset is None:
            raise NotFound(f"no asset {code}")
        return asset
