"""The log-in dialog's "Sign in with Windows" against a real KDC (tests/kerberos.py): the PC's
account signs on with its ticket, nobody types a password."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt
from sqlalchemy import text

from desktop.services.admin.sign_in import PersonalSignIn
from desktop.store.db_roles import login_name
from tests.kerberos import site_url

pytest_plugins = ["tests.per_user", "tests.kerberos"]

pytestmark = pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)


def test_sign_in_with_windows_logs_in_the_pcs_account(
    db_url, kerberos_auth, qtbot, tmp_path, monkeypatch
):
    from ui.login_dialog import LoginDialog

    for variable in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        monkeypatch.setenv(variable, "tom")  # the account signed in to this PC
    settings = QSettings(str(tmp_path / "workstation.ini"), QSettings.Format.IniFormat)
    dialog = LoginDialog(PersonalSignIn(site_url(db_url)), settings, "PostgreSQL")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.sign_on_button.isVisible()
    assert dialog.display_button.isHidden()
    dialog.username.setText("admin")  # whatever is typed there, the PC's account signs on

    qtbot.mouseClick(dialog.sign_on_button, Qt.MouseButton.LeftButton)
    assert dialog.actor is None
    assert dialog.error.text().startswith("No Windows sign-on on this computer")
    error = dialog.error
    assert error.height() >= error.heightForWidth(error.width()), "the reason shows whole"
    assert dialog.grab().save(str(tmp_path / "refused.png"))

    kerberos_auth("tom")
    qtbot.mouseClick(dialog.sign_on_button, Qt.MouseButton.LeftButton)
    assert dialog.actor is not None
    assert dialog.actor.username == "tom"
    assert dialog.result() == dialog.DialogCode.Accepted
    with dialog.db.engine.connect() as conn:
        assert conn.execute(text("SELECT session_user")).scalar_one() == login_name("tom")
    dialog.db.dispose()


def test_without_personal_logins_there_is_no_windows_sign_on(db, qtbot, tmp_path):
    from ui.login_dialog import LoginDialog

    settings = QSettings(str(tmp_path / "workstation.ini"), QSettings.Format.IniFormat)
    dialog = LoginDialog(db, settings, "SQLite")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.sign_on_button.isHidden()
