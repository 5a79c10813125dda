"""Search indexes: drug lines by brand and generic name, claims by prior-authorization end.

The work queue's prior-auth queues ask for a range of prior_auth_valid_to; the claim search
looks drug lines up by name. drug_line(claim_id) and drug_line(ndc) are indexed since 0001.
Indexes only: no row or column changes.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("drug_line", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_drug_line_brand_name"), ["brand_name"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_drug_line_generic_name"), ["generic_name"], unique=False
        )

    with op.batch_alter_table("claim", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_claim_prior_auth_valid_to"), ["prior_auth_valid_to"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("claim", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_claim_prior_auth_valid_to"))

    with op.batch_alter_table("drug_line", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_drug_line_generic_name"))
        batch_op.drop_index(batch_op.f("ix_drug_line_brand_name"))
