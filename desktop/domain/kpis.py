"""KPI formulas (shared/KPIS.md): each defined once, with its formula and its source.

Two kinds of function live here. The figure formulas take the summed parts of a KPI (hours,
counts) so that the service can add the parts up per period and per bucket before dividing,
and the reader can redo the division by hand. The order rules take columns of work-order facts
(pandas Series) and say which orders or hours a figure counts; they are vectorised because the
service applies them to a million orders. Standards are cited by metric number only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from desktop.domain.enums import AssetLevel, Origin, WorkOrderType

if TYPE_CHECKING:
    from collections.abc import Sequence

HOURS_PER_WEEK = 168.0
DAYS_PER_YEAR = 365.25
EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
LATEST = datetime(2200, 1, 1, tzinfo=UTC)
"""KPI periods lie between these: beyond them date arithmetic and pandas' time range end."""

PROACTIVE_TYPES = frozenset(
    {WorkOrderType.PREVENTIVE, WorkOrderType.PREDICTIVE, WorkOrderType.INSPECTION}
)
"""SMRP 5.4.2: preventive, predictive and inspection work is proactive by its type."""
PROACTIVE_ORIGINS = frozenset(
    {Origin.PM_SCHEDULE, Origin.CONDITION_RULE, Origin.INSPECTION_FINDING}
)
"""SMRP 5.4.2: and so is whatever a PM schedule, a condition rule or an inspection raised."""
MEASURED_LEVELS = frozenset({AssetLevel.EQUIPMENT, AssetLevel.COMPONENT})
"""Levels whose hours MTBF and availability add up (SMRP 3.5.1, 2.2): areas and systems group
machines, and counting their calendar hours as well would count each machine twice."""


class MttrStart(StrEnum):
    """Where a repair's clock starts; the variant is a setting (KPIS.md, MTTR)."""

    FAILURE = "failure"
    """SMRP 3.5.2 (2009 edition): from the failure (downtime start, else the request). Default."""
    TECHNICIAN_START = "technician_start"
    """Current SMRP edition: from the moment the technician starts work."""


@dataclass(frozen=True)
class KpiDefinition:
    """What a figure means, shown beside it in the app and the CLI."""

    key: str
    label: str
    unit: str
    source: str
    formula: str
    higher_is_better: bool | None


DEFINITIONS: tuple[KpiDefinition, ...] = (
    KpiDefinition(
        "mttr",
        "MTTR",
        "h",
        "SMRP 3.5.2",
        "mean of (restored - failed) over failure orders completed in the period",
        False,
    ),
    KpiDefinition(
        "mtbf",
        "MTBF",
        "h",
        "SMRP 3.5.1",
        "operating hours of the assets / failure orders completed in the period",
        True,
    ),
    KpiDefinition(
        "availability",
        "Availability",
        "%",
        "SMRP 2.2",
        "(period - idle - downtime hours) / (period - idle hours) x 100",
        True,
    ),
    KpiDefinition(
        "backlog",
        "Backlog",
        "weeks",
        "SMRP 5.4.8",
        "sum of max(estimate - labour logged, 0) of approved..on_hold orders "
        "/ weekly crew capacity",
        None,
    ),
    KpiDefinition(
        "overdue", "Overdue", "orders", "derived", "open orders whose due time has passed", False
    ),
    KpiDefinition(
        "pm_compliance",
        "PM compliance",
        "%",
        "SMRP 5.4.14",
        "PM orders due in the period done by due + grace / PM orders due x 100",
        True,
    ),
    KpiDefinition(
        "schedule_compliance",
        "Schedule compliance",
        "%",
        "SMRP 5.4.4",
        "orders on a week's schedule completed that week / orders on the schedule x 100",
        True,
    ),
    KpiDefinition(
        "planned_work",
        "Planned work",
        "%",
        "SMRP 5.3.1",
        "labour hours on orders scheduled with an estimate before start / all labour hours x 100",
        True,
    ),
    KpiDefinition(
        "reactive_work",
        "Reactive work",
        "%",
        "SMRP 5.4.1",
        "labour hours on orders that broke into the week's schedule / all labour hours x 100",
        False,
    ),
    KpiDefinition(
        "proactive_work",
        "Proactive work",
        "%",
        "SMRP 5.4.2",
        "labour hours on PM, PdM and inspection orders and on work raised by a PM schedule, "
        "a condition rule or an inspection finding / all labour hours x 100",
        True,
    ),
    KpiDefinition(
        "emergency_share",
        "Emergency share",
        "%",
        "derived",
        "labour hours on emergency orders / all labour hours x 100",
        False,
    ),
    KpiDefinition(
        "utilisation",
        "Booked-time utilisation",
        "%",
        "derived (not wrench time, SMRP 5.6.1)",
        "labour hours logged by technicians / their available straight-time hours x 100",
        None,
    ),
    KpiDefinition(
        "cost",
        "Maintenance cost",
        "cost",
        "derived",
        "labour hours x rate + parts issued - parts returned + external cost, "
        "of orders completed in the period",
        False,
    ),
    KpiDefinition(
        "cost_rav",
        "Cost / RAV",
        "%",
        "SMRP 1.5",
        "annualised maintenance cost / replacement asset value x 100",
        False,
    ),
)

DEFINITION_BY_KEY = {d.key: d for d in DEFINITIONS}


def percent(part: float, whole: float) -> float | None:
    """part ÷ whole × 100; None for 0 ÷ 0 (shown as "n/a", KPIS.md)."""
    if whole == 0:
        return None
    return part / whole * 100.0


def mttr_hours(repair_hours_total: float, failures: int) -> float | None:
    """MTTR = Σ (restored − failed) ÷ number of failure orders. Hours. SMRP 3.5.2.

    The parts come from `repair_start` / `repair_end` per order; None when nothing failed.
    """
    if failures == 0:
        return None
    return repair_hours_total / failures


def mtbf_hours(operating_hours: float, failures: int) -> float | None:
    """MTBF = operating hours ÷ failure orders completed in the period. SMRP 3.5.1.

    Operating hours = running hours where a tag gives them, else period hours − downtime hours.
    None when there was no failure: the app says "no failures in N operating hours" instead.
    """
    if failures == 0:
        return None
    return operating_hours / failures


def availability_percent(
    period_hours: float, idle_hours: float, downtime_hours: float
) -> float | None:
    """Availability = uptime ÷ (period − idle) × 100, uptime = period − idle − downtime. SMRP 2.2.

    Downtime counts planned and unplanned periods; idle hours come from a running-state tag,
    else 0. Zero hours to be available in gives None ("n/a").
    """
    required = period_hours - idle_hours
    return percent(max(required - downtime_hours, 0.0), required)


def backlog_weeks(remaining_hours: float, weekly_capacity_hours: float) -> float | None:
    """Backlog = Σ remaining estimated hours ÷ weekly crew capacity. Crew-weeks. SMRP 5.4.8.

    Capacity = Σ straight-time weekly hours of active technicians − indirect hours; None when
    there is no capacity (no technicians), since any backlog is then endless.
    """
    if weekly_capacity_hours <= 0:
        return None
    return remaining_hours / weekly_capacity_hours


def pm_compliance_percent(done_in_grace: int, due: int) -> float | None:
    """PM compliance = PM orders due in the period done by due + grace ÷ PM orders due × 100.

    SMRP 5.4.14; grace defaults to 10 % of the schedule's interval (KPIS.md).
    """
    return percent(done_in_grace, due)


def schedule_compliance_percent(completed_in_week: int, on_schedule: int) -> float | None:
    """Schedule compliance = orders on a week's schedule completed that week ÷ on it × 100.

    SMRP 5.4.4; an order is on week W's schedule when it was `scheduled` at W's start with a
    scheduled start inside W.
    """
    return percent(completed_in_week, on_schedule)


def labour_share_percent(hours: float, total_hours: float) -> float | None:
    """A share of labour hours × 100: planned work (SMRP 5.3.1), reactive work (SMRP 5.4.1),
    proactive work (SMRP 5.4.2) and emergency share (derived) are all this ratio over the
    labour hours logged in the period (by entry date)."""
    return percent(hours, total_hours)


def utilisation_percent(logged_hours: float, available_hours: float) -> float | None:
    """Booked-time utilisation = hours logged ÷ available hours × 100 (derived).

    Available = weekly straight-time hours × weeks in the period, less absences. This is not
    wrench time (SMRP 5.6.1 needs work sampling). None when nobody was available.
    """
    return percent(logged_hours, available_hours)


def available_hours(weekly_hours: float, days: int) -> float:
    """Booked-time utilisation's denominator: weekly straight-time hours × days ÷ 7 (derived).

    By whole days, as labour is booked by date; absences are not recorded yet.
    """
    return weekly_hours * days / 7.0


def maintenance_cost(
    labour_cost: pd.Series, parts_issued: pd.Series, parts_returned: float, external: float
) -> pd.Series:
    """Cost = labour (hours × rate) + parts issued − parts returned + external cost (derived),
    per work order."""
    return labour_cost + parts_issued - parts_returned + external


def cost_to_rav_percent(cost: float, period_days: float, replacement_value: float) -> float | None:
    """Maintenance cost / RAV = (cost × 365.25 ÷ period days) ÷ replacement value × 100.

    SMRP 1.5: the period's cost is annualised first. None when the assets carry no RAV.
    """
    if period_days <= 0 or replacement_value <= 0:
        return None
    return cost * DAYS_PER_YEAR / period_days / replacement_value * 100.0


def weekly_capacity(weekly_hours: float, indirect_hours: float) -> float:
    """SMRP 5.4.8 capacity: straight-time weekly hours of active technicians − indirect hours."""
    return max(weekly_hours - indirect_hours, 0.0)


# Order rules: columns in, columns out.


def week_start(at: pd.Series) -> pd.Series:
    """Monday 00:00 UTC of the week holding each time: the week of a weekly schedule."""
    if str(at.dt.tz) != "UTC":
        return at.dt.floor("D") - at.dt.day_of_week * np.timedelta64(1, "D")
    # On the times' own integers (1970 began on a Thursday, three days after a Monday): a
    # tenth of the time of floor and day_of_week over a million orders.
    nanoseconds = at.dt.as_unit("ns").array.asi8
    monday = nanoseconds - (nanoseconds + 3 * _DAY_NS) % (7 * _DAY_NS)
    monday[nanoseconds == _NAT] = _NAT  # NaT stays NaT
    weeks = pd.DatetimeIndex(monday, dtype=pd.DatetimeTZDtype("ns", "UTC"), copy=False)
    return pd.Series(weeks.array, at.index, copy=False).dt.as_unit(at.dt.unit)


_DAY_NS = 86_400 * 10**9
_HOUR_NS = 3_600 * 10**9
_NAT = np.iinfo("int64").min
"""NaT as integer nanoseconds."""


def mttr_stages(
    requested_at: pd.Series,
    approved_at: pd.Series,
    started_at: pd.Series,
    completed_at: pd.Series,
    restored_at: pd.Series,
) -> dict[str, pd.Series]:
    """MTTR stages (derived), hours per order: raised → acknowledged (approved, or started on the
    emergency fast path) → started → completed → asset back up.

    A stage that ended before the one before it (the asset ran again before the paperwork was
    done) lasted 0 hours; a missing time leaves the stage out of that order's mean.
    """
    acknowledged = approved_at.fillna(started_at)
    steps = (
        ("raised to acknowledged", requested_at, acknowledged),
        ("acknowledged to started", acknowledged, started_at),
        ("started to completed", started_at, completed_at),
        ("completed to asset back up", completed_at, restored_at),
    )
    return {
        name: ((end - begin) / np.timedelta64(1, "h")).clip(lower=0.0) for name, begin, end in steps
    }


def on_week_schedule(
    week: pd.Series,
    scheduled_at: pd.Series,
    started_at: pd.Series,
    completed_at: pd.Series,
    cancelled_at: pd.Series,
) -> pd.Series:
    """SMRP 5.4.4: the order was in `scheduled` when week `week` (its scheduled start's week)
    began: it had entered `scheduled` and had not yet started, finished or been cancelled."""
    not_moved_on = [(at.isna() | (at >= week)) for at in (started_at, completed_at, cancelled_at)]
    return (scheduled_at <= week) & not_moved_on[0] & not_moved_on[1] & not_moved_on[2]


def completed_in_week(week: pd.Series, completed_at: pd.Series) -> pd.Series:
    """SMRP 5.4.4: completed before the week `week` ended."""
    return completed_at.notna() & (completed_at < week + np.timedelta64(7, "D"))


def is_planned_work(
    scheduled_at: pd.Series, started_at: pd.Series, estimate_hours: pd.Series
) -> pd.Series:
    """SMRP 5.3.1: the order was in `scheduled` with an estimate before work started."""
    before_start = started_at.isna() | (scheduled_at <= started_at)
    return scheduled_at.notna() & estimate_hours.notna() & before_start


def is_reactive_work(
    order_type: pd.Series, scheduled_at: pd.Series, started_at: pd.Series
) -> pd.Series:
    """SMRP 5.4.1: emergency work, and work started in a week it was not scheduled before.

    An order started in week W broke into the schedule unless it entered `scheduled` before W
    began; an order not started yet has broken into nothing.
    """
    started_week = week_start(started_at)
    unscheduled = scheduled_at.isna() | (scheduled_at >= started_week)
    return (order_type == WorkOrderType.EMERGENCY.value) | (started_at.notna() & unscheduled)


def is_proactive_work(order_type: pd.Series, origin: pd.Series) -> pd.Series:
    """SMRP 5.4.2: preventive, predictive and inspection orders, and orders raised by a PM
    schedule, a condition rule or an inspection's finding (KPIS.md: every order records its
    origin; a corrective order that is not flagged as a failure is not proactive by that alone).
    """
    by_type = _is_in(order_type, [t.value for t in PROACTIVE_TYPES])
    return by_type | _is_in(origin, [o.value for o in PROACTIVE_ORIGINS])


def _is_in(values: pd.Series, members: Sequence[str]) -> pd.Series:
    """`values.isin(members)`; for a categorical column decided once per category and looked
    up by code, where pandas' `isin` looked at a million orders' values one by one."""
    if not isinstance(values.dtype, pd.CategoricalDtype):
        return values.isin(members)
    hits = np.append(values.cat.categories.isin(members), False)  # code -1: no value
    return pd.Series(hits[values.cat.codes.to_numpy()], index=values.index)


def is_emergency_work(order_type: pd.Series) -> pd.Series:
    """Emergency share (derived): orders of type emergency."""
    return order_type == WorkOrderType.EMERGENCY.value


def remaining_hours(estimate_hours: pd.Series, labour_hours: pd.Series) -> pd.Series:
    """SMRP 5.4.8 per order: estimate − labour logged, floored at 0 (no estimate: 0)."""
    return (estimate_hours.fillna(0.0) - labour_hours.fillna(0.0)).clip(lower=0.0)


# Reliability over records: downtime periods, failure orders and assets as frames.
#
# The dashboard, the asset panel, the audit pack and the Weibull fits all call these, so MTTR,
# MTBF, operating and downtime hours have one definition. Times are UTC pandas timestamps.


def close_open_periods(downtime: pd.DataFrame, now: datetime) -> pd.DataFrame:
    """A period still open (no end) has lasted until now, and no further (KPIS.md)."""
    until = pd.Timestamp(now)
    return downtime.assign(end=downtime["end"].fillna(until).clip(upper=until))


def merge_periods(downtime: pd.DataFrame, by: Sequence[str] = ("asset_id",)) -> pd.DataFrame:
    """Overlapping or touching periods with equal `by` columns merged into one, so that no hour
    of an asset's downtime is counted twice (KPIS.md: availability, failure Pareto).

    Takes and returns columns `by`, start and end; open periods must be closed first.
    """
    keys = list(by)
    if downtime.empty:
        return downtime[[*keys, "start", "end"]].reset_index(drop=True)
    # The keys as one integer per row (failure modes are strings): sorting and grouping on it
    # is several times faster over a million orders' downtime than on the key columns.
    group = np.zeros(len(downtime), dtype="int64")
    for key in keys:
        codes, uniques = pd.factorize(downtime[key], sort=True, use_na_sentinel=False)
        group = group * max(len(uniques), 1) + codes
    firsts, ends = _runs(group, _nanos(downtime["start"]), _nanos(downtime["end"]))
    rows = downtime.iloc[firsts].reset_index(drop=True)
    merged = rows[keys].copy()
    merged["start"] = rows["start"]  # the earliest: each run is in start order
    merged["end"] = _like(ends, downtime["end"])
    return merged


def _runs(group: np.ndarray, start: np.ndarray, end: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The merged runs of periods (integer times) with equal `group`: the position of each
    run's first period and the run's end, in group then start order."""
    # By start, then stably by group: a radix sort for a few thousand groups, and a start
    # order that is already nearly there costs little; a lexsort of both keys cost ten times.
    order = np.argsort(start, kind="stable")
    narrow = group[order].astype(np.min_scalar_type(max(int(group.max(initial=0)), 0)))
    order = order[np.argsort(narrow, kind="stable")]
    group, start, end = group[order], start[order], end[order]
    reach = pd.Series(end).groupby(group).cummax().to_numpy()
    previous = np.roll(reach, 1)
    first_of_group = np.ones(len(group), dtype=bool)
    first_of_group[1:] = group[1:] != group[:-1]
    heads = np.flatnonzero(first_of_group | (start > previous))
    if len(heads) == 0:
        return heads, end[:0]
    return order[heads], np.maximum.reduceat(end, heads)


def _order_rows(ids: pd.Index, work_order_ids: pd.Series) -> np.ndarray:
    """Each row's position among the orders `ids`, -1 for another order or none.

    Over database ids, a look-up table (they are small positive keys): hashing a million
    orders' downtime into a group-by or `isin` cost several times as much.
    """
    if not pd.api.types.is_integer_dtype(ids.dtype) or (len(ids) and ids.min() < 0):
        by_hash: np.ndarray = ids.get_indexer(work_order_ids)  # keyed by number, say
        return by_hash
    wanted = ids.to_numpy(dtype="int64")
    given = work_order_ids.to_numpy(dtype="float64", na_value=np.nan)
    known = ~np.isnan(given)
    highest = max(int(wanted.max(initial=0)), int(given.max(initial=0, where=known)))
    position = np.full(highest + 2, -1)  # the last slot stands for no order
    position[wanted] = np.arange(len(wanted))
    rows: np.ndarray = position[np.where(known, given, highest + 1).astype("int64")]
    return rows


def _nanos(times: pd.Series) -> np.ndarray:
    """Times as integer nanoseconds since 1970 (UTC for aware times)."""
    nanoseconds: np.ndarray = times.dt.as_unit("ns").to_numpy(dtype="datetime64[ns]").view("int64")
    return nanoseconds


def _like(nanoseconds: np.ndarray, times: pd.Series) -> pd.Series:
    """Integer nanoseconds back as times of the same type as `times`."""
    tz = times.dt.tz
    dtype = pd.DatetimeTZDtype("ns", tz) if tz is not None else np.dtype("datetime64[ns]")
    return pd.Series(pd.DatetimeIndex(nanoseconds, dtype=dtype)).dt.as_unit(times.dt.unit)


def _micros(times: pd.Series) -> np.ndarray:
    """UTC times as integer microseconds since 1970, for vectorised interval arithmetic."""
    return np.asarray(pd.to_datetime(times, utc=True).dt.as_unit("us").astype("int64"))


def _edges(edges: Sequence[datetime]) -> np.ndarray:
    return _micros(pd.Series([pd.Timestamp(edge) for edge in edges]))


def overlap_hours(
    start: pd.Series, end: pd.Series, edges: Sequence[datetime], lower: pd.Series | None = None
) -> np.ndarray:
    """Hours of each interval inside each window [edges[i], edges[i + 1]): rows × windows.

    `lower` (per interval, optional) is a time before which nothing counts: an asset's
    install date (KPIS.md: no operating hours before it).
    """
    bounds = _edges(edges)
    lo, hi = bounds[:-1][None, :], bounds[1:][None, :]
    begin = _micros(start)[:, None]
    if lower is not None:
        begin = np.maximum(begin, _micros(lower)[:, None])
    inside = np.minimum(_micros(end)[:, None], hi) - np.maximum(begin, lo)
    hours: np.ndarray = np.clip(inside, 0, None) / 3.6e9
    return hours


def installed_from(installed_on: pd.Series) -> pd.Series:
    """The time an asset began to run: midnight UTC of its install date; the distant past when
    the date is not known (the asset is counted as always there)."""
    return pd.to_datetime(installed_on, utc=True).fillna(pd.Timestamp(EARLIEST))


def asset_hours(
    assets: pd.DataFrame, merged: pd.DataFrame, edges: Sequence[datetime], now: datetime
) -> pd.DataFrame:
    """Per asset with operating hours (equipment, component) and window: the hours it existed,
    its downtime and its operating hours (SMRP 3.5.1 calendar basis; SMRP 2.2 parts).

    period_hours: the window from the asset's install date, up to now (a window ending
    today counts up to now, the future has no hours). downtime_hours: its merged downtime
    inside that span. operating_hours = period_hours − downtime_hours. `assets`: index id,
    columns level and installed_on; `merged`: from `merge_periods`. Long format: one row per
    asset and window (`window` 0..n − 1).
    """
    measured = assets[assets["level"].isin([level.value for level in MEASURED_LEVELS])]
    installed = installed_from(measured["installed_on"])
    capped = [min(pd.Timestamp(edge), pd.Timestamp(now)) for edge in edges]
    existed = overlap_hours(
        installed, pd.Series(pd.Timestamp(LATEST), index=measured.index), capped
    )
    down = merged[merged["asset_id"].isin(measured.index)]
    down_installed = installed.reindex(down["asset_id"]).reset_index(drop=True)
    down_hours = overlap_hours(down["start"], down["end"], capped, down_installed)
    windows = range(len(edges) - 1)
    by_asset = (
        pd.DataFrame(down_hours, columns=list(windows))
        .groupby(down["asset_id"].to_numpy())
        .sum()
        .reindex(measured.index, fill_value=0.0)
    )
    frame = pd.DataFrame(
        {
            "asset_id": np.repeat(measured.index.to_numpy(), len(windows)),
            "window": np.tile(np.arange(len(windows)), len(measured)),
            "period_hours": existed.reshape(-1),
            "downtime_hours": by_asset.to_numpy().reshape(-1),
        }
    )
    frame["operating_hours"] = (frame["period_hours"] - frame["downtime_hours"]).clip(lower=0.0)
    return frame


def repair_spans(failures: pd.DataFrame, downtime: pd.DataFrame, start: MttrStart) -> pd.DataFrame:
    """SMRP 3.5.2 per failure order: when it failed, when the asset was restored and the repair
    hours between.

    failed: the earliest unplanned downtime start, else the request (2009 edition, default);
    variant: the technician's start, else the request. restored: the latest end of any of
    the order's downtime periods, else its completion. `failures`: index work-order id,
    columns requested_at, started_at, completed_at; `downtime`: closed periods with
    work_order_id, start, end, planned.
    """
    ids = failures.index
    row = _order_rows(ids, downtime["work_order_id"])
    mine = row >= 0
    begins, ends = _nanos(downtime["start"]), _nanos(downtime["end"])
    restored = np.full(len(ids), _NAT)
    np.maximum.at(restored, row[mine], ends[mine])
    restored = np.where(restored == _NAT, _nanos(failures["completed_at"]), restored)
    if start is MttrStart.TECHNICIAN_START:
        failed = _nanos(failures["started_at"])
    else:
        failed = np.full(len(ids), np.iinfo("int64").max)
        unplanned = mine & ~downtime["planned"].to_numpy(dtype=bool)
        np.minimum.at(failed, row[unplanned], begins[unplanned])
        failed[failed == np.iinfo("int64").max] = _NAT
    failed = np.where(failed == _NAT, _nanos(failures["requested_at"]), failed)
    hours = np.where((failed == _NAT) | (restored == _NAT), np.nan, (restored - failed) / _HOUR_NS)
    return pd.DataFrame(
        {
            "failed": _like(failed, failures["requested_at"]).array,
            "restored": _like(restored, failures["completed_at"]).array,
            "repair_hours": np.clip(hours, 0.0, None),
        },
        index=failures.index,
    )


def pareto_hours(failures: pd.Series, downtime: pd.DataFrame) -> pd.Series:
    """Failure Pareto hours per key (a failure mode or an asset): the downtime of the key's
    failure orders, with overlapping periods of one asset merged before the hours are added.

    `failures`: the key per failure work-order id; `downtime`: closed periods with
    work_order_id, asset_id, start, end. Keys with no downtime, and no key, are left out.
    """
    row = _order_rows(failures.index, downtime["work_order_id"])
    codes, keys = pd.factorize(failures, sort=True)
    key = np.append(codes, -1)[row]  # row -1 (not a failure) takes the -1 after the codes
    mine = np.flatnonzero(key >= 0)
    assets, _ = pd.factorize(downtime["asset_id"].to_numpy()[mine])
    key = key[mine]
    start = _nanos(downtime["start"])[mine]
    group = key * (int(assets.max(initial=0)) + 1) + assets
    firsts, ends = _runs(group, start, _nanos(downtime["end"])[mine])
    hours = np.bincount(key[firsts], (ends - start[firsts]) / _HOUR_NS, minlength=len(keys))
    present = np.bincount(key[firsts], minlength=len(keys)) > 0
    return pd.Series(hours[present], index=keys[present])


@dataclass(frozen=True)
class Reliability:
    """MTTR and MTBF of an asset set over one window, with the parts they are made of."""

    failures: int
    repair_hours: float
    downtime_hours: float
    operating_hours: float

    @property
    def mttr_hours(self) -> float | None:
        return mttr_hours(self.repair_hours, self.failures)

    @property
    def mtbf_hours(self) -> float | None:
        return mtbf_hours(self.operating_hours, self.failures)


def reliability(
    assets: pd.DataFrame,
    failures: pd.DataFrame,
    downtime: pd.DataFrame,
    window: tuple[datetime, datetime],
    now: datetime,
    start: MttrStart = MttrStart.FAILURE,
) -> Reliability:
    """The figures of one asset set and window [start, end), from its records.

    `assets`: index id, columns level and installed_on; `failures`: the set's failure orders
    completed in the window (see `repair_spans`); `downtime`: the set's periods (open ones
    run until now). Downtime hours are those of every asset of the set, merged per asset;
    operating hours those of its equipment and components (`asset_hours`).
    """
    closed = close_open_periods(downtime, now)
    merged = merge_periods(closed)
    edges = [min(pd.Timestamp(t), pd.Timestamp(now)) for t in window]
    installed = installed_from(assets["installed_on"]).reindex(merged["asset_id"])
    down = overlap_hours(merged["start"], merged["end"], edges, installed.reset_index(drop=True))
    spans = repair_spans(failures, closed, start)
    return Reliability(
        failures=len(spans),
        repair_hours=float(spans["repair_hours"].sum()),
        downtime_hours=float(down.sum()),
        operating_hours=float(asset_hours(assets, merged, edges, now)["operating_hours"].sum()),
    )


def weibull_reading(beta: float, bounds: tuple[float, float] | None = None) -> str:
    """Plain reading of the Weibull shape β (KPIS.md, Reliability).

    When the 95 % bounds of β hold 1, the data cannot tell the failures from random ones, so
    that is the reading, whatever the point estimate.
    """
    if bounds is not None and bounds[0] <= 1.0 <= bounds[1]:
        return (
            f"random failures (beta {beta:.2f}, not distinguishable from 1): age does not "
            "matter; use condition monitoring, not time-based replacement"
        )
    if beta < 1.0:
        return (
            f"early-life failures (beta {beta:.2f}, below 1): look at installation, start-up "
            "and part quality; more preventive work would not help"
        )
    return (
        f"wear-out (beta {beta:.2f}, above 1): failures come with age; time-based preventive "
        "work can pay if it costs less than the failure"
    )
