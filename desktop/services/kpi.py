"""KPI service: every dashboard figure for a period and an asset filter (shared/KPIS.md).

Three grouped SQL queries fetch only what the period and the one before it touch: the orders
open or completed in that window, their labour summed per order and bucket, and the downtime
periods. pandas then applies the order rules and sums the parts of each KPI per bucket, and
the formulas of `desktop.domain.kpis` divide them. Buckets are coded the same way in SQL and in
pandas: -1 before the previous period, 0 the previous period, 1..n the slices of the period,
n + 1 after it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from sqlalchemy import Float, String, and_, case, func, or_, select, type_coerce

from desktop.domain import kpis
from desktop.domain.enums import AssetLevel, Role, WorkOrderType
from desktop.domain.errors import NotFound, ValidationFailed
from desktop.domain.failure_codes import code_lists
from desktop.services.clock import Clock, utc_now
from desktop.services.kpi_records import (
    MAX_BUCKETS,
    AssetCost,
    BacklogPoint,
    ClassReliability,
    Dashboard,
    KpiFigure,
    KpiQuery,
    KpiSettings,
    ParetoRow,
    PmComplianceSource,
    PmMonth,
    RunningHoursSource,
    StageHours,
)
from desktop.services.stock_engine import USE_KINDS
from desktop.store.epoch import epoch_seconds
from desktop.store.inventory_models import StockMovement
from desktop.store.models import Asset, DowntimePeriod, LabourEntry, User, WorkOrder

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sqlalchemy import ColumnElement, Connection, Select

    from desktop.store.database import Database

HOUR = np.timedelta64(1, "h")
MEASURED_LEVELS = frozenset({AssetLevel.EQUIPMENT.value, AssetLevel.COMPONENT.value})
EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
LATEST = datetime(2200, 1, 1, tzinfo=UTC)
"""KPI periods lie between these: beyond them date arithmetic and pandas' time range end."""
"""Levels whose hours MTBF and availability add up: areas and systems are groupings, not
machines, and counting their calendar hours would inflate MTBF."""


def parts_cost_by_work_order(conn: Connection, work_order_ids: Sequence[int]) -> pd.Series:
    """Net parts cost (issued − returned) per work order, from the stock ledger.

    KPIS.md: parts issued − parts returned. The ledger signs issues negative. All issue and
    return rows are read once (far fewer than orders) rather than a long IN list of ids.
    """
    rows = conn.execute(
        select(
            StockMovement.work_order_id,
            func.sum(StockMovement.quantity * StockMovement.unit_cost),
        )
        .where(StockMovement.kind.in_(USE_KINDS), StockMovement.work_order_id.is_not(None))
        .group_by(StockMovement.work_order_id)
    ).all()
    used = pd.Series({wo_id: -float(value) for wo_id, value in rows}, dtype="float64")
    index = pd.Index(work_order_ids, dtype="int64")
    return used.reindex(index, fill_value=0.0)


@dataclass(frozen=True)
class _Window:
    """The bucket edges: previous period start, period start, slice ends; and now."""

    edges: tuple[datetime, ...]
    now: datetime

    @property
    def n(self) -> int:
        return len(self.edges) - 2

    @property
    def start(self) -> datetime:
        return self.edges[0]

    @property
    def end(self) -> datetime:
        return self.edges[-1]

    def code(self, times: pd.Series) -> np.ndarray:
        """Bucket code of each time; NaT gets n + 2 (no bucket)."""
        edges = pd.DatetimeIndex(list(self.edges)).as_unit("us").asi8
        values = times.dt.as_unit("us").astype("int64").to_numpy()
        codes = np.searchsorted(edges, values, side="right") - 1
        return np.where(times.isna().to_numpy(), self.n + 2, codes)

    def sql_code(self, column: Any) -> ColumnElement[int]:
        """The same code computed by the database, so it can group by it."""
        whens = [(column < edge, index - 1) for index, edge in enumerate(self.edges)]
        return case(*whens, else_=self.n + 1)

    def elapsed_hours(self, index: int) -> float:
        """Hours of bucket `index` that have already happened (the future has no hours)."""
        lo = min(self.edges[index], self.now)
        hi = min(self.edges[index + 1], self.now)
        return max((hi - lo).total_seconds() / 3600.0, 0.0)

    def snapshot(self, edge_index: int) -> pd.Timestamp:
        return pd.Timestamp(min(self.edges[edge_index], self.now))


def make_window(query: KpiQuery, now: datetime) -> _Window:
    """Check the period and cut it into whole-day buckets."""
    problems = {}
    if query.start.tzinfo is None or query.end.tzinfo is None:
        problems["period"] = "give the period as aware (UTC) times"
    elif query.end - query.start < timedelta(days=1):
        problems["period"] = "the period must be at least one day long (--to after --from)"
    elif query.start - EARLIEST < query.end - query.start or query.end > LATEST:
        # The figures compare with the period of the same length just before it.
        problems["period"] = (
            f"this period and the one before it must lie between {EARLIEST:%Y-%m-%d} and "
            f"{LATEST:%Y-%m-%d}"
        )
    if not 1 <= query.buckets <= MAX_BUCKETS:
        problems["buckets"] = f"1 to {MAX_BUCKETS}"
    if problems:
        raise ValidationFailed(problems)
    length = query.end - query.start
    days = max(int(length / timedelta(days=1)), 1)
    count = min(query.buckets, days)
    inner = [query.start + timedelta(days=round(days * i / count)) for i in range(1, count)]
    edges = (query.start - length, query.start, *inner, query.end)
    return _Window(edges, now)


def raw_time(column: Any) -> Any:
    """A time column read as epoch seconds (see `desktop.store.epoch`), named as the column."""
    return epoch_seconds(column).label(column.key)


def read_frame(conn: Connection, statement: Select[Any], times: Sequence[str]) -> pd.DataFrame:
    """Rows as a DataFrame straight from the driver's tuples: a million SQLAlchemy Row objects
    would cost more than the query itself. Time columns come as epoch seconds and become UTC
    timestamps, rounded to the millisecond the float carries."""
    result = conn.execute(statement)
    columns = list(result.keys())
    frame = pd.DataFrame.from_records(result.cursor.fetchall(), columns=columns)
    result.close()
    for name in times:
        seconds = pd.to_numeric(frame[name], errors="coerce").astype("float64")
        frame[name] = pd.to_datetime(seconds, unit="s", utc=True).dt.round("ms")
    return frame


def read_assets(conn: Connection) -> pd.DataFrame:
    """Every asset with what the filters and the roll-up need, indexed by id."""
    statement = select(
        Asset.id,
        Asset.code,
        Asset.name,
        Asset.parent_id,
        type_coerce(Asset.level, String).label("level"),
        Asset.asset_class,
        type_coerce(Asset.criticality, String).label("criticality"),
        Asset.replacement_value,
    )
    return read_frame(conn, statement, ()).set_index("id")


class KpiService:
    """Read-only figures for the dashboard, the CLI and the export check."""

    def __init__(
        self,
        db: Database,
        clock: Clock = utc_now,
        *,
        settings: KpiSettings | None = None,
        running_hours: RunningHoursSource | None = None,
        pm_compliance: PmComplianceSource | None = None,
    ) -> None:
        self._db = db
        self._clock = clock
        self._settings = settings or KpiSettings()
        self._running_hours = running_hours
        self._pm_compliance = pm_compliance

    def dashboard(self, query: KpiQuery) -> Dashboard:
        """All figures of the period, the previous period and the sparkline buckets."""
        now = self._clock()
        window = make_window(query, now)
        with self._db.engine.connect() as conn:
            assets = read_assets(conn)
            selected = select_assets(assets, query)
            ids = None if _unfiltered(query) else selected.index.tolist()
            tech_ids, weekly = self._technicians(conn)
            labour = self._labour(conn, window, ids, tech_ids)
            orders = self._orders(conn, window, ids, labour)
            downtime = self._downtime(conn, window, ids)
            if ids is None:
                # Unfiltered, the labour rows hold every entry of the window: no second pass.
                booked = labour[labour["bucket"].between(0, window.n)]
                logged = booked.groupby("bucket")["crew_hours"].sum().to_dict()
            else:
                logged = self._crew_logged(conn, window, tech_ids)
            crew = _Crew(weekly, len(tech_ids), {int(k): float(v) for k, v in logged.items()})
            parts = parts_cost_by_work_order(conn, orders.index.tolist())
        return _Calculation(
            window, self._settings, assets, selected, orders, labour, downtime, crew, parts
        ).dashboard(
            query,
            self._running_hours,
            self._pm_compliance,
        )

    def work_order_numbers(self, work_order_ids: Sequence[int]) -> list[str]:
        """The numbers of the orders behind a figure, in id order (what a tile click lists)."""
        found: list[str] = []
        with self._db.engine.connect() as conn:
            for begin in range(0, len(work_order_ids), ID_CHUNK):
                part = list(work_order_ids[begin : begin + ID_CHUNK])
                found += conn.execute(
                    select(WorkOrder.number).where(WorkOrder.id.in_(part)).order_by(WorkOrder.id)
                ).scalars()
        return found

    @staticmethod
    def _orders(
        conn: Connection, window: _Window, ids: list[int] | None, labour: pd.DataFrame
    ) -> pd.DataFrame:
        """Orders raised before the window ends and not finished before it began, and the few
        finished earlier that still got labour booked in the window."""
        statement = _order_facts().where(_touches(window))
        if ids is not None:
            statement = statement.where(WorkOrder.asset_id.in_(ids))
        frames = [read_frame(conn, statement, ORDER_TIMES)]
        late = np.setdiff1d(labour["work_order_id"].unique(), frames[0]["id"].to_numpy())
        for begin in range(0, len(late), ID_CHUNK):
            chunk = late[begin : begin + ID_CHUNK].tolist()
            frames.append(
                read_frame(conn, _order_facts().where(WorkOrder.id.in_(chunk)), ORDER_TIMES)
            )
        frame = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
        frame = frame.set_index("id")
        frame["type"] = pd.Categorical.from_codes(
            frame["type"].astype("int64"), categories=[t.value for t in WorkOrderType]
        )
        frame["is_failure"] = frame["is_failure"].astype(bool)
        frame["estimate_hours"] = frame["estimate_hours"].astype(float)
        return frame

    @staticmethod
    def _labour(
        conn: Connection, window: _Window, ids: list[int] | None, tech_ids: list[int]
    ) -> pd.DataFrame:
        """Labour hours and cost per order and bucket of the entry date (grouped in SQL), for
        the orders `_orders` loads: all their labour, also before the window, since backlog
        subtracts it from the estimate and cost counts it at completion. `crew_hours` are
        those booked by the active technicians (utilisation)."""
        wo, le = WorkOrder, LabourEntry
        bucket = _DateWindow(window).sql_code(le.work_date).label("bucket")
        crew = case((le.technician_id.in_(tech_ids), le.hours), else_=0.0)
        statement = (
            select(
                le.work_order_id,
                bucket,
                func.sum(le.hours).label("hours"),
                func.sum(type_coerce(le.hours * le.rate, Float)).label("cost"),
                func.sum(crew).label("crew_hours"),
            )
            .join(wo, wo.id == le.work_order_id)
            .where(or_(_labour_in(window), _touches(window)))
            .group_by(le.work_order_id, bucket)
        )
        if ids is not None:
            statement = statement.where(wo.asset_id.in_(ids))
        frame = read_frame(conn, statement, ())
        for name in ("hours", "cost", "crew_hours"):
            frame[name] = frame[name].astype(float)
        return frame

    def _downtime(self, conn: Connection, window: _Window, ids: list[int] | None) -> pd.DataFrame:
        """Downtime periods that overlap the window or belong to an order completed in it."""
        dp, wo = DowntimePeriod, WorkOrder
        statement = (
            select(
                dp.work_order_id,
                dp.asset_id,
                dp.planned,
                raw_time(dp.start),
                raw_time(dp.end),
            )
            .join(wo, wo.id == dp.work_order_id)
            .where(
                or_(
                    and_(dp.start < window.end, or_(dp.end.is_(None), dp.end > window.start)),
                    and_(wo.completed_at >= window.start, wo.completed_at < window.end),
                )
            )
        )
        if ids is not None:
            statement = statement.where(dp.asset_id.in_(ids))
        frame = read_frame(conn, statement, ("start", "end"))
        frame["planned"] = frame["planned"].astype(bool)
        # A period still open has lasted until now (and no further).
        frame["end"] = frame["end"].fillna(pd.Timestamp(window.now))
        return frame

    @staticmethod
    def _technicians(conn: Connection) -> tuple[list[int], float]:
        """Active technicians and their weekly straight-time hours (site-wide: the crew serves
        every area, so utilisation and capacity ignore the asset filter)."""
        technicians = conn.execute(
            select(User.id, User.weekly_hours).where(
                User.role == Role.TECHNICIAN, User.active.is_(True)
            )
        ).all()
        return [row.id for row in technicians], float(sum(r.weekly_hours for r in technicians))

    @staticmethod
    def _crew_logged(conn: Connection, window: _Window, tech_ids: list[int]) -> dict[int, float]:
        """The crew's labour hours per bucket over every order, whatever the asset filter."""
        if not tech_ids:
            return {}
        code = _DateWindow(window).sql_code(LabourEntry.work_date).label("bucket")
        rows = conn.execute(
            select(code, func.sum(LabourEntry.hours))
            .where(
                LabourEntry.technician_id.in_(tech_ids),
                LabourEntry.work_date >= window.start.date(),
                LabourEntry.work_date < _end_date(window.end),
            )
            .group_by(code)
        ).all()
        return {int(row[0]): float(row[1]) for row in rows}


ORDER_TIMES = (
    "requested_at",
    "approved_at",
    "scheduled_at",
    "started_at",
    "completed_at",
    "cancelled_at",
    "due_at",
    "scheduled_start",
)
ID_CHUNK = 5000


def _order_facts() -> Select[Any]:
    """The order columns the KPIs read. The type comes as a small number and the failure mode
    only on failures: a million Python strings would cost more than the rest of the row."""
    wo = WorkOrder
    type_code = case(
        *((type_coerce(wo.type, String) == t.value, i) for i, t in enumerate(WorkOrderType)),
        else_=-1,
    )
    return select(
        wo.id,
        type_code.label("type"),
        wo.is_failure,
        wo.asset_id,
        wo.estimate_hours,
        case((wo.is_failure.is_(True), wo.failure_mode), else_=None).label("failure_mode"),
        *(raw_time(getattr(wo, name)) for name in ORDER_TIMES),
    )


def _touches(window: _Window) -> ColumnElement[bool]:
    """Orders raised before the window ends and not finished before it began."""
    wo = WorkOrder
    return and_(
        wo.requested_at < window.end,
        or_(wo.completed_at.is_(None), wo.completed_at >= window.start),
        or_(wo.cancelled_at.is_(None), wo.cancelled_at >= window.start),
    )


def _labour_in(window: _Window) -> ColumnElement[bool]:
    return and_(
        LabourEntry.work_date >= window.start.date(),
        LabourEntry.work_date < _end_date(window.end),
    )


@dataclass(frozen=True)
class _Crew:
    weekly_hours: float
    technicians: int
    logged_by_bucket: dict[int, float]


def _end_date(end: datetime) -> date:
    """The first day not in a window ending at `end` (a part day counts whole)."""
    day = end.date()
    return day if end.time() == datetime.min.time() else day + timedelta(days=1)


class _DateWindow:
    """Bucket codes of labour dates: an entry dated d falls where d's midnight (UTC) falls."""

    def __init__(self, window: _Window) -> None:
        self._edges = [_end_date(edge) for edge in window.edges]
        self._n = window.n

    def sql_code(self, column: Any) -> ColumnElement[int]:
        whens = [(column < edge, index - 1) for index, edge in enumerate(self._edges)]
        return case(*whens, else_=self._n + 1)


def _unfiltered(query: KpiQuery) -> bool:
    return not (query.area or query.asset_classes or query.criticalities)


def select_assets(assets: pd.DataFrame, query: KpiQuery) -> pd.DataFrame:
    """The assets the filters keep: the area's subtree, then class and criticality."""
    chosen = assets
    if query.area:
        roots = assets.index[assets["code"] == query.area]
        if len(roots) == 0:
            raise NotFound(f"no asset {query.area}")
        children = assets.groupby("parent_id").groups
        found, stack = [], [int(roots[0])]
        while stack:
            current = stack.pop()
            found.append(current)
            stack.extend(int(c) for c in children.get(float(current), ()))
        chosen = chosen.loc[sorted(found)]
    if query.asset_classes:
        chosen = chosen[chosen["asset_class"].isin(query.asset_classes)]
    if query.criticalities:
        chosen = chosen[chosen["criticality"].isin([c.value for c in query.criticalities])]
    return chosen


def _merge_intervals(downtime: pd.DataFrame) -> pd.DataFrame:
    """Overlapping downtime periods of one asset merged, so no hour is counted twice."""
    if downtime.empty:
        return downtime[["asset_id", "start", "end"]]
    ordered = downtime.sort_values(["asset_id", "start"])
    reach = ordered.groupby("asset_id")["end"].cummax()
    previous_reach = reach.groupby(ordered["asset_id"]).shift()
    new_run = previous_reach.isna() | (ordered["start"] > previous_reach)
    run = new_run.cumsum()
    return ordered.groupby(run).agg(
        asset_id=("asset_id", "first"), start=("start", "min"), end=("end", "max")
    )


def _ids(values: Any) -> tuple[int, ...]:
    """Distinct ids in order; pandas' hash-based unique is several times faster than numpy's
    sort-based one on half a million ids."""
    distinct = pd.unique(np.asarray(values, dtype="int64"))
    distinct.sort()
    return tuple(distinct.tolist())


def _hours(delta: pd.Series) -> pd.Series:
    return delta / HOUR


class _Calculation:
    """The pandas half of one dashboard computation (runs on the caller's thread)."""

    def __init__(
        self,
        window: _Window,
        settings: KpiSettings,
        assets: pd.DataFrame,
        selected: pd.DataFrame,
        orders: pd.DataFrame,
        labour: pd.DataFrame,
        downtime: pd.DataFrame,
        crew: _Crew,
        parts: pd.Series,
    ) -> None:
        self.w = window
        self.settings = settings
        self.assets = assets
        self.selected = selected
        self.measured = selected[selected["level"].isin(MEASURED_LEVELS)]
        self.orders = orders
        self.labour = labour
        self.downtime = downtime
        self.crew = crew
        self.parts = parts
        self.n = window.n
        self.current = range(1, self.n + 1)
        orders["completed_bucket"] = window.code(orders["completed_at"])

    def dashboard(
        self,
        query: KpiQuery,
        running_hours: RunningHoursSource | None,
        pm_source: PmComplianceSource | None,
    ) -> Dashboard:
        failures = self._failures()
        operating, basis = self._operating(running_hours)
        figures = [
            self._mttr(failures),
            self._mtbf(failures, operating, basis),
            self._availability(operating),
            *self._backlog_and_overdue(),
            self._pm(pm_source),
            self._schedule(),
            *self._labour_shares(),
            self._utilisation(),
            *self._cost(),
        ]
        backlog = self._backlog_points
        return Dashboard(
            query=query,
            computed_at=self.w.now,
            bucket_ends=self.w.edges[2:],
            figures=tuple(figures),
            mttr_stages=self._stages(failures),
            by_class=self._by_class(failures, operating),
            cost_by_asset=self._cost_by_asset,
            pareto_by_mode=self._pareto(failures, "failure_mode"),
            pareto_by_asset=self._pareto(failures, "asset_id"),
            backlog_over_time=backlog,
            pm_by_month=self._pm_months,
            mtbf_basis=basis,
        )

    # Building blocks

    def _figure(
        self,
        key: str,
        parts: pd.DataFrame,
        formula: Any,
        ids: Any,
        note: str = "",
        text: Any = None,
    ) -> KpiFigure:
        """A tile from a frame of KPI parts indexed by bucket code (0 previous, 1..n now).

        The current value applies `formula` to the parts summed over the period's buckets,
        never to an average of bucket ratios.
        """
        definition = kpis.DEFINITION_BY_KEY[key]
        parts = parts.reindex(range(0, self.n + 1), fill_value=0.0)
        value = _plain(formula(parts.loc[list(self.current)].sum()))
        previous = _plain(formula(parts.loc[0]))
        trend = tuple(_plain(formula(parts.loc[b])) for b in self.current)
        shown = text(value, parts.loc[list(self.current)].sum()) if text else None
        return KpiFigure(
            key=key,
            label=definition.label,
            unit=definition.unit,
            source=definition.source,
            formula=definition.formula,
            value=value,
            text=shown or _format(value, definition.unit),
            previous=previous,
            trend=trend,
            note=note,
            work_order_ids=_ids(ids),
            higher_is_better=definition.higher_is_better,
        )

    def _failures(self) -> pd.DataFrame:
        """Failure orders completed in the window, with their repair span (SMRP 3.5.2)."""
        orders = self.orders
        done = orders[orders["is_failure"] & orders["completed_bucket"].between(0, self.n)]
        down = self.downtime[self.downtime["work_order_id"].isin(done.index)]
        unplanned = down[~down["planned"]]
        per_order = pd.DataFrame(
            {
                "first_unplanned": unplanned.groupby("work_order_id")["start"].min(),
                "last_end": down.groupby("work_order_id")["end"].max(),
                "down_hours": _hours(down["end"] - down["start"])
                .groupby(down["work_order_id"])
                .sum(),
            }
        )
        failures = done.join(per_order)
        failures["down_hours"] = failures["down_hours"].fillna(0.0)
        failures["failed"] = kpis.repair_start(
            failures["first_unplanned"],
            failures["requested_at"],
            failures["started_at"],
            self.settings.mttr_start,
        )
        failures["restored"] = kpis.repair_end(failures["last_end"], failures["completed_at"])
        failures["repair_hours"] = _hours(failures["restored"] - failures["failed"]).clip(lower=0)
        return failures

    def _operating(self, running: RunningHoursSource | None) -> tuple[pd.DataFrame, str]:
        """Operating, idle and downtime hours per measured asset and bucket (SMRP 3.5.1, 2.2)."""
        measured = self.measured.index
        merged = _merge_intervals(self.downtime[self.downtime["asset_id"].isin(measured)])
        rows = []
        tagged: set[int] = set()
        for bucket in range(0, self.n + 1):
            lo = self.w.snapshot(bucket)
            hi = self.w.snapshot(bucket + 1)
            span = self.w.elapsed_hours(bucket)
            down = _hours(merged["end"].clip(upper=hi) - merged["start"].clip(lower=lo)).clip(
                lower=0
            )
            down_by_asset = down.groupby(merged["asset_id"]).sum()
            frame = pd.DataFrame(index=measured)
            frame["bucket"] = bucket
            frame["period_hours"] = span
            frame["downtime_hours"] = down_by_asset.reindex(measured, fill_value=0.0)
            frame["idle_hours"] = 0.0
            frame["operating_hours"] = [
                kpis.operating_hours(span, d) for d in frame["downtime_hours"]
            ]
            if running is not None and span > 0:
                for asset_id, run in running.run_time(list(measured), lo, hi).items():
                    tagged.add(asset_id)
                    frame.loc[asset_id, ["operating_hours", "idle_hours"]] = (
                        run.running_hours,
                        run.idle_hours,
                    )
            rows.append(frame)
        operating = pd.concat(rows) if rows else pd.DataFrame()
        if tagged:
            basis = (
                f"running hours from tags for {len(tagged)} of {len(measured)} assets, "
                "calendar hours less downtime for the rest"
            )
        else:
            basis = "calendar hours less downtime (no running-hours tags)"
        return operating, basis

    # Reliability

    def _mttr(self, failures: pd.DataFrame) -> KpiFigure:
        parts = failures.groupby("completed_bucket").agg(
            hours=("repair_hours", "sum"), count=("repair_hours", "size")
        )
        variant = (
            "from the failure"
            if self.settings.mttr_start is kpis.MttrStart.FAILURE
            else "from technician start"
        )
        current = failures[failures["completed_bucket"].between(1, self.n)]
        return self._figure(
            "mttr",
            parts,
            lambda p: kpis.mttr_hours(p["hours"], int(p["count"])),
            current.index,
            note=f"{len(current)} failures; {variant}",
        )

    def _mtbf(self, failures: pd.DataFrame, operating: pd.DataFrame, basis: str) -> KpiFigure:
        parts = pd.DataFrame(
            {
                "hours": operating.groupby("bucket")["operating_hours"].sum(),
                "count": failures.groupby("completed_bucket").size(),
            }
        ).fillna(0.0)
        current = failures[failures["completed_bucket"].between(1, self.n)]

        def text(value: float | None, total: pd.Series) -> str | None:
            if value is None:
                return f"no failures in {total['hours']:,.0f} operating hours"
            return None

        return self._figure(
            "mtbf",
            parts,
            lambda p: kpis.mtbf_hours(p["hours"], int(p["count"])),
            current.index,
            note=f"{len(self.measured)} assets; {basis}",
            text=text,
        )

    def _availability(self, operating: pd.DataFrame) -> KpiFigure:
        parts = operating.groupby("bucket")[["period_hours", "idle_hours", "downtime_hours"]].sum()
        lo, hi = self.w.snapshot(1), self.w.snapshot(self.n + 1)
        down = self.downtime
        behind = down[
            down["asset_id"].isin(self.measured.index) & (down["start"] < hi) & (down["end"] > lo)
        ]
        return self._figure(
            "availability",
            parts,
            lambda p: kpis.availability_percent(
                p["period_hours"], p["idle_hours"], p["downtime_hours"]
            ),
            behind["work_order_id"],
            note=f"{len(self.measured)} assets; planned and unplanned downtime",
        )

    def _stages(self, failures: pd.DataFrame) -> tuple[StageHours, ...]:
        current = failures[failures["completed_bucket"].between(1, self.n)]
        stages = kpis.mttr_stages(
            current["requested_at"],
            current["approved_at"],
            current["started_at"],
            current["completed_at"],
            current["restored"],
        )
        return tuple(
            StageHours(name, None if hours.dropna().empty else float(hours.mean()))
            for name, hours in stages.items()
        )

    def _by_class(
        self, failures: pd.DataFrame, operating: pd.DataFrame
    ) -> tuple[ClassReliability, ...]:
        current_ops = operating[operating["bucket"].between(1, self.n)]
        hours = current_ops.groupby(level=0)["operating_hours"].sum()
        classes = self.measured["asset_class"]
        current = failures[failures["completed_bucket"].between(1, self.n)]
        current = current[current["asset_id"].isin(self.measured.index)]
        by_class = current.groupby(current["asset_id"].map(classes)).agg(
            count=("repair_hours", "size"), repair=("repair_hours", "sum")
        )
        result = []
        for asset_class, members in classes.groupby(classes):
            operating_hours = float(hours.reindex(members.index, fill_value=0.0).sum())
            count = int(by_class["count"].get(asset_class, 0))
            repair = float(by_class["repair"].get(asset_class, 0.0))
            result.append(
                ClassReliability(
                    str(asset_class),
                    len(members),
                    count,
                    operating_hours,
                    kpis.mtbf_hours(operating_hours, count),
                    kpis.mttr_hours(repair, count),
                )
            )
        result.sort(key=lambda c: (-c.failures, c.asset_class))
        return tuple(result)

    def _pareto(self, failures: pd.DataFrame, by: str) -> tuple[ParetoRow, ...]:
        current = failures[failures["completed_bucket"].between(1, self.n)]
        keys = current[by].fillna("") if by == "failure_mode" else current[by]
        grouped = current.groupby(keys).agg(
            failures=("repair_hours", "size"), downtime=("down_hours", "sum")
        )
        grouped = grouped.sort_values(["failures", "downtime"], ascending=False)
        labels = _mode_labels() if by == "failure_mode" else self.assets["name"].to_dict()
        codes = None if by == "failure_mode" else self.assets["code"].to_dict()
        rows = []
        for key, row in grouped.iterrows():
            shown = str(key) if codes is None else str(codes[key])
            label = labels.get(key, "not coded" if key == "" else "")
            rows.append(
                ParetoRow(shown or "-", label, int(row["failures"]), float(row["downtime"]))
            )
        return tuple(rows)

    # Workload

    def _backlog_and_overdue(self) -> list[KpiFigure]:
        """Backlog (SMRP 5.4.8) and overdue orders, as snapshots at each bucket's end."""
        orders = self.orders
        opened = orders["approved_at"].fillna(orders["scheduled_at"]).fillna(orders["started_at"])
        snapshots = [self.w.snapshot(edge) for edge in range(1, self.n + 2)]
        masks = []
        for at in snapshots:
            finished = (orders["completed_at"] <= at) | (orders["cancelled_at"] <= at)
            is_open = (orders["requested_at"] <= at) & ~finished
            masks.append((is_open, is_open & (opened <= at)))
        ever = np.logical_or.reduce([backlog for _, backlog in masks])
        labour = self.labour[self.labour["work_order_id"].isin(orders.index[ever])]
        # Hours logged before each edge: cumulative over bucket codes, for backlog orders only.
        logged = labour.pivot_table(
            index="work_order_id", columns="bucket", values="hours", aggfunc="sum", fill_value=0.0
        ).reindex(columns=range(-1, self.n + 2), fill_value=0.0)
        cumulative = logged.cumsum(axis=1)
        capacity = kpis.weekly_capacity(
            self.crew.weekly_hours, self.settings.indirect_hours_per_week
        )
        backlog_rows, overdue_rows, points = {}, {}, []
        backlog_ids: Any = ()
        overdue_ids: Any = ()
        for edge, at, (is_open, in_backlog) in zip(
            range(1, self.n + 2), snapshots, masks, strict=True
        ):
            done_before = cumulative[edge - 1].reindex(orders.index[in_backlog], fill_value=0.0)
            remaining = kpis.remaining_hours(
                orders.loc[in_backlog, "estimate_hours"], done_before
            ).sum()
            overdue = is_open & (orders["due_at"] < at)
            backlog_rows[edge - 1] = {"hours": remaining, "count": int(in_backlog.sum())}
            overdue_rows[edge - 1] = {"count": int(overdue.sum())}
            points.append(
                BacklogPoint(
                    at.to_pydatetime(),
                    int(in_backlog.sum()),
                    float(remaining),
                    kpis.backlog_weeks(float(remaining), capacity),
                )
            )
            backlog_ids, overdue_ids = orders.index[in_backlog], orders.index[overdue]
        self._backlog_points = tuple(points)
        # A snapshot is not a sum: bucket b's parts are the state at its end, and the
        # period's figure is the state at the period's end (the last bucket).
        backlog = self._snapshot_figure(
            "backlog",
            backlog_rows,
            lambda p: kpis.backlog_weeks(p["hours"], capacity),
            backlog_ids,
            note_of=lambda p: (
                f"{int(p['count'])} orders, {p['hours']:,.1f} h remaining; "
                f"crew {capacity:,.1f} h/week"
            ),
        )
        overdue = self._snapshot_figure(
            "overdue",
            overdue_rows,
            lambda p: float(p["count"]),
            overdue_ids,
            note_of=lambda p: "open orders past their due time",
        )
        return [backlog, overdue]

    def _snapshot_figure(
        self, key: str, rows: dict[int, dict[str, float]], formula: Any, ids: Any, note_of: Any
    ) -> KpiFigure:
        definition = kpis.DEFINITION_BY_KEY[key]
        parts = pd.DataFrame.from_dict(rows, orient="index")
        value = _plain(formula(parts.loc[self.n]))
        return KpiFigure(
            key=key,
            label=definition.label,
            unit=definition.unit,
            source=definition.source,
            formula=definition.formula,
            value=value,
            text=_format(value, definition.unit),
            previous=_plain(formula(parts.loc[0])),
            trend=tuple(_plain(formula(parts.loc[b])) for b in self.current),
            note=note_of(parts.loc[self.n]),
            work_order_ids=_ids(ids),
            higher_is_better=definition.higher_is_better,
        )

    def _pm(self, source: PmComplianceSource | None) -> KpiFigure:
        definition = kpis.DEFINITION_BY_KEY["pm_compliance"]
        if source is None:
            self._pm_months = None
            return KpiFigure(
                key="pm_compliance",
                label=definition.label,
                unit=definition.unit,
                source=definition.source,
                formula=definition.formula,
                value=None,
                text="not available",
                previous=None,
                trend=(),
                note="needs the PM schedules (their intervals set the grace); not connected",
                work_order_ids=(),
                higher_is_better=definition.higher_is_better,
            )
        keep = set(self.selected.index)
        due = pd.DataFrame(
            [
                (d.work_order_id, d.due_at, d.done_in_grace)
                for d in source.pm_due(self.w.start, self.w.end)
                if d.asset_id in keep
            ],
            columns=["work_order_id", "due_at", "done"],
        )
        due["due_at"] = pd.to_datetime(due["due_at"], utc=True)
        due["bucket"] = self.w.code(due["due_at"])
        parts = due.groupby("bucket").agg(done=("done", "sum"), due=("done", "size"))
        current = due[due["bucket"].between(1, self.n)]
        months = current.groupby(current["due_at"].dt.strftime("%Y-%m")).agg(
            done=("done", "sum"), due=("done", "size")
        )
        self._pm_months = tuple(
            PmMonth(
                str(m),
                int(r["due"]),
                int(r["done"]),
                kpis.pm_compliance_percent(int(r["done"]), int(r["due"])),
            )
            for m, r in months.iterrows()
        )
        return self._figure(
            "pm_compliance",
            parts,
            lambda p: kpis.pm_compliance_percent(int(p["done"]), int(p["due"])),
            current["work_order_id"],
            note=f"{len(current)} PM orders due",
        )

    def _schedule(self) -> KpiFigure:
        """SMRP 5.4.4 over the weeks that began in each bucket and have ended by now."""
        orders = self.orders[self.orders["scheduled_start"].notna()]
        week = kpis.week_start(orders["scheduled_start"])
        on_schedule = kpis.on_week_schedule(
            week,
            orders["scheduled_at"],
            orders["started_at"],
            orders["completed_at"],
            orders["cancelled_at"],
        )
        ended = week + np.timedelta64(7, "D") <= pd.Timestamp(self.w.now)
        frame = pd.DataFrame(
            {
                "bucket": self.w.code(week),
                "on": on_schedule & ended,
                "done": on_schedule & ended & kpis.completed_in_week(week, orders["completed_at"]),
            }
        )
        frame = frame[frame["on"]]
        parts = frame.groupby("bucket").agg(done=("done", "sum"), on=("on", "sum"))
        current = frame[frame["bucket"].between(1, self.n)]
        return self._figure(
            "schedule_compliance",
            parts,
            lambda p: kpis.schedule_compliance_percent(int(p["done"]), int(p["on"])),
            current.index,
            note=f"{len(current)} orders on weekly schedules that have ended",
        )

    def _labour_shares(self) -> list[KpiFigure]:
        facts = ["type", "is_failure", "scheduled_at", "started_at", "estimate_hours"]
        labour = self.labour[self.labour["bucket"].between(0, self.n)]
        labour = labour.join(self.orders[facts], on="work_order_id")
        labour["planned"] = kpis.is_planned_work(
            labour["scheduled_at"], labour["started_at"], labour["estimate_hours"]
        )
        labour["reactive"] = kpis.is_reactive_work(
            labour["type"], labour["scheduled_at"], labour["started_at"]
        )
        labour["proactive"] = kpis.is_proactive_work(labour["type"], labour["is_failure"])
        labour["emergency"] = kpis.is_emergency_work(labour["type"])
        figures = []
        current = labour[labour["bucket"].between(1, self.n)]
        for key, flag in (
            ("planned_work", "planned"),
            ("reactive_work", "reactive"),
            ("proactive_work", "proactive"),
            ("emergency_share", "emergency"),
        ):
            labour["share"] = labour["hours"].where(labour[flag], 0.0)
            parts = labour.groupby("bucket")[["share", "hours"]].sum()
            figures.append(
                self._figure(
                    key,
                    parts,
                    lambda p: kpis.labour_share_percent(p["share"], p["hours"]),
                    current.loc[current[flag], "work_order_id"],
                    note=f"of {current['hours'].sum():,.1f} labour hours (by entry date)",
                )
            )
        return figures

    def _utilisation(self) -> KpiFigure:
        available = {
            b: self.crew.weekly_hours * self.w.elapsed_hours(b) / kpis.HOURS_PER_WEEK
            for b in range(0, self.n + 1)
        }
        parts = pd.DataFrame(
            {
                "logged": pd.Series(self.crew.logged_by_bucket, dtype=float),
                "available": pd.Series(available, dtype=float),
            }
        ).fillna(0.0)
        labour = self.labour
        current = labour[labour["bucket"].between(1, self.n)]
        now = parts.reindex(list(self.current), fill_value=0.0).sum()
        return self._figure(
            "utilisation",
            parts,
            lambda p: kpis.utilisation_percent(p["logged"], p["available"]),
            current["work_order_id"],
            note=(
                f"{now['logged']:,.0f} h booked of {now['available']:,.0f} h; "
                f"{self.crew.technicians} active technicians, site-wide, absences not recorded"
            ),
        )

    # Cost

    def _cost(self) -> list[KpiFigure]:
        """Cost of orders completed in each bucket (KPIS.md: costs count at completion)."""
        completed = self.orders[self.orders["completed_bucket"].between(0, self.n)]
        labour_cost = self.labour.groupby("work_order_id")["cost"].sum()
        per_order = pd.DataFrame(
            {
                "bucket": completed["completed_bucket"],
                "asset_id": completed["asset_id"],
                "labour": labour_cost.reindex(completed.index, fill_value=0.0),
                "parts": self.parts.reindex(completed.index, fill_value=0.0),
            }
        )
        per_order["cost"] = kpis.maintenance_cost(per_order["labour"], per_order["parts"], 0.0, 0.0)
        parts = per_order.groupby("bucket")[["cost"]].sum()
        current = per_order[per_order["bucket"].between(1, self.n)]
        self._cost_by_asset = self._asset_costs(current)
        rav = float(self.selected["replacement_value"].sum())
        cost = self._figure(
            "cost",
            parts,
            lambda p: float(p["cost"]),
            current.index,
            note=f"{len(current)} orders completed; labour, parts issued (no external cost field)",
        )
        days = {b: self.w.elapsed_hours(b) / 24.0 for b in range(0, self.n + 1)}
        parts = parts.reindex(range(0, self.n + 1), fill_value=0.0)
        parts["days"] = pd.Series(days)
        ratio = self._figure(
            "cost_rav",
            parts,
            lambda p: kpis.cost_to_rav_percent(p["cost"], p["days"], rav),
            current.index,
            note=f"annualised; replacement value {rav:,.0f}",
        )
        return [cost, ratio]

    def _asset_costs(self, current: pd.DataFrame) -> tuple[AssetCost, ...]:
        own = current.groupby("asset_id")[["labour", "parts", "cost"]].sum()
        rolled = own["cost"].copy()
        parents = self.assets["parent_id"]
        for asset_id, cost in own["cost"].items():
            parent = parents.get(asset_id)
            while parent is not None and not pd.isna(parent):
                rolled[int(parent)] = rolled.get(int(parent), 0.0) + cost
                parent = parents.get(int(parent))
        rows = [
            AssetCost(
                code=str(self.assets.at[asset_id, "code"]),
                name=str(self.assets.at[asset_id, "name"]),
                labour_cost=float(own["labour"].get(asset_id, 0.0)),
                parts_cost=float(own["parts"].get(asset_id, 0.0)),
                own_cost=float(own["cost"].get(asset_id, 0.0)),
                rolled_up_cost=float(total),
                replacement_value=float(self.assets.at[asset_id, "replacement_value"]),
            )
            for asset_id, total in rolled.items()
            if asset_id in self.selected.index
        ]
        rows.sort(key=lambda r: (-r.own_cost, -r.rolled_up_cost, r.code))
        return tuple(rows)


def _plain(value: Any) -> float | None:
    """A figure as a Python float (never numpy's), None when it has no value."""
    return None if value is None or pd.isna(value) else float(value)


def _mode_labels() -> dict[str, str]:
    return {c.code: c.label for c in code_lists()["failure_mode"]}


def _format(value: float | None, unit: str) -> str:
    if value is None:
        return "n/a"
    if unit == "%":
        return f"{value:.1f} %"
    if unit == "orders":
        return f"{value:,.0f}"
    if unit == "cost":
        return f"{value:,.0f}"
    if unit == "weeks":
        return f"{value:,.1f} weeks"
    return f"{value:,.1f} {unit}"


def utc_day(day: date) -> datetime:
    """Midnight UTC of a calendar day: how the CLI turns --from/--to into a period."""
    return datetime(day.year, day.month, day.day, tzinfo=UTC)
