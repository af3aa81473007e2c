"""The desktop app never writes the database password into its log file, dialogs or status bar."""

from __future__ import annotations

import logging
import sys

from PySide6.QtWidgets import QMessageBox

from desktop.store.database import Database
from ui import app
from ui.change_watcher import ChangeWatcher
from ui.errors import LOG_FILE_NAME

SECRET = "Url-S3cret-4242"
# Nothing listens on port 1: opening the database fails at once.
UNREACHABLE = f"postgresql+psycopg://wb:{SECRET}@127.0.0.1:1/wrenchbook"


def test_a_database_that_cannot_be_opened_is_logged_and_shown_without_its_password(
    qtbot, tmp_path, monkeypatch
):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # run() installs its own
    shown: list[str] = []
    # The box offers the settings and waits for a click: record it and close it at once.
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.text()))
    handlers = list(logging.getLogger().handlers)
    try:
        assert app.run(["--db", UNREACHABLE, "--data-dir", str(tmp_path), "--no-plant"]) == 1
    finally:
        for handler in logging.getLogger().handlers:
            if handler not in handlers:
                handler.close()
                logging.getLogger().removeHandler(handler)
    logged = (tmp_path / LOG_FILE_NAME).read_text(encoding="utf-8")
    assert "cannot open postgresql+psycopg://wb:***@127.0.0.1:1/wrenchbook" in logged
    assert SECRET not in logged
    assert shown
    assert "Cannot open the database" in shown[0]
    assert SECRET not in shown[0]


def test_a_lost_connection_reaches_the_status_bar_and_log_without_the_password(qtbot, caplog):
    db = Database(UNREACHABLE)
    watcher = ChangeWatcher(db)
    with qtbot.waitSignal(watcher.sig_connection_changed) as lost:
        watcher.poll()
    connected, reason = lost.args
    assert not connected
    assert reason
    assert SECRET not in reason
    assert SECRET not in caplog.text
    db.dispose()
