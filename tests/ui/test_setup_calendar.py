"""The site calendar through the Setup form: working week, holidays, shutdowns."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt

from desktop.services.assets.site_calendar import CalendarSettings, SiteCalendarService
from ui.forms.record_page import RecordPage
from ui.setup.calendar import CalendarKind


def type_into(qtbot, widget, text):
    widget.clear()
    qtbot.keyClicks(widget, text)


def test_the_working_week_and_a_shutdown_are_set_and_taken_back(qtbot, app_context, actors):
    page = RecordPage(CalendarKind(app_context))
    qtbot.addWidget(page)
    assert page.select("TST")
    inputs = page.form.inputs
    type_into(qtbot, inputs["working_days"], "mon-sat")
    type_into(qtbot, inputs["shifts"], "06:00-14:00,14:00-25:00")
    assert not page.save()
    assert page.form.errors.text("shifts") != ""
    type_into(qtbot, inputs["shifts"], "06:00-14:00,14:00-22:00")
    type_into(qtbot, inputs["country"], "DE")
    type_into(qtbot, inputs["subdivision"], "BY")
    assert page.save()
    calendar = SiteCalendarService(app_context.db).calendar()
    assert calendar.working_weekdays == frozenset(range(6))
    assert calendar.holiday_name(date(2026, 1, 6)) == "Epiphany"

    qtbot.mouseClick(page.action_buttons["add_shutdown"], Qt.MouseButton.LeftButton)
    dialog = page.dialog
    dialog.form.inputs["first_day"].setDate(date(2026, 8, 3))
    dialog.form.inputs["last_day"].setDate(date(2026, 8, 14))
    type_into(qtbot, dialog.form.inputs["name"], "Summer shutdown")
    assert dialog.submit()
    assert "2026-08-03 – 2026-08-14  Summer shutdown" in inputs["closures"].toPlainText()
    assert not SiteCalendarService(app_context.db).calendar().is_working_day(date(2026, 8, 5))

    qtbot.mouseClick(page.action_buttons["remove_shutdown"], Qt.MouseButton.LeftButton)
    assert page.dialog.submit()
    assert SiteCalendarService(app_context.db).calendar().closures == ()


def test_a_stale_calendar_save_is_refused(qtbot, app_context, actors):
    page = RecordPage(CalendarKind(app_context))
    qtbot.addWidget(page)
    page.select("TST")
    type_into(qtbot, page.form.inputs["working_days"], "mon-sat")
    SiteCalendarService(app_context.db).configure(actors["sam"], CalendarSettings("mon-thu"))
    assert not page.save()
    assert "changed by sam" in page.conflict_dialog.message.text()
