"""Checking stored claims and claim files (the CLI's `claim check`, the claim view)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from j3490_desk.domain.findings import Finding
from j3490_desk.services import claim_json, claims
from j3490_desk.services.app_data import AppData
from j3490_desk.services.claim_check import findings_for


def claim_findings(data: AppData, claim_id: int, *, today: date | None = None) -> list[Finding]:
    """Check a stored claim; its counts are kept for the work queue's readiness column."""
    findings = findings_for(data, claims.get_claim(data, claim_id), today=today)
    claims.record_readiness(data, claim_id, findings)
    return findings


def file_findings(data: AppData, path: Path, *, today: date | None = None) -> list[Finding]:
    """Check a claim file without storing it."""
    return findings_for(data, claim_json.load_claim_file(path), today=today)
