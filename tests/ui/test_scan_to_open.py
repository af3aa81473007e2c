"""Scan to open: a wedge scanner anywhere in the app, typed numbers, and printed QR codes."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication

from desktop.domain.enums import Status
from desktop.domain.scanning import asset_label
from desktop.reports.sheet import print_sheets
from desktop.services.orders.work_orders import WorkOrderService
from tests.integration.pdf_pages import page_image, qr_codes
from tests.integration.workflow import drive_to, raise_order
from ui.main_window import MainWindow
from ui.work_orders.editor import WorkOrderEditor

SCANNER_STEP = 0.004
"""Seconds between a wedge scanner's key presses."""
PERSON_STEP = 0.18
"""Seconds between a person's key presses."""


class Keyboard:
    """Types into the focused widget at a scanner's or a person's pace on a fake clock."""

    def __init__(self, qtbot, window: MainWindow) -> None:
        self.qtbot = qtbot
        self.now = 100.0
        self.step = SCANNER_STEP
        window.scan_listener.clock = self._clock

    def _clock(self) -> float:
        self.now += self.step
        return self.now

    def type(self, text: str, step: float, end: Qt.Key = Qt.Key.Key_Return) -> None:
        self.step = step
        widget = QApplication.focusWidget()
        self.qtbot.keyClicks(widget, text)
        self.qtbot.keyClick(widget, end)

    def scan(self, text: str, end: Qt.Key = Qt.Key.Key_Return) -> None:
        self.type(text, SCANNER_STEP, end)


@pytest.fixture
def window(qtbot, app_context, tmp_path):
    settings = QSettings(str(tmp_path / "workstation.ini"), QSettings.Format.IniFormat)
    main = MainWindow(app_context, settings, "SQLite: test", watch=False)
    qtbot.addWidget(main)
    main.show()
    main.activateWindow()
    qtbot.waitUntil(main.isActiveWindow)
    return main


@pytest.fixture
def keyboard(qtbot, window):
    return Keyboard(qtbot, window)


@pytest.fixture
def orders(app_context, actors, clock):
    """An open order and a closed one."""
    service = WorkOrderService(app_context.db, clock)
    open_order = raise_order(service, actors["paula"])
    closed = raise_order(service, actors["paula"], "C-201")
    drive_to(service, actors["admin"], closed.number, Status.CLOSED, clock)
    return open_order.number, closed.number


def focus(qtbot, widget) -> None:
    widget.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget)


def opened(window: MainWindow) -> list[str]:
    return [e.detail.row.number for e in window._editors if isinstance(e, WorkOrderEditor)]


def test_a_scan_into_a_search_field_opens_the_closed_order_and_leaves_the_field(
    qtbot, window, keyboard, orders
):
    _, closed = orders
    search = window.current_panel().filters.search
    focus(qtbot, search)
    keyboard.type("pump", PERSON_STEP, Qt.Key.Key_Escape)

    keyboard.scan(f"]Q1{closed}")

    assert opened(window) == [closed]
    assert search.text() == "pump"


def test_a_person_typing_a_number_into_a_field_only_types_it(qtbot, window, keyboard, orders):
    """Typed at a person's pace it is no scan; it stays in the field until they press Enter
    there (the search's own Enter opens a whole number, tests/ui/test_board.py)."""
    _, closed = orders
    search = window.current_panel().filters.search
    focus(qtbot, search)

    keyboard.type(closed, PERSON_STEP, Qt.Key.Key_Shift)

    assert opened(window) == []
    assert search.text() == closed


def test_a_scan_while_an_editor_has_the_focus_opens_the_other_order(
    qtbot, window, keyboard, orders
):
    open_number, closed = orders
    editor = window.open_work_order(open_number)
    editor.activateWindow()
    qtbot.waitUntil(editor.isActiveWindow)
    focus(qtbot, editor.details_tab.title)
    title = editor.details_tab.title.text()

    keyboard.scan(closed.lower(), Qt.Key.Key_Tab)

    assert opened(window) == [open_number, closed]
    assert editor.details_tab.title.text() == title
    assert not editor.has_unsaved_edits()


def test_a_number_typed_on_the_table_opens_it(qtbot, window, keyboard, orders):
    _, closed = orders
    table = window.show_page("work_orders").table
    focus(qtbot, table)

    keyboard.type(closed.lower(), PERSON_STEP)

    assert opened(window) == [closed]


def test_the_go_to_box_takes_bare_digits_and_says_what_it_cannot_find(
    qtbot, window, keyboard, orders
):
    _, closed = orders
    qtbot.keyClick(window, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is window.go_to.edit

    keyboard.type(closed.rsplit("-", 1)[1].lstrip("0"), PERSON_STEP)
    assert opened(window) == [closed]
    assert window.go_to.edit.text() == ""

    focus(qtbot, window.go_to.edit)
    keyboard.type("WO-1999-7", PERSON_STEP)
    assert window.go_to.error.isVisible()
    assert window.go_to.error.text() == "No work order WO-1999-000007."
    assert opened(window) == [closed]


def test_the_qr_code_on_each_printed_sheet_opens_its_order(
    qtbot, window, keyboard, orders, app_context, tmp_path
):
    out = tmp_path / "sheets.pdf"
    print_sheets(app_context.db, list(orders), out)
    table = window.show_page("work_orders").table

    for page, number in enumerate(orders, start=1):
        (code,) = qr_codes(page_image(out, page, tmp_path))
        focus(qtbot, table)
        keyboard.scan(f"]Q1{code}#")
        assert opened(window)[-1] == number
    assert opened(window) == list(orders)


def test_an_asset_label_opens_the_asset_and_offers_a_request(qtbot, window, keyboard):
    focus(qtbot, window.navigation)

    keyboard.scan(asset_label("M-101"))

    assets = window.current_panel()
    assert assets is window.panels["assets"]
    qtbot.waitUntil(lambda: assets.history is not None)
    assert assets.header.title.text().startswith("M-101 — Feed pump motor")
    qtbot.mouseClick(assets.request_button, Qt.MouseButton.LeftButton)
    (editor,) = window._editors
    assert editor.new_form.asset.value() == "M-101"
