"""Start the desktop app: data folder, log, database and schema, first start or login, window."""

from __future__ import annotations

import argparse
import logging
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from desktop.domain.errors import WrenchbookError
from desktop.services import workstation_settings
from desktop.services.sign_in import PersonalSignIn, uses_personal_logins
from desktop.services.site_calendar import SiteCalendarService
from desktop.services.users import UserService
from desktop.services.workstation_settings import (
    SETTINGS_FILE,
    DatabaseChoice,
    PlantChoice,
    PlantMode,
)
from desktop.store.database import (
    Database,
    default_data_dir,
    redact_url,
    scrub,
    timeout_hint,
    tls_hint,
)
from desktop.store.migrate import upgrade
from ui import errors, i18n, theme
from ui.context import AppContext
from ui.i18n import tr
from ui.login_dialog import LoginDialog
from ui.main_window import MainWindow

if TYPE_CHECKING:
    from collections.abc import Sequence

    from desktop.domain.permissions import Actor
    from desktop.services.demo_plant import DemoAccount
    from ui.plant_link import PlantLink

log = logging.getLogger("wrenchbook")


def describe(url: str) -> str:
    """Where the data lives, for the status bar and dialogs; never shows a password."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return f"SQLite: {parsed.database}"
    port = f":{parsed.port}" if parsed.port else ""
    return f"PostgreSQL: {parsed.database} on {parsed.host or 'localhost'}{port}"


def parse(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="wrenchbook", description="Wrenchbook desktop app")
    parser.add_argument(
        "--db",
        metavar="URL",
        help="database URL (default: $WRENCHBOOK_DB, else the settings file, else SQLite)",
    )
    parser.add_argument("--data-dir", type=Path, metavar="DIR", help="data folder")
    parser.add_argument(
        "--opcua",
        metavar="URL",
        help="OPC UA server to monitor (default: the settings file, else the built-in plant "
        "simulator for the demo)",
    )
    parser.add_argument("--no-plant", action="store_true", help="no OPC UA connection at all")
    parser.add_argument(
        "--display", action="store_true", help="the read-only, full-screen control-room display"
    )
    parser.add_argument(
        "--kiosk",
        action="store_true",
        help="the shop-floor kiosk: anyone raises a request, full screen, nothing else",
    )
    return parser.parse_args(list(argv))


def open_database(url: str) -> Database:
    """The database with its schema upgraded (a SQLite file is backed up first)."""
    db = Database(url)
    upgrade(db)
    return db


@dataclass(frozen=True)
class LoginOutcome:
    """What the start does next: the office window, the control-room display, or start again."""

    actor: Actor | None = None
    db: Database | None = None
    """The database to work in: with personal logins, opened as the person who logged in."""
    accounts: tuple[DemoAccount, ...] = ()
    """The demo's one-time passwords, shown once after a first start with the demo."""
    settings_changed: bool = False
    """The database or OPC UA settings were changed from the login dialog: start again."""
    display: bool = False


def log_in(source: Database | PersonalSignIn, settings: QSettings, where: str) -> LoginOutcome:
    """First start offers the demo or an administrator; later starts ask for a password.

    With personal logins (`source` a PersonalSignIn) nothing is open before the log-in: the
    name and password typed open the database as that person.
    """
    if isinstance(source, Database) and not UserService(source).has_users():
        from ui.first_start import FirstStartDialog

        first = FirstStartDialog(source, where)
        if first.exec() != QDialog.DialogCode.Accepted:
            return LoginOutcome()
        return LoginOutcome(first.actor, source, first.accounts)
    login = LoginDialog(source, settings, where)
    if login.exec() != QDialog.DialogCode.Accepted:
        return LoginOutcome(settings_changed=login.settings_changed, display=login.display_chosen)
    return LoginOutcome(login.actor, login.db)


def plant_link(context: AppContext, choice: PlantChoice) -> PlantLink | None:
    """The OPC UA link: to the chosen server, or to the built-in simulator for the demo."""
    from desktop.services.demo_plant import DemoPlantService
    from ui.plant_link import PlantLink

    if choice.mode is PlantMode.OFF:
        return None
    if choice.mode is PlantMode.SERVER:
        link = PlantLink(context, choice.endpoint, simulate=False, choice=choice)
    elif DemoPlantService(context.db).is_loaded():
        link = PlantLink(context, None, simulate=True)
    else:
        return None
    context.read_tag = link.read_tag
    return link


def offer_settings(settings: QSettings, choice: DatabaseChoice, exc: Exception) -> bool:
    """The database cannot be opened: say why and offer the settings; True to try again."""
    from ui.settings.dialog import SettingsDialog

    where = redact_url(choice.url)
    log.error("cannot open %s (from %s): %s", where, choice.source, scrub(str(exc), choice.url))
    reason = scrub(str(getattr(exc, "orig", None) or exc), choice.url)
    reason += tls_hint(reason, choice.url) + timeout_hint(reason, choice.url)
    box = QMessageBox(
        QMessageBox.Icon.Critical,
        tr("Wrenchbook"),
        tr(
            "Cannot open the database {where} (from {source}).\n\n{reason}\n\nCheck the database "
            "and that the server is running."
        ).format(where=where, source=choice.source, reason=reason),
    )
    box.addButton(QMessageBox.StandardButton.Close)
    # The settings cannot change a database given on the command line or in the environment.
    fix = (
        None
        if choice.overridden
        else box.addButton(tr("Settings…"), QMessageBox.ButtonRole.AcceptRole)
    )
    box.exec()
    if fix is None or box.clickedButton() is not fix:
        return False
    return SettingsDialog(settings).exec() == QDialog.DialogCode.Accepted


def run(argv: Sequence[str]) -> int:
    """The GUI's main: returns the process exit code."""
    args = parse(argv)
    data_dir: Path = args.data_dir or default_data_dir()
    errors.start_log(data_dir)
    app = QApplication.instance() or QApplication([sys.argv[0]])
    app.setApplicationName("Wrenchbook")
    theme.apply(app)
    errors.install_handler()
    settings = QSettings(str(data_dir / SETTINGS_FILE), QSettings.Format.IniFormat)
    i18n.install(i18n.language_for(settings))
    while True:
        # Read again on every round: the user may just have fixed them in the dialog.
        workstation = workstation_settings.load(data_dir)
        choice = workstation_settings.choose_database(args.db, data_dir, workstation)
        plant = workstation_settings.choose_plant(args.opcua, args.no_plant, workstation)
        if args.display:
            from ui.display.app import run_display

            return run_display(app, choice.url, plant, settings, data_dir)
        if args.kiosk:
            from ui.kiosk.app import run_kiosk

            return run_kiosk(app, choice.url, settings)
        source: Database | PersonalSignIn
        try:
            where = describe(choice.url)
            if uses_personal_logins(choice.url):
                # No site secret on this computer: the person's own login opens the database.
                source = PersonalSignIn(choice.url)
            else:
                source = open_database(choice.url)
        except (WrenchbookError, SQLAlchemyError, ArgumentError) as exc:
            if offer_settings(settings, choice, exc):
                continue
            return 1
        outcome = log_in(source, settings, where)
        if outcome.display:
            from ui.display.app import run_display

            shared = source if isinstance(source, Database) else None
            return run_display(app, choice.url, plant, settings, data_dir, shared)
        if outcome.actor is not None and outcome.db is not None:
            break
        if isinstance(source, Database):
            source.dispose()
        if not outcome.settings_changed:
            return 0
    actor, accounts, db = outcome.actor, outcome.accounts, outcome.db
    log.info("%s logged in on %s", actor.username, where)
    context = AppContext(db, actor, data_dir)
    i18n.set_site_zone(SiteCalendarService(db).calendar().timezone)
    window = MainWindow(context, settings, where, plant=plant_link(context, plant))
    window.show()
    if accounts:
        from ui.first_start import DemoAccountsDialog

        DemoAccountsDialog(accounts, window).open()
    code = app.exec()
    db.dispose()
    return code
