"""One cold start, run in a fresh process by bench_desktop: prints 'ready <rss MB>' when shown.

`--bare` shows an empty QMainWindow (the bare-Qt baseline); otherwise the Wrenchbook main window
on the board, logged in as the database's planner (the login dialog is skipped: it waits on a
person, not on the machine).
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication([])
    if sys.argv[1] == "--bare":
        window = QMainWindow()
        window.resize(1440, 880)
        window.show()
    else:
        from pathlib import Path
        from tempfile import mkdtemp

        from PySide6.QtCore import QSettings

        from desktop.domain.enums import Role
        from desktop.services.admin.users import UserService
        from ui import theme
        from ui.app import describe, open_database
        from ui.context import AppContext
        from ui.main_window import MainWindow

        theme.apply(app)
        url = sys.argv[1]
        db = open_database(url)
        users = UserService(db)
        planner = next(u for u in users.list() if u.role is Role.PLANNER)
        folder = Path(mkdtemp())
        settings = QSettings(str(folder / "workstation.ini"), QSettings.Format.IniFormat)
        context = AppContext(db, users.actor_for(planner.username), folder)
        window = MainWindow(context, settings, describe(url), watch=False)
        window.show()
        if len(sys.argv) > 2 and sys.argv[2] == "--all-pages":
            window.show_page("work_orders")
            window.current_panel().model.fetchMore()
            window.show_page("board")
    app.processEvents()
    print(f"ready {rss_mb():.1f}", flush=True)


if __name__ == "__main__":
    main()
