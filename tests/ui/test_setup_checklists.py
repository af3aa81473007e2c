"""Checklist templates through the Setup form: ordered steps, limits, safety, sign-off."""

from __future__ import annotations

from PySide6.QtCore import Qt

from desktop.domain.enums import ChecklistItemKind
from desktop.services.orders.checklist_templates import ChecklistTemplateService, TemplateItem
from ui.forms.record_page import RecordPage
from ui.forms.steps_editor import StepRow
from ui.setup.checklists import ChecklistKind


def page_of(qtbot, app_context) -> RecordPage:
    page = RecordPage(ChecklistKind(app_context))
    qtbot.addWidget(page)
    page.show()
    return page


def type_into(qtbot, widget, text):
    widget.clear()
    qtbot.keyClicks(widget, text)


def template(app_context, code):
    return next(t for t in ChecklistTemplateService(app_context.db).templates() if t.code == code)


def test_a_checklist_with_ordered_steps_limits_and_a_sign_off(qtbot, app_context):
    page = page_of(qtbot, app_context)
    page.start_new()
    inputs = page.form.inputs
    type_into(qtbot, inputs["code"], "CL-FAN")
    type_into(qtbot, inputs["name"], "Fan inspection")
    editor = inputs["items"]
    editor.set_steps(
        [
            StepRow(ChecklistItemKind.CHECK, "guard fitted", "", "", "", True),
            StepRow(ChecklistItemKind.MEASUREMENT, "vibration", "", "", "4,5", True),
            StepRow(ChecklistItemKind.SIGNATURE, "technician sign-off", "", "", "", True),
        ]
    )
    assert not page.save()
    assert page.form.errors.text("items") == ('step 2: "vibration" is a measurement: give its unit')

    editor.table.item(1, 2).setText("mm/s")
    editor.table.setCurrentCell(2, 1)
    qtbot.mouseClick(editor.up_button, Qt.MouseButton.LeftButton)
    assert page.save()
    saved = template(app_context, "CL-FAN")
    assert saved.items == (
        TemplateItem(ChecklistItemKind.CHECK, "guard fitted"),
        TemplateItem(ChecklistItemKind.SIGNATURE, "technician sign-off"),
        TemplateItem(ChecklistItemKind.MEASUREMENT, "vibration", "mm/s", None, 4.5),
    )


def test_an_existing_template_made_a_safety_list_then_retired(qtbot, app_context):
    page = page_of(qtbot, app_context)
    assert page.select("CL-PUMP")
    page.form.inputs["safety"].setChecked(True)
    editor = page.form.inputs["items"]
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    editor.table.item(editor.table.rowCount() - 1, 1).setText("guard refitted")
    assert page.save()
    saved = template(app_context, "CL-PUMP")
    assert saved.safety
    assert saved.items[-1] == TemplateItem(ChecklistItemKind.CHECK, "guard refitted")

    qtbot.mouseClick(page.action_buttons["retire"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.dialog.ok_button, Qt.MouseButton.LeftButton)
    assert not template(app_context, "CL-PUMP").active
    codes = [t.code for t in ChecklistTemplateService(app_context.db).list()]
    assert "CL-PUMP" not in codes
