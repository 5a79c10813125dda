"""What happened to a claim after it left the wizard: each status change, with its evidence.

A submission carries how and when it went and the payer's reference; a payment its amount;
a denial its CARC/RARC codes and the payer's note. Rows are only ever added.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Column, ForeignKey, Integer, UniqueConstraint
from sqlmodel import Field, SQLModel

from j3490_desk.models.column_types import AwareDateTime, DecimalText
from j3490_desk.models.tables import utc_now


class ClaimEvent(SQLModel, table=True):
    __tablename__ = "claim_event"

    id: int | None = Field(default=None, primary_key=True)
    claim_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("claim.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    at: datetime = Field(default_factory=utc_now, sa_type=AwareDateTime)
    user: str = ""
    from_status: str = ""
    to_status: str = ""
    event_date: date | None = None  # the day it happened (submitted, paid, denied)
    method: str = ""  # portal, clearinghouse, paper, fax
    reference_number: str = ""
    amount: Decimal | None = Field(default=None, sa_type=DecimalText)
    carc_codes: str = ""  # space-separated claim adjustment reason codes
    rarc_codes: str = ""  # space-separated remittance advice remark codes
    note: str = ""
    attachment_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("attachment.id", ondelete="SET NULL"), nullable=True),
    )


class AdjustmentCode(SQLModel, table=True):
    """A CARC or RARC code and its description, from a list the clinic imports or the app ships."""

    __tablename__ = "adjustment_code"
    __table_args__ = (UniqueConstraint("code_type", "code"),)

    id: int | None = Field(default=None, primary_key=True)
    code_type: str = ""  # CARC or RARC
    code: str = ""
    description: str = ""
