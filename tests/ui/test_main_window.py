"""The main window: navigation, status bar, shortcuts, remembered layout and live refresh."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, QSettings, Qt, Signal
from PySide6.QtWidgets import QApplication, QWidget

from desktop.domain.enums import Stage, Status
from desktop.services.orders.work_orders import WorkOrderService
from tests.conftest import PASSWORD
from tests.integration.workflow import drive_to, raise_order
from ui.board.board_panel import BoardPanel
from ui.main_window import PAGE_KEY, PAGES, MainWindow
from ui.work_orders.table_panel import WorkOrderTablePanel

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def settings(tmp_path):
    return QSettings(str(tmp_path / "workstation.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(qtbot, app_context, settings):
    main = MainWindow(app_context, settings, "SQLite: test", watch=False)
    qtbot.addWidget(main)
    main.show()
    return main


def test_opens_on_the_board_with_user_database_and_connection(window):
    assert isinstance(window.current_panel(), BoardPanel)
    assert window.user_label.text() == "paula (planner)"
    assert window.db_label.text() == "SQLite: test"
    assert window.connection_label.text() == "connected"
    titles = [window.navigation.item(i).text() for i in range(window.navigation.count())]
    assert titles == [page.title for page in PAGES]
    for name in ("Board", "Work orders", "Assets", "Inventory"):
        assert name in titles


class FakePlantLink(QObject):
    """What the window asks of the plant link: its signals, attach, start and stop."""

    sig_status_changed = Signal(str)
    sig_failed = Signal(str)
    endpoint = ""
    sampling = ()

    def __init__(self) -> None:
        super().__init__()
        self.attached: list[QWidget] = []

    def attach(self, panel: QWidget) -> None:
        self.attached.append(panel)

    def start(self) -> None: ...

    def stop(self) -> None: ...


def test_the_plant_link_reaches_the_trends_page_the_window_was_left_on(
    qtbot, app_context, settings
):
    settings.setValue(PAGE_KEY, "trends")
    main = MainWindow(None, settings)
    qtbot.addWidget(main)
    main.attach(app_context, "SQLite: test")  # the start shows the page before the plant link
    trends = main.current_panel()
    assert main.plant_label.text() == ""
    plant = FakePlantLink()
    main.start_background(watch=False, plant=plant)  # type: ignore[arg-type]
    assert plant.attached == [trends]
    assert main.plant_label.text() == "OPC UA: starting"
    plant.sig_status_changed.emit("OPC UA: connected")
    assert main.plant_label.text() == "OPC UA: connected"


def test_navigation_builds_each_page_once(qtbot, window):
    window.navigation.setCurrentRow(1)
    table = window.current_panel()
    assert isinstance(table, WorkOrderTablePanel)
    window.navigation.setCurrentRow(0)
    window.navigation.setCurrentRow(1)
    assert window.current_panel() is table
    for row in range(window.navigation.count()):
        window.navigation.setCurrentRow(row)
        assert window.current_panel().isVisible()


def test_ctrl_f_focuses_the_search_of_the_current_panel(qtbot, window):
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is window.current_panel().filters.search


def test_layout_and_page_are_remembered(qtbot, app_context, settings):
    first = MainWindow(app_context, settings, "x", watch=False)
    qtbot.addWidget(first)
    first.show()
    first.resize(701, 501)  # within the offscreen screen, which restoreGeometry clamps to
    saved_size = first.size()
    first.show_page("work_orders")
    first.current_panel().table.setColumnWidth(1, 333)
    first.close()
    second = MainWindow(app_context, settings, "x", watch=False)
    qtbot.addWidget(second)
    assert isinstance(second.current_panel(), WorkOrderTablePanel)
    assert second.current_panel().table.columnWidth(1) == 333
    # The offscreen screen is 800 px wide, so only the height survives restoreGeometry's clamp.
    assert second.size().height() == saved_size.height() == 501


def test_change_by_another_process_shows_without_restart(qtbot, app_context, settings, db_url):
    main = MainWindow(app_context, settings, "x", watch=False)
    qtbot.addWidget(main)
    main.watcher.interval = 0.2
    main.watcher.start()
    board = main.current_panel()
    assert board.columns[Stage.REQUEST].model.cards == ()
    env = os.environ | {"WRENCHBOOK_USER": "sam", "WRENCHBOOK_PASSWORD": PASSWORD}
    done = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "--db", db_url, "wo", "create",
         "--asset", "P-101", "--title", "Raised elsewhere"],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    qtbot.waitUntil(lambda: len(board.columns[Stage.REQUEST].model.cards) == 1, timeout=10_000)
    assert board.columns[Stage.REQUEST].model.cards[0].title == "Raised elsewhere"
    main.close()


def test_lost_database_shows_in_the_status_bar_and_recovers(qtbot, window, app_context):
    from desktop.store.database import Database

    # Nothing listens on port 1: every connection attempt is refused at once.
    unreachable = Database("postgresql+psycopg://nobody@127.0.0.1:1/wrenchbook")
    window.watcher._db = unreachable
    with qtbot.waitSignal(window.watcher.sig_connection_changed):
        window.watcher.poll()
    assert "unreachable" in window.connection_label.text()
    window.watcher._db = app_context.db
    with qtbot.waitSignal(window.watcher.sig_connection_changed):
        window.watcher.poll()
    assert window.connection_label.text() == "connected"
    unreachable.dispose()


def test_ctrl_n_opens_a_new_work_order_and_saving_refreshes_the_board(qtbot, window, app_context):
    from ui.work_orders.editor import WorkOrderEditor

    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    editors = window.findChildren(WorkOrderEditor)
    assert len(editors) == 1
    editor = editors[0]
    assert editor.isVisible()
    editor.new_form.asset.set_value("P-101")
    qtbot.keyClicks(editor.new_form.title, "Guard rail loose")
    assert editor.save()
    board = window.current_panel()
    assert [c.title for c in board.columns[Stage.REQUEST].model.cards] == ["Guard rail loose"]


def test_enter_on_a_board_card_opens_its_editor(qtbot, window, app_context, actors):
    from tests.integration.workflow import raise_order
    from ui.work_orders.editor import WorkOrderEditor

    number = raise_order(WorkOrderService(app_context.db), actors["admin"]).number
    board = window.current_panel()
    board.refresh()
    view = board.columns[Stage.REQUEST].view
    view.setFocus()
    view.setCurrentIndex(view.model().index(0))
    qtbot.keyClick(view, Qt.Key.Key_Return)
    editors = window.findChildren(WorkOrderEditor)
    assert [e.number for e in editors] == [number]


def test_navigation_counts_parts_at_or_below_minimum(qtbot, window, app_context, actors):
    from desktop.services.stock.inventory import InventoryService
    from tests.integration.stock import stock_room

    inventory = InventoryService(app_context.db, app_context.clock)
    stock_room(inventory, actors["admin"])  # P-1001: 5 on hand, minimum 2
    inventory.adjust(actors["admin"], "P-1001", "A-12", -3, "found broken")
    window.refresh_all()
    item = window.navigation.item([p.key for p in PAGES].index("inventory"))
    assert item.text() == "Inventory  (1)"


def test_a_dashboard_figure_opens_the_table_on_its_orders(qtbot, window, app_context, actors):
    from desktop.services.orders.work_orders import WorkOrderService
    from tests.integration.workflow import raise_order

    service = WorkOrderService(app_context.db)
    wanted = [raise_order(service, actors["admin"]).number for _ in range(2)]
    raise_order(service, actors["admin"], "C-201")  # not behind the figure
    window.list_work_orders(wanted)
    table = window.current_panel()
    assert isinstance(table, WorkOrderTablePanel)
    shown = [table.model.row_at(r).number for r in range(table.model.rowCount())]
    assert sorted(shown) == sorted(wanted)
    assert table.count.text() == "2 work orders behind the dashboard figure"
    table.clear_numbers.click()
    assert table.model.total == 3


def test_scanning_a_closed_orders_number_into_the_board_search_opens_it(
    qtbot, window, db, clock, actors
):
    from desktop.services.orders.work_orders import WorkOrderService

    service = WorkOrderService(db, clock)
    number = raise_order(service, actors["admin"]).number
    drive_to(service, actors["admin"], number, Status.CLOSED, clock)
    board = window.current_panel()
    board.refresh()
    assert board.card(number) is None  # closed: not on the board
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(board.filters.search, number.lower() + "\r")
    qtbot.keyClick(board.filters.search, Qt.Key.Key_Return)
    assert [editor.number for editor in window._editors] == [number]
    assert window._editors[0].isVisible()
    assert board.filters.search.text() == ""  # ready for the next scan


def test_own_saves_refresh_once_and_other_writes_refresh_again(qtbot, window, app_context, actors):
    from desktop.services.shared import audit

    board = window.current_panel()
    refreshed = []
    board.refresh = lambda: refreshed.append(True)
    raise_order(app_context.services.work_orders, actors["admin"])
    window.refresh_all()  # what a save in this window does
    assert len(refreshed) == 1

    window.watcher.sig_changed.emit(audit.latest_sequence(app_context.db), None)  # its report
    assert len(refreshed) == 1

    raise_order(app_context.services.work_orders, actors["sam"])  # another workstation
    window.watcher.sig_changed.emit(audit.latest_sequence(app_context.db), None)
    assert len(refreshed) == 2


def test_another_workstations_write_refreshes_only_the_pages_that_show_it(
    qtbot, window, app_context, actors
):
    from tests.integration.stock import stock_room

    window.show_page("inventory")
    window.show_page("board")
    board = window.current_panel()
    refreshed = []
    board.refresh = lambda: refreshed.append(True)
    window.watcher.poll()  # the watcher's starting point

    stock_room(app_context.services.inventory, actors["admin"])  # a store-room change only
    with qtbot.waitSignal(window.watcher.sig_changed) as changed:
        window.watcher.poll()

    assert changed.args[1] >= {"part", "bin"}
    assert "work_order" not in changed.args[1]
    assert refreshed == []  # the board shows none of it
    assert "inventory" in window._stale

    raise_order(app_context.services.work_orders, actors["sam"])
    window.watcher.poll()
    assert refreshed == [True]


def test_a_long_plant_failure_does_not_widen_the_window_past_a_laptop(qtbot, app_context, settings):
    """The plant's status read "as wide as its text": a certificate failure with its file
    path, or a plant-scale shortfall naming its tags, pushed the window past 1,700 px."""
    main = MainWindow(None, settings)
    qtbot.addWidget(main)
    where = r"SQLite: C:\Users\k.brandt\AppData\Local\Wrenchbook\Wrenchbook\wrenchbook.sqlite3"
    main.attach(app_context, where)
    assert main.db_label.toolTip() == where
    plant = FakePlantLink()
    main.start_background(watch=False, plant=plant)  # type: ignore[arg-type]
    text = "OPC UA: connected · ⚠ fewer values than asked from " + ", ".join(
        f"BOT-SYR-MIX-P{n}.Vibration" for n in range(40)
    )
    plant.sig_status_changed.emit(text)
    assert main.plant_label.text().startswith("OPC UA: connected · ⚠ fewer values")
    assert main.plant_label.text().endswith("…")
    assert main.plant_label.toolTip() == text  # whole, where the bar ends it in "…"
    assert main.minimumSizeHint().width() <= 1280
    plant.sig_status_changed.emit("OPC UA: connected")
    assert main.plant_label.text() == "OPC UA: connected"  # short: whole
