"""An asset's maintenance history: its work orders, cost and downtime totals, Pareto, MTBF, MTTR.

The list, labour and parts are aggregated in SQL (the demo plant holds tens of thousands of
orders, and the panel asks again on every click in the tree). MTTR, MTBF, operating and
downtime hours and the Pareto's hours come from the set's failure orders and downtime periods
through `desktop.domain.kpis`, the definitions the dashboard and the audit pack use.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    Float,
    String,
    and_,
    case,
    cast,
    func,
    literal,
    or_,
    select,
    true,
    type_coerce,
)

from desktop.domain import kpis
from desktop.domain.enums import Priority, Status, WorkOrderType
from desktop.domain.errors import NotFound, ValidationFailed
from desktop.domain.failure_codes import code_lists
from desktop.domain.phrases import Phrase
from desktop.services.analytics.kpi_reading import raw_time, read_frame
from desktop.services.analytics.kpi_records import KpiSettings
from desktop.services.assets.assets import subtree_ids
from desktop.services.shared.clock import Clock, utc_now
from desktop.services.stock.stock_engine import parts_used
from desktop.store.inventory_models import StockMovement
from desktop.store.models import Asset, DowntimePeriod, LabourEntry, WorkOrder
from desktop.store.types import UTCDateTime

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime

    import pandas as pd
    from sqlalchemy.orm import Session
    from sqlalchemy.sql.elements import ColumnElement

    from desktop.store.database import Database

NOT_CODED = "not coded yet"
"""Pareto label of failure orders completed without a failure mode."""


@dataclass(frozen=True)
class AssetWorkOrder:
    """One work order in an asset's history, with what it cost and how long the asset was down."""

    number: str
    title: str
    type: WorkOrderType
    status: Status
    priority: Priority
    asset_code: str
    requested_at: datetime
    completed_at: datetime | None
    labour_hours: float
    labour_cost: float
    downtime_hours: float
    failure_mode: str | None


@dataclass(frozen=True)
class FailureModeCount:
    """One bar of the failure Pareto: a failure mode (None: not coded) and what it caused."""

    code: str | None
    name: str
    count: int
    downtime_hours: float


@dataclass(frozen=True)
class AssetHistory:
    """The history of one asset, or of it and everything below it, over one period.

    `period_start` is `since`, else the first recorded event of the set (its earliest work order
    or downtime); None when the set has no records at all. `mtbf_hours` is None when there was
    no failure: show "no failures in `operating_hours` operating hours" then.
    """

    asset_code: str
    include_subtree: bool
    asset_count: int
    period_start: datetime | None
    period_end: datetime
    work_orders: tuple[AssetWorkOrder, ...]
    labour_hours: float
    labour_cost: float
    parts_cost: float
    downtime_hours: float
    failures: int
    operating_hours: float
    mtbf_hours: float | None
    mttr_hours: float | None
    pareto: tuple[FailureModeCount, ...]

    @property
    def maintenance_cost(self) -> float:
        return self.labour_cost + self.parts_cost


def parts_cost(session: Session, asset_ids: Sequence[int], since: datetime | None) -> float:
    """Cost of the parts issued to the set's work orders (less returns) in the period."""
    query = parts_used().join(WorkOrder, WorkOrder.id == StockMovement.work_order_id)
    query = query.where(WorkOrder.asset_id.in_(asset_ids))
    if since is not None:
        query = query.where(StockMovement.at >= since)
    return round(float(session.execute(query).one().cost), 2) + 0.0


class AssetHistoryService:
    def __init__(
        self, db: Database, clock: Clock = utc_now, settings: KpiSettings | None = None
    ) -> None:
        self._db = db
        self._clock = clock
        self._settings = settings or KpiSettings()

    def history(
        self, asset_code: str, include_subtree: bool = True, since: datetime | None = None
    ) -> AssetHistory:
        """Everything recorded against the asset (and its subtree) since `since` (else ever).

        Attribution follows KPIS.md: labour counts by the date of the entry, downtime by the
        part of each period inside the window (open periods run until now), failures and
        repairs in the period their order was completed. The list holds every order that was
        not finished (completed or cancelled) before the window began.
        """
        if since is not None and since.tzinfo is None:
            raise ValidationFailed({"since": "needs a time zone"})
        now = self._clock()
        with self._db.unit_of_work(write=False) as session:
            if include_subtree:
                ids = subtree_ids(session, asset_code)
            else:
                ids = [_asset_id(session, asset_code)]
            query = _Queries(session, ids, since, now)
            start = since or query.first_record()
            assets, failures, downtime = query.records(start)
            figures = kpis.reliability(
                assets, failures, downtime, (start or now, now), now, self._settings.mttr_start
            )
            labour_hours, labour_cost = query.labour()
            return AssetHistory(
                asset_code=asset_code,
                include_subtree=include_subtree,
                asset_count=len(ids),
                period_start=start,
                period_end=now,
                work_orders=query.work_orders(),
                labour_hours=labour_hours,
                labour_cost=labour_cost,
                parts_cost=parts_cost(session, ids, since),
                downtime_hours=figures.downtime_hours,
                failures=figures.failures,
                operating_hours=figures.operating_hours,
                mtbf_hours=figures.mtbf_hours,
                mttr_hours=figures.mttr_hours,
                pareto=_pareto(failures, downtime, now),
            )


def _pareto(
    failures: pd.DataFrame, downtime: pd.DataFrame, now: datetime
) -> tuple[FailureModeCount, ...]:
    """Failures per mode, largest first, with their merged downtime (`kpis.pareto_hours`)."""
    modes = failures["failure_mode"].fillna("")
    hours = kpis.pareto_hours(modes, kpis.close_open_periods(downtime, now))
    names = {c.code: c.label for c in code_lists()["failure_mode"]}
    bars = [
        FailureModeCount(
            code or None,
            names.get(code, code) if code else NOT_CODED,
            int(count),
            float(hours.get(code, 0.0)),
        )
        for code, count in modes.value_counts().items()
    ]
    # Largest first; ties by downtime, then by code so the order is stable.
    bars.sort(key=lambda b: (-b.count, -b.downtime_hours, b.code or "~"))
    return tuple(bars)


def _asset_id(session: Session, code: str) -> int:
    found = session.execute(select(Asset.id).where(Asset.code == code)).scalar_one_or_none()
    if found is None:
        raise NotFound(Phrase("no asset {code}", code=code))
    return found


class _Queries:
    """The aggregate queries of one history request, over one asset set and window."""

    def __init__(
        self, session: Session, ids: Sequence[int], since: datetime | None, now: datetime
    ) -> None:
        self._session = session
        self._ids = list(ids)
        self._since = since
        self._now = literal(now, UTCDateTime())
        self._since_param = literal(since, UTCDateTime()) if since else None
        self._sqlite = session.get_bind().dialect.name == "sqlite"

    def _hours(self, start: ColumnElement[Any], end: ColumnElement[Any]) -> ColumnElement[Any]:
        """Hours from `start` to `end` in SQL; SQLite keeps timestamps as ISO text."""
        if self._sqlite:
            return (func.julianday(end) - func.julianday(start)) * 24.0
        return cast(func.extract("epoch", end - start), Float) / 3600.0

    def _downtime_in_window(self) -> tuple[ColumnElement[Any], ColumnElement[bool]]:
        """Hours of each downtime period inside the window, and the filter for those periods."""
        end = func.coalesce(DowntimePeriod.end, self._now)
        if self._since_param is None:
            return self._hours(DowntimePeriod.start, end), true()
        start = case(
            (DowntimePeriod.start < self._since_param, self._since_param),
            else_=DowntimePeriod.start,
        )
        return self._hours(start, end), end > self._since_param

    def _completed_in_window(self) -> ColumnElement[bool]:
        done = WorkOrder.completed_at.is_not(None)
        if self._since_param is None:
            return done
        return and_(done, WorkOrder.completed_at >= self._since_param)

    def labour(self) -> tuple[float, float]:
        query = (
            select(
                func.coalesce(func.sum(LabourEntry.hours), 0.0),
                func.coalesce(func.sum(LabourEntry.hours * LabourEntry.rate), 0.0),
            )
            .join(WorkOrder, WorkOrder.id == LabourEntry.work_order_id)
            .where(WorkOrder.asset_id.in_(self._ids))
        )
        if self._since is not None:
            query = query.where(LabourEntry.work_date >= self._since.date())
        hours, cost = self._session.execute(query).one()
        return float(hours), float(cost)

    def first_record(self) -> datetime | None:
        first_order = (
            select(func.min(WorkOrder.requested_at))
            .where(WorkOrder.asset_id.in_(self._ids))
            .scalar_subquery()
        )
        first_downtime = (
            select(func.min(DowntimePeriod.start))
            .where(DowntimePeriod.asset_id.in_(self._ids))
            .scalar_subquery()
        )
        found = self._session.execute(select(first_order, first_downtime)).one()
        present = [value for value in found if value is not None]
        return min(present) if present else None

    def records(self, start: datetime | None) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        """The set's assets, its failure orders completed in the window and the downtime
        periods that overlap the window or belong to those orders (the domain's records)."""
        conn = self._session.connection()
        assets = read_frame(
            conn,
            select(
                Asset.id,
                type_coerce(Asset.level, String).label("level"),
                Asset.install_date.label("installed_on"),
            ).where(Asset.id.in_(self._ids)),
            (),
        ).set_index("id")
        failures = read_frame(
            conn,
            select(
                WorkOrder.id,
                WorkOrder.failure_mode,
                raw_time(WorkOrder.requested_at),
                raw_time(WorkOrder.started_at),
                raw_time(WorkOrder.completed_at),
            ).where(
                WorkOrder.asset_id.in_(self._ids),
                WorkOrder.is_failure == true(),
                self._completed_in_window(),
            ),
            ("requested_at", "started_at", "completed_at"),
        ).set_index("id")
        dp = DowntimePeriod
        touching = true() if start is None else or_(dp.end.is_(None), dp.end > start)
        downtime = read_frame(
            conn,
            # Every stop of the set's machines, with or without an order (a stop the running
            # tag recorded before anyone raised one is downtime all the same).
            select(
                dp.work_order_id, dp.asset_id, dp.planned, raw_time(dp.start), raw_time(dp.end)
            ).where(
                dp.asset_id.in_(self._ids),
                or_(touching, dp.work_order_id.in_(failures.index.tolist())),
            ),
            ("start", "end"),
        )
        downtime["planned"] = downtime["planned"].astype(bool)
        downtime["work_order_id"] = downtime["work_order_id"].astype("Int64")
        return assets, failures, downtime

    def _downtime_per_order(self) -> Any:
        hours, in_window = self._downtime_in_window()
        return (
            select(
                DowntimePeriod.work_order_id.label("work_order_id"),
                func.sum(hours).label("hours"),
            )
            .where(DowntimePeriod.asset_id.in_(self._ids), in_window)
            .group_by(DowntimePeriod.work_order_id)
            .subquery()
        )

    def work_orders(self) -> tuple[AssetWorkOrder, ...]:
        labour_query = (
            select(
                LabourEntry.work_order_id.label("work_order_id"),
                func.sum(LabourEntry.hours).label("hours"),
                func.sum(LabourEntry.hours * LabourEntry.rate).label("cost"),
            )
            .join(WorkOrder, WorkOrder.id == LabourEntry.work_order_id)
            .where(WorkOrder.asset_id.in_(self._ids))
            .group_by(LabourEntry.work_order_id)
        )
        if self._since is not None:
            labour_query = labour_query.where(LabourEntry.work_date >= self._since.date())
        labour = labour_query.subquery()
        downtime = self._downtime_per_order()
        query = (
            select(
                WorkOrder.number,
                WorkOrder.title,
                WorkOrder.type,
                WorkOrder.status,
                WorkOrder.priority,
                Asset.code,
                WorkOrder.requested_at,
                WorkOrder.completed_at,
                func.coalesce(labour.c.hours, 0.0),
                func.coalesce(labour.c.cost, 0.0),
                func.coalesce(downtime.c.hours, 0.0),
                WorkOrder.failure_mode,
            )
            .join(Asset, Asset.id == WorkOrder.asset_id)
            .outerjoin(labour, labour.c.work_order_id == WorkOrder.id)
            .outerjoin(downtime, downtime.c.work_order_id == WorkOrder.id)
            .where(WorkOrder.asset_id.in_(self._ids))
            .order_by(WorkOrder.requested_at.desc(), WorkOrder.id.desc())
        )
        if self._since_param is not None:
            finished = func.coalesce(WorkOrder.completed_at, WorkOrder.cancelled_at)
            query = query.where(or_(finished.is_(None), finished >= self._since_param))
        return tuple(
            AssetWorkOrder(
                r[0],
                r[1],
                r[2],
                r[3],
                Priority(r[4]),
                r[5],
                r[6],
                r[7],
                float(r[8]),
                float(r[9]),
                float(r[10]),
                r[11],
            )
            for r in self._session.execute(query)
        )
