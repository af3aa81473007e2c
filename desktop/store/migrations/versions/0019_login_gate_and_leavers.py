"""Trust boundary, third part: refused log-ins counted, leavers' sessions ended, restore in step.

With personal logins the server refuses a wrong password before Wrenchbook sees it, so it never
counted towards the lock-out; a deactivated leaver's open connections stayed open; and a
restore left every login in the groups of the replaced users table. Here the log-in gate's
login counts a refused log-in (`wb_login_refused`), a deactivation ends the login's sessions,
and `wb_resync_accounts()` brings the logins in step after a restore (see
`desktop.store.db_roles.gate_sql`). Nothing changes on SQLite.

Revision ID: 0019
Revises: 0017
Create Date: 2026-12-05 20:30:00
"""

from __future__ import annotations

from alembic import op

from desktop.store.db_roles import GATE_LOGIN, apply_account_sql, gate_sql

revision = "0019"
down_revision = "0017"
branch_labels = None
depends_on = None

_DROP = f"""
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
