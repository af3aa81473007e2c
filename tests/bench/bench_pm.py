"""PM costs on a demo database: generator per order, meter readings per second, forecast."""

from __future__ import annotations

import sqlite3
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from desktop.demo.plant import DemoPlantService
from desktop.domain.pm_rules import IntervalUnit, OnOpen
from desktop.services.admin.users import UserService
from desktop.services.assets.meters import MeterService, NewMeter, ReadingInput
from desktop.services.pm.pm_generator import PMGenerator
from desktop.services.pm.pm_planning import PMPlanningService
from desktop.services.pm.pm_schedules import NewSchedule, PMScheduleService
from desktop.store.database import Database
from desktop.store.migrate import upgrade
from tests.bench import Figure, median_seconds

BENCH = "pm"
SCALE = 20_000
READINGS = 2_000
HORIZON = date(2027, 12, 31)


def run() -> list[Figure]:
    with tempfile.TemporaryDirectory(prefix="wb-bench-pm-") as folder:
        path = Path(folder) / "bench.sqlite3"
        db = Database(f"sqlite:///{path}")
        upgrade(db)
        DemoPlantService(db).build(seed=1, scale=SCALE)
        try:
            figures = [*_generator(db, path), *_readings(db, path), *_forecast(db)]
        finally:
            db.dispose()
    return figures


def _bare_insert_seconds(path: Path, rows: int) -> float:
    """One committed INSERT per row with plain sqlite3: the floor of one durable write each."""
    with sqlite3.connect(path, isolation_level=None) as conn:
        conn.execute("CREATE TABLE IF NOT EXISTS bench_rows (id INTEGER PRIMARY KEY, v TEXT)")
        began = time.perf_counter()
        for n in range(rows):
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("INSERT INTO bench_rows (v) VALUES (?)", (f"row {n}",))
            conn.execute("COMMIT")
        return (time.perf_counter() - began) / rows


def _generator(db: Database, path: Path) -> list[Figure]:
    """Each due date is its own unit of work (occurrence, order, checklist, audit)."""
    actor = UserService(db).actor_for("kbrandt")
    schedules = PMScheduleService(db)
    for n in range(20):
        schedules.create(
            actor,
            NewSchedule(
                f"BENCH-{n}", "BOT-SYR-CRB-P2", f"Bench round {n}", date(2027, 1, 4) + timedelta(n),
                1, IntervalUnit.WEEKS, on_open=OnOpen.STACK, checklist_code="CL-PUMP",
            ),
        )  # fmt: skip
    began = time.perf_counter()
    created = len(PMGenerator(db).run(actor, until=HORIZON).created)
    per_order = (time.perf_counter() - began) / created
    began = time.perf_counter()
    again = PMGenerator(db).run(actor, until=HORIZON)
    idle = time.perf_counter() - began
    bare = _bare_insert_seconds(path, 200)
    return [
        Figure(BENCH, f"generator per order ({created} orders)", per_order * 1000, "ms",
               bare * 1000, "report (bare: one committed sqlite3 insert)"),
        Figure(BENCH, f"generator re-run, nothing due ({len(again.occurrences)} made)", idle, "s",
               target="under 2 s for the demo plant", limit_value=2.0),
    ]  # fmt: skip


def _readings(db: Database, path: Path) -> list[Figure]:
    """A tag feed's batch of readings in one call, against a bare executemany of the rows."""
    admin = UserService(db).actor_for("admin")
    meters = MeterService(db)
    meters.create(admin, NewMeter("BENCH-RH", "BOT-SYR-CRB-P2", "Bench hours"))
    start = datetime.now(UTC) - timedelta(hours=READINGS + 1)
    batch = [
        ReadingInput("BENCH-RH", n * 0.9, start + timedelta(hours=n), "opcua:bench")
        for n in range(READINGS)
    ]
    began = time.perf_counter()
    meters.record_readings(admin, batch)
    rate = READINGS / (time.perf_counter() - began)
    with sqlite3.connect(path, isolation_level=None) as conn:
        conn.execute("CREATE TABLE bench_readings (at TEXT, value REAL, total REAL)")
        began = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(
            "INSERT INTO bench_readings VALUES (?, ?, ?)",
            [(r.at.isoformat(), r.value, r.value) for r in batch],
        )
        conn.execute("COMMIT")
        bare = READINGS / (time.perf_counter() - began)
    # Seconds per reading, so that value ÷ baseline is how many times the bare insert it costs.
    return [
        Figure(BENCH, f"meter reading ({READINGS} in one batch)", 1 / rate, "s/reading",
               1 / bare, "report (bare: sqlite3 executemany)"),
    ]  # fmt: skip


def _forecast(db: Database) -> list[Figure]:
    planning = PMPlanningService(db)
    first = date(2027, 3, 1)
    seconds = median_seconds(lambda: planning.load(first, date(2027, 3, 31)), repeat=5, warmup=1)
    return [
        Figure(BENCH, "month view: forecast + load per craft", seconds, "s",
               target="under 1 s", limit_value=1.0),
    ]  # fmt: skip
