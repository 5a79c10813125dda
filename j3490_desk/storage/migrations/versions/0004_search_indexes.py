"""Search indexes: drug lines by name for the claim search, claims by prior-authorization end.

The claim search matches drug names anywhere in the name (LIKE '%term%'), which no B-tree
index can seek; it has to look at every drug line. ix_drug_line_name_search holds just what
that search reads (both names and the claim), so SQLite scans this small covering index
instead of the wide drug_line table. The work queue's prior-auth queues ask for a range of
prior_auth_valid_to, which ix_claim_prior_auth_valid_to serves once SQLite has statistics
(Database.dispose() keeps them). drug_line(claim_id) and drug_line(ndc) are indexed since 0001.
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
        batch_op.create_index(
            "ix_drug_line_name_search", ["brand_name", "generic_name", "claim_id"], unique=False
        )

    with op.batch_alter_table("claim", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_claim_prior_auth_valid_to"), ["prior_auth_valid_to"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("claim", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_claim_prior_auth_valid_to"))

    with op.batch_alter_table("drug_line", schema=None) as batch_op:
        batch_op.drop_index("ix_drug_line_name_search")
