"""Start the control-room display: `python main.py --display` or the login dialog's choice."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox
from sqlalchemy.exc import SQLAlchemyError

from desktop.demo.plant import DemoPlantService
from desktop.domain.errors import WrenchbookError
from desktop.services.admin.workstation_settings import PlantChoice, PlantMode
from desktop.services.assets.site_calendar import SiteCalendarService
from desktop.store.database import Database
from desktop.store.migrate import SchemaBehind, upgrade
from ui.display.feed import LiveFeed
from ui.display.window import DisplayWindow
from ui.i18n import set_site_zone, tr

if TYPE_CHECKING:
    from pathlib import Path

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

log = logging.getLogger("wrenchbook")


def live_feed(db: Database, choice: PlantChoice, data_dir: Path) -> LiveFeed | None:
    """The chosen server (--opcua or the settings), else the built-in simulator when the demo
    is loaded, else none.

    The display only watches: it stores no history and raises no alarms, which is the
    monitoring service's job (`main.py monitor` or an office workstation's plant link).
    """
    if choice.mode is PlantMode.OFF:
        return None
    if choice.mode is PlantMode.SERVER:
        return LiveFeed(choice.endpoint, simulate=False, data_dir=data_dir, choice=choice)
    try:
        demo = DemoPlantService(db).is_loaded()
    except SQLAlchemyError:
        return None
    return LiveFeed(None, simulate=True, data_dir=data_dir) if demo else None


def run_display(
    app: QApplication,
    url: str,
    plant: PlantChoice,
    settings: QSettings,
    data_dir: Path,
    db: Database | None = None,
) -> int:
    """Full screen until closed (Ctrl+Q). An unreachable database is not fatal here: the
    display starts with the outage banner and comes up when the server answers."""
    if db is None:
        try:
            db = Database(url)
        except WrenchbookError as exc:
            QMessageBox.critical(
                None, tr("Wrenchbook"), tr("Cannot open the database.") + f"\n\n{exc}"
            )
            return 1
        try:
            upgrade(db)
        except SchemaBehind as exc:  # its own login never migrates: an administrator does
            QMessageBox.critical(
                None, tr("Wrenchbook"), tr("Cannot open the database.") + f"\n\n{exc}"
            )
            db.dispose()
            return 1
        except SQLAlchemyError as exc:
            log.warning("display starts without the database: %s", exc)
    try:
        set_site_zone(SiteCalendarService(db).calendar().timezone)
    except SQLAlchemyError as exc:  # the PC's zone until the database answers
        log.warning("display shows the PC's time zone: %s", exc)
    window = DisplayWindow(db, settings, live_feed(db, plant, data_dir))
    window.showFullScreen()
    code = app.exec()
    db.dispose()
    return code
