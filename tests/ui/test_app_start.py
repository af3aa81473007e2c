"""Starting the app: first start on an empty database, login, and errors that reach the user."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop.demo.plant import DemoPlantService
from desktop.domain.enums import Role
from desktop.services.admin.users import UserService
from desktop.services.orders.work_orders import WorkOrderService
from desktop.store.database import Database
from desktop.store.migrate import upgrade
from tests.conftest import PASSWORD
from tests.integration.workflow import raise_order
from ui import app, errors
from ui.board.board_panel import BoardPanel
from ui.first_start import DemoAccountsDialog, FirstStartDialog
from ui.login_dialog import LoginDialog
from ui.main_window import MainWindow
from ui.opening import describe, log_in

ROOT = Path(__file__).resolve().parents[2]
# What the start must not load before its window shows: each costs 0.2-0.5 s.
HEAVY = ("sqlalchemy", "pandas", "numpy", "asyncua", "reportlab", "pyqtgraph", "matplotlib")
SHELL_FIRST = f"""
import sys
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
application = QApplication([])
from ui import app
from ui.login_dialog import LoginDialog
settings = QSettings(sys.argv[1], QSettings.Format.IniFormat)
window = app.show_shell(settings)
login = LoginDialog(None, settings, "", window)
login.show()
application.processEvents()
print(window.isVisible(), window.loading.body.text(), window.navigation.isEnabled())
print(login.isVisible(), login.database.text(), login.display_button.isEnabled())
print(" ".join(sorted(name for name in {HEAVY!r} if name in sys.modules)) or "none")
"""


# The start as ui.app.run goes once somebody logged in, looked at the moment the board has its
# first page: what is loaded then, and whether the rest follows behind it.
BOARD_FIRST = f"""
import sys
from pathlib import Path
from PySide6.QtCore import QDeadlineTimer, QSettings, QThreadPool
from PySide6.QtWidgets import QApplication
application = QApplication([])
from ui import app
from ui.main_window import MainWindow
from ui.opening import BACKGROUND_MODULES
seen = []
attach = MainWindow.attach
def attach_and_look(window, *args):
    attach(window, *args)
    board = window.current_panel()
    seen.append(sum(len(column.model.cards) for column in board.columns.values()))
    later = BACKGROUND_MODULES + {tuple(n for n in HEAVY if n != "sqlalchemy")!r}
    seen.append(" ".join(name for name in later if name in sys.modules) or "none")
MainWindow.attach = attach_and_look
window = app.show_shell(QSettings(sys.argv[1], QSettings.Format.IniFormat))
session = app.open_in_background(app.parse(["--db", sys.argv[2], "--no-plant"]), Path(sys.argv[3]))
from desktop.services.admin.users import UserService
app.fill(window, session, UserService(session.db).actor_for("paula"), Path(sys.argv[3]), False)
print(*seen)
print(window.notices is None, window.pm_generator is None)
deadline = QDeadlineTimer(60_000)
while window.notices is None and not deadline.hasExpired():
    application.processEvents()
    QThreadPool.globalInstance().waitForDone(10)
print(window.notices is None, window.pm_generator is None, window.plant_label.text())
"""


@pytest.fixture
def empty_db(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'fresh.sqlite3'}")
    upgrade(db)
    yield db
    db.dispose()


@pytest.fixture
def settings(tmp_path):
    return QSettings(str(tmp_path / "workstation.ini"), QSettings.Format.IniFormat)


def test_first_start_loads_the_demo_and_logs_in_its_planner(qtbot, empty_db):
    dialog = FirstStartDialog(empty_db, "SQLite: fresh")
    qtbot.addWidget(dialog)
    assert dialog.demo_choice.isChecked()
    with qtbot.waitSignal(dialog.accepted, timeout=120_000):
        dialog.start_button.click()
    assert dialog.actor.role is Role.PLANNER
    assert DemoPlantService(empty_db).is_loaded()
    shown = DemoAccountsDialog(dialog.accounts)
    qtbot.addWidget(shown)
    listing = shown.listing.toPlainText()
    assert all(a.username in listing and a.password in listing for a in dialog.accounts)


def test_first_start_can_create_the_administrator_instead(qtbot, empty_db):
    dialog = FirstStartDialog(empty_db, "SQLite: fresh")
    qtbot.addWidget(dialog)
    dialog.empty_choice.setChecked(True)
    qtbot.keyClicks(dialog.full_name, "Anna Nowak")
    qtbot.keyClicks(dialog.password, "short")
    qtbot.keyClicks(dialog.repeat, "short")
    dialog.start_button.click()
    assert "at least" in dialog.error.text()
    assert not UserService(empty_db).has_users()
    for field in (dialog.password, dialog.repeat):
        field.clear()
        qtbot.keyClicks(field, "a-long-secret-9")
    with qtbot.waitSignal(dialog.accepted):
        dialog.start_button.click()
    assert (dialog.actor.username, dialog.actor.role) == ("admin", Role.ADMIN)


def test_login_refuses_a_wrong_password_and_remembers_the_user(qtbot, db, settings):
    dialog = LoginDialog(db, settings, "SQLite: test")
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.username, "paula")
    qtbot.keyClicks(dialog.password, "wrong-password")
    dialog._on_login_clicked()
    assert dialog.error.text() == "Unknown user or wrong password"
    assert dialog.actor is None
    dialog.password.clear()
    qtbot.keyClicks(dialog.password, PASSWORD)
    with qtbot.waitSignal(dialog.accepted):
        dialog._on_login_clicked()
    assert dialog.actor.username == "paula"
    again = LoginDialog(db, settings, "SQLite: test")
    qtbot.addWidget(again)
    assert again.username.text() == "paula"


def test_log_in_pressed_while_the_database_opens_waits_visibly_then_logs_in(qtbot, db, settings):
    dialog = LoginDialog(None, settings, "")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.username, "paula")
    qtbot.keyClicks(dialog.password, PASSWORD)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert dialog.cursor().shape() == Qt.CursorShape.BusyCursor
    assert dialog.database.text() == "Opening the database…"
    with qtbot.waitSignal(dialog.accepted):
        dialog.set_source(db, "SQLite: test")
    assert dialog.actor.username == "paula"
    assert dialog.database.text() == "SQLite: test"


def test_a_login_cancelled_while_the_database_opened_is_not_asked_again(
    qtbot, db, settings, monkeypatch
):
    dialog = LoginDialog(None, settings, "")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.username, "paula")
    qtbot.keyClicks(dialog.password, PASSWORD)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)  # then thought better of it
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    monkeypatch.setattr(LoginDialog, "exec", lambda _self: pytest.fail("asked twice"))
    outcome = log_in(db, settings, "SQLite: test", None, dialog)
    assert (outcome.actor, outcome.settings_changed, outcome.display) == (None, False, False)
    qtbot.wait(50)  # the early "Log in" does not go on after the cancel either
    assert dialog.actor is None


def test_unexpected_error_is_logged_and_shown_readably(qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    log_path = errors.start_log(tmp_path)
    errors.install_handler()
    try:
        raise ZeroDivisionError("division by zero in a slot")
    except ZeroDivisionError:
        sys.excepthook(*sys.exc_info())
    for handler in list(__import__("logging").getLogger().handlers):
        handler.flush()
    assert "ZeroDivisionError: division by zero in a slot" in log_path.read_text()
    boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]
    assert boxes, "no dialog shown"
    text = boxes[-1].text()
    assert "Something went wrong: ZeroDivisionError" in text
    assert str(log_path) in text
    assert "Traceback" not in text  # the traceback is in the details, not in the message
    for box in boxes:
        box.close()


def test_status_bar_never_shows_a_password():
    url = "postgresql+psycopg://wb:s3cret@db.plant.local:5433/wrenchbook"
    assert describe(url) == "PostgreSQL: wrenchbook on db.plant.local:5433"
    assert describe("sqlite:////data/wrenchbook.sqlite3") == "SQLite: /data/wrenchbook.sqlite3"


def test_the_window_and_the_login_show_before_the_database_layer_is_imported(tmp_path):
    shown = subprocess.run(
        [sys.executable, "-c", SHELL_FIRST, str(tmp_path / "workstation.ini")],
        cwd=ROOT,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    assert shown == [
        "True Opening the database… False",
        "True Opening the database… False",
        "none",
    ]


def test_the_board_shows_its_first_page_before_the_work_behind_it_loads(db, actors, tmp_path):
    service = WorkOrderService(db)
    for asset in ("P-101", "C-201"):
        raise_order(service, actors["paula"], asset)
    db.dispose()
    started = subprocess.run(
        [
            sys.executable,
            "-c",
            BOARD_FIRST,
            str(tmp_path / "workstation.ini"),
            db.url,
            str(tmp_path),
        ],
        cwd=ROOT,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    # Two cards on the board, and neither the notices, the PM generator, the services behind
    # the navigation's counts nor any heavy library loaded yet ...
    assert started[:2] == ["2 none", "True True"]
    # ... which follow once the board takes input.
    assert started[2] == "False False OPC UA: not configured"


def test_the_login_comes_over_the_shown_window_and_the_board_fills_it_after(
    qtbot, db_url, tmp_path, monkeypatch
):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # run() installs its own
    # The session's own event loop is pytest-qt's; run() returns where it would enter its own.
    monkeypatch.setattr(QApplication, "exec", lambda *_args: 0)
    seen: dict[str, object] = {}

    def log_in_when_asked() -> None:
        """Plays the user: looks at the window behind the login dialog, then logs in."""
        windows = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
        login = next((w for w in windows if isinstance(w, LoginDialog)), None)
        if login is None:
            QTimer.singleShot(20, log_in_when_asked)
            return
        window = next(w for w in windows if isinstance(w, MainWindow))
        seen["behind"] = (login.parent() is window, window.loading.body.text())
        seen["locked"] = not window.navigation.isEnabled()
        login.username.setText("paula")
        login.password.setText(PASSWORD)
        login._on_login_clicked()

    QTimer.singleShot(0, log_in_when_asked)
    handlers = list(logging.getLogger().handlers)
    try:
        code = app.run(["--db", db_url, "--data-dir", str(tmp_path), "--no-plant"])
    finally:
        for handler in logging.getLogger().handlers:
            if handler not in handlers:
                handler.close()
                logging.getLogger().removeHandler(handler)
    window = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow))
    qtbot.addWidget(window)
    assert code == 0
    assert seen["behind"] == (True, "Log in to see the work orders.")
    assert seen["locked"]
    assert isinstance(window.current_panel(), BoardPanel)
    assert window.current_panel().summary.text().endswith("work orders match")
    assert window.user_label.text() == "paula (planner)"
    assert window.navigation.isEnabled()
    window.close()
