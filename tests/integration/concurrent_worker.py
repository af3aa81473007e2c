"""Work done by a second OS process in the concurrency tests (importable by multiprocessing)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop.domain.errors import ConflictError
from desktop.services.admin.users import UserService
from desktop.services.orders.work_order_records import WorkOrderDraft
from desktop.services.orders.work_orders import WorkOrderService
from desktop.store.database import Database

if TYPE_CHECKING:
    from multiprocessing.synchronize import Barrier


def create_orders(url: str, username: str, count: int, barrier: Barrier) -> list[str]:
    db = Database(url)
    try:
        service = WorkOrderService(db)
        actor = UserService(db).actor_for(username)
        barrier.wait()
        return [
            service.create(actor, WorkOrderDraft(f"by {username} #{i}", "P-101")).work_order.number
            for i in range(count)
        ]
    finally:
        db.dispose()


def save_title(url: str, username: str, number: str, version: int, barrier: Barrier) -> str:
    """Save a new title from an order opened at `version`; 'saved' or the conflict's author."""
    db = Database(url)
    try:
        service = WorkOrderService(db)
        actor = UserService(db).actor_for(username)
        barrier.wait()
        try:
            service.update(actor, number, version, {"title": f"title by {username}"})
        except ConflictError as conflict:
            return f"conflict with {conflict.changed_by}"
        return "saved"
    finally:
        db.dispose()
