"""The store's master data through the Setup forms: create, edit and retire each kind."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from desktop.services.stock.inventory import InventoryService
from desktop.services.stock.inventory_master import MasterDataService
from tests.integration.stock import stock_room
from ui.forms.record_page import RecordPage
from ui.setup.inventory import BinKind, PartKind, StoreRoomKind, VendorKind


@pytest.fixture
def store(app_context, actors):
    stock_room(InventoryService(app_context.db), actors["admin"])
    return MasterDataService(app_context.db)


def page_of(qtbot, kind) -> RecordPage:
    page = RecordPage(kind)
    qtbot.addWidget(page)
    page.show()
    return page


def type_into(qtbot, widget, text):
    widget.clear()
    qtbot.keyClicks(widget, text)


def run_action(qtbot, page, name):
    qtbot.mouseClick(page.action_buttons[name], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.dialog.ok_button, Qt.MouseButton.LeftButton)


def test_vendor_created_edited_and_deactivated(qtbot, app_context, store):
    page = page_of(qtbot, VendorKind(app_context))
    page.start_new()
    inputs = page.form.inputs
    type_into(qtbot, inputs["code"], "SKF")
    assert not page.save()
    assert page.form.errors.text("name") == "required"
    type_into(qtbot, inputs["name"], "SKF Distribution")
    inputs["lead_time_days"].setValue(5)
    assert page.save()

    type_into(qtbot, inputs["phone"], "+49 30 1234")
    assert page.save()
    run_action(qtbot, page, "deactivate")
    vendor = next(v for v in store.vendor_records() if v.code == "SKF")
    assert (vendor.name, vendor.phone, vendor.active) == ("SKF Distribution", "+49 30 1234", False)


def test_part_created_edited_and_discontinued(qtbot, app_context, store):
    page = page_of(qtbot, PartKind(app_context))
    page.start_new()
    inputs = page.form.inputs
    type_into(qtbot, inputs["number"], "P-2001")
    type_into(qtbot, inputs["description"], "O-ring 40x3")
    inputs["vendor"].set_value("FAST")
    inputs["unit_cost"].setValue(0.8)
    assert page.save()
    assert not inputs["used_on"].isEnabled() or inputs["used_on"].isReadOnly()

    type_into(qtbot, inputs["category"], "seals")
    assert page.save()
    run_action(qtbot, page, "deactivate")
    part = next(p for p in store.part_records() if p.number == "P-2001")
    assert (part.description, part.category, part.vendor_code, part.active) == (
        "O-ring 40x3",
        "seals",
        "FAST",
        False,
    )

    page.select("P-1001")
    qtbot.mouseClick(page.action_buttons["deactivate"], Qt.MouseButton.LeftButton)
    assert not page.dialog.submit()
    assert "still on hand" in page.dialog.banner.text()


def test_store_room_and_bin_created_renamed_and_moved(qtbot, app_context, store):
    rooms = page_of(qtbot, StoreRoomKind(app_context))
    rooms.start_new()
    type_into(qtbot, rooms.form.inputs["code"], "EAST")
    type_into(qtbot, rooms.form.inputs["name"], "East store")
    assert rooms.save()
    type_into(qtbot, rooms.form.inputs["name"], "East store, hall 3")
    assert rooms.save()

    bins = page_of(qtbot, BinKind(app_context))
    bins.start_new()
    type_into(qtbot, bins.form.inputs["code"], "A-12")
    bins.form.inputs["store_room"].set_value("EAST")
    assert not bins.save()
    assert bins.form.errors.text("code") == "A-12 exists already"
    type_into(qtbot, bins.form.inputs["code"], "E-01")
    assert bins.save()
    bins.select("A-12")
    bins.form.inputs["store_room"].set_value("EAST")
    assert bins.save()

    room = next(r for r in store.store_rooms() if r.code == "EAST")
    assert (room.name, room.bins) == ("East store, hall 3", ("A-12", "E-01"))
