"""`--self-test`: proves an installation works end to end, frozen or not, in a throwaway folder.

Each step uses what a user's first hour touches (schema, demo, window, printing, OPC UA), so a
bundle that forgot a data file, a Qt plugin or a hidden import fails here, on the build machine,
and names the step, instead of on a workstation in the maintenance office.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from PySide6.QtWidgets import QApplication, QMainWindow

    from desktop.domain.permissions import Actor
    from desktop.store.database import Database

# Small enough to load in a few seconds on a slow runner, big enough to fill the board.
DEMO_SCALE = 300
DEMO_YEARS = 1.0
WINDOW_SIZE = (1280, 800)
# A rendered window has text, icons and borders; a failed render is one or two flat colours.
MIN_COLOURS = 8
OPCUA_TIMEOUT_S = 30.0


def app_version() -> str:
    """The bundle's VERSION file (written by installer/build.py from pyproject.toml), else the
    installed package's metadata."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle is not None:
        return (Path(bundle) / "VERSION").read_text(encoding="utf-8").strip()
    from importlib.metadata import version

    return version("wrenchbook")


@dataclass
class _State:
    """What one step leaves for the next."""

    data_dir: Path | None = None
    db: Database | None = None
    url: str = ""
    actor: Actor | None = None
    app: QApplication | None = None
    windows: list[QMainWindow] = field(default_factory=list)

    def close(self) -> None:
        for window in self.windows:
            window.close()
        if self.db is not None:
            self.db.dispose()


class SelfTest:
    """The steps in order; each returns a short line of what it checked, or raises."""

    def __init__(self, data_dir: Path | None) -> None:
        self._given_dir = data_dir
        self.state = _State()

    def steps(self) -> tuple[tuple[str, Callable[[], str]], ...]:
        return (
            ("data folder", self.data_folder),
            ("database", self.database),
            ("demo plant", self.demo_plant),
            ("main window", self.main_window),
            ("work-order sheet", self.sheet),
            ("OPC UA", self.opcua),
        )

    def data_folder(self) -> str:
        from desktop.store.database import DB_FILENAME

        if self._given_dir is None:
            folder = Path(tempfile.mkdtemp(prefix="wrenchbook-self-test-"))
        else:
            folder = self._given_dir
            folder.mkdir(parents=True, exist_ok=True)
            if (folder / DB_FILENAME).exists():
                raise RuntimeError(f"{folder} already holds a database; give an empty folder")
        probe = folder / "write-probe"
        probe.write_bytes(b"ok")
        probe.unlink()
        self.state.data_dir = folder
        return str(folder)

    def database(self) -> str:
        from desktop.store.database import DB_FILENAME, Database
        from desktop.store.migrate import HEAD_REVISION, current_revision, upgrade

        folder = self._folder()
        self.state.url = f"sqlite:///{folder / DB_FILENAME}"
        self.state.db = Database(self.state.url)
        upgrade(self.state.db)
        revision = current_revision(self.state.db)
        if revision != HEAD_REVISION:
            raise RuntimeError(f"schema at {revision}, expected {HEAD_REVISION}")
        return f"SQLite created and migrated to {revision}"

    def demo_plant(self) -> str:
        from desktop.demo.plant import DemoPlantService
        from desktop.domain.enums import Role
        from desktop.services.admin.users import UserService

        db = self._db()
        summary = DemoPlantService(db).build(scale=DEMO_SCALE, years=DEMO_YEARS)
        planner = next(a for a in summary.accounts if a.role is Role.PLANNER)
        self.state.actor = UserService(db).actor_for(planner.username)
        return f"{summary.assets} assets, {summary.users} users, {summary.work_orders} work orders"

    def main_window(self) -> str:
        # Before Qt loads: a self-test on a build server has no screen.
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from PySide6.QtCore import QSettings
        from PySide6.QtWidgets import QApplication

        from desktop.services.admin.workstation_settings import SETTINGS_FILE
        from ui import theme
        from ui.context import AppContext
        from ui.main_window import MainWindow
        from ui.opening import describe

        folder, db = self._folder(), self._db()
        assert self.state.actor is not None, "the demo plant step gives the planner"
        app = QApplication.instance() or QApplication([sys.argv[0]])
        assert isinstance(app, QApplication)
        self.state.app = app
        theme.apply(app)
        settings = QSettings(str(folder / SETTINGS_FILE), QSettings.Format.IniFormat)
        context = AppContext(db, self.state.actor, folder)
        # As a start shows it: the shell first, filled once somebody logged in.
        window = MainWindow(None, settings)
        self.state.windows.append(window)
        window.resize(*WINDOW_SIZE)
        window.show()
        app.processEvents()
        window.attach(context, describe(self.state.url))
        window.start_background(watch=False)
        app.processEvents()
        image = window.grab().toImage()
        path = folder / "main-window.png"
        if not image.save(str(path)):
            raise RuntimeError(f"cannot write {path}")
        colours = _colours(image)
        if colours < MIN_COLOURS:
            raise RuntimeError(f"the window rendered blank ({colours} colours)")
        platform = app.platformName()
        return f"{image.width()}x{image.height()} on '{platform}', {colours} colours, {path.name}"

    def sheet(self) -> str:
        from desktop.reports.sheet import print_sheets
        from desktop.services.orders.work_orders import WorkOrderService

        folder, db = self._folder(), self._db()
        rows = WorkOrderService(db).search(limit=1)
        if not rows:
            raise RuntimeError("the demo plant holds no work order")
        out = folder / "sheet.pdf"
        result = print_sheets(db, [rows[0].number], out)
        if out.read_bytes()[:5] != b"%PDF-" or result.pages < 1:
            raise RuntimeError(f"{out} is not a PDF with pages")
        return f"{rows[0].number}: {result.pages} page(s), {out.stat().st_size:,} bytes"

    def opcua(self) -> str:
        """The plant pipeline as the app runs it: in its child process (a spawned copy of
        this program, which the frozen bundle must hand over to), with the simulator."""
        import numpy as np

        from desktop.domain.condition import DataKind
        from desktop.plant.buffer import SampleBlock
        from desktop.plant.connection import Connection
        from desktop.plant.pipeline_process import Failed, PipelineProcess, PipelineSpec
        from desktop.plant.simulator import SimulatorOptions
        from desktop.services.condition.plant_tags import PlantTagService
        from ui.plant_link import free_port

        tag = next(t for t in PlantTagService(self._db()).tags() if t.kind is DataKind.ANALOG)
        assert self.state.actor is not None, "the demo plant step gives the planner"
        options = SimulatorOptions(port=free_port(), pki_dir=self._folder() / "pki-simulator")
        spec = PipelineSpec(self._db().url, self.state.actor, Connection(options.endpoint), options)
        process = PipelineProcess(spec)
        process.show(frozenset({tag.id}))
        process.start()
        try:
            deadline = time.monotonic() + OPCUA_TIMEOUT_S
            while time.monotonic() < deadline:
                for message in process.receive():
                    if isinstance(message, Failed):
                        raise RuntimeError(f"the plant process failed: {message.message}")
                    if isinstance(message, SampleBlock) and (~np.isnan(message.values)).any():
                        value = message.values[~np.isnan(message.values)][-1]
                        return (
                            f"read {tag.name} = {value:g} {tag.unit} from the simulator, "
                            f"in the plant process"
                        )
                if not process.running:
                    raise RuntimeError(f"the plant process ended (exit code {process.exitcode})")
                time.sleep(0.2)
            raise RuntimeError(f"no value of {tag.name} within {OPCUA_TIMEOUT_S:.0f} s")
        finally:
            process.stop()

    def _folder(self) -> Path:
        assert self.state.data_dir is not None, "the data folder step comes first"
        return self.state.data_dir

    def _db(self) -> Database:
        assert self.state.db is not None, "the database step comes before"
        return self.state.db


def _colours(image: object) -> int:
    """Distinct colours on a grid of points over the image (a whole scan is needlessly slow)."""
    from PySide6.QtGui import QImage

    assert isinstance(image, QImage)
    step = 7
    seen = {
        image.pixel(x, y)
        for x in range(0, image.width(), step)
        for y in range(0, image.height(), step)
    }
    return len(seen)


def parse(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="wrenchbook --self-test",
        description="Check this installation end to end in a throwaway data folder.",
    )
    parser.add_argument("--self-test", action="store_true", required=True)
    parser.add_argument(
        "--data-dir",
        type=Path,
        metavar="DIR",
        help="work in DIR (new or empty; kept) instead of a temporary folder",
    )
    return parser.parse_args(list(argv))


def run(argv: Sequence[str]) -> int:
    """Runs every step in order; 0 when all pass, 1 at the first failure (named on stderr)."""
    args = parse(argv)
    for stream in (sys.stdout, sys.stderr):
        # A redirected Windows console writes cp1252: an error's odd character must not crash
        # the report of it. (A windowed executable may have no streams at all.)
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")
    frozen = "frozen bundle" if getattr(sys, "frozen", False) else "from source"
    print(f"Wrenchbook {app_version()} self-test ({frozen}, Python {sys.version.split()[0]})")
    test = SelfTest(args.data_dir)
    began = time.perf_counter()
    failed: str | None = None
    try:
        for name, step in test.steps():
            start = time.perf_counter()
            try:
                detail = step()
            # Whatever breaks in a step is the answer the self-test exists to give.
            except Exception as exc:  # noqa: BLE001
                seconds = time.perf_counter() - start
                print(f"FAIL  {name:<17} {seconds:6.2f} s  {type(exc).__name__}: {exc}", flush=True)
                failed = f"self-test failed at step '{name}': {type(exc).__name__}: {exc}"
                break
            seconds = time.perf_counter() - start
            print(f"ok    {name:<17} {seconds:6.2f} s  {detail}", flush=True)
    finally:
        test.state.close()
    folder = test.state.data_dir
    if failed is not None:
        print(failed, file=sys.stderr)
        if folder is not None:
            print(f"the files of this run are kept in {folder}", file=sys.stderr)
        return 1
    if args.data_dir is None and folder is not None:
        shutil.rmtree(folder, ignore_errors=True)
    print(f"self-test passed in {time.perf_counter() - began:.2f} s")
    return 0
