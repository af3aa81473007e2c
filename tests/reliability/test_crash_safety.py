"""A writer process SIGKILLed at random moments loses no acknowledged write and breaks nothing.

The delays are random but seeded; the seed is printed (run with -s to see it) and
$WRENCHBOOK_CRASH_SEED replays a run.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import func, select

from desktop.cli import main as cli_main
from desktop.domain.enums import Status
from desktop.services.admin.users import UserService
from desktop.services.shared import audit
from desktop.services.stock.inventory import InventoryService
from desktop.store.database import Database, sqlite_path
from desktop.store.inventory_models import StockMovement
from desktop.store.models import Asset, AuditEntry, LabourEntry, WorkOrder
from tests.integration.stock import ledger_matches, stock_room
from tests.reliability import crash_writer

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

pytestmark = pytest.mark.both_engines  # durability of acknowledged writes per engine

KINDS = ("work order", "stock", "audit")
KILLS = {"sqlite": 51, "postgresql": 15}
WARM_UP_S = (0.0, 0.25)
"""How long a writer runs before the test starts looking for the write kind to kill in."""
IN_FLIGHT_S = (0.0, 0.015)
"""How long after a write began the kill lands: before, during or just after its commit."""

_forkserver = multiprocessing.get_context("forkserver")
_forkserver.set_forkserver_preload(["tests.reliability.crash_writer"])


@dataclass
class Acks:
    """Everything the killed writers acknowledged, and where each kill landed."""

    created: dict[str, str] = field(default_factory=dict)
    edited: dict[str, str] = field(default_factory=dict)
    moved: dict[str, str] = field(default_factory=dict)
    movements: dict[int, tuple[float, float]] = field(default_factory=dict)
    labour: dict[int, tuple[str, float]] = field(default_factory=dict)
    kills: Counter[str] = field(default_factory=Counter)
    """Kills by the kind of write that had begun last when the signal landed."""

    def take(self, message: tuple[object, ...]) -> None:
        kind, *rest = message
        if kind == "created":
            number, title = rest
            self.created[str(number)] = str(title)
        elif kind == "edited":
            number, _version, text = rest
            self.edited[str(number)] = str(text)
        elif kind == "moved":
            number, status = rest
            self.moved[str(number)] = str(status)
        elif kind == "movement":
            movement_id, quantity, unit_cost = rest
            self.movements[int(movement_id)] = (float(quantity), float(unit_cost))  # type: ignore[arg-type]
        elif kind == "labour":
            labour_id, number, hours = rest
            self.labour[int(labour_id)] = (str(number), float(hours))  # type: ignore[arg-type]

    @property
    def total(self) -> int:
        return sum(map(len, (self.created, self.edited, self.moved, self.movements, self.labour)))


def _drain(pipe: Connection, acks: Acks, timeout: float) -> tuple[object, ...] | None:
    """Read one message if one comes within `timeout`; acknowledgements are recorded."""
    if not pipe.poll(timeout):
        return None
    message: tuple[object, ...] = pipe.recv()
    acks.take(message)
    return message


def _run_and_kill(url: str, run: int, target: str, rng: random.Random, acks: Acks) -> None:
    """Start a writer, let it work, wait until a `target` write begins, SIGKILL it."""
    ours, theirs = _forkserver.Pipe(duplex=False)
    writer = _forkserver.Process(target=crash_writer.write_forever, args=(url, run, theirs))
    writer.start()
    theirs.close()
    try:
        while _drain(ours, acks, 60) != ("ready",):
            pass
        warm_until = time.monotonic() + rng.uniform(*WARM_UP_S)
        while time.monotonic() < warm_until:
            _drain(ours, acks, 0.01)
        while _drain(ours, acks, 60) != ("begin", target):
            pass
        time.sleep(rng.uniform(*IN_FLIGHT_S))
        os.kill(writer.pid, signal.SIGKILL)  # type: ignore[arg-type]
        writer.join(30)
        in_flight = target
        while True:
            try:
                message = _drain(ours, acks, 0)
            except EOFError:
                break
            if message is None:
                break
            if message[0] == "begin":
                in_flight = str(message[1])
        acks.kills[in_flight] += 1
    finally:
        if writer.is_alive():
            writer.kill()
            writer.join(30)
        ours.close()
    assert writer.exitcode == -signal.SIGKILL


def _lost_writes(db: Database, acks: Acks) -> list[str]:
    """Every acknowledged write that is missing or holds other values than acknowledged."""
    lost: list[str] = []
    with db.unit_of_work(write=False) as session:
        orders = {
            wo.number: wo
            for wo in session.execute(
                select(WorkOrder).where(WorkOrder.number.in_(acks.created.keys()))
            ).scalars()
        }
        pump = session.execute(select(Asset.id).where(Asset.code == "P-101")).scalar_one()
        for number, title in acks.created.items():
            wo = orders.get(number)
            if wo is None or wo.title != title or wo.asset_id != pump:
                lost.append(f"created {number} {title!r}")
        for number, text in acks.edited.items():
            if number not in orders or orders[number].description != text:
                lost.append(f"edited {number} {text!r}")
        for number, status in acks.moved.items():
            if number not in orders or orders[number].status.value != status:
                lost.append(f"moved {number} to {status}")
        rows = session.execute(
            select(StockMovement.id, StockMovement.quantity, StockMovement.unit_cost).where(
                StockMovement.id.in_(acks.movements.keys())
            )
        ).all()
        found = {row.id: (row.quantity, row.unit_cost) for row in rows}
        lost += [f"movement {i} {v}" for i, v in acks.movements.items() if found.get(i) != v]
        entries = session.execute(
            select(LabourEntry.id, WorkOrder.number, LabourEntry.hours)
            .join(WorkOrder, WorkOrder.id == LabourEntry.work_order_id)
            .where(LabourEntry.id.in_(acks.labour.keys()))
        ).all()
        booked = {row.id: (row.number, row.hours) for row in entries}
        lost += [f"labour {i} {v}" for i, v in acks.labour.items() if booked.get(i) != v]
    return lost


def _half_saved_orders(db: Database) -> tuple[int, int]:
    """Work orders and their creation audit entries: equal when no unit was half-saved."""
    with db.unit_of_work(write=False) as session:
        orders = session.execute(select(func.count()).select_from(WorkOrder)).scalar_one()
        created = session.execute(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.action == "create", AuditEntry.entity_type == "work_order")
        ).scalar_one()
    return orders, created


def test_killed_writers_lose_no_acknowledged_write(db, db_url, actors, capsys):
    engine = db.dialect
    seed = int(os.environ.get("WRENCHBOOK_CRASH_SEED") or random.SystemRandom().randrange(2**32))
    rng = random.Random(seed)
    stock_room(InventoryService(db), actors["admin"])
    acks = Acks()
    started = time.monotonic()
    for run in range(KILLS[engine]):
        _run_and_kill(db_url, run, KINDS[run % len(KINDS)], rng, acks)
    killing_s = time.monotonic() - started
    with capsys.disabled():
        print(
            f"\ncrash safety on {engine}: seed {seed}, {sum(acks.kills.values())} kills in "
            f"{killing_s:.1f} s ({dict(acks.kills)}), {acks.total} acknowledged writes "
            f"({len(acks.created)} orders, {len(acks.edited)} edits, {len(acks.moved)} moves, "
            f"{len(acks.movements)} stock movements, {len(acks.labour)} labour entries)"
        )

    db.dispose()
    checked = Database(db_url)
    try:
        path = sqlite_path(db_url)
        if path is not None:
            with checked.engine.connect() as conn:
                assert conn.exec_driver_sql("PRAGMA integrity_check").scalars().all() == ["ok"]
                assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
        assert _lost_writes(checked, acks) == []
        assert ledger_matches(checked) == []
        orders, created = _half_saved_orders(checked)
        assert orders == created
        assert orders >= len(acks.created)
        verification = audit.verify(checked)
        assert verification.ok, verification.describe()
        assert sum(acks.kills.values()) == KILLS[engine]
        # The CLI check an administrator would run after a crash agrees.
        assert cli_main(["verify-audit", "--db", db_url]) == 0
        assert "audit chain intact" in capsys.readouterr().out
        # The database is still usable: a new writer works on it.
        admin = UserService(checked).actor_for("admin")
        assert InventoryService(checked).receive(admin, "P-1001", 1, "A-12", unit_cost=1.0).id
        assert Status.APPROVED.value in set(acks.moved.values())
    finally:
        checked.dispose()
