"""Requests by mail, notifications, every machine stop recorded, shift handovers.

Revision ID: 0014
Revises: 0007
Create Date: 2026-12-05 08:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from desktop.store.types import UTCDateTime

revision = "0014"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Every machine stop is kept, with or without an order, and coded by an operator.
    with op.batch_alter_table("downtime_periods") as batch:
        batch.alter_column("work_order_id", existing_type=sa.Integer(), nullable=True)
        batch.add_column(sa.Column("stop_reason", sa.String(32), nullable=True))
        batch.add_column(sa.Column("coded_by_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("coded_at", UTCDateTime(timezone=True), nullable=True))
        batch.create_foreign_key(
            "fk_downtime_periods_coded_by_id_users", "users", ["coded_by_id"], ["id"]
        )
    # Plain ADD COLUMN: a batch copy of `users` would have to drop a table others refer to.
    op.add_column("users", sa.Column("email", sa.String(254), nullable=True))
    op.add_column(
        "users", sa.Column("digest", sa.Boolean(), nullable=False, server_default=sa.false())
    )
    op.create_table(
        "notification_events",
        sa.Column("key", sa.String(160), primary_key=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("entity_type", sa.String(64), nullable=False),
        sa.Column("entity_id", sa.String(64), nullable=False),
        sa.Column("subject", sa.String(300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "notification_outbox",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "event_key", sa.String(160), sa.ForeignKey("notification_events.key"), nullable=False
        ),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("address", sa.String(254), nullable=False),
        sa.Column("digest", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("claimed_by", sa.String(120), nullable=True),
        sa.Column("claimed_until", UTCDateTime(timezone=True), nullable=True),
        sa.Column("sent_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.UniqueConstraint("event_key", "user_id", "channel"),
    )
    op.create_index(
        "ix_notification_outbox_pending",
        "notification_outbox",
        ["sent_at", "channel", "next_attempt_at"],
    )
    op.create_table(
        "notification_preferences",
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id"), primary_key=True),
        sa.Column("kind", sa.String(32), primary_key=True),
        sa.Column("email", sa.Boolean(), nullable=False),
        sa.Column("desktop", sa.Boolean(), nullable=False),
    )
    cursor = op.create_table(
        "notification_cursor",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("audit_seq", sa.Integer(), nullable=False),
    )
    # Start at the current head: an upgraded site is not mailed about its whole history.
    head = op.get_bind().execute(sa.text("SELECT seq FROM audit_head WHERE id = 1")).scalar()
    op.bulk_insert(cursor, [{"id": 1, "audit_seq": head or 0}])
    op.create_table(
        "mail_relay",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("host", sa.String(255), nullable=False),
        sa.Column("port", sa.Integer(), nullable=False),
        sa.Column("security", sa.String(16), nullable=False),
        sa.Column("username", sa.String(255), nullable=False),
        sa.Column("sender", sa.String(254), nullable=False),
    )

    op.create_table(
        "mail_intake_mailbox",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("host", sa.String(255), nullable=False),
        sa.Column("port", sa.Integer(), nullable=False),
        sa.Column("security", sa.String(16), nullable=False),
        sa.Column("username", sa.String(255), nullable=False),
        sa.Column("folder", sa.String(255), nullable=False),
        sa.Column("default_asset", sa.String(64), nullable=False),
    )
    op.create_table(
        "mail_intake_received",
        sa.Column("message_id", sa.String(300), primary_key=True),
        sa.Column("work_order_number", sa.String(32), nullable=False),
        sa.Column("sender", sa.String(254), nullable=False),
        sa.Column("received_at", UTCDateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "shift_handovers",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("shift_start", UTCDateTime(timezone=True), nullable=False),
        sa.Column("shift_end", UTCDateTime(timezone=True), nullable=False),
        sa.Column("label", sa.String(64), nullable=False),
        sa.Column("drafted_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("figures_json", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("notes_by_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("notes_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("acknowledged_by_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("acknowledged_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.UniqueConstraint("shift_start", "shift_end"),
    )
    op.create_index("ix_shift_handovers_shift_end", "shift_handovers", ["shift_end"])


def downgrade() -> None:
    op.drop_index("ix_shift_handovers_shift_end", "shift_handovers")
    op.drop_table("shift_handovers")
    op.drop_table("mail_intake_received")
    op.drop_table("mail_intake_mailbox")
    op.drop_table("mail_relay")
    op.drop_table("notification_cursor")
    op.drop_table("notification_preferences")
    op.drop_index("ix_notification_outbox_pending", "notification_outbox")
    op.drop_table("notification_outbox")
    op.drop_table("notification_events")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("digest")
        batch.drop_column("email")
    with op.batch_alter_table("downtime_periods") as batch:
        batch.drop_constraint("fk_downtime_periods_coded_by_id_users", type_="foreignkey")
        batch.drop_column("coded_at")
        batch.drop_column("coded_by_id")
        batch.drop_column("stop_reason")
        batch.alter_column("work_order_id", existing_type=sa.Integer(), nullable=False)
