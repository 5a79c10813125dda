"""After a new quarter's CMS files: which unsubmitted claim lines now have a specific code.

A drug billed as J3490 gets its own HCPCS code in some quarter; from then on J3490 is wrong
for it (domain.md section 13). Only claims not yet submitted are re-checked: the rest are
with the payer already.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlmodel import col, select

from j3490_desk.domain.claim import ClaimStatus
from j3490_desk.domain.ndc import NdcError, to_billing_ndc
from j3490_desk.models import Claim, DrugLine
from j3490_desk.reference.importing import ImportSummary
from j3490_desk.reference.recheck import LineToRecheck, RecheckHit
from j3490_desk.services.app_data import AppData

UNSUBMITTED = (ClaimStatus.DRAFT.value, ClaimStatus.READY.value)


def new_quarter_starts(summaries: Iterable[ImportSummary]) -> list[date]:
    """The quarters that became current with these imports (crosswalks and HCPCS files)."""
    return sorted({s.effective_from for s in summaries if s.became_current and s.kind.is_quarterly})


def recheck_unsubmitted(data: AppData, quarter_start: date) -> list[RecheckHit]:
    return data.reference.lines_with_specific_code(_unsubmitted_lines(data), quarter_start)


def _unsubmitted_lines(data: AppData) -> list[LineToRecheck]:
    query = (
        select(col(Claim.id), col(Claim.date_of_service), col(DrugLine.position), col(DrugLine.ndc))
        .join(DrugLine, col(DrugLine.claim_id) == col(Claim.id))
        .where(col(Claim.status).in_(UNSUBMITTED))
        .order_by(col(Claim.id), col(DrugLine.position))
    )
    lines = []
    with data.db.read() as session:
        for claim_id, served, position, ndc in session.exec(query):
            try:
                ndc11 = to_billing_ndc(ndc)
            except NdcError:
                continue  # the claim check reports it; nothing to look up
            lines.append(LineToRecheck(claim_id or 0, position, ndc11, served))
    return lines
