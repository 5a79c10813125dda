"""The claim check as the app runs it: the stored claim, the clinic's rules, today's date."""

from __future__ import annotations

from datetime import date

from j3490_desk.domain.check import check_claim
from j3490_desk.domain.findings import Finding
from j3490_desk.services import claims, records
from j3490_desk.services.app_data import AppData


def claim_findings(data: AppData, claim_id: int, *, today: date | None = None) -> list[Finding]:
    claim = claims.get_claim(data, claim_id)
    return check_claim(claim, today=today, facts=None, rules=records.clinic_rules(data))
