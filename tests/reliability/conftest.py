"""Fixtures of the reliability tests: empty databases on both engines, table fingerprints."""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Table, select

from desktop.store.copying import tables
from desktop.store.database import Database
from tests import pg_server

EmptyUrl = Callable[[], str]
_counter = itertools.count()


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[EmptyUrl]:
    """Makes URLs of new, empty databases (no schema) on one engine."""
    made: list[str] = []
    admin_url: str | None = None
    if request.param == "postgresql":
        admin_url = request.getfixturevalue("pg_admin_url")

    def make() -> str:
        n = next(_counter)
        if admin_url is None:
            return f"sqlite:///{tmp_path / f'empty{n}.sqlite3'}"
        name = f"wb_rel_{os.getpid()}_{n}"
        pg_server.drop_database(admin_url, name)
        made.append(name)
        return pg_server.create_database(admin_url, name)

    yield make
    if admin_url is not None:
        for name in made:
            pg_server.drop_database(admin_url, name)


def fingerprint(
    db: Database, only: list[Table] | None = None
) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table in key order: equal fingerprints mean equal contents."""
    with db.engine.connect() as conn:
        return {
            table.name: [
                tuple(row) for row in conn.execute(select(table).order_by(*table.primary_key))
            ]
            for table in (tables() if only is None else only)
        }
