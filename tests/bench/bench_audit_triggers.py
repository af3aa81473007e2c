"""What the database's row-audit trigger (migration 0010) costs per write on PostgreSQL.

Two figures, each with the trigger on and off on the same throwaway server: one bare
single-row UPDATE per transaction (the trigger's own cost: a head lock, SHA-256, one insert),
and one WorkOrderService.update call (the cost a person saving a form pays). A third: the
same save through a planner's personal login, where every check applies (lifecycle and
actor triggers, the audit time from the server's clock), against the owner's save.
"""

from __future__ import annotations

import tempfile
import time
from contextlib import contextmanager
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.engine import make_url

from desktop.domain.enums import AssetLevel, Criticality, Role
from desktop.services.admin.users import NewUser, UserService
from desktop.services.assets.assets import AssetService, NewAsset
from desktop.services.orders.work_order_records import WorkOrderDraft
from desktop.services.orders.work_orders import WorkOrderService
from desktop.store.database import Database
from desktop.store.db_roles import login_name
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
    users.create(admin, NewUser("pat", "Pat Planner", Role.PLANNER, "bench-horse-battery-7"))
    pat = users.actor_for("pat")
    personal = Database(
        make_url(db.url).set(username=login_name("pat")).render_as_string(hide_password=False)
    )
    try:
        planner = WorkOrderService(personal)

        def save_as_pat(i: int) -> None:
            version = planner.get(number).row.version
            planner.update(pat, number, version, {"title": f"Planned order {i}"})

        checked = _per_write_us(save_as_pat)
    finally:
        personal.dispose()
    return [
        *(
            Figure(BENCH, f"{label}, row-audit trigger on", on, "µs/write", off)
            for label, (on, off) in measured.items()
        ),
        Figure(
            BENCH,
            "WorkOrderService.update through a personal login (all checks on)",
            checked,
            "µs/write",
            measured["WorkOrderService.update"][0],
        ),
    ]
