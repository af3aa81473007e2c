"""Throwaway PostgreSQL server for the tests; set WRENCHBOOK_TEST_PG_URL to use an existing one.

Usage from Python::

    with PgServer() as server:
        url = create_database(server.admin_url, "wb_test")
        ...
        drop_database(server.admin_url, "wb_test")

``PgServer`` runs ``initdb`` into a fresh directory and ``pg_ctl start`` on a free port of
127.0.0.1 (trust authentication, durability switched off for speed). initdb and postgres refuse
to run as root, so as root both run as the ``postgres`` system user through ``runuser``.

When ``WRENCHBOOK_TEST_PG_URL`` is set (a SQLAlchemy URL such as
``postgresql+psycopg://user:secret@host:5432/postgres`` of a role allowed to create databases),
the test suite uses that server instead of starting its own; see ``external_admin_url()``.

Command line (standard library only, so it works before ``pip install``)::

    python -m tests.pg_server start --dir DIR   # prints the admin URL; server keeps running
    python -m tests.pg_server stop --dir DIR    # stops it and removes its files under DIR
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

if TYPE_CHECKING:
    from types import TracebackType

ENV_URL = "WRENCHBOOK_TEST_PG_URL"
"""Environment variable naming an existing server to use instead of a throwaway one."""

ROOT_RUN_AS = "postgres"
"""System user that runs initdb and postgres when the tests run as root (Debian's user)."""

_SETTINGS = {
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "200",
}
_STATE_FILE = "admin_url"
_CLUSTER_ENTRIES = ("pgdata", "socket", "server.log", _STATE_FILE)


def external_admin_url() -> str | None:
    """The admin URL of an existing server from WRENCHBOOK_TEST_PG_URL, or None if unset."""
    return os.environ.get(ENV_URL) or None


def find_pg_bin() -> Path | None:
    """Directory holding initdb and pg_ctl: from PATH, else the newest /usr/lib/postgresql."""
    initdb = shutil.which("initdb")
    if initdb and (Path(initdb).parent / "pg_ctl").exists():
        return Path(initdb).parent
    candidates = [
        path
        for path in Path("/usr/lib/postgresql").glob("*/bin")
        if (path / "initdb").exists() and (path / "pg_ctl").exists()
    ]
    if not candidates:
        return None
    return max(candidates, key=lambda path: _version_key(path.parent.name))


def _version_key(name: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", name))


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _is_root() -> bool:
    return os.geteuid() == 0


def _tail(path: Path, lines: int = 40) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return "(no server log)"
    return "\n".join(text.splitlines()[-lines:])


def _conf_value(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


class PgServer:
    """A private PostgreSQL cluster on 127.0.0.1, started by start() and removed by stop().

    ``base_dir`` holds the data directory, the unix socket and the server log; by default it is
    a fresh temporary directory, removed entirely by stop(). A given ``base_dir`` is created if
    missing and stop() removes only what start() put into it (and the directory, if empty).
    """

    def __init__(self, base_dir: Path | str | None = None, pg_bin: Path | None = None) -> None:
        self._given_dir = Path(base_dir).absolute() if base_dir is not None else None
        self._pg_bin = pg_bin
        self.base_dir: Path | None = self._given_dir
        self.user = ROOT_RUN_AS if _is_root() else getpass.getuser()
        self.port: int | None = None
        self.admin_url = ""

    # -- paths ------------------------------------------------------------------------------

    @property
    def data_dir(self) -> Path:
        return self._base / "pgdata"

    @property
    def socket_dir(self) -> Path:
        return self._base / "socket"

    @property
    def log_file(self) -> Path:
        return self._base / "server.log"

    @property
    def _base(self) -> Path:
        if self.base_dir is None:
            raise RuntimeError("PgServer has no directory yet; call start() first")
        return self.base_dir

    # -- lifecycle --------------------------------------------------------------------------

    def start(self, timeout: float = 60.0) -> str:
        """Create and start the cluster; return (and set) admin_url. Raises RuntimeError."""
        pg_bin = self._pg_bin or find_pg_bin()
        if pg_bin is None:
            raise RuntimeError("PostgreSQL server binaries (initdb, pg_ctl) not found")
        self._pg_bin = pg_bin
        self._prepare_dir()
        try:
            self._initdb()
            self._start_server(timeout)
        except BaseException:
            self.stop()
            raise
        return self.admin_url

    def stop(self) -> None:
        """Stop the server (immediate mode) and delete its files; safe to call twice."""
        if self.base_dir is None:
            return
        pg_bin = self._pg_bin or find_pg_bin()
        if (self.data_dir / "postmaster.pid").exists() and pg_bin is not None:
            self._run(
                [
                    str(pg_bin / "pg_ctl"),
                    "stop",
                    "-D",
                    str(self.data_dir),
                    "-m",
                    "immediate",
                    "-w",
                    "-t",
                    "30",
                ],
                check=False,
            )
        if self._given_dir is None:
            _remove_tree(self.base_dir)
            self.base_dir = None
        else:
            for name in _CLUSTER_ENTRIES:
                _remove_tree(self.base_dir / name)
            with contextlib.suppress(OSError):
                self.base_dir.rmdir()
        self.port = None
        self.admin_url = ""

    def __enter__(self) -> PgServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- internals --------------------------------------------------------------------------

    def _prepare_dir(self) -> None:
        if self._given_dir is None:
            # As root the server user must traverse the path: /tmp is world-traversable.
            parent = "/tmp" if _is_root() else None
            self.base_dir = Path(tempfile.mkdtemp(prefix="wrenchbook-pg-", dir=parent))
        else:
            self.base_dir = self._given_dir
            self.base_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
            if self.data_dir.exists():
                raise RuntimeError(f"{self.data_dir} already exists; stop that server first")
        if _is_root():
            shutil.chown(self.base_dir, user=ROOT_RUN_AS, group=ROOT_RUN_AS)
            probe = self._run(
                ["test", "-w", str(self.base_dir), "-a", "-x", str(self.base_dir)], check=False
            )
            if probe.returncode != 0:
                raise RuntimeError(
                    f"user {ROOT_RUN_AS!r} cannot use {self.base_dir}; every parent directory"
                    " must be traversable by it (put the directory under /tmp)"
                )

    def _initdb(self) -> None:
        assert self._pg_bin is not None
        result = self._run(
            [
                str(self._pg_bin / "initdb"),
                "-D",
                str(self.data_dir),
                "-U",
                self.user,
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
            ],
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(f"initdb failed (exit {result.returncode}):\n{result.stdout}")

    def _start_server(self, timeout: float) -> None:
        assert self._pg_bin is not None
        self._run(["mkdir", "-m", "0700", str(self.socket_dir)])
        base_conf = (self.data_dir / "postgresql.conf").read_text()
        last_error = ""
        for _attempt in range(3):  # the free port may be taken again before postgres binds it
            port = _free_port()
            settings = {
                **_SETTINGS,
                "listen_addresses": "127.0.0.1",
                "port": str(port),
                "unix_socket_directories": str(self.socket_dir),
            }
            extra = "".join(f"{key} = {_conf_value(val)}\n" for key, val in settings.items())
            # Root writes into the existing file, so it keeps its owner.
            (self.data_dir / "postgresql.conf").write_text(
                base_conf + "\n# wrenchbook test server\n" + extra
            )
            started = time.monotonic()
            result = self._run(
                [
                    str(self._pg_bin / "pg_ctl"),
                    "start",
                    "-D",
                    str(self.data_dir),
                    "-l",
                    str(self.log_file),
                    "-w",
                    "-t",
                    str(int(timeout)),
                ],
                check=False,
            )
            if result.returncode == 0:
                self.port = port
                self.admin_url = f"postgresql+psycopg://{self.user}@127.0.0.1:{port}/postgres"
                return
            log = _tail(self.log_file)
            last_error = (
                f"pg_ctl start failed (exit {result.returncode}) after "
                f"{time.monotonic() - started:.1f}s:\n{result.stdout}\n"
                f"--- server log tail ({self.log_file}) ---\n{log}"
            )
            if "could not bind" not in log and "already in use" not in log:
                break
        raise RuntimeError(last_error)

    def _run(self, argv: list[str], *, check: bool = True) -> subprocess.CompletedProcess[str]:
        """Run a command as the server user; stdout and stderr come back merged in stdout."""
        if _is_root():
            argv = ["runuser", "-u", ROOT_RUN_AS, "--", *argv]
        return subprocess.run(
            argv,
            check=check,
            cwd=self.base_dir,  # the server user may not be allowed into our cwd
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )


def _remove_tree(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        for _attempt in range(5):  # a dying server may still be removing files
            shutil.rmtree(path, ignore_errors=True)
            if not path.exists():
                return
            time.sleep(0.1)
    else:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


# -- databases --------------------------------------------------------------------------------


def _libpq_url(url: str) -> str:
    """SQLAlchemy URL -> libpq URI (drops the +driver part of the scheme)."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(scheme=parts.scheme.split("+", 1)[0]))


def _with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path="/" + name))


def create_database(admin_url: str, name: str, template: str | None = None) -> str:
    """Create database ``name`` (optionally from ``template``); return its SQLAlchemy URL."""
    import psycopg
    from psycopg import sql

    statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
    if template is not None:
        statement += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
    with psycopg.connect(_libpq_url(admin_url), autocommit=True) as conn:
        conn.execute(statement)
    return _with_database(admin_url, name)


def drop_database(admin_url: str, name: str) -> None:
    """Drop database ``name`` if it exists, disconnecting its sessions (PostgreSQL 13+)."""
    import psycopg
    from psycopg import sql

    statement = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
    with psycopg.connect(_libpq_url(admin_url), autocommit=True) as conn:
        conn.execute(statement)


# -- command line -----------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.pg_server", description="Throwaway PostgreSQL server for tests."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for command, text in (
        ("start", "start a server with its files under DIR; print its admin URL"),
        ("stop", "stop the server under DIR and remove its files"),
    ):
        sub.add_parser(command, help=text).add_argument(
            "--dir", required=True, type=Path, help="directory for the server's files"
        )
    args = parser.parse_args(argv)
    server = PgServer(base_dir=args.dir)
    if args.command == "start":
        try:
            url = server.start()
        except RuntimeError as exc:
            print(exc, file=sys.stderr)
            return 1
        (args.dir / _STATE_FILE).write_text(url + "\n")
        print(url)
        return 0
    server.stop()  # finds the running server through the files under DIR
    return 0


if __name__ == "__main__":
    sys.exit(main())
