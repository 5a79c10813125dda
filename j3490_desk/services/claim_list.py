"""The claim list: summaries a page at a time, without loading the ORM (start-up depends on it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from j3490_desk.services.app_data import AppData
from j3490_desk.storage.claim_list import claim_page


@dataclass(frozen=True)
class ClaimSummary:
    """One row of the claim list."""

    id: int
    patient: str
    date_of_service: date
    payer: str
    drugs: str
    status: str
    updated_at: datetime


def list_claims(
    data: AppData, *, status: str | None = None, offset: int = 0, limit: int | None = None
) -> list[ClaimSummary]:
    """Claims newest date of service first, one page at a time when `limit` is given."""
    with data.db.read_plain() as connection:
        rows = claim_page(connection, offset=offset, limit=limit, status=status)
    return [
        ClaimSummary(
            id=claim_id,
            patient=patient,
            date_of_service=date.fromisoformat(served),
            payer=payer,
            drugs=drugs or "",
            status=claim_status,
            updated_at=datetime.fromisoformat(updated),
        )
        for claim_id, patient, served, payer, claim_status, updated, drugs in rows
    ]
