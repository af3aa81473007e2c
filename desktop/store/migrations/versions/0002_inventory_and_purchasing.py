"""Inventory and purchasing: parts, vendors, bins, stock levels, the ledger, orders.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 00:21:22.548959
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import desktop.store.types

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "stock_locations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stock_locations")),
        sa.UniqueConstraint("code", name=op.f("uq_stock_locations_code")),
    )
    op.create_table(
        "vendors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("contact", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=200), nullable=False),
        sa.Column("phone", sa.String(length=64), nullable=False),
        sa.Column("lead_time_days", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vendors")),
        sa.UniqueConstraint("code", name=op.f("uq_vendors_code")),
    )
    op.create_table(
        "parts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=64), nullable=False),
        sa.Column("description", sa.String(length=300), nullable=False),
        sa.Column("unit", sa.String(length=16), nullable=False),
        sa.Column("category", sa.String(length=64), nullable=False),
        sa.Column("default_vendor_id", sa.Integer(), nullable=True),
        sa.Column("unit_cost", sa.Float(), nullable=False),
        sa.Column("average_cost", sa.Float(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["default_vendor_id"], ["vendors.id"], name=op.f("fk_parts_default_vendor_id_vendors")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_parts")),
        sa.UniqueConstraint("number", name=op.f("uq_parts_number")),
    )
    op.create_table(
        "purchase_orders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("vendor_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "sent",
                "partly_received",
                "received",
                "closed",
                "cancelled",
                name="postatus",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("created_at", desktop.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("sent_at", desktop.store.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("closed_at", desktop.store.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_purchase_orders_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["vendor_id"], ["vendors.id"], name=op.f("fk_purchase_orders_vendor_id_vendors")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_purchase_orders")),
        sa.UniqueConstraint("number", name=op.f("uq_purchase_orders_number")),
    )
    with op.batch_alter_table("purchase_orders", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_purchase_orders_vendor_id"), ["vendor_id"], unique=False
        )

    op.create_table(
        "stock_bins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["location_id"],
            ["stock_locations.id"],
            name=op.f("fk_stock_bins_location_id_stock_locations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stock_bins")),
        sa.UniqueConstraint("code", name=op.f("uq_stock_bins_code")),
    )
    with op.batch_alter_table("stock_bins", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_stock_bins_location_id"), ["location_id"], unique=False
        )

    op.create_table(
        "purchase_order_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("purchase_order_id", sa.Integer(), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("part_id", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Float(), nullable=False),
        sa.Column("unit_price", sa.Float(), nullable=False),
        sa.Column("received", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["part_id"], ["parts.id"], name=op.f("fk_purchase_order_lines_part_id_parts")
        ),
        sa.ForeignKeyConstraint(
            ["purchase_order_id"],
            ["purchase_orders.id"],
            name=op.f("fk_purchase_order_lines_purchase_order_id_purchase_orders"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_purchase_order_lines")),
        sa.UniqueConstraint(
            "purchase_order_id",
            "line_no",
            name=op.f("uq_purchase_order_lines_purchase_order_id_line_no"),
        ),
    )
    with op.batch_alter_table("purchase_order_lines", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_purchase_order_lines_part_id"), ["part_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_purchase_order_lines_purchase_order_id"),
            ["purchase_order_id"],
            unique=False,
        )

    op.create_table(
        "stock_levels",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("part_id", sa.Integer(), nullable=False),
        sa.Column("bin_id", sa.Integer(), nullable=False),
        sa.Column("on_hand", sa.Float(), nullable=False),
        sa.Column("reserved", sa.Float(), nullable=False),
        sa.Column("min_qty", sa.Float(), nullable=False),
        sa.Column("max_qty", sa.Float(), nullable=False),
        sa.Column("reorder_qty", sa.Float(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", desktop.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["bin_id"], ["stock_bins.id"], name=op.f("fk_stock_levels_bin_id_stock_bins")
        ),
        sa.ForeignKeyConstraint(
            ["part_id"], ["parts.id"], name=op.f("fk_stock_levels_part_id_parts")
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["users.id"], name=op.f("fk_stock_levels_updated_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stock_levels")),
        sa.UniqueConstraint("part_id", "bin_id", name=op.f("uq_stock_levels_part_id_bin_id")),
    )
    with op.batch_alter_table("stock_levels", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_stock_levels_bin_id"), ["bin_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_stock_levels_part_id"), ["part_id"], unique=False)

    op.create_table(
        "purchase_requisitions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("part_id", sa.Integer(), nullable=False),
        sa.Column("vendor_id", sa.Integer(), nullable=True),
        sa.Column("quantity", sa.Float(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "open",
                "ordered",
                "closed",
                "cancelled",
                name="requisitionstatus",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("raised_at", desktop.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("po_line_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["part_id"], ["parts.id"], name=op.f("fk_purchase_requisitions_part_id_parts")
        ),
        sa.ForeignKeyConstraint(
            ["po_line_id"],
            ["purchase_order_lines.id"],
            name=op.f("fk_purchase_requisitions_po_line_id_purchase_order_lines"),
        ),
        sa.ForeignKeyConstraint(
            ["vendor_id"], ["vendors.id"], name=op.f("fk_purchase_requisitions_vendor_id_vendors")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_purchase_requisitions")),
    )
    with op.batch_alter_table("purchase_requisitions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_purchase_requisitions_part_id"), ["part_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_purchase_requisitions_status"), ["status"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_purchase_requisitions_vendor_id"), ["vendor_id"], unique=False
        )

    op.create_table(
        "stock_movements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", desktop.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "receipt",
                "issue",
                "return",
                "adjustment",
                "transfer",
                name="movementkind",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("part_id", sa.Integer(), nullable=False),
        sa.Column("stock_level_id", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Float(), nullable=False),
        sa.Column("unit_cost", sa.Float(), nullable=False),
        sa.Column("work_order_id", sa.Integer(), nullable=True),
        sa.Column("po_line_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["part_id"], ["parts.id"], name=op.f("fk_stock_movements_part_id_parts")
        ),
        sa.ForeignKeyConstraint(
            ["po_line_id"],
            ["purchase_order_lines.id"],
            name=op.f("fk_stock_movements_po_line_id_purchase_order_lines"),
        ),
        sa.ForeignKeyConstraint(
            ["stock_level_id"],
            ["stock_levels.id"],
            name=op.f("fk_stock_movements_stock_level_id_stock_levels"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_stock_movements_user_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["work_order_id"],
            ["work_orders.id"],
            name=op.f("fk_stock_movements_work_order_id_work_orders"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stock_movements")),
    )
    with op.batch_alter_table("stock_movements", schema=None) as batch_op:
        batch_op.create_index("ix_stock_movements_part_id_id", ["part_id", "id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_stock_movements_stock_level_id"), ["stock_level_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_stock_movements_work_order_id"), ["work_order_id"], unique=False
        )

    op.create_table(
        "stock_reservations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("work_order_id", sa.Integer(), nullable=False),
        sa.Column("part_id", sa.Integer(), nullable=False),
        sa.Column("stock_level_id", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["part_id"], ["parts.id"], name=op.f("fk_stock_reservations_part_id_parts")
        ),
        sa.ForeignKeyConstraint(
            ["stock_level_id"],
            ["stock_levels.id"],
            name=op.f("fk_stock_reservations_stock_level_id_stock_levels"),
        ),
        sa.ForeignKeyConstraint(
            ["work_order_id"],
            ["work_orders.id"],
            name=op.f("fk_stock_reservations_work_order_id_work_orders"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stock_reservations")),
        sa.UniqueConstraint(
            "work_order_id",
            "stock_level_id",
            name=op.f("uq_stock_reservations_work_order_id_stock_level_id"),
        ),
    )
    with op.batch_alter_table("stock_reservations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_stock_reservations_part_id"), ["part_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_stock_reservations_stock_level_id"), ["stock_level_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_stock_reservations_work_order_id"), ["work_order_id"], unique=False
        )

    op.create_table(
        "work_order_parts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("work_order_id", sa.Integer(), nullable=False),
        sa.Column("part_id", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["part_id"], ["parts.id"], name=op.f("fk_work_order_parts_part_id_parts")
        ),
        sa.ForeignKeyConstraint(
            ["work_order_id"],
            ["work_orders.id"],
            name=op.f("fk_work_order_parts_work_order_id_work_orders"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_work_order_parts")),
        sa.UniqueConstraint(
            "work_order_id", "part_id", name=op.f("uq_work_order_parts_work_order_id_part_id")
        ),
    )
    with op.batch_alter_table("work_order_parts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_work_order_parts_part_id"), ["part_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_work_order_parts_work_order_id"), ["work_order_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("work_order_parts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_work_order_parts_work_order_id"))
        batch_op.drop_index(batch_op.f("ix_work_order_parts_part_id"))

    op.drop_table("work_order_parts")
    with op.batch_alter_table("stock_reservations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stock_reservations_work_order_id"))
        batch_op.drop_index(batch_op.f("ix_stock_reservations_stock_level_id"))
        batch_op.drop_index(batch_op.f("ix_stock_reservations_part_id"))

    op.drop_table("stock_reservations")
    with op.batch_alter_table("stock_movements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stock_movements_work_order_id"))
        batch_op.drop_index(batch_op.f("ix_stock_movements_stock_level_id"))
        batch_op.drop_index("ix_stock_movements_part_id_id")

    op.drop_table("stock_movements")
    with op.batch_alter_table("purchase_requisitions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_purchase_requisitions_vendor_id"))
        batch_op.drop_index(batch_op.f("ix_purchase_requisitions_status"))
        batch_op.drop_index(batch_op.f("ix_purchase_requisitions_part_id"))

    op.drop_table("purchase_requisitions")
    with op.batch_alter_table("stock_levels", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stock_levels_part_id"))
        batch_op.drop_index(batch_op.f("ix_stock_levels_bin_id"))

    op.drop_table("stock_levels")
    with op.batch_alter_table("purchase_order_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_purchase_order_lines_purchase_order_id"))
        batch_op.drop_index(batch_op.f("ix_purchase_order_lines_part_id"))

    op.drop_table("purchase_order_lines")
    with op.batch_alter_table("stock_bins", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stock_bins_location_id"))

    op.drop_table("stock_bins")
    with op.batch_alter_table("purchase_orders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_purchase_orders_vendor_id"))

    op.drop_table("purchase_orders")
    op.drop_table("parts")
    op.drop_table("vendors")
    op.drop_table("stock_locations")
