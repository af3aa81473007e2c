"""The shop-floor kiosk, driven as a person at the line would: asset, problem, who, send."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from desktop.domain.enums import Role, Status, WorkOrderType
from desktop.services.admin.users import NewUser, UserService
from desktop.services.orders.work_orders import WorkOrderService
from ui.kiosk.window import KioskWindow, scanned_code

PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489")


@pytest.fixture
def kiosk(qtbot, db, clock, actors):
    users = UserService(db, clock)
    users.create(actors["admin"], NewUser("kiosk", "Kiosk", Role.VIEWER, "tall-ladder-91"))
    users.set_pin(actors["admin"], "vic", "482913")
    window = KioskWindow(db, "kiosk", clock)
    qtbot.addWidget(window)
    window.show()
    return window


def test_labels_and_scanner_noise_give_the_asset_code():
    assert scanned_code("wrenchbook:asset:P-101\r") == "P-101"
    assert scanned_code("https://plant.example/asset/C-201") == "C-201"
    assert scanned_code("  P-101 ") == "P-101"


def test_a_guest_reports_a_stopped_machine_with_a_photo(qtbot, kiosk, db, clock, tmp_path):
    qtbot.keyClicks(kiosk.search, "wrenchbook:asset:C-201")
    qtbot.keyClick(kiosk.search, Qt.Key.Key_Return)  # the scanner's Enter
    assert kiosk.pages.currentIndex() == 1
    qtbot.keyClicks(kiosk.note, "Belt torn, conveyor stands")
    kiosk.stopped.setChecked(True)
    photo = tmp_path / "belt.png"
    photo.write_bytes(PNG)
    kiosk.add_file(photo)
    qtbot.mouseClick(kiosk.next_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(kiosk.send_button, Qt.MouseButton.LeftButton)
    assert "Give your user name and PIN" in kiosk.who_error.text()
    qtbot.keyClicks(kiosk.guest, "Jan from packing")
    with qtbot.waitSignal(kiosk.sig_request_raised) as raised:
        qtbot.mouseClick(kiosk.send_button, Qt.MouseButton.LeftButton)
    detail = WorkOrderService(db, clock).get(raised.args[0])
    assert (detail.row.asset_code, detail.row.status) == ("C-201", Status.REQUESTED)
    assert detail.row.type is WorkOrderType.EMERGENCY  # a stopped machine is a breakdown
    assert "guest Jan from packing" in detail.description
    assert "Belt torn" in detail.description
    assert [a.filename for a in detail.attachments] == ["belt.png"]
    assert detail.requester == "kiosk"
    assert raised.args[0] in kiosk.done_label.text()
    kiosk.start_over()
    assert kiosk.pages.currentIndex() == 0
    assert kiosk.guest.text() == ""


def test_an_operator_with_a_pin_reports_any_asset_and_a_wrong_pin_is_said(qtbot, kiosk, db, clock):
    qtbot.keyClicks(kiosk.search, "feed pump")
    assert kiosk.matches.count() == 2  # the pump and its motor, by name
    kiosk.choose_asset("P-101")
    qtbot.keyClicks(kiosk.note, "Noise from the bearing")
    qtbot.mouseClick(kiosk.next_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(kiosk.username, "vic")
    qtbot.keyClicks(kiosk.pin, "111111")
    qtbot.mouseClick(kiosk.send_button, Qt.MouseButton.LeftButton)
    assert kiosk.who_error.text()
    assert kiosk.pages.currentIndex() == 2
    qtbot.keyClicks(kiosk.pin, "482913")
    with qtbot.waitSignal(kiosk.sig_request_raised) as raised:
        qtbot.mouseClick(kiosk.send_button, Qt.MouseButton.LeftButton)
    detail = WorkOrderService(db, clock).get(raised.args[0])
    assert detail.requester == "vic"
    assert detail.row.type is WorkOrderType.CORRECTIVE


def test_a_refused_file_is_named_before_anything_is_sent(qtbot, kiosk, tmp_path: Path):
    kiosk.choose_asset("P-101")
    archive = tmp_path / "logs.zip"
    archive.write_bytes(b"PK\x03\x04" + b"\0" * 60)
    kiosk.add_file(archive)
    assert "ZIP archive" in kiosk.describe_error.text()
    assert kiosk.files_label.text() == ""
