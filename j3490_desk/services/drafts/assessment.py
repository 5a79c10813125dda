"""What the wizard shows after each change: the findings, the message next to each field, the
pre-submission checklist and the code each drug line should carry."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from j3490_desk.domain import claim as domain
from j3490_desk.domain.findings import Finding, Severity
from j3490_desk.domain.noc_code import CodeSuggestion, facts_for_line, suggest_code
from j3490_desk.domain.payer_profiles import profile_for
from j3490_desk.services import claim_check
from j3490_desk.services.app_data import AppData
from j3490_desk.services.drafts.checklist import ChecklistEntry, checklist
from j3490_desk.services.drafts.field_messages import FieldKey, field_of, field_problems, step_of


@dataclass(frozen=True)
class Assessment:
    """What the wizard shows after a change: findings, field messages, the checklist."""

    findings: tuple[Finding, ...]
    fields: Mapping[FieldKey, str]
    checklist: tuple[ChecklistEntry, ...]
    suggestions: tuple[CodeSuggestion, ...]  # the code each drug line should carry

    def step_findings(self, step: str) -> list[Finding]:
        """Findings fixed on this step that have no field of their own there."""
        return [f for f in self.findings if step_of(f) == step and field_of(f) is None]

    @property
    def blockers(self) -> list[Finding]:
        return [f for f in self.findings if _is_blocker(f)]


def assess(
    data: AppData,
    claim: domain.Claim,
    *,
    today: date | None = None,
    texts: Mapping[FieldKey, str] = {},
) -> Assessment:
    facts = claim_check.drug_facts(data, claim)
    findings = claim_check.findings_for(data, claim, today=today)
    compound_code = profile_for(claim.payer).compound_code
    suggestions = tuple(
        suggest_code(
            line,
            claim.date_of_service,
            claim.place_of_service,
            facts_for_line(line, facts),
            compound_code=compound_code,
        )
        for line in claim.drug_lines
    )
    return Assessment(
        findings=tuple(findings),
        fields=field_problems(claim, findings, texts),
        checklist=tuple(checklist(claim, findings, claim_check.evidence_for(data, claim))),
        suggestions=suggestions,
    )


def _is_blocker(finding: Finding) -> bool:
    return finding.severity is Severity.BLOCKER
