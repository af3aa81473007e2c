"""Work-order origin: what raised each order (request, breakdown report, PM schedule, condition
rule, inspection finding), replacing the three-valued `source`.

Existing orders keep what `source` said; manual ones become inspection findings when a failed
checklist item raised them, breakdown reports when the control-room display filed them (the
audit trail says so), and requests otherwise.

Revision ID: 0008
Revises: 0010
Create Date: 2026-12-05 11:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Both engines rename in place (SQLite 3.25+): no copy of the largest table, and the
    # foreign keys that point at it stay as they are. The values are plain VARCHAR(32).
    op.execute("ALTER TABLE work_orders RENAME COLUMN source TO origin")
    op.execute("UPDATE work_orders SET origin = 'request' WHERE origin = 'manual'")
    op.execute(
        "UPDATE work_orders SET origin = 'inspection_finding' "
        "WHERE id IN (SELECT corrective_id FROM checklist_findings)"
    )
    op.execute(
        "UPDATE work_orders SET origin = 'breakdown_report' WHERE origin = 'request' AND number IN "
        "(SELECT entity_id FROM audit_log WHERE action = 'raise breakdown request' "
        "AND entity_type = 'work_order')"
    )


def downgrade() -> None:
    op.execute(
        "UPDATE work_orders SET origin = 'manual' "
        "WHERE origin IN ('request', 'breakdown_report', 'inspection_finding')"
    )
    op.execute("ALTER TABLE work_orders RENAME COLUMN origin TO source")
