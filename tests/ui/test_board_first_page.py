"""The start's board: its first page shown before the services load, taking input at once.

On SQLite the start reads the board's first page with sqlite3 (`ui.app.show_first_page`) and
gives the board its services a moment later (`ui.app.fill`); what needs them waits, visibly.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QListView

from desktop.domain.board import CARDS_PER_STAGE, FIRST_CARDS, FIRST_PAGE, BoardCard
from desktop.domain.enums import Priority, Stage, Status, WorkOrderType
from desktop.services.admin.users import UserService
from desktop.services.assets.site_calendar import SiteCalendarService
from desktop.services.orders.board import BoardService
from desktop.services.orders.work_orders import WorkOrderService
from desktop.store.board_page import read_sqlite, sqlite_file
from desktop.store.database import Database
from desktop.store.migrate import HEAD_REVISION, current_revision
from tests.integration.first_page import fast_page
from tests.integration.workflow import raise_order
from tests.reliability.first_revision import create_at_first_revision
from tests.reliability.first_revision import fill as fill_first_release
from tests.ui.board_helpers import drag_card
from ui import app, i18n
from ui.board.board_panel import BoardPanel
from ui.board.cards import CardListModel
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.widgets.filter_bar import FilterBar

ROOT = Path(__file__).resolve().parents[2]

# The start as the bench times it: the shell, the first page, then the services behind it.
FIRST_PAGE_SCRIPT = """
import sys
from pathlib import Path
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
application = QApplication([])
from ui import app
window = app.show_shell(QSettings(sys.argv[1], QSettings.Format.IniFormat))
shown = app.show_first_page(window, sys.argv[2])
board = window.current_panel()
cards = sum(len(column.model.cards) for column in board.columns.values())
print(shown, cards, "sqlalchemy" in sys.modules, window.navigation.isEnabled())
session = app.open_in_background(app.parse(["--db", sys.argv[2], "--no-plant"]), Path(sys.argv[3]))
from desktop.services.admin.users import UserService
app.fill(window, session, UserService(session.db).actor_for("paula"), Path(sys.argv[3]), False)
print(board.ready)  # its services' read runs on a worker thread
while not board.ready:
    application.processEvents()
print(window.current_panel() is board, board.waiting, window.navigation.isEnabled())
"""


@pytest.fixture
def orders(db, actors, clock) -> list[str]:
    service = WorkOrderService(db, clock)
    return [raise_order(service, actors["paula"], asset).number for asset in ("P-101", "C-201")]


@pytest.fixture
def sqlite_db(sqlite_template, tmp_path) -> Iterator[Database]:
    """The seeded database as a SQLite file: the start reads the first page with sqlite3 from
    SQLite files only (PostgreSQL takes the usual path), so the start's tests use one."""
    target = tmp_path / "start.sqlite3"
    shutil.copyfile(sqlite_template, target)
    db = Database(f"sqlite:///{target}")
    yield db
    db.dispose()


@pytest.fixture
def sqlite_orders(sqlite_db) -> list[str]:
    service = WorkOrderService(sqlite_db)
    paula = UserService(sqlite_db).actor_for("paula")
    return [raise_order(service, paula, asset).number for asset in ("P-101", "C-201")]


@pytest.fixture
def german(qapp) -> Iterator[None]:
    assert i18n.install("de") == "de"
    yield
    i18n.install(i18n.SOURCE_LANGUAGE)


def _first_page_board(qtbot, db) -> BoardPanel:
    page = fast_page(db.url)
    board = BoardPanel(None, first_page=page.columns)
    qtbot.addWidget(board)
    board.resize(1400, 800)
    board.show()
    return board


def _card_index(board: BoardPanel, number: str):
    column = board.columns[board.stage_of(number)]
    row = [card.number for card in column.model.cards].index(number)
    return column.view, column.model.index(row)


def test_the_board_opens_on_its_first_page(qtbot, app_context):
    bar = FilterBar(app_context, with_status=False)
    qtbot.addWidget(bar)
    assert bar.criteria() == FIRST_PAGE


def test_the_board_takes_input_before_its_services_and_does_it_once_they_load(
    qtbot, db, orders, app_context
):
    opened_number, moved_number = orders
    board = _first_page_board(qtbot, db)
    assert board.stage_of(opened_number) is Stage.REQUEST
    view, index = _card_index(board, opened_number)
    centre = view.visualRect(index).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    assert view.selectionModel().isSelected(index)  # selecting needs no service
    with qtbot.assertNotEmitted(board.sig_work_order_opened):
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    assert board.summary.text() == f"Loading… opening {opened_number} follows"
    assert board.cursor().shape() == Qt.CursorShape.BusyCursor
    drag_card(board, moved_number, Stage.APPROVAL)
    assert board.summary.text() == f"Loading… moving {moved_number} follows"
    assert WorkOrderService(db).get(moved_number).row.status is Status.REQUESTED
    assert board.waiting

    with qtbot.waitSignal(board.sig_work_order_opened) as opened:
        board.attach(app_context)

    assert opened.args == [opened_number]
    assert WorkOrderService(db).get(moved_number).row.status is Status.APPROVED
    assert board.stage_of(moved_number) is Stage.APPROVAL
    assert board.summary.text() == "2 work orders match"
    assert board.cursor().shape() == Qt.CursorShape.ArrowCursor
    assert not board.waiting


def test_a_search_typed_before_the_services_load_is_applied_once_they_do(
    qtbot, db, orders, app_context
):
    board = _first_page_board(qtbot, db)
    qtbot.keyClicks(board.filters.search, "C-201")
    assert board.summary.text() == "Loading… the search follows"
    assert board.stage_of(orders[0]) is Stage.REQUEST  # the first page stays meanwhile
    board.attach(app_context)
    qtbot.waitUntil(lambda: board.ready)
    assert board.stage_of(orders[0]) is None
    assert board.stage_of(orders[1]) is Stage.REQUEST
    assert board.summary.text() == "1 work orders match"


def test_the_first_page_looks_as_the_services_board_does_in_german(
    qtbot, sqlite_db, sqlite_orders, tmp_path, german
):
    db = sqlite_db
    i18n.set_site_zone(None)
    settings = QSettings(str(tmp_path / "workstation.ini"), QSettings.Format.IniFormat)
    window = app.show_shell(settings)
    qtbot.addWidget(window)
    assert app.show_first_page(window, db.url)
    # The site's zone is set by the first page itself: its due dates are the site's days.
    zone = SiteCalendarService(db).calendar().timezone
    assert str(i18n.site_zone()) == zone
    fast = window.current_panel()
    paula = UserService(db).actor_for("paula")
    served = BoardPanel(AppContext(db, paula, tmp_path))  # the wall clock, as the first page's
    qtbot.addWidget(served)
    served.setParent(window.stack)
    window.stack.addWidget(served)
    window.stack.setCurrentWidget(served)
    for stage in Stage:
        ours, theirs = fast.columns[stage], served.columns[stage]
        assert ours.header.text() == theirs.header.text()
        assert ours.header.toolTip() == theirs.header.toolTip()
        for row in range(theirs.model.rowCount()):
            for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                assert ours.model.index(row).data(role) == theirs.model.index(row).data(role)
        # Painted alike, the German due badges ("05. Dez.") included.
        theirs_image = theirs.view.grab().toImage()
        window.stack.setCurrentWidget(fast)
        assert ours.view.grab().toImage() == theirs_image
        window.stack.setCurrentWidget(served)
    tips = [
        c.model.index(r).data(Qt.ItemDataRole.ToolTipRole)
        for c in fast.columns.values()
        for r in range(c.model.rowCount())
    ]
    assert tips
    assert all(re.search(r"\d\d\.\d\d\.\d{4} \d\d:\d\d", tip) for tip in tips)  # German dates
    assert fast.summary.text() == served.summary.text()
    window.close()


def test_the_100k_demos_first_page_is_the_services(big_demo_url):
    db = Database(big_demo_url)
    try:
        page = read_sqlite(sqlite_file(big_demo_url))
        assert page is not None
        assert page.columns == BoardService(db).columns(FIRST_PAGE, per_stage=FIRST_CARDS)
        assert sum(column.total for column in page.columns) > 5000
        everything = read_sqlite(sqlite_file(big_demo_url), CARDS_PER_STAGE)
        assert everything.columns == BoardService(db).columns(FIRST_PAGE)
    finally:
        db.dispose()


def test_a_database_at_an_older_schema_takes_the_usual_path(qtbot, tmp_path):
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    old = create_at_first_revision(url)
    fill_first_release(old, 40)
    old.dispose()
    window = app.show_shell(QSettings(str(tmp_path / "ws.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    assert not app.show_first_page(window, url)
    assert window.current_panel() is window.loading  # the shell, nothing read, nothing written
    assert current_revision(Database(url)) == "0001"
    session = app.open_in_background(app.parse(["--db", url, "--no-plant"]), tmp_path)
    assert current_revision(session.db) == HEAD_REVISION  # upgraded as always, before the board
    admin = next(u for u in UserService(session.db).list() if u.role.value == "admin")
    app.fill(window, session, UserService(session.db).actor_for(admin.username), tmp_path, False)
    board = window.current_panel()
    assert isinstance(board, BoardPanel)
    assert board.summary.text().endswith("work orders match")
    assert not board.summary.text().startswith("0 ")
    window.close()
    session.db.dispose()


def test_the_first_page_shows_before_the_database_layer_is_imported(
    sqlite_db, sqlite_orders, tmp_path
):
    db = sqlite_db
    db.dispose()
    started = subprocess.run(
        [sys.executable, "-c", FIRST_PAGE_SCRIPT, str(tmp_path / "ws.ini"), db.url, str(tmp_path)],
        cwd=ROOT,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    # Two cards, no SQLAlchemy yet, the navigation waiting for the services ...
    assert started[0] == "True 2 False False"
    # ... which the same board then gets, read through them off the GUI thread.
    assert started[1:] == ["False", "True False True"]


def test_main_window_hands_what_was_clicked_meanwhile_to_the_editor(
    qtbot, sqlite_db, sqlite_orders, tmp_path, monkeypatch
):
    db, orders = sqlite_db, sqlite_orders
    context = AppContext(db, UserService(db).actor_for("paula"), tmp_path)
    opened = []
    monkeypatch.setattr(MainWindow, "open_work_order", lambda _self, number: opened.append(number))
    window = app.show_shell(QSettings(str(tmp_path / "ws.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    assert app.show_first_page(window, db.url)
    board = window.current_panel()
    view, index = _card_index(board, orders[1])
    centre = view.visualRect(index).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=centre)  # as a person:
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=centre)  # twice
    assert opened == []
    assert board.waiting, board.summary.text()
    window.attach(context, "SQLite: test")
    qtbot.waitUntil(lambda: board.ready)
    assert opened == [orders[1]]
    assert window.current_panel() is board
    window.close()


def test_the_services_cards_join_the_first_pages_below_them_keeping_the_selection(qtbot):
    cards = tuple(
        BoardCard(
            f"WO-2026-{n:06d}",
            "Seal",
            "P-101",
            WorkOrderType.CORRECTIVE,
            Priority.HIGH,
            Status.REQUESTED,
            None,
            (),
            False,
            1,
        )
        for n in range(1, 41)
    )
    model = CardListModel(Stage.REQUEST)
    view = QListView()
    qtbot.addWidget(view)
    view.setModel(model)
    model.set_cards(cards[:FIRST_CARDS])
    view.setCurrentIndex(model.index(FIRST_CARDS - 1))
    view.scrollTo(model.index(FIRST_CARDS - 1))
    scrolled = view.verticalScrollBar().value()
    model.set_cards(cards)
    assert model.rowCount() == 40
    assert view.currentIndex().row() == FIRST_CARDS - 1
    assert view.selectionModel().isSelected(model.index(FIRST_CARDS - 1))
    assert view.verticalScrollBar().value() == scrolled
    model.set_cards(cards[5:])  # not more of the same: shown afresh
    assert model.rowCount() == 35
    assert not view.selectionModel().hasSelection()
