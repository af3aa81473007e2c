"""The reading half of the KPI service: the period's buckets and the records the figures need.

Grouped SQL queries fetch only what the period and the one before it touch: the orders open or
completed in that window, their labour summed per order and bucket, the downtime periods, the
crew and the parts cost of the orders. Buckets are coded the same way in SQL and in pandas:
-1 before the previous period, 0 the previous period, 1..n the slices of the period, n + 1
after it. What the records mean is for `desktop.domain.kpis` to say; nothing here decides it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from sqlalchemy import Float, String, and_, case, func, or_, select, type_coerce

from desktop.domain.enums import Origin, Role, WorkOrderType
from desktop.domain.errors import NotFound, ValidationFailed
from desktop.domain.failure_codes import code_lists
from desktop.domain.kpis import EARLIEST, LATEST
from desktop.domain.phrases import Phrase
from desktop.services.analytics.kpi_records import MAX_BUCKETS, KpiQuery
from desktop.services.stock.stock_engine import parts_used
from desktop.store.epoch import epoch_seconds
from desktop.store.inventory_models import StockMovement
from desktop.store.models import Asset, DowntimePeriod, LabourEntry, User, WorkOrder

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sqlalchemy import ColumnElement, Connection, Executable, Select

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
"""Ids per IN list: well below every engine's limit on bound parameters."""


@dataclass(frozen=True)
class Window:
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

    def begun_days(self, index: int) -> int:
        """Days of bucket `index` that have begun by now, today included: the days labour is
        booked on (KPIS.md: labour counts by the date of the entry)."""
        first = self.edges[index].date()
        stop = min(end_date(self.edges[index + 1]), self.now.date() + timedelta(days=1))
        return max((stop - first).days, 0)

    def snapshot(self, edge_index: int) -> pd.Timestamp:
        return pd.Timestamp(min(self.edges[edge_index], self.now))


def make_window(query: KpiQuery, now: datetime) -> Window:
    """Check the period and cut it into whole-day buckets."""
    problems = {}
    if query.start.tzinfo is None or query.end.tzinfo is None:
        problems["period"] = "give the period as aware (UTC) times"
    elif query.end - query.start < timedelta(days=1):
        problems["period"] = "the period must be at least one day long (--to after --from)"
    elif query.start - EARLIEST < query.end - query.start or query.end > LATEST:
        # The figures compare with the period of the same length just before it.
        problems["period"] = Phrase(
            "this period and the one before it must lie between {earliest} and {latest}",
            earliest=EARLIEST.date(),
            latest=LATEST.date(),
        )
    if not 1 <= query.buckets <= MAX_BUCKETS:
        problems["buckets"] = Phrase("1 to {max_buckets}", max_buckets=MAX_BUCKETS)
    if problems:
        raise ValidationFailed(problems)
    length = query.end - query.start
    days = max(int(length / timedelta(days=1)), 1)
    count = min(query.buckets, days)
    inner = [query.start + timedelta(days=round(days * i / count)) for i in range(1, count)]
    edges = (query.start - length, query.start, *inner, query.end)
    return Window(edges, now)


def end_date(end: datetime) -> date:
    """The first day not in a window ending at `end` (a part day counts whole)."""
    day = end.date()
    return day if end.time() == datetime.min.time() else day + timedelta(days=1)


class DateWindow:
    """Bucket codes of labour dates: an entry dated d falls where d's midnight (UTC) falls."""

    def __init__(self, window: Window) -> None:
        self._edges = [end_date(edge) for edge in window.edges]
        self._n = window.n

    def sql_code(self, column: Any) -> ColumnElement[int]:
        whens = [(column < edge, index - 1) for index, edge in enumerate(self._edges)]
        return case(*whens, else_=self._n + 1)


def raw_time(column: Any) -> Any:
    """A time column read as epoch seconds (see `desktop.store.epoch`), named as the column."""
    return epoch_seconds(column).label(column.key)


def read_frame(conn: Connection, statement: Executable, times: Sequence[str]) -> pd.DataFrame:
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


def read_numbers(
    conn: Connection, statement: Executable, times: Sequence[str], integers: Sequence[str] = ()
) -> pd.DataFrame:
    """Rows of numbers only (ids, codes, flags, hours, times as epoch seconds; NULL as NaN) as
    a DataFrame: numpy turns the driver's tuples into one float array in a single C pass, two
    to three times faster than `read_frame`'s per-column type inference on a million rows.
    `integers` are columns that hold no NULL and come back as int64."""
    result = conn.execute(statement)
    columns = list(result.keys())
    rows = result.cursor.fetchall()
    result.close()
    values = np.array(rows, dtype="float64").reshape(len(rows), len(columns))
    frame = pd.DataFrame(values, columns=columns)
    for name in integers:
        frame[name] = frame[name].astype("int64")
    for name in times:
        frame[name] = pd.to_datetime(frame[name], unit="s", utc=True).dt.round("ms")
    return frame


def read_assets(conn: Connection) -> pd.DataFrame:
    """Every asset with what the filters, the roll-up and operating hours need, indexed by id."""
    statement = select(
        Asset.id,
        Asset.code,
        Asset.name,
        Asset.parent_id,
        type_coerce(Asset.level, String).label("level"),
        Asset.asset_class,
        type_coerce(Asset.criticality, String).label("criticality"),
        Asset.replacement_value,
        Asset.install_date.label("installed_on"),
    )
    frame = read_frame(conn, statement, ()).set_index("id")
    frame["installed_on"] = pd.to_datetime(frame["installed_on"], utc=True)
    return frame


def select_assets(assets: pd.DataFrame, query: KpiQuery) -> pd.DataFrame:
    """The assets the filters keep: the area's subtree, then class and criticality."""
    chosen = assets
    if query.area:
        roots = assets.index[assets["code"] == query.area]
        if len(roots) == 0:
            raise NotFound(Phrase("no asset {area}", area=query.area))
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


def unfiltered(query: KpiQuery) -> bool:
    return not (query.area or query.asset_classes or query.criticalities)


@dataclass(frozen=True)
class Crew:
    """The active technicians: weekly straight-time hours, head count, hours logged per bucket."""

    weekly_hours: float
    technicians: int
    logged_by_bucket: dict[int, float]


@dataclass(frozen=True)
class KpiRecords:
    """Everything one dashboard computation reads, as frames (see `read_records`)."""

    assets: pd.DataFrame
    selected: pd.DataFrame
    orders: pd.DataFrame
    labour: pd.DataFrame
    downtime: pd.DataFrame
    crew: Crew
    parts: pd.Series


def read_records(conn: Connection, query: KpiQuery, window: Window) -> KpiRecords:
    """The records of the period, the one before it and the selected assets."""
    assets = read_assets(conn)
    selected = select_assets(assets, query)
    ids = None if unfiltered(query) else selected.index.tolist()
    tech_ids, weekly = _technicians(conn)
    labour = _labour(conn, window, ids, tech_ids)
    orders = _orders(conn, window, ids, labour)
    downtime = _downtime(conn, window, ids)
    if ids is None:
        # Unfiltered, the labour rows hold every entry of the window: no second pass.
        booked = labour[labour["bucket"].between(0, window.n)]
        logged = booked.groupby("bucket")["crew_hours"].sum().to_dict()
    else:
        logged = _crew_logged(conn, window, tech_ids)
    crew = Crew(weekly, len(tech_ids), {int(k): float(v) for k, v in logged.items()})
    parts = parts_cost_by_work_order(conn, orders.index.tolist())
    return KpiRecords(assets, selected, orders, labour, downtime, crew, parts)


def parts_cost_by_work_order(conn: Connection, work_order_ids: Sequence[int]) -> pd.Series:
    """Net parts cost (issued − returned) per work order, from the stock ledger's one query.

    All issue and return rows are grouped once (far fewer than orders) rather than sent a long
    IN list of ids.
    """
    rows = conn.execute(
        parts_used(StockMovement.work_order_id).where(StockMovement.work_order_id.is_not(None))
    ).all()
    used = pd.Series({row.work_order_id: float(row.cost) for row in rows}, dtype="float64")
    return used.reindex(pd.Index(work_order_ids, dtype="int64"), fill_value=0.0)


def _codes(column: Any, members: Sequence[str]) -> ColumnElement[int]:
    """An enum column as a small number (its member's position): a million Python strings
    would cost more than the rest of the row."""
    text = type_coerce(column, String)
    return case(*((text == value, i) for i, value in enumerate(members)), else_=-1)


NOT_CODED = -1
UNLISTED = -2
"""Failure-mode codes of a failure with no mode, and of one whose mode is not in the shipped
list (read by id afterwards: the list is what the app accepts, so these are rare)."""


def _mode_code(modes: Sequence[str]) -> ColumnElement[int]:
    """The failure mode of a failure as its position in `modes`; the mode only on failures."""
    wo = WorkOrder
    known = [(wo.failure_mode == mode, i) for i, mode in enumerate(modes)]
    return case(
        (or_(wo.is_failure.is_not(True), wo.failure_mode.is_(None)), NOT_CODED),
        *known,
        else_=UNLISTED,
    )


def _order_facts(modes: Sequence[str]) -> Select[Any]:
    """The order columns the KPIs read, all as numbers (see `read_numbers`)."""
    wo = WorkOrder
    return select(
        wo.id,
        _codes(wo.type, [t.value for t in WorkOrderType]).label("type"),
        _codes(wo.origin, [o.value for o in Origin]).label("origin"),
        wo.is_failure,
        wo.asset_id,
        wo.estimate_hours,
        _mode_code(modes).label("failure_mode"),
        *(raw_time(getattr(wo, name)) for name in ORDER_TIMES),
    )


def _touches(window: Window) -> ColumnElement[bool]:
    """Orders raised before the window ends and not finished before it began."""
    wo = WorkOrder
    return and_(
        wo.requested_at < window.end,
        or_(wo.completed_at.is_(None), wo.completed_at >= window.start),
        or_(wo.cancelled_at.is_(None), wo.cancelled_at >= window.start),
    )


def _labour_in(window: Window) -> ColumnElement[bool]:
    return and_(
        LabourEntry.work_date >= window.start.date(),
        LabourEntry.work_date < end_date(window.end),
    )


def _orders(
    conn: Connection, window: Window, ids: list[int] | None, labour: pd.DataFrame
) -> pd.DataFrame:
    """Orders raised before the window ends and not finished before it began, and the few
    finished earlier that still got labour booked in the window."""
    modes = [c.code for c in code_lists()["failure_mode"]]
    facts = _order_facts(modes)
    statement = facts.where(_touches(window))
    if ids is not None:
        statement = statement.where(WorkOrder.asset_id.in_(ids))
    integers = ("id", "type", "origin", "asset_id", "failure_mode")
    frames = [read_numbers(conn, statement, ORDER_TIMES, integers)]
    booked = pd.Index(pd.unique(labour["work_order_id"].to_numpy(dtype="int64")))
    # A hash look-up: numpy's setdiff1d sorts a million ids and took over a second.
    late = np.sort(booked[~booked.isin(frames[0]["id"].to_numpy())].to_numpy())
    for begin in range(0, len(late), ID_CHUNK):
        chunk = late[begin : begin + ID_CHUNK].tolist()
        frames.append(
            read_numbers(conn, facts.where(WorkOrder.id.in_(chunk)), ORDER_TIMES, integers)
        )
    frame = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    frame = frame.set_index("id")
    frame["failure_mode"] = _mode_texts(conn, frame["failure_mode"], modes)
    for name, members in (("type", [t.value for t in WorkOrderType]), ("origin", list(Origin))):
        frame[name] = pd.Categorical.from_codes(
            frame[name].astype("int64"), categories=[str(m) for m in members]
        )
    frame["is_failure"] = frame["is_failure"].astype(bool)
    frame["estimate_hours"] = frame["estimate_hours"].astype(float)
    return frame


def _mode_texts(conn: Connection, codes: pd.Series, modes: Sequence[str]) -> pd.Series:
    """Failure-mode codes back to their text: None where not coded, unlisted modes read."""
    texts = pd.Series(np.array([*modes, None, None], dtype=object)[codes.to_numpy()], codes.index)
    unlisted = codes.index[codes == UNLISTED].tolist()
    for begin in range(0, len(unlisted), ID_CHUNK):
        chunk = unlisted[begin : begin + ID_CHUNK]
        rows = conn.execute(
            select(WorkOrder.id, WorkOrder.failure_mode).where(WorkOrder.id.in_(chunk))
        ).all()
        texts[[row.id for row in rows]] = [row.failure_mode for row in rows]
    return texts


def _labour(
    conn: Connection, window: Window, ids: list[int] | None, tech_ids: list[int]
) -> pd.DataFrame:
    """Labour hours and cost per order and bucket of the entry date (grouped in SQL), for the
    orders `_orders` loads: all their labour, also before the window, since backlog subtracts
    it from the estimate and cost counts it at completion. `crew_hours` are those booked by
    the active technicians (utilisation)."""
    wo, le = WorkOrder, LabourEntry
    bucket = DateWindow(window).sql_code(le.work_date).label("bucket")
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
    return read_numbers(conn, statement, (), ("work_order_id", "bucket"))


def _downtime(conn: Connection, window: Window, ids: list[int] | None) -> pd.DataFrame:
    """Downtime periods that overlap the window or belong to an order completed in it, with or
    without an order (every recorded stop counts against availability); a period still open
    has no end (the domain closes it at now)."""
    dp, wo = DowntimePeriod, WorkOrder
    statement = (
        select(dp.work_order_id, dp.asset_id, dp.planned, raw_time(dp.start), raw_time(dp.end))
        .outerjoin(wo, wo.id == dp.work_order_id)
        .where(
            or_(
                and_(dp.start < window.end, or_(dp.end.is_(None), dp.end > window.start)),
                and_(wo.completed_at >= window.start, wo.completed_at < window.end),
            )
        )
    )
    if ids is not None:
        statement = statement.where(dp.asset_id.in_(ids))
    frame = read_numbers(conn, statement, ("start", "end"), ("asset_id",))
    frame["planned"] = frame["planned"].astype(bool)
    frame["work_order_id"] = frame["work_order_id"].astype("Int64")
    return frame


def _technicians(conn: Connection) -> tuple[list[int], float]:
    """Active technicians and their weekly straight-time hours (site-wide: the crew serves
    every area, so utilisation and capacity ignore the asset filter)."""
    technicians = conn.execute(
        select(User.id, User.weekly_hours).where(
            User.role == Role.TECHNICIAN, User.active.is_(True)
        )
    ).all()
    return [row.id for row in technicians], float(sum(r.weekly_hours for r in technicians))


def _crew_logged(conn: Connection, window: Window, tech_ids: list[int]) -> dict[int, float]:
    """The crew's labour hours per bucket over every order, whatever the asset filter."""
    if not tech_ids:
        return {}
    code = DateWindow(window).sql_code(LabourEntry.work_date).label("bucket")
    rows = conn.execute(
        select(code, func.sum(LabourEntry.hours))
        .where(
            LabourEntry.technician_id.in_(tech_ids),
            LabourEntry.work_date >= window.start.date(),
            LabourEntry.work_date < end_date(window.end),
        )
        .group_by(code)
    ).all()
    return {int(row[0]): float(row[1]) for row in rows}
