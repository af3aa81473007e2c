"""Condition monitoring: OPC UA tags, historian samples and minute aggregates, rules, alarms.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 00:21:37.070437
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import desktop.store.types

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "plant_tags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("asset_id", sa.Integer(), nullable=False),
        sa.Column("namespace_uri", sa.String(length=300), nullable=False),
        sa.Column("node_id", sa.String(length=300), nullable=False),
        sa.Column("unit", sa.String(length=32), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("analog", "counter", "state", name="datakind", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["asset_id"], ["assets.id"], name=op.f("fk_plant_tags_asset_id_assets")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plant_tags")),
        sa.UniqueConstraint("name", name=op.f("uq_plant_tags_name")),
    )
    with op.batch_alter_table("plant_tags", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plant_tags_asset_id"), ["asset_id"], unique=False)

    op.create_table(
        "condition_rules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("tag_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "threshold",
                "rate_of_change",
                "forecast",
                name="rulekind",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "direction",
            sa.Enum("above", "below", name="direction", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("limit", sa.Float(), nullable=False),
        sa.Column("hysteresis", sa.Float(), nullable=False),
        sa.Column("on_delay_s", sa.Float(), nullable=False),
        sa.Column("window_s", sa.Float(), nullable=False),
        sa.Column("horizon_s", sa.Float(), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tag_id"], ["plant_tags.id"], name=op.f("fk_condition_rules_tag_id_plant_tags")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_condition_rules")),
        sa.UniqueConstraint("name", name=op.f("uq_condition_rules_name")),
    )
    with op.batch_alter_table("condition_rules", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_condition_rules_tag_id"), ["tag_id"], unique=False)

    op.create_table(
        "plant_sample_minutes",
        sa.Column("tag_id", sa.Integer(), nullable=False),
        sa.Column("minute", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("vmin", sa.Float(), nullable=False),
        sa.Column("vmax", sa.Float(), nullable=False),
        sa.Column("vsum", sa.Float(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tag_id"], ["plant_tags.id"], name=op.f("fk_plant_sample_minutes_tag_id_plant_tags")
        ),
        sa.PrimaryKeyConstraint("tag_id", "minute", name=op.f("pk_plant_sample_minutes")),
    )
    op.create_table(
        "plant_samples",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("tag_id", sa.Integer(), nullable=False),
        sa.Column("ts", sa.Float(), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("quality", sa.SmallInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tag_id"], ["plant_tags.id"], name=op.f("fk_plant_samples_tag_id_plant_tags")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plant_samples")),
    )
    with op.batch_alter_table("plant_samples", schema=None) as batch_op:
        batch_op.create_index("ix_plant_samples_tag_ts", ["tag_id", "ts"], unique=False)

    op.create_table(
        "alarms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rule_id", sa.Integer(), nullable=False),
        sa.Column("open_rule_id", sa.Integer(), nullable=True),
        sa.Column("raised_at", desktop.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("measure", sa.Float(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("cleared_at", desktop.store.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("work_order_id", sa.Integer(), nullable=True),
        sa.Column("acknowledged_at", desktop.store.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("acknowledged_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["acknowledged_by_id"], ["users.id"], name=op.f("fk_alarms_acknowledged_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["open_rule_id"],
            ["condition_rules.id"],
            name=op.f("fk_alarms_open_rule_id_condition_rules"),
        ),
        sa.ForeignKeyConstraint(
            ["rule_id"], ["condition_rules.id"], name=op.f("fk_alarms_rule_id_condition_rules")
        ),
        sa.ForeignKeyConstraint(
            ["work_order_id"], ["work_orders.id"], name=op.f("fk_alarms_work_order_id_work_orders")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alarms")),
        sa.UniqueConstraint("open_rule_id", name=op.f("uq_alarms_open_rule_id")),
    )
    with op.batch_alter_table("alarms", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_alarms_rule_id"), ["rule_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_alarms_work_order_id"), ["work_order_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("alarms", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alarms_work_order_id"))
        batch_op.drop_index(batch_op.f("ix_alarms_rule_id"))

    op.drop_table("alarms")
    with op.batch_alter_table("plant_samples", schema=None) as batch_op:
        batch_op.drop_index("ix_plant_samples_tag_ts")

    op.drop_table("plant_samples")
    op.drop_table("plant_sample_minutes")
    with op.batch_alter_table("condition_rules", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_condition_rules_tag_id"))

    op.drop_table("condition_rules")
    with op.batch_alter_table("plant_tags", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plant_tags_asset_id"))

    op.drop_table("plant_tags")
