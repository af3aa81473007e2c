"""The audit pack's summary figures: plain counts, and MTTR and downtime from the pack's own
records through the definitions of `desktop.domain.kpis` (the dashboard's and asset panel's)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from desktop.domain import kpis
from desktop.domain.enums import CheckResult, Status, WorkOrderType
from desktop.reports.pack_scope import site_zone
from desktop.services.analytics.kpi_records import KpiSettings

if TYPE_CHECKING:
    from datetime import datetime

    from desktop.reports.pack_records import PackRecords


@dataclass(frozen=True)
class PackFigures:
    orders: int
    by_type: dict[WorkOrderType, int]
    by_status: dict[Status, int]
    raised: int
    completed: int
    closed: int
    cancelled: int
    failures_completed: int
    mttr_hours: float | None
    labour_hours: float
    downtime_hours: float
    checks_failed: int
    open_at_end: int
    overdue_at_end: int
    completed_by_month: dict[str, int]
    failure_modes: list[tuple[str, int]]


def _in(value: datetime | None, start: datetime, end: datetime) -> bool:
    return value is not None and start <= value < end


def pack_reliability(records: PackRecords, settings: KpiSettings | None = None) -> kpis.Reliability:
    """MTTR over the pack's failure orders completed in the period, and the downtime of its
    orders and of the stops no order took over inside the period (merged per asset; open
    periods until the pack was made)."""
    start, end = records.request.start, records.request.end
    failures = _frame(
        [
            (o.row.number, o.row.requested_at, o.started_at, o.row.completed_at)
            for o in records.orders
            if o.is_failure and _in(o.row.completed_at, start, end)
        ],
        ("id", "requested_at", "started_at", "completed_at"),
    ).set_index("id")
    downtime = _frame(
        [
            (o.row.number, o.row.asset_code, p.start, p.end, p.planned)
            for o in records.orders
            for p in o.downtime
        ]
        + [(None, s.asset_code, s.start, s.end, s.planned) for s in records.machine_stops],
        ("work_order_id", "asset_id", "start", "end", "planned"),
    )
    places = records.places
    assets = pd.DataFrame(
        {
            "level": [places[code].level for code in places],
            "installed_on": [places[code].installed_on for code in places],
        },
        index=list(places),
    )
    mttr_start = (settings or KpiSettings()).mttr_start
    return kpis.reliability(
        assets, failures, downtime, (start, end), records.generated_at, mttr_start
    )


def _frame(rows: list[tuple[object, ...]], columns: tuple[str, ...]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(columns))
    for name in columns:
        if name.endswith("_at") or name in ("start", "end"):
            frame[name] = pd.to_datetime(frame[name], utc=True)
    return frame


def pack_figures(records: PackRecords, settings: KpiSettings | None = None) -> PackFigures:
    start, end = records.request.start, records.request.end
    orders = records.orders
    completed = [o for o in orders if _in(o.row.completed_at, start, end)]
    reliability = pack_reliability(records, settings)
    first_day, end_day = records.request.site_days(records.timezone)
    zone = site_zone(records.timezone)
    # Months of the site's calendar: a job done at 00:30 on 1 May in Berlin is May's.
    months = Counter(
        f"{o.row.completed_at.astimezone(zone):%Y-%m}" for o in completed if o.row.completed_at
    )
    modes = Counter(o.failure_codes.get("failure_mode") or "" for o in completed if o.is_failure)
    modes.pop("", None)
    return PackFigures(
        orders=len(orders),
        by_type=dict(Counter(o.row.type for o in orders)),
        by_status=dict(Counter(o.row.status for o in orders)),
        raised=sum(1 for o in orders if _in(o.row.requested_at, start, end)),
        completed=len(completed),
        closed=sum(1 for o in orders if _in(o.closed_at, start, end)),
        cancelled=sum(1 for o in orders if _in(o.cancelled_at, start, end)),
        failures_completed=reliability.failures,
        mttr_hours=reliability.mttr_hours,
        labour_hours=sum(
            e.hours for o in orders for e in o.labour if first_day <= e.work_date < end_day
        ),
        downtime_hours=reliability.downtime_hours,
        checks_failed=sum(
            1 for o in orders for item in o.checklist if item.result is CheckResult.FAIL
        ),
        open_at_end=len(records.open_at_end),
        overdue_at_end=sum(1 for i in records.open_at_end if i.overdue_days(end) is not None),
        completed_by_month=dict(sorted(months.items())),
        failure_modes=modes.most_common(8),
    )
