"""Start the shop-floor kiosk: `python main.py --kiosk`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox
from sqlalchemy.exc import SQLAlchemyError

from desktop.domain.errors import WrenchbookError
from desktop.services.assets.site_calendar import SiteCalendarService
from desktop.store.database import Database
from desktop.store.migrate import upgrade
from ui.i18n import set_site_zone, tr
from ui.kiosk.window import KioskWindow

if TYPE_CHECKING:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

DEFAULT_ACCOUNT = "kiosk"
"""The viewer account guest requests are filed under (workstation.ini `kiosk/account`)."""


def run_kiosk(app: QApplication, url: str, settings: QSettings) -> int:
    """Full screen until closed; the kiosk keeps no user logged in."""
    try:
        db = Database(url)
        upgrade(db)
        set_site_zone(SiteCalendarService(db).calendar().timezone)
    except (WrenchbookError, SQLAlchemyError) as exc:
        QMessageBox.critical(None, tr("Wrenchbook"), tr("Cannot open the database.") + f"\n\n{exc}")
        return 1
    account = str(settings.value("kiosk/account", DEFAULT_ACCOUNT) or DEFAULT_ACCOUNT)
    screen = QGuiApplication.primaryScreen()
    height = screen.size().height() if screen is not None else 1080
    window = KioskWindow(db, account, height=height)
    window.showFullScreen()
    code = app.exec()
    db.dispose()
    return code
