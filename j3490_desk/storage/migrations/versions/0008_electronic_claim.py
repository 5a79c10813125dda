"""The electronic claim (837P): the billing provider's and submitter's details on the clinic,
the payer's electronic ID and PWK report type, and the patient, insured and claim-frequency
fields a claim needs beyond the paper-era header.

Every new column has a default, so an older claim reads as it did; what it lacks for an 837P
is a finding when the clerk exports one, never a guess.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

CLINIC = (
    "taxonomy",
    "city",
    "state",
    "zip",
    "submitter_id",
    "submitter_contact",
    "receiver_id",
    "receiver_name",
)
CLAIM = (
    "patient_address",
    "patient_city",
    "patient_state",
    "patient_zip",
    "patient_sex",
    "relationship",
    "subscriber_name",
    "original_claim_number",
    "documents_sent",
)


def _text(name: str, default: str = "") -> sa.Column[str]:
    return sa.Column(name, sa.String(), nullable=False, server_default=default)


def upgrade() -> None:
    with op.batch_alter_table("clinic_settings", schema=None) as batch_op:
        for name in CLINIC:
            batch_op.add_column(_text(name))
        batch_op.add_column(_text("usage", "T"))
    with op.batch_alter_table("payer", schema=None) as batch_op:
        batch_op.add_column(_text("payer_id"))
        batch_op.add_column(_text("pwk_report_type", "04"))
    with op.batch_alter_table("claim", schema=None) as batch_op:
        for name in CLAIM:
            batch_op.add_column(_text(name))
        batch_op.add_column(_text("frequency", "1"))


def downgrade() -> None:
    with op.batch_alter_table("claim", schema=None) as batch_op:
        for name in (*CLAIM, "frequency"):
            batch_op.drop_column(name)
    with op.batch_alter_table("payer", schema=None) as batch_op:
        batch_op.drop_column("pwk_report_type")
        batch_op.drop_column("payer_id")
    with op.batch_alter_table("clinic_settings", schema=None) as batch_op:
        for name in (*CLINIC, "usage"):
            batch_op.drop_column(name)
