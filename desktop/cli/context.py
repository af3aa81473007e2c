"""What every subcommand shares: the opened, migrated database and the acting user."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.domain.errors import AuthenticationFailed
from desktop.services.users import UserService
from desktop.store.database import Database, redact_url, resolve_url
from desktop.store.migrate import upgrade

if TYPE_CHECKING:
    from desktop.domain.permissions import Actor


def add_global_options(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    """--db and --data-dir, accepted before or after the subcommand."""
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument(
        "--db",
        default=default,
        metavar="URL",
        help="database URL, e.g. postgresql+psycopg://user:pw@host/wrenchbook "
        "(default: $WRENCHBOOK_DB, else SQLite in the data folder)",
    )
    parser.add_argument(
        "--data-dir",
        default=default,
        type=Path,
        metavar="DIR",
        help="data folder (default: $WRENCHBOOK_DATA_DIR, else the per-user data folder)",
    )
    parser.add_argument(
        "--user",
        default=default,
        metavar="NAME",
        help="who makes a change (default: $WRENCHBOOK_USER); the password comes from "
        "$WRENCHBOOK_PASSWORD or a prompt",
    )


@dataclass
class CliContext:
    args: argparse.Namespace
    _db: Database | None = field(default=None, init=False)

    @property
    def url(self) -> str:
        return resolve_url(getattr(self.args, "db", None), getattr(self.args, "data_dir", None))

    @property
    def shown_url(self) -> str:
        """The URL for messages: never with its password (terminals are logged and shared)."""
        return redact_url(self.url)

    def db(self) -> Database:
        """The database, its schema upgraded first (with a backup copy of a SQLite file)."""
        if self._db is None:
            self._db = Database(self.url)
            backup = upgrade(self._db)
            if backup is not None:
                print(f"schema upgraded; the previous database was copied to {backup}")
        return self._db

    def actor(self) -> Actor:
        """Log in the user named by --user or $WRENCHBOOK_USER."""
        username = getattr(self.args, "user", None) or os.environ.get("WRENCHBOOK_USER")
        if not username:
            raise AuthenticationFailed(
                "changes need a user: give --user NAME or set WRENCHBOOK_USER"
            )
        password = os.environ.get("WRENCHBOOK_PASSWORD")
        if password is None:
            if not sys.stdin.isatty():
                raise AuthenticationFailed(
                    f"no password for {username}: set WRENCHBOOK_PASSWORD or run in a terminal"
                )
            password = getpass.getpass(f"password for {username}: ")
        return UserService(self.db()).authenticate(username, password)

    def close(self) -> None:
        if self._db is not None:
            self._db.dispose()
