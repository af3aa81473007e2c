"""Per-user PostgreSQL connections for the tests: `as_login("tom")` is tom's own workstation.

The `db` fixture connects as the server's superuser, like the migrator; the tests of the
database's own checks need the login a person really has. Loaded as a pytest plugin by the
modules that use it (`pytest_plugins = ["tests.per_user"]`), so conftest.py stays as it is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from sqlalchemy.engine import make_url

from desktop.store.database import Database
from desktop.store.db_roles import login_name

POSTGRES_ONLY = pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
"""Runs a test that uses `db_url`/`db` on PostgreSQL only: SQLite has no logins."""


@pytest.fixture
def as_login(db_url: str) -> Iterator[Callable[[str], Database]]:
    """A factory: the database as seen through a seeded user's own PostgreSQL login.

    The throwaway test server trusts loopback connections, so no password is sent; what the
    tests check is what the login may do once connected.
    """
    opened: list[Database] = []

    def connect(username: str) -> Database:
        url = make_url(db_url).set(username=login_name(username), password=None)
        database = Database(url.render_as_string(hide_password=False))
        opened.append(database)
        return database

    yield connect
    for database in opened:
        database.dispose()
