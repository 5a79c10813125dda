"""The wizard's checklist: one row per documentation item, then the prior authorization and the
filing deadline, each once.

A row's state comes from the same findings the review page lists (the claim check's), mapped to
the row by the finding's item, and from what was entered: a row with nothing entered yet is
"not started", never "complete", because a rule that finds nothing wrong with an empty field
has not proven the item. The order of states, worst first: blocker, not started, warning,
complete (an info finding leaves a row complete).
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from j3490_desk.domain import claim as domain
from j3490_desk.domain.check import INFUSION_CODES
from j3490_desk.domain.evidence import NO_EVIDENCE, Evidence, EvidenceKind
from j3490_desk.domain.findings import Finding, Severity
from j3490_desk.services.drafts.field_messages import severity_rank, step_of
from j3490_desk.services.drafts.steps import HEADER, NECESSITY, PROVIDER, line_step, step_keys


class RowState(enum.StrEnum):
    BLOCKER = "blocker"
    NOT_STARTED = "not started"
    WARNING = "warning"
    COMPLETE = "complete"


@dataclass(frozen=True)
class ChecklistEntry:
    name: str  # "1. Drug name and NDC", "Filing deadline", ...
    state: RowState
    step: str  # where to fix it
    detail: str = ""  # why it is not complete: the worst finding's message, or what is missing
    notes: tuple[str, ...] = ()  # every finding's message on this row, worst first
    warnings: int = 0  # how many of them are warnings (a row not started may have some too)


NOTHING_ENTERED = "Nothing entered yet."

# A line's own check for "entered": None when the item has something in it (typed, or a stored
# document of the kind it needs), else why not.
LineCheck = Callable[[domain.DrugLine, frozenset[EvidenceKind]], str | None]


def _any(*values: object) -> bool:
    return any(value not in (None, "", ()) and value is not False for value in values)


def _entered(*values: object) -> str | None:
    return None if _any(*values) else NOTHING_ENTERED


def _drug(line: domain.DrugLine, _stored: frozenset[EvidenceKind]) -> str | None:
    return _entered(line.ndc, line.brand_name, line.generic_name, line.strength)


def _invoice(line: domain.DrugLine, stored: frozenset[EvidenceKind]) -> str | None:
    if line.acquisition is not domain.Acquisition.PURCHASED or EvidenceKind.INVOICE in stored:
        return None  # a donated drug or sample has no invoice; the rules say what that means
    invoice = line.invoice
    return _entered(
        invoice.date, invoice.supplier, invoice.number, invoice.drug, invoice.ndc,
        invoice.quantity, invoice.price_paid, invoice.attached, invoice.on_file,
    )  # fmt: skip


def _missing(fields: dict[str, object]) -> str | None:
    """None when every field is filled; else what is still empty (a row half filled is not
    complete: the rules do not all check an empty field)."""
    empty = [name for name, value in fields.items() if not _any(value)]
    if not empty:
        return None
    if len(empty) == len(fields):
        return NOTHING_ENTERED
    return f"Still to enter: {', '.join(empty)}."


def _dose(line: domain.DrugLine, _stored: frozenset[EvidenceKind]) -> str | None:
    dose = line.dose
    return _missing(
        {"the dose": dose.amount, "its unit": dose.unit, "the route": dose.route,
         "the date and time given": dose.administered_at}
    )  # fmt: skip


def _order(line: domain.DrugLine, stored: frozenset[EvidenceKind]) -> str | None:
    if EvidenceKind.ORDER in stored:
        return None
    order = line.prescription
    return _entered(order.prescriber, order.date, order.attached, order.on_file)


def _fda(line: domain.DrugLine, _stored: frozenset[EvidenceKind]) -> str | None:
    if line.fda.status is domain.FdaStatus.UNKNOWN:
        return "The FDA status is still 'unknown': choose it."
    return None


def _lot(line: domain.DrugLine, stored: frozenset[EvidenceKind]) -> str | None:
    if EvidenceKind.LABEL in stored:
        return None
    return _entered(line.lot.number, line.lot.expiration)


def _waste(line: domain.DrugLine, _stored: frozenset[EvidenceKind]) -> str | None:
    if line.package.container is domain.ContainerType.MULTI_DOSE:
        return None  # nothing is discarded from a multi-dose vial; the rules check a typed one
    if line.dose.amount is not None and line.package.amount is not None and line.package.unit:
        return None  # the waste rules account for every unit of the opened packages
    return _entered(line.waste.amount, line.waste.reason, line.modifiers)


def _administration(line: domain.DrugLine, _stored: frozenset[EvidenceKind]) -> str | None:
    """The code and the start and end times; an injection has no start and end, so for it the
    time given (item 3) stands in for them (the rules ask for times only with an infusion code)."""
    admin = line.administration
    if admin.start is None and admin.end is None and admin.cpt_code:
        if line.dose.administered_at is not None and admin.cpt_code not in INFUSION_CODES:
            return None
        if admin.cpt_code not in INFUSION_CODES:
            return "No time of administration: enter the start and end times, or the time given."
    return _missing(
        {"the start time": admin.start, "the end time": admin.end,
         "the administration code": admin.cpt_code}
    )  # fmt: skip


@dataclass(frozen=True)
class _Row:
    name: str
    items: tuple[str, ...]  # the findings' `item` values this row shows
    line_check: LineCheck | None = None  # for the drug-line items; items[0] is their step


_LINE_ROWS = (
    _Row("1. Drug name and NDC", ("1", "coding", "narrative"), _drug),
    _Row("2. Purchase invoice", ("2", "pricing"), _invoice),
    _Row("3. Dose, route, date", ("3",), _dose),
)
_LATER_LINE_ROWS = (
    _Row("5. Prescription", ("5",), _order),
    _Row("6. FDA status", ("6",), _fda),
    _Row("7. Lot and expiry", ("7",), _lot),
    _Row("8. Waste and modifiers", ("8", "modifiers"), _waste),
    _Row("9. Administration times", ("9",), _administration),
)
_NECESSITY = _Row("4. Medical necessity", ("4",))
_PROVIDER = _Row("10. Provider and NPI", ("10",))
_PRIOR_AUTH = _Row("Prior authorization", ("prior_auth",))
_DEADLINE = _Row("Filing deadline", ("timely_filing",))
ROWS = (*_LINE_ROWS, _NECESSITY, *_LATER_LINE_ROWS, _PROVIDER, _PRIOR_AUTH, _DEADLINE)
OTHER = "Other checks"  # a row only when a finding's item belongs to none of the rows above


def checklist(
    claim: domain.Claim, findings: Iterable[Finding], evidence: Evidence = NO_EVIDENCE
) -> list[ChecklistEntry]:
    """The rows, in the order above, from the claim check's findings, the claim and the
    documents stored with it."""
    by_row: dict[str, list[Finding]] = {}
    row_of_item = {item: row.name for row in ROWS for item in row.items}
    for finding in findings:
        by_row.setdefault(row_of_item.get(finding.item, OTHER), []).append(finding)
    entries = []
    for row in ROWS:
        about = by_row.get(row.name, [])
        if row.line_check is not None:
            entries.append(_line_entry(claim, row, row.line_check, about, evidence))
        else:
            home = {"4": NECESSITY, "10": PROVIDER}.get(row.items[0], HEADER)
            entries.append(_entry(row.name, about, home, _claim_unfinished(claim, row)))
    if OTHER in by_row:
        entries.append(_entry(OTHER, by_row[OTHER], HEADER, None))
    steps = step_keys(claim)
    return [e if e.step in steps else replace(e, step=HEADER) for e in entries]


def _line_entry(
    claim: domain.Claim, row: _Row, line_check: LineCheck, about: list[Finding], evidence: Evidence
) -> ChecklistEntry:
    """A drug-line item: not started while any line has nothing in it; its step is the first
    such line's."""
    unfinished = [
        (i, line_check(line, frozenset(k for k in EvidenceKind if evidence.has(k, i))))
        for i, line in enumerate(claim.drug_lines)
    ]
    missing = [(i, why) for i, why in unfinished if why is not None]
    if not claim.drug_lines:
        return _entry(row.name, about, HEADER, "No drug line yet.")
    home = line_step(missing[0][0] if missing else 0, row.items[0])
    why = None
    if missing:
        index, why = missing[0]
        if len(claim.drug_lines) > 1:
            why = f"Drug {index + 1}: {why}"
    return _entry(row.name, about, home, why)


def _claim_unfinished(claim: domain.Claim, row: _Row) -> str | None:
    if row is _NECESSITY:
        need = claim.medical_necessity
        return _entered(
            need.icd10_codes, need.prior_treatments, need.why_standard_failed, need.rationale
        )
    if row is _PROVIDER:
        return _missing({"the provider's name": claim.provider.name, "the NPI": claim.provider.npi})
    # Prior authorization and the filing deadline both depend on who pays.
    return None if claim.payer.name else "Choose the payer first."


def _entry(name: str, about: list[Finding], home: str, unfinished: str | None) -> ChecklistEntry:
    ranked = sorted(about, key=severity_rank)
    notes = tuple(f.message for f in ranked)
    warnings = sum(f.severity is Severity.WARNING for f in ranked)
    worst = ranked[0] if ranked else None
    if worst is not None and worst.severity is Severity.BLOCKER:
        state, step, detail = RowState.BLOCKER, step_of(worst), worst.message
    elif unfinished is not None:
        state, step, detail = RowState.NOT_STARTED, home, unfinished
    elif worst is not None and worst.severity is Severity.WARNING:
        state, step, detail = RowState.WARNING, step_of(worst), worst.message
    else:
        state, step, detail = RowState.COMPLETE, home, ""
    return ChecklistEntry(name, state, step, detail, notes, warnings)
