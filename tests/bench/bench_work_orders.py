"""Work-order service costs against bare SQLAlchemy / sqlite3, on a 100k-order demo database."""

from __future__ import annotations

import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import insert

from desktop.demo.plant import DemoPlantService
from desktop.domain.enums import Origin, Priority, Status, WorkOrderType
from desktop.services.admin.users import UserService
from desktop.services.orders.work_order_records import WorkOrderDraft
from desktop.services.orders.work_orders import SearchFilter, WorkOrderService
from desktop.store.database import Database
from desktop.store.migrate import upgrade
from desktop.store.models import WorkOrder
from tests.bench import Figure, median_seconds

BENCH = "work_orders"
ROOT = Path(__file__).resolve().parents[2]
SCALE = 100_000
CREATE_CALLS = 300
SEARCH_REPEAT = 30
FULL_SCALE = 1_000_000

# The statement WorkOrderService.search emits on SQLite, written out by hand: same joins,
# columns, LIKE, ORDER BY and LIMIT, so the ratio is the service's own cost.
RAW_SEARCH = """
SELECT wo.id, wo.number, wo.title, wo.type, wo.priority, wo.status, a.code, a.name,
       wo.requested_at, wo.due_at, wo.scheduled_start, wo.completed_at, wo.version
FROM work_orders wo JOIN assets a ON a.id = wo.asset_id
WHERE wo.status IN (?) {text}
ORDER BY wo.id DESC LIMIT ? OFFSET ?
"""
RAW_TEXT = (
    "AND (lower(wo.number) LIKE lower(?) ESCAPE '\\' OR lower(wo.title) LIKE lower(?) "
    "ESCAPE '\\' OR lower(a.code) LIKE lower(?) ESCAPE '\\')"
)


def run() -> list[Figure]:
    with tempfile.TemporaryDirectory(prefix="wb-bench-") as folder:
        path = Path(folder) / "bench.sqlite3"
        db = Database(f"sqlite:///{path}")
        upgrade(db)
        summary = DemoPlantService(db).build(seed=1, scale=SCALE)
        print(f"   demo database: {SCALE:,} work orders in {summary.seconds:.1f} s", flush=True)
        try:
            figures = [*_create(db), *_search(db, path)]
        finally:
            db.dispose()
    figures += _full_demo()
    return figures


def _create(db: Database) -> list[Figure]:
    """Median latency of one create (validation, duplicate check, history, audit, commit)."""
    service = WorkOrderService(db)
    actor = UserService(db).actor_for("kbrandt")
    draft = WorkOrderDraft(
        title="Bench: check pump seal",
        asset_code="BOT-SYR-SUG-P1",
        type=WorkOrderType.CORRECTIVE,
        estimate_hours=2.0,
    )
    samples = []
    for _ in range(CREATE_CALLS):
        began = time.perf_counter()
        service.create(actor, draft)
        samples.append(time.perf_counter() - began)

    table = WorkOrder.__table__
    with db.engine.connect() as conn:
        asset_id = conn.exec_driver_sql(
            "SELECT id FROM assets WHERE code = ?", (draft.asset_code,)
        ).scalar_one()
    bare = []
    for i in range(CREATE_CALLS):
        now = datetime.now(UTC)
        row = {
            "number": f"BENCH-{i:06d}",
            "title": draft.title,
            "description": "",
            "type": draft.type.value,
            "priority": int(Priority.MEDIUM),
            "status": Status.REQUESTED.value,
            "origin": Origin.REQUEST.value,
            "asset_id": asset_id,
            "requester_id": actor.user_id,
            "requested_at": now,
            "due_at": now + Priority.MEDIUM.default_due_in,
            "estimate_hours": draft.estimate_hours,
            "asset_down": False,
            "is_failure": False,
            "resolution": "",
            "version": 1,
            "updated_at": now,
            "updated_by_id": actor.user_id,
        }
        began = time.perf_counter()
        with db.engine.begin() as conn:
            conn.execute(insert(table), row)
        bare.append(time.perf_counter() - began)
    return [
        Figure(
            BENCH,
            "create: median latency of WorkOrderService.create",
            statistics.median(samples) * 1000,
            "ms",
            baseline=statistics.median(bare) * 1000,
        )
    ]


def _search(db: Database, path: Path) -> list[Figure]:
    """Filtered, searched list pages against the same statement through bare sqlite3."""
    service = WorkOrderService(db)
    raw = sqlite3.connect(path)
    figures = []
    try:
        for label, status, text in (
            ("closed + text 'seal'", Status.CLOSED, "seal"),
            ("in_progress, no text", Status.IN_PROGRESS, ""),
        ):
            criteria = SearchFilter(statuses=(status,), text=text)
            if text:
                pattern = f"%{text}%"
                sql = RAW_SEARCH.format(text=RAW_TEXT)
                params: tuple[object, ...] = (status.value, pattern, pattern, pattern, 500, 0)
            else:
                sql = RAW_SEARCH.format(text="")
                params = (status.value, 500, 0)
            rows = service.search(criteria, limit=500)
            bare_rows = raw.execute(sql, params).fetchall()
            if [r.number for r in rows] != [r[1] for r in bare_rows]:
                raise AssertionError(f"search {label}: the raw query returns other rows")
            value = median_seconds(lambda c=criteria: service.search(c, limit=500), SEARCH_REPEAT)
            baseline = median_seconds(
                lambda s=sql, p=params: raw.execute(s, p).fetchall(), SEARCH_REPEAT
            )
            figures.append(
                Figure(
                    BENCH,
                    f"search {label} ({len(rows)} rows of {SCALE:,})",
                    value * 1000,
                    "ms",
                    baseline=baseline * 1000,
                    target="<= 2x raw sqlite3",
                    limit_ratio=2.0,
                )
            )
    finally:
        raw.close()
    return figures


def _full_demo() -> list[Figure]:
    """`main.py demo --scale 1000000` into a fresh folder, as a user would run it."""
    with tempfile.TemporaryDirectory(prefix="wb-bench-demo-") as folder:
        began = time.perf_counter()
        done = subprocess.run(
            [
                sys.executable,
                str(ROOT / "main.py"),
                "--data-dir",
                folder,
                "demo",
                "--scale",
                str(FULL_SCALE),
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        seconds = time.perf_counter() - began
    match = re.search(r"elapsed: [\d.]+ s \(([\d,]+) rows/s\)", done.stdout)
    rate = float(match.group(1).replace(",", "")) if match else float("nan")
    phases = next((line.strip() for line in done.stdout.splitlines() if "history" in line), "")
    print(f"   demo --scale {FULL_SCALE:,}: {phases}", flush=True)
    return [
        Figure(BENCH, f"demo --scale {FULL_SCALE:,}: wall time (CLI)", seconds, "s"),
        Figure(BENCH, f"demo --scale {FULL_SCALE:,}: rows written per second", rate, "rows/s"),
    ]
