"""Failed checklist items on proactive work raise their own corrective work orders."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import or_, select
from sqlalchemy.orm import aliased

from desktop.domain.enums import (
    ChecklistItemKind,
    CheckResult,
    Origin,
    Priority,
    WorkOrderType,
)
from desktop.services.orders.work_order_records import WorkOrderDraft
from desktop.store.models import ChecklistResult, WorkOrder
from desktop.store.pm_models import ChecklistFinding

if TYPE_CHECKING:
    from datetime import datetime

    from sqlalchemy.orm import Session

    from desktop.domain.permissions import Actor
    from desktop.services.orders.work_orders import WorkOrderService
    from desktop.store.database import Database

# A failed check on a corrective or emergency order is part of that repair, not a new finding.
INSPECTING_TYPES = frozenset(
    {WorkOrderType.PREVENTIVE, WorkOrderType.INSPECTION, WorkOrderType.PREDICTIVE}
)


@dataclass(frozen=True)
class FindingView:
    inspection: str
    position: int
    item_text: str
    corrective: str


def _finding_text(wo: WorkOrder, item: ChecklistResult) -> str:
    if item.kind is ChecklistItemKind.MEASUREMENT:
        unit = f" {item.unit}" if item.unit else ""
        low = "" if item.low is None else f"{item.low:g}"
        high = "" if item.high is None else f"{item.high:g}"
        result = f"measured {item.value:g}{unit}, limits {low}–{high}{unit}"
    else:
        result = "check failed"
    lines = [f'Found on {wo.number}, checklist item {item.position} "{item.text}": {result}.']
    if item.text_value:
        lines.append(f"Remarks: {item.text_value}")
    return "\n".join(lines)


def raise_for_failed_item(
    session: Session,
    orders: WorkOrderService,
    actor: Actor,
    wo: WorkOrder,
    item: ChecklistResult,
    now: datetime,
) -> str | None:
    """Raise the corrective order for a failed item once; returns its number when raised.

    The order is not marked a failure: KPIS.md counts corrective work from an inspection
    finding as proactive (SMRP 3.5.1 excludes proactive repairs from failures).
    """
    if wo.type not in INSPECTING_TYPES or item.result is not CheckResult.FAIL:
        return None
    if session.execute(
        select(ChecklistFinding.id).where(ChecklistFinding.checklist_item_id == item.id)
    ).first():
        return None
    draft = WorkOrderDraft(
        title=f"Finding: {item.text}"[:200],
        asset_code=wo.asset.code,
        type=WorkOrderType.CORRECTIVE,
        priority=Priority(wo.priority),
        description=_finding_text(wo, item),
        is_failure=False,
        origin=Origin.INSPECTION_FINDING,
    )
    created = orders.create_in(session, actor, draft).work_order
    session.add(
        ChecklistFinding(
            inspection_id=wo.id,
            checklist_item_id=item.id,
            corrective_id=created.id,
            created_at=now,
        )
    )
    return created.number


def findings(db: Database, number: str) -> list[FindingView]:
    """Findings raised from the order `number`, or the one it was raised from."""
    inspection = aliased(WorkOrder)
    corrective = aliased(WorkOrder)
    with db.unit_of_work(write=False) as session:
        rows = session.execute(
            select(
                inspection.number, ChecklistResult.position, ChecklistResult.text, corrective.number
            )
            .select_from(ChecklistFinding)
            .join(inspection, inspection.id == ChecklistFinding.inspection_id)
            .join(corrective, corrective.id == ChecklistFinding.corrective_id)
            .join(ChecklistResult, ChecklistResult.id == ChecklistFinding.checklist_item_id)
            .where(or_(inspection.number == number, corrective.number == number))
            .order_by(ChecklistResult.position)
        ).all()
        return [FindingView(*row) for row in rows]
