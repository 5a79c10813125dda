"""What the wizard shows after each change: the findings, the message next to each field, the
pre-submission checklist and the code each drug line should carry."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date

from j3490_desk.domain import claim as domain
from j3490_desk.domain.findings import Finding, Severity
from j3490_desk.domain.noc_code import CodeSuggestion, facts_for_line, suggest_code
from j3490_desk.domain.payer_profiles import profile_for
from j3490_desk.services import claim_check
from j3490_desk.services.app_data import AppData
from j3490_desk.services.drafts.field_messages import (
    FieldKey,
    field_of,
    field_problems,
    severity_rank,
    step_of,
)
from j3490_desk.services.drafts.steps import (
    HEADER,
    LINE_ITEMS,
    NECESSITY,
    PROVIDER,
    STEP_OF_ITEM,
    line_step,
    step_keys,
)


@dataclass(frozen=True)
class ChecklistEntry:
    name: str  # "NDC", "Item 3: dose", ...
    state: str  # "complete", "warning" or "missing"
    step: str  # where to fix it
    detail: str = ""  # the first finding's message


COMPLETE, WARNING, MISSING = "complete", "warning", "missing"

_ITEM_NAMES = {
    "1": "Drug name and NDC",
    "2": "Purchase invoice",
    "3": "Dose, route, date",
    "4": "Medical necessity",
    "5": "Prescription",
    "6": "FDA status",
    "7": "Lot and expiry",
    "8": "Waste",
    "9": "Administration times",
    "10": "Provider and NPI",
}


def checklist(claim: domain.Claim, findings: list[Finding]) -> list[ChecklistEntry]:
    """The pre-submission checklist, then the ten items, each complete / warning / missing."""

    def entry(name: str, about: list[Finding], step: str) -> ChecklistEntry:
        worst = sorted(about, key=severity_rank)
        if not worst:
            return ChecklistEntry(name, COMPLETE, step)
        state = MISSING if worst[0].severity is Severity.BLOCKER else WARNING
        if worst[0].severity is Severity.INFO:
            state = COMPLETE
        return ChecklistEntry(name, state, step_of(worst[0]), worst[0].message)

    first_line = line_step(0, "1") if claim.drug_lines else HEADER
    by_item: dict[str, list[Finding]] = {}
    for finding in findings:
        by_item.setdefault(finding.item, []).append(finding)
        home = STEP_OF_ITEM.get(finding.item)
        if home in LINE_ITEMS:  # coding and narrative count for item 1, pricing for item 2
            by_item.setdefault(home, []).append(finding)
    entries = [
        entry("NDC", [f for f in findings if f.code.startswith("NDC_")], first_line),
        entry("Invoice", by_item.get("2", []), line_step(0, "2")),
        entry(
            "Medical necessity statement",
            [f for f in by_item.get("4", []) if f.code != "DIAGNOSIS_MISSING"]
            + [f for f in findings if f.code == "OFF_LABEL_NO_RATIONALE"],
            NECESSITY,
        ),
        entry(
            "Modifiers",
            by_item.get("modifiers", [])
            + [f for f in findings if f.code.startswith(("MODIFIER_", "WASTE_"))],
            line_step(0, "8"),
        ),
        entry("Authorization status", by_item.get("prior_auth", []), HEADER),
    ]
    for item, name in _ITEM_NAMES.items():
        home = NECESSITY if item == "4" else PROVIDER if item == "10" else line_step(0, item)
        entries.append(entry(f"{item}. {name}", by_item.get(item, []), home))
    return [e if e.step in step_keys(claim) else replace(e, step=HEADER) for e in entries]


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
        checklist=tuple(checklist(claim, findings)),
        suggestions=suggestions,
    )


def _is_blocker(finding: Finding) -> bool:
    return finding.severity is Severity.BLOCKER
