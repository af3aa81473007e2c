"""A database made by the first release, full of data, upgraded to the newest schema."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from desktop.domain.board import stages_shown
from desktop.services.admin.users import UserService
from desktop.services.analytics.kpi import KpiService
from desktop.services.analytics.kpi_records import KpiQuery
from desktop.services.orders.board import BoardService
from desktop.services.orders.work_order_records import WorkOrderDraft
from desktop.services.orders.work_orders import SearchFilter, WorkOrderService
from desktop.services.shared import audit
from desktop.store.database import sqlite_path
from desktop.store.migrate import HEAD_REVISION, current_revision, upgrade
from desktop.store.models import WorkOrder
from tests.reliability.conftest import fingerprint
from tests.reliability.first_revision import (
    PASSWORD,
    as_upgraded,
    create_at_first_revision,
    fill,
    first_tables,
)

pytestmark = pytest.mark.both_engines  # migrations of a first-release database per engine

ORDERS = 3000
NOW = datetime(2025, 2, 1, tzinfo=UTC)


def test_a_full_first_release_database_upgrades_with_nothing_lost(empty_url):
    url = empty_url()
    db = create_at_first_revision(url)
    written = fill(db, ORDERS)
    old = first_tables()
    before = fingerprint(db, old)
    assert {name: len(rows) for name, rows in before.items()} == written
    assert written["work_orders"] == ORDERS
    assert min(written.values()) > 0
    chain = audit.verify(db)
    assert chain.ok, chain.describe()

    copy = upgrade(db)

    assert current_revision(db) == HEAD_REVISION
    assert (copy is not None) == (sqlite_path(url) is not None)
    assert fingerprint(db, first_tables(renamed=True)) == as_upgraded(before)
    after = audit.verify(db)
    assert after.ok, after.describe()
    assert (after.entries, after.final_hash) == (chain.entries, chain.final_hash)

    # The services of the newest release read the old records.
    orders = WorkOrderService(db, lambda: NOW)
    shown = [s for statuses in stages_shown(SearchFilter()).values() for s in statuses]
    with db.unit_of_work(write=False) as session:
        open_count = session.execute(
            select(func.count()).where(WorkOrder.status.in_(shown))
        ).scalar_one()
    board = BoardService(db).columns()
    assert sum(column.total for column in board) == open_count > 0
    assert orders.count(SearchFilter()) == ORDERS
    detail = orders.get("WO-2024-000001")
    assert detail.row.title.startswith("Job 0:")
    assert detail.attachments
    dashboard = KpiService(db, lambda: NOW).dashboard(
        KpiQuery(datetime(2024, 1, 1, tzinfo=UTC), datetime(2025, 1, 1, tzinfo=UTC))
    )
    assert dashboard.figure("mttr").value is not None
    assert dashboard.figure("mttr").work_order_ids
    # People still log in with the passwords they had, and new work gets new numbers.
    admin = UserService(db).authenticate("admin", PASSWORD)
    made = orders.create(admin, WorkOrderDraft("after the upgrade", "EQ-000")).work_order
    assert made.number == f"WO-{NOW.year}-000001"
    assert audit.verify(db).ok
    db.dispose()
