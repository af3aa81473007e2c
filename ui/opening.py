"""What the start does behind the shown window: the database and its schema, then the login.

`ui.app` shows the main window as a shell first and imports this module on a worker thread
(`open_session`): SQLAlchemy, the models and the services the board needs load there, about
half a second, while the window is already on the screen.
"""

from __future__ import annotations

import importlib
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QMessageBox
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from desktop.domain.errors import WrenchbookError
from desktop.services.admin import workstation_settings
from desktop.services.admin.sign_in import PersonalSignIn, uses_personal_logins
from desktop.services.admin.users import UserService
from desktop.services.admin.workstation_settings import DatabaseChoice, PlantChoice, PlantMode
from desktop.store.database import Database, redact_url, scrub, timeout_hint, tls_hint
from desktop.store.migrate import upgrade
from ui.i18n import tr
from ui.login_dialog import LoginDialog

if TYPE_CHECKING:
    from pathlib import Path

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QWidget

    from desktop.demo.plant import DemoAccount
    from desktop.domain.permissions import Actor
    from ui.context import AppContext
    from ui.plant_link import PlantLink

log = logging.getLogger("wrenchbook")

FIRST_PAGE_MODULES = (
    "desktop.services.assets.assets",
    "desktop.services.assets.site_calendar",
    "desktop.services.orders.board",
    "ui.board.board_panel",
    "ui.change_watcher",
    "ui.services",
)
"""What the board's first page needs (`open_session` loads them behind the login), no more."""
BACKGROUND_MODULES = (
    "desktop.services.admin.notifications",
    "desktop.services.condition.alarms",
    "ui.notices",
    "ui.pm.generator_timer",
)
"""What `MainWindow.start_background` builds on: the alarms behind the navigation's count
(the low-stock count's inventory service the board loads anyway), the notices and the PM
generator, about 0.1 s of imports the board's first page waits for no longer."""
PLANT_MODULES = ("desktop.demo.plant", "ui.plant_link")
"""The plant link's, another 0.13 s (the demo's simulator)."""


def describe(url: str) -> str:
    """Where the data lives, for the status bar and dialogs; never shows a password."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return f"SQLite: {parsed.database}"
    port = f":{parsed.port}" if parsed.port else ""
    return f"PostgreSQL: {parsed.database} on {parsed.host or 'localhost'}{port}"


def open_database(url: str) -> Database:
    """The database with its schema upgraded (a SQLite file is backed up first)."""
    db = Database(url)
    upgrade(db)
    return db


@dataclass(frozen=True)
class Session:
    """What `open_session` found: the choices, and the open database or why it did not open."""

    choice: DatabaseChoice
    plant: PlantChoice
    where: str
    db: Database | None
    error: Exception | None = None
    sign_in: PersonalSignIn | None = None
    """With personal logins nothing is open before the log-in: the person's name and
    password open the database as them (no site secret on the workstation)."""


def open_session(cli_url: str | None, opcua: str | None, no_plant: bool, data_dir: Path) -> Session:
    """Read the workstation's choices and open its database. Runs on a worker thread.

    Then it loads what the board's first page needs, so that after the login the board shows
    without first waiting on imports (the person is typing the password meanwhile).
    """
    workstation = workstation_settings.load(data_dir)
    choice = workstation_settings.choose_database(cli_url, data_dir, workstation)
    plant = workstation_settings.choose_plant(opcua, no_plant, workstation)
    try:
        where = describe(choice.url)
        if uses_personal_logins(choice.url):
            sign_in: PersonalSignIn | None = PersonalSignIn(choice.url)
            db = None
        else:
            sign_in, db = None, open_database(choice.url)
    except (WrenchbookError, SQLAlchemyError, ArgumentError) as exc:
        return Session(choice, plant, redact_url(choice.url), None, exc)
    _load(FIRST_PAGE_MODULES)
    return Session(choice, plant, where, db, sign_in=sign_in)


def load_background(plant: PlantChoice) -> None:
    """Import what `MainWindow.start_background` builds. Runs on a worker thread once the
    board is on the screen."""
    _load(BACKGROUND_MODULES)
    if plant.mode is not PlantMode.OFF:
        _load(PLANT_MODULES)


def _load(modules: tuple[str, ...]) -> None:
    for name in modules:
        importlib.import_module(name)


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


def log_in(
    source: Database | PersonalSignIn,
    settings: QSettings,
    where: str,
    parent: QWidget | None = None,
    login: LoginDialog | None = None,
) -> LoginOutcome:
    """First start offers the demo or an administrator; later starts ask for a password.

    With personal logins (`source` a PersonalSignIn) nothing is open before the log-in: the
    name and password typed open the database as that person. `login`: the dialog the start
    showed while the database was opening, which may have been answered already.
    """
    if isinstance(source, Database) and not UserService(source).has_users():
        from ui.first_start import FirstStartDialog

        if login is not None:
            login.hide()
        first = FirstStartDialog(source, where, parent)
        if first.exec() != QDialog.DialogCode.Accepted:
            return LoginOutcome()
        return LoginOutcome(first.actor, source, first.accounts)
    if login is None:
        login = LoginDialog(source, settings, where, parent)
    else:
        login.set_source(source, where)
    if not login.answered:
        login.exec()
    if login.result() != QDialog.DialogCode.Accepted:
        return LoginOutcome(settings_changed=login.settings_changed, display=login.display_chosen)
    return LoginOutcome(login.actor, login.db)


def plant_link(context: AppContext, choice: PlantChoice) -> PlantLink | None:
    """The OPC UA link: to the chosen server, or to the built-in simulator for the demo."""
    if choice.mode is PlantMode.OFF:
        return None
    from desktop.demo.plant import DemoPlantService
    from ui.plant_link import PlantLink

    if choice.mode is PlantMode.SERVER:
        link = PlantLink(context, choice.endpoint, simulate=False, choice=choice)
    elif DemoPlantService(context.db).is_loaded():
        link = PlantLink(context, None, simulate=True)
    else:
        return None
    context.read_tag = link.read_tag
    return link


def offer_settings(
    settings: QSettings, choice: DatabaseChoice, exc: Exception, parent: QWidget | None = None
) -> bool:
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
        parent=parent,
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
    return SettingsDialog(settings, parent).exec() == QDialog.DialogCode.Accepted
