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
from desktop.services.admin import workstation_settings
from desktop.services.admin.sign_in import PersonalSignIn, uses_personal_logins
from desktop.services.admin.users import UserService
from desktop.store.database import Database, default_data_dir, redact_url
from desktop.store.migrate import upgrade

if TYPE_CHECKING:
    from desktop.domain.permissions import Actor
    from desktop.services.admin.workstation_settings import WorkstationSettings


def add_global_options(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    """--db and --data-dir, accepted before or after the subcommand."""
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument(
        "--db",
        default=default,
        metavar="URL",
        help="database URL, e.g. postgresql+psycopg://user@host/wrenchbook (default: "
        "$WRENCHBOOK_DB, else database/url in DATA_DIR/workstation.ini, else SQLite in the "
        "data folder)",
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
    parser.add_argument(
        "--sso",
        action="store_true",
        default=default,
        help="Windows/Kerberos sign-on on a server with personal logins: no password, the "
        "server checks this computer's domain account (as --user, default: the account "
        "logged in here)",
    )


@dataclass
class CliContext:
    args: argparse.Namespace
    _db: Database | None = field(default=None, init=False)
    _actor: Actor | None = field(default=None, init=False)

    @property
    def data_dir(self) -> Path:
        return Path(getattr(self.args, "data_dir", None) or default_data_dir())

    def settings(self) -> WorkstationSettings:
        """This workstation's settings file (DATA_DIR/workstation.ini), as the desktop app's."""
        return workstation_settings.load(self.data_dir)

    def _connect_url(self) -> str:
        """The URL to connect with; it may hold a saved password, so it is never printed."""
        cli_url = getattr(self.args, "db", None)
        return workstation_settings.choose_database(cli_url, self.data_dir, self.settings()).url

    @property
    def url(self) -> str:
        """The database in use, fit to print: any password is shown as ***."""
        return redact_url(self._connect_url())

    def db(self) -> Database:
        """The database, its schema upgraded first (with a backup copy of a SQLite file).

        On a server with personal logins (a URL naming no user) and with --user given, the
        command connects as that person, their password being their database login's; with
        --sso as whoever the server's Windows/Kerberos sign-on proves them to be.
        """
        if self._db is None:
            url = self._connect_url()
            username = self._username()
            if getattr(self.args, "sso", False):
                if not uses_personal_logins(url):
                    raise AuthenticationFailed(
                        "--sso needs a PostgreSQL URL without a user name (personal logins)"
                    )
                signed_in = PersonalSignIn(url).sign_on(username)
                self._db, self._actor = signed_in.db, signed_in.actor
                return self._db
            if username and uses_personal_logins(url):
                signed_in = PersonalSignIn(url).sign_in(username, self._password(username))
                self._db, self._actor = signed_in.db, signed_in.actor
                return self._db
            self._db = Database(url)
            backup = upgrade(self._db)
            if backup is not None:
                print(f"schema upgraded; the previous database was copied to {backup}")
        return self._db

    def _username(self) -> str | None:
        return getattr(self.args, "user", None) or os.environ.get("WRENCHBOOK_USER") or None

    @staticmethod
    def _password(username: str) -> str:
        password = os.environ.get("WRENCHBOOK_PASSWORD")
        if password is None:
            if not sys.stdin.isatty():
                raise AuthenticationFailed(
                    f"no password for {username}: set WRENCHBOOK_PASSWORD or run in a terminal"
                )
            password = getpass.getpass(f"password for {username}: ")
        return password

    def actor(self) -> Actor:
        """Log in the user named by --user or $WRENCHBOOK_USER."""
        username = self._username()
        if not username and not getattr(self.args, "sso", False):
            raise AuthenticationFailed(
                "changes need a user: give --user NAME or set WRENCHBOOK_USER"
            )
        db = self.db()
        if self._actor is None:
            self._actor = UserService(db).authenticate(username, self._password(username))
        return self._actor

    def close(self) -> None:
        if self._db is not None:
            self._db.dispose()
