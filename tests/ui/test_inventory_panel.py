"""The inventory panel driven as a store-room user would, offscreen."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from desktop.services.stock.inventory import InventoryService
from tests.integration.stock import ledger_matches, stock_room
from ui.inventory.models import LOW_STOCK_BRUSH, PartTableModel
from ui.inventory.panel import InventoryPanel


@pytest.fixture
def panel(qtbot, app_context, actors):
    service = InventoryService(app_context.db, app_context.clock)
    stock_room(service, actors["admin"])
    # Count the bearings down to their minimum of 2: the row turns red.
    service.adjust(actors["admin"], "P-1001", "A-12", -3, "stock count")
    widget = InventoryPanel(app_context)
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    return widget


def cell(model: PartTableModel, row: int, title: str, role=Qt.ItemDataRole.DisplayRole):
    column = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    return model.data(model.index(row, column.index(title)), role)


def test_parts_table_passes_the_model_tester(qtmodeltester, panel):
    qtmodeltester.check(panel.parts_model)
    qtmodeltester.check(panel.ledger_model)


def test_low_stock_rows_are_tinted_and_counted(panel):
    model = panel.parts_model
    assert [cell(model, r, "Part") for r in range(model.rowCount())] == [
        "P-1001",
        "P-1002",
        "P-1003",
    ]
    assert cell(model, 0, "Available") == "2"
    assert cell(model, 0, "Min") == "2"
    assert cell(model, 0, "Part", Qt.ItemDataRole.BackgroundRole) == LOW_STOCK_BRUSH
    assert cell(model, 1, "Part", Qt.ItemDataRole.BackgroundRole) is None
    assert panel.low_stock.text() == "1 part at or below minimum"
    panel.below_min.setChecked(True)
    assert model.rowCount() == 1


def test_search_filters_as_you_type(qtbot, panel):
    qtbot.keyClicks(panel.search, "seal")
    assert [cell(panel.parts_model, r, "Part") for r in range(panel.parts_model.rowCount())] == [
        "P-1002"
    ]


def test_selecting_a_part_shows_its_ledger(panel):
    assert panel.ledger_model.rowCount() == 0
    assert not panel.receive_button.isEnabled()
    panel.select_part("P-1001")
    ledger = panel.ledger_model
    assert [ledger.row_at(r).kind.value for r in range(ledger.rowCount())] == [
        "adjustment",
        "receipt",
    ]
    assert panel.receive_button.isEnabled()


def test_receive_dialog_books_stock_and_refreshes(qtbot, panel, app_context):
    panel.select_part("P-1003")
    dialog = panel.receive_dialog()
    dialog.bin.setCurrentText("B-01")
    dialog.quantity.setValue(4)
    dialog.unit_cost.setValue(7.5)
    with qtbot.waitSignal(dialog.accepted):
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    panel.refresh()
    assert panel.selected_part().on_hand == 4
    assert panel.ledger_model.row_at(0).bin == "B-01"
    assert ledger_matches(app_context.db) == []


def test_refused_adjustment_keeps_the_dialog_open_with_the_reason(panel, app_context):
    panel.select_part("P-1002")
    dialog = panel.adjust_dialog()
    dialog.change.setValue(-25)
    dialog.reason.setText("count")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.error.text() == "cannot adjust P-1002: only 20 of 25 available in bin A-13"
    assert dialog.result() == 0
    assert InventoryService(app_context.db).stock("P-1002")[0].on_hand == 20


def test_requisitions_and_orders_tabs_list_purchasing(panel):
    # The bearing count above crossed its minimum: a requisition for 8 was raised.
    model = panel.requisitions_model
    assert model.rowCount() == 1
    assert (model.row_at(0).part, model.row_at(0).quantity) == ("P-1001", 8)
    assert panel.orders_model.rowCount() == 0


def test_renders_offscreen(panel, tmp_path):
    panel.select_part("P-1001")
    panel.show()
    target = tmp_path / "inventory.png"
    assert panel.grab().save(str(target))
    assert target.stat().st_size > 0
