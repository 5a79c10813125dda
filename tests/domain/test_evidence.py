"""Evidence is the stored file: a claim's "attached" flag or a tick proves nothing (issue 19).

Each missing-evidence finding: its severity, and attaching the file (the fix it names) clears
it without raising a new blocker. Paper kept at the clinic is a warning, never "attached".
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from j3490_desk.domain.billing import bill_lines
from j3490_desk.domain.check import check_claim
from j3490_desk.domain.claim import Claim, Payer
from j3490_desk.domain.evidence import NO_EVIDENCE, Evidence, EvidenceKind
from j3490_desk.domain.findings import Finding, Severity
from tests.domain import scenarios

INVOICE, ORDER, LABEL = EvidenceKind.INVOICE, EvidenceKind.ORDER, EvidenceKind.LABEL


def _line_changed(claim: Claim, index: int = 0, **parts: Any) -> Claim:
    """Replace nested parts of one drug line: invoice={"on_file": False}."""
    line = claim.drug_lines[index]
    for part, changes in parts.items():
        line = replace(line, **{part: replace(getattr(line, part), **changes)})
    lines = list(claim.drug_lines)
    lines[index] = line
    return replace(claim, drug_lines=tuple(lines))


def _check(claim: Claim, evidence: Evidence, make: Any = scenarios.rare_biologic) -> list[Finding]:
    scenario = make()
    return check_claim(claim, today=scenario.today, facts=scenario.facts, evidence=evidence)


def _found(findings: list[Finding], code: str) -> list[Finding]:
    return [f for f in findings if f.code == code]


def _blockers(findings: list[Finding]) -> set[tuple[str, int | None]]:
    return {(f.code, f.line) for f in findings if f.severity is Severity.BLOCKER}


def _stored_for_line(*kinds: EvidenceKind, line: int = 0) -> Evidence:
    return Evidence(frozenset((line, kind) for kind in kinds))


def test_the_attached_flag_is_not_evidence() -> None:
    """Rare biologic, Palmetto priced from the invoice: a claim file saying "attached" with no
    stored invoice has the blocker, and the message says why the flag does not count."""
    claim = _line_changed(
        scenarios.rare_biologic().claim,
        invoice={"attached": True, "on_file": False},
        prescription={"attached": True, "on_file": False},
    )
    findings = _check(claim, NO_EVIDENCE)
    (invoice,) = _found(findings, "INVOICE_MISSING")
    assert invoice.severity is Severity.BLOCKER and invoice.item == "2" and invoice.line == 0
    assert "says an invoice is attached, but no invoice file is stored" in invoice.message
    (order,) = _found(findings, "PRESCRIPTION_MISSING")
    assert order.severity is Severity.WARNING and "no signed order file is stored" in order.message
    (label,) = _found(findings, "LABEL_PHOTO_MISSING")
    assert label.severity is Severity.WARNING and label.item == "7"
    # The fix: attach the files. Every evidence finding goes, and no blocker comes instead.
    after = _check(claim, _stored_for_line(INVOICE, ORDER, LABEL))
    codes = {f.code for f in after}
    assert not codes & {"INVOICE_MISSING", "PRESCRIPTION_MISSING", "LABEL_PHOTO_MISSING"}
    assert _blockers(after) <= _blockers(findings) - {("INVOICE_MISSING", 0)}


def test_a_missing_invoice_blocks_only_where_the_line_is_priced_from_it() -> None:
    """FCSO/Palmetto: an invoice when there is no ASP or WAC price; priced from the invoice
    (invoice_markup, or a compound) it blocks, else it warns."""
    claim = _line_changed(scenarios.rare_biologic().claim, invoice={"on_file": False})
    assert _found(_check(claim, NO_EVIDENCE), "INVOICE_MISSING")[0].severity is Severity.BLOCKER
    asp = replace(claim, payer=scenarios.PALMETTO_ASP)
    assert _found(_check(asp, NO_EVIDENCE), "INVOICE_MISSING")[0].severity is Severity.WARNING


def test_paper_on_file_is_a_warning_and_the_scan_clears_it() -> None:
    scenario = scenarios.compound_trimix()  # J7999, paid by invoice (Novitas)
    findings = _check(scenario.claim, NO_EVIDENCE, scenarios.compound_trimix)
    not_sent = _found(findings, "INVOICE_NOT_SENT")
    assert [f.line for f in not_sent] == [0, 1, 2]
    assert all(f.severity is Severity.WARNING for f in not_sent)
    assert "priced from the invoice" in not_sent[0].message
    assert "attached" not in not_sent[0].message
    orders = _found(findings, "PRESCRIPTION_NOT_SENT")
    assert [f.severity for f in orders] == [Severity.WARNING] * 3
    assert not _found(findings, "INVOICE_MISSING")  # on file: no blocker for a missing scan
    # The fix: attach the invoice to line 2 only; the other lines keep their warning.
    after = _check(scenario.claim, _stored_for_line(INVOICE, line=1), scenarios.compound_trimix)
    assert [f.line for f in _found(after, "INVOICE_NOT_SENT")] == [0, 2]
    assert _blockers(after) == _blockers(findings)


def test_not_on_file_a_compound_without_its_invoice_is_blocked() -> None:
    scenario = scenarios.compound_trimix()
    claim = _line_changed(scenario.claim, 2, invoice={"on_file": False})
    every_file_but_one = Evidence(
        frozenset({(i, kind) for i in range(3) for kind in EvidenceKind} - {(2, INVOICE)})
    )
    findings = _check(claim, every_file_but_one, scenarios.compound_trimix)
    missing = _found(findings, "INVOICE_MISSING")
    assert [(f.line, f.severity) for f in missing] == [(2, Severity.BLOCKER)]
    assert "priced from the invoice" in missing[0].message


def test_a_claim_level_file_proves_every_line_and_a_line_file_only_its_own() -> None:
    whole = Evidence.of([(None, "invoice")])
    assert whole.has(INVOICE, 0) and whole.has(INVOICE, 5)
    second = Evidence.of([(1, "invoice"), (1, "medical_record"), (None, "other")])
    assert second.has(INVOICE, 1) and not second.has(INVOICE, 0)
    assert second.documents == frozenset({(1, INVOICE)})  # records prove no item


@pytest.mark.parametrize(
    ("kind", "code", "part"),
    [
        (INVOICE, "INVOICE_NOT_SENT", "invoice"),
        (ORDER, "PRESCRIPTION_NOT_SENT", "prescription"),
    ],
)
def test_each_on_file_finding_is_a_warning_cleared_by_its_file(
    kind: EvidenceKind, code: str, part: str
) -> None:
    scenario = scenarios.rare_biologic()
    without = scenarios.stored_without(kind)
    before = _check(scenario.claim, without)
    (finding,) = _found(before, code)
    assert finding.severity is Severity.WARNING and finding.source.startswith("domain.md")
    after = _check(scenario.claim, scenarios.STORED)
    assert not _found(after, code) and _blockers(after) <= _blockers(before)
    # Not on file either: the "missing" finding instead, never both
    claim = _line_changed(scenario.claim, **{part: {"on_file": False}})
    missing = {f.code for f in _check(claim, without)}
    assert code not in missing and code.replace("NOT_SENT", "MISSING") in missing


def test_the_invoice_note_follows_the_enclosed_invoice() -> None:
    """Railroad Medicare compounds: the note only when the invoice file is stored."""
    scenario = scenarios.compound_trimix()
    railroad = Payer("Railroad Medicare", narrative_profile="railroad")
    claim = replace(scenario.claim, payer=railroad)
    without = bill_lines(claim, facts=scenario.facts)
    assert not any("INVOICE" in b.narrative for b in without)
    with_first = bill_lines(claim, facts=scenario.facts, evidence=_stored_for_line(INVOICE))
    notes = ["INVOICE ATTACHED" in b.narrative for b in with_first if not b.is_waste_line]
    assert notes == [True, False, False]
