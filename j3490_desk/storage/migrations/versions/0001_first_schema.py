"""First schema: clinic settings, patients, payers, providers, claims, drug lines,
attachments and the audit log.

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.String(length=40), nullable=False),
        sa.Column("user", sa.String(), nullable=False),
        sa.Column("action", sa.String(), nullable=False),
        sa.Column("entity", sa.String(), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=True),
        sa.Column("claim_id", sa.Integer(), nullable=True),
        sa.Column("changes", sa.String(), nullable=False),
        sa.Column("prev_hash", sa.String(), nullable=False),
        sa.Column("entry_hash", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_entry_claim_id"), ["claim_id"], unique=False)

    op.create_table(
        "clinic_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("address", sa.String(), nullable=False),
        sa.Column("phone", sa.String(), nullable=False),
        sa.Column("fax", sa.String(), nullable=False),
        sa.Column("group_npi", sa.String(), nullable=False),
        sa.Column("tax_id", sa.String(), nullable=False),
        sa.Column("submit_within_days", sa.Integer(), nullable=False),
        sa.Column("prior_auth_warning_days", sa.Integer(), nullable=False),
        sa.Column("filing_warning_days", sa.Integer(), nullable=False),
        sa.Column("retention_years", sa.Integer(), nullable=False),
        sa.Column("max_attachment_mb", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "patient",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("date_of_birth", sa.Date(), nullable=True),
        sa.Column("member_id", sa.String(), nullable=False),
        sa.Column("created_at", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("patient", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_patient_name"), ["name"], unique=False)

    op.create_table(
        "payer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("timely_filing_days", sa.Integer(), nullable=True),
        sa.Column("pricing_policy", sa.String(), nullable=False),
        sa.Column("markup_percent", sa.String(length=40), nullable=False),
        sa.Column("prior_auth_required", sa.Boolean(), nullable=False),
        sa.Column("narrative_profile", sa.String(), nullable=False),
        sa.Column("ndc_quantity_decimals", sa.Integer(), nullable=False),
        sa.Column("address", sa.String(), nullable=False),
        sa.Column("fax", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("payer", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_payer_name"), ["name"], unique=False)

    op.create_table(
        "provider",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("credentials", sa.String(), nullable=False),
        sa.Column("npi", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("provider", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_provider_name"), ["name"], unique=False)

    op.create_table(
        "claim",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=True),
        sa.Column("payer_id", sa.Integer(), nullable=True),
        sa.Column("provider_id", sa.Integer(), nullable=True),
        sa.Column("date_of_service", sa.Date(), nullable=False),
        sa.Column("place_of_service", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("submitted_on", sa.Date(), nullable=True),
        sa.Column("prior_auth_status", sa.String(), nullable=False),
        sa.Column("prior_auth_number", sa.String(), nullable=False),
        sa.Column("prior_auth_valid_from", sa.Date(), nullable=True),
        sa.Column("prior_auth_valid_to", sa.Date(), nullable=True),
        sa.Column("icd10_codes", sa.String(), nullable=False),
        sa.Column("prior_treatments", sa.String(), nullable=False),
        sa.Column("why_standard_failed", sa.String(), nullable=False),
        sa.Column("necessity_rationale", sa.String(), nullable=False),
        sa.Column("resume_step", sa.String(), nullable=False),
        sa.Column("created_at", sa.String(length=40), nullable=False),
        sa.Column("updated_at", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patient.id"],
        ),
        sa.ForeignKeyConstraint(
            ["payer_id"],
            ["payer.id"],
        ),
        sa.ForeignKeyConstraint(
            ["provider_id"],
            ["provider.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("claim", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_claim_date_of_service"), ["date_of_service"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_claim_patient_id"), ["patient_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_claim_payer_id"), ["payer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_claim_provider_id"), ["provider_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_claim_status"), ["status"], unique=False)

    op.create_table(
        "drug_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("brand_name", sa.String(), nullable=False),
        sa.Column("generic_name", sa.String(), nullable=False),
        sa.Column("ndc", sa.String(), nullable=False),
        sa.Column("strength", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("hcpcs_code", sa.String(), nullable=False),
        sa.Column("modifiers", sa.String(), nullable=False),
        sa.Column("billed_units", sa.String(length=40), nullable=False),
        sa.Column("charge", sa.String(length=40), nullable=True),
        sa.Column("acquisition", sa.String(), nullable=False),
        sa.Column("package_amount", sa.String(length=40), nullable=True),
        sa.Column("package_unit", sa.String(), nullable=False),
        sa.Column("package_volume_ml", sa.String(length=40), nullable=True),
        sa.Column("container", sa.String(), nullable=False),
        sa.Column("ndc_unit_qualifier", sa.String(), nullable=False),
        sa.Column("invoice_date", sa.Date(), nullable=True),
        sa.Column("invoice_supplier", sa.String(), nullable=False),
        sa.Column("invoice_number", sa.String(), nullable=False),
        sa.Column("invoice_drug", sa.String(), nullable=False),
        sa.Column("invoice_ndc", sa.String(), nullable=False),
        sa.Column("invoice_quantity", sa.String(length=40), nullable=True),
        sa.Column("invoice_price_paid", sa.String(length=40), nullable=True),
        sa.Column("invoice_attached", sa.Boolean(), nullable=False),
        sa.Column("dose_amount", sa.String(length=40), nullable=True),
        sa.Column("dose_unit", sa.String(), nullable=False),
        sa.Column("route", sa.String(), nullable=False),
        sa.Column("administered_at", sa.String(length=40), nullable=True),
        sa.Column("prescriber", sa.String(), nullable=False),
        sa.Column("prescription_date", sa.Date(), nullable=True),
        sa.Column("prescription_attached", sa.Boolean(), nullable=False),
        sa.Column("fda_status", sa.String(), nullable=False),
        sa.Column("off_label", sa.Boolean(), nullable=False),
        sa.Column("off_label_rationale", sa.String(), nullable=False),
        sa.Column("compendium_reference", sa.String(), nullable=False),
        sa.Column("lot_number", sa.String(), nullable=False),
        sa.Column("lot_expiration", sa.Date(), nullable=True),
        sa.Column("waste_amount", sa.String(length=40), nullable=True),
        sa.Column("waste_reason", sa.String(), nullable=False),
        sa.Column("admin_start", sa.String(length=40), nullable=True),
        sa.Column("admin_end", sa.String(length=40), nullable=True),
        sa.Column("admin_cpt_code", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["claim_id"], ["claim.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("drug_line", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_drug_line_claim_id"), ["claim_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_drug_line_ndc"), ["ndc"], unique=False)

    op.create_table(
        "attachment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=True),
        sa.Column("drug_line_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("sha256", sa.String(), nullable=False),
        sa.Column("original_name", sa.String(), nullable=False),
        sa.Column("media_type", sa.String(), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("page_count", sa.Integer(), nullable=False),
        sa.Column("added_at", sa.String(length=40), nullable=False),
        sa.Column("added_by", sa.String(), nullable=False),
        sa.Column("superseded_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["claim_id"], ["claim.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["drug_line_id"], ["drug_line.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(
            ["superseded_by_id"],
            ["attachment.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("attachment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_attachment_claim_id"), ["claim_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_attachment_drug_line_id"), ["drug_line_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_attachment_sha256"), ["sha256"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("attachment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_attachment_sha256"))
        batch_op.drop_index(batch_op.f("ix_attachment_drug_line_id"))
        batch_op.drop_index(batch_op.f("ix_attachment_claim_id"))

    op.drop_table("attachment")
    with op.batch_alter_table("drug_line", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_drug_line_ndc"))
        batch_op.drop_index(batch_op.f("ix_drug_line_claim_id"))

    op.drop_table("drug_line")
    with op.batch_alter_table("claim", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_claim_status"))
        batch_op.drop_index(batch_op.f("ix_claim_provider_id"))
        batch_op.drop_index(batch_op.f("ix_claim_payer_id"))
        batch_op.drop_index(batch_op.f("ix_claim_patient_id"))
        batch_op.drop_index(batch_op.f("ix_claim_date_of_service"))

    op.drop_table("claim")
    with op.batch_alter_table("provider", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_provider_name"))

    op.drop_table("provider")
    with op.batch_alter_table("payer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_payer_name"))

    op.drop_table("payer")
    with op.batch_alter_table("patient", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_patient_name"))

    op.drop_table("patient")
    op.drop_table("clinic_settings")
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_entry_claim_id"))

    op.drop_table("audit_entry")
