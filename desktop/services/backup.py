"""Consistent online copies of the database: SQLite's backup API, or pg_dump for PostgreSQL."""

from __future__ import annotations

import os
import shutil
import subprocess
from typing import TYPE_CHECKING

from sqlalchemy.engine import make_url

from desktop.domain.errors import WrenchbookError
from desktop.store.database import sqlite_path
from desktop.store.migrate import backup_sqlite

if TYPE_CHECKING:
    from pathlib import Path

    from desktop.store.database import Database


def backup(db: Database, target: Path) -> Path:
    """Copy the live database to `target` without stopping other users."""
    if target.exists():
        raise WrenchbookError(f"{target} exists already: choose a new file name")
    source = sqlite_path(db.url)
    if source is not None:
        backup_sqlite(source, target)
        return target
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        raise WrenchbookError("pg_dump is not installed here: install the PostgreSQL client tools")
    url = make_url(db.url)
    command = [pg_dump, "--format=custom", f"--file={target}", "--no-password"]
    command += [f"--host={url.host or 'localhost'}", f"--port={url.port or 5432}"]
    command += [f"--username={url.username}"] if url.username else []
    command.append(url.database or "")
    env = os.environ | ({"PGPASSWORD": url.password} if url.password else {})
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        target.unlink(missing_ok=True)
        raise WrenchbookError(f"pg_dump failed: {done.stderr.strip()}")
    return target
