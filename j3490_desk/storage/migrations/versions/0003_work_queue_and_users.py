"""Work queue and users: readiness, deadline and billed total cached on each claim; claim
events (submissions, payments, denials); CARC/RARC codes; user accounts; lock and backup settings.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "adjustment_code",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code_type", sa.String(), nullable=False),
        sa.Column("code", sa.String(), nullable=False),
        sa.Column("description", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code_type", "code"),
    )
    op.create_table(
        "app_user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(), nullable=False),
        sa.Column("display_name", sa.String(), nullable=False),
        sa.Column("password_hash", sa.String(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("username"),
    )
    op.create_table(
        "claim_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.String(length=40), nullable=False),
        sa.Column("user", sa.String(), nullable=False),
        sa.Column("from_status", sa.String(), nullable=False),
        sa.Column("to_status", sa.String(), nullable=False),
        sa.Column("event_date", sa.Date(), nullable=True),
        sa.Column("method", sa.String(), nullable=False),
        sa.Column("reference_number", sa.String(), nullable=False),
        sa.Column("amount", sa.String(length=40), nullable=True),
        sa.Column("carc_codes", sa.String(), nullable=False),
        sa.Column("rarc_codes", sa.String(), nullable=False),
        sa.Column("note", sa.String(), nullable=False),
        sa.Column("attachment_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["attachment_id"], ["attachment.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["claim_id"], ["claim.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("claim_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_claim_event_claim_id"), ["claim_id"], unique=False)

    with op.batch_alter_table("claim", schema=None) as batch_op:
        batch_op.add_column(sa.Column("readiness_checked_at", sa.String(length=40), nullable=True))
        batch_op.add_column(
            sa.Column(
                "readiness_blockers", sa.Integer(), nullable=False, server_default=sa.text("0")
            )
        )
        batch_op.add_column(
            sa.Column(
                "readiness_warnings", sa.Integer(), nullable=False, server_default=sa.text("0")
            )
        )
        batch_op.add_column(sa.Column("filing_deadline", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("billed_total", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("archived_at", sa.String(length=40), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_claim_filing_deadline"), ["filing_deadline"], unique=False
        )

    with op.batch_alter_table("clinic_settings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "notify_due_within_days", sa.Integer(), nullable=False, server_default=sa.text("3")
            )
        )
        batch_op.add_column(
            sa.Column(
                "auto_lock_minutes", sa.Integer(), nullable=False, server_default=sa.text("10")
            )
        )
        batch_op.add_column(
            sa.Column("backup_folder", sa.String(), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("backup_keep", sa.Integer(), nullable=False, server_default=sa.text("14"))
        )
        batch_op.add_column(sa.Column("last_auto_backup_at", sa.String(length=40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("clinic_settings", schema=None) as batch_op:
        batch_op.drop_column("last_auto_backup_at")
        batch_op.drop_column("backup_keep")
        batch_op.drop_column("backup_folder")
        batch_op.drop_column("auto_lock_minutes")
        batch_op.drop_column("notify_due_within_days")

    with op.batch_alter_table("claim", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_claim_filing_deadline"))
        batch_op.drop_column("archived_at")
        batch_op.drop_column("billed_total")
        batch_op.drop_column("filing_deadline")
        batch_op.drop_column("readiness_checked_at")
        batch_op.drop_column("readiness_warnings")
        batch_op.drop_column("readiness_blockers")

    with op.batch_alter_table("claim_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_claim_event_claim_id"))

    op.drop_table("claim_event")
    op.drop_table("app_user")
    op.drop_table("adjustment_code")
