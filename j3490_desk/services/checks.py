"""The claim check as the app runs it: the claim, the clinic's rules, the reference data, today."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from j3490_desk.domain.check import check_claim
from j3490_desk.domain.claim import Claim
from j3490_desk.domain.findings import Finding, Severity
from j3490_desk.services import claim_json, claims, records
from j3490_desk.services.app_data import AppData


def claim_findings(data: AppData, claim_id: int, *, today: date | None = None) -> list[Finding]:
    return findings_for(data, claims.get_claim(data, claim_id), today=today)


def file_findings(data: AppData, path: Path, *, today: date | None = None) -> list[Finding]:
    """Check a claim file without storing it."""
    return findings_for(data, claim_json.load_claim_file(path), today=today)


def findings_for(data: AppData, claim: Claim, *, today: date | None = None) -> list[Finding]:
    return check_claim(claim, today=today, facts=None, rules=records.clinic_rules(data))


def has_blockers(findings: list[Finding]) -> bool:
    return any(finding.severity is Severity.BLOCKER for finding in findings)
