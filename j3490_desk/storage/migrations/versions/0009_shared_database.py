"""Several seats on one shared database: the claim's version counter and who saved it last,
the holds of claims open in a seat's wizard, and attachment content kept in the database.

`claim.version` starts at 1 for every existing claim; SQLAlchemy then refuses a save over a
newer one (version_id_col). The other tables start empty.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def _moment(name: str) -> sa.Column[str]:
    return sa.Column(name, sa.String(length=40), nullable=False)


def upgrade() -> None:
    with op.batch_alter_table("claim", schema=None) as batch_op:
        batch_op.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
        batch_op.add_column(sa.Column("updated_by", sa.String(), nullable=False, server_default=""))
    op.create_table(
        "claim_hold",
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("user", sa.String(), nullable=False),
        sa.Column("computer", sa.String(), nullable=False),
        sa.Column("seat", sa.String(), nullable=False),
        _moment("taken_at"),
        _moment("renewed_at"),
        sa.ForeignKeyConstraint(["claim_id"], ["claim.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("claim_id"),
    )
    op.create_table(
        "attachment_content",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("chunk_count", sa.Integer(), nullable=False),
        _moment("stored_at"),
        sa.PrimaryKeyConstraint("sha256"),
    )
    op.create_table(
        "attachment_chunk",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["sha256"], ["attachment_content.sha256"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("sha256", "position"),
    )


def downgrade() -> None:
    op.drop_table("attachment_chunk")
    op.drop_table("attachment_content")
    op.drop_table("claim_hold")
    with op.batch_alter_table("claim", schema=None) as batch_op:
        batch_op.drop_column("updated_by")
        batch_op.drop_column("version")
