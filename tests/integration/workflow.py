"""Drives work orders through the real services to a wanted status, for the tests."""

from __future__ import annotations

from datetime import timedelta

from desktop.domain.enums import CheckResult, HoldReason, Status, WorkOrderType
from desktop.domain.permissions import Actor
from desktop.services.orders.work_order_records import WorkOrderDraft, WorkOrderRow
from desktop.services.orders.work_orders import WorkOrderService
from tests.conftest import FakeClock

FAILURE_CODES = {
    "failure_mode": "ELP",
    "failure_mechanism": "1.1",
    "failure_cause": "3.2",
    "activity": "2",
}

# The path each status is reached by, from `requested`.
PATHS: dict[Status, tuple[Status, ...]] = {
    Status.REQUESTED: (),
    Status.APPROVED: (Status.APPROVED,),
    Status.SCHEDULED: (Status.APPROVED, Status.SCHEDULED),
    Status.IN_PROGRESS: (Status.APPROVED, Status.SCHEDULED, Status.IN_PROGRESS),
    Status.ON_HOLD: (Status.APPROVED, Status.SCHEDULED, Status.IN_PROGRESS, Status.ON_HOLD),
    Status.COMPLETED: (Status.APPROVED, Status.SCHEDULED, Status.IN_PROGRESS, Status.COMPLETED),
    Status.CLOSED: (
        Status.APPROVED,
        Status.SCHEDULED,
        Status.IN_PROGRESS,
        Status.COMPLETED,
        Status.CLOSED,
    ),
    Status.CANCELLED: (Status.CANCELLED,),
}


def raise_order(
    service: WorkOrderService,
    actor: Actor,
    asset: str = "P-101",
    wo_type: WorkOrderType = WorkOrderType.CORRECTIVE,
    **fields: object,
) -> WorkOrderRow:
    draft = WorkOrderDraft(title="Seal leaking", asset_code=asset, type=wo_type, **fields)  # type: ignore[arg-type]
    return service.create(actor, draft).work_order


def prepare(
    service: WorkOrderService, admin: Actor, number: str, target: Status, clock: FakeClock
) -> None:
    """Do what the guards of the move to `target` ask for, as a planner and technician would."""
    row = service.get(number).row
    if target is Status.SCHEDULED:
        now = clock()
        row = service.update(
            admin,
            number,
            row.version,
            {
                "scheduled_start": now + timedelta(hours=1),
                "scheduled_end": now + timedelta(hours=3),
                "estimate_hours": 2.0,
            },
        )
        service.assign(admin, number, row.version, ["tom"])
    elif target is Status.IN_PROGRESS:
        # The lock-out checklist is answered before work starts (issue 16).
        for item in service.get(number).checklist:
            if item.safety and not item.answered:
                service.answer_checklist_item(
                    admin, number, item.position, result=CheckResult.PASS, value=0.0, text="ok"
                )
    elif target is Status.COMPLETED:
        detail = service.get(number)
        service.log_labour(admin, number, "tom", clock().date(), 1.5)
        if row.type in (
            WorkOrderType.CORRECTIVE,
            WorkOrderType.EMERGENCY,
            WorkOrderType.PREDICTIVE,
        ):
            service.update(admin, number, detail.row.version, dict(FAILURE_CODES))
        for item in detail.checklist:
            service.answer_checklist_item(
                admin, number, item.position, result=CheckResult.PASS, value=20.0, text="ok"
            )
        if detail.asset_down:
            service.end_downtime(admin, number, clock())


def drive_to(
    service: WorkOrderService, admin: Actor, number: str, target: Status, clock: FakeClock
) -> WorkOrderRow:
    """Move an order from `requested` to `target` through the service, satisfying guards."""
    row = service.get(number).row
    for step in PATHS[target]:
        clock.advance(minutes=5)
        prepare(service, admin, number, step, clock)
        note = "not needed" if step is Status.CANCELLED else ""
        hold = HoldReason.PARTS if step is Status.ON_HOLD else None
        row = service.transition(admin, number, step, note=note, hold_reason=hold)
    return row
