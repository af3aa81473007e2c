"""What the database's row-audit trigger (migration 0010) costs per write on PostgreSQL.

Two figures, each with the trigger on and off on the same throwaway server: one bare
single-row UPDATE per transaction (the trigger's own cost: a head lock, SHA-256, one insert),
and one WorkOrderService.update call (the cost a person saving a form pays).
"""

from __future__ import annotations

import tempfile
import time
from contextlib import contextmanager
from typing import TYPE_CHECKING

from sqlalchemy import text

from desktop.domain.enums import AssetLevel, Criticality
from desktop.services.admin.users import UserService
from desktop.services.assets.assets import AssetService, NewAsset
from desktop.services.orders.work_order_records import WorkOrderDraft
from desktop.services.orders.work_orders import WorkOrderService
from desktop.store.database import Database
from desktop.store.migrate import upgrade
from tests import pg_server
from tests.bench import Figure

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

BENCH = "audit_triggers"
WRITES = 300
AUDITED_BY_A_SAVE = ("work_orders",)


@contextmanager
def _server() -> Iterator[str]:
    external = pg_server.external_admin_url()
    if external:
        yield external
        return
    with tempfile.TemporaryDirectory(prefix="wb-bench-pg-") as folder:
        server = pg_server.PgServer(folder)
        server.start()
        try:
            yield server.admin_url
        finally:
            server.stop()


def _per_write_us(write: Callable[[int], object]) -> float:
    for i in range(20):
        write(i)
    began = time.perf_counter()
    for i in range(WRITES):
        write(i)
    return (time.perf_counter() - began) / WRITES * 1e6


def _set_trigger(db: Database, verb: str) -> None:
    with db.engine.begin() as conn:
        for table in AUDITED_BY_A_SAVE:
            conn.exec_driver_sql(f"ALTER TABLE {table} {verb} TRIGGER wb_row_audit")


def run() -> list[Figure]:
    with _server() as admin_url:
        name = "wb_bench_audit_triggers"
        pg_server.drop_database(admin_url, name)
        db = Database(pg_server.create_database(admin_url, name))
        try:
            return _measure(db)
        finally:
            db.dispose()
            pg_server.drop_database(admin_url, name)


def _measure(db: Database) -> list[Figure]:
    upgrade(db)
    users = UserService(db)
    users.create_first_admin("admin", "Ada Admin", "bench-horse-battery-7")
    admin = users.actor_for("admin")
    assets = AssetService(db)
    assets.ensure_site(admin, "B", "Bench", "UTC")
    assets.create(admin, NewAsset("AREA", "Area", AssetLevel.AREA, "area", Criticality.A))
    assets.create(
        admin, NewAsset("P-1", "Pump", AssetLevel.EQUIPMENT, "pump", Criticality.A, "AREA")
    )
    service = WorkOrderService(db)
    number = service.create(admin, WorkOrderDraft("Bench order", "P-1")).work_order.number

    def bare(i: int) -> None:
        with db.engine.begin() as conn:
            conn.execute(
                text("UPDATE work_orders SET title = :t WHERE number = :n"),
                {"t": f"Bench order {i}", "n": number},
            )

    def save(i: int) -> None:
        version = service.get(number).row.version
        service.update(admin, number, version, {"title": f"Saved order {i}"})

    measured: dict[str, tuple[float, float]] = {}
    for label, write in (("bare UPDATE", bare), ("WorkOrderService.update", save)):
        _set_trigger(db, "DISABLE")
        without = _per_write_us(write)
        _set_trigger(db, "ENABLE")
        measured[label] = (_per_write_us(write), without)
    return [
        Figure(BENCH, f"{label}, row-audit trigger on", on, "µs/write", off)
        for label, (on, off) in measured.items()
    ]
