"""Attacks on the audit trail from a SQL client, and the anchors that expose a rewrite.

Each test is an attack tried by hand first; on PostgreSQL the database refuses the change and
the tables stay as they were, and where only a superuser gets through (triggers off), the
anchor printed earlier makes `verify-audit` name the damage on both engines.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from desktop.cli import main
from desktop.domain.enums import Status
from desktop.services.orders.work_order_records import WorkOrderDraft
from desktop.services.orders.work_orders import WorkOrderService
from desktop.services.shared import audit
from desktop.store.models import RowAuditEntry
from tests.integration.workflow import drive_to, raise_order
from tests.tamper import tamper

POSTGRES_ONLY = pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def history(db, actors, clock):
    service = WorkOrderService(db, clock)
    for _ in range(2):
        wo = raise_order(service, actors["admin"])
        drive_to(service, actors["admin"], wo.number, Status.CLOSED, clock)
    result = audit.verify(db)
    assert result.ok, result.describe()
    return result


def _trails(db) -> tuple[list[tuple], list[tuple], tuple, tuple]:
    with db.engine.connect() as conn:
        return (
            conn.execute(text("SELECT * FROM audit_log ORDER BY seq")).all(),
            conn.execute(text("SELECT * FROM row_audit ORDER BY seq")).all(),
            conn.execute(text("SELECT seq, hash FROM audit_head")).one(),
            conn.execute(text("SELECT seq, hash FROM row_audit_head")).one(),
        )


def _refused(db, sql: str, **params: object) -> str:
    """Run `sql` as the app's own login; returns the database's refusal."""
    before = _trails(db)
    with pytest.raises(DBAPIError) as caught, db.engine.begin() as conn:
        conn.execute(text(sql), params)
    assert _trails(db) == before, "a refused statement changed the trails"
    return str(caught.value.orig)


@POSTGRES_ONLY
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_log SET username = 'sam' WHERE seq = 5",
        "DELETE FROM audit_log WHERE seq > 10",
        "TRUNCATE audit_log",
        "UPDATE row_audit SET db_user = 'sam' WHERE seq = 3",
        "DELETE FROM row_audit",
        "TRUNCATE row_audit CASCADE",
    ],
)
def test_audit_trails_refuse_update_delete_and_truncate(db, history, sql):
    assert "append-only" in _refused(db, sql)


@POSTGRES_ONLY
def test_audit_head_cannot_be_moved_back(db, history):
    message = _refused(
        db, "UPDATE audit_head SET seq = 3, hash = (SELECT hash FROM audit_log WHERE seq = 3)"
    )
    assert "moves only forward" in message


@POSTGRES_ONLY
def test_row_log_is_written_only_by_the_database(db, history):
    assert "row-audit trigger" in _refused(
        db,
        "INSERT INTO row_audit VALUES (999, now(), 'tom', 'update', 'users', '4', NULL, NULL, "
        ":h, :h)",
        h="0" * 64,
    )
    assert "row-audit trigger" in _refused(db, "UPDATE row_audit_head SET seq = 1")


@POSTGRES_ONLY
def test_psql_change_is_recorded_with_the_database_user_and_server_clock(db, history):
    # The attack: a role change with a SQL client, no service call, no audit_log entry.
    with db.engine.begin() as conn:
        login = conn.execute(text("SELECT session_user")).scalar_one()
        conn.execute(text("UPDATE users SET role = 'admin' WHERE username = 'tom'"))
    with db.unit_of_work(write=False) as session:
        last = session.execute(
            select(RowAuditEntry).order_by(RowAuditEntry.seq.desc()).limit(1)
        ).scalar_one()
    assert (last.operation, last.table_name, last.db_user) == ("update", "users", login)
    assert '"role": "technician"' in last.before_json
    assert '"role": "admin"' in last.after_json
    assert "password_hash" not in last.after_json
    assert abs(last.at - datetime.now(UTC)) < timedelta(minutes=5)
    assert audit.verify(db).ok


@POSTGRES_ONLY
def test_workstation_clock_skew_does_not_date_the_row_log(db, actors, clock):
    clock.now = datetime(2031, 1, 1, tzinfo=UTC)  # a workstation whose clock is years ahead
    wo = raise_order(WorkOrderService(db, clock), actors["admin"])
    with db.unit_of_work(write=False) as session:
        stamps = session.execute(
            select(RowAuditEntry.at).where(
                RowAuditEntry.table_name == "work_orders",
                RowAuditEntry.after_json.contains(wo.number),
            )
        ).scalars()
        assert all(at.year < 2031 for at in stamps)


@POSTGRES_ONLY
def test_sql_and_python_hash_row_entries_alike_whatever_the_text(db, actors, clock):
    title = 'tab\t"quote"\\ back\nnew línea ✓ \u2028'
    WorkOrderService(db, clock).create(actors["admin"], WorkOrderDraft(title, "P-101"))
    result = audit.verify(db)
    assert result.ok, result.describe()
    assert result.row_entries > 0


def _rechain_from(db, seq: int) -> None:
    """Rewrite entry `seq` and recompute every hash after it, as a forger with the code would."""
    tamper(db, "UPDATE audit_log SET username = 'mallory' WHERE seq = :s", s=seq)
    with db.engine.connect() as conn:
        rows = conn.execute(text("SELECT * FROM audit_log ORDER BY seq")).mappings().all()
    prev = audit.GENESIS_HASH
    for row in rows:
        digest = audit.entry_hash(
            prev,
            seq=row["seq"],
            at=_aware(row["at"]),
            user_id=row["user_id"],
            username=row["username"],
            action=row["action"],
            entity_type=row["entity_type"],
            entity_id=row["entity_id"],
            before_json=row["before_json"],
            after_json=row["after_json"],
        )
        tamper(
            db,
            "UPDATE audit_log SET prev_hash = :p, hash = :h WHERE seq = :s",
            p=prev,
            h=digest,
            s=row["seq"],
        )
        prev = digest
    tamper(db, "UPDATE audit_head SET hash = :h", h=prev)


def _aware(value: datetime | str) -> datetime:
    if isinstance(value, str):  # SQLite hands back the stored text
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def test_rechained_trail_is_named_once_an_anchor_exists(db, history):
    anchor = history.anchor
    _rechain_from(db, 5)
    assert audit.verify(db).ok, "without an anchor a full rechain verifies: the attack works"
    result = audit.verify(db, anchors=[anchor])
    assert not result.ok
    assert result.first_broken == anchor.seq
    assert "was rewritten and recomputed" in result.describe()


def test_truncated_trail_is_named_once_an_anchor_exists(db, history):
    anchor = history.anchor
    keep = anchor.seq - 4
    tamper(db, "DELETE FROM audit_log WHERE seq > :s", s=keep)
    tamper(
        db,
        "UPDATE audit_head SET seq = :s, hash = (SELECT hash FROM audit_log WHERE seq = :s)",
        s=keep,
    )
    assert audit.verify(db).ok, "without an anchor a cut tail verifies: the attack works"
    result = audit.verify(db, anchors=[anchor])
    assert result.first_broken == anchor.seq
    assert "were removed" in result.describe()


def test_verify_audit_expect_and_checkpoint_file(db_url, db, history, capsys, tmp_path):
    code, out, _ = run(capsys, "verify-audit", "--db", db_url)
    assert code == 0
    printed = out.strip().splitlines()[-1].split()[-1]
    assert printed == str(history.anchor)
    checkpoints = tmp_path / "outside" / "checkpoints.txt"
    assert run(capsys, "verify-audit", "--db", db_url, "--checkpoint", str(checkpoints))[0] == 0
    assert str(history.anchor) in checkpoints.read_text()

    _rechain_from(db, 3)
    code, out, _ = run(capsys, "verify-audit", "--db", db_url, "--expect", printed)
    assert code == 1
    assert f"audit chain broken at entry {history.entries}" in out
    code, out, _ = run(capsys, "verify-audit", "--db", db_url, "--checkpoint", str(checkpoints))
    assert code == 1
    assert checkpoints.read_text().count("\n") == 2 + (history.row_entries > 0), "appended"


@POSTGRES_ONLY
def test_row_log_anchor_names_a_superuser_cut(db, history):
    anchor = history.row_anchor
    tamper(db, "DELETE FROM row_audit WHERE seq > :s", s=anchor.seq - 3)
    tamper(
        db,
        "UPDATE row_audit_head SET seq = :s, hash = (SELECT hash FROM row_audit WHERE seq = :s)",
        s=anchor.seq - 3,
    )
    assert audit.verify(db).ok
    result = audit.verify(db, anchors=[anchor])
    assert result.row_first_broken == anchor.seq
    assert "database row log broken" in result.describe()


def test_malformed_anchor_is_refused_with_the_format(db_url, capsys):
    code, _, err = run(capsys, "verify-audit", "--db", db_url, "--expect", "12:abc")
    assert code != 0
    assert "SEQ:HASH" in err


def test_anchor_text_round_trips():
    digest = hashlib.sha256(b"x").hexdigest()
    assert str(audit.Anchor.parse(f"row:7:{digest}")) == f"row:7:{digest}"
    assert audit.Anchor.parse(f"7:{digest.upper()}") == audit.Anchor(7, digest)
