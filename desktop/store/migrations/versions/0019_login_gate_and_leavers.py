"""Trust boundary, third part: refused log-ins counted, leavers' sessions ended, restore in step.

With personal logins the server refuses a wrong password before Wrenchbook sees it, so it never
counted towards the lock-out; a deactivated leaver's open connections stayed open; and a
restore left every login in the groups of the replaced users table. Here the log-in gate's
login counts a refused log-in (`wb_login_refused`), a deactivation ends the login's sessions,
and `wb_resync_accounts()` brings the logins in step after a restore. Run through their own
logins, the role table's calls found one more gap: a viewer may report a breakdown but had
no grant to write it; viewers get those writes, and every new order must start as requested
(see `desktop.store.db_roles.gate_sql`). Nothing changes on SQLite.

Revision ID: 0019
Revises: 0017
Create Date: 2026-12-05 20:30:00
"""

from __future__ import annotations

from alembic import op

from desktop.domain.enums import Role
from desktop.store.db_roles import (
    BREAKDOWN_WRITES,
    GATE_LOGIN,
    apply_account_sql,
    gate_sql,
    group_role,
)

revision = "0019"
down_revision = "0017"
branch_labels = None
depends_on = None

_REVOKES = "\n".join(
    f"REVOKE {privileges} ON {table} FROM {group_role(Role.VIEWER)};"
    for table, privileges in BREAKDOWN_WRITES.items()
)
_DROP = f"""
DROP TRIGGER IF EXISTS wb_new_order_guard ON work_orders;
DROP FUNCTION IF EXISTS wb_new_order_guard();
{_REVOKES}
DROP FUNCTION IF EXISTS wb_resync_accounts();
DROP FUNCTION IF EXISTS wb_login_refused(text);
REVOKE USAGE ON SCHEMA public FROM {GATE_LOGIN};
DROP ROLE IF EXISTS {GATE_LOGIN};
"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(gate_sql())


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(apply_account_sql(end_sessions=False))
        op.execute(_DROP)
        op.execute("DROP FUNCTION IF EXISTS wb_end_sessions(text)")
