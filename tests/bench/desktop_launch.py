"""One cold start, run in a fresh process by bench_desktop: prints what a user sees, when.

`--bare` shows an empty QMainWindow (the bare-Qt baseline) and prints 'shown <CPU s>'.
Otherwise the app starts as `ui.app.run` does: it prints 'shown <CPU s>' when the main window
(the shell) is on the screen, then 'ready <rss MB> <CPU s>' once the board shows its first page
and takes input: read with sqlite3 before the database layer is imported
(`ui.app.show_first_page`), the database then opened behind it and the board given its
services as the database's planner (the login dialog is skipped: it waits on a person, not on
the machine). Where the first page cannot be read that way the board is ready once the usual
path built it. `--all-pages` also opens the work-order table first (and prints 'ready' after
it). CPU s: the seconds of CPU the process used so far, which a busy machine inflates far less
than the wall time.

`--login USER PASSWORD` goes through the login dialog instead, as a start on SQLite does: it
prints 'asked' when the dialog is on the screen over the shell (before the database opens
behind it), presses "Log in" once the database is open and prints
'ready <rss MB> <CPU s> <seconds from pressing Log in to the board taking input>', as
`ui.app.run` shows the board after the log-in: its first page first, its services behind it.

`--grab DIR` saves what the screen shows at each of those moments (shell.png, login.png,
board.png, and settled.png once the work behind the board has started) for a person to look
at; the bench does not use it.

After 'ready' the process waits for the work the start left running behind the board (the
counts, the notices) before it ends, so that work is exercised too.
"""

from __future__ import annotations

import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def cpu() -> str:
    """The CPU seconds this process used so far, all its threads."""
    return f"{time.process_time():.4f}"


def grab(options: list[str], widget: object, name: str) -> None:
    """With `--grab DIR`: the widget as it is on the screen now, as DIR/name."""
    if "--grab" in options:
        folder = options[options.index("--grab") + 1]
        widget.grab().save(f"{folder}/{name}")  # type: ignore[attr-defined]


def settle(app: object, shell: object) -> None:
    """Run the event loop until the work the start left behind the board has started."""
    from PySide6.QtCore import QDeadlineTimer, QThreadPool

    deadline = QDeadlineTimer(60_000)
    while shell.notices is None and not deadline.hasExpired():  # type: ignore[attr-defined]
        app.processEvents()  # type: ignore[attr-defined]
        QThreadPool.globalInstance().waitForDone(10)
    assert shell.notices is not None, "the work behind the board never started"  # type: ignore[attr-defined]


def main() -> None:
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication([])
    if sys.argv[1] == "--bare":
        window = QMainWindow()
        window.resize(1440, 880)
        window.show()
        app.processEvents()
        print(f"shown {cpu()}", flush=True)
        return
    from pathlib import Path
    from tempfile import mkdtemp

    from PySide6.QtCore import QSettings

    from ui import app as start
    from ui import theme

    url, options = sys.argv[1], sys.argv[2:]
    theme.apply(app)
    folder = Path(mkdtemp())
    settings = QSettings(str(folder / "workstation.ini"), QSettings.Format.IniFormat)
    shell = start.show_shell(settings)
    print(f"shown {cpu()}", flush=True)
    grab(options, shell, "shell.png")
    dialog = None
    if "--login" in options:
        from ui.login_dialog import LoginDialog

        dialog = LoginDialog(None, settings, "", shell)  # as ui.app.run: before the database
        dialog.show()
        app.processEvents()
        print("asked", flush=True)
        grab(options, dialog, "login.png")
    first = dialog is None and "--all-pages" not in options and start.show_first_page(shell, url)
    if first:
        print(f"ready {rss_mb():.1f} {cpu()}", flush=True)
        grab(options, shell, "board.png")
    session = start.open_in_background(start.parse(["--db", url, "--no-plant"]), folder)
    assert session.db is not None, session.error
    pressed = None
    if dialog is not None:
        # The person finished typing after the database opened (it takes under a second).
        username, password = options[options.index("--login") + 1 :][:2]
        dialog.set_source(session.db, session.where)
        dialog.username.setText(username)
        dialog.password.setText(password)
        pressed = time.perf_counter()
        dialog._on_login_clicked()  # as the "Log in" button does
        actor = dialog.actor
        assert actor is not None, dialog.error.text()
        if start.show_first_page(shell, url):
            first = True
            waited = time.perf_counter() - pressed
            print(f"ready {rss_mb():.1f} {cpu()} {waited:.4f}", flush=True)
            grab(options, shell, "board.png")
    else:
        from desktop.domain.enums import Role
        from desktop.services.admin.users import UserService

        users = UserService(session.db)
        planner = next(u for u in users.list() if u.role is Role.PLANNER)
        actor = users.actor_for(planner.username)
    start.fill(shell, session, actor, folder, watch=False)
    if "--all-pages" in options:
        shell.show_page("work_orders")
        shell.current_panel().model.fetchMore()
        shell.show_page("board")
        settle(app, shell)  # all the start loads, for the memory
    if not first:
        app.processEvents()
        waited = "" if pressed is None else f" {time.perf_counter() - pressed:.4f}"
        print(f"ready {rss_mb():.1f} {cpu()}{waited}", flush=True)
        grab(options, shell, "board.png")
    settle(app, shell)
    app.processEvents()  # the status bar's new layout
    grab(options, shell, "settled.png")


if __name__ == "__main__":
    main()
