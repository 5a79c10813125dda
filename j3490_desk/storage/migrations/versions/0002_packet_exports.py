"""Packet exports: one row per documentation packet written for a claim.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "packet_export",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("exported_at", sa.String(length=40), nullable=False),
        sa.Column("exported_by", sa.String(), nullable=False),
        sa.Column("sha256", sa.String(), nullable=False),
        sa.Column("control_number", sa.String(), nullable=False),
        sa.Column("page_count", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(), nullable=False),
        sa.Column("draft", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["claim_id"], ["claim.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("packet_export", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_packet_export_claim_id"), ["claim_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_packet_export_control_number"), ["control_number"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("packet_export", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_packet_export_control_number"))
        batch_op.drop_index(batch_op.f("ix_packet_export_claim_id"))

    op.drop_table("packet_export")
