"""The work-order editor, driven as a planner would: typing, clicking, Ctrl+S and Esc."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop.domain.enums import CheckResult, Priority, Status, WorkOrderType
from desktop.services.orders.work_orders import WorkOrderService
from tests.conftest import PASSWORD, FakeClock
from tests.integration.workflow import drive_to, raise_order
from ui.work_orders.conflict_dialog import ConflictDialog
from ui.work_orders.editor import WorkOrderEditor


@pytest.fixture
def service(app_context):
    return WorkOrderService(app_context.db)


@pytest.fixture
def open_editor(qtbot, app_context):
    def opener(number: str | None = None) -> WorkOrderEditor:
        editor = WorkOrderEditor(app_context, number)
        qtbot.addWidget(editor)
        editor.show()
        qtbot.waitExposed(editor)
        # Ctrl+S and Esc go to the active window, as on a desktop.
        editor.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is editor)
        return editor

    return opener


# The start of a JPEG (JFIF) file: enough for the attachment check, which reads the content.
JPEG_HEAD = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"


def in_progress(service, actors, **fields) -> str:
    number = raise_order(service, actors["paula"], **fields).number
    drive_to(service, actors["admin"], number, Status.IN_PROGRESS, FakeClock())
    return number


def save_with_keyboard(qtbot, editor: WorkOrderEditor) -> None:
    qtbot.keyClick(editor, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)


def pick(qtbot, combo, text: str) -> None:
    """Type into a searchable combo as a person would and leave the field."""
    combo.lineEdit().clear()
    qtbot.keyClicks(combo.lineEdit(), text)
    qtbot.keyClick(combo.lineEdit(), Qt.Key.Key_Return)


def test_raises_a_work_order_from_what_was_typed(qtbot, open_editor, service):
    editor = open_editor()
    form = editor.new_form
    pick(qtbot, form.asset, "P-101")
    form.type.setCurrentIndex(form.type.findData(WorkOrderType.CORRECTIVE))
    form.priority.setCurrentIndex(form.priority.findData(int(Priority.HIGH)))
    qtbot.keyClicks(form.title, "Bearing noise on feed pump")
    qtbot.keyClicks(form.description, "Loud rumble since the night shift")
    form.checklists.item(1).setCheckState(Qt.CheckState.Checked)  # CL-PUMP

    with qtbot.waitSignal(editor.sig_work_order_saved) as saved:
        qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)

    number = saved.args[0]
    detail = service.get(number)
    assert detail.row.title == "Bearing noise on feed pump"
    assert detail.row.asset_code == "P-101"
    assert detail.row.priority is Priority.HIGH
    assert detail.description == "Loud rumble since the night shift"
    assert len(detail.checklist) == 4
    # The editor now shows the new order with all its tabs.
    assert editor.new_form is None
    assert editor.details_tab.fact("number") == number
    assert editor.details_tab.title.text() == "Bearing noise on feed pump"


def test_warns_of_a_possible_duplicate_when_raising(qtbot, open_editor, service, actors):
    first = raise_order(service, actors["paula"], asset="C-201").number
    editor = open_editor()
    pick(qtbot, editor.new_form.asset, "conveyor")
    qtbot.keyClicks(editor.new_form.title, "Belt slipping")
    with qtbot.waitSignal(editor.sig_work_order_saved):
        save_with_keyboard(qtbot, editor)
    assert editor.banner.isVisible()
    assert "possible duplicate" in editor.banner.text()
    assert first in editor.banner.text()


def test_creating_without_title_or_asset_names_both_fields(qtbot, open_editor, service):
    editor = open_editor()
    before = service.count()
    save_with_keyboard(qtbot, editor)
    assert editor.new_form.errors.text("title") == "required"
    assert "choose the asset" in editor.new_form.errors.text("asset")
    assert service.count() == before


def test_edits_and_saves_fields(qtbot, open_editor, service, actors):
    number = raise_order(service, actors["paula"]).number
    editor = open_editor(number)
    details = editor.details_tab
    details.title.clear()
    qtbot.keyClicks(details.title, "Seal leaking badly")
    details.priority.setCurrentIndex(details.priority.findData(int(Priority.EMERGENCY)))
    qtbot.keyClicks(details.resolution, "Replaced the mechanical seal")

    with qtbot.waitSignal(editor.sig_work_order_saved) as saved:
        save_with_keyboard(qtbot, editor)

    assert saved.args == [number]
    detail = service.get(number)
    assert detail.row.title == "Seal leaking badly"
    assert detail.row.priority is Priority.EMERGENCY
    assert detail.resolution == "Replaced the mechanical seal"
    assert not editor.has_unsaved_edits()


def test_empty_title_is_refused_beside_the_field(qtbot, open_editor, service, actors):
    number = raise_order(service, actors["paula"]).number
    editor = open_editor(number)
    editor.tabs.setCurrentIndex(4)
    editor.details_tab.title.clear()

    save_with_keyboard(qtbot, editor)

    assert "required" in editor.field_errors.text("title")
    assert editor.tabs.currentWidget() is editor.details_tab  # the error is brought into view
    assert service.get(number).row.title == "Seal leaking"
    assert editor.has_unsaved_edits()


def test_stale_save_names_the_other_user_and_reload_keeps_the_typing(
    qtbot, open_editor, service, actors
):
    number = raise_order(service, actors["paula"]).number
    editor = open_editor(number)
    editor.details_tab.title.clear()
    qtbot.keyClicks(editor.details_tab.title, "Seal leaking - replace seal kit")
    # Meanwhile the supervisor changes the same order at another workstation.
    version = service.get(number).row.version
    service.update(actors["sam"], number, version, {"description": "Leak at the drive end"})

    save_with_keyboard(qtbot, editor)

    dialog = editor.conflict_dialog
    assert isinstance(dialog, ConflictDialog)
    assert "changed by sam" in dialog.message.text()
    assert "title" in dialog.message.text()
    assert service.get(number).row.title == "Seal leaking"  # nothing was overwritten

    qtbot.mouseClick(dialog.reload_button, Qt.MouseButton.LeftButton)

    assert editor.details_tab.title.text() == "Seal leaking - replace seal kit"
    assert editor.details_tab.description.toPlainText() == "Leak at the drive end"
    with qtbot.waitSignal(editor.sig_work_order_saved):
        save_with_keyboard(qtbot, editor)
    detail = service.get(number)
    assert detail.row.title == "Seal leaking - replace seal kit"
    assert detail.description == "Leak at the drive end"


def test_discarding_after_a_conflict_shows_the_other_version(qtbot, open_editor, service, actors):
    number = raise_order(service, actors["paula"]).number
    editor = open_editor(number)
    qtbot.keyClicks(editor.details_tab.title, " (mine)")
    version = service.get(number).row.version
    service.update(actors["sam"], number, version, {"title": "Seal leaking (sam)"})
    save_with_keyboard(qtbot, editor)

    qtbot.mouseClick(editor.conflict_dialog.discard_button, Qt.MouseButton.LeftButton)

    assert editor.details_tab.title.text() == "Seal leaking (sam)"
    assert not editor.has_unsaved_edits()


def test_refused_completion_lists_everything_missing(qtbot, open_editor, service, actors):
    number = in_progress(service, actors, checklist_codes=("CL-PUMP",))
    editor = open_editor(number)

    qtbot.mouseClick(editor.lifecycle.buttons[Status.COMPLETED], Qt.MouseButton.LeftButton)

    box = editor.message_box
    assert isinstance(box, QMessageBox)
    assert box.isVisible()
    missing = box.informativeText()
    for problem in (
        "no labour logged",
        'checklist item 1 "no leaks" unanswered',
        "no failure mode code",
        "no failure mechanism code",
        "no failure cause code",
        "no activity code",
    ):
        assert problem in missing
    assert service.get(number).row.status is Status.IN_PROGRESS


def test_hold_asks_for_the_reason_then_moves(qtbot, open_editor, service, actors):
    number = in_progress(service, actors)
    editor = open_editor(number)

    qtbot.mouseClick(editor.lifecycle.buttons[Status.ON_HOLD], Qt.MouseButton.LeftButton)
    dialog = editor.transition_dialog
    dialog.hold_reason.setCurrentIndex(dialog.hold_reason.findText("access"))
    qtbot.keyClicks(dialog.note, "Scaffold needed")
    with qtbot.waitSignal(editor.sig_work_order_saved):
        dialog.accept()

    detail = service.get(number)
    assert detail.row.status is Status.ON_HOLD
    assert detail.hold_reason.value == "access"
    assert detail.history[-1].note == "Scaffold needed"
    assert editor.details_tab.fact("status") == "on hold"
    assert Status.IN_PROGRESS in editor.lifecycle.buttons  # resume is offered now


def test_checklist_answers_and_labour_entry(qtbot, open_editor, service, actors):
    number = in_progress(service, actors, checklist_codes=("CL-PUMP",))
    editor = open_editor(number)
    checklist = editor.checklist_tab
    editor.tabs.setCurrentWidget(checklist)

    qtbot.keyClicks(checklist.inputs[2], "95")
    assert "#b00020" in checklist.inputs[2].styleSheet()  # above the 80 °C limit
    qtbot.mouseClick(checklist.buttons[(1, "Pass")], Qt.MouseButton.LeftButton)
    # Recording item 1 reloads the list; the value typed for item 2 is still there.
    assert editor.checklist_tab.inputs[2].text() == "95"
    qtbot.mouseClick(editor.checklist_tab.buttons[(2, "Record")], Qt.MouseButton.LeftButton)
    qtbot.keyClicks(editor.checklist_tab.inputs[3], "slight vibration")
    qtbot.mouseClick(editor.checklist_tab.buttons[(3, "Record")], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(editor.checklist_tab.buttons[(4, "Sign")], Qt.MouseButton.LeftButton)

    items = {item.position: item for item in service.get(number).checklist}
    assert items[1].result is CheckResult.PASS
    assert items[2].value == 95
    assert items[2].result is CheckResult.FAIL
    assert items[3].text_value == "slight vibration"
    assert items[4].text_value == "Paula"
    assert editor.checklist_tab.findChild(type(editor.heading), "result_2").text() == "fail"

    log = editor.work_log_tab
    editor.tabs.setCurrentWidget(log)
    log.technician.setCurrentIndex(log.technician.findData("tom"))
    log.hours.clear()
    qtbot.keyClicks(log.hours, "2.5")
    qtbot.keyClicks(log.labour_note, "changed bearing")
    qtbot.mouseClick(log.add_labour_button, Qt.MouseButton.LeftButton)

    labour = service.get(number).labour
    assert [(e.technician, e.hours, e.note) for e in labour] == [("tom", 2.5, "changed bearing")]
    assert log.labour_table.rowCount() == 1
    assert log.labour_table.item(0, 0).text() == "tom"


def test_too_many_hours_are_refused_beside_the_field(qtbot, open_editor, service, actors):
    number = in_progress(service, actors)
    editor = open_editor(number)
    log = editor.work_log_tab
    qtbot.mouseClick(log.add_labour_button, Qt.MouseButton.LeftButton)  # 0 hours
    assert "more than 0" in log.labour_errors.text("hours")
    assert service.get(number).labour == ()


def test_failure_code_pickers_set_the_codes(qtbot, open_editor, service, actors):
    number = in_progress(service, actors)
    editor = open_editor(number)
    pickers = editor.failure_codes_tab.pickers
    editor.tabs.setCurrentWidget(editor.failure_codes_tab)
    for field, code in (("failure_mode", "ELP"), ("failure_cause", "3.2"), ("activity", "2")):
        pick(qtbot, pickers[field], code)

    with qtbot.waitSignal(editor.sig_work_order_saved):
        save_with_keyboard(qtbot, editor)

    codes = service.get(number).failure_codes
    assert codes["failure_mode"] == "ELP"
    assert codes["failure_cause"] == "3.2"
    assert codes["activity"] == "2"
    assert codes["failure_mechanism"] is None


def test_typed_text_naming_no_code_is_not_kept(qtbot, open_editor, service, actors):
    number = in_progress(service, actors)
    editor = open_editor(number)
    picker = editor.failure_codes_tab.pickers["failure_mode"]
    pick(qtbot, picker, "no such code")
    assert picker.value() is None
    assert not editor.has_unsaved_edits()


def test_assignment_warns_when_a_technician_is_booked(qtbot, open_editor, service, actors):
    clock = FakeClock()
    busy = raise_order(service, actors["paula"]).number
    drive_to(service, actors["admin"], busy, Status.SCHEDULED, clock)  # tom, 1 h from clock
    number = raise_order(service, actors["paula"], asset="C-201").number
    drive_to(service, actors["admin"], number, Status.APPROVED, FakeClock())
    version = service.get(number).row.version
    start = service.get(busy).row.scheduled_start
    service.update(
        actors["paula"],
        number,
        version,
        {"scheduled_start": start, "scheduled_end": service.get(busy).scheduled_end},
    )
    editor = open_editor(number)
    tab = editor.assignment_tab
    editor.tabs.setCurrentWidget(tab)
    tab.set_checked("tom", True)
    tab.set_checked("tina", True)
    tab.lead.setCurrentIndex(tab.lead.findData("tina"))

    qtbot.mouseClick(tab.assign_button, Qt.MouseButton.LeftButton)

    assert tab.warnings.isVisible()
    assert f"tom is already booked on {busy}" in tab.warnings.text()
    assignees = service.get(number).assignees
    assert [(a.username, a.is_lead) for a in assignees] == [("tina", True), ("tom", False)]


def test_history_and_audit_tab_lists_changes(qtbot, open_editor, service, actors):
    number = in_progress(service, actors)
    editor = open_editor(number)
    history = editor.history_tab
    assert history.history_table.rowCount() == 4
    assert history.history_table.item(3, 1).text() == "in progress"
    actions = [history.audit_table.item(r, 3).text() for r in range(history.audit_table.rowCount())]
    assert actions[0] == "Start"  # newest first, a move by its button's verb
    assert actions[-1] == "created"
    changes = [history.audit_table.item(r, 4).text() for r in range(history.audit_table.rowCount())]
    assert any("Status: scheduled → in progress" in text for text in changes)
    # Stored times read as the other times on screen, not as ISO text with seconds and zone.
    assert not any(re.search(r"\d{4}-\d{2}-\d{2}T", text) for text in changes)


def test_closed_order_is_read_only_except_addenda(qtbot, open_editor, service, actors):
    number = raise_order(service, actors["paula"]).number
    drive_to(service, actors["admin"], number, Status.CLOSED, FakeClock())
    editor = open_editor(number)
    assert editor.details_tab.title.isReadOnly()
    assert not editor.details_tab.priority.isEnabled()
    assert not editor.save_button.isEnabled()
    assert not editor.work_log_tab.add_labour_button.isEnabled()
    assert editor.lifecycle.buttons == {}

    qtbot.keyClicks(editor.attachments_tab.addendum, "Seal supplier informed")
    qtbot.mouseClick(editor.attachments_tab.addendum_button, Qt.MouseButton.LeftButton)

    assert [a.text for a in service.get(number).addenda] == ["Seal supplier informed"]
    assert editor.attachments_tab.addenda_table.rowCount() == 1


def test_technician_may_edit_only_crew_fields(qtbot, app_context, actors, service):
    number = in_progress(service, actors)
    app_context.actor = actors["tom"]
    editor = WorkOrderEditor(app_context, number)
    qtbot.addWidget(editor)
    assert editor.details_tab.title.isReadOnly()
    assert not editor.details_tab.priority.isEnabled()
    assert not editor.details_tab.resolution.isReadOnly()
    assert editor.failure_codes_tab.pickers["failure_mode"].isEnabled()
    assert not editor.failure_codes_tab.is_failure.isEnabled()
    assert not editor.assignment_tab.assign_button.isEnabled()
    assert editor.work_log_tab.technician.count() == 1  # only their own hours


def test_attachment_is_listed_with_size_and_checksum(qtbot, open_editor, service, actors, tmp_path):
    number = in_progress(service, actors)
    photo = tmp_path / "seal.jpg"
    photo.write_bytes(JPEG_HEAD + b"\x00" * 6)
    editor = open_editor(number)
    editor.attachments_tab.attach_file(photo)
    table = editor.attachments_tab.attachment_table
    assert table.rowCount() == 1
    assert table.item(0, 0).text() == "seal.jpg"
    assert table.item(0, 1).text() == "17 B"
    assert table.item(0, 2).text() == service.get(number).attachments[0].sha256


def test_a_refused_file_is_explained_beside_the_attach_button(
    qtbot, open_editor, service, actors, tmp_path
):
    number = in_progress(service, actors)
    program = tmp_path / "photo.exe"
    program.write_bytes(b"MZ\x90\x00" + b"\x00" * 60)
    editor = open_editor(number)
    editor.attachments_tab.attach_file(program)
    shown = editor.attachments_tab.errors.text("file")
    assert shown.startswith("photo.exe is a Windows program; attach PDF, PNG, JPEG")
    assert editor.attachments_tab.attachment_table.rowCount() == 0
    assert service.get(number).attachments == ()


def test_escape_with_unsaved_edits_asks_before_closing(qtbot, open_editor, service, actors):
    number = raise_order(service, actors["paula"]).number
    editor = open_editor(number)
    qtbot.keyClicks(editor.details_tab.title, "!")

    qtbot.keyClick(editor, Qt.Key.Key_Escape)

    question = editor.message_box
    assert question is not None
    assert question.isVisible()
    assert editor.isVisible()
    with qtbot.waitSignal(editor.rejected):
        question.button(QMessageBox.StandardButton.Discard).click()
    assert not editor.isVisible()
    assert service.get(number).row.title == "Seal leaking"


def test_escape_without_edits_closes_at_once(qtbot, open_editor, service, actors):
    number = raise_order(service, actors["paula"]).number
    editor = open_editor(number)
    with qtbot.waitSignal(editor.rejected):
        qtbot.keyClick(editor, Qt.Key.Key_Escape)


def test_tab_walks_the_details_in_reading_order(qtbot, open_editor, service, actors):
    number = raise_order(service, actors["paula"]).number
    editor = open_editor(number)
    details = editor.details_tab
    assert QApplication.focusWidget() is details.title
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is details.priority
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is details.due_at.enabled_box


def test_refresh_shows_other_changes_and_keeps_typing(qtbot, open_editor, service, actors):
    number = raise_order(service, actors["paula"]).number
    editor = open_editor(number)
    version = service.get(number).row.version
    service.log_labour(actors["sam"], number, "tom", FakeClock()().date(), 1.0)
    service.update(actors["sam"], number, version, {"description": "seen by sam"})

    editor.refresh()  # nothing typed: the newer record is shown in full
    assert editor.details_tab.description.toPlainText() == "seen by sam"
    assert editor.work_log_tab.labour_table.rowCount() == 1

    qtbot.keyClicks(editor.details_tab.title, " at once")
    service.log_labour(actors["sam"], number, "tina", FakeClock()().date(), 1.0)
    editor.refresh()
    assert editor.details_tab.title.text() == "Seal leaking at once"
    assert editor.work_log_tab.labour_table.rowCount() == 2


def _locked_out_order(app_context, actors, tag: str | None = None) -> str:
    from desktop.services.condition.plant_tags import PlantTagService, TagDraft
    from desktop.services.orders.lockout import LockoutService

    if tag is not None:
        PlantTagService(app_context.db).import_tags(
            actors["paula"], [TagDraft(tag, "C-201", "urn:example:plant", f"s={tag}")]
        )
    LockoutService(app_context.db).add_point(
        actors["admin"], "C-201", "electrical 400 V", "isolator Q1", "C-201 isolator", tag
    )
    service = WorkOrderService(app_context.db)
    number = raise_order(service, actors["paula"], asset="C-201").number
    drive_to(service, actors["admin"], number, Status.SCHEDULED, FakeClock())
    return number


def _step(qtbot, tab, button, who: str, secret: str, lock: str = "") -> None:
    tab.who.setText(who)
    tab.secret.setText(secret)
    tab.lock_number.setText(lock)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.status.text() not in ("", "Working…"), timeout=20_000)


def test_a_lock_is_applied_verified_and_removed_by_its_owner_in_the_editor(
    qtbot, open_editor, app_context, actors
):
    number = _locked_out_order(app_context, actors)
    editor = open_editor(number)
    tab = editor.lockout_tab
    assert tab.table.item(0, 4).text() == "not locked"
    assert not tab.verify_button.isEnabled()

    _step(qtbot, tab, tab.apply_button, "tom", "wrong password", "L-7")
    assert tab.table.item(0, 4).text() == "not locked"  # a lock is personal: refused
    _step(qtbot, tab, tab.apply_button, "tom", PASSWORD, "L-7")
    assert tab.status.text() == "Isolation 1 applied by tom."
    assert tab.table.item(0, 4).text().startswith("L-7 · ")
    _step(qtbot, tab, tab.verify_button, "tom", PASSWORD)
    assert tab.table.item(0, 5).text().startswith("Tom")  # full name of the verifier
    _step(qtbot, tab, tab.remove_button, "tom", PASSWORD)
    assert tab.table.item(0, 6).text().startswith("Tom")
    assert tab.secret.text() == ""  # never left in the form


def test_verification_reads_the_tag_live_and_refuses_a_running_machine(
    qtbot, open_editor, app_context, actors
):
    number = _locked_out_order(app_context, actors, tag="C-201.Running")
    editor = open_editor(number)
    tab = editor.lockout_tab
    _step(qtbot, tab, tab.apply_button, "tom", PASSWORD, "L-9")

    _step(qtbot, tab, tab.verify_button, "tom", PASSWORD)  # no plant link on this workstation
    assert "plant connection is not available" in tab.status.text()

    app_context.read_tag = lambda namespace, node: 1.0  # the plant says: running
    _step(qtbot, tab, tab.verify_button, "tom", PASSWORD)
    assert "C-201.Running reads 1" in tab.status.text()
    assert "verification refused" in tab.status.text()
    assert tab.table.item(0, 5).text() == ""

    app_context.read_tag = lambda namespace, node: 0.0
    _step(qtbot, tab, tab.verify_button, "tom", PASSWORD)
    assert "(read 0)" in tab.table.item(0, 5).text()


def test_the_lockout_tab_shows_a_safety_alarm_and_who_acknowledged_it(
    qtbot, open_editor, app_context, actors, clock
):
    from desktop.domain.condition import Quality, Sample
    from desktop.plant.historian import write_samples
    from desktop.services.orders.lockout import LockoutService, Signer

    number = _locked_out_order(app_context, actors, tag="C-201.Running")
    live = LockoutService(app_context.db, clock, read_tag=lambda namespace, node: 0.0)
    live.apply(actors["admin"], number, 1, "L-9", Signer("tom", PASSWORD))
    live.verify(actors["admin"], number, 1, Signer("tom", PASSWORD))
    tag_id = next(t.id for t in app_context.services.plant_tags.tags() if t.name == "C-201.Running")
    back_on = clock.advance(minutes=1).timestamp()
    write_samples(app_context.db, [Sample(tag_id, back_on, 1.0, Quality.GOOD)])
    clock.advance(minutes=1)
    editor = open_editor(number)
    tab = editor.lockout_tab
    assert "SAFETY ALARM: C-201.Running read 1" in tab.alarm.text()
    assert "not acknowledged yet" in tab.alarm.text()
    # On the site's clock like every other time on the tab, not UTC (issue 16).
    from datetime import UTC, datetime

    from ui.i18n import show_time

    assert show_time(datetime.fromtimestamp(back_on, UTC)) in tab.alarm.text()
    assert "UTC" not in tab.alarm.text()

    live.acknowledge_safety_alarm(actors["sam"], number, 1, with_pin=True)
    editor.refresh()
    assert "acknowledged by Sam with their PIN" in tab.alarm.text()
