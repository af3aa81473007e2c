"""Per-user PostgreSQL connections for the tests: `as_login("tom")` is tom's own workstation.

The `db` fixture connects as the server's superuser, like the migrator; the tests of the
database's own checks need the login a person really has. Loaded as a pytest plugin by the
modules that use it (`pytest_plugins = ["tests.per_user"]`), so conftest.py stays as it is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import sql
from sqlalchemy.engine import make_url

from desktop.store.database import Database
from desktop.store.db_roles import DISPLAY_GROUP, MONITOR_GROUP, login_name, scram_verifier
from tests.conftest import PASSWORD, SEEDED_USERS, logins_held

POSTGRES_ONLY = pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
"""Runs a test that uses `db_url`/`db` on PostgreSQL only: SQLite has no logins."""

CHECKED_LOGINS = "+wrenchbook_viewer"
"""pg_hba.conf's name for the logins whose password `password_auth` makes the server check:
the members of the lowest group, so every person's login and the display's and monitor's."""


@pytest.fixture
def logins_changed(db_url: str) -> Iterator[None]:
    """For a test that deactivates or changes a seeded person (tom, tina …) without using
    their login: on PostgreSQL that changes the server-wide login too (and ends its
    sessions), so it waits for, and keeps out, the tests that sign in as them. The next
    `seeded_logins` puts the logins back."""
    if make_url(db_url).get_backend_name() != "postgresql":
        yield
        return
    with logins_held(db_url):
        yield


@pytest.fixture
def seeded_logins(db_url: str) -> Iterator[None]:
    """The seeded users' logins as seeding made them: active, PASSWORD, their role's group.

    Logins belong to the whole server, not to one test's database, so a test that
    deactivated tom or changed his password elsewhere would otherwise leak into this one;
    and a test on another pytest-xdist worker must not deactivate tina while this one signs
    in as her: the tests that use the logins hold one lock per server for their duration.
    """
    with logins_held(db_url), psycopg.connect(_libpq(db_url), autocommit=True) as conn:
        for name, role in SEEDED_USERS.items():
            login = sql.Identifier(login_name(name))
            verifier = sql.Literal(scram_verifier(PASSWORD))
            conn.execute(sql.SQL("ALTER ROLE {} PASSWORD {}").format(login, verifier))
            conn.execute("SELECT wb_apply_account(%s, %s, true)", (name, role.value))
        yield


@pytest.fixture
def as_login(db_url: str, seeded_logins: None) -> Iterator[Callable[[str], Database]]:
    """A factory: the database as seen through a seeded user's own PostgreSQL login.

    Every seeded user's database password is PASSWORD (set when the user was made); the
    throwaway server trusts loopback unless `password_auth` is on, and then checks it.
    """
    opened: list[Database] = []

    def connect(username: str) -> Database:
        url = make_url(db_url).set(username=login_name(username), password=PASSWORD)
        database = Database(url.render_as_string(hide_password=False))
        opened.append(database)
        return database

    yield connect
    for database in opened:
        database.dispose()


SERVICE_SECRET = "control-room-login-7"
SERVICE_LOGINS = {
    "display": ("control_room", DISPLAY_GROUP),
    "monitor": ("monitoring", MONITOR_GROUP),
}
"""The service logins the tests make: login name and group."""


@pytest.fixture
def service_login(db_url: str) -> Iterator[Callable[[str], Database]]:
    """`service_login("display")`: the database through the display's (or the monitor's) own
    login, made as the README's "Trust boundary on PostgreSQL" says."""
    opened: list[Database] = []

    def connect(kind: str) -> Database:
        name, group = SERVICE_LOGINS[kind]
        with psycopg.connect(_libpq(db_url), autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).fetchone()
            verb = "ALTER" if exists else "CREATE"
            conn.execute(
                sql.SQL(verb + " ROLE {} LOGIN PASSWORD {}").format(
                    sql.Identifier(name), sql.Literal(scram_verifier(SERVICE_SECRET))
                )
            )
            conn.execute(
                sql.SQL("GRANT {} TO {}").format(sql.Identifier(group), sql.Identifier(name))
            )
        url = make_url(db_url).set(username=name, password=SERVICE_SECRET)
        database = Database(url.render_as_string(hide_password=False))
        opened.append(database)
        return database

    yield connect
    for database in opened:
        database.dispose()


def _libpq(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _password_checked(admin_url: str) -> bool:
    """Whether the server now refuses a personal login that brings no password."""
    url = make_url(admin_url).set(username=login_name("tom"), database="postgres")
    try:
        psycopg.connect(_libpq(url.render_as_string(hide_password=False))).close()
    except psycopg.OperationalError as exc:
        return "password" in str(exc)
    return False


@pytest.fixture
def password_auth(pg_admin_url: str, db_url: str, seeded_logins: None) -> Iterator[None]:
    """The server checks the passwords of personal and service logins, as a site's does.

    The throwaway server trusts loopback; this puts SCRAM lines for those logins in front of
    its pg_hba.conf, reloads, and puts the file back afterwards. (An external server given by
    WRENCHBOOK_TEST_PG_URL must check passwords itself, which the first wait below confirms.)
    """
    with psycopg.connect(_libpq(pg_admin_url), autocommit=True) as conn:
        hba = Path(conn.execute("SHOW hba_file").fetchone()[0])
    original = hba.read_text() if hba.exists() else None
    if original is not None:
        lines = "".join(
            f"host all {CHECKED_LOGINS} {address} scram-sha-256\n"
            for address in ("127.0.0.1/32", "::1/128")
        )
        hba.write_text(lines + original)
        _reload(pg_admin_url, until=True)
    try:
        yield
    finally:
        if original is not None:
            hba.write_text(original)
            _reload(pg_admin_url, until=False)


def _reload(admin_url: str, until: bool) -> None:
    """Reload the configuration and wait until the password check is on (or off) for new
    connections: the postmaster rereads pg_hba.conf on its own schedule after the signal."""
    with psycopg.connect(_libpq(admin_url), autocommit=True) as conn:
        conn.execute("SELECT pg_reload_conf()")
    for _ in range(500):
        if _password_checked(admin_url) is until:
            return
    raise AssertionError(f"pg_hba.conf reload did not turn the password check {until}")
