"""Everything an audit pack prints, read from the database before any page is laid out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select

from desktop.reports.pack_scope import (
    MachineStop,
    OpenItem,
    PackRequest,
    PackScope,
    machine_stops,
    select_scope,
)
from desktop.reports.parts import InventoryParts, PartLine, PartsSource
from desktop.reports.places import AssetPlace, asset_places, site_name, site_timezone
from desktop.services.orders.lockout import IsolationView, LockoutService
from desktop.services.orders.work_orders import WorkOrderService
from desktop.services.shared import audit
from desktop.store.models import AuditEntry, ChecklistResult, User, WorkOrder

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from datetime import datetime

    from sqlalchemy.orm import Session

    from desktop.services.orders.work_order_records import WorkOrderDetail
    from desktop.services.shared.audit import AuditVerification
    from desktop.store.database import Database

DETAIL_CHUNK = 200


@dataclass(frozen=True)
class AuditLine:
    seq: int
    at: datetime
    username: str
    action: str
    entity_type: str
    entity_id: str
    hash: str
    before_json: str = ""
    after_json: str = ""
    prev_hash: str = ""
    user_id: int | None = None


@dataclass(frozen=True)
class PackRecords:
    request: PackRequest
    site: str
    area_path: str
    generated_by: str
    generated_at: datetime
    orders: tuple[WorkOrderDetail, ...]
    places: dict[str, AssetPlace]
    answered_by: dict[tuple[str, int], str]
    """Who answered each checklist item, by (work-order number, position)."""
    parts: dict[str, list[PartLine]]
    isolations: dict[str, list[IsolationView]]
    """Lock-out steps (locks applied, verified, removed) by work-order number."""
    open_at_end: tuple[OpenItem, ...]
    audit_lines: tuple[AuditLine, ...]
    verification: AuditVerification
    timezone: str = "UTC"
    """The site's zone: every time is printed on the clock the crews worked by."""
    machine_stops: tuple[MachineStop, ...] = ()
    """Stops in the period that no order took over: they count in downtime and availability."""


def load_pack_records(
    db: Database,
    request: PackRequest,
    *,
    generated_by: str,
    generated_at: datetime,
    parts: PartsSource | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> PackRecords:
    """Read the pack's records; `progress(done, total)` is told after each chunk of orders."""
    with db.unit_of_work(write=False) as session:
        scope = select_scope(session, request)
        places = asset_places(session)
        site = site_name(session)
        timezone = site_timezone(session)
        answered_by = answered_by_users(session, scope.register)
        lines = _audit_lines(session, request, scope)
        stops = machine_stops(session, request)
    service = WorkOrderService(db)
    orders: list[WorkOrderDetail] = []
    total = len(scope.register)
    for start in range(0, total, DETAIL_CHUNK):
        orders += service.get_many(scope.register[start : start + DETAIL_CHUNK])
        if progress is not None:
            progress(len(orders), total)
    return PackRecords(
        request=request,
        site=site,
        area_path=scope.area_path,
        generated_by=generated_by,
        generated_at=generated_at,
        orders=tuple(orders),
        places=places,
        answered_by=answered_by,
        parts=(parts or InventoryParts(db)).parts_for(scope.register),
        isolations=LockoutService(db).isolations_many(list(scope.register)),
        open_at_end=scope.open_at_end,
        audit_lines=lines,
        verification=audit.verify(db),
        timezone=timezone,
        machine_stops=stops,
    )


def answered_by_users(session: Session, numbers: Sequence[str]) -> dict[tuple[str, int], str]:
    """Who answered each checklist item of these orders, by (number, position)."""
    found: dict[tuple[str, int], str] = {}
    for start in range(0, len(numbers), 500):
        rows = session.execute(
            select(WorkOrder.number, ChecklistResult.position, User.username)
            .join(ChecklistResult, ChecklistResult.work_order_id == WorkOrder.id)
            .join(User, User.id == ChecklistResult.answered_by_id)
            .where(WorkOrder.number.in_(numbers[start : start + 500]))
        )
        found.update({(number, position): name for number, position, name in rows})
    return found


def _audit_lines(session: Session, request: PackRequest, scope: PackScope) -> tuple[AuditLine, ...]:
    """The period's entries; a pack narrowed by area or type keeps those of its own orders."""
    query = select(
        AuditEntry.seq,
        AuditEntry.at,
        AuditEntry.username,
        AuditEntry.action,
        AuditEntry.entity_type,
        AuditEntry.entity_id,
        AuditEntry.hash,
        AuditEntry.before_json,
        AuditEntry.after_json,
        AuditEntry.prev_hash,
        AuditEntry.user_id,
    ).where(AuditEntry.at >= request.start, AuditEntry.at < request.end)
    rows = session.execute(query.order_by(AuditEntry.seq)).all()
    if request.area or request.types:
        mine = set(scope.register)
        rows = [r for r in rows if r.entity_type == "work_order" and r.entity_id in mine]
    return tuple(AuditLine(*row) for row in rows)
