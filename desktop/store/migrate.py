"""Schema upgrades with Alembic, run on every start, after a backup copy of a SQLite file."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from desktop.store.database import Database, sqlite_path

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def current_revision(db: Database) -> str | None:
    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


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
    head = head_revision()
    if current == head:
        return None
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
