"""An audit pack of a thousand work orders from the demo plant, on both engines."""

from __future__ import annotations

import itertools
import os
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from desktop.demo.plant import DemoPlantService
from desktop.reports.audit_pack import build_audit_pack
from desktop.reports.pack_scope import PackRequest
from desktop.services.admin.users import UserService
from desktop.services.orders.work_orders import SearchFilter, WorkOrderService
from desktop.store.database import Database
from desktop.store.migrate import upgrade
from tests import pg_server
from tests.integration.pdf_pages import PAGE_OF, outline, page_texts

BERLIN = ZoneInfo("Europe/Berlin")  # the demo site's zone, the one the pack prints in
NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
ORDERS = 1000
_counter = itertools.count()


@pytest.fixture(params=["sqlite", "postgresql"])
def demo_db(request, tmp_path):
    """A fresh database holding the demo plant with a year of 1,000 work orders."""
    name = None
    if request.param == "sqlite":
        db = Database(f"sqlite:///{tmp_path / 'demo.sqlite3'}")
    else:
        admin_url = request.getfixturevalue("pg_admin_url")
        name = f"wb_pack_{os.getpid()}_{next(_counter)}"
        db = Database(pg_server.create_database(admin_url, name))
    upgrade(db)
    DemoPlantService(db, lambda: NOW).build(seed=4, scale=ORDERS, years=1)
    yield db
    db.dispose()
    if name is not None:
        pg_server.drop_database(admin_url, name)


@pytest.mark.slow
def test_pack_of_a_thousand_orders_holds_every_record(demo_db, tmp_path):
    actor = UserService(demo_db).actor_for("admin")
    everything = PackRequest(datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC))
    out = tmp_path / "pack.pdf"

    result = build_audit_pack(demo_db, actor, everything, out, clock=lambda: NOW)

    service = WorkOrderService(demo_db)
    numbers = [r.number for r in service.search(SearchFilter(), limit=ORDERS + 1, descending=False)]
    assert result.orders == len(numbers) == ORDERS
    assert result.chain_ok
    marks = outline(out)
    top = {title: page for level, title, page in marks if level == 0}
    records = [(title, page) for level, title, page in marks if level == 1]
    assert [title.split()[0] for title, _ in records] == numbers
    register = "\n".join(
        page_texts(out, range(top["Work-order register"], top["Work-order records"]))
    )
    assert all(number in register for number in numbers)
    last = page_texts(out, range(result.pages - 1, result.pages))[0]
    assert PAGE_OF.search(last).groups() == (str(result.pages), str(result.pages))
    # Every 50th record, read back and compared with the stored order.
    for title, page in records[::50]:
        detail = service.get(title.split()[0])
        text = "\n".join(page_texts(out, range(page, min(page + 2, result.pages))))
        assert f"{detail.row.number} — {detail.row.title}" in text
        assert f"Status\n{detail.row.status.value}" in text
        for change in detail.history:
            assert f"{change.at.astimezone(BERLIN):%Y-%m-%d %H:%M}\n{change.username}" in text
