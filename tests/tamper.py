"""Tampering as the strongest attacker: a database superuser who switches the triggers off.

On PostgreSQL the audit tables refuse UPDATE, DELETE and TRUNCATE by trigger; a superuser (or
the schema owner) can still bypass triggers, and `verify-audit` must then name the damage.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import text

if TYPE_CHECKING:
    from desktop.store.database import Database


def tamper(db: Database, sql: str, **params: Any) -> None:
    """Run `sql` with the database's triggers off (session_replication_role, superuser only)."""
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql("SET LOCAL session_replication_role = replica")
        conn.execute(text(sql), params)
