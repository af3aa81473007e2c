"""The asset register through its forms: create, edit, move (picker and drag), retire, spare
parts and files."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from desktop.domain.enums import AssetLevel, AssetStatus, Status
from desktop.services.assets.asset_files import AssetFileService
from desktop.services.assets.asset_parts import AssetPartsService
from desktop.services.assets.assets import AssetService
from desktop.services.orders.work_orders import WorkOrderService
from desktop.services.stock.inventory import InventoryService
from tests.integration.stock import stock_room
from tests.integration.workflow import drive_to, raise_order
from ui.assets.asset_panel import AssetPanel
from ui.assets.asset_tree import ASSET_MIME, AssetCodeRole
from ui.background import SynchronousPool

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def panel(qtbot, app_context):
    widget = AssetPanel(app_context, pool=SynchronousPool())
    qtbot.addWidget(widget)
    widget.show()
    return widget


def record(app_context, code):
    return next(r for r in AssetService(app_context.db).list() if r.code == code)


def type_into(qtbot, widget, text):
    widget.clear()
    qtbot.keyClicks(widget, text)


def test_creates_an_asset_under_the_selected_one_after_showing_its_errors(
    qtbot, panel, app_context
):
    panel.select_asset("LINE")
    dialog = panel.new_asset()
    inputs = dialog.form.inputs
    assert inputs["parent"].value() == "LINE"
    assert dialog.form.values()["level"] is AssetLevel.EQUIPMENT
    type_into(qtbot, inputs["code"], "F 301")
    assert not dialog.submit()
    assert dialog.form.errors.text("code") == "1-64 characters without spaces"
    assert dialog.form.errors.text("name") == "required"
    assert dialog.isVisible()

    type_into(qtbot, inputs["code"], "F-301")
    type_into(qtbot, inputs["name"], "Exhaust fan")
    type_into(qtbot, inputs["asset_class"], "fan")
    type_into(qtbot, inputs["maker"], "Ziehl")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    created = record(app_context, "F-301")
    assert (created.parent_code, created.level, created.maker) == (
        "LINE",
        AssetLevel.EQUIPMENT,
        "Ziehl",
    )
    assert panel.header.title.text().startswith("F-301 — Exhaust fan")


def test_edits_and_refuses_a_stale_save_keeping_the_typed_values(qtbot, panel, app_context, actors):
    panel.select_asset("P-101")
    dialog = panel.edit()
    assert not dialog.form.inputs["code"].isEnabled() or dialog.form.inputs["code"].isReadOnly()
    type_into(qtbot, dialog.form.inputs["serial"], "SN-42")
    service = AssetService(app_context.db)
    other = dialog.form.values()
    from desktop.services.assets.assets import AssetChanges

    service.update(
        actors["sam"],
        "P-101",
        service.revisions()["P-101"],
        AssetChanges(
            "Feed pump (renamed)",
            other["level"],
            other["asset_class"],
            other["criticality"],
            other["status"],
        ),
    )

    assert not dialog.submit()
    conflict = dialog.conflict_dialog
    assert "P-101 was changed by sam" in conflict.message.text()
    qtbot.mouseClick(conflict.reload_button, Qt.MouseButton.LeftButton)
    assert dialog.form.inputs["name"].text() == "Feed pump (renamed)"
    assert dialog.form.inputs["serial"].text() == "SN-42"
    assert dialog.submit()
    saved = record(app_context, "P-101")
    assert (saved.name, saved.serial) == ("Feed pump (renamed)", "SN-42")


def test_moves_by_picker_and_by_drag(qtbot, panel, app_context):
    panel.select_asset("C-201")
    dialog = panel.move()
    dialog.form.inputs["parent"].set_value("P-101")
    assert not dialog.submit()
    assert dialog.form.errors.text("parent") == "an equipment cannot sit under an equipment"

    source = panel._source_index("M-101")
    target = panel._source_index("C-201")
    data = panel.tree_model.mimeData([source])
    assert data.hasFormat(ASSET_MIME)
    panel.tree_model.dropMimeData(data, Qt.DropAction.MoveAction, -1, -1, target)
    drag = panel.form_dialog
    assert drag.form.inputs["parent"].value() == "C-201"
    assert "Move M-101" in drag.question.text()
    qtbot.mouseClick(drag.ok_button, Qt.MouseButton.LeftButton)

    assert record(app_context, "M-101").parent_code == "C-201"
    assert panel._source_index("M-101").parent().data(AssetCodeRole) == "C-201"


def test_retire_names_the_open_work_then_retires(qtbot, panel, app_context, actors, clock):
    service = WorkOrderService(app_context.db, clock)
    order = raise_order(service, actors["paula"], "M-101")
    panel.select_asset("P-101")

    dialog = panel.retire()
    assert order.number in dialog.question.text()
    type_into(qtbot, dialog.form.inputs["reason"], "replaced by a new pump")
    assert not dialog.submit()
    assert order.number in dialog.form.errors.text("reason")

    drive_to(service, actors["admin"], order.number, Status.CANCELLED, clock)
    dialog = panel.retire()
    type_into(qtbot, dialog.form.inputs["reason"], "replaced by a new pump")
    assert dialog.submit()
    assert record(app_context, "P-101").status is AssetStatus.DECOMMISSIONED
    assert record(app_context, "M-101").status is AssetStatus.DECOMMISSIONED


def test_spare_parts_and_files_of_an_asset(qtbot, panel, app_context, actors, tmp_path):
    stock_room(InventoryService(app_context.db), actors["admin"])
    panel.select_asset("P-101")

    parts = panel.spare_parts()
    add = parts.start_add()
    add.form.inputs["part"].set_value("P-1001")
    add.form.inputs["quantity"].setValue(2)
    type_into(qtbot, add.form.inputs["note"], "both ends")
    qtbot.mouseClick(add.ok_button, Qt.MouseButton.LeftButton)
    assert parts.model.rowCount() == 1
    assert [
        (p.asset_code, p.quantity) for p in AssetPartsService(app_context.db).where_used("P-1001")
    ] == [("P-101", 2)]

    files = panel.files()
    manual = tmp_path / "manual.pdf"
    manual.write_bytes(PDF)
    assert files.add(manual)
    program = tmp_path / "tool.pdf"
    program.write_bytes(b"MZ" + b"\x00" * 300)
    assert not files.add(program)
    assert "Windows program" in files.banner.text()
    files.table.selectRow(0)
    opened = files.open_selected(viewer=False)
    assert opened.read_bytes() == PDF
    assert [f.filename for f in AssetFileService(app_context.db).files("P-101")] == ["manual.pdf"]
