"""A repair with a full lock-out taken to `closed` through the real services, for the report
tests: labour, downtime, answered safety steps (lock numbers, a reading, a sign-off)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from desktop.domain.enums import ChecklistItemKind, CheckResult, Status, WorkOrderType
from desktop.services.orders.lockout import Signer
from desktop.services.orders.work_order_records import WorkOrderDraft
from desktop.services.orders.work_orders import WorkOrderService
from desktop.store.models import ChecklistTemplate, ChecklistTemplateItem
from tests.conftest import PASSWORD
from tests.integration.workflow import FAILURE_CODES, PATHS, prepare


def lockout_template(db) -> None:
    """Safety steps of every kind: a tick, a line for the lock numbers, a reading, a sign-off."""
    with db.unit_of_work() as session:
        session.add(
            ChecklistTemplate(
                code="CL-LOTO-FULL",
                name="Lock-out, every kind of step",
                safety=True,
                items=[
                    ChecklistTemplateItem(
                        position=1, kind=ChecklistItemKind.CHECK, text="main isolator off"
                    ),
                    ChecklistTemplateItem(
                        position=2, kind=ChecklistItemKind.TEXT, text="lock numbers"
                    ),
                    ChecklistTemplateItem(
                        position=3,
                        kind=ChecklistItemKind.MEASUREMENT,
                        text="residual voltage",
                        unit="V",
                        high=50.0,
                    ),
                    ChecklistTemplateItem(
                        position=4, kind=ChecklistItemKind.SIGNATURE, text="shift leader sign-off"
                    ),
                ],
            )
        )


PNG = b"\x89PNG\r\n\x1a\n" + bytes(2040)
"""A 2 KB file the attachment check takes for a PNG (it decides by the first bytes)."""


def closed_order(db, clock, actors, description: str = "Drain the casing first.") -> str:
    """A repair taken through the real services to `closed`, with labour and downtime."""
    lockout_template(db)
    admin = actors["admin"]
    service = WorkOrderService(db, clock)
    clock.now = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # 09:00 in Berlin (CET)
    draft = WorkOrderDraft(
        title="Seal leaking 日本",
        asset_code="P-101",
        type=WorkOrderType.CORRECTIVE,
        description=description,
        checklist_codes=("CL-LOTO-FULL",),
        is_failure=True,
    )
    number = service.create(admin, draft).work_order.number
    # The lock-out is answered before work may start (issue 16).
    service.answer_checklist_item(admin, number, 1, result=CheckResult.PASS)
    service.answer_checklist_item(admin, number, 2, text="L-17, L-18")
    service.answer_checklist_item(admin, number, 3, value=0.0)
    service.answer_checklist_item(admin, number, 4, signer=Signer("admin", PASSWORD))
    for step in PATHS[Status.IN_PROGRESS]:
        prepare(service, admin, number, step, clock)
        clock.advance(minutes=30)
        service.transition(admin, number, step)
    start = clock.advance(minutes=10)
    service.add_downtime(admin, number, start - timedelta(hours=3), start, False, "seal leak")
    version = service.get(number).row.version
    service.update(admin, number, version, {"resolution": "Replaced the seal.\n" + description})
    # What `prepare` does for completion, without overwriting the lock-out answers above.
    service.log_labour(admin, number, "tom", clock().date(), 1.5)
    service.add_attachment(actors["tom"], number, "seal photo.png", PNG)
    version = service.get(number).row.version
    service.update(admin, number, version, dict(FAILURE_CODES))
    for step in (Status.COMPLETED, Status.CLOSED):
        clock.advance(hours=1)
        service.transition(admin, number, step)
    return number
