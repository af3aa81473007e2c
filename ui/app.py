"""Start the desktop app: data folder, log, database and schema, first start or login, window."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from desktop.domain.errors import WrenchbookError
from desktop.services.users import UserService
from desktop.store.database import Database, default_data_dir, resolve_url
from desktop.store.migrate import upgrade
from ui import errors, theme
from ui.context import AppContext
from ui.login_dialog import CONTROL_ROOM, LoginDialog
from ui.main_window import MainWindow

if TYPE_CHECKING:
    from collections.abc import Sequence

    from desktop.domain.permissions import Actor
    from ui.plant_link import PlantLink

log = logging.getLogger("wrenchbook")

SETTINGS_FILE = "workstation.ini"


def describe(url: str) -> str:
    """Where the data lives, for the status bar and dialogs; never shows a password."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return f"SQLite: {parsed.database}"
    port = f":{parsed.port}" if parsed.port else ""
    return f"PostgreSQL: {parsed.database} on {parsed.host or 'localhost'}{port}"


def parse(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="wrenchbook", description="Wrenchbook desktop app")
    parser.add_argument("--db", metavar="URL", help="database URL (default: SQLite)")
    parser.add_argument("--data-dir", type=Path, metavar="DIR", help="data folder")
    parser.add_argument(
        "--opcua",
        metavar="URL",
        help="OPC UA server to monitor (default: the built-in plant simulator for the demo)",
    )
    parser.add_argument("--no-plant", action="store_true", help="no OPC UA connection at all")
    parser.add_argument(
        "--display", action="store_true", help="the read-only, full-screen control-room display"
    )
    return parser.parse_args(list(argv))


def open_database(url: str) -> Database:
    """The database with its schema upgraded (a SQLite file is backed up first)."""
    db = Database(url)
    upgrade(db)
    return db


def log_in(db: Database, settings: QSettings, where: str) -> tuple[Actor | None, tuple]:
    """First start offers the demo or an administrator; later starts ask for a password."""
    if not UserService(db).has_users():
        from ui.first_start import FirstStartDialog

        first = FirstStartDialog(db, where)
        if first.exec() != QDialog.DialogCode.Accepted:
            return None, ()
        return first.actor, first.accounts
    login = LoginDialog(db, settings, where)
    if login.exec() != QDialog.DialogCode.Accepted:
        return None, ()
    return login.actor, CONTROL_ROOM if login.display_chosen else ()


def plant_link(context: AppContext, args: argparse.Namespace) -> PlantLink | None:
    """The OPC UA link: to --opcua, or to the built-in simulator when the demo is loaded."""
    from desktop.services.demo_plant import DemoPlantService
    from ui.plant_link import PlantLink

    if args.no_plant:
        return None
    if args.opcua:
        return PlantLink(context, args.opcua, simulate=False)
    if DemoPlantService(context.db).is_loaded():
        return PlantLink(context, None, simulate=True)
    return None


def run(argv: Sequence[str]) -> int:
    """The GUI's main: returns the process exit code."""
    args = parse(argv)
    data_dir: Path = args.data_dir or default_data_dir()
    log_path = errors.start_log(data_dir)
    app = QApplication.instance() or QApplication([sys.argv[0]])
    app.setApplicationName("Wrenchbook")
    theme.apply(app)
    errors.install_handler(log_path)
    url = resolve_url(args.db, data_dir)
    if args.display:
        from ui.display.app import run_display

        return run_display(app, url, args, data_dir)
    try:
        where = describe(url)
        db = open_database(url)
    except (WrenchbookError, SQLAlchemyError) as exc:
        log.error("cannot open %s: %s", url, exc)
        QMessageBox.critical(
            None,
            "Wrenchbook",
            f"Cannot open the database.\n\n{getattr(exc, 'orig', None) or exc}\n\n"
            "Check the --db URL or the settings file, and that the server is running.",
        )
        return 1
    settings = QSettings(str(data_dir / SETTINGS_FILE), QSettings.Format.IniFormat)
    actor, accounts = log_in(db, settings, where)
    if accounts == CONTROL_ROOM:
        from ui.display.app import run_display

        return run_display(app, url, args, data_dir, db)
    if actor is None:
        return 0
    log.info("%s logged in on %s", actor.username, where)
    context = AppContext(db, actor, data_dir)
    window = MainWindow(context, settings, where, plant=plant_link(context, args))
    window.show()
    if accounts:
        from ui.first_start import DemoAccountsDialog

        DemoAccountsDialog(accounts, window).open()
    code = app.exec()
    db.dispose()
    return code
