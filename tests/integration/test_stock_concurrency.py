"""Several OS processes moving stock in one bin at once: never negative, nothing lost."""

from __future__ import annotations

import multiprocessing

import pytest

from desktop.domain.enums import Status
from desktop.domain.inventory import RequisitionStatus
from desktop.services.orders.work_orders import WorkOrderService
from desktop.services.shared import audit
from desktop.services.stock.inventory import InventoryService
from desktop.services.stock.purchasing import PurchasingService
from tests.integration import stock_worker
from tests.integration.stock import ledger_matches, stock_room
from tests.integration.workflow import drive_to, raise_order

pytestmark = pytest.mark.both_engines  # row locking between processes

_spawn = multiprocessing.get_context("spawn")
PROCESSES = 3


@pytest.fixture
def work_order(db, actors, clock):
    stock_room(InventoryService(db, clock), actors["admin"])
    orders = WorkOrderService(db, clock)
    number = raise_order(orders, actors["admin"]).number
    drive_to(orders, actors["admin"], number, Status.APPROVED, clock)
    return number


def test_parallel_issues_never_take_the_bin_below_zero(db, db_url, actors, work_order):
    inventory = InventoryService(db)
    inventory.set_levels(actors["admin"], "P-1002", "A-13", min_qty=5, reorder_qty=25)
    attempts = 10  # 30 tries at 20 in stock
    with _spawn.Pool(PROCESSES) as pool:
        barrier = _spawn.Manager().Barrier(PROCESSES)
        jobs = [
            pool.apply_async(
                stock_worker.issue_one_at_a_time, (db_url, name, work_order, attempts, barrier)
            )
            for name in ("tom", "tina", "paula")
        ]
        results = [job.get(timeout=180) for job in jobs]
    issued = sum(count for count, _ in results)
    refusals = [text for _, texts in results for text in texts]
    assert issued == 20
    assert len(refusals) == PROCESSES * attempts - 20
    assert set(refusals) == {"cannot issue P-1002: only 0 of 1 available in bin A-13"}
    level = inventory.stock("P-1002", "A-13")[0]
    assert (level.on_hand, level.reserved) == (0, 0)
    assert ledger_matches(db) == []
    assert inventory.parts_cost(work_order) == pytest.approx(20 * 4.0)
    # Every process crossed the minimum, yet one requisition was raised.
    requisitions = PurchasingService(db).requisitions()
    assert [(r.part, r.status) for r in requisitions] == [("P-1002", RequisitionStatus.OPEN)]
    assert audit.verify(db).ok


def test_parallel_mixed_moves_lose_no_update(db, db_url, work_order):
    rounds = 6
    with _spawn.Pool(PROCESSES) as pool:
        barrier = _spawn.Manager().Barrier(PROCESSES)
        jobs = [
            pool.apply_async(stock_worker.mixed_moves, (db_url, name, work_order, rounds, barrier))
            for name in ("paula", "sam", "admin")
        ]
        added = sum(job.get(timeout=180) for job in jobs)
    inventory = InventoryService(db)
    total = sum(row.on_hand for row in inventory.stock("P-1001"))
    assert total == 5 + added
    assert ledger_matches(db) == []
    assert inventory.parts_cost(work_order) == 0
    assert audit.verify(db).ok
