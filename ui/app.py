"""Start the desktop app: the window and the login first, then the database, then the board.

The main window shows as a shell (navigation, an empty page saying what happens, status bar)
with the login dialog over it, both before the database layer is imported; the database opens
on a worker thread behind them (`ui.opening`) while the person types, and the board fills the
window once somebody logged in (the window's other work follows behind the board). Nothing this
module imports at its top loads SQLAlchemy, pandas, asyncua or ReportLab, nor what the shell
does not show (the login dialog, the worker threads).
"""

from __future__ import annotations

import argparse
import gc
import logging
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from desktop.services.admin.workstation_settings import SETTINGS_FILE
from desktop.store.paths import default_data_dir
from ui import errors, i18n, theme
from ui.i18n import tr
from ui.main_window import PAGE_KEY, MainWindow

if TYPE_CHECKING:
    from collections.abc import Sequence

    from desktop.domain.permissions import Actor
    from ui.opening import Session

log = logging.getLogger("wrenchbook")


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


def show_shell(settings: QSettings) -> MainWindow:
    """The main window as it looks before the database is open, shown and painted."""
    window = MainWindow(None, settings)
    window.show()
    QApplication.processEvents()  # painted now, not when the start next waits
    return window


def show_first_page(window: MainWindow, url: str) -> bool:
    """The board as it opens, in the window, read with the bare DBAPI before the services load.

    For a SQLite file at this Wrenchbook's schema when the window opens on the board
    (`desktop.store.board_page`: sqlite3 only, no SQLAlchemy): the board takes input at once,
    and `fill` gives it the services. False when it could not (PostgreSQL, another page, an
    older or newer schema, an unreadable file): `fill` then builds the board as always, after
    the schema check, which upgrades or refuses the database as it always did.
    """
    if str(window.settings.value(PAGE_KEY, "board")) != "board":
        return False
    from desktop.store.board_page import read_sqlite, sqlite_file

    path = sqlite_file(url)
    page = None if path is None else read_sqlite(path)
    if page is None:
        return False
    from ui.board.board_panel import BoardPanel

    i18n.set_site_zone(page.site_zone)  # the cards' due dates are the site's days
    window.show_first_page(BoardPanel(None, first_page=page.columns))
    QApplication.processEvents()  # painted now
    return True


def open_in_background(args: argparse.Namespace, data_dir: Path) -> Session:
    """The workstation's database, opened on a worker thread while the shell stays live.

    The garbage collector pauses meanwhile, and what the worker loaded is frozen after it
    (`gc.freeze`): the imports leave about 130,000 long-lived objects (modules, SQLAlchemy
    mappers) that every full collection walked, 30-70 ms each, three times during a start
    (measured), the last one just after the board showed. The few hundred objects of the
    imports' own garbage cycles are frozen with them, for the life of the process.
    """

    from ui.background import wait_for

    def work() -> Session:
        from ui.opening import open_session  # the database layer loads here, off the GUI thread

        return open_session(args.db, args.opcua, args.no_plant, data_dir)

    gc.disable()
    try:
        return wait_for(work)
    finally:
        gc.freeze()
        gc.enable()


def fill(
    window: MainWindow, session: Session, actor: Actor, data_dir: Path, watch: bool = True
) -> None:
    """The shell filled for `actor`: the site's time zone and the board with its first page
    now (or, shown already by `show_first_page`, the board given its services); the counts,
    notices, PM generator and plant link once the board is painted and their modules have
    loaded on a worker thread (`MainWindow.start_background`), so the board takes input
    before them."""
    from desktop.services.assets.site_calendar import SiteCalendarService
    from ui.background import Background, after_first_paint
    from ui.context import AppContext
    from ui.opening import load_background, plant_link

    db = session.db
    assert db is not None
    painted = "board" in window.panels  # its first page is on the screen already
    context = AppContext(db, actor, data_dir)
    i18n.set_site_zone(SiteCalendarService(db).calendar().timezone)
    window.attach(context, session.where)

    def start(_loaded: object = None) -> None:
        if window.isVisible():  # not closed meanwhile: nothing may start behind a closed window
            window.start_background(watch, plant_link(context, session.plant))

    def load() -> None:
        Background(window).run(lambda: load_background(session.plant), start, lambda _f: start())

    if painted:
        load()
    else:
        after_first_paint(window.current_panel(), load)


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
    if args.display or args.kiosk:
        return _run_screen(app, args, settings, data_dir)
    window = show_shell(settings)
    from ui.login_dialog import LoginDialog  # after the shell's paint, as what follows it

    while True:
        # Asked at once, over the shell: the person types while the database opens behind.
        login = LoginDialog(None, settings, "", window)
        login.setModal(True)
        login.show()
        window.show_loading(tr("Log in to see the work orders."))
        # Read again on every round: the user may just have fixed them in the dialog.
        session = open_in_background(args, data_dir)
        from ui import opening  # loaded by the worker

        if not window.isVisible():  # closed while the database was opening
            login.close()
            if session.db is not None:
                session.db.dispose()
            return 0
        source = session.db or session.sign_in
        if source is None:
            assert session.error is not None
            login.hide()
            login.deleteLater()
            if opening.offer_settings(settings, session.choice, session.error, window):
                window.show_loading(tr("Opening the database…"))
                continue
            window.close()
            return 1
        window.db_label.setText(session.where)
        window.db_label.setToolTip(session.where)
        outcome = opening.log_in(source, settings, session.where, window, login)
        if outcome.display:
            from ui.display.app import run_display

            window.close()
            return run_display(
                app, session.choice.url, session.plant, settings, data_dir, session.db
            )
        if outcome.actor is not None and outcome.db is not None:
            break
        if session.db is not None:
            session.db.dispose()
        if not outcome.settings_changed:
            window.close()
            return 0
        window.show_loading(tr("Opening the database…"))
    actor, accounts, db = outcome.actor, outcome.accounts, outcome.db
    log.info("%s logged in on %s", actor.username, session.where)
    # The board's first page at once (SQLite), its services a moment later. With personal
    # logins the database was opened by the log-in, as the person.
    show_first_page(window, session.choice.url)
    fill(window, replace(session, db=db), actor, data_dir)
    if accounts:
        from ui.first_start import DemoAccountsDialog

        DemoAccountsDialog(accounts, window).open()
    code = app.exec()
    db.dispose()
    return code


def _run_screen(
    app: QApplication, args: argparse.Namespace, settings: QSettings, data_dir: Path
) -> int:
    """The control-room display or the kiosk: full-screen windows of their own."""
    from desktop.services.admin import workstation_settings

    workstation = workstation_settings.load(data_dir)
    choice = workstation_settings.choose_database(args.db, data_dir, workstation)
    if args.display:
        from ui.display.app import run_display

        plant = workstation_settings.choose_plant(args.opcua, args.no_plant, workstation)
        return run_display(app, choice.url, plant, settings, data_dir)
    from ui.kiosk.app import run_kiosk

    return run_kiosk(app, choice.url, settings)
