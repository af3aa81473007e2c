"""PM schedules and meters through the Setup forms: due dates previewed before saving."""

from __future__ import annotations

from PySide6.QtCore import Qt

from desktop.domain.pm_rules import CalendarMode, IntervalUnit
from desktop.services.assets.asset_parts import AssetPartsService
from desktop.services.assets.meters import MeterService
from desktop.services.pm.pm_schedules import PMScheduleService
from desktop.services.stock.inventory import InventoryService
from tests.integration.stock import stock_room
from ui.forms.record_page import RecordPage
from ui.setup.pm import MeterRecordKind, ScheduleKind


def page_of(qtbot, kind) -> RecordPage:
    page = RecordPage(kind)
    qtbot.addWidget(page)
    page.show()
    return page


def type_into(qtbot, widget, text):
    widget.clear()
    qtbot.keyClicks(widget, text)


def test_a_schedule_shows_its_due_dates_before_it_is_saved(qtbot, app_context, actors):
    stock_room(InventoryService(app_context.db), actors["admin"])
    AssetPartsService(app_context.db).set_part(actors["paula"], "P-101", "P-1002", 2)
    page = page_of(qtbot, ScheduleKind(app_context))
    page.start_new()
    inputs = page.form.inputs
    type_into(qtbot, inputs["code"], "PM-P101")
    inputs["asset"].set_value("P-101")
    type_into(qtbot, inputs["title"], "Pump service")
    inputs["calendar_every"].setValue(1)
    inputs["calendar_unit"].setCurrentIndex(3)  # months

    preview = page.update_preview()

    assert preview.startswith(
        "Next due dates: 2026-03-02,  2026-04-02,  2026-05-04 (due 2026-05-02)"
    )
    assert page.preview.isVisible()
    assert PMScheduleService(app_context.db).schedules() == []
    assert page.save()

    inputs["calendar_mode"].setCurrentIndex(1)  # floating
    inputs["lead_days"].setValue(3)
    assert page.save()
    saved = PMScheduleService(app_context.db).get("PM-P101")
    assert (saved.calendar_unit, saved.calendar_mode, saved.lead_days) == (
        IntervalUnit.MONTHS,
        CalendarMode.FLOATING,
        3,
    )

    qtbot.mouseClick(page.action_buttons["kit_from_spares"], Qt.MouseButton.LeftButton)
    assert "P-1002 × 2" in page.dialog.question.text()
    qtbot.mouseClick(page.dialog.ok_button, Qt.MouseButton.LeftButton)
    assert PMScheduleService(app_context.db).get("PM-P101").kit == (("P-1002", 2.0),)
    assert page.form.inputs["kit"].toPlainText() == "P-1002 2"

    qtbot.mouseClick(page.action_buttons["pause"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.dialog.ok_button, Qt.MouseButton.LeftButton)
    assert not PMScheduleService(app_context.db).get("PM-P101").active


def test_refusals_show_beside_the_fields(qtbot, app_context):
    page = page_of(qtbot, ScheduleKind(app_context))
    page.start_new()
    inputs = page.form.inputs
    type_into(qtbot, inputs["code"], "PM-X")
    inputs["asset"].set_value("P-101")
    inputs["calendar_every"].setValue(0)
    type_into(qtbot, inputs["kit"], "SEAL-1 two")
    assert not page.save()
    assert page.form.errors.text("kit").startswith("line 1: write the part number")
    inputs["kit"].clear()
    assert not page.save()
    assert page.form.errors.text("title") == "required, at most 200 characters"
    assert page.form.errors.text("calendar_every") == (
        "give both the number and the unit (e.g. 3 months)"
    )
    assert page.update_preview() == (
        "No preview yet: give a calendar interval, a meter interval, or both."
    )


def test_a_meter_is_made_and_read_through_the_form(qtbot, app_context):
    page = page_of(qtbot, MeterRecordKind(app_context))
    page.start_new()
    inputs = page.form.inputs
    type_into(qtbot, inputs["code"], "P-101-H")
    inputs["asset"].set_value("P-101")
    type_into(qtbot, inputs["name"], "Run hours")
    assert page.save()

    qtbot.mouseClick(page.action_buttons["record_reading"], Qt.MouseButton.LeftButton)
    page.dialog.form.inputs["value"].setValue(1234.5)
    qtbot.mouseClick(page.dialog.ok_button, Qt.MouseButton.LeftButton)
    (meter,) = MeterService(app_context.db).meters()
    assert (meter.code, meter.last_value) == ("P-101-H", 1234.5)
    assert "1234.5 h read" in page.banner.text()
