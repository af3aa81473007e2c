"""Render every panel of the desktop app on the demo plant to PNG, offscreen.

    python tools/render_panels.py [--out docs/screenshots] [--data-dir DIR] [--language de]
                                  [--size 1280x720] [--endpoint opc.tcp://127.0.0.1:1/x]

Without --data-dir a fresh demo plant is built in a temporary folder. The README shows the
images; look at each after any change a user would see. --size renders the main window at a
laptop's size (a page that needs more comes out wider than asked). --endpoint monitors that
server instead of the demo's simulator: a closed port shows the window as the office sees a
plant that is down (the status bar's and the Trends page's failure with its fix).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from typing import TYPE_CHECKING  # noqa: E402

from PySide6.QtCore import QEventLoop, QSettings, QTimer, SignalInstance  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from desktop.demo.plant import DemoPlantService  # noqa: E402
from desktop.domain.enums import Role, Status, WorkOrderType  # noqa: E402
from desktop.services.admin.users import UserService  # noqa: E402
from desktop.services.condition.plant_tags import PlantTagService  # noqa: E402
from desktop.services.orders.work_orders import SearchFilter, WorkOrderService  # noqa: E402
from desktop.store.database import resolve_url  # noqa: E402
from ui import i18n, theme  # noqa: E402
from ui.context import AppContext  # noqa: E402
from ui.login_dialog import LoginDialog  # noqa: E402
from ui.main_window import PAGES, MainWindow  # noqa: E402
from ui.opening import describe, open_database  # noqa: E402
from ui.plant_link import PlantLink  # noqa: E402
from ui.settings.dialog import SettingsDialog  # noqa: E402

if TYPE_CHECKING:
    from collections.abc import Callable

WINDOW = (1440, 900)
UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
"""File names of the German editor tabs in plain ASCII."""
TREND_SECONDS = 20
ASSET = "BOT-FIL-L1"
"""The asset whose history the Assets screenshot shows: a filling line and its machines."""
WEARING = "BOT-SYR-SUG-P1"
"""The simulator's pump whose bearing wears: its trends show on the Trends screenshot."""


def save(widget: QWidget, path: Path) -> None:
    QApplication.processEvents()
    widget.grab().save(str(path))
    print(path)


def wait_for(signal: SignalInstance, start: Callable[[], object]) -> None:
    """Start background work and wait (at most a minute) for the signal that it is shown."""
    loop = QEventLoop()
    signal.connect(loop.quit)
    QTimer.singleShot(60_000, loop.quit)
    start()
    loop.exec()


def render(
    data_dir: Path,
    out: Path,
    language: str = i18n.SOURCE_LANGUAGE,
    size: tuple[int, int] = WINDOW,
    endpoint: str | None = None,
) -> None:
    app = QApplication.instance() or QApplication([])
    theme.apply(app)
    i18n.install(language)
    url = resolve_url(None, data_dir)
    db = open_database(url)
    if not DemoPlantService(db).is_loaded():
        DemoPlantService(db).build()
    users = UserService(db)
    planner = next(u for u in users.list() if u.role is Role.PLANNER)
    settings = QSettings(str(out / ".render.ini"), QSettings.Format.IniFormat)
    out.mkdir(parents=True, exist_ok=True)
    login = LoginDialog(db, settings, describe(url))
    login.username.setText(planner.username)
    login.show()
    save(login, out / "login.png")
    dialog = SettingsDialog(settings)
    dialog.show()
    save(dialog, out / "settings.png")
    context = AppContext(db, users.actor_for(planner.username), data_dir)
    plant = PlantLink(context, endpoint, simulate=endpoint is None)
    window = MainWindow(context, settings, describe(url), watch=False, plant=plant)
    window.resize(*size)
    window.show()
    wait_for(plant.sig_ready, plant.start)
    tags = {t.name: t.id for t in PlantTagService(db).tags()}
    trend_tags = [tags[f"{WEARING}.{signal}"] for signal in ("Vibration", "BearingTemperature")]
    for page in PAGES:
        panel = window.show_page(page.key)
        if page.key == "assets":
            wait_for(panel.sig_history_shown, lambda p=panel: p.select_asset(ASSET))
        elif page.key == "dashboard":
            wait_for(panel.sig_dashboard_shown, panel.refresh)
        elif page.key == "trends":
            panel.show_tags(trend_tags)
            QTest.qWait(TREND_SECONDS * 1000)  # live samples arrive from the simulator
        elif page.key == "inventory":
            panel.parts_view.selectRow(4)
        save(window, out / f"{page.key}.png")
    busy = WorkOrderService(db).search(
        SearchFilter(statuses=(Status.IN_PROGRESS,), types=(WorkOrderType.PREVENTIVE,)),
        sort="priority",
        descending=False,
        limit=1,
    )
    if busy:
        editor = window.open_work_order(busy[0].number)
        editor.resize(1000, 760)
        for index in range(editor.tabs.count()):
            editor.tabs.setCurrentIndex(index)
            label = editor.tabs.tabText(index).replace("&&", "and").replace("&", "").lower()
            label = label.translate(UMLAUTS)
            save(editor, out / f"editor_{re.sub(r'[^a-z0-9]+', '_', label).strip('_')}.png")
        editor.close()
    window.close()
    db.dispose()
    (out / ".render.ini").unlink(missing_ok=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--language", choices=sorted(i18n.LANGUAGES), default=i18n.SOURCE_LANGUAGE)
    parser.add_argument("--size", type=_size, default=WINDOW, help="main window WIDTHxHEIGHT")
    parser.add_argument("--endpoint", help="an OPC UA server instead of the demo's simulator")
    args = parser.parse_args()
    if args.data_dir:
        render(args.data_dir, args.out, args.language, args.size, args.endpoint)
        return
    with tempfile.TemporaryDirectory() as folder:
        render(Path(folder), args.out, args.language, args.size, args.endpoint)


def _size(text: str) -> tuple[int, int]:
    width, _, height = text.lower().partition("x")
    return int(width), int(height)


if __name__ == "__main__":
    main()
