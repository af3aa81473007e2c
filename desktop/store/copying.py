"""Copy every table of the schema between two databases of any engine, row for row.

Backups of a PostgreSQL server and restores into either engine go through this: it needs
no client tools on the PATH, and SQLAlchemy's column types carry each value across engines
unchanged (aware datetimes, enums, floats, binary attachments).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Table, bindparam, func, select, text

from desktop.store.models import Base

if TYPE_CHECKING:
    from sqlalchemy import Connection

BATCH_ROWS = 5000
"""Rows read and written per round trip: bounds memory for tables of millions of samples."""


DERIVED = ("kpi_fact_blocks",)
"""Tables computed from the others (the KPI service's packed facts): backups and restores do
not copy them (a backup stays small); a restore marks them stale and the next dashboard packs
them afresh from the restored rows (`desktop.store.kpi_blocks.mark_replaced`)."""


def tables() -> list[Table]:
    """Every table of the schema that holds records, parents before children."""
    return [table for table in Base.metadata.sorted_tables if table.name not in DERIVED]


def _self_references(table: Table) -> list[str]:
    """Columns pointing at their own table (an asset's parent), filled in after all rows."""
    return [fk.parent.name for fk in table.foreign_keys if fk.column.table is table]


def replace_all(source: Connection, target: Connection) -> dict[str, int]:
    """Make every table in `target` hold exactly the rows of `source`; returns rows per table.

    Runs inside the callers' transactions, so a failure part-way leaves `target` as it was.
    """
    schema = tables()
    postgres = target.dialect.name == "postgresql"
    if postgres:
        _set_triggers(target, schema, "DISABLE")
    for table in reversed(schema):
        target.execute(table.delete())
    copied: dict[str, int] = {}
    for table in schema:
        copied[table.name] = _copy_table(source, target, table)
    if postgres:
        reset_sequences(target, schema)
        _set_triggers(target, schema, "ENABLE")
    return copied


def _set_triggers(target: Connection, schema: list[Table], verb: str) -> None:
    """Switch the database's audit and append-only triggers off or on (PostgreSQL).

    A restore replaces the trails with the backup's own, row for row: the append-only guards
    would refuse that, and the row log would record a million copies. Only the schema owner
    (the migrator) may do this; the switch is part of the restore's transaction, so the
    triggers are never off for anyone else.
    """
    for table in schema:
        target.exec_driver_sql(f'ALTER TABLE "{table.name}" {verb} TRIGGER USER')


def _copy_table(source: Connection, target: Connection, table: Table) -> int:
    later = _self_references(table)
    keys = [column.name for column in table.primary_key]
    rows = source.execution_options(yield_per=BATCH_ROWS).execute(
        select(table).order_by(*table.primary_key)
    )
    count = 0
    links: list[dict[str, object]] = []
    for batch in rows.mappings().partitions():
        values = [dict(row) for row in batch]
        for row in values:
            if any(row[name] is not None for name in later):
                links.append({f"k_{k}": row[k] for k in keys} | {n: row[n] for n in later})
                row.update(dict.fromkeys(later, None))
        target.execute(table.insert(), values)
        count += len(values)
    if links:
        where = [table.c[k] == bindparam(f"k_{k}") for k in keys]
        target.execute(table.update().where(*where), links)
    return count


def reset_sequences(target: Connection, schema: list[Table]) -> None:
    """Point each serial key's sequence (PostgreSQL) past the rows, so new rows get fresh ids."""
    for table in schema:
        keys = list(table.primary_key)
        if len(keys) != 1 or not keys[0].autoincrement or keys[0].type.python_type is not int:
            continue
        key = keys[0]
        sequence = target.execute(
            select(func.pg_get_serial_sequence(table.name, key.name))
        ).scalar_one()
        if sequence is None:
            continue
        highest = target.execute(select(func.max(key))).scalar_one()
        target.execute(
            text("SELECT setval(:sequence, :value, :called)"),
            {"sequence": sequence, "value": highest or 1, "called": highest is not None},
        )
