"""Evidence on file: a drug line's invoice or signed order kept on paper at the clinic.

A claim's "attached" flags stay as a claim file stated them, but they prove nothing: only a
stored attachment does. The clerk who has the paper and not the scan now says so with these
two columns ("on file at the clinic, not sent"), which the check reports as a warning.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("drug_line", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("invoice_on_file", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(
            sa.Column(
                "prescription_on_file", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("drug_line", schema=None) as batch_op:
        batch_op.drop_column("prescription_on_file")
        batch_op.drop_column("invoice_on_file")
