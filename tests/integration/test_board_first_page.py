"""The board's first page read with the bare DBAPI at start is the board service's first page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text

from desktop.domain.board import CARDS_PER_STAGE, FIRST_CARDS, FIRST_PAGE
from desktop.domain.enums import Priority, Stage, Status, WorkOrderType
from desktop.services.assets.site_calendar import SiteCalendarService
from desktop.services.orders.board import BoardService
from desktop.services.orders.work_orders import WorkOrderService
from desktop.services.stock.inventory import InventoryService
from tests.integration.first_page import fast_page
from tests.integration.stock import stock_room
from tests.integration.workflow import drive_to, prepare, raise_order

pytestmark = pytest.mark.both_engines  # the reader takes sqlite3 and psycopg connections


@pytest.fixture
def plant(db, actors, clock):
    """Orders in every stage: a crew with its lead, one waiting for parts, one held for parts,
    closed and cancelled work, priorities and due times that tie."""
    orders = WorkOrderService(db, clock)
    inventory = InventoryService(db, clock)
    admin = actors["admin"]
    stock_room(inventory, admin)
    due = clock() + timedelta(days=3)
    numbers = {}
    for i, status in enumerate(
        [
            Status.REQUESTED,
            Status.REQUESTED,
            Status.APPROVED,
            Status.SCHEDULED,
            Status.IN_PROGRESS,
            Status.ON_HOLD,
            Status.COMPLETED,
            Status.CLOSED,
            Status.CANCELLED,
            Status.APPROVED,
        ]
    ):
        number = raise_order(
            orders,
            admin,
            ("P-101", "C-201", "M-101")[i % 3],
            (WorkOrderType.CORRECTIVE, WorkOrderType.PREVENTIVE)[i % 2],
            priority=(Priority.HIGH, Priority.MEDIUM)[i % 2],
            due_at=due + timedelta(hours=i % 4),  # ties broken by the number
        ).number
        if status is Status.SCHEDULED:  # planned parts that are not in stock: waiting
            drive_to(orders, admin, number, Status.APPROVED, clock)
            inventory.plan_part(admin, number, "P-1003", 3)
            prepare(orders, admin, number, Status.SCHEDULED, clock)
            orders.transition(admin, number, Status.SCHEDULED)
        elif status is not Status.REQUESTED:
            drive_to(orders, admin, number, status, clock)
        numbers[status] = number
    crewed = numbers[Status.APPROVED]  # two technicians, the second one leading
    orders.assign(admin, crewed, orders.get(crewed).row.version, ["tom", "tina"], lead="tina")
    return numbers


def test_the_fast_first_page_is_the_services_first_page(db, plant):
    service = BoardService(db)
    fast = fast_page(db.url)
    assert fast is not None
    assert fast.columns == service.columns(FIRST_PAGE, per_stage=FIRST_CARDS)
    assert fast_page(db.url, CARDS_PER_STAGE).columns == service.columns(FIRST_PAGE)
    assert fast.site_zone == SiteCalendarService(db).calendar().timezone
    cards = {card.number: card for column in fast.columns for card in column.cards}
    # The page has what could differ between two readers: crews, parts, open work only.
    assert cards[plant[Status.SCHEDULED]].waiting_for_parts
    assert cards[plant[Status.ON_HOLD]].waiting_for_parts
    assert cards[plant[Status.APPROVED]].assignee_initials == ("TI", "TO")
    assert plant[Status.CLOSED] not in cards
    assert plant[Status.CANCELLED] not in cards
    # The most urgent first, also where a column is cut short.
    assert fast_page(db.url, per_stage=1).columns == service.columns(FIRST_PAGE, per_stage=1)


def test_a_database_at_another_schema_revision_is_left_to_the_usual_path(db, plant):
    for revision in ("0001", "9999"):  # older: upgraded first; newer: refused by the start
        with db.engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = :r"), {"r": revision})
        assert fast_page(db.url) is None


def test_every_column_comes_back_empty_without_work(db):
    fast = fast_page(db.url)
    assert fast is not None
    assert [(c.stage, c.total, c.cards) for c in fast.columns] == [(s, 0, ()) for s in Stage]
