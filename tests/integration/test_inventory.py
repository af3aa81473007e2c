"""Stock movements: balances, costs, refusals and the ledger, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv

import pytest

from desktop.domain.enums import Status
from desktop.domain.errors import ConflictError, PermissionDenied, ReadOnlyRecord, ValidationFailed
from desktop.domain.inventory import InsufficientStock, MovementKind, RequisitionStatus
from desktop.services.analytics.export import export
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
def orders(db, clock):
    return WorkOrderService(db, clock)


def approved(orders, actors, clock):
    row = raise_order(orders, actors["admin"])
    return drive_to(orders, actors["admin"], row.number, Status.APPROVED, clock).number


def test_refused_issue_names_what_is_available_and_changes_nothing(
    db, inventory, orders, actors, clock
):
    number = approved(orders, actors, clock)
    with pytest.raises(InsufficientStock, match="only 5 of 7 available in bin A-12"):
        inventory.issue(actors["tom"], "P-1001", 7, "A-12", number)
    with pytest.raises(InsufficientStock, match="only 0 of 1 available in bin B-01"):
        inventory.issue(actors["tom"], "P-1001", 1, "B-01", number)
    assert inventory.stock("P-1001")[0].on_hand == 5
    assert inventory.parts_cost(number) == 0
    assert ledger_matches(db) == []


@pytest.mark.both_engines
def test_issue_charges_the_order_at_moving_average_cost(db, inventory, orders, actors, clock):
    number = approved(orders, actors, clock)
    # 5 at 10.00 plus 5 at 13.00: the average becomes 11.50.
    inventory.receive(actors["admin"], "P-1001", 5, "A-12", unit_cost=13.0)
    movement = inventory.issue(actors["tom"], "P-1001", 2, "A-12", number)
    assert movement.quantity == -2
    assert movement.unit_cost == pytest.approx(11.5)
    assert inventory.parts_cost(number) == pytest.approx(23.0)
    assert inventory.stock("P-1001")[0].on_hand == 8
    assert ledger_matches(db) == []


def test_return_nets_the_order_cost_and_cannot_exceed_what_was_issued(
    db, inventory, orders, actors, clock
):
    number = approved(orders, actors, clock)
    inventory.issue(actors["tom"], "P-1002", 3, "A-13", number)
    with pytest.raises(ValidationFailed, match="only 3 of P-1002 were issued"):
        inventory.return_(actors["tom"], "P-1002", 4, "A-13", number)
    inventory.return_(actors["tom"], "P-1002", 1, "B-01", number, "not needed")
    assert inventory.parts_cost(number) == pytest.approx(8.0)
    parts = inventory.work_order_parts(number)
    assert [(line.part, line.issued, line.cost) for line in parts.lines] == [("P-1002", 2, 8.0)]
    assert {(r.bin, r.on_hand) for r in inventory.stock("P-1002")} == {("A-13", 17), ("B-01", 1)}
    used = inventory.ledger("P-1002", work_order=number)
    assert [(m.kind, m.quantity, m.balance) for m in used] == [
        (MovementKind.RETURN, 1, None),
        (MovementKind.ISSUE, -3, None),
    ]
    assert ledger_matches(db) == []


def test_closed_orders_take_no_parts(inventory, orders, actors, clock):
    row = raise_order(orders, actors["admin"])
    with pytest.raises(ValidationFailed, match="not approved yet"):
        inventory.issue(actors["tom"], "P-1002", 1, "A-13", row.number)
    drive_to(orders, actors["admin"], row.number, Status.CANCELLED, clock)
    with pytest.raises(ReadOnlyRecord, match="cancelled"):
        inventory.issue(actors["tom"], "P-1002", 1, "A-13", row.number)


def test_adjustment_needs_a_reason_and_cannot_go_below_zero(db, inventory, actors):
    with pytest.raises(ValidationFailed, match="reason: required"):
        inventory.adjust(actors["admin"], "P-1002", "A-13", -2, " ")
    with pytest.raises(InsufficientStock, match="only 20 of 21 available in bin A-13"):
        inventory.adjust(actors["admin"], "P-1002", "A-13", -21, "count")
    inventory.adjust(actors["admin"], "P-1002", "A-13", -2, "stock count")
    ledger = inventory.ledger("P-1002")
    assert [(m.kind, m.quantity, m.balance) for m in ledger] == [
        (MovementKind.ADJUSTMENT, -2, 18),
        (MovementKind.RECEIPT, 20, 20),
    ]
    assert ledger[0].reason == "stock count"
    assert ledger_matches(db) == []


def test_transfer_writes_two_rows_and_keeps_the_total(db, inventory, actors):
    out, into = inventory.transfer(actors["admin"], "P-1002", 6, "A-13", "B-01")
    assert (out.bin, out.quantity, into.bin, into.quantity) == ("A-13", -6, "B-01", 6)
    assert into.location == "WEST"
    with pytest.raises(InsufficientStock, match="only 6 of 7 available in bin B-01"):
        inventory.transfer(actors["admin"], "P-1002", 7, "B-01", "A-13")
    assert sum(r.on_hand for r in inventory.stock("P-1002")) == 20
    assert ledger_matches(db) == []


def test_technicians_issue_but_do_not_adjust(inventory, actors):
    with pytest.raises(PermissionDenied):
        inventory.adjust(actors["tom"], "P-1002", "A-13", 1, "found")
    with pytest.raises(PermissionDenied):
        inventory.receive(actors["vic"], "P-1002", 1, "A-13", unit_cost=1)


def test_stale_level_settings_are_refused_with_who_changed_them(inventory, actors):
    row = inventory.stock("P-1002", "A-13")[0]
    inventory.set_levels(
        actors["paula"], "P-1002", "A-13", min_qty=5, reorder_qty=20, expected_version=row.version
    )
    with pytest.raises(ConflictError, match="changed by paula"):
        inventory.set_levels(
            actors["sam"], "P-1002", "A-13", min_qty=8, expected_version=row.version
        )
    assert inventory.stock("P-1002", "A-13")[0].min_qty == 5


def test_falling_to_the_minimum_raises_one_requisition(db, inventory, orders, actors, clock):
    number = approved(orders, actors, clock)
    purchasing = PurchasingService(db, clock)
    inventory.issue(actors["tom"], "P-1001", 2, "A-12", number)
    assert purchasing.requisitions() == []
    inventory.issue(actors["tom"], "P-1001", 1, "A-12", number)
    inventory.issue(actors["tom"], "P-1001", 1, "A-12", number)
    open_lines = purchasing.requisitions([RequisitionStatus.OPEN])
    assert [(r.part, r.vendor, r.quantity) for r in open_lines] == [("P-1001", "ACME", 8)]
    assert "at or below minimum 2" in open_lines[0].reason
    assert inventory.low_stock_count() == 1
    assert [p.number for p in inventory.parts(below_min_only=True)] == ["P-1001"]
    assert audit.verify(db).ok


@pytest.mark.both_engines
def test_export_ledger_recomputes_the_parts_cost(db, inventory, orders, actors, clock, tmp_path):
    number = approved(orders, actors, clock)
    inventory.issue(actors["tom"], "P-1002", 3, "A-13", number)
    inventory.return_(actors["tom"], "P-1002", 1, "A-13", number)
    export(db, tmp_path)
    with (tmp_path / "stock_ledger.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["part"], r["location"], r["bin"], r["movement"], r["quantity"]) for r in rows] == [
        ("P-1001", "MAIN", "A-12", "receipt", "5"),
        ("P-1002", "MAIN", "A-13", "receipt", "20"),
        ("P-1002", "MAIN", "A-13", "issue", "-3"),
        ("P-1002", "MAIN", "A-13", "return", "1"),
    ]
    assert rows[2]["work_order"] == number
    assert rows[2]["user"] == "tom"
    assert rows[2]["at"] == "2026-03-02T08:05:00+00:00"
    recomputed = -sum(
        float(r["quantity"]) * float(r["unit_cost"]) for r in rows if r["work_order"] == number
    )
    assert recomputed == pytest.approx(inventory.parts_cost(number)) == pytest.approx(8.0)
