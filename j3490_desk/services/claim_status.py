"""Moving a claim through its lifecycle: each move one transaction with a ClaimEvent and an
audit entry, refused with a clear message when it breaks a rule (domain.claim_lifecycle)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol, TypeVar

from sqlmodel import Session, col, select

from j3490_desk.domain import claim as domain
from j3490_desk.domain.adjustment_codes import CodeType, code_problem, split_codes
from j3490_desk.domain.claim import ClaimStatus
from j3490_desk.domain.claim_lifecycle import (
    SENT,
    SubmissionMethod,
    TransitionProblem,
    delete_problem,
    event_date_problem,
    payment_problem,
    ready_problem,
    submission_problem,
    transition_problem,
)
from j3490_desk.domain.deadlines import retain_until
from j3490_desk.domain.findings import Severity
from j3490_desk.errors import InvalidInputError, NotFoundError
from j3490_desk.models import Claim
from j3490_desk.models.work_queue import ClaimEvent
from j3490_desk.services import attachments, checks, claims, records
from j3490_desk.services.app_data import AppData
from j3490_desk.services.concurrency import (
    ATTEMPTS,
    ClaimChangedElsewhereError,
    changed_elsewhere,
    locked_claim,
    mark_saved,
    refuse_if_changed,
    retried,
    writing_claim,
)
from j3490_desk.storage import audit

RowCheck = Callable[[Claim], TransitionProblem | None]


@dataclass(frozen=True)
class EventInfo:
    """One step in a claim's history, as the status dialog and reports show it."""

    at: datetime
    user: str
    from_status: str
    to_status: str
    event_date: date | None
    method: str
    reference_number: str
    amount: Decimal | None
    carc_codes: tuple[str, ...]
    rarc_codes: tuple[str, ...]
    note: str
    attachment_id: int | None


class BlockersRemainError(InvalidInputError):
    """Mark ready refused because the claim check still finds a blocker: a "check failed"."""

    exit_status = 1


def _refuse(problem: TransitionProblem | None) -> None:
    if problem is not None:
        raise InvalidInputError(problem.message, problem.hint)


def _row(session: Session, claim_id: int) -> Claim:
    row = session.get(Claim, claim_id)
    if row is None:
        raise NotFoundError(f"There is no claim with id {claim_id}.", "Refresh the claim list.")
    return row


def _transition(
    data: AppData,
    claim_id: int,
    target: ClaimStatus,
    *,
    check: RowCheck | None = None,
    claim_changes: dict[str, Any] | None = None,
    version: int | None = None,
    **event: Any,
) -> None:
    """One move in its own transaction; tried again when another seat's save collided with it
    (it reads and checks the claim afresh each time)."""

    def unit() -> None:
        with writing_claim(data, claim_id) as session:
            apply_transition(
                data,
                session,
                claim_id,
                target,
                check=check,
                claim_changes=claim_changes,
                version=version,
                **event,
            )

    retried(unit)


def apply_transition(
    data: AppData,
    session: Session,
    claim_id: int,
    target: ClaimStatus,
    *,
    check: RowCheck | None = None,
    claim_changes: dict[str, Any] | None = None,
    reversal: bool = False,
    version: int | None = None,
    **event: Any,
) -> ClaimEvent:
    """The status move, its event and its audit entry, in the caller's transaction (removing a
    ready claim's attachment moves it back to draft in the removal's own). A `reversal` (a
    payer undoing its posting) is not a move of the lifecycle: its `check` decides.

    The claim is read locked, as committed now (another seat may have moved it a moment ago).
    `version`: the one the clerk saw; a claim changed since is not moved."""
    row = locked_claim(session, claim_id)
    if row is None:
        raise NotFoundError(f"There is no claim with id {claim_id}.", "Refresh the claim list.")
    refuse_if_changed(row, version)
    made = move(
        data,
        row,
        target,
        check=check,
        claim_changes=claim_changes,
        reversal=reversal,
        **event,
    )
    moved = ClaimEvent(**made.event)
    session.add(moved)
    audit.record(session, **made.audit)
    return moved


@dataclass(frozen=True)
class Move:
    """A status move made on a claim's row: the columns it set there, and the values of its
    event and audit entry, which the caller writes (one by one in `apply_transition`, or many
    at once)."""

    claim: dict[str, Any]  # the claim's columns the move set, with their new values
    event: dict[str, Any]  # the ClaimEvent's columns
    audit: audit.NewEntry


class ClaimState(Protocol):
    """What a move reads of a claim's row: a Claim, or the few columns a caller loaded."""

    @property
    def id(self) -> int | None: ...

    @property
    def status(self) -> str: ...


Row = TypeVar("Row", bound=ClaimState)


def move(
    data: AppData,
    row: Row,
    target: ClaimStatus,
    *,
    check: Callable[[Row], TransitionProblem | None] | None = None,
    claim_changes: dict[str, Any] | None = None,
    reversal: bool = False,
    **event: Any,
) -> Move:
    """`apply_transition` on a claim row the caller has loaded, its event and audit entry not
    yet written: InvalidInputError when the move breaks a rule, and then the row is unchanged."""
    assert row.id is not None
    current = ClaimStatus(row.status)
    if not reversal:
        _refuse(transition_problem(current, target))
    if check is not None:
        _refuse(check(row))
    claim = {
        **(claim_changes or {}),
        "status": target.value,
        "updated_at": datetime.now(UTC),
        "updated_by": data.user,  # who and when, for a seat whose older save this refuses
    }
    changes: dict[str, tuple[Any, Any]] = {"status": (current.value, target.value)}
    for name, value in (claim_changes or {}).items():
        changes[name] = (getattr(row, name), value)
    for name, value in claim.items():
        setattr(row, name, value)
    return Move(
        claim=claim,
        event={
            "at": claim["updated_at"],
            "claim_id": row.id,
            "user": data.user,
            "from_status": current.value,
            "to_status": target.value,
            **event,
        },
        audit=audit.NewEntry(
            user=data.user,
            action="status",
            entity="claim",
            entity_id=row.id,
            claim_id=row.id,
            changes={**changes, **{k: (None, v) for k, v in event.items() if v not in ("", None)}},
        ),
    )


def _status(data: AppData, claim_id: int) -> tuple[ClaimStatus, date]:
    with data.db.read() as session:
        row = _row(session, claim_id)
        return ClaimStatus(row.status), row.date_of_service


# --- the transitions --------------------------------------------------------------------------


def mark_ready(
    data: AppData, claim_id: int, *, today: date | None = None, version: int | None = None
) -> list[str]:
    """Check the claim; with no blockers it becomes ready, and the finding codes are kept on the
    event (the reports rank them for the clinic's training). Returns those codes.

    Only the version checked becomes ready: a claim another seat changed during the check is
    checked again (`version` given, the clerk's window saw an older one: refused)."""
    attempt = 1
    while True:
        checked = _version(data, claim_id)
        if version is not None and checked != version:
            raise changed_elsewhere(data, claim_id)
        _refuse(transition_problem(_status(data, claim_id)[0], ClaimStatus.READY))
        findings = checks.claim_findings(data, claim_id, today=today)
        problem = ready_problem([f.code for f in findings if f.severity is Severity.BLOCKER])
        if problem is not None:
            raise BlockersRemainError(problem.message, problem.hint)
        codes = [f.code for f in findings]
        try:
            _transition(
                data,
                claim_id,
                ClaimStatus.READY,
                version=checked,
                note=json.dumps({"findings": codes}),
            )
        except ClaimChangedElsewhereError:
            if version is not None or attempt == ATTEMPTS:
                raise
            attempt += 1
            continue
        return codes


def _version(data: AppData, claim_id: int) -> int:
    with data.db.read() as session:
        return _row(session, claim_id).version


def back_to_draft(data: AppData, claim_id: int, *, note: str = "") -> None:
    _transition(data, claim_id, ClaimStatus.DRAFT, note=note)


def submit(
    data: AppData,
    claim_id: int,
    *,
    submitted_on: date,
    method: SubmissionMethod,
    reference_number: str,
    proof: Path | bytes | None,
    proof_name: str,
    today: date | None = None,
) -> None:
    """Record that the claim went to the payer, with the proof-of-filing file attached."""
    _send(data, claim_id, ClaimStatus.SUBMITTED, submitted_on, method, reference_number,
          proof, proof_name, today)  # fmt: skip


def resubmit(
    data: AppData,
    claim_id: int,
    *,
    submitted_on: date,
    method: SubmissionMethod,
    reference_number: str,
    proof: Path | bytes | None,
    proof_name: str,
    today: date | None = None,
) -> None:
    """Send a corrected claim again: the same evidence as the first submission."""
    _send(data, claim_id, ClaimStatus.RESUBMITTED, submitted_on, method, reference_number,
          proof, proof_name, today)  # fmt: skip


def _send(
    data: AppData,
    claim_id: int,
    target: ClaimStatus,
    submitted_on: date,
    method: SubmissionMethod,
    reference_number: str,
    proof: Path | bytes | None,
    proof_name: str,
    today: date | None,
) -> None:
    current, served = _status(data, claim_id)
    # Checked before the file is stored, so a refused submission leaves no stray attachment.
    _refuse(transition_problem(current, target))
    _refuse(submission_problem(served, submitted_on, today or date.today(), reference_number))
    if proof is None:
        raise InvalidInputError(
            "Attach the proof of filing.",
            "The portal confirmation, clearinghouse acceptance report or fax receipt.",
        )
    # One transaction: the proof is never stored without the move it proves, nor the reverse.
    with attachments.attaching(
        data,
        claim_id=claim_id,
        drug_line_id=None,
        kind=attachments.AttachmentKind.OTHER,
        source=proof,
        original_name=proof_name or "proof of filing",
    ) as (session, proof_file):
        apply_transition(
            data,
            session,
            claim_id,
            target,
            claim_changes={"submitted_on": submitted_on},
            event_date=submitted_on,
            method=SubmissionMethod(method).value,
            reference_number=reference_number.strip(),
            attachment_id=proof_file.id,
        )


def record_payment(
    data: AppData,
    claim_id: int,
    *,
    amount: Decimal,
    paid_on: date,
    confirmed_over_billed: bool = False,
    note: str = "",
) -> None:
    def check(row: Claim) -> TransitionProblem | None:
        return payment_problem(
            amount, row.billed_total, confirmed_over_billed=confirmed_over_billed
        ) or event_date_problem(paid_on, row.submitted_on or row.date_of_service, "payment")

    _transition(
        data, claim_id, ClaimStatus.PAID, check=check, event_date=paid_on, amount=amount, note=note
    )


def checked_codes(code_type: CodeType, text: str) -> list[str]:
    """The codes typed, or InvalidInputError naming the first one in the wrong format."""
    codes = split_codes(text)
    for code in codes:
        problem = code_problem(code_type, code)
        if problem:
            raise InvalidInputError(problem, "Copy the code exactly as the remittance prints it.")
    return codes


def record_denial(
    data: AppData, claim_id: int, *, denied_on: date, carc: str, rarc: str = "", note: str = ""
) -> None:
    carc_codes = checked_codes(CodeType.CARC, carc)
    rarc_codes = checked_codes(CodeType.RARC, rarc)
    if not carc_codes:
        raise InvalidInputError(
            "A denial needs at least one CARC (claim adjustment reason code).",
            "It is on the remittance advice next to the group code, e.g. CO-16: type 16.",
        )

    def check(row: Claim) -> TransitionProblem | None:
        return event_date_problem(denied_on, row.submitted_on or row.date_of_service, "denial")

    _transition(
        data,
        claim_id,
        ClaimStatus.DENIED,
        check=check,
        event_date=denied_on,
        carc_codes=" ".join(carc_codes),
        rarc_codes=" ".join(rarc_codes),
        note=note,
    )


def appeal(
    data: AppData, claim_id: int, *, appealed_on: date, reference_number: str = "", note: str = ""
) -> None:
    _transition(
        data,
        claim_id,
        ClaimStatus.APPEALED,
        event_date=appealed_on,
        reference_number=reference_number.strip(),
        note=note,
    )


def close(data: AppData, claim_id: int, *, note: str = "") -> None:
    _transition(data, claim_id, ClaimStatus.CLOSED, note=note)


# --- changing a claim that went out -----------------------------------------------------------


def correct_claim(
    data: AppData, claim: domain.Claim, *, note: str, version: int | None = None
) -> None:
    """Change a sent claim's data and mark it corrected; the audit log keeps old and new.
    `version`: the one the clerk corrected (another seat's change since refuses it)."""
    assert claim.id is not None
    current, _ = _status(data, claim.id)
    _refuse(transition_problem(current, ClaimStatus.CORRECTED))
    if not note.strip():
        raise InvalidInputError(
            "Say what was corrected.", "A line such as 'units 10 -> 1 per M123' is enough."
        )
    claim_id = claim.id

    def correct() -> None:
        with writing_claim(data, claim_id) as session:  # the edit and its status, or neither
            claims.apply_update(data, session, claim, correction=True, version=version)
            apply_transition(data, session, claim_id, ClaimStatus.CORRECTED, note=note.strip())

    retried(correct)


# --- retention --------------------------------------------------------------------------------


def archive(data: AppData, claim_id: int, *, archived: bool = True) -> None:
    """Hide a claim from the work queue (it stays in the records); `archived=False` brings it back."""
    with writing_claim(data, claim_id) as session:
        row = _row(session, claim_id)
        before = row.archived_at
        row.archived_at = datetime.now(UTC) if archived else None
        mark_saved(row, data.user)
        audit.record(
            session,
            user=data.user,
            action="archive" if archived else "unarchive",
            entity="claim",
            entity_id=claim_id,
            claim_id=claim_id,
            changes={"archived_at": (before, row.archived_at)},
        )


def delete_claim(data: AppData, claim_id: int, *, today: date | None = None) -> None:
    """Only a draft never submitted, or a claim past its retain-until date, may be deleted."""
    years = records.get_settings(data).retention_years
    with writing_claim(data, claim_id) as session:
        row = _row(session, claim_id)
        ever_sent = (
            row.submitted_on is not None
            or session.exec(
                select(ClaimEvent.id).where(
                    ClaimEvent.claim_id == claim_id,
                    col(ClaimEvent.to_status).in_([s.value for s in SENT]),
                )
            ).first()
            is not None
        )
        keep_until = retain_until(row.date_of_service, years)
        _refuse(
            delete_problem(ClaimStatus(row.status), ever_sent, keep_until, today or date.today())
        )
        audit.record(
            session,
            user=data.user,
            action="delete",
            entity="claim",
            entity_id=claim_id,
            claim_id=claim_id,
            changes={"status": (row.status, None)},
        )
        session.delete(row)


def claim_events(data: AppData, claim_id: int) -> list[EventInfo]:
    with data.db.read() as session:
        rows = session.exec(
            select(ClaimEvent).where(ClaimEvent.claim_id == claim_id).order_by(col(ClaimEvent.id))
        ).all()
    return [
        EventInfo(
            at=row.at,
            user=row.user,
            from_status=row.from_status,
            to_status=row.to_status,
            event_date=row.event_date,
            method=row.method,
            reference_number=row.reference_number,
            amount=row.amount,
            carc_codes=tuple(row.carc_codes.split()),
            rarc_codes=tuple(row.rarc_codes.split()),
            note=row.note,
            attachment_id=row.attachment_id,
        )
        for row in rows
    ]
