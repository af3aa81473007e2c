"""The workstation settings dialog: saved and read back, refusals, connection tests, passwords."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QDialog
from sqlalchemy.engine import make_url

from desktop.plant.simulator import SimulatorOptions, SimulatorThread
from desktop.services.admin import credentials
from desktop.services.admin import workstation_settings as ws
from desktop.store import qt_ini
from tests.credential_store import credential_store
from tests.integration.simulator_process import free_port
from ui.background import SynchronousPool as Pool
from ui.login_dialog import LoginDialog
from ui.main_window import MainWindow
from ui.settings.dialog import SettingsDialog

UNC = "//fileserver/maint/wrenchbook.sqlite3"


@pytest.fixture
def settings(tmp_path):
    return QSettings(str(tmp_path / ws.SETTINGS_FILE), QSettings.Format.IniFormat)


@pytest.fixture
def no_store():
    with credential_store(available=False):
        yield


def open_dialog(qtbot, settings) -> SettingsDialog:
    dialog = SettingsDialog(settings, pool=Pool())
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def fill_postgres(qtbot, dialog: SettingsDialog, url: str) -> None:
    parsed = make_url(url)
    dialog.postgres_choice.click()
    for field, value in (
        (dialog.pg_host, parsed.host),
        (dialog.pg_database, parsed.database),
        (dialog.pg_user, parsed.username or ""),
    ):
        field.clear()
        qtbot.keyClicks(field, value)
    dialog.pg_port.setValue(parsed.port or 5432)


def ini_text(settings: QSettings) -> str:
    return Path(settings.fileName()).read_text(encoding="utf-8")


def test_values_are_saved_and_shown_again(qtbot, settings, no_store):
    dialog = open_dialog(qtbot, settings)
    assert dialog.sqlite_choice.isChecked()
    fill_postgres(qtbot, dialog, "postgresql+psycopg://wrench@db1.plant.local:5433/cmms")
    dialog.plant_mode.setCurrentIndex(dialog.plant_mode.findData("server"))
    qtbot.keyClicks(dialog.endpoint, "opc.tcp://plc-gw:4840/ua")
    dialog.security.setCurrentIndex(dialog.security.findData("sign_and_encrypt"))
    qtbot.keyClicks(dialog.opc_user, "operator")
    dialog.rotate_seconds.setValue(30)
    qtbot.keyClicks(dialog.pages, "board, kpis,trends")
    with qtbot.waitSignal(dialog.sig_settings_saved) as saved:
        assert dialog.save()
    assert saved.args == [True]  # the database and the server changed: restart
    expected = ws.WorkstationSettings(
        "postgresql+psycopg://wrench@db1.plant.local:5433/cmms",
        ws.OpcUaSettings(
            ws.PlantMode.SERVER, "opc.tcp://plc-gw:4840/ua", "sign_and_encrypt", username="operator"
        ),
        30,
        ("board", "kpis", "trends"),
    )
    # The headless commands read the same file without Qt.
    assert ws.load(Path(settings.fileName()).parent) == expected
    again = open_dialog(qtbot, settings)
    assert again.current_settings() == expected
    assert again.postgres_choice.isChecked()
    assert again.pg_port.value() == 5433
    assert again.security.currentText() == "Sign & encrypt"


def test_only_the_display_changed_needs_no_restart(qtbot, settings, no_store):
    dialog = open_dialog(qtbot, settings)
    dialog.rotate_seconds.setValue(40)
    with qtbot.waitSignal(dialog.sig_settings_saved) as saved:
        dialog.save()
    assert saved.args == [False]
    assert settings.value(ws.DISPLAY_ROTATE_SECONDS) == "40"


def test_a_sqlite_file_on_a_network_share_is_refused_with_the_reason(qtbot, settings, no_store):
    dialog = open_dialog(qtbot, settings)
    dialog.sqlite_path.clear()
    qtbot.keyClicks(dialog.sqlite_path, UNC)
    dialog.sqlite_path.editingFinished.emit()
    assert "is on a network share" in dialog.db_result.text()
    assert "PostgreSQL" in dialog.db_result.text()
    assert not dialog.save()
    assert "SMB/NFS" in dialog.error.text()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert not settings.contains(ws.DATABASE_URL)


def test_database_test_reports_the_schema_of_a_reachable_database(
    qtbot, settings, db_url, no_store
):
    dialog = open_dialog(qtbot, settings)
    if db_url.startswith("sqlite"):
        dialog.sqlite_path.clear()
        qtbot.keyClicks(dialog.sqlite_path, make_url(db_url).database)
    else:
        fill_postgres(qtbot, dialog, db_url)
    dialog.db_test_button.click()
    assert "Connected. Schema up to date" in dialog.db_result.text()
    assert dialog.db_test_button.isEnabled()


def test_database_test_reports_a_server_that_does_not_answer(qtbot, settings, no_store):
    dialog = open_dialog(qtbot, settings)
    fill_postgres(qtbot, dialog, f"postgresql+psycopg://wrench@127.0.0.1:{free_port()}/wb")
    dialog.db_test_button.click()
    assert dialog.db_result.text().startswith("Cannot connect")
    assert "b03a2e" in dialog.db_result.styleSheet()


def test_opcua_test_reads_the_server_status_or_says_why_not(qtbot, settings, tmp_path, no_store):
    simulator = SimulatorThread(
        SimulatorOptions(port=free_port(), max_tags=2, pki_dir=tmp_path / "pki-sim")
    ).start()
    try:
        dialog = open_dialog(qtbot, settings)
        dialog.plant_mode.setCurrentIndex(dialog.plant_mode.findData("server"))
        qtbot.keyClicks(dialog.endpoint, simulator.endpoint)
        dialog.opc_test_button.click()
        assert dialog.opc_result.text().startswith("Connected.")
        assert "Running" in dialog.opc_result.text()
    finally:
        simulator.stop()
    dialog.opc_test_button.click()
    assert dialog.opc_result.text().startswith("Cannot connect")


def test_passwords_go_to_the_credential_store_never_into_the_file(qtbot, settings):
    url = "postgresql+psycopg://wrench@db1.plant.local/wrenchbook"
    with credential_store() as store:
        dialog = open_dialog(qtbot, settings)
        fill_postgres(qtbot, dialog, url)
        assert dialog.db_password.isEnabled()
        qtbot.keyClicks(dialog.db_password, "db-s3cret")
        dialog.plant_mode.setCurrentIndex(dialog.plant_mode.findData("server"))
        qtbot.keyClicks(dialog.endpoint, "opc.tcp://plc-gw:4840")
        qtbot.keyClicks(dialog.opc_user, "operator")
        qtbot.keyClicks(dialog.opc_password, "opc-s3cret")
        assert dialog.save()
        assert store.passwords == {
            (credentials.DATABASE, "wrench@db1.plant.local:5432/wrenchbook"): "db-s3cret",
            (credentials.OPCUA, "operator@opc.tcp://plc-gw:4840"): "opc-s3cret",
        }
        again = open_dialog(qtbot, settings)
        assert again.db_password.text() == ""
        assert again.db_password.placeholderText().startswith("saved")
    text = ini_text(settings)
    assert "wrench@db1.plant.local" in text
    assert "s3cret" not in text


def test_without_a_credential_store_the_dialog_says_where_passwords_come_from(
    qtbot, settings, no_store
):
    dialog = open_dialog(qtbot, settings)
    fill_postgres(qtbot, dialog, "postgresql+psycopg://wrench@db1/wrenchbook")
    assert not dialog.db_password.isEnabled()
    assert "PGPASSWORD" in dialog.db_password_note.text()
    assert "pgpass" in dialog.db_password_note.text()
    assert "WRENCHBOOK_OPC_PASSWORD" in dialog.opc_password_note.text()


def test_a_password_typed_into_a_url_by_hand_is_not_kept(qtbot, settings, no_store):
    settings.setValue(ws.DATABASE_URL, "postgresql+psycopg://wrench:s3cret@db1/wrenchbook")
    dialog = open_dialog(qtbot, settings)
    assert dialog.database_url() == "postgresql+psycopg://wrench@db1/wrenchbook"
    assert dialog.save()
    assert "s3cret" not in ini_text(settings)


def test_the_window_layout_qt_keeps_in_the_file_survives_the_engine_writing_it(settings):
    settings.setValue("main_window/geometry", QByteArray(b"\x01\x02layout,;=\x00"))
    settings.setValue(ws.DISPLAY_PAGES, "board,kpis")
    settings.sync()
    folder = Path(settings.fileName()).parent
    assert ws.load(folder).pages == ("board", "kpis")
    qt_ini.update(Path(settings.fileName()), {ws.DATABASE_URL: r"sqlite:///C:\data\wb.sqlite3"})
    reread = QSettings(settings.fileName(), QSettings.Format.IniFormat)
    assert reread.value("main_window/geometry") == QByteArray(b"\x01\x02layout,;=\x00")
    assert reread.value(ws.DATABASE_URL) == r"sqlite:///C:\data\wb.sqlite3"
    assert reread.value(ws.DISPLAY_PAGES) == "board,kpis"


def test_the_main_window_opens_the_settings(qtbot, app_context, settings, no_store):
    window = MainWindow(app_context, settings, "SQLite: test", watch=False)
    qtbot.addWidget(window)
    assert window.settings_button.defaultAction().text() == "Settings…"
    window.settings_button.click()
    dialog = window.findChild(SettingsDialog)
    assert dialog.isVisible()
    dialog.rotate_seconds.setValue(25)
    dialog.plant_mode.setCurrentIndex(dialog.plant_mode.findData("off"))
    dialog.save()
    assert "Restart Wrenchbook" in window.statusBar().currentMessage()


def test_the_login_dialog_can_switch_the_database_before_logging_in(qtbot, db, settings, no_store):
    login = LoginDialog(db, settings, "SQLite: test")
    qtbot.addWidget(login)
    dialog = login.open_settings()
    fill_postgres(qtbot, dialog, "postgresql+psycopg://wrench@db1/wrenchbook")
    with qtbot.waitSignal(login.rejected):
        dialog.save()
    assert login.settings_changed
    assert login.actor is None


def test_sqlite_is_labelled_single_user_and_hidden_for_the_server(qtbot, settings, no_store):
    dialog = open_dialog(qtbot, settings)
    dialog.sqlite_choice.setChecked(True)
    assert "one user" in dialog.sqlite_choice.text()
    assert dialog.sqlite_trust_note.isVisible()
    assert "whoever can open this file can change any record" in dialog.sqlite_trust_note.text()
    dialog.postgres_choice.setChecked(True)
    assert not dialog.sqlite_trust_note.isVisible()


def test_the_sampling_the_server_granted_the_running_link_is_shown(qtbot, settings, no_store):
    granted = (
        "server sampling: 300 tags every 1000 ms (queue 20), 25 tags every 100 ms (queue 20)",
        "warning: P1.Speed: the server revised sampling to changes only (asked 1000 ms); "
        "values that do not change are not sent",
    )
    dialog = SettingsDialog(settings, pool=Pool(), sampling=granted)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.sampling.isVisible()
    assert dialog.sampling.text().splitlines()[1:] == list(granted)
    assert not open_dialog(qtbot, settings).sampling.isVisible()  # no link: nothing to show


def test_personal_logins_keep_no_database_password_on_the_workstation(qtbot, settings, db_url):
    """User left empty: no password field, nothing stored, and Test says whom it asks."""
    with credential_store() as store:
        dialog = open_dialog(qtbot, settings)
        fill_postgres(qtbot, dialog, "postgresql+psycopg://db1.plant.local/wrenchbook")
        assert not dialog.db_password.isEnabled()
        assert "no database password is kept" in dialog.personal_login_note.text()
        qtbot.keyClicks(dialog.pg_user, "control_room")
        assert dialog.db_password.isEnabled(), "a service login's password may be kept"
        dialog.pg_user.clear()
        assert not dialog.db_password.isEnabled()
        assert dialog.save()
        assert store.passwords == {}
    assert "db1.plant.local/wrenchbook" in ini_text(settings)
