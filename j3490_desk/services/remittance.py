"""Posting a payer's 835 remittance to our claims: payments, denials and reversals, each one
status move of the existing lifecycle with its event and audit entry. Qt-free.

Matching never guesses: a claim by CLP01, which is the claim number we sent in CLM01 (our claim
id, digits exactly as written); a line by its REF*6R line control number
(domain.line_control), else by procedure code, modifiers and date when exactly one drug line
has them. The same claim payment (same check or EFT, payer claim number and CLP02) is posted
once, so a file imported twice posts nothing the second time. The file itself is kept in the
attachment store under its SHA-256.

`preview_remittance` runs the very same posting in a transaction that is rolled back, so what
the clerk confirms is what `import_remittance` then does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

from sqlalchemy import bindparam, func, insert, update
from sqlalchemy import select as select_columns  # sqlmodel's select types up to 4
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, SQLModel, col, select

from j3490_desk.domain.claim import ClaimStatus
from j3490_desk.domain.claim_lifecycle import (
    TransitionProblem,
    event_date_problem,
    payment_problem,
    reversal_problem,
)
from j3490_desk.domain.line_control import line_control_number
from j3490_desk.domain.remittance import (
    Adjustment,
    ClaimPayment,
    Outcome,
    Payment,
    Problem,
    ServicePayment,
    balance_problem,
    outcome_label,
    outcome_problem,
    posting_summary,
)
from j3490_desk.errors import InvalidInputError
from j3490_desk.models import Claim, DrugLine
from j3490_desk.models.remittance import (
    RemittanceAdjustment,
    RemittanceFile,
    RemittanceLine,
    RemittancePosting,
)
from j3490_desk.models.work_queue import ClaimEvent
from j3490_desk.services import claim_status, records
from j3490_desk.services.app_data import AppData
from j3490_desk.services.attachments import content_store
from j3490_desk.services.remittance_file import read_remittance
from j3490_desk.services.work_queue import code_descriptions
from j3490_desk.storage import audit
from j3490_desk.storage.attachment_store import ContentTooLargeError

_MB = 1024 * 1024
_CHUNK = 900  # ids per IN (...) query, well under SQLite's limit on parameters
_LARGEST_CLAIM_ID = 2**31 - 1  # claim.id is a 32-bit INTEGER on PostgreSQL; no id is larger
_Row = dict[str, Any]  # a row to insert: column name -> value


class ClaimResult:
    """What happened (or, in a preview, would happen) to one claim payment of the file."""

    POSTED = "posted"
    ALREADY_POSTED = "already_posted"
    UNMATCHED = "unmatched"
    REVERSED = "reversed"
    NOT_POSTED = "not_posted"


@dataclass(frozen=True)
class ClaimLine:
    """One claim payment of the file, as the preview lists it."""

    claim_number: str  # CLP01
    claim_id: int | None
    result: str  # a ClaimResult value
    outcome: str  # "Paid in full", "Partly paid, the rest adjusted", "Denied", ...
    charged: Decimal
    paid: Decimal
    patient_responsibility: Decimal
    codes: tuple[str, ...]  # group-CARC with amount, then RARCs
    described: tuple[str, ...]  # the same, each with its description from the code list


@dataclass
class ImportResult:
    file_name: str
    sha256: str
    claims: list[ClaimLine] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def _ids(self, result: str) -> list[int]:
        return [c.claim_id for c in self.claims if c.result == result and c.claim_id is not None]

    @property
    def posted(self) -> list[int]:
        return self._ids(ClaimResult.POSTED)

    @property
    def already_posted(self) -> list[int]:
        return self._ids(ClaimResult.ALREADY_POSTED)

    @property
    def reversed(self) -> list[int]:
        return self._ids(ClaimResult.REVERSED)

    @property
    def unmatched(self) -> list[str]:
        return [c.claim_number for c in self.claims if c.result == ClaimResult.UNMATCHED]

    def to_json(self) -> dict[str, Any]:
        """The `remit import --json` contract: exactly these five keys."""
        return {
            "posted": self.posted,
            "already_posted": self.already_posted,
            "unmatched": self.unmatched,
            "reversed": self.reversed,
            "problems": [{"segment": p.segment, "message": p.message} for p in self.problems],
        }


def import_remittance(data: AppData, path: Path) -> ImportResult:
    """Read the 835 at `path` and post it; RemittanceFileError (nothing posted) when the file
    is not a whole 005010X221A1 835."""
    return _run(data, _read(path), path.name, keep=True)


def preview_remittance(data: AppData, path: Path) -> ImportResult:
    """What `import_remittance` would post, with nothing stored."""
    return _run(data, _read(path), path.name, keep=False)


# --- the run -----------------------------------------------------------------------------------


class _OurLine(NamedTuple):
    """What matching reads of one of our drug lines (plain values: no ORM object each)."""

    id: int | None
    hcpcs_code: str
    modifiers: str


@dataclass(slots=True)
class _ClaimRow:
    """What posting reads of one of our claims, and what its status moves set there (plain
    values, written back by `_Known.write_pending`: no ORM object each)."""

    id: int
    status: str
    submitted_on: date | None
    date_of_service: date
    billed_total: Decimal | None
    version: int  # Claim.version as loaded: the write is refused if another save raised it
    updated_at: datetime | None = None
    updated_by: str = ""


@dataclass
class _Known:
    """What the file's claims need from the database, loaded in a few queries up front (an
    835 may pay thousands of claims): the claims, their drug lines and their postings' keys."""

    claims: dict[int, _ClaimRow]
    lines: dict[int, list[_OurLine]]
    posted: set[tuple[int, str, str, str]]
    # Postings, their lines and adjustments wait here as plain rows, ids given, and are
    # written together (one executemany INSERT per table, no ORM object per row: thousands
    # of those cost more than the posting itself): `write_pending`.
    next_id: dict[type[SQLModel], int] = field(default_factory=dict)
    pending: dict[type[SQLModel], list[_Row]] = field(default_factory=dict)
    # each posting's status move, whose event's id the posting names once it is written,
    # and the claim it moved
    moves: list[tuple[_Row, claim_status.Move, _ClaimRow]] = field(default_factory=list)
    # the order their foreign keys need (the models declare no relationships to sort by)
    ORDER = (RemittancePosting, RemittanceLine, RemittanceAdjustment)

    def new_id(self, model: type[SQLModel]) -> int:
        self.next_id[model] += 1
        return self.next_id[model]

    def add(self, model: type[SQLModel], row: _Row) -> _Row:
        """Queue `row` for `model`'s table with the next id; returns it."""
        row["id"] = self.new_id(model)
        self.pending.setdefault(model, []).append(row)
        return row

    def write_pending(self, session: Session) -> None:
        if self.moves:  # the claims, their events and audit entries, as plain rows too
            _write_claims(session, self.moves)
            written = session.connection().execute(
                insert(ClaimEvent).returning(col(ClaimEvent.id), sort_by_parameter_order=True),
                [moved.event for _, moved, _ in self.moves],
            )
            for (posting, _, _), event_id in zip(self.moves, written.scalars(), strict=True):
                posting["event_id"] = event_id
            audit.record_many(session, [moved.audit for _, moved, _ in self.moves])
            self.moves.clear()
        for model in self.ORDER:
            if rows := self.pending.pop(model, []):
                session.connection().execute(insert(model), rows)  # Core executemany, no ORM


def _known(session: Session, numbers: list[str]) -> _Known:
    ids = sorted({int(n) for n in numbers if _is_claim_number(n)})
    known = _Known({}, {}, set())
    for model in _Known.ORDER:
        top = session.exec(select(func.max(model.id))).one()
        known.next_id[model] = top or 0
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        claims = session.connection().execute(
            select_columns(
                col(Claim.id),
                col(Claim.status),
                col(Claim.submitted_on),
                col(Claim.date_of_service),
                col(Claim.billed_total),
                col(Claim.version),
            )
            .where(col(Claim.id).in_(chunk))
            # Locked (on a server; SQLite writes one at a time) in one order: two postings, or
            # a posting and a seat's save, wait for each other instead of one being refused.
            .order_by(col(Claim.id))
            .with_for_update(key_share=True)
        )
        for claim_id, status, submitted_on, served, billed, version in claims:
            assert claim_id is not None
            row = _ClaimRow(claim_id, status, submitted_on, served, billed, version)
            known.claims[claim_id] = row
        lines = session.exec(
            select(
                col(DrugLine.claim_id),
                col(DrugLine.id),
                col(DrugLine.hcpcs_code),
                col(DrugLine.modifiers),
            )
            .where(col(DrugLine.claim_id).in_(chunk))
            .order_by(col(DrugLine.claim_id), col(DrugLine.position))
        )
        for claim_id, line_id, code, modifiers in lines:
            known.lines.setdefault(claim_id, []).append(_OurLine(line_id, code, modifiers))
        keys = session.exec(
            select(
                col(RemittancePosting.claim_id),
                col(RemittancePosting.trace_number),
                col(RemittancePosting.payer_claim_number),
                col(RemittancePosting.status_code),
            ).where(col(RemittancePosting.claim_id).in_(chunk))
        )
        known.posted.update(keys)
    return known


def _write_claims(session: Session, moves: list[tuple[_Row, claim_status.Move, _ClaimRow]]) -> None:
    """Each moved claim's row as its moves left it, in one executemany UPDATE that raises the
    claim's version as every save does (Claim's version_id_col), and is refused the same way
    (StaleDataError, nothing posted) if another seat saved the claim since it was loaded."""
    names = list(moves[0][1].claim)  # every status move sets the same columns
    rows = {row.id: row for _, _, row in moves}.values()  # a claim moved twice: once, as left
    statement = (
        update(Claim)
        .where(col(Claim.id) == bindparam("b_id"), col(Claim.version) == bindparam("b_version"))
        .values(
            {**{name: bindparam(f"b_{name}") for name in names}, "version": col(Claim.version) + 1}
        )
    )
    params = [
        {"b_id": row.id, "b_version": row.version, **{f"b_{n}": getattr(row, n) for n in names}}
        for row in rows
    ]
    updated = session.connection().execute(statement, params).rowcount
    if updated != len(params):
        raise StaleDataError(
            f"UPDATE statement on table 'claim' expected to update {len(params)} row(s); "
            f"{updated} were matched."
        )
    for row in rows:
        row.version += 1


class _DryRun(Exception):
    """Raised at the end of a preview so its transaction rolls back."""


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise InvalidInputError(
            f"The remittance file {path.name} cannot be read ({error.strerror or error}).",
            "Check the file exists and that you may read it.",
        ) from error


def _run(data: AppData, content: bytes, name: str, *, keep: bool) -> ImportResult:
    remittance = read_remittance(content, name)
    store = content_store(data)
    limit = records.get_settings(data).max_attachment_mb * _MB
    try:
        with store.staged(content, max_bytes=limit) as staged:
            result = ImportResult(name, staged.sha256, problems=list(remittance.problems))
            names = code_descriptions(data)
            try:
                with data.db.write() as session:
                    numbers = [c.claim_number for p in remittance.payments for c in p.claims]
                    # The claims are locked before the audit chain (the file's entry), in the
                    # order every save takes them: no two seats wait for each other.
                    known = _known(session, numbers)
                    file_id = _file_row(data, session, staged.sha256, name, len(content))
                    for payment in remittance.payments:
                        for claim in payment.claims:
                            _post_claim(
                                data, session, known, file_id, name, payment, claim, result, names
                            )
                    known.write_pending(session)
                    if not keep:
                        raise _DryRun
                    store.keep(staged, session=session)  # a row never names missing content
            except _DryRun:
                pass
    except ContentTooLargeError as error:
        raise InvalidInputError(
            f"The remittance file {name} is larger than the limit of {limit // _MB} MB per file.",
            "The limit can be changed in Settings > Clinic.",
        ) from error
    return result


def _file_row(data: AppData, session: Session, sha256: str, name: str, size: int) -> int:
    """The file's row: the one already there for this content, or a new one."""
    row = session.exec(select(RemittanceFile).where(RemittanceFile.sha256 == sha256)).first()
    if row is None:
        row = RemittanceFile(
            sha256=sha256, original_name=name, size_bytes=size, imported_by=data.user
        )
        session.add(row)
        session.flush()
        audit.record(
            session,
            user=data.user,
            action="import",
            entity="remittance_file",
            entity_id=row.id,
            changes={"original_name": (None, name), "sha256": (None, sha256)},
        )
    assert row.id is not None
    return row.id


# --- one claim payment -------------------------------------------------------------------------


def _post_claim(
    data: AppData,
    session: Session,
    known: _Known,
    file_id: int,
    name: str,
    payment: Payment,
    claim: ClaimPayment,
    result: ImportResult,
    names: dict[tuple[str, str], str],
) -> None:
    number = claim.claim_number
    claim_id = int(number) if _is_claim_number(number) and int(number) in known.claims else None

    def line(outcome: str) -> None:
        result.claims.append(_claim_line(claim, claim_id, outcome, names))

    problems = list(claim.problems) or [
        p for p in (outcome_problem(claim), balance_problem(claim)) if p is not None
    ]
    result.problems.extend(problems)
    if claim_id is None:
        return line(ClaimResult.UNMATCHED)
    if problems:
        return line(ClaimResult.NOT_POSTED)
    key = (claim_id, payment.trace_number, claim.payer_claim_number, claim.status_code)
    if key in known.posted:
        return line(ClaimResult.ALREADY_POSTED)
    if claim.outcome is Outcome.REVERSAL:
        known.write_pending(session)  # the posting it reverses may be earlier in this file
    try:
        posting, moved = _move(data, session, known.claims[claim_id], name, payment, claim)
    except InvalidInputError as refused:
        result.problems.append(
            Problem(claim.segment, f"Claim {claim_id}: {refused.message} {refused.hint}")
        )
        return line(ClaimResult.NOT_POSTED)
    posting["file_id"] = file_id
    known.moves.append((posting, moved, known.claims[claim_id]))
    known.posted.add(key)
    _add_details(known, posting, known.claims[claim_id], claim, result)
    line(ClaimResult.REVERSED if posting["reverses_id"] else ClaimResult.POSTED)


def _is_claim_number(text: str) -> bool:
    """CLP01 as we write CLM01: the claim id's digits exactly (no leading zeros, no other form),
    so a number is never guessed into a claim."""
    return text.isdigit() and str(int(text)) == text and int(text) <= _LARGEST_CLAIM_ID


def _move(
    data: AppData,
    session: Session,
    row: _ClaimRow,
    name: str,
    payment: Payment,
    claim: ClaimPayment,
) -> tuple[_Row, claim_status.Move]:
    """The status move this claim payment makes on its claim's row (InvalidInputError when
    the lifecycle refuses it), and its posting's row, not yet queued nor naming the move's
    event (`write_pending`)."""
    assert row.id is not None
    claim_id = row.id
    if row.status == ClaimStatus.DRAFT:
        raise InvalidInputError(
            "it is still a draft, so the payment is not posted.",
            "Check that the payer's claim number is this claim; finish and submit it first.",
        )
    codes = claim.all_adjustments
    event: dict[str, Any] = {
        "event_date": payment.paid_on,
        "reference_number": payment.trace_number,
        "amount": claim.paid,
        "carc_codes": " ".join(dict.fromkeys(a.reason for a in codes)),
        "rarc_codes": " ".join(claim.all_remark_codes),
    }
    posting: _Row = {
        "claim_id": claim_id,
        "file_id": 0,
        "event_id": None,
        "payer": payment.payer,
        "trace_number": payment.trace_number,
        "payment_method": payment.method,
        "paid_on": payment.paid_on,
        "status_code": claim.status_code,
        "charged": claim.charged,
        "paid": claim.paid,
        "patient_responsibility": claim.patient_responsibility,
        "payer_claim_number": claim.payer_claim_number,
        "remark_codes": " ".join(claim.remark_codes),
        "reverses_id": None,
    }
    headline = f"835 {name}, {payment.payer}, check/EFT {payment.trace_number}"
    if claim.outcome is Outcome.REVERSAL:
        reversed_posting, posted_event = _reversed(session, claim_id, claim)
        posted = ClaimStatus(posted_event.to_status)
        event["note"] = (
            f"{headline}: the payer reverses its {posted.value} posting of "
            f"{reversed_posting.paid} (check/EFT {reversed_posting.trace_number}); that "
            f"posting stays in the history. {posting_summary(claim)}"
        )
        moved = claim_status.move(
            data,
            row,
            ClaimStatus(posted_event.from_status),
            check=lambda now: reversal_problem(ClaimStatus(now.status), posted),
            reversal=True,
            **event,
        )
        posting["reverses_id"] = reversed_posting.id
    else:
        target = ClaimStatus.PAID if claim.outcome is Outcome.PAID else ClaimStatus.DENIED
        event["note"] = f"{headline}: {outcome_label(claim)}. {posting_summary(claim)}"

        def check(now: _ClaimRow) -> TransitionProblem | None:
            earliest = now.submitted_on or now.date_of_service
            late = payment.paid_on and event_date_problem(payment.paid_on, earliest, "payment")
            return late or payment_problem(
                claim.paid, now.billed_total, confirmed_over_billed=False
            )

        moved = claim_status.move(data, row, target, check=check, **event)
    return posting, moved


def _reversed(
    session: Session, claim_id: int, claim: ClaimPayment
) -> tuple[RemittancePosting, ClaimEvent]:
    """The latest posting of this payer claim number that is not yet reversed, and its event."""
    undone = select(RemittancePosting.reverses_id).where(
        col(RemittancePosting.reverses_id).is_not(None)
    )
    earlier = session.exec(
        select(RemittancePosting)
        .where(
            RemittancePosting.claim_id == claim_id,
            RemittancePosting.payer_claim_number == claim.payer_claim_number,
            col(RemittancePosting.reverses_id).is_(None),
            col(RemittancePosting.id).not_in(undone),
        )
        .order_by(col(RemittancePosting.id).desc())
    ).first()
    event = session.get(ClaimEvent, earlier.event_id) if earlier and earlier.event_id else None
    if earlier is None or event is None:
        raise InvalidInputError(
            f"the payer reverses a payment (payer claim number {claim.payer_claim_number}) "
            "that J3490 Desk never posted, so nothing is undone.",
            "Read the remittance; record what the payer did by hand (Status) with a note.",
        )
    return earlier, event


def _add_details(
    known: _Known, posting: _Row, row: _ClaimRow, claim: ClaimPayment, result: ImportResult
) -> None:
    """The posting, its lines (matched to our drug lines where they can be) and every CAS
    adjustment, queued in `known.pending`."""
    assert row.id is not None
    posting_id = known.add(RemittancePosting, posting)["id"]
    for adjustment in claim.adjustments:
        known.add(RemittanceAdjustment, _adjustment_row(posting_id, None, adjustment))
    for service in claim.services:
        line_row: _Row = {
            "posting_id": posting_id,
            "drug_line_id": _matched_line(known.lines.get(row.id, []), row, service, claim, result),
            "procedure_code": service.procedure,
            "modifiers": " ".join(service.modifiers),
            "service_date": service.service_date,
            "control_number": service.control_number,
            "charged": service.charged,
            "paid": service.paid,
            "remark_codes": " ".join(service.remark_codes),
        }
        line_id = known.add(RemittanceLine, line_row)["id"]
        for adjustment in service.adjustments:
            known.add(RemittanceAdjustment, _adjustment_row(posting_id, line_id, adjustment))


def _adjustment_row(posting_id: int, line_id: int | None, adjustment: Adjustment) -> _Row:
    return {
        "posting_id": posting_id,
        "line_id": line_id,
        "group_code": adjustment.group,
        "reason_code": adjustment.reason,
        "amount": adjustment.amount,
    }


def _matched_line(
    ours: Sequence[_OurLine],
    claim_row: _ClaimRow,
    service: ServicePayment,
    claim: ClaimPayment,
    result: ImportResult,
) -> int | None:
    """Our drug line this service line pays: by REF*6R, else by exactly one drug line with
    its procedure code, modifiers and date. A service line that is not a drug (the
    administration code) matches none, and that is no problem."""
    assert claim_row.id is not None
    claim_id = claim_row.id
    for index, line in enumerate(ours):
        if service.control_number in (
            line_control_number(claim_id, index),
            line_control_number(claim_id, index, waste=True),
        ):
            return line.id
    same = [
        line
        for line in ours
        if line.hcpcs_code == service.procedure
        and sorted(line.modifiers.split()) == sorted(service.modifiers)
        and service.service_date == claim_row.date_of_service
    ]
    if len(same) > 1:
        result.problems.append(
            Problem(
                claim.segment,
                f"Claim {claim_id}: the payer's line {service.procedure} "
                f"{' '.join(service.modifiers)} fits {len(same)} drug lines and carries no line "
                "control number (REF*6R); it is posted to the claim, not to a drug line.",
            )
        )
        return None
    return same[0].id if same else None


def _claim_line(
    claim: ClaimPayment, claim_id: int | None, outcome: str, names: dict[tuple[str, str], str]
) -> ClaimLine:
    """`names`: (CARC|RARC, code) -> description, from the code list the clinic imports."""
    codes = tuple(f"{a.label} {a.amount}" for a in claim.all_adjustments)
    unknown = "(not in the code list)"
    described = tuple(
        f"{a.label} {a.amount}: {names.get(('CARC', a.reason), unknown)}"
        for a in claim.all_adjustments
    ) + tuple(f"{code}: {names.get(('RARC', code), unknown)}" for code in claim.all_remark_codes)
    return ClaimLine(
        claim_number=claim.claim_number,
        claim_id=claim_id,
        result=outcome,
        outcome=outcome_label(claim),
        charged=claim.charged,
        paid=claim.paid,
        patient_responsibility=claim.patient_responsibility,
        codes=codes + claim.all_remark_codes,
        described=described,
    )
