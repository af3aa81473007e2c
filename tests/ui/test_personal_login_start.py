"""The desktop app's start on a site server with personal logins, end to end.

The workstation's settings name the server and the database, no user and no password: the
log-in dialog opens the database as whoever logs in (tests/integration/test_personal_login.py
tries the same log-in against the services and with psql).
"""

from __future__ import annotations

import pytest
from sqlalchemy.engine import make_url

from desktop.store.db_roles import login_name
from tests.conftest import PASSWORD

pytest_plugins = ["tests.per_user"]

PNG_HEX = "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"

pytestmark = [
    pytest.mark.parametrize("db_url", ["postgresql"], indirect=True),
    pytest.mark.usefixtures("password_auth"),
]


def _server_only(db_url: str) -> str:
    return make_url(db_url)._replace(username=None, password=None).render_as_string()


def test_the_desktop_app_starts_as_the_person_who_logs_in(db_url, qtbot, tmp_path, monkeypatch):
    """The whole start: settings with no user, log-in dialog, main window, work as tom."""
    from PySide6.QtWidgets import QApplication

    from ui import app as desktop_app
    from ui.context import AppContext
    from ui.login_dialog import LoginDialog
    from ui.main_window import MainWindow

    typed: list[LoginDialog] = []

    def fill_in(dialog: LoginDialog) -> int:
        typed.append(dialog)
        assert dialog.db is None, "nothing is open before somebody logs in"
        assert dialog.display_button.isHidden(), "the display has its own login"
        dialog.username.setText("tom")
        dialog.password.setText("not-his-password-1")
        dialog._on_login_clicked()
        assert dialog.error.text() == "Unknown user or wrong password"
        dialog.password.setText(PASSWORD)
        dialog._on_login_clicked()
        return dialog.result()

    opened: list[AppContext] = []
    real_attach = MainWindow.attach

    def recording_attach(window, context, *args, **kwargs):
        opened.append(context)
        return real_attach(window, context, *args, **kwargs)

    monkeypatch.setattr(LoginDialog, "exec", fill_in)
    monkeypatch.setattr(MainWindow, "attach", recording_attach)
    monkeypatch.setattr(QApplication, "exec", lambda *_: 0)
    argv = ["--db", _server_only(db_url), "--data-dir", str(tmp_path), "--no-plant"]
    assert desktop_app.run(argv) == 0
    context = opened[0]
    assert context.actor.username == "tom"
    assert make_url(context.db.url).username == login_name("tom")
    assert "***" not in typed[0].windowTitle()
    ini = (
        (tmp_path / "workstation.ini").read_text()
        if (tmp_path / "workstation.ini").exists()
        else ""
    )
    assert PASSWORD not in ini


def test_a_refused_certificate_is_named_at_log_in_with_the_setting(db_url, qtbot, tmp_path):
    """The test server speaks no TLS: what a person sees when the certificate check fails."""
    from PySide6.QtCore import QSettings

    from desktop.services.admin.sign_in import PersonalSignIn
    from ui.login_dialog import LoginDialog

    strict = make_url(_server_only(db_url)).update_query_dict({"sslmode": "verify-full"})
    settings = QSettings(str(tmp_path / "workstation.ini"), QSettings.Format.IniFormat)
    dialog = LoginDialog(PersonalSignIn(strict.render_as_string()), settings, "PostgreSQL")
    qtbot.addWidget(dialog)
    dialog.username.setText("tom")
    dialog.password.setText(PASSWORD)
    dialog._on_login_clicked()
    assert dialog.actor is None
    assert "sslmode is verify-full" in dialog.error.text()
    assert "sslrootcert" in dialog.error.text()
    assert PASSWORD not in dialog.error.text()


def test_the_kiosk_files_a_guest_request_through_the_displays_login(
    db, qtbot, clock, actors, service_login, tmp_path
):
    from PySide6.QtCore import Qt

    from desktop.domain.enums import Role, Status
    from desktop.services.admin.users import NewUser, UserService
    from desktop.services.orders.work_orders import WorkOrderService
    from ui.kiosk.window import KioskWindow

    UserService(db, clock).create(
        actors["admin"], NewUser("kiosk", "Kiosk", Role.VIEWER, "tall-ladder-91")
    )
    window = KioskWindow(service_login("display"), "kiosk", clock)
    qtbot.addWidget(window)
    window.show()
    qtbot.keyClicks(window.search, "wrenchbook:asset:C-201")
    qtbot.keyClick(window.search, Qt.Key.Key_Return)
    qtbot.keyClicks(window.note, "Belt torn, conveyor stands")
    photo = tmp_path / "belt.png"
    photo.write_bytes(bytes.fromhex(PNG_HEX))
    window.add_file(photo)
    qtbot.mouseClick(window.next_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(window.guest, "Jan from packing")
    with qtbot.waitSignal(window.sig_request_raised) as raised:
        qtbot.mouseClick(window.send_button, Qt.MouseButton.LeftButton)
    detail = WorkOrderService(db, clock).get(raised.args[0])
    assert (detail.row.status, detail.requester) == (Status.REQUESTED, "kiosk")
    assert [a.filename for a in detail.attachments] == ["belt.png"]
