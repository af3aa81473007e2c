"""Consistent online copies of the database, always as a Wrenchbook SQLite file.

A SQLite database is copied with SQLite's online backup API. A PostgreSQL database is
copied table by table from one snapshot into a new SQLite file at the same schema: the file
is portable, opens in Wrenchbook on any workstation, restores into either engine, and needs
no pg_dump on the PATH (office PCs rarely have the PostgreSQL client tools).
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from desktop.domain.errors import WrenchbookError
from desktop.domain.phrases import Phrase
from desktop.store.copying import replace_all
from desktop.store.database import Database, sqlite_path
from desktop.store.migrate import HEAD_REVISION, backup_sqlite, current_revision, upgrade

if TYPE_CHECKING:
    from pathlib import Path


def backup(db: Database, target: Path) -> Path:
    """Copy the live database to `target` without stopping other users."""
    if target.exists():
        raise WrenchbookError(
            Phrase("{target} exists already: choose a new file name", target=target)
        )
    source = sqlite_path(db.url)
    if source is not None:
        backup_sqlite(source, target)
        return target
    revision = current_revision(db)
    if revision != HEAD_REVISION:
        raise WrenchbookError(
            Phrase(
                "the database is at schema revision {revision}, this Wrenchbook expects "
                "{head_revision}: open it with this version once to upgrade it, then "
                "back it up",
                revision=revision,
                head_revision=HEAD_REVISION,
            )
        )
    copy = Database(f"sqlite:///{target}")
    try:
        upgrade(copy)
        # REPEATABLE READ: every table is read from one snapshot while others keep writing.
        snapshot = db.engine.connect().execution_options(isolation_level="REPEATABLE READ")
        with snapshot, snapshot.begin(), copy.engine.begin() as written:
            replace_all(snapshot, written)
        copy.dispose()
        _self_contained(target)
    except BaseException:
        copy.dispose()
        _remove(target)
        raise
    return target


def backup_history(db: Database, target: Path) -> Path:
    """Copy the sensor history to `target`, a SQLite history file, without stopping the
    historian: its own file's online backup on SQLite; on PostgreSQL its tables read from
    one snapshot. Kept apart from `backup` so the work-order copy stays small."""
    from desktop.store.history import history_store, metadata

    if target.exists():
        raise WrenchbookError(
            Phrase("{target} exists already: choose a new file name", target=target)
        )
    store = history_store(db)
    if store.path is not None:
        backup_sqlite(store.path, target)
        return target
    copy = Database(f"sqlite:///{target}")
    try:
        metadata.create_all(copy.engine)
        snapshot = db.engine.connect().execution_options(isolation_level="REPEATABLE READ")
        with snapshot, snapshot.begin(), copy.engine.begin() as written:
            for table in metadata.sorted_tables:
                result = snapshot.execute(table.select()).mappings()
                while rows := result.fetchmany(5000):
                    written.execute(table.insert(), [dict(row) for row in rows])
        copy.dispose()
        _self_contained(target)
    except BaseException:
        copy.dispose()
        _remove(target)
        raise
    return target


def _self_contained(target: Path) -> None:
    """One file: no -wal beside it to be forgotten when it is moved."""
    with sqlite3.connect(target) as conn:
        conn.execute("PRAGMA journal_mode=DELETE")
    conn.close()


def _remove(path: Path) -> None:
    for leftover in (path, path.with_name(f"{path.name}-wal"), path.with_name(f"{path.name}-shm")):
        leftover.unlink(missing_ok=True)
