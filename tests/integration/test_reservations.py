"""Parts lists on work orders: reserved on scheduling, released when the work is over."""

from __future__ import annotations

from datetime import timedelta

import pytest

from desktop.domain.enums import Status
from desktop.domain.inventory import InsufficientStock, RequisitionStatus
from desktop.services.orders.work_orders import WorkOrderService
from desktop.services.shared import audit
from desktop.services.stock.inventory import InventoryService
from desktop.services.stock.purchasing import PurchasingService
from tests.integration.stock import ledger_matches, stock_room
from tests.integration.workflow import drive_to, prepare, raise_order


@pytest.fixture
def inventory(db, actors, clock):
    service = InventoryService(db, clock)
    stock_room(service, actors["admin"])
    return service


@pytest.fixture
def orders(db, clock):
    return WorkOrderService(db, clock)


def planned_order(orders, inventory, actors, clock, **parts: float) -> str:
    admin = actors["admin"]
    number = raise_order(orders, admin).number
    drive_to(orders, admin, number, Status.APPROVED, clock)
    for part, quantity in parts.items():
        inventory.plan_part(admin, number, part.replace("_", "-"), quantity)
    return number


def schedule(orders, actors, clock, number: str) -> None:
    prepare(orders, actors["admin"], number, Status.SCHEDULED, clock)
    orders.transition(actors["admin"], number, Status.SCHEDULED)


def test_scheduling_reserves_the_parts_list(db, orders, inventory, actors, clock):
    number = planned_order(orders, inventory, actors, clock, P_1001=3, P_1002=4)
    assert inventory.stock("P-1001")[0].reserved == 0
    schedule(orders, actors, clock, number)
    assert inventory.stock("P-1001")[0].reserved == 3
    assert inventory.stock("P-1002")[0].reserved == 4
    assert inventory.waiting_for_parts([number]) == set()
    parts = inventory.work_order_parts(number)
    assert [(line.part, line.planned, line.reserved, line.missing) for line in parts.lines] == [
        ("P-1001", 3, 3, 0),
        ("P-1002", 4, 4, 0),
    ]
    assert ledger_matches(db) == []
    assert audit.verify(db).ok


@pytest.mark.both_engines
def test_reserved_stock_is_not_available_to_other_work(orders, inventory, actors, clock):
    number = planned_order(orders, inventory, actors, clock, P_1001=4)
    schedule(orders, actors, clock, number)
    other = planned_order(orders, inventory, actors, clock)
    with pytest.raises(InsufficientStock, match="only 1 of 2 available in bin A-12"):
        inventory.issue(actors["tom"], "P-1001", 2, "A-12", other)
    # The order that holds them may take them: its reservation turns into the issue.
    inventory.issue(actors["tom"], "P-1001", 4, "A-12", number)
    level = inventory.stock("P-1001")[0]
    assert (level.on_hand, level.reserved) == (1, 0)


def test_missing_parts_flag_the_order_and_raise_a_requisition(db, orders, inventory, actors, clock):
    number = planned_order(orders, inventory, actors, clock, P_1001=2, P_1003=3)
    complete = planned_order(orders, inventory, actors, clock, P_1002=1)
    schedule(orders, actors, clock, number)
    schedule(orders, actors, clock, complete)
    assert inventory.waiting_for_parts([number, complete, "WO-NONE"]) == {number}
    parts = inventory.work_order_parts(number)
    assert parts.waiting_for_parts
    # FAST delivers in 2 days and the job starts in an hour.
    assert parts.warnings == (
        f"P-1003: 3 missing; Fast Parts needs 2 days but {number} starts within a day",
    )
    requisitions = PurchasingService(db, clock).requisitions([RequisitionStatus.OPEN])
    assert [(r.part, r.quantity) for r in requisitions] == [("P-1003", 3)]


def test_receipt_fills_the_waiting_order(db, orders, inventory, actors, clock):
    number = planned_order(orders, inventory, actors, clock, P_1003=3)
    schedule(orders, actors, clock, number)
    inventory.receive(actors["admin"], "P-1003", 2, "B-01", unit_cost=7.5)
    assert inventory.waiting_for_parts([number]) == {number}
    inventory.receive(actors["admin"], "P-1003", 5, "B-01", unit_cost=7.5)
    assert inventory.waiting_for_parts([number]) == set()
    assert inventory.stock("P-1003")[0].reserved == 3


def test_completion_releases_what_was_not_used(db, orders, inventory, actors, clock):
    number = planned_order(orders, inventory, actors, clock, P_1002=5)
    schedule(orders, actors, clock, number)
    orders.transition(actors["admin"], number, Status.IN_PROGRESS)
    inventory.issue(actors["tom"], "P-1002", 2, "A-13", number)
    assert inventory.stock("P-1002")[0].reserved == 3
    drive_to_completed = prepare
    drive_to_completed(orders, actors["admin"], number, Status.COMPLETED, clock)
    orders.transition(actors["admin"], number, Status.COMPLETED)
    level = inventory.stock("P-1002")[0]
    assert (level.on_hand, level.reserved) == (18, 0)
    assert inventory.parts_cost(number) == pytest.approx(8.0)
    assert ledger_matches(db) == []


def test_cancelling_and_unscheduling_release_the_reservation(orders, inventory, actors, clock):
    number = planned_order(orders, inventory, actors, clock, P_1002=5)
    schedule(orders, actors, clock, number)
    orders.transition(actors["admin"], number, Status.APPROVED)
    assert inventory.stock("P-1002")[0].reserved == 0
    clock.advance(hours=1)
    orders.transition(actors["admin"], number, Status.SCHEDULED)
    assert inventory.stock("P-1002")[0].reserved == 5
    orders.transition(actors["admin"], number, Status.CANCELLED, note="not needed")
    assert inventory.stock("P-1002")[0].reserved == 0


def test_changing_the_plan_of_scheduled_work_follows_at_once(orders, inventory, actors, clock):
    number = planned_order(orders, inventory, actors, clock, P_1002=5)
    schedule(orders, actors, clock, number)
    inventory.plan_part(actors["admin"], number, "P-1002", 2)
    assert inventory.stock("P-1002")[0].reserved == 2
    parts = inventory.plan_part(actors["admin"], number, "P-1002", 0)
    assert parts.lines == ()
    assert inventory.stock("P-1002")[0].reserved == 0


def test_lead_time_warning_only_when_the_vendor_is_too_slow(orders, inventory, actors, clock):
    number = planned_order(orders, inventory, actors, clock, P_1001=20)
    row = orders.get(number).row
    orders.update(
        actors["admin"],
        number,
        row.version,
        {
            "scheduled_start": clock() + timedelta(days=30),
            "scheduled_end": clock() + timedelta(days=31),
        },
    )
    assert inventory.work_order_parts(number).warnings == ()
    row = orders.get(number).row
    orders.update(
        actors["admin"], number, row.version, {"scheduled_start": clock() + timedelta(days=3)}
    )
    assert inventory.work_order_parts(number).warnings == (
        f"P-1001: 20 missing; Acme Bearings needs 14 days but {number} starts in 3 days",
    )


def test_lead_time_warning_for_a_start_already_passed(orders, inventory, actors, clock):
    number = planned_order(orders, inventory, actors, clock, P_1003=1)
    row = orders.get(number).row
    start = clock() - timedelta(days=1)
    orders.update(
        actors["admin"],
        number,
        row.version,
        {"scheduled_start": start, "scheduled_end": start + timedelta(hours=2)},
    )
    assert inventory.work_order_parts(number).warnings == (
        f"P-1003: 1 missing; Fast Parts needs 2 days but {number} was to start on {start:%Y-%m-%d}",
    )
