"""The writer the crash-safety test kills: a loop of committed writes, each acknowledged after.

It runs in its own OS process (started from a forkserver that preloads this module, so a
restart costs milliseconds, not the half second of imports). An acknowledgement is written
to the pipe only after the service call returned, that is after the commit: the test may
hold the database to every line it received.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop.domain.enums import Status
from desktop.services.admin.users import UserService
from desktop.services.orders.work_order_records import WorkOrderDraft
from desktop.services.orders.work_orders import WorkOrderService
from desktop.services.shared.clock import utc_now
from desktop.services.stock.inventory import InventoryService
from desktop.store.database import Database

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

PART, BIN = "P-1001", "A-12"
"""The part and bin every stock movement uses, so kills land on one contended balance."""


def write_forever(url: str, run: int, pipe: Connection) -> None:
    """Raise, edit, approve, stock and book labour on orders until killed.

    Each step sends `begin <kind>` before it starts and its acknowledgement after it
    returned; the kind lets the test count where its kills landed.
    """
    db = Database(url)
    orders, stock = WorkOrderService(db), InventoryService(db)
    admin = UserService(db).actor_for("admin")
    pipe.send(("ready",))
    step = 0
    while True:
        step += 1
        title = f"crash r{run} s{step}"
        pipe.send(("begin", "work order"))
        row = orders.create(admin, WorkOrderDraft(title, "P-101")).work_order
        pipe.send(("created", row.number, title))

        pipe.send(("begin", "audit"))
        text = f"edited by run {run} step {step}"
        row = orders.update(admin, row.number, row.version, {"description": text})
        pipe.send(("edited", row.number, row.version, text))

        pipe.send(("begin", "work order"))
        orders.transition(admin, row.number, Status.APPROVED)
        pipe.send(("moved", row.number, Status.APPROVED.value))

        pipe.send(("begin", "stock"))
        received = stock.receive(admin, PART, 2, BIN, unit_cost=10.0 + step % 5)
        pipe.send(("movement", received.id, received.quantity, received.unit_cost))

        pipe.send(("begin", "stock"))
        issued = stock.issue(admin, PART, 1, BIN, row.number)
        pipe.send(("movement", issued.id, issued.quantity, issued.unit_cost))

        pipe.send(("begin", "work order"))
        hours = 0.25 * (1 + step % 8)
        labour = orders.log_labour(admin, row.number, "tom", utc_now().date(), hours)
        pipe.send(("labour", labour.id, row.number, hours))
