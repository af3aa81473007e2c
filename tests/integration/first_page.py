"""The board's first page as the start reads it, on either engine, for tests."""

from __future__ import annotations

from desktop.domain.board import FIRST_CARDS
from desktop.store import board_page
from desktop.store.board_page import FirstPage


def fast_page(url: str, per_stage: int = FIRST_CARDS) -> FirstPage | None:
    """sqlite3 on a SQLite file (as the start does), psycopg on PostgreSQL."""
    path = board_page.sqlite_file(url)
    if path is not None:
        return board_page.read_sqlite(path, per_stage)
    import psycopg

    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://", 1)) as conn:
        return board_page.read(conn, "%s", per_stage)
