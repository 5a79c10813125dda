"""The WAC the clerk enters on a drug line, with its source (issue 14: NOC pricing by WAC).

CMS files carry no WAC; the clerk reads it from the invoice or a price list, and the packet
names where it came from. Existing lines get no WAC (NULL) and an empty source.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("drug_line", schema=None) as batch_op:
        batch_op.add_column(sa.Column("wac_per_package", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("wac_source", sa.String(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("drug_line", schema=None) as batch_op:
        batch_op.drop_column("wac_source")
        batch_op.drop_column("wac_per_package")
