"""The audit pack's summary figures: plain counts and MTTR from the pack's own records.

The KPI service is built in its own branch; when it is merged, `pack_figures` is the one place
that asks it instead, so the pack shows the same figures as the KPI page.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from statistics import fmean
from typing import TYPE_CHECKING

from desktop.domain.enums import CheckResult, Status, WorkOrderType

if TYPE_CHECKING:
    from datetime import datetime

    from desktop.reports.pack_records import PackRecords
    from desktop.services.work_order_records import WorkOrderDetail


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


def repair_hours(order: WorkOrderDetail) -> float | None:
    """KPIS.md MTTR: earliest unplanned downtime start (else requested) to the latest downtime
    end (else completed), in hours; None while the order is not completed."""
    completed = order.row.completed_at
    if completed is None:
        return None
    unplanned = [p for p in order.downtime if not p.planned]
    failed = min((p.start for p in unplanned), default=order.row.requested_at)
    ends = [p.end for p in unplanned if p.end is not None]
    restored = max(ends, default=completed)
    return max((restored - failed).total_seconds() / 3600, 0.0)


def pack_figures(records: PackRecords) -> PackFigures:
    start, end = records.request.start, records.request.end
    orders = records.orders
    completed = [o for o in orders if _in(o.row.completed_at, start, end)]
    repairs = [hours for o in completed if o.is_failure and (hours := repair_hours(o)) is not None]
    downtime = 0.0
    for order in orders:
        for period in order.downtime:
            # Only the part of each period inside the audited period counts.
            # A period still open counts until the pack was made, not to the end of a
            # period that may lie in the future.
            begin = max(period.start, start)
            finish = min(period.end or records.generated_at, end)
            downtime += max((finish - begin).total_seconds() / 3600, 0.0)
    months = Counter(f"{o.row.completed_at:%Y-%m}" for o in completed if o.row.completed_at)
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
        failures_completed=len(repairs),
        mttr_hours=fmean(repairs) if repairs else None,
        labour_hours=sum(
            e.hours for o in orders for e in o.labour if start.date() <= e.work_date < end.date()
        ),
        downtime_hours=downtime,
        checks_failed=sum(
            1 for o in orders for item in o.checklist if item.result is CheckResult.FAIL
        ),
        open_at_end=len(records.open_at_end),
        overdue_at_end=sum(1 for i in records.open_at_end if i.overdue_days(end) is not None),
        completed_by_month=dict(sorted(months.items())),
        failure_modes=modes.most_common(8),
    )
