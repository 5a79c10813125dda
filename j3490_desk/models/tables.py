"""The tables of the claims database. Alembic migrations create them; never `create_all()`.

Enumerated columns hold the values of the enums in `j3490_desk.domain.claim` as text, so a
database stays readable without the app. Money and amounts are exact (`DecimalText`);
every stored time carries its UTC offset (`AwareDateTime`).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import cast

from sqlalchemy import Column, ForeignKey, Index, Integer
from sqlmodel import Field, SQLModel

from j3490_desk.models.column_types import AwareDateTime, DecimalText


def utc_now() -> datetime:
    return datetime.now(UTC)


def _decimal(default: Decimal | None = None) -> Decimal | None:
    # Field() returns a FieldInfo typed Any; SQLModel reads it as this column's default.
    return cast("Decimal | None", Field(default=default, sa_type=DecimalText))


def _moment() -> datetime | None:
    return cast("datetime | None", Field(default=None, sa_type=AwareDateTime))


class ClinicSettings(SQLModel, table=True):
    """One row: the clinic and its rules (domain.findings.ClinicRules holds the defaults)."""

    __tablename__ = "clinic_settings"

    id: int | None = Field(default=None, primary_key=True)
    name: str = ""
    address: str = ""
    phone: str = ""
    fax: str = ""
    group_npi: str = ""
    tax_id: str = ""
    submit_within_days: int = 14
    prior_auth_warning_days: int = 14
    filing_warning_days: int = 30
    retention_years: int = 7
    max_attachment_mb: int = 50
    # since revision 0003
    notify_due_within_days: int = 3  # start-up notification for deadlines this close
    auto_lock_minutes: int = 10  # lock the window after this long idle; 0 = never
    backup_folder: str = ""  # daily automatic backups go here ("" = off)
    backup_keep: int = 14  # automatic backups kept in that folder
    last_auto_backup_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    # since revision 0006: the billing provider's and submitter's details for the 837P
    taxonomy: str = ""
    city: str = ""
    state: str = ""
    zip: str = ""
    submitter_id: str = ""
    submitter_contact: str = ""
    receiver_id: str = ""
    receiver_name: str = ""
    usage: str = "T"  # ISA15: T test, P production


class Patient(SQLModel, table=True):
    __tablename__ = "patient"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True)
    date_of_birth: date | None = None
    member_id: str = ""
    created_at: datetime = Field(default_factory=utc_now, sa_type=AwareDateTime)


class Payer(SQLModel, table=True):
    __tablename__ = "payer"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True)
    kind: str = "commercial"
    timely_filing_days: int | None = None
    pricing_policy: str = "invoice_markup"
    markup_percent: Decimal = Field(default=Decimal("0"), sa_type=DecimalText)
    prior_auth_required: bool = False
    narrative_profile: str = "generic"
    ndc_quantity_decimals: int = 3
    address: str = ""
    fax: str = ""
    payer_id: str = ""  # since 0006
    pwk_report_type: str = "04"  # since 0006


class Provider(SQLModel, table=True):
    __tablename__ = "provider"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True)
    credentials: str = ""
    npi: str = ""


# Claim.version's column, named before the class so its mapper can count saves with it.
_VERSION = Column("version", Integer, nullable=False, server_default="1")


class Claim(SQLModel, table=True):
    """A claim; drafts may not yet have a patient, payer or provider."""

    __tablename__ = "claim"

    id: int | None = Field(default=None, primary_key=True)
    patient_id: int | None = Field(default=None, foreign_key="patient.id", index=True)
    payer_id: int | None = Field(default=None, foreign_key="payer.id", index=True)
    provider_id: int | None = Field(default=None, foreign_key="provider.id", index=True)
    date_of_service: date = Field(index=True)
    place_of_service: str = "11"
    status: str = Field(default="draft", index=True)
    submitted_on: date | None = None
    # prior authorization
    prior_auth_status: str = "not_requested"
    prior_auth_number: str = ""
    prior_auth_valid_from: date | None = None
    prior_auth_valid_to: date | None = Field(default=None, index=True)  # since 0004
    # item 4, medical necessity, once per claim; ICD-10-CM codes space-separated, in order
    icd10_codes: str = ""
    prior_treatments: str = ""
    why_standard_failed: str = ""
    necessity_rationale: str = ""
    # where the clerk left off in the wizard
    resume_step: str = ""
    # since revision 0003, for the work queue: the last claim check's counts (None: never
    # checked), and the deadline and total computed on each save
    readiness_checked_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    readiness_blockers: int = 0
    readiness_warnings: int = 0
    filing_deadline: date | None = Field(default=None, index=True)
    billed_total: Decimal | None = Field(default=None, sa_type=DecimalText)
    archived_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    created_at: datetime = Field(default_factory=utc_now, sa_type=AwareDateTime)
    updated_at: datetime = Field(default_factory=utc_now, sa_type=AwareDateTime)
    # since revision 0006, for the 837P
    patient_address: str = ""
    patient_city: str = ""
    patient_state: str = ""
    patient_zip: str = ""
    patient_sex: str = ""
    relationship: str = ""
    subscriber_name: str = ""
    frequency: str = "1"
    original_claim_number: str = ""
    documents_sent: str = ""
    # since revision 0009: who saved it last, and a counter each save raises; a save made
    # from an older version (another seat saved in between) is refused, never overwrites
    updated_by: str = ""
    version: int = Field(default=1, sa_column=_VERSION)

    __mapper_args__ = {"version_id_col": _VERSION}


class DrugLine(SQLModel, table=True):
    """One drug on a claim, holding documentation items 1-3 and 5-9."""

    __tablename__ = "drug_line"
    # since revision 0004: the claim search reads only these, so it scans this index, not the
    # table (a LIKE '%term%' cannot seek any index)
    __table_args__ = (Index("ix_drug_line_name_search", "brand_name", "generic_name", "claim_id"),)

    id: int | None = Field(default=None, primary_key=True)
    claim_id: int = Field(
        sa_column=Column(Integer, ForeignKey("claim.id", ondelete="CASCADE"), index=True)
    )
    position: int = 0
    # item 1: the drug and how it is billed
    brand_name: str = ""
    generic_name: str = ""
    ndc: str = Field(default="", index=True)
    strength: str = ""
    kind: str = "drug"
    hcpcs_code: str = "J3490"
    modifiers: str = ""  # space-separated, in billing order
    billed_units: Decimal = Field(default=Decimal("1"), sa_type=DecimalText)
    charge: Decimal | None = _decimal()
    acquisition: str = "purchased"
    package_amount: Decimal | None = _decimal()
    package_unit: str = ""
    package_volume_ml: Decimal | None = _decimal()
    container: str = "single_dose"
    ndc_unit_qualifier: str = ""
    # item 2: invoice
    invoice_date: date | None = None
    invoice_supplier: str = ""
    invoice_number: str = ""
    invoice_drug: str = ""
    invoice_ndc: str = ""
    invoice_quantity: Decimal | None = _decimal()
    invoice_price_paid: Decimal | None = _decimal()
    invoice_attached: bool = False  # as a claim file stated it; proof is an attachment
    invoice_on_file: bool = False  # since 0005: paper at the clinic, not sent
    # WAC for pricing, from the invoice or a price list (since revision 0006)
    wac_per_package: Decimal | None = _decimal()
    wac_source: str = ""
    # item 3: dose
    dose_amount: Decimal | None = _decimal()
    dose_unit: str = ""
    route: str = ""
    administered_at: datetime | None = _moment()
    # item 5: prescription
    prescriber: str = ""
    prescription_date: date | None = None
    prescription_attached: bool = False
    prescription_on_file: bool = False  # since 0005
    # item 6: FDA status and off-label use
    fda_status: str = "unknown"
    off_label: bool = False
    off_label_rationale: str = ""
    compendium_reference: str = ""
    # item 7: lot
    lot_number: str = ""
    lot_expiration: date | None = None
    # item 8: waste, in the dose's unit
    waste_amount: Decimal | None = _decimal()
    waste_reason: str = ""
    # item 9: administration
    admin_start: datetime | None = _moment()
    admin_end: datetime | None = _moment()
    admin_cpt_code: str = ""


class Attachment(SQLModel, table=True):
    """A file proving part of a claim. Its content lives once in the store, named by SHA-256."""

    __tablename__ = "attachment"

    id: int | None = Field(default=None, primary_key=True)
    claim_id: int = Field(
        sa_column=Column(Integer, ForeignKey("claim.id", ondelete="CASCADE"), index=True)
    )
    drug_line_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("drug_line.id", ondelete="SET NULL"), index=True),
    )
    kind: str = "other"  # invoice, label_photo, prescription, medical_record, prior_auth, other
    sha256: str = Field(index=True)
    original_name: str = ""
    media_type: str = ""
    size_bytes: int = 0
    page_count: int = 1
    added_at: datetime = Field(default_factory=utc_now, sa_type=AwareDateTime)
    added_by: str = ""
    superseded_by_id: int | None = Field(default=None, foreign_key="attachment.id")


class AuditEntry(SQLModel, table=True):
    """Append-only: one row per change, each hashed together with the one before it."""

    __tablename__ = "audit_entry"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utc_now, sa_type=AwareDateTime)
    user: str = ""
    action: str = ""  # create, update, status, import, export, print, backup, restore
    entity: str = ""  # claim, drug_line, patient, payer, provider, settings, attachment
    entity_id: int | None = None
    claim_id: int | None = Field(default=None, index=True)  # no FK: the log outlives what it names
    changes: str = "{}"  # JSON: {field: [old, new]}
    prev_hash: str = ""
    entry_hash: str = ""
