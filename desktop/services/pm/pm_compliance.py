"""PM compliance for the KPI service: figures for a period and each order's on-time flag."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select

from desktop.domain.enums import Status, WorkOrderType
from desktop.domain.pm_compliance import (
    DEFAULT_GRACE,
    GraceRule,
    completed_on_time,
    compliance_percent,
    grace_window,
)
from desktop.services.analytics.kpi_records import PmDue
from desktop.store.models import WorkOrder
from desktop.store.pm_models import PMOccurrence, PMSchedule

if TYPE_CHECKING:
    from datetime import datetime

    from desktop.store.database import Database

COUNTED_TYPES = (WorkOrderType.PREVENTIVE, WorkOrderType.PREDICTIVE)


@dataclass(frozen=True)
class PMOrderCompliance:
    work_order_id: int
    asset_id: int
    number: str
    type: WorkOrderType
    schedule: str | None
    due_at: datetime
    completed_at: datetime | None
    interval_days: float | None
    deadline: datetime
    on_time: bool


@dataclass(frozen=True)
class PMComplianceReport:
    start: datetime
    end: datetime
    grace: GraceRule
    due: int
    on_time: int
    percent: float | None
    orders: tuple[PMOrderCompliance, ...]


def pm_compliance(
    db: Database, start: datetime, end: datetime, grace: GraceRule = DEFAULT_GRACE
) -> PMComplianceReport:
    """SMRP 5.4.14 over the orders due in [start, end): completed by due + grace ÷ due × 100.

    Counts preventive and predictive orders by due date (KPIS.md period attribution);
    cancelled orders are not counted as due. The grace comes from the interval of the
    schedule that generated the order (10 % of it by default); orders without a schedule
    have no interval and so no percentage grace.
    """
    with db.unit_of_work(write=False) as session:
        rows = session.execute(
            select(
                WorkOrder.id,
                WorkOrder.asset_id,
                WorkOrder.number,
                WorkOrder.type,
                PMSchedule.code,
                WorkOrder.due_at,
                WorkOrder.completed_at,
                PMOccurrence.interval_days,
            )
            .outerjoin(PMOccurrence, PMOccurrence.work_order_id == WorkOrder.id)
            .outerjoin(PMSchedule, PMSchedule.id == PMOccurrence.schedule_id)
            .where(
                WorkOrder.type.in_(COUNTED_TYPES),
                WorkOrder.status != Status.CANCELLED,
                WorkOrder.due_at >= start,
                WorkOrder.due_at < end,
            )
            .order_by(WorkOrder.due_at, WorkOrder.number)
        ).all()
    orders = []
    for wo_id, asset_id, number, wo_type, schedule, due_at, completed_at, interval in rows:
        window = grace_window(grace, interval)
        orders.append(
            PMOrderCompliance(
                wo_id,
                asset_id,
                number,
                wo_type,
                schedule,
                due_at,
                completed_at,
                interval,
                due_at + window,
                completed_on_time(due_at, completed_at, window),
            )
        )
    on_time = sum(1 for o in orders if o.on_time)
    return PMComplianceReport(
        start,
        end,
        grace,
        len(orders),
        on_time,
        compliance_percent(len(orders), on_time),
        tuple(orders),
    )


class ScheduledPmCompliance:
    """The KPI service's PM-compliance source: each order's grace from its own schedule."""

    def __init__(self, db: Database, grace: GraceRule = DEFAULT_GRACE) -> None:
        self._db = db
        self._grace = grace

    def pm_due(self, start: datetime, end: datetime) -> list[PmDue]:
        report = pm_compliance(self._db, start, end, self._grace)
        return [PmDue(o.work_order_id, o.asset_id, o.due_at, o.on_time) for o in report.orders]
