"""Tables for several seats on one shared database (they are made on SQLite too, and unused
there but for the version counter: one schema, one set of migrations).

- `ClaimHold`: the claim a seat has open in its wizard, so the others show it read-only as
  "open by NAME on COMPUTER". A seat renews its hold while the window is open; a hold not
  renewed for `HOLD_EXPIRES_AFTER` belongs to a seat that crashed, and lapses.
- `AttachmentContent` and `AttachmentChunk`: attachment files kept in the database itself,
  content-addressed by SHA-256 and cut in chunks, so no seat needs a shared folder and a
  backup of the server holds every file.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Integer, LargeBinary, String
from sqlmodel import Field, SQLModel

from j3490_desk.models.column_types import AwareDateTime
from j3490_desk.models.tables import utc_now


class ClaimHold(SQLModel, table=True):
    __tablename__ = "claim_hold"

    claim_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("claim.id", ondelete="CASCADE"), primary_key=True, nullable=False
        )
    )
    user: str = ""  # the signed-in user's name, as the other seats show it
    computer: str = ""
    seat: str = ""  # one window's random id: its own hold is not someone else's
    taken_at: datetime = Field(default_factory=utc_now, sa_type=AwareDateTime)
    renewed_at: datetime = Field(default_factory=utc_now, sa_type=AwareDateTime)


class AttachmentContent(SQLModel, table=True):
    __tablename__ = "attachment_content"

    sha256: str = Field(sa_column=Column(String(64), primary_key=True, nullable=False))
    size_bytes: int = 0
    chunk_count: int = 0
    stored_at: datetime = Field(default_factory=utc_now, sa_type=AwareDateTime)


class AttachmentChunk(SQLModel, table=True):
    __tablename__ = "attachment_chunk"

    sha256: str = Field(
        sa_column=Column(
            String(64),
            ForeignKey("attachment_content.sha256", ondelete="CASCADE"),
            primary_key=True,
            nullable=False,
        )
    )
    position: int = Field(sa_column=Column(Integer, primary_key=True, nullable=False))
    data: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
