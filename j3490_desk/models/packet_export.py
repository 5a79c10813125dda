"""One row per documentation packet written for a claim: when, by whom, and what exactly.

The SHA-256 identifies the file sent; the control number is the one printed on every page
and entered in the claim's PWK segment or item 19.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Integer
from sqlmodel import Field, SQLModel

from j3490_desk.models.column_types import AwareDateTime
from j3490_desk.models.tables import utc_now


class PacketExport(SQLModel, table=True):
    __tablename__ = "packet_export"

    id: int | None = Field(default=None, primary_key=True)
    claim_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("claim.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    exported_at: datetime = Field(default_factory=utc_now, sa_type=AwareDateTime)
    exported_by: str = ""
    sha256: str = ""
    control_number: str = Field(default="", index=True)
    page_count: int = 0
    file_name: str = ""
    draft: bool = False
