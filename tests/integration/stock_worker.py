"""Stock work done by other OS processes in the inventory concurrency tests."""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop.domain.inventory import InsufficientStock
from desktop.services.admin.users import UserService
from desktop.services.stock.inventory import InventoryService
from desktop.store.database import Database

if TYPE_CHECKING:
    from multiprocessing.synchronize import Barrier


def issue_one_at_a_time(
    url: str, username: str, work_order: str, attempts: int, barrier: Barrier
) -> tuple[int, list[str]]:
    """Issue P-1002 from A-13 one unit at a time; returns (issued, refusal messages)."""
    db = Database(url)
    try:
        service = InventoryService(db)
        actor = UserService(db).actor_for(username)
        barrier.wait()
        issued, refused = 0, []
        for _ in range(attempts):
            try:
                service.issue(actor, "P-1002", 1, "A-13", work_order)
                issued += 1
            except InsufficientStock as exc:
                refused.append(str(exc))
        return issued, refused
    finally:
        db.dispose()


def mixed_moves(url: str, username: str, work_order: str, rounds: int, barrier: Barrier) -> float:
    """Receive 2, issue 1, move 1 between bins, return 1 - `rounds` times; returns net added."""
    db = Database(url)
    try:
        service = InventoryService(db)
        actor = UserService(db).actor_for(username)
        barrier.wait()
        net = 0.0
        for _ in range(rounds):
            service.receive(actor, "P-1001", 2, "A-12", unit_cost=12.0)
            service.issue(actor, "P-1001", 1, "A-12", work_order)
            service.transfer(actor, "P-1001", 1, "A-12", "B-01")
            service.return_(actor, "P-1001", 1, "B-01", work_order)
            net += 2 - 1 + 1
        return net
    finally:
        db.dispose()
