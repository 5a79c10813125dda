"""Posted remittances (835 files): the file as received, and what each claim payment in it
posted. Rows are only ever added; a reversal is a new posting that names the one it undoes.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Column, ForeignKey, Integer, UniqueConstraint
from sqlmodel import Field, SQLModel

from j3490_desk.models.column_types import AwareDateTime, DecimalText
from j3490_desk.models.tables import utc_now


class RemittanceFile(SQLModel, table=True):
    """An imported 835; its content lives in the attachment store under this SHA-256."""

    __tablename__ = "remittance_file"

    id: int | None = Field(default=None, primary_key=True)
    sha256: str = Field(unique=True)
    original_name: str = ""
    size_bytes: int = 0
    imported_at: datetime = Field(default_factory=utc_now, sa_type=AwareDateTime)
    imported_by: str = ""


class RemittancePosting(SQLModel, table=True):
    """One claim payment (CLP loop) posted to one claim, with the check or EFT that paid it."""

    __tablename__ = "remittance_posting"
    # the same claim payment in the same check or EFT is posted once (a file imported twice)
    __table_args__ = (
        UniqueConstraint("claim_id", "trace_number", "payer_claim_number", "status_code"),
    )

    id: int | None = Field(default=None, primary_key=True)
    file_id: int = Field(
        sa_column=Column(Integer, ForeignKey("remittance_file.id"), nullable=False, index=True)
    )
    claim_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("claim.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    event_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("claim_event.id", ondelete="SET NULL")),
    )
    payer: str = ""  # N1*PR
    trace_number: str = ""  # TRN02: check or EFT number
    payment_method: str = ""  # BPR04
    paid_on: date | None = None  # BPR16 (else DTM*405)
    status_code: str = ""  # CLP02
    charged: Decimal = Field(default=Decimal("0"), sa_type=DecimalText)  # CLP03
    paid: Decimal = Field(default=Decimal("0"), sa_type=DecimalText)  # CLP04
    patient_responsibility: Decimal = Field(default=Decimal("0"), sa_type=DecimalText)  # CLP05
    payer_claim_number: str = ""  # CLP07
    remark_codes: str = ""  # claim-level RARC (MOA), space-separated
    reverses_id: int | None = Field(default=None, foreign_key="remittance_posting.id")


class RemittanceLine(SQLModel, table=True):
    """A service line (SVC) of a posting, matched to our drug line when it could be."""

    __tablename__ = "remittance_line"

    id: int | None = Field(default=None, primary_key=True)
    posting_id: int = Field(
        sa_column=Column(
            Integer,
            ForeignKey("remittance_posting.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        )
    )
    drug_line_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("drug_line.id", ondelete="SET NULL")),
    )
    procedure_code: str = ""
    modifiers: str = ""  # space-separated
    service_date: date | None = None
    control_number: str = ""  # REF*6R
    charged: Decimal = Field(default=Decimal("0"), sa_type=DecimalText)
    paid: Decimal = Field(default=Decimal("0"), sa_type=DecimalText)
    remark_codes: str = ""  # LQ*HE RARC, space-separated


class RemittanceAdjustment(SQLModel, table=True):
    """A CAS reason of a posting: on the claim (line_id None) or on one of its lines."""

    __tablename__ = "remittance_adjustment"

    id: int | None = Field(default=None, primary_key=True)
    posting_id: int = Field(
        sa_column=Column(
            Integer,
            ForeignKey("remittance_posting.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        )
    )
    line_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("remittance_line.id", ondelete="CASCADE")),
    )
    group_code: str = ""  # CO, PR, OA, PI, CR
    reason_code: str = ""  # CARC
    amount: Decimal = Field(default=Decimal("0"), sa_type=DecimalText)
