"""Optional user accounts: the audit log names who did what, and the lock screen asks for a password."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from j3490_desk.models.column_types import AwareDateTime
from j3490_desk.models.tables import utc_now


class AppUser(SQLModel, table=True):
    __tablename__ = "app_user"

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(unique=True)
    display_name: str = ""
    password_hash: str = ""  # scrypt, with its parameters and salt
    active: bool = True
    created_at: datetime = Field(default_factory=utc_now, sa_type=AwareDateTime)
