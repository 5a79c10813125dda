"""Claims in a chosen status, without walking the whole lifecycle in every test."""

from __future__ import annotations

import io
from datetime import date

from reportlab.pdfgen import canvas

from j3490_desk.models import Claim
from j3490_desk.services import claims
from j3490_desk.services.app_data import AppData
from tests.sample_claims import sample_claim


def _confirmation_pdf() -> bytes:
    """A one-page portal confirmation, as a biller would save it."""
    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.drawString(72, 720, "Claim received. ICN 2026310000123")
    page.save()
    return out.getvalue()


PDF = _confirmation_pdf()


def claim_in(
    data: AppData, status: str, *, submitted_on: date | None = None, **changes: object
) -> int:
    claim_id = claims.create_claim(data, sample_claim(**changes))
    with data.db.write() as session:
        row = session.get(Claim, claim_id)
        assert row is not None
        row.status = status
        row.submitted_on = submitted_on
    return claim_id
