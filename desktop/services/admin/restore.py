"""Put a backup back: checked first, then every table replaced in one transaction.

A file that is not a Wrenchbook backup, is damaged, comes from a newer Wrenchbook or fails
its own audit check is refused before anything changes. A backup made at an older schema is
upgraded on a private copy first; the user's file is never written to.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import func, select, text

from desktop.domain.errors import PermissionDenied, WrenchbookError
from desktop.domain.permissions import Action, require
from desktop.domain.phrases import Phrase
from desktop.services.shared import audit
from desktop.services.shared.clock import Clock, utc_now
from desktop.store.copying import replace_all
from desktop.store.database import Database
from desktop.store.db_roles import OWNER_ROLE
from desktop.store.kpi_blocks import mark_replaced
from desktop.store.migrate import HEAD_REVISION, current_revision, is_known_revision, upgrade
from desktop.store.models import AuditHead, User, WorkOrder

if TYPE_CHECKING:
    from desktop.domain.permissions import Actor

SQLITE_HEADER = b"SQLite format 3\x00"
WRENCHBOOK_TABLES = frozenset(
    {"alembic_version", "audit_head", "audit_log", "users", "work_orders"}
)
"""Tables every Wrenchbook database has had since the first schema revision."""


@dataclass(frozen=True)
class RestoreResult:
    """What a restore put back; `revision` is the schema the backup was made at."""

    source: Path
    revision: str
    rows: dict[str, int]
    audit_entries: int

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


def restore(
    db: Database, source: Path, actor: Actor | None = None, clock: Clock = utc_now
) -> RestoreResult:
    """Replace everything in `db` with the backup in `source`, and audit that it happened.

    The restore itself is the last audit entry: it chains onto the backup's trail and records
    where the replaced trail ended, so the chain still verifies and the gap is explained.
    """
    if current_revision(db) != HEAD_REVISION:
        raise WrenchbookError("the database is not at this Wrenchbook's schema: open it first")
    _require_restorer(db, actor)
    _require_migrator(db)
    with tempfile.TemporaryDirectory(prefix="wrenchbook-restore-") as folder:
        copy_path = Path(folder) / "backup.sqlite3"
        revision = _checked_copy(source, copy_path)
        backup = Database(f"sqlite:///{copy_path}")
        try:
            _upgrade_copy(backup, source, revision)
            chain = audit.verify(backup)
            if not chain.ok:
                raise WrenchbookError(
                    Phrase(
                        "{source} fails its audit check: {problem}",
                        source=source,
                        problem=chain.describe(),
                    )
                )
            now = clock()
            with backup.engine.connect() as read, db.unit_of_work() as session:
                replaced = session.execute(select(AuditHead.seq)).scalar_one()
                highest = session.execute(select(func.max(WorkOrder.id))).scalar()
                rows = replace_all(read, session.connection())
                # The packed KPI facts are the replaced orders': packed afresh when next read,
                # here and by every workstation that kept them.
                mark_replaced(session.connection(), highest)
                before = {"audit_entries": replaced}
                after = {"backup": source.name, "revision": revision, "rows": sum(rows.values())}
                audit.record(session, actor, "restore", "database", "", before, after, now)
                if db.dialect == "postgresql":
                    # The logins' groups and log-in rights follow the restored users table.
                    session.execute(text("SELECT wb_resync_accounts()"))
        finally:
            backup.dispose()
    return RestoreResult(source, revision, rows, chain.entries)


def _require_migrator(db: Database) -> None:
    """On PostgreSQL a restore replaces tables the owner role owns (the audit heads among
    them): an administrator's personal login may not, the migrator login may."""
    if db.dialect != "postgresql":
        return
    with db.engine.connect() as connection:
        allowed: bool = connection.execute(
            text("SELECT pg_has_role(session_user, :owner, 'MEMBER')"), {"owner": OWNER_ROLE}
        ).scalar_one()
    if not allowed:
        raise WrenchbookError(
            "a restore replaces every table, so on the site server it needs the migrator "
            "login: run `restore --from FILE --yes --db postgresql+psycopg://MIGRATOR@HOST/DB`"
        )


def _require_restorer(db: Database, actor: Actor | None) -> None:
    """An administrator, or nobody on a database without users (recovery onto a new server)."""
    if actor is not None:
        require(actor, Action.RESTORE_BACKUP)
        return
    with db.unit_of_work(write=False) as session:
        if session.execute(select(User.id).limit(1)).first() is not None:
            raise PermissionDenied(
                "this database has users: restoring over it needs an administrator (--user)"
            )


def _checked_copy(source: Path, copy_path: Path) -> str:
    """Copy `source` aside if it is an intact Wrenchbook database; returns its revision."""
    if not source.is_file():
        raise WrenchbookError(Phrase("there is no backup file {source}", source=source))
    with source.open("rb") as file:
        if file.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            raise WrenchbookError(
                Phrase(
                    "{source} is not a Wrenchbook backup: it is not a SQLite database file",
                    source=source,
                )
            )
    shutil.copyfile(source, copy_path)
    try:
        with sqlite3.connect(copy_path) as conn:
            problems = [row[0] for row in conn.execute("PRAGMA integrity_check")]
            if problems != ["ok"]:
                raise WrenchbookError(
                    Phrase("{source} is damaged: {problems}", source=source, problems=problems[0])
                )
            names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
            missing = sorted(WRENCHBOOK_TABLES - names)
            if missing:
                raise WrenchbookError(
                    Phrase(
                        "{source} is not a Wrenchbook backup: it has no {missing} table",
                        source=source,
                        missing=", ".join(missing),
                    )
                )
            found = conn.execute("SELECT version_num FROM alembic_version").fetchall()
        conn.close()
    except sqlite3.DatabaseError as exc:
        raise WrenchbookError(
            Phrase("{source} is damaged: {exc}", source=source, exc=exc)
        ) from None
    if len(found) != 1 or not is_known_revision(str(found[0][0])):
        made_at = found[0][0] if found else "none"
        raise WrenchbookError(
            Phrase(
                "{source} was made by another or a newer Wrenchbook (schema revision "
                "{made_at}); this one reads revisions up to {head_revision}",
                source=source,
                made_at=made_at,
                head_revision=HEAD_REVISION,
            )
        )
    return str(found[0][0])


def _upgrade_copy(backup: Database, source: Path, revision: str) -> None:
    if revision == HEAD_REVISION:
        return
    try:
        upgrade(backup)
    except Exception as exc:  # noqa: BLE001 - any failure means the backup cannot be used
        raise WrenchbookError(
            Phrase(
                "cannot upgrade {source} from schema revision {revision}: {exc}",
                source=source,
                revision=revision,
                exc=exc,
            )
        ) from None
