"""Triggers that mark a block of the packed KPI facts stale, on both engines, from any client.

The KPI service keeps the facts of every work order (with its labour and downtime) packed per
block of BLOCK_ORDERS order ids in `kpi_fact_blocks`. Whoever inserts, changes or deletes an
order, a labour entry or a downtime period (this app, another workstation, an import, a
hand-made SQL fix) raises the generation of the block the row belongs to in the same
transaction, so a reader can tell a current block from a stale one without reading the rows.
A block's row is never deleted, so its generation never repeats: a process may keep a block it
read for as long as the generation it was read at is the stored one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import text

if TYPE_CHECKING:
    from sqlalchemy import Connection

BLOCK_ORDERS = 16384
"""Work-order ids per block: about 2 MB of packed facts, rebuilt in a fraction of a second."""
NO_ORDER_BLOCK = -1
"""The block of the downtime periods that no order was open for."""

_KEYS = {
    "work_orders": "{row}.id / " + str(BLOCK_ORDERS),
    "labour_entries": "{row}.work_order_id / " + str(BLOCK_ORDERS),
    "downtime_periods": f"coalesce({{row}}.work_order_id / {BLOCK_ORDERS}, {NO_ORDER_BLOCK})",
}
"""The block a row belongs to, as SQL over NEW or OLD (integer division on both engines)."""

_BUMP = (
    "INSERT INTO kpi_fact_blocks (block_no, generation) VALUES ({key}, 1) "
    "ON CONFLICT (block_no) DO UPDATE SET generation = kpi_fact_blocks.generation + 1"
)
_STALE = (
    "UPDATE kpi_fact_blocks SET generation = generation + 1, built_generation = NULL, "
    "facts = NULL WHERE block_no >= :first"
)
_KEEP_ROW = (
    "INSERT INTO kpi_fact_blocks (block_no, generation) VALUES (:block_no, 0) "
    "ON CONFLICT (block_no) DO NOTHING"
)


def blocks_up_to(highest_order_id: int | None) -> list[int]:
    """Every block there is, in order, while the highest order id is `highest_order_id`: the
    stops of no order, then one per BLOCK_ORDERS ids."""
    return [NO_ORDER_BLOCK, *range(0, (highest_order_id or 0) // BLOCK_ORDERS + 1)]


def mark_stale(connection: Connection, first: int = NO_ORDER_BLOCK) -> None:
    """Give the stored blocks from `first` on a generation past any a reader holds, and drop
    their packed facts.

    Instead of deleting them: a deleted block made again would start over at generation 1
    (by a trigger) or 0 (packed by a reader), which a process that kept the block's earlier
    records may still hold, and it would reuse them.
    """
    connection.execute(text(_STALE), {"first": first})


def mark_replaced(connection: Connection, highest_before: int | None) -> None:
    """Mark every block stale after the records were replaced past the triggers (a restore:
    PostgreSQL's are switched off for it), in the caller's transaction.

    Every block up to the highest order id before or after gets a row first: a block without
    one counts as generation 0, which a process that packed it still holds for the replaced
    records.
    """
    highest_after = connection.execute(text("SELECT max(id) FROM work_orders")).scalar()
    blocks = blocks_up_to(max(highest_before or 0, highest_after or 0))
    connection.execute(text(_KEEP_ROW), [{"block_no": block} for block in blocks])
    mark_stale(connection)


def sqlite_triggers() -> list[str]:
    """One trigger per table and operation: SQLite's triggers have no TG_OP."""
    statements = []
    for table, key in _KEYS.items():
        for operation, rows in (
            ("INSERT", ("NEW",)),
            ("DELETE", ("OLD",)),
            ("UPDATE", ("OLD", "NEW")),
        ):
            bumps = "".join(f"    {_BUMP.format(key=key.format(row=row))};\n" for row in rows)
            statements.append(
                f"CREATE TRIGGER kpi_stale_{table}_{operation.lower()} "
                f"AFTER {operation} ON {table} BEGIN\n{bumps}END"
            )
    return statements


def sqlite_drops() -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS kpi_stale_{table}_{operation}"
        for table in _KEYS
        for operation in ("insert", "delete", "update")
    ]


def postgresql_triggers(owner_role: str) -> str:
    """Statement triggers with transition tables: one upsert per statement and block, so a bulk
    load of a million orders costs a grouping, not a million function calls. The function is
    SECURITY DEFINER: a viewer raising a breakdown request has no grant on the facts table,
    yet its order must mark the block."""
    parts = []
    for table, key in _KEYS.items():
        bumps = {
            rows: _BUMP.replace(
                "VALUES ({key}, 1)",
                f"SELECT DISTINCT {key.format(row='r')}, 1 FROM {rows} r ORDER BY 1",
            )
            for rows in ("old_rows", "new_rows")
        }
        parts.append(f"""
CREATE FUNCTION kpi_stale_{table}() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $fn$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        {bumps["old_rows"]};
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        {bumps["new_rows"]};
    END IF;
    RETURN NULL;
END
$fn$;
CREATE TRIGGER kpi_stale_insert AFTER INSERT ON {table}
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION kpi_stale_{table}();
CREATE TRIGGER kpi_stale_update AFTER UPDATE ON {table}
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION kpi_stale_{table}();
CREATE TRIGGER kpi_stale_delete AFTER DELETE ON {table}
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION kpi_stale_{table}();
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{owner_role}') THEN
        ALTER FUNCTION kpi_stale_{table}() OWNER TO {owner_role};
    END IF;
END
$$;""")
    return "\n".join(parts)


def postgresql_drops() -> str:
    drops = [
        f"DROP TRIGGER IF EXISTS kpi_stale_{operation} ON {table};"
        for table in _KEYS
        for operation in ("insert", "update", "delete")
    ]
    drops += [f"DROP FUNCTION IF EXISTS kpi_stale_{table}();" for table in _KEYS]
    return "\n".join(drops)
