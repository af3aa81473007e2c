"""A PostgreSQL server that never answers costs the connect timeout and a clear error, not a hang.

The "server" is a loopback socket that accepts connections and then says nothing, as a
firewalled or frozen host does; no PostgreSQL is needed.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest
from sqlalchemy.exc import OperationalError

from desktop.domain.errors import WrenchbookError
from desktop.store.database import (
    CONNECT_TIMEOUT_ENV,
    PG_CONNECT_TIMEOUT_S,
    Database,
    connect_timeout_s,
    postgres_connect_args,
    timeout_hint,
)

# Only guards against a hang: a connect that ignored the timeout would block forever.
HANG_GUARD_S = 60.0


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A port on 127.0.0.1 that accepts and then never sends a byte; yields the port."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except TimeoutError:
                continue
            except OSError:
                return

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield int(listener.getsockname()[1])
    stop.set()
    thread.join(5)
    for conn in accepted:
        conn.close()
    listener.close()


def _connect(url: str) -> BaseException | None:
    """Connect on a thread, so a missing timeout fails the test instead of hanging it."""
    outcome: list[BaseException | None] = []

    def run() -> None:
        db = Database(url)
        try:
            with db.engine.connect():
                outcome.append(None)
        except BaseException as exc:  # noqa: BLE001 - handed to the test to inspect
            outcome.append(exc)
        finally:
            db.dispose()

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(HANG_GUARD_S)
    assert not worker.is_alive(), "the connection attempt hung past the connect timeout"
    return outcome[0]


def test_a_server_that_never_answers_fails_with_a_timeout_error(silent_server, monkeypatch):
    monkeypatch.setenv(CONNECT_TIMEOUT_ENV, "2")  # libpq's minimum
    url = f"postgresql+psycopg://wrenchbook:secret@127.0.0.1:{silent_server}/wrenchbook"
    error = _connect(url)
    assert isinstance(error, OperationalError)
    reason = str(error.orig)
    assert "timeout" in reason.lower()
    assert "no answer within 2 s" in timeout_hint(reason, url)


def test_the_url_wins_over_the_environment_over_the_default(monkeypatch):
    monkeypatch.delenv(CONNECT_TIMEOUT_ENV, raising=False)
    remote = "postgresql+psycopg://u:p@db.example.com/wrenchbook"
    assert connect_timeout_s(remote) == PG_CONNECT_TIMEOUT_S
    assert postgres_connect_args(remote) == {
        "sslmode": "verify-full",
        "connect_timeout": str(PG_CONNECT_TIMEOUT_S),
    }
    monkeypatch.setenv(CONNECT_TIMEOUT_ENV, "30")
    assert connect_timeout_s(remote) == 30
    assert connect_timeout_s(remote + "?connect_timeout=4") == 4
    for bad in ("0", "soon"):
        with pytest.raises(WrenchbookError, match="connect_timeout"):
            connect_timeout_s(f"{remote}?connect_timeout={bad}")


def test_other_failures_get_no_timeout_hint():
    url = "postgresql+psycopg://u:p@127.0.0.1/wrenchbook"
    assert timeout_hint("password authentication failed for user", url) == ""
