"""Claims: create, read, update and list them, each write one transaction with its audit entry."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session, col, select

from j3490_desk.domain import claim as domain
from j3490_desk.domain.claim_lifecycle import sent_claim_edit_problem
from j3490_desk.domain.findings import Finding, Severity
from j3490_desk.errors import InvalidInputError, NotFoundError
from j3490_desk.models import Claim, DrugLine, Patient, Payer, Provider
from j3490_desk.services import claim_json, claim_rows, records
from j3490_desk.services.app_data import AppData
from j3490_desk.services.concurrency import (
    locked_claim,
    mark_saved,
    refuse_if_changed,
    retried,
    set_derived,
    writing_claim,
)
from j3490_desk.storage import audit


def create_claim(data: AppData, claim: domain.Claim) -> int:
    """Store a new claim, reusing saved patient, payer and provider records that match."""
    return retried(lambda: _create_claim(data, claim))


def _create_claim(data: AppData, claim: domain.Claim) -> int:
    with data.db.write() as session:
        row = Claim(
            patient_id=_patient_id(session, claim.patient),
            payer_id=_payer_id(session, claim.payer),
            provider_id=_provider_id(session, claim.provider),
            updated_by=data.user,
            **claim_rows.claim_row_values(claim),
            **_queue_values(claim),
        )
        session.add(row)
        session.flush()
        assert row.id is not None
        _insert_lines(session, row.id, claim.drug_lines)
        audit.record(
            session,
            user=data.user,
            action="create",
            entity="claim",
            entity_id=row.id,
            claim_id=row.id,
            changes={"drug_lines": (None, len(claim.drug_lines))},
        )
        return row.id


def update_claim(
    data: AppData, claim: domain.Claim, *, correction: bool = False, version: int | None = None
) -> int:
    """Save the claim's header and drug lines over the stored ones; the audit log keeps the diff.
    Returns the claim's version now.

    `version` is the one the clerk loaded (`get_claim_version`): when another seat saved since,
    the save is refused with ClaimChangedElsewhereError and nothing is written.
    A claim the payer already has keeps its drug data unless this is a `correction` (Status >
    Correct claim, which records it as one)."""
    claim_id = _require_id(claim)

    def save() -> int:
        with writing_claim(data, claim_id) as session:
            row = apply_update(data, session, claim, correction=correction, version=version)
            session.flush()
            return row.version

    return retried(save)


def get_claim_version(data: AppData, claim_id: int) -> tuple[domain.Claim, int]:
    """The claim and the version it was read at, read together: what an editing window keeps."""
    with data.db.read() as session:
        row = _claim_row(session, claim_id)
        return _load(session, row), row.version


def apply_update(
    data: AppData,
    session: Session,
    claim: domain.Claim,
    *,
    correction: bool = False,
    version: int | None = None,
) -> Claim:
    """`update_claim` within the caller's transaction (Correct claim adds its status move)."""
    claim_id = _require_id(claim)
    row = locked_claim(session, claim_id)
    if row is None:
        raise _no_claim(claim_id)
    refuse_if_changed(row, version)
    stored = _load(session, row)  # once: each load is five queries, a round trip each on a server
    problem = None if correction else sent_claim_edit_problem(stored, claim)
    if problem is not None:
        raise InvalidInputError(problem.message, problem.hint)
    # A save is not a status move: those go through claim_status (its gate, its history). A
    # window still holding the claim as it was when ready must not undo a move back to draft.
    claim = dataclasses.replace(claim, status=stored.status, submitted_on=stored.submitted_on)
    ids = {
        "patient_id": _patient_id(session, claim.patient),
        "payer_id": _payer_id(session, claim.payer),
        "provider_id": _provider_id(session, claim.provider),
    }
    changes = differences(stored, claim)
    after = claim_rows.claim_row_values(claim)
    for name, value in {**ids, **after, **_queue_values(claim)}.items():
        setattr(row, name, value)
    if changes:  # a save that changes nothing leaves the version as it is
        mark_saved(row, data.user)
    _replace_lines(session, claim_id, claim.drug_lines)
    if changes:
        audit.record(
            session,
            user=data.user,
            action="update",
            entity="claim",
            entity_id=claim_id,
            claim_id=claim_id,
            changes=changes,
        )
    return row


def differences(before: domain.Claim, after: domain.Claim) -> dict[str, tuple[Any, Any]]:
    """Field by field, what `after` changes in `before`: the fields, not the record ids
    ("patient.member_id: A -> B" is what an auditor, the History tab and Compare can read)."""
    old = claim_rows.claim_row_values(before)
    new = claim_rows.claim_row_values(after)
    changes = _party_changes(before, after)
    changes.update({k: (old[k], v) for k, v in new.items() if old[k] != v})
    old_lines = [claim_rows.line_row_values(line) for line in before.drug_lines]
    new_lines = [claim_rows.line_row_values(line) for line in after.drug_lines]
    changes.update(_line_changes(old_lines, new_lines))
    return changes


def _party_changes(old: domain.Claim, new: domain.Claim) -> dict[str, tuple[Any, Any]]:
    changes: dict[str, tuple[Any, Any]] = {}
    for party in ("patient", "payer", "provider"):
        before, after = getattr(old, party), getattr(new, party)
        for field in dataclasses.fields(after):
            old_value, new_value = getattr(before, field.name), getattr(after, field.name)
            if old_value != new_value:
                changes[f"{party}.{field.name}"] = (old_value, new_value)
    return changes


def get_claim(data: AppData, claim_id: int) -> domain.Claim:
    with data.db.read() as session:
        return _load(session, _claim_row(session, claim_id))


def export_claim_json(data: AppData, claim_id: int) -> dict[str, Any]:
    return claim_json.claim_to_json(get_claim(data, claim_id))


def record_readiness(data: AppData, claim_id: int, findings: list[Finding]) -> None:
    """Keep the last check's counts on the claim, for the work queue (derived data: no audit).

    A folder opened read-only keeps the counts it had: the check itself still stands.
    """
    if data.db.read_only:
        return
    with data.db.write() as session:
        _claim_row(session, claim_id)
        set_derived(
            session,
            claim_id,
            readiness_checked_at=datetime.now(UTC),
            readiness_blockers=sum(f.severity is Severity.BLOCKER for f in findings),
            readiness_warnings=sum(f.severity is Severity.WARNING for f in findings),
        )


# --- helpers ---------------------------------------------------------------------------------


def _queue_values(claim: domain.Claim) -> dict[str, Any]:
    """What the work queue sorts and sums by, computed once per save."""
    charges = [line.charge for line in claim.drug_lines if line.charge is not None]
    return {
        "filing_deadline": records.queue_deadline(claim.payer, claim.date_of_service),
        "billed_total": sum(charges) if charges else None,
    }


def _require_id(claim: domain.Claim) -> int:
    if claim.id is None:
        raise ValueError("update_claim needs a stored claim (with an id)")
    return claim.id


def _claim_row(session: Session, claim_id: int) -> Claim:
    row = session.get(Claim, claim_id)
    if row is None:
        raise _no_claim(claim_id)
    return row


def _no_claim(claim_id: int) -> NotFoundError:
    return NotFoundError(
        f"There is no claim with id {claim_id}.", "`j3490-desk claim list` shows the claims."
    )


def _load(session: Session, row: Claim) -> domain.Claim:
    lines = session.exec(
        select(DrugLine).where(DrugLine.claim_id == row.id).order_by(col(DrugLine.position))
    ).all()
    return claim_rows.to_domain_claim(
        row,
        list(lines),
        session.get(Patient, row.patient_id) if row.patient_id else None,
        session.get(Payer, row.payer_id) if row.payer_id else None,
        session.get(Provider, row.provider_id) if row.provider_id else None,
    )


def _insert_lines(session: Session, claim_id: int, lines: tuple[domain.DrugLine, ...]) -> None:
    for position, line in enumerate(lines):
        session.add(
            DrugLine(claim_id=claim_id, position=position, **claim_rows.line_row_values(line))
        )


def _replace_lines(session: Session, claim_id: int, lines: tuple[domain.DrugLine, ...]) -> None:
    """Update lines in place by id, so what hangs on a line (attachments) stays with it."""
    stored = {
        row.id: row for row in session.exec(select(DrugLine).where(DrugLine.claim_id == claim_id))
    }
    kept = {line.id for line in lines if line.id is not None}
    for line_id, row in stored.items():
        if line_id not in kept:
            session.delete(row)
    for position, line in enumerate(lines):
        values = {"position": position, **claim_rows.line_row_values(line)}
        existing = stored.get(line.id) if line.id is not None else None
        if existing is None:
            session.add(DrugLine(claim_id=claim_id, **values))
        else:
            for name, value in values.items():
                setattr(existing, name, value)


def _line_changes(
    old: list[dict[str, Any]], new: list[dict[str, Any]]
) -> dict[str, tuple[Any, Any]]:
    changes: dict[str, tuple[Any, Any]] = {}
    for index in range(max(len(old), len(new))):
        before = old[index] if index < len(old) else {}
        after = new[index] if index < len(new) else {}
        for name in sorted(set(before) | set(after)):
            if before.get(name) != after.get(name):
                changes[f"drug_lines[{index}].{name}"] = (before.get(name), after.get(name))
    return changes


def _patient_id(session: Session, patient: domain.Patient) -> int | None:
    return _record_id(session, Patient, patient, claim_rows.PATIENT_COLUMNS)


def _payer_id(session: Session, payer: domain.Payer) -> int | None:
    return _record_id(session, Payer, payer, claim_rows.PAYER_COLUMNS)


def _provider_id(session: Session, provider: domain.Provider) -> int | None:
    return _record_id(session, Provider, provider, claim_rows.PROVIDER_COLUMNS)


def _record_id(
    session: Session,
    table: Any,  # Patient, Payer or Provider
    record: domain.Patient | domain.Payer | domain.Provider,
    columns: tuple[str, ...],
) -> int | None:
    """The saved record whose every setting equals the claim's, else a new one. Never one
    that merely shares the name: its settings (a payer's filing limit and pricing) would
    silently replace the claim's (issue 18 item 7, issue 19)."""
    if not record.name:
        return None
    wanted = claim_rows.record_values(record, columns)
    for found in session.exec(select(table).where(table.name == record.name)):
        if all(getattr(found, column) == value for column, value in wanted.items()):
            return _id_of(session, found)
    return _id_of(session, table(**wanted))


def _id_of(session: Session, record: Patient | Payer | Provider) -> int:
    if record.id is None:
        session.add(record)
        session.flush()
    assert record.id is not None
    return record.id
