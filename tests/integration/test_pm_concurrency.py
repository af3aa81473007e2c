"""Two generators at once, in separate processes: every due date gets exactly one work order."""

from __future__ import annotations

import multiprocessing
from collections import Counter
from datetime import date

import pytest
from sqlalchemy import select

from desktop.domain.enums import WorkOrderType
from desktop.domain.pm_rules import IntervalUnit, OnOpen
from desktop.services.orders.work_orders import SearchFilter, WorkOrderService
from desktop.services.pm.pm_schedules import NewSchedule, PMScheduleService
from desktop.services.shared import audit
from desktop.store.pm_models import PMOccurrence
from tests.integration import pm_concurrent_worker

pytestmark = pytest.mark.both_engines  # row locking and unique constraints between processes

_spawn = multiprocessing.get_context("spawn")


def test_two_generators_at_once_create_each_order_once(db, db_url, actors, clock):
    schedules = PMScheduleService(db, clock)
    for code, asset, every, unit in (
        ("DAILY", "P-101", 1, IntervalUnit.DAYS),
        ("WEEKLY", "C-201", 1, IntervalUnit.WEEKS),
        ("MONTHLY", "M-101", 1, IntervalUnit.MONTHS),
    ):
        schedules.create(
            actors["paula"],
            NewSchedule(code, asset, f"{code.lower()} round", date(2026, 3, 2), every, unit,
                        lead_days=0, on_open=OnOpen.STACK, checklist_code="CL-PUMP"),
        )  # fmt: skip
    with _spawn.Pool(2) as pool:
        barrier = _spawn.Manager().Barrier(2)
        jobs = [
            pool.apply_async(
                pm_concurrent_worker.run_generator, (db_url, name, "2026-04-30", barrier)
            )
            for name in ("paula", "sam")
        ]
        made = [number for job in jobs for number in job.get(timeout=300)]
    # 2 March to 30 April: 44 working days (Mon-Fri, no holidays set; weekend due dates move
    # to Monday and are merged with it), 9 Mondays, 2 month starts.
    orders = WorkOrderService(db).search(
        SearchFilter(types=(WorkOrderType.PREVENTIVE,)), limit=1000
    )
    assert len(made) == len(set(made)) == len(orders)
    with db.unit_of_work(write=False) as session:
        keys = session.execute(select(PMOccurrence.schedule_id, PMOccurrence.due_date)).all()
        linked = (
            session.execute(
                select(PMOccurrence.work_order_id).where(PMOccurrence.work_order_id.is_not(None))
            )
            .scalars()
            .all()
        )
    assert max(Counter(keys).values()) == 1
    assert sorted(linked) == sorted(o.id for o in orders)
    assert Counter(o.asset_code for o in orders) == {"P-101": 44, "C-201": 9, "M-101": 2}
    assert audit.verify(db).ok
