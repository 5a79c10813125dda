"""Importing a claim file: what is stored is what the file says, and the clerk is told the rest.

- Parties: a saved patient, payer or provider is reused only when every one of its settings
  equals the file's. One with the same identity (a payer's name, a provider's NPI, a patient's
  name and date of birth) but other settings is named with each difference, and the file's
  values are kept as a new record, unless the clerk asks for the saved one (`use_saved`).
- Status: a claim arrives in the status its file gives only with the evidence the lifecycle
  asks for (domain.claim_lifecycle); otherwise as a draft, and the report says why.
- Duplicates: a stored claim with the same patient, date of service and NDC is named.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from j3490_desk.domain import claim as domain
from j3490_desk.domain.claim import ClaimStatus
from j3490_desk.domain.ndc import NdcError, to_billing_ndc
from j3490_desk.models import Claim, DrugLine, Patient, Payer, Provider
from j3490_desk.services import claim_json, claim_rows, claims
from j3490_desk.services.app_data import AppData
from j3490_desk.services.claim_check import findings_for, has_blockers

PARTIES = ("patient", "payer", "provider")
_TABLES: dict[str, tuple[Any, tuple[str, ...]]] = {
    "patient": (Patient, claim_rows.PATIENT_COLUMNS),
    "payer": (Payer, claim_rows.PAYER_COLUMNS),
    "provider": (Provider, claim_rows.PROVIDER_COLUMNS),
}


@dataclass(frozen=True)
class ImportReport:
    """The stored claim's id, and what the clerk should read about the import, in order."""

    claim_id: int
    notes: tuple[str, ...]
    status: ClaimStatus  # the status it was stored with
    duplicates: tuple[int, ...] = ()  # stored claims with the same patient, DOS and NDC


def import_claim_file(
    data: AppData,
    path: Path,
    *,
    use_saved: Iterable[str] = (),
    today: date | None = None,
) -> ImportReport:
    """Validate the file completely, then store it as one transaction (claims.create_claim).

    `use_saved` names the parties ("payer", ...) for which a saved record with the same
    identity replaces the file's settings; by default the file's are kept."""
    claim = claim_json.load_claim_file(path)
    notes: list[str] = []
    with data.db.read() as session:
        for party in PARTIES:
            claim, note = _resolve_party(session, claim, party, party in set(use_saved))
            if note:
                notes.append(note)
        duplicates = _likely_duplicates(session, claim)
    claim, status_note = _lifecycle_status(data, claim, today)
    if status_note:
        notes.append(status_note)
    for other in duplicates:
        notes.append(
            f"Warning: claim {other} has the same patient, date of service "
            f"({claim.date_of_service.isoformat()}) and NDC: this may be the same claim "
            "imported twice. Check both before sending either."
        )
    claim_id = claims.create_claim(data, claim)
    return ImportReport(claim_id, tuple(notes), claim.status, tuple(duplicates))


# --- parties ---------------------------------------------------------------------------------


def _resolve_party(
    session: Session, claim: domain.Claim, party: str, use_saved: bool
) -> tuple[domain.Claim, str]:
    given = getattr(claim, party)
    if not given.name:
        return claim, ""
    table, columns = _TABLES[party]
    wanted = claim_rows.record_values(given, columns)
    same_identity = list(session.exec(select(table).where(*_identity(table, given))))
    for row in same_identity:
        if _differences(row, wanted, columns) == []:
            return claim, f"Matched saved {party} #{row.id} ({_label(row)}): every setting agrees."
    if not same_identity:
        return claim, f"New saved {party}: {_label(given)}."
    saved = same_identity[0]
    differences = "; ".join(
        f"{name}: saved {_shown(old)}, file {_shown(new)}"
        for name, old, new in _differences(saved, wanted, columns)
    )
    if use_saved:
        replaced = claim_rows.record_to_domain(saved, type(given))
        return (
            dataclasses.replace(claim, **{party: replaced}),
            f"Used saved {party} #{saved.id} ({_label(saved)}) as asked, instead of the file's "
            f"settings ({differences}).",
        )
    return claim, (
        f"Saved {party} #{saved.id} ({_label(saved)}) differs from the file's ({differences}). "
        f"Kept the file's settings as a new saved {party}; import with --use-saved {party} to "
        "use the saved one instead."
    )


def _identity(table: Any, record: Any) -> list[Any]:
    """Which saved records are the same person or payer, whatever their settings."""
    if table is Patient:
        return [Patient.name == record.name, Patient.date_of_birth == record.date_of_birth]
    if table is Provider and record.npi:
        return [Provider.npi == record.npi]
    return [table.name == record.name]


def _differences(
    row: Any, wanted: dict[str, Any], columns: tuple[str, ...]
) -> list[tuple[str, Any, Any]]:
    return [(c, getattr(row, c), wanted[c]) for c in columns if getattr(row, c) != wanted[c]]


def _label(record: Any) -> str:
    extra = getattr(record, "npi", "") or (
        record.date_of_birth.isoformat() if getattr(record, "date_of_birth", None) else ""
    )
    return f'"{record.name}"' + (f", {extra}" if extra else "")


def _shown(value: Any) -> str:
    return '""' if value == "" else str(value)


# --- the lifecycle ---------------------------------------------------------------------------


def _lifecycle_status(
    data: AppData, claim: domain.Claim, today: date | None
) -> tuple[domain.Claim, str]:
    """Ready needs a check without blockers; a sent status needs the submission's record
    (method, reference number, proof of filing), which a claim file does not carry."""
    said = claim.status
    if said is ClaimStatus.DRAFT:
        return claim, ""
    if said is ClaimStatus.READY:
        findings = findings_for(data, claim, today=today)
        if not has_blockers(findings):
            return claim, "Status: ready, as the file says; the claim check finds no blocker."
        codes = sorted({f.code for f in findings if f.severity.value == "blocker"})
        reason = f"the claim check finds {len(codes)} blocker(s): {', '.join(codes)}"
    else:
        reason = (
            "a claim file does not carry the submission's record (how it was sent, the "
            "reference number, the proof of filing) that the lifecycle asks for"
        )
        if claim.submitted_on is not None:
            reason += f"; its submission date {claim.submitted_on.isoformat()} is not kept"
    drafted = dataclasses.replace(claim, status=ClaimStatus.DRAFT, submitted_on=None)
    return drafted, (
        f"Status: the file says {said.value}, but {reason}. Imported as a draft; move it on "
        "with the Status menu once that is in place."
    )


# --- duplicates ------------------------------------------------------------------------------


def _likely_duplicates(session: Session, claim: domain.Claim) -> list[int]:
    ndcs = {_ndc_key(line.ndc) for line in claim.drug_lines if line.ndc.strip()}
    if not claim.patient.name or not ndcs:
        return []
    query = (
        select(Claim.id, DrugLine.ndc)
        .join(Patient, col(Claim.patient_id) == col(Patient.id))
        .join(DrugLine, col(DrugLine.claim_id) == col(Claim.id))
        .where(
            Patient.name == claim.patient.name,
            Patient.date_of_birth == claim.patient.date_of_birth,
            Claim.date_of_service == claim.date_of_service,
        )
    )
    found = {claim_id for claim_id, ndc in session.exec(query) if _ndc_key(ndc) in ndcs}
    return sorted(claim_id for claim_id in found if claim_id is not None)


def _ndc_key(text: str) -> str:
    try:
        return to_billing_ndc(text)
    except NdcError:
        return text.strip()
