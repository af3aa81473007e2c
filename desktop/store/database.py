"""Engine and session set-up for the embedded SQLite file and a shared PostgreSQL server."""

from __future__ import annotations

import os
import re
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, quote_plus

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DataError
from sqlalchemy.orm import Session, sessionmaker

from desktop.domain.errors import ValidationFailed, WrenchbookError
from desktop.domain.phrases import Phrase
from desktop.store.network_share import network_share_problem
from desktop.store.paths import DB_FILENAME, default_data_dir

if TYPE_CHECKING:
    from collections.abc import Iterator

# Seconds a SQLite writer waits for another process's write lock before giving up.
SQLITE_BUSY_TIMEOUT_S = 30
SQLITE_MMAP_BYTES = 1 << 30
"""Memory-mapped reads of the first GiB of the file (address space, not memory): the KPI
scans over a million work orders read pages about twice as fast as through SQLite's cache."""
MACHINE_LOCK_SPACE = 0x5742
"""First key of `lock_machine`'s advisory locks ("WB"), apart from any other user's."""
LOOPBACK_HOSTS = frozenset({"", "localhost", "127.0.0.1", "::1"})
# Seconds to wait for a PostgreSQL server to answer a new connection. Without a limit libpq
# waits on the operating system, and a server that is down or firewalled away hangs the start
# (or a worker) for minutes instead of saying so. The URL's own ?connect_timeout=N wins, then
# this environment variable.
PG_CONNECT_TIMEOUT_S = 10
CONNECT_TIMEOUT_ENV = "WRENCHBOOK_DB_CONNECT_TIMEOUT"
# "scheme://user:password@" in a URL that SQLAlchemy cannot parse.
_URL_PASSWORD = re.compile(r"(://[^:/@\s]*:)([^@\s]*)@")


def resolve_url(url: str | None, data_dir: Path | None) -> str:
    """The database URL to use: the one given, `WRENCHBOOK_DB`, else SQLite in the data folder."""
    url = url or os.environ.get("WRENCHBOOK_DB")
    if url:
        return url
    folder = data_dir or default_data_dir()
    return f"sqlite:///{folder / DB_FILENAME}"


def redact_url(url: str) -> str:
    """The URL as it may be printed, logged or shown: its password, if any, replaced by ***."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        # Unreadable as a URL, so hide whatever stands where a password would.
        return _URL_PASSWORD.sub(r"\1***@", url)


def scrub(text: str, url: str) -> str:
    """`text` (a driver's error, say) with the URL and its password taken out.

    psycopg and SQLAlchemy may quote the connection string in their messages; anything that
    reaches a log file, the terminal or the status bar goes through here first.
    """
    text = text.replace(url, redact_url(url))
    try:
        password = make_url(url).password
    except (ArgumentError, ValueError):
        found = _URL_PASSWORD.search(url)
        password = found.group(2) if found else None
    if password:
        for form in {str(password), quote_plus(str(password)), quote(str(password), safe="")}:
            text = text.replace(form, "***")
    return text


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL, or None for other engines and in-memory databases."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        raise WrenchbookError(
            Phrase(
                "cannot read the database URL {url}: write e.g. "
                "sqlite:////path/wrenchbook.sqlite3 or "
                "postgresql+psycopg://user:password@host/dbname",
                url=repr(redact_url(url)),
            )
        ) from None
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return None
    if parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def _configure_sqlite(engine: Engine) -> None:
    """WAL, foreign keys and a busy timeout on every connection; writers start IMMEDIATE.

    pysqlite's own transaction handling starts a deferred transaction that upgrades to a
    write lock later, and such an upgrade fails at once (no busy wait) when another process
    wrote in between. Starting write units with BEGIN IMMEDIATE makes them queue instead.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_S * 1000}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA mmap_size={SQLITE_MMAP_BYTES}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        write = conn.get_execution_options().get("wrenchbook_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


class NetworkShareRefused(WrenchbookError):
    """A SQLite file on a network share: refused before anything touches it."""


def refuse_network_share(path: Path) -> None:
    problem = network_share_problem(str(path))
    if problem is not None:
        raise NetworkShareRefused(problem)


def make_engine(url: str) -> Engine:
    """An engine for `url`; a SQLite file's folder is created when missing.

    hide_parameters keeps bound values (password hashes, attachment bytes, addenda) out of
    SQLAlchemy's error messages, which end up in the log file and on the terminal.
    """
    path = sqlite_path(url)
    if path is not None:
        refuse_network_share(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S}, hide_parameters=True
        )
        _configure_sqlite(engine)
        return engine
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        raise WrenchbookError("in-memory SQLite is not supported: give a file path")
    if parsed.get_backend_name() != "postgresql":
        raise WrenchbookError(
            Phrase(
                "unsupported database {drivername}: use sqlite or postgresql+psycopg",
                drivername=repr(parsed.drivername),
            )
        )
    return create_engine(
        url, pool_pre_ping=True, hide_parameters=True, connect_args=postgres_connect_args(url)
    )


def connect_timeout_s(url: str) -> int:
    """The PostgreSQL connect timeout for `url`: its ?connect_timeout, else the environment's
    WRENCHBOOK_DB_CONNECT_TIMEOUT, else PG_CONNECT_TIMEOUT_S."""
    given = make_url(url).query.get("connect_timeout") or os.environ.get(CONNECT_TIMEOUT_ENV)
    if given is None:
        return PG_CONNECT_TIMEOUT_S
    try:
        seconds = int(str(given))
    except ValueError:
        raise WrenchbookError(
            Phrase("connect_timeout {given} is not a whole number of seconds", given=repr(given))
        ) from None
    if seconds <= 0:
        # libpq reads 0 as "wait forever", which is what the timeout is there to prevent.
        raise WrenchbookError(
            Phrase("connect_timeout must be at least 1 second, not {seconds}", seconds=seconds)
        )
    return seconds


def postgres_connect_args(url: str) -> dict[str, str]:
    """The driver's connect arguments: TLS (`postgres_tls`) and the connect timeout."""
    return postgres_tls(url) | {"connect_timeout": str(connect_timeout_s(url))}


def postgres_tls(url: str) -> dict[str, str]:
    """`sslmode=verify-full` for a server on another computer, unless the URL says otherwise.

    Passwords (each person's own, with per-user logins) and the records cross the site
    network: encrypted, and only to the server whose certificate the site's CA signed.
    A server on this computer (loopback or a local socket) needs no TLS.
    """
    parsed = make_url(url)
    if "sslmode" in parsed.query or (parsed.host or "").lower() in LOOPBACK_HOSTS:
        return {}
    return {"sslmode": "verify-full"}


def tls_hint(reason: str, url: str) -> str:
    """What to change when a TLS check refused the server; empty for other failures."""
    words = reason.lower()
    if "ssl" not in words and "certificate" not in words:
        return ""
    mode = postgres_tls(url).get("sslmode") or make_url(url).query.get("sslmode", "")
    return (
        f" (TLS: the database URL's sslmode is {mode or 'the driver default'}; with "
        "verify-full the server's certificate must be signed by the CA in "
        "~/.postgresql/root.crt, or name it with ?sslrootcert=FILE in the database URL; "
        "?sslmode=require encrypts without checking the certificate, for trusted networks only)"
    )


def timeout_hint(reason: str, url: str) -> str:
    """What to check when the server did not answer in time; empty for other failures."""
    if "timeout" not in reason.lower() and "timed out" not in reason.lower():
        return ""
    try:
        seconds = connect_timeout_s(url)
    except (ArgumentError, ValueError, WrenchbookError):
        seconds = PG_CONNECT_TIMEOUT_S
    return (
        f" (no answer within {seconds} s: check that the database server is "
        "running and that this computer can reach it; to wait longer add "
        f"?connect_timeout=SECONDS to the database URL or set {CONNECT_TIMEOUT_ENV})"
    )


def _data_problem(exc: DataError) -> str:
    reason = str(exc.orig).strip().splitlines()[0] if exc.orig else "a value does not fit"
    if "NUL" in reason or "0x00" in reason:
        return "text must not contain NUL characters (\\x00): remove them and save again"
    return Phrase(
        "the database cannot store a value as given ({reason}): correct it", reason=reason
    )


class Database:
    """One engine and its session factory; the handle services are given."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def unit_of_work(self, write: bool = True) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back on any exception."""
        with self._sessions() as session:
            if write:
                session.connection(execution_options={"wrenchbook_write": True})
                if self.dialect == "postgresql":
                    # The audit chain first, as SQLite's BEGIN IMMEDIATE: writers then queue
                    # in one order and never deadlock (migration 0021).
                    session.execute(text("SELECT wb_hold_audit_chain()"))
            try:
                yield session
                session.commit()
            except DataError as exc:
                # A value the checks let through but the engine cannot hold (PostgreSQL refuses
                # NUL characters in text, SQLite does not): refused like any other bad input.
                session.rollback()
                raise ValidationFailed({"input": _data_problem(exc)}) from exc
            except BaseException:
                session.rollback()
                raise

    def dispose(self) -> None:
        self.engine.dispose()


def lock_machine(session: Session, asset_id: int) -> None:
    """Hold one machine's alarm and stop records for this transaction: writers queue here.

    Two rules of one machine firing at once on two workstations must see each other's
    order. On PostgreSQL that is a transaction-scoped advisory lock, which needs no write
    right on `assets` (the monitoring service's and the display's logins have none, and
    `SELECT … FOR UPDATE` would need one); SQLite's writers queue on the database lock.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            text("SELECT pg_advisory_xact_lock(:space, :id)"),
            {"space": MACHINE_LOCK_SPACE, "id": asset_id},
        )
