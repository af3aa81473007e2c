"""Render every page of the control-room display at 1920x1080 and 3840x2160, offscreen.

    python tools/render_display.py [--out docs/screenshots] [--data-dir DIR] [--language de]

Without --data-dir a fresh demo plant is built in a temporary folder. The built-in simulator
feeds the live trends; one alarm is raised on the demo's wearing pump so the alarm banner,
the alarm list and the breakdown request show too. Writes display_<page>_<height>p.png and
display_alarm_<height>p.png, display_breakdown_<height>p.png, display_outage_<height>p.png.
Look at each after any change a user would see.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from desktop.demo.condition import PUMP  # noqa: E402
from desktop.demo.plant import DemoPlantService  # noqa: E402
from desktop.domain.enums import Role  # noqa: E402
from desktop.services.admin.users import UserService  # noqa: E402
from desktop.services.assets.site_calendar import SiteCalendarService  # noqa: E402
from desktop.services.condition.alarms import AlarmService, Evidence  # noqa: E402
from desktop.services.condition.plant_tags import PlantTagService  # noqa: E402
from desktop.store.database import resolve_url  # noqa: E402
from ui import i18n  # noqa: E402
from ui.display.feed import LiveFeed  # noqa: E402
from ui.display.window import DisplayWindow  # noqa: E402
from ui.opening import open_database  # noqa: E402

SIZES = ((1920, 1080), (3840, 2160))
TREND_SECONDS = 60


def save(widget: QWidget, path: Path) -> None:
    QApplication.processEvents()
    widget.grab().save(str(path))
    print(path)


def wait_for_feed(feed: LiveFeed) -> None:
    """The feed imports asyncua and starts the simulator on its thread: slow on a busy machine."""
    deadline = time.monotonic() + 120
    while not feed.latest and time.monotonic() < deadline:
        QTest.qWait(500)


def raise_demo_alarm(db: object) -> None:
    admin = next(u for u in UserService(db).list() if u.role is Role.ADMIN)  # type: ignore[arg-type]
    actor = UserService(db).actor_for(admin.username)  # type: ignore[arg-type]
    rule = next(r for r in PlantTagService(db).rules() if r.name == f"{PUMP} vibration high")  # type: ignore[arg-type]
    AlarmService(db).raise_alarm(  # type: ignore[arg-type]
        actor,
        rule.id,
        datetime.now(UTC),
        7.4,
        "7.4 mm/s above 7.1 for 30 s",
        Evidence(b"ts,value\n"),
    )


def render(data_dir: Path, out: Path, language: str = i18n.SOURCE_LANGUAGE) -> None:
    app = QApplication.instance() or QApplication([])
    app.setApplicationName("Wrenchbook")
    i18n.install(language)
    db = open_database(resolve_url(None, data_dir))
    i18n.set_site_zone(SiteCalendarService(db).calendar().timezone)
    if not DemoPlantService(db).is_loaded():
        DemoPlantService(db).build()
    out.mkdir(parents=True, exist_ok=True)
    settings = QSettings(str(data_dir / "render.ini"), QSettings.Format.IniFormat)
    feed = LiveFeed(None, simulate=True, data_dir=data_dir)
    alarm_raised = False
    for width, height in SIZES:
        window = DisplayWindow(db, settings, feed, watch=False, height=height)
        window.resize(width, height)
        window.show()
        window.worker.poll()  # on this thread: the snapshot and the KPI tiles are shown
        wait_for_feed(feed)
        QTest.qWait(TREND_SECONDS * 1000)
        suffix = f"{height}p"
        for index, page in enumerate(window.pages):
            window.show_page(index)
            if page.page_id == "trends":
                page.on_samples({})
            save(window, out / f"display_{page.page_id}_{suffix}.png")
        if not alarm_raised:
            raise_demo_alarm(db)
            alarm_raised = True
        window.worker.poll()
        QTest.qWait(1500)
        window.trends.on_samples({})
        save(window, out / f"display_alarm_{suffix}.png")
        alarm = next(a for a in window.snapshot.alarms if not a.acknowledged)  # type: ignore[union-attr]
        window.report_breakdown(alarm.asset_code, alarm)
        save(window, out / f"display_breakdown_{suffix}.png")
        window.overlay.close_overlay()  # type: ignore[union-attr]
        window.outage.set_down("Database", datetime.now(UTC), "connection refused")
        window.outage.set_down("OPC UA server", datetime.now(UTC), "waiting to reconnect")
        save(window, out / f"display_outage_{suffix}.png")
        window.outage.set_up("Database")
        window.outage.set_up("OPC UA server")
        window.hide()
        window.deleteLater()
    feed.stop()
    db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--language", choices=sorted(i18n.LANGUAGES), default=i18n.SOURCE_LANGUAGE)
    args = parser.parse_args()
    if args.data_dir:
        render(args.data_dir, args.out, args.language)
        return
    with tempfile.TemporaryDirectory() as folder:
        render(Path(folder), args.out, args.language)


if __name__ == "__main__":
    main()
