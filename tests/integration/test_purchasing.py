"""Requisitions into purchase orders, received line by line, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from desktop.domain.enums import Status
from desktop.domain.errors import ValidationFailed
from desktop.domain.inventory import PoStatus, RequisitionStatus
from desktop.services.orders.work_orders import WorkOrderService
from desktop.services.shared import audit
from desktop.services.stock.inventory import InventoryService
from desktop.services.stock.purchasing import PurchasingService
from tests.integration.stock import ledger_matches, stock_room
from tests.integration.workflow import drive_to, raise_order


@pytest.fixture
def inventory(db, actors, clock):
    service = InventoryService(db, clock)
    stock_room(service, actors["admin"])
    return service


@pytest.fixture
def purchasing(db, clock):
    return PurchasingService(db, clock)


def low_bearing_stock(db, inventory, actors, clock) -> None:
    """Issue P-1001 down to 2, its minimum: a requisition for 8 (up to max 10) is raised."""
    orders = WorkOrderService(db, clock)
    number = raise_order(orders, actors["admin"]).number
    drive_to(orders, actors["admin"], number, Status.APPROVED, clock)
    inventory.issue(actors["tom"], "P-1001", 3, "A-12", number)


def test_order_from_requisitions_is_received_line_by_line(db, inventory, purchasing, actors, clock):
    low_bearing_stock(db, inventory, actors, clock)
    admin = actors["paula"]
    po = purchasing.create_order(admin, "ACME")
    assert po.status is PoStatus.DRAFT
    assert [(line.line_no, line.part, line.quantity, line.unit_price) for line in po.lines] == [
        (1, "P-1001", 8, 10.0)
    ]
    po = purchasing.add_line(admin, po.number, "P-1002", 10, unit_price=5.0)
    assert purchasing.requisitions([RequisitionStatus.ORDERED])[0].purchase_order == po.number
    with pytest.raises(ValidationFailed, match="only sent orders are received"):
        inventory.receive(admin, "P-1001", 1, "A-12", po_number=po.number)
    purchasing.send(admin, po.number)
    inventory.receive(admin, "P-1001", 3, "A-12", po_number=po.number, line_no=1)
    assert purchasing.order(po.number).status is PoStatus.PARTLY_RECEIVED
    with pytest.raises(ValidationFailed, match=r"only 5 of 8 still to receive on .* line 1"):
        inventory.receive(admin, "P-1001", 6, "A-12", po_number=po.number)
    inventory.receive(admin, "P-1001", 5, "A-12", po_number=po.number)
    assert purchasing.requisitions([RequisitionStatus.CLOSED])[0].part == "P-1001"
    inventory.receive(admin, "P-1002", 10, "A-13", po_number=po.number, line_no=2)
    po = purchasing.order(po.number)
    assert po.status is PoStatus.RECEIVED
    assert [line.outstanding for line in po.lines] == [0, 0]
    # 20 seals at 4.00 and 10 at 5.00.
    assert inventory.parts(text="P-1002")[0].average_cost == pytest.approx(130 / 30)
    po = purchasing.close(admin, po.number)
    assert po.status is PoStatus.CLOSED
    assert ledger_matches(db) == []
    assert audit.verify(db).ok


def test_a_second_requisition_is_not_raised_while_one_is_ordered(
    db, inventory, purchasing, actors, clock
):
    low_bearing_stock(db, inventory, actors, clock)
    po = purchasing.create_order(actors["paula"], "ACME")
    purchasing.send(actors["paula"], po.number)
    inventory.adjust(actors["paula"], "P-1001", "A-12", -1, "damaged")
    assert len(purchasing.requisitions()) == 1
    with pytest.raises(ValidationFailed, match="already has open requisition"):
        purchasing.raise_requisition(actors["paula"], "P-1001", 5, "urgent")


def test_cancelled_order_puts_its_requisitions_back(db, inventory, purchasing, actors, clock):
    low_bearing_stock(db, inventory, actors, clock)
    po = purchasing.create_order(actors["paula"], "ACME")
    with pytest.raises(ValidationFailed, match="reason: required"):
        purchasing.cancel(actors["paula"], po.number, "")
    purchasing.cancel(actors["paula"], po.number, "vendor cannot deliver")
    assert [r.status for r in purchasing.requisitions()] == [RequisitionStatus.OPEN]
    with pytest.raises(ValidationFailed, match="cancelled, which can move to nothing"):
        purchasing.send(actors["paula"], po.number)


def test_closing_a_partly_received_order_reorders_the_rest(
    db, inventory, purchasing, actors, clock
):
    low_bearing_stock(db, inventory, actors, clock)
    po = purchasing.create_order(actors["paula"], "ACME")
    purchasing.send(actors["paula"], po.number)
    inventory.receive(actors["paula"], "P-1001", 1, "A-12", po_number=po.number)
    purchasing.close(actors["paula"], po.number, "rest not deliverable")
    # 3 available is above the minimum of 2: nothing new is raised yet.
    assert [r.status for r in purchasing.requisitions()] == [RequisitionStatus.CLOSED]
    inventory.adjust(actors["paula"], "P-1001", "A-12", -1, "damaged")
    statuses = [r.status for r in purchasing.requisitions()]
    assert statuses == [RequisitionStatus.OPEN, RequisitionStatus.CLOSED]
