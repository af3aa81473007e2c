"""Desktop app: cold start against bare Qt, board search latency and memory over 100k orders.

The start is timed as a user sees it, both against bare Qt in the same run: until the main
window is on the screen (the shell, before the database layer loads), and until the board shows
its first page and takes input.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from desktop.demo.plant import DemoPlantService
from desktop.store.database import Database
from desktop.store.migrate import upgrade
from tests.bench import Figure

BENCH = "desktop"
ROOT = Path(__file__).resolve().parents[2]
LAUNCHER = Path(__file__).with_name("desktop_launch.py")
STARTS = 5
BIG = 100_000


def _demo(path: Path, scale: int | None) -> str:
    url = f"sqlite:///{path}"
    db = Database(url)
    upgrade(db)
    if scale is None:
        DemoPlantService(db).build()
    else:
        DemoPlantService(db).build(scale=scale)
    db.dispose()
    return url


def _start(*args: str) -> tuple[float, float, float]:
    """Wall seconds from spawning a fresh interpreter to the shown window and to the board taking
    input (the same for bare Qt), and the RSS in MB."""
    began = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, str(LAUNCHER), *args],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=os.environ | {"PYTHONPATH": str(ROOT)},
    )
    assert child.stdout is not None
    shown_line = child.stdout.readline()
    shown = time.perf_counter() - began
    ready_line = shown_line if args[0] == "--bare" else child.stdout.readline()
    ready = time.perf_counter() - began
    child.wait()
    if not shown_line.startswith("shown") or not ready_line.startswith(("shown", "ready")):
        raise RuntimeError(f"launch {args} failed: {shown_line!r} {ready_line!r}")
    rss = float(ready_line.split()[1]) if ready_line.startswith("ready") else 0.0
    return shown, ready, rss


def _launch(label: str, url: str) -> list[Figure]:
    bare, shown, ready = [], [], []
    for _ in range(STARTS):  # interleaved, so a busy moment hurts both alike
        bare.append(_start("--bare")[0])
        app = _start(url)
        shown.append(app[0])
        ready.append(app[1])
    baseline = statistics.median(bare)
    return [
        Figure(
            BENCH,
            f"launch to shown main window, {label}",
            statistics.median(shown),
            "s",
            baseline,
            "<= 2.5x bare QApplication + QMainWindow",
            limit_ratio=2.5,
        ),
        Figure(
            BENCH,
            f"launch to interactive board, {label}",
            statistics.median(ready),
            "s",
            baseline,
            "<= 2.5x bare QApplication + QMainWindow",
            limit_ratio=2.5,
        ),
    ]


def _memory(url: str) -> Figure:
    _shown, _ready, rss = _start(url, "--all-pages")
    return Figure(
        BENCH,
        f"resident memory, board + table on {BIG:,} orders",
        rss,
        "MB",
        target="< 400 MB",
        limit_value=400,
    )


def _keystrokes(url: str, tmp: Path) -> Figure:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from desktop.domain.enums import Role
    from desktop.services.admin.users import UserService
    from ui.board.board_panel import BoardPanel
    from ui.context import AppContext

    app = QApplication.instance() or QApplication([])
    db = Database(url)
    users = UserService(db)
    planner = next(u for u in users.list() if u.role is Role.PLANNER)
    board = BoardPanel(AppContext(db, users.actor_for(planner.username), tmp))
    board.resize(1440, 860)
    board.show()
    app.processEvents()
    samples = []
    for word in ("bearing", "seal", "pump", "WO-2026-00", "motor", "FIL-L1"):
        board.filters.search.clear()
        app.processEvents()
        for char in word:
            began = time.perf_counter()
            QTest.keyClick(board.filters.search, char)
            board.repaint()  # synchronous paint of every column: the user sees the result
            samples.append(time.perf_counter() - began)
    QTest.keyClick(board.filters.search, Qt.Key.Key_Escape)
    board.close()
    db.dispose()
    return Figure(
        BENCH,
        f"board search keystroke to repaint, {BIG:,} orders (median)",
        statistics.median(samples) * 1000,
        "ms",
        target="median < 50 ms",
        limit_value=50,
    )


def run() -> list[Figure]:
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        demo = _demo(tmp / "demo.sqlite3", None)
        big = _demo(tmp / "big.sqlite3", BIG)
        return [
            *_launch("demo database", demo),
            *_launch(f"{BIG:,} work orders", big),
            _keystrokes(big, tmp),
            _memory(big),
        ]
