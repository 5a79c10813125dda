"""The claim check as the app runs it: the claim, the clinic's rules, the reference data, today.

Kept apart from `checks` (which loads stored claims) so that saving a claim can run it too.
"""

from __future__ import annotations

from datetime import date

from j3490_desk.domain.check import check_claim
from j3490_desk.domain.claim import Claim, DrugFacts
from j3490_desk.domain.evidence import NO_EVIDENCE, Evidence
from j3490_desk.domain.findings import Finding, Severity
from j3490_desk.domain.icd10 import lookup_icd10
from j3490_desk.domain.ndc_resolution import facts_key
from j3490_desk.reference.kinds import FileKind
from j3490_desk.services import attachments, records
from j3490_desk.services.app_data import AppData


def findings_for(data: AppData, claim: Claim, *, today: date | None = None) -> list[Finding]:
    return check_claim(
        claim,
        today=today,
        facts=drug_facts(data, claim),
        rules=records.clinic_rules(data),
        evidence=evidence_for(data, claim),
    )


def evidence_for(data: AppData, claim: Claim) -> Evidence:
    """The documents stored with the claim now (superseded versions aside), by drug line.

    A claim file that is not stored has none, whatever its "attached" flags say. A file on a
    drug line that is no longer on the claim proves nothing for the other lines."""
    if claim.id is None:
        return NO_EVIDENCE
    line_index = {line.id: i for i, line in enumerate(claim.drug_lines) if line.id is not None}
    stored: list[tuple[int | None, str]] = []
    for info in attachments.list_attachments(data, claim.id):
        if info.drug_line_id is None:
            stored.append((None, info.kind.value))
        elif info.drug_line_id in line_index:
            stored.append((line_index[info.drug_line_id], info.kind.value))
    return Evidence.of(stored)


def drug_facts(data: AppData, claim: Claim) -> dict[str, DrugFacts] | None:
    """What the reference data says about each valid NDC on the claim, on its date of service;
    None when no FDA directory is loaded (the check then says which rules it skipped)."""
    if not data.paths.reference_database.exists():
        return None
    loaded = {item.kind for item in data.reference.status().loaded}
    if FileKind.FDA_NDC_DIRECTORY not in loaded:
        return None
    facts: dict[str, DrugFacts] = {}
    for line in claim.drug_lines:
        key = facts_key(line.ndc)  # a hyphen-less 10-digit NDC: its digits, for the directory
        if key is None:
            continue  # the check reports the NDC itself
        facts[key] = data.reference.drug_facts(key, claim.date_of_service)
    return facts


def has_blockers(findings: list[Finding]) -> bool:
    return any(finding.severity is Severity.BLOCKER for finding in findings)


def warm_up() -> None:
    """Load the ICD-10-CM code set (seconds) in the background at start-up, so the clerk's
    first claim check does not pause on it."""
    lookup_icd10("E11.9")
