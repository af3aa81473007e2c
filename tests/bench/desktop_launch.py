"""One cold start, run in a fresh process by bench_desktop: prints what a user sees, when.

`--bare` shows an empty QMainWindow (the bare-Qt baseline) and prints 'shown'. Otherwise the
app starts as `ui.app.run` does: it prints 'shown' when the main window (the shell) is on the
screen, then opens the database behind it and prints 'ready <rss MB>' once the board shows its
first page and takes input, logged in as the database's planner (the login dialog is skipped: it
waits on a person, not on the machine). `--all-pages` also opens the work-order table first.
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
        app.processEvents()
        print("shown", flush=True)
        return
    from pathlib import Path
    from tempfile import mkdtemp

    from PySide6.QtCore import QSettings

    from ui import app as start
    from ui import theme

    theme.apply(app)
    folder = Path(mkdtemp())
    settings = QSettings(str(folder / "workstation.ini"), QSettings.Format.IniFormat)
    shell = start.show_shell(settings)
    print("shown", flush=True)
    session = start.open_in_background(start.parse(["--db", sys.argv[1], "--no-plant"]), folder)
    assert session.db is not None, session.error

    from desktop.domain.enums import Role
    from desktop.services.admin.users import UserService

    users = UserService(session.db)
    planner = next(u for u in users.list() if u.role is Role.PLANNER)
    start.fill(shell, session, users.actor_for(planner.username), folder, watch=False)
    if len(sys.argv) > 2 and sys.argv[2] == "--all-pages":
        shell.show_page("work_orders")
        shell.current_panel().model.fetchMore()
        shell.show_page("board")
    app.processEvents()
    print(f"ready {rss_mb():.1f}", flush=True)


if __name__ == "__main__":
    main()
