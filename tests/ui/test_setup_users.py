"""The users form: create, change, reset, deactivate a leaver, refuse a stale save."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt

from desktop.domain.enums import Role
from desktop.services.admin.users import UserChanges, UserService
from tests.conftest import PASSWORD
from ui.context import AppContext
from ui.forms.record_page import RecordPage
from ui.login_dialog import LoginDialog
from ui.setup.users import UserKind

NEW_PASSWORD = "Gl4sses-on-the-bench"


@pytest.fixture
def admin_context(app_context, actors):
    return AppContext(app_context.db, actors["admin"], app_context.data_dir, app_context.clock)


@pytest.fixture
def page(qtbot, admin_context):
    widget = RecordPage(UserKind(admin_context))
    qtbot.addWidget(widget)
    widget.show()
    return widget


def type_into(qtbot, widget, text: str) -> None:
    widget.clear()
    qtbot.keyClicks(widget, text)


def log_in(qtbot, db, tmp_path, username: str, password: str) -> LoginDialog:
    settings = QSettings(str(tmp_path / "login.ini"), QSettings.Format.IniFormat)
    dialog = LoginDialog(db, settings, "SQLite: test")
    qtbot.addWidget(dialog)
    type_into(qtbot, dialog.username, username)
    type_into(qtbot, dialog.password, password)
    dialog._on_login_clicked()
    return dialog


def test_creates_a_technician_with_errors_beside_the_fields_first(qtbot, page, admin_context):
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    inputs = page.form.inputs
    type_into(qtbot, inputs["username"], "j mueller")
    type_into(qtbot, inputs["password"], "short")
    type_into(qtbot, inputs["repeat"], "short")

    assert not page.save()
    errors = page.form.errors
    assert errors.text("username") == "letters, digits, '.', '_' or '-' only, not empty"
    assert errors.text("full_name") == "required"
    assert errors.text("password").startswith("needs at least 10 characters")
    assert page.form.findChild(type(errors.label_for("x")), "error_full_name").isVisible()

    type_into(qtbot, inputs["username"], "jmeier")
    type_into(qtbot, inputs["full_name"], "Jana Meier")
    inputs["role"].setCurrentIndex(list(Role).index(Role.TECHNICIAN))
    type_into(qtbot, inputs["craft"], "electrical")
    inputs["hourly_rate"].setValue(44.5)
    type_into(qtbot, inputs["password"], NEW_PASSWORD)
    type_into(qtbot, inputs["repeat"], NEW_PASSWORD)
    assert page.save()

    account = UserService(admin_context.db).account("jmeier")
    assert (account.record.full_name, account.record.craft, account.record.hourly_rate) == (
        "Jana Meier",
        "electrical",
        44.5,
    )
    assert page.current().username == "jmeier"
    assert not inputs["username"].isEnabled() or inputs["username"].isReadOnly()
    assert page.banner.text() == "Created jmeier."


def test_changes_a_role_and_deactivates_a_leaver_who_then_cannot_log_in(
    qtbot, page, admin_context, tmp_path
):
    assert page.select("tina")
    role = page.form.inputs["role"]
    role.setCurrentIndex(list(Role).index(Role.SUPERVISOR))
    assert page.save()
    assert UserService(admin_context.db).account("tina").record.role is Role.SUPERVISOR

    qtbot.mouseClick(page.action_buttons["deactivate"], Qt.MouseButton.LeftButton)
    dialog = page.dialog
    assert "will no longer be able to log in" in dialog.question.text()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    assert page.banner.text() == "tina is deactivated and can no longer log in."
    assert "deactivated" in page.heading.text()
    assert page.action_buttons["reactivate"].isEnabled()
    assert not page.action_buttons["deactivate"].isEnabled()
    refused = log_in(qtbot, admin_context.db, tmp_path, "tina", PASSWORD)
    assert refused.actor is None
    assert refused.error.text() == "Unknown user or wrong password"

    qtbot.mouseClick(page.action_buttons["reactivate"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.dialog.ok_button, Qt.MouseButton.LeftButton)
    assert log_in(qtbot, admin_context.db, tmp_path, "tina", PASSWORD).actor.username == "tina"


def test_resets_a_password_after_refusing_a_mismatch(qtbot, page, admin_context, tmp_path):
    page.select("tom")
    qtbot.mouseClick(page.action_buttons["reset_password"], Qt.MouseButton.LeftButton)
    dialog = page.dialog
    type_into(qtbot, dialog.form.inputs["password"], NEW_PASSWORD)
    type_into(qtbot, dialog.form.inputs["repeat"], NEW_PASSWORD + "x")
    assert not dialog.submit()
    assert dialog.form.errors.text("repeat") == "does not match"
    type_into(qtbot, dialog.form.inputs["repeat"], NEW_PASSWORD)
    assert dialog.submit()
    assert log_in(qtbot, admin_context.db, tmp_path, "tom", NEW_PASSWORD).actor.username == "tom"


def test_a_stale_save_names_who_changed_the_user_and_keeps_the_edits(
    qtbot, page, admin_context, actors
):
    page.select("tina")
    type_into(qtbot, page.form.inputs["craft"], "hydraulics")
    users = UserService(admin_context.db)
    account = users.account("tina")
    record = account.record
    users.update(
        actors["admin"],
        "tina",
        account.revision,
        UserChanges(record.full_name, record.role, record.craft, record.hourly_rate, 20.0),
    )

    assert not page.save()
    dialog = page.conflict_dialog
    assert "tina was changed by admin" in dialog.message.text()
    qtbot.mouseClick(dialog.reload_button, Qt.MouseButton.LeftButton)
    assert page.form.inputs["craft"].text() == "hydraulics"
    assert page.form.inputs["weekly_hours"].value() == 20.0
    assert page.save()
    saved = users.account("tina").record
    assert (saved.craft, saved.weekly_hours) == ("hydraulics", 20.0)


def test_only_an_administrator_may_change_users(qtbot, app_context):
    page = RecordPage(UserKind(app_context))
    qtbot.addWidget(page)
    page.select("tina")
    assert not page.save_button.isEnabled()
    assert not page.new_button.isEnabled()
    assert not page.action_buttons["deactivate"].isEnabled()
