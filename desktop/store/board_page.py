"""The board's first page read with the bare DBAPI, before SQLAlchemy is imported at start.

Importing SQLAlchemy and the ORM models costs about six times a bare Qt window; `sqlite3` is
already loaded. So the start reads the board as it opens (`board.FIRST_PAGE`) here, shows it,
and loads the database layer behind it. Only the fetching is this module's: which rows make a
column, their order and what a card holds are `desktop.domain.board`'s, as for
`BoardService.columns`, and a test holds the two pages equal on SQLite and PostgreSQL.

It only reads, and only a database at this Wrenchbook's schema revision: anything else (an
older or newer schema, a missing file, a locked or broken database) gives None and the start
takes its usual path, which upgrades the schema or refuses it as always.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote

from desktop.domain import board
from desktop.domain.board import FIRST_CARDS, FIRST_PAGE, BoardColumn, CardRow
from desktop.domain.inventory import USE_KINDS, orders_short_of_parts
from desktop.domain.lifecycle import COMMITTED_STATUSES
from desktop.store.revision import HEAD_REVISION

if TYPE_CHECKING:
    from collections.abc import Sequence

BUSY_MS = 250
"""How long the read waits on a writer's lock before giving up (then the usual path reads)."""


@dataclass(frozen=True)
class FirstPage:
    """The board as it opens, and the site's time zone its due dates are shown in."""

    columns: list[BoardColumn]
    site_zone: str | None
    """None without a site: the board is empty then, and the services set the zone anyway."""


def sqlite_file(url: str) -> Path | None:
    """The existing file behind a plain `sqlite:///PATH` URL, else None (other engines, memory,
    query options: those take the usual path)."""
    prefix = "sqlite:///"
    if not url.startswith(prefix) or "?" in url:
        return None
    path = Path(unquote(url[len(prefix) :]))
    return path if path.name and path.is_file() else None


def read_sqlite(path: Path, per_stage: int = FIRST_CARDS) -> FirstPage | None:
    """The first page of the SQLite file at `path`, or None when it cannot be read here.

    Opened read-only (`mode=ro`): the read never creates, changes or migrates the file.
    """
    try:
        connection = sqlite3.connect(
            f"file:{quote(str(path))}?mode=ro", uri=True, timeout=BUSY_MS / 1000
        )
    except sqlite3.Error:
        return None
    try:
        return read(connection, "?", per_stage)
    except sqlite3.Error:
        return None
    finally:
        connection.close()


def read(connection: Any, mark: str, per_stage: int = FIRST_CARDS) -> FirstPage | None:
    """The first page through a DBAPI `connection` whose parameter marker is `mark` (`?` for
    sqlite3, `%s` for psycopg); None when the schema is not this Wrenchbook's revision.
    DBAPI errors are the caller's (each driver has its own)."""
    cursor = connection.cursor()
    cursor.execute("SELECT version_num FROM alembic_version")
    if cursor.fetchall() != [(HEAD_REVISION,)]:
        return None
    # As `site_calendar.load_calendar`: the first site's zone.
    cursor.execute("SELECT timezone FROM sites ORDER BY id LIMIT 1")
    site = cursor.fetchone()
    return FirstPage(_columns(cursor, mark, per_stage), None if site is None else site[0])


def _columns(cursor: Any, mark: str, per_stage: int) -> list[BoardColumn]:
    """The six columns as `BoardService.columns(FIRST_PAGE, per_stage)` gives them."""

    def rows(sql: str, values: Sequence[object]) -> list[tuple[Any, ...]]:
        cursor.execute(sql.replace("{in}", ", ".join([mark] * len(values))), tuple(values))
        found: list[tuple[Any, ...]] = cursor.fetchall()
        return found

    statuses = [s.value for s in board.statuses_read(FIRST_PAGE)]
    keys = rows(
        "SELECT id, status, priority, due_at FROM work_orders WHERE status IN ({in})", statuses
    )
    totals, chosen = board.most_urgent(keys, FIRST_PAGE, per_stage)
    ids = [i for stage_ids in chosen.values() for i in stage_ids]
    if not ids:
        return board.columns(totals, chosen, {})
    found = [
        CardRow(*row)
        for row in rows(
            "SELECT w.id, w.number, w.title, a.code, w.type, w.priority, w.status, w.due_at,"
            " w.hold_reason, w.version FROM work_orders w JOIN assets a ON a.id = w.asset_id"
            " WHERE w.id IN ({in})",
            ids,
        )
    ]
    crew: dict[int, list[str]] = {}
    for work_order_id, full_name in rows(
        "SELECT s.work_order_id, u.full_name FROM work_order_assignees s"
        " JOIN users u ON u.id = s.user_id WHERE s.work_order_id IN ({in})"
        " ORDER BY s.work_order_id, s.is_lead DESC, u.full_name",
        ids,
    ):
        crew.setdefault(work_order_id, []).append(full_name)
    committed = {s.value for s in COMMITTED_STATUSES}
    waiting: set[int] = set()
    held = [r.id for r in found if r.status in committed]
    if held:
        need = rows(
            "SELECT work_order_id, part_id, quantity FROM work_order_parts"
            " WHERE work_order_id IN ({in})",
            held,
        )
        reserved = rows(
            "SELECT work_order_id, part_id, SUM(quantity) FROM stock_reservations"
            " WHERE work_order_id IN ({in}) GROUP BY work_order_id, part_id",
            held,
        )
        # As `stock_engine.parts_used`: the ledger signs issues negative.
        kinds = ", ".join(f"'{kind.value}'" for kind in USE_KINDS)
        used = rows(
            "SELECT work_order_id, part_id, -COALESCE(SUM(quantity), 0.0) FROM stock_movements"
            f" WHERE kind IN ({kinds}) AND work_order_id IN ({{in}})"
            " GROUP BY work_order_id, part_id",
            held,
        )
        waiting = orders_short_of_parts(need, reserved, used)
    return board.columns(totals, chosen, {r.id: board.card(r, crew, waiting) for r in found})
