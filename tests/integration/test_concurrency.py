"""Several OS processes writing to one database at once: nothing lost, nothing overwritten."""

from __future__ import annotations

import multiprocessing

import pytest

from desktop.services.orders.work_orders import SearchFilter, WorkOrderService
from desktop.services.shared import audit
from tests.integration import concurrent_worker
from tests.integration.workflow import raise_order

pytestmark = pytest.mark.both_engines  # row locking between processes

_spawn = multiprocessing.get_context("spawn")


def test_parallel_creates_get_unique_numbers_and_one_chain(db, db_url):
    per_process = 15
    with _spawn.Pool(3) as pool:
        barrier = _spawn.Manager().Barrier(3)
        jobs = [
            pool.apply_async(concurrent_worker.create_orders, (db_url, name, per_process, barrier))
            for name in ("paula", "sam", "tom")
        ]
        numbers = [n for job in jobs for n in job.get(timeout=120)]
    assert len(numbers) == len(set(numbers)) == 3 * per_process
    assert WorkOrderService(db).count(SearchFilter()) == 3 * per_process
    result = audit.verify(db)
    assert result.ok, result.describe()


def test_two_processes_saving_the_same_version_one_wins_one_is_told(db, db_url, actors):
    service = WorkOrderService(db)
    wo = raise_order(service, actors["admin"])
    with _spawn.Pool(2) as pool:
        barrier = _spawn.Manager().Barrier(2)
        jobs = [
            pool.apply_async(
                concurrent_worker.save_title, (db_url, name, wo.number, wo.version, barrier)
            )
            for name in ("paula", "sam")
        ]
        outcomes = sorted(job.get(timeout=120) for job in jobs)
    winner = "paula" if "conflict with sam" not in outcomes else "sam"
    assert outcomes.count("saved") == 1
    assert f"conflict with {winner}" in outcomes
    after = service.get(wo.number)
    assert after.row.title == f"title by {winner}"
    assert after.row.version == wo.version + 1
    assert audit.verify(db).ok
