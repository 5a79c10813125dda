"""Remittances: imported 835 files and what each claim payment in them posted (amounts, the
check or EFT, CAS adjustments with group code and CARC, remark codes, reversals).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

MONEY = sa.String(length=40)


def upgrade() -> None:
    op.create_table(
        "remittance_file",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(), nullable=False),
        sa.Column("original_name", sa.String(), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("imported_at", sa.String(length=40), nullable=False),
        sa.Column("imported_by", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("sha256"),
    )
    op.create_table(
        "remittance_posting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("file_id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("payer", sa.String(), nullable=False),
        sa.Column("trace_number", sa.String(), nullable=False),
        sa.Column("payment_method", sa.String(), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=True),
        sa.Column("status_code", sa.String(), nullable=False),
        sa.Column("charged", MONEY, nullable=False),
        sa.Column("paid", MONEY, nullable=False),
        sa.Column("patient_responsibility", MONEY, nullable=False),
        sa.Column("payer_claim_number", sa.String(), nullable=False),
        sa.Column("remark_codes", sa.String(), nullable=False),
        sa.Column("reverses_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["file_id"], ["remittance_file.id"]),
        sa.ForeignKeyConstraint(["claim_id"], ["claim.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["event_id"], ["claim_event.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["reverses_id"], ["remittance_posting.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("claim_id", "trace_number", "payer_claim_number", "status_code"),
    )
    with op.batch_alter_table("remittance_posting", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_remittance_posting_file_id"), ["file_id"])
        batch_op.create_index(batch_op.f("ix_remittance_posting_claim_id"), ["claim_id"])
    op.create_table(
        "remittance_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("posting_id", sa.Integer(), nullable=False),
        sa.Column("drug_line_id", sa.Integer(), nullable=True),
        sa.Column("procedure_code", sa.String(), nullable=False),
        sa.Column("modifiers", sa.String(), nullable=False),
        sa.Column("service_date", sa.Date(), nullable=True),
        sa.Column("control_number", sa.String(), nullable=False),
        sa.Column("charged", MONEY, nullable=False),
        sa.Column("paid", MONEY, nullable=False),
        sa.Column("remark_codes", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["posting_id"], ["remittance_posting.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["drug_line_id"], ["drug_line.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("remittance_line", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_remittance_line_posting_id"), ["posting_id"])
    op.create_table(
        "remittance_adjustment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("posting_id", sa.Integer(), nullable=False),
        sa.Column("line_id", sa.Integer(), nullable=True),
        sa.Column("group_code", sa.String(), nullable=False),
        sa.Column("reason_code", sa.String(), nullable=False),
        sa.Column("amount", MONEY, nullable=False),
        sa.ForeignKeyConstraint(["posting_id"], ["remittance_posting.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["line_id"], ["remittance_line.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("remittance_adjustment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_remittance_adjustment_posting_id"), ["posting_id"])


def downgrade() -> None:
    op.drop_table("remittance_adjustment")
    op.drop_table("remittance_line")
    op.drop_table("remittance_posting")
    op.drop_table("remittance_file")
