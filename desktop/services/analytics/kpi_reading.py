"""The reading half of the KPI service: the period's buckets and the records the figures need.

The orders open or completed in the period and the one before it, their labour entries and the
downtime periods come from the packed facts (`kpi_facts`), selected here with numpy; the
assets, the crew and the parts cost of the orders come from SQL. Buckets are coded alike for
times and labour dates: -1 before the previous period, 0 the previous period, 1..n the slices
of the period, n + 1 after it. What the records mean is for `desktop.domain.kpis` to say;
nothing here decides it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from sqlalchemy import String, case, or_, select, type_coerce

from desktop.domain.enums import Origin, Role, WorkOrderType
from desktop.domain.errors import NotFound, ValidationFailed
from desktop.domain.failure_codes import code_lists
from desktop.domain.kpis import EARLIEST, LATEST
from desktop.domain.phrases import Phrase
from desktop.services.analytics.kpi_records import MAX_BUCKETS, KpiQuery
from desktop.services.stock.stock_engine import parts_used
from desktop.store.epoch import epoch_seconds
from desktop.store.inventory_models import StockMovement
from desktop.store.models import Asset, User, WorkOrder

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sqlalchemy import ColumnElement, Connection, Executable, Select

    from desktop.services.analytics.kpi_facts import Facts

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
        """Bucket code of each time; NaT gets n + 2 (no bucket).

        Over the times' own integers (nanoseconds or microseconds, coarser ones as
        microseconds): a million orders' times are neither converted nor copied, and the codes
        are the one array made (the edges are whole microseconds, so the comparisons are those
        of the times themselves).
        """
        unit = times.dt.unit
        if unit not in ("ns", "us"):
            unit = "us"
        edges = pd.DatetimeIndex(list(self.edges)).as_unit(unit).asi8
        values = times.dt.as_unit(unit).array.asi8
        codes: np.ndarray = np.searchsorted(edges, values, side="right")
        codes -= 1
        codes[values == NAT] = self.n + 2
        return codes

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


def read_records(conn: Connection, query: KpiQuery, window: Window, facts: Facts) -> KpiRecords:
    """The records of the period, the one before it and the selected assets: the assets, the
    crew and the parts ledger from SQL, the orders, labour and downtime from the packed facts
    (`kpi_facts`), selected by the same rules the SQL of `_touches` and co. spells out."""
    assets = read_assets(conn)
    selected = select_assets(assets, query)
    ids = None if unfiltered(query) else selected.index.to_numpy(dtype="int64")
    tech_ids, weekly = _technicians(conn)
    picked = _Picked(facts, window, ids)
    labour = _labour(facts, window, picked)
    orders = _orders(conn, facts, picked)
    downtime = _downtime(facts, window, picked, ids)
    if ids is None:
        # Unfiltered, the labour rows hold every entry of the window: no second pass.
        technicians = facts.labour["technician_id"]
        if picked.entries is not None:
            technicians = technicians[picked.entries]
        bucket = labour["bucket"].to_numpy()
        counted = _crew_mask(technicians, tech_ids)
        counted &= bucket >= 0
        counted &= bucket <= window.n
        hours = labour["hours"].to_numpy()[counted]
        # A bucket with no entries logged 0 hours.
        logged = dict(enumerate(np.bincount(bucket[counted], hours, minlength=window.n + 1)))
    else:
        logged = _crew_logged(facts, window, tech_ids)
    crew = Crew(weekly, len(tech_ids), {int(k): float(v) for k, v in logged.items()})
    parts = parts_cost_by_work_order(conn, orders.index)
    return KpiRecords(assets, selected, orders, labour, downtime, crew, parts)


def parts_cost_by_work_order(conn: Connection, work_order_ids: pd.Index) -> pd.Series:
    """Net parts cost (issued − returned) per work order, from the stock ledger's one query.

    All issue and return rows are grouped once (far fewer than orders) rather than sent a long
    IN list of ids. `work_order_ids` ascend (the orders frame is in id order): the ledger's
    orders are found by a binary search, where a reindex hashed a million ids.
    """
    rows = conn.execute(
        parts_used(StockMovement.work_order_id).where(StockMovement.work_order_id.is_not(None))
    ).all()
    ids = work_order_ids.to_numpy(dtype="int64")
    used = np.array([row.work_order_id for row in rows], dtype="int64")
    at = np.searchsorted(ids, used)
    known = at < len(ids)
    known[known] = ids[at[known]] == used[known]
    cost = np.zeros(len(ids))
    cost[at[known]] = np.array([float(row.cost) for row in rows], dtype="float64")[known]
    return pd.Series(cost, index=work_order_ids, copy=False)


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


def order_facts(modes: Sequence[str]) -> Select[Any]:
    """The order columns the KPIs read, all as numbers (packed by `kpi_facts`)."""
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


NAT = np.iinfo("int64").min
"""A missing time in the packed facts (numpy's and pandas' NaT)."""


def _edge_ns(at: datetime) -> int:
    return (at - EPOCH) // timedelta(microseconds=1) * 1000


def _day(at: date) -> int:
    return (at - EPOCH.date()).days


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
UTC_TIMES = pd.DatetimeTZDtype("ns", "UTC")


class _Picked:
    """Which orders and labour entries the window reads (positions into the facts).

    Orders: raised before the window ends and not finished before it began, on the selected
    assets; and the few finished earlier that still got labour booked in the window. Labour:
    every entry of those orders (backlog subtracts it from the estimate, cost counts it at
    completion) and every entry dated in the window, on the selected assets' orders. `orders`
    and `entries` are None when every one is read (a long period): the frames then stand on
    the packed columns themselves, and a million positions are neither made nor copied.
    """

    def __init__(self, facts: Facts, window: Window, ids: np.ndarray | None) -> None:
        o, lab = facts.orders, facts.labour
        self._ids = o["id"]
        self._table: np.ndarray | None = None
        start, end = _edge_ns(window.start), _edge_ns(window.end)
        completed, cancelled = o["completed_at"], o["cancelled_at"]
        # In place: each million-row comparison reuses the masks already made.
        touches = o["requested_at"] < end
        touches &= _missing_or_from(completed, start)
        touches &= _missing_or_from(cancelled, start)
        self.completed_in = completed >= start
        self.completed_in &= completed < end
        order_of_entry = self.positions(lab["work_order_id"])
        days = lab["day"]
        wanted = days >= _day(window.start.date())
        wanted &= days < _day(end_date(window.end))
        wanted |= touches[order_of_entry]
        if ids is not None:
            on_assets = np.isin(o["asset_id"], ids)
            wanted &= on_assets[order_of_entry]
            touches &= on_assets
        self.entries = None if wanted.all() else np.flatnonzero(wanted)
        if self.entries is not None:
            order_of_entry = order_of_entry[self.entries]
        chosen = touches  # not read any more as such: the picked orders are marked in it
        chosen[order_of_entry] = True
        self.orders = None if chosen.all() else np.flatnonzero(chosen)
        self.row_of_entry = order_of_entry
        """Each picked entry's row in the orders frame (its orders are all picked)."""
        if self.orders is not None:
            rank = np.full(len(self._ids), -1, dtype=ROW)
            rank[self.orders] = np.arange(len(self.orders), dtype=ROW)
            self.row_of_entry = rank[order_of_entry]

    def positions(self, order_ids: np.ndarray) -> np.ndarray:
        """Each of `order_ids`' position among the orders (all must be there).

        The ids are sorted and distinct; when they have no gaps (the usual case: rows are not
        deleted) a position is the id less the first, otherwise a look-up table over the ids
        (they are small positive keys) beats a search.
        """
        ids = self._ids
        if len(ids) and int(ids[-1]) - int(ids[0]) == len(ids) - 1:
            shifted: np.ndarray = np.subtract(order_ids, ids[0], dtype=ROW)
            return shifted
        if self._table is None:
            self._table = np.zeros(int(ids.max(initial=0)) + 1, dtype=ROW)
            self._table[ids] = np.arange(len(ids), dtype=ROW)
        looked_up: np.ndarray = self._table[order_ids]
        return looked_up


ROW = np.dtype("int64")
"""Row positions: the consumers index and count with them, and numpy does both fastest with
its own index type. As int32 the entries' rows would take 6 MB less, but the dashboard's
look-ups and counts over them cost 19 ms more (numpy casts such an index piecewise, and
`bincount` copies it whole)."""


def _missing_or_from(times: np.ndarray, start: int) -> np.ndarray:
    """Which packed times are missing (NaT) or at or after `start`, one mask made."""
    mask = times >= start
    mask |= times == NAT
    return mask


def _timestamps(nanoseconds: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """Packed times (UTC nanoseconds, NaT for none) as a pandas time column: over the packed
    column itself, which is read-only (a copy of a million orders' times cost 64 MB)."""
    return pd.DatetimeIndex(nanoseconds, dtype=UTC_TIMES, copy=False).array


def _orders(conn: Connection, facts: Facts, picked: _Picked) -> pd.DataFrame:
    """The picked orders' facts as a frame indexed by id, in id order."""
    o, at = facts.orders, picked.orders

    modes = [c.code for c in code_lists()["failure_mode"]]
    ids = _taken(o["id"], at)
    index = pd.Index(ids, dtype="int64", name="id")
    types, origins = [t.value for t in WorkOrderType], [str(m) for m in Origin]
    # The packed columns as they are where pandas reads them alike: asset ids as int32 (looked
    # up, grouped and compared, never indexed by), flags as the packed bytes.
    columns = {
        "type": pd.Categorical.from_codes(_taken(o["type"], at), categories=types),
        "origin": pd.Categorical.from_codes(_taken(o["origin"], at), categories=origins),
        "is_failure": _flags(_taken(o["is_failure"], at)),
        "asset_id": _taken(o["asset_id"], at),
        "estimate_hours": _taken(o["estimate_hours"], at),
        # Plain objects: pandas would otherwise look at a million values to infer a string
        # type; not copied again into the series (pandas copies an array it is given).
        "failure_mode": pd.Series(
            _mode_texts(conn, ids, _taken(o["failure_mode"], at), modes),
            index,
            dtype=object,
            copy=False,
        ),
        **{name: _timestamps(_taken(o[name], at)) for name in ORDER_TIMES},
    }
    # One block per column, not copied into 2-D blocks: a million rows are copied once less.
    return pd.DataFrame(columns, index=index, copy=False)


def _mode_texts(
    conn: Connection, ids: np.ndarray, codes: np.ndarray, modes: Sequence[str]
) -> np.ndarray:
    """Failure-mode codes of the orders `ids` back to their text: None where not coded,
    unlisted modes read."""
    texts: np.ndarray = np.array([*modes, None, None], dtype=object)[codes]
    unlisted = np.flatnonzero(codes == UNLISTED)
    for begin in range(0, len(unlisted), ID_CHUNK):
        at = unlisted[begin : begin + ID_CHUNK]
        rows = conn.execute(
            select(WorkOrder.id, WorkOrder.failure_mode).where(WorkOrder.id.in_(ids[at].tolist()))
        ).all()
        found = {row.id: row.failure_mode for row in rows}
        texts[at] = [found.get(order_id) for order_id in ids[at].tolist()]
    return texts


BUCKET = np.dtype("int16")
"""Bucket codes (-1 .. 13): the consumers multiply them by a few dozen at most."""


def _day_codes(window: Window, days: np.ndarray) -> np.ndarray:
    """Bucket code of labour dates: an entry dated d falls where d's midnight (UTC) falls,
    -1 before the previous period, 0 in it, 1..n in the period's slices, n + 1 after it.

    A table by day over the edges' span, days outside it clipped to its ends: a look-up per
    entry instead of a search (a quarter of the time), and codes in 2 bytes, not 8.
    """
    edges = np.array([_day(end_date(edge)) for edge in window.edges], dtype="int64")
    first, last = int(edges[0]) - 1, int(edges[-1])
    table = (np.searchsorted(edges, np.arange(first, last + 1), side="right") - 1).astype(BUCKET)
    offsets = np.clip(days, first, last)
    offsets -= first
    codes: np.ndarray = table[offsets]
    return codes


def _labour(facts: Facts, window: Window, picked: _Picked) -> pd.DataFrame:
    """The picked labour entries: their order's row in the orders frame, the bucket of their
    date, hours and cost."""
    lab, at = facts.labour, picked.entries

    return pd.DataFrame(
        {
            "order_row": picked.row_of_entry,
            "bucket": _day_codes(window, _taken(lab["day"], at)),
            "hours": _taken(lab["hours"], at),
            "cost": _taken(lab["cost"], at),
        },
        copy=False,
    )


def _downtime(
    facts: Facts, window: Window, picked: _Picked, ids: np.ndarray | None
) -> pd.DataFrame:
    """Downtime periods that overlap the window or belong to an order completed in it, with or
    without an order (every recorded stop counts against availability); a period still open
    has no end (the domain closes it at now)."""
    d = facts.downtime
    start, end = _edge_ns(window.start), _edge_ns(window.end)
    keep = d["end"] > start
    keep |= d["end"] == NAT
    keep &= d["start"] < end
    has_order = d["work_order_id"] >= 0
    if len(facts.orders["id"]):
        # A period with no order looks at the first order, then is left out by `has_order`.
        of_order = np.where(has_order, d["work_order_id"], facts.orders["id"][0])
        keep |= picked.completed_in[picked.positions(of_order)] & has_order
    if ids is not None:
        keep &= np.isin(d["asset_id"], ids)
    at = None if keep.all() else np.flatnonzero(keep)

    return pd.DataFrame(
        {
            # Nullable over the packed ids themselves: no order is a masked -1.
            "work_order_id": pd.arrays.IntegerArray(
                _taken(d["work_order_id"], at), ~_taken(has_order, at)
            ),
            "asset_id": _taken(d["asset_id"], at),
            "planned": _flags(_taken(d["planned"], at)),
            "start": _timestamps(_taken(d["start"], at)),
            "end": _timestamps(_taken(d["end"], at)),
        },
        copy=False,
    )


def _taken(values: np.ndarray, at: np.ndarray | None) -> np.ndarray:
    """A packed column's picked rows; the column itself when every row is picked (None)."""
    return values if at is None else values[at]


def _flags(values: np.ndarray) -> np.ndarray:
    """Packed 0/1 flags as booleans: the packed bytes themselves when they are all 0 or 1 (the
    columns are NOT NULL, so they are), a copy otherwise."""
    if len(values) == 0 or (values.min() >= 0 and values.max() <= 1):
        return values.view(bool)
    return values.astype(bool)


def _technicians(conn: Connection) -> tuple[list[int], float]:
    """Active technicians and their weekly straight-time hours (site-wide: the crew serves
    every area, so utilisation and capacity ignore the asset filter)."""
    technicians = conn.execute(
        select(User.id, User.weekly_hours).where(
            User.role == Role.TECHNICIAN, User.active.is_(True)
        )
    ).all()
    return [row.id for row in technicians], float(sum(r.weekly_hours for r in technicians))


def _crew_mask(technicians: np.ndarray, tech_ids: list[int]) -> np.ndarray:
    """Which entries the active technicians booked (a look-up table by user id)."""
    active = np.zeros(int(max([*tech_ids, int(technicians.max(initial=0))])) + 1, dtype=bool)
    active[tech_ids] = True
    booked: np.ndarray = active[technicians]
    return booked


def _crew_logged(facts: Facts, window: Window, tech_ids: list[int]) -> dict[int, float]:
    """The crew's labour hours per bucket over every order, whatever the asset filter."""
    lab = facts.labour
    days = lab["day"]
    dated_in = (days >= _day(window.start.date())) & (days < _day(end_date(window.end)))
    at = np.flatnonzero(dated_in & _crew_mask(lab["technician_id"], tech_ids))
    hours = pd.Series(lab["hours"][at]).groupby(_day_codes(window, days[at])).sum()
    return {int(k): float(v) for k, v in hours.items()}
