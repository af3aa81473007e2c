"""Which work orders an audit pack covers: a period, an area or asset subtree, chosen types."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import and_, exists, or_, select

from desktop.domain.enums import Priority, Status, WorkOrderType
from desktop.domain.errors import ValidationFailed
from desktop.reports.places import site_timezone
from desktop.reports.wording import tr
from desktop.services.assets.assets import subtree_ids
from desktop.store.inventory_models import StockMovement
from desktop.store.lockout_models import WorkOrderIsolation
from desktop.store.models import (
    Asset,
    ChecklistResult,
    DowntimePeriod,
    LabourEntry,
    StatusChange,
    WorkOrder,
)

if TYPE_CHECKING:
    from datetime import date, tzinfo

    from sqlalchemy import ColumnElement
    from sqlalchemy.orm import Session

    from desktop.store.database import Database


@dataclass(frozen=True)
class PackRequest:
    """The period is half-open, [start, end), in UTC; no area means the whole site."""

    start: datetime
    end: datetime
    area: str | None = None
    types: tuple[WorkOrderType, ...] = ()

    def site_days(self, timezone: str) -> tuple[date, date]:
        """The first day and the day after the last, on the site's calendar: labour is booked
        by the day the crew worked, which is a site day (a Berlin April starts at 22:00 UTC on
        31 March, and labour booked on 31 March is not April's)."""
        zone = site_zone(timezone)
        return self.start.astimezone(zone).date(), self.end.astimezone(zone).date()

    def problems(self) -> dict[str, str]:
        problems: dict[str, str] = {}
        if self.start.tzinfo is None or self.end.tzinfo is None:
            problems["period"] = "start and end need a time zone"
        elif self.end <= self.start:
            problems["to"] = "must be after the start of the period"
        return problems


def site_zone(timezone: str) -> tzinfo:
    """The zone of an IANA name; UTC for an unknown one, so a bad setting never stops a report."""
    try:
        return ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def site_day_request(
    db: Database,
    first: date,
    last: date,
    *,
    area: str | None = None,
    types: tuple[WorkOrderType, ...] = (),
) -> PackRequest:
    """Whole days `first` to `last` (included) on the site's clock: the pack of "March" at a
    Berlin plant runs from midnight there, not from midnight UTC an hour later."""
    with db.unit_of_work(write=False) as session:
        zone = site_zone(site_timezone(session))
    start = datetime.combine(first, time(), zone).astimezone(UTC)
    end = datetime.combine(last + timedelta(days=1), time(), zone).astimezone(UTC)
    return PackRequest(start, end, area=area, types=types)


@dataclass(frozen=True)
class MachineStop:
    """A stop the running tag recorded with no work order: downtime all the same."""

    asset_code: str
    start: datetime
    end: datetime | None
    planned: bool


@dataclass(frozen=True)
class OpenItem:
    """An order still open when the period ended (status as it is now, dates as recorded)."""

    number: str
    title: str
    type: WorkOrderType
    priority: Priority
    status: Status
    asset_code: str
    requested_at: datetime
    due_at: datetime | None

    def overdue_days(self, at: datetime) -> float | None:
        """Days past due at `at`, or None when not overdue then."""
        if self.due_at is None or self.due_at >= at:
            return None
        return (at - self.due_at).total_seconds() / 86400


@dataclass(frozen=True)
class PackScope:
    register: tuple[str, ...]
    """Orders raised, completed, closed or cancelled in the period, or with any activity in
    it (see _activity), by number."""
    open_at_end: tuple[OpenItem, ...]
    area_path: str


def _in_period(column: ColumnElement[datetime | None], request: PackRequest) -> ColumnElement[bool]:
    return and_(column >= request.start, column < request.end)


def _not_before(column: ColumnElement[datetime | None], end: datetime) -> ColumnElement[bool]:
    return or_(column.is_(None), column >= end)


def _activity(request: PackRequest, timezone: str) -> list[ColumnElement[bool]]:
    """Any record made on an order in the period puts it in the pack (issue 16: lock-outs on
    orders still in progress were missing): status changes, labour, downtime, checklist
    answers, locks, parts movements."""
    first_day, end_day = request.site_days(timezone)
    mine = WorkOrder.id
    return [
        exists().where(StatusChange.work_order_id == mine, _in_period(StatusChange.at, request)),
        exists().where(
            LabourEntry.work_order_id == mine,
            LabourEntry.work_date >= first_day,
            LabourEntry.work_date < end_day,
        ),
        exists().where(
            DowntimePeriod.work_order_id == mine,
            DowntimePeriod.start < request.end,
            or_(DowntimePeriod.end.is_(None), DowntimePeriod.end > request.start),
        ),
        exists().where(
            ChecklistResult.work_order_id == mine,
            _in_period(ChecklistResult.answered_at, request),
        ),
        exists().where(
            WorkOrderIsolation.work_order_id == mine,
            or_(
                _in_period(WorkOrderIsolation.applied_at, request),
                _in_period(WorkOrderIsolation.verified_at, request),
                _in_period(WorkOrderIsolation.removed_at, request),
            ),
        ),
        exists().where(StockMovement.work_order_id == mine, _in_period(StockMovement.at, request)),
    ]


def select_scope(session: Session, request: PackRequest) -> PackScope:
    problems = request.problems()
    if problems:
        raise ValidationFailed(problems)
    filters: list[ColumnElement[bool]] = []
    area_path = tr("whole site")
    if request.area:
        filters.append(WorkOrder.asset_id.in_(subtree_ids(session, request.area)))
        area = session.execute(select(Asset.code, Asset.name).where(Asset.code == request.area))
        code, name = area.one()
        area_path = tr("{code} — {name} and everything below it").format(code=code, name=name)
    if request.types:
        filters.append(WorkOrder.type.in_(request.types))
    register = session.execute(
        select(WorkOrder.number)
        .where(
            *filters,
            or_(
                _in_period(WorkOrder.requested_at, request),
                _in_period(WorkOrder.completed_at, request),
                _in_period(WorkOrder.closed_at, request),
                _in_period(WorkOrder.cancelled_at, request),
                *_activity(request, site_timezone(session)),
            ),
        )
        .order_by(WorkOrder.number)
    ).scalars()
    open_rows = session.execute(
        select(
            WorkOrder.number,
            WorkOrder.title,
            WorkOrder.type,
            WorkOrder.priority,
            WorkOrder.status,
            Asset.code,
            WorkOrder.requested_at,
            WorkOrder.due_at,
        )
        .join(Asset, Asset.id == WorkOrder.asset_id)
        .where(
            *filters,
            WorkOrder.requested_at < request.end,
            _not_before(WorkOrder.completed_at, request.end),
            _not_before(WorkOrder.closed_at, request.end),
            _not_before(WorkOrder.cancelled_at, request.end),
        )
        .order_by(WorkOrder.due_at, WorkOrder.number)
    ).all()
    open_items = tuple(
        OpenItem(r[0], r[1], r[2], Priority(r[3]), r[4], r[5], r[6], r[7]) for r in open_rows
    )
    return PackScope(tuple(register), open_items, area_path)


def machine_stops(session: Session, request: PackRequest) -> tuple[MachineStop, ...]:
    """The period's stops without an order in the pack's area (a pack of chosen work-order
    types has none: a stop has no type), for its downtime and availability."""
    if request.types:
        return ()
    query = (
        select(DowntimePeriod.start, DowntimePeriod.end, DowntimePeriod.planned, Asset.code)
        .join(Asset, Asset.id == DowntimePeriod.asset_id)
        .where(
            DowntimePeriod.work_order_id.is_(None),
            DowntimePeriod.start < request.end,
            or_(DowntimePeriod.end.is_(None), DowntimePeriod.end > request.start),
        )
        .order_by(DowntimePeriod.start)
    )
    if request.area:
        query = query.where(DowntimePeriod.asset_id.in_(subtree_ids(session, request.area)))
    return tuple(
        MachineStop(code, start, end, bool(planned))
        for start, end, planned, code in session.execute(query)
    )
