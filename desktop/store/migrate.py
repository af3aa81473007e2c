"""Schema upgrades with Alembic (SQLite backed up first); personal logins only check it."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text

from desktop.domain.enums import Role
from desktop.domain.errors import WrenchbookError
from desktop.store.database import Database, sqlite_path
from desktop.store.db_roles import OWNER_ROLE, group_role

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).with_name("migrations")

HEAD_REVISION = "0020"
"""The newest revision in migrations/versions (a test keeps the two equal).

Knowing it without Alembic lets a start on an up-to-date database skip importing Alembic,
which costs about 0.3 s of the app's start-up.
"""


def _config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str:
    """The head as Alembic reads it from the revision scripts."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def is_known_revision(revision: str) -> bool:
    """Whether `revision` is one of ours: a later one means a newer Wrenchbook made the data."""
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(_config())
    return any(script.revision == revision for script in scripts.walk_revisions())


def current_revision(db: Database) -> str | None:
    with db.engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


class SchemaBehind(WrenchbookError):
    """A personal login met an older schema: only the migrator may upgrade it."""


def may_migrate(db: Database) -> bool:
    """Whether this connection may change the schema: SQLite, the owner, or a shared login.

    A person's own PostgreSQL login (a member of the Wrenchbook group roles, not of the owner)
    only checks the revision: workstations no longer migrate at start.
    """
    if db.dialect != "postgresql":
        return True
    with db.engine.connect() as conn:
        return bool(
            conn.execute(
                text(
                    "SELECT CASE WHEN to_regrole(:group) IS NULL THEN true "
                    "ELSE NOT pg_has_role(session_user, :group, 'MEMBER') "
                    "OR pg_has_role(session_user, :owner, 'MEMBER') END"
                ),
                {"group": group_role(Role.VIEWER), "owner": OWNER_ROLE},
            ).scalar()
        )


def backup_sqlite(source: Path, target: Path) -> None:
    """A consistent copy of a live SQLite file through SQLite's online backup API."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    dst.close()
    src.close()


def upgrade(db: Database) -> Path | None:
    """Bring the schema to the newest revision; returns the backup made first, if any.

    A SQLite file that already holds data is copied before anything changes, so a failed
    upgrade can be undone by putting the copy back.
    """
    current = current_revision(db)
    if current == HEAD_REVISION:
        return None
    if not may_migrate(db):
        raise SchemaBehind(
            f"the database schema is at revision {current}, this Wrenchbook needs "
            f"{HEAD_REVISION}: an administrator upgrades it once with the migrator login "
            "(python main.py init --db postgresql+psycopg://MIGRATOR@HOST/DB), then start again"
        )
    from alembic import command

    head = head_revision()
    backup: Path | None = None
    path = sqlite_path(db.url)
    if path is not None and current is not None:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        backup = path.with_name(f"{path.name}.before-{head}-{stamp}.bak")
        backup_sqlite(path, backup)
    config = _config()
    with db.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
    return backup
