"""Backup and restore on both engines: every table comes back; a bad file changes nothing."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import select

from desktop.cli import main as cli_main
from desktop.demo.plant import DemoPlantService
from desktop.domain.enums import AssetLevel, Role, Status
from desktop.services.admin.users import NewUser, UserService
from desktop.services.orders.work_order_records import WorkOrderDraft
from desktop.services.orders.work_orders import WorkOrderService
from desktop.services.shared import audit
from desktop.services.stock.inventory import InventoryService
from desktop.store.database import Database
from desktop.store.migrate import upgrade
from desktop.store.models import Asset, AuditEntry
from tests.conftest import PASSWORD
from tests.integration.stock import stock_room
from tests.reliability.conftest import fingerprint
from tests.reliability.first_revision import (
    as_upgraded,
    create_at_first_revision,
    fill,
    first_tables,
)

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = (
    pytest.mark.both_engines
)  # backup copies from each engine (PostgreSQL from one snapshot)

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
AUDIT = ("audit_log", "audit_head")


@pytest.fixture(autouse=True)
def _as_admin(monkeypatch: pytest.MonkeyPatch) -> None:
    """Restores run as the seeded admin unless a test says otherwise."""
    monkeypatch.setenv("WRENCHBOOK_USER", "admin")
    monkeypatch.setenv("WRENCHBOOK_PASSWORD", PASSWORD)


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli_main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _change_things(db: Database) -> None:
    """What happens after a backup: new orders, moves, stock, a user, an edited record."""
    admin = UserService(db).actor_for("admin")
    orders = WorkOrderService(db)
    stock = InventoryService(db)
    with db.unit_of_work(write=False) as session:
        asset = (
            session.execute(
                select(Asset.code).where(Asset.level == AssetLevel.EQUIPMENT).order_by(Asset.id)
            )
            .scalars()
            .first()
        )
    assert asset is not None
    if not stock.bins():
        stock_room(stock, admin)
    for i in range(5):
        row = orders.create(admin, WorkOrderDraft(f"after the backup {i}", asset)).work_order
        orders.transition(admin, row.number, Status.APPROVED)
    some = orders.search()[0]
    orders.update(admin, some.number, some.version, {"title": "renamed after the backup"})
    part = stock.parts()[0]
    stock.receive(admin, part.number, 3, stock.bins()[0][0], unit_cost=2.5)
    UserService(db).create(
        admin, NewUser("late", "Late Joiner", Role.TECHNICIAN, PASSWORD, "electrical", 30, 40)
    )


def test_backup_and_restore_give_back_every_table_of_the_demo_plant(empty_url, tmp_path, capsys):
    url = empty_url()
    db = Database(url)
    upgrade(db)
    DemoPlantService(db, lambda: NOW).build(seed=7, scale=300, years=1)
    users = UserService(db, lambda: NOW)
    users.set_password(users.actor_for("admin"), "admin", PASSWORD)
    before = fingerprint(db)
    target = tmp_path / "plant.wbk"
    assert _cli(capsys, "backup", "--db", url, "--out", str(target))[::2] == (0, "")

    _change_things(db)
    assert fingerprint(db) != before

    code, out, err = _cli(capsys, "restore", "--db", url, "--from", str(target), "--yes")
    assert (code, err) == (0, "")
    assert "audit entries verified" in out
    after = fingerprint(db)
    for name, rows in before.items():
        if name in AUDIT:
            continue
        assert after[name] == rows, name
    # The trail is the backup's, plus one entry that says a restore replaced what followed.
    assert after["audit_log"][:-1] == before["audit_log"]
    with db.unit_of_work(write=False) as session:
        last = session.execute(select(AuditEntry).order_by(AuditEntry.seq.desc())).scalars().first()
        assert last is not None
        assert (last.action, last.entity_type) == ("restore", "database")
    assert audit.verify(db).ok
    # New rows get fresh keys after the restore (PostgreSQL's sequences were moved on).
    admin = UserService(db).actor_for("admin")
    asset = WorkOrderService(db).search()[0].asset_code
    made = WorkOrderService(db).create(admin, WorkOrderDraft("after the restore", asset))
    assert made.work_order.id > max(row[0] for row in before["work_orders"])
    db.dispose()


def _tampered(source: Path, target: Path, sql: str) -> Path:
    target.write_bytes(source.read_bytes())
    with sqlite3.connect(target) as conn:
        conn.execute(sql)
    conn.close()
    return target


def _foreign(target: Path) -> Path:
    with sqlite3.connect(target) as conn:
        conn.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
        conn.execute("INSERT INTO moz_places (url) VALUES ('https://example.org')")
    conn.close()
    return target


DAMAGES = {
    "missing": "there is no backup file",
    "empty": "not a SQLite database file",
    "junk": "not a SQLite database file",
    "truncated": "is damaged",
    "scribbled": "is damaged",
    "foreign": "is not a Wrenchbook backup: it has no alembic_version",
    "newer": "made by another or a newer Wrenchbook (schema revision 9999)",
    "tampered": "fails its audit check: audit chain broken at entry 3",
}


def _damaged(good: Path, damage: str) -> Path:
    data = good.read_bytes()
    bad = good.with_name(f"{damage}.wbk")
    if damage == "empty":
        bad.write_bytes(b"")
    elif damage == "junk":
        bad.write_bytes(bytes(range(256)) * 64)
    elif damage == "truncated":
        bad.write_bytes(data[: len(data) // 3])
    elif damage == "scribbled":
        # The header survives; the pages after it are overwritten.
        bad.write_bytes(data[:100] + b"\xa5" * (len(data) - 100))
    elif damage == "foreign":
        _foreign(bad)
    elif damage == "newer":
        _tampered(good, bad, "UPDATE alembic_version SET version_num = '9999'")
    elif damage == "tampered":
        _tampered(good, bad, "UPDATE audit_log SET after_json = '{}' WHERE seq = 3")
    return bad


def test_a_damaged_or_foreign_backup_is_refused_and_changes_nothing(db, db_url, tmp_path, capsys):
    good = tmp_path / "good.wbk"
    assert _cli(capsys, "backup", "--db", db_url, "--out", str(good))[0] == 0
    _change_things(db)
    before = fingerprint(db)
    for damage, message in DAMAGES.items():
        bad = _damaged(good, damage)
        code, out, err = _cli(capsys, "restore", "--db", db_url, "--from", str(bad), "--yes")
        assert (code, out) == (1, ""), damage
        assert err.startswith("error: "), (damage, err)
        assert message in err, (damage, err)
        assert "Traceback" not in err
        assert fingerprint(db) == before, damage
    assert audit.verify(db).ok


def test_only_an_administrator_may_restore_over_a_database_with_users(
    db, db_url, tmp_path, capsys, monkeypatch
):
    good = tmp_path / "good.wbk"
    assert _cli(capsys, "backup", "--db", db_url, "--out", str(good))[0] == 0
    _change_things(db)
    before = fingerprint(db)
    for user in ("sam", None):  # a supervisor, and nobody at all
        if user is None:
            monkeypatch.delenv("WRENCHBOOK_USER")
        else:
            monkeypatch.setenv("WRENCHBOOK_USER", user)
        code, _, err = _cli(capsys, "restore", "--db", db_url, "--from", str(good), "--yes")
        assert code == 1
        assert "may not restore the database" in err or "needs an administrator" in err
        assert fingerprint(db) == before


def test_restore_asks_for_confirmation_first(db, db_url, tmp_path, capsys):
    good = tmp_path / "good.wbk"
    assert _cli(capsys, "backup", "--db", db_url, "--out", str(good))[0] == 0
    _change_things(db)
    before = fingerprint(db)
    code, _, err = _cli(capsys, "restore", "--db", db_url, "--from", str(good))
    assert code == 1
    assert "add --yes" in err
    assert fingerprint(db) == before


def test_a_backup_from_the_first_release_is_upgraded_and_restored(db, db_url, tmp_path, capsys):
    old = create_at_first_revision(f"sqlite:///{tmp_path / 'first-release.sqlite3'}")
    fill(old, orders=200)
    written = fingerprint(old, first_tables())
    old.dispose()
    backup = tmp_path / "first-release.sqlite3"
    original = backup.read_bytes()

    code, out, err = _cli(capsys, "restore", "--db", db_url, "--from", str(backup), "--yes")

    assert (code, err) == (0, "")
    assert "schema revision 0001" in out
    restored = fingerprint(db, first_tables(renamed=True))
    written = as_upgraded(written)
    assert restored["work_orders"] == written["work_orders"]
    assert restored["audit_log"][:-1] == written["audit_log"]
    assert {name: rows for name, rows in restored.items() if name not in AUDIT} == {
        name: rows for name, rows in written.items() if name not in AUDIT
    }
    assert audit.verify(db).ok
    assert backup.read_bytes() == original  # the user's file is never written to
