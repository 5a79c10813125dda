"""Export claims as one 837P file: gate, build, validate, write atomically, record.

The gate is the app's own: no blocker from the claim check, and nothing the 837P still lacks
(domain.electronic_claim, blockers here). Each claim's lines, narrative and attachment control
number come from the packet's own inputs (packets.packet_input), so the file and the packet
never disagree. The file is validated (pyx12 and our checks) in memory, written to a temporary
file beside the destination, fsynced and renamed; a file that fails is never written.
Writing does not change a claim's status: the clerk marks it submitted when it was sent.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlmodel import col, select

from j3490_desk.domain.billing import bill_lines
from j3490_desk.domain.claim import ClaimStatus, DocumentsSent
from j3490_desk.domain.electronic_claim import (
    as_export_blockers,
    electronic_findings,
    submitter_problems,
)
from j3490_desk.domain.findings import Severity
from j3490_desk.errors import InvalidInputError, KnownError, NotFoundError, StorageError
from j3490_desk.export.packet_input import PacketInput
from j3490_desk.export.x12.claim_837p import ClaimToSend, Envelope, write_837p
from j3490_desk.export.x12.validation import validate_837p
from j3490_desk.models import AuditEntry
from j3490_desk.services import claim_list, clinic, packets
from j3490_desk.services.app_data import AppData
from j3490_desk.storage import audit

INTERCHANGE_MODULUS = 10**9  # ISA13 holds nine digits


class ExportRefused(KnownError):
    """A claim or the clinic is not ready for an 837P: a "check failed", nothing written."""

    exit_status = 1


@dataclass(frozen=True)
class X12Result:
    path: Path
    claim_ids: tuple[int, ...]
    sha256: str
    interchange_number: int
    warnings: tuple[str, ...]


def ready_claim_ids(data: AppData) -> list[int]:
    return [row.id for row in claim_list.list_claims(data, status=ClaimStatus.READY.value)]


def export_837p(
    data: AppData,
    claim_ids: Sequence[int],
    out_path: Path,
    *,
    today: date | None = None,
    now: datetime | None = None,
    interchange_number: int | None = None,
) -> X12Result:
    """Raises InvalidInputError (unknown id, bad destination), ExportRefused (blockers, missing
    submitter details, a file that fails validation) or StorageError (the write failed)."""
    _require_folder(out_path)
    if not claim_ids:
        raise ExportRefused("There is no claim to export.", "Mark claims ready first.")
    ids = tuple(dict.fromkeys(claim_ids))
    inputs = [_packet_input(data, claim_id, today) for claim_id in ids]
    refusals = submitter_problems(clinic.submitter(data))
    for packet in inputs:
        refusals += [f"claim {packet.claim_id}: {why}" for why in _claim_refusals(data, packet)]
    if refusals:
        raise ExportRefused(
            "No 837P was written. Still missing or wrong:\n  " + "\n  ".join(refusals),
            "Fix each one (the claim's checklist, `j3490-desk clinic set`), then export again.",
        )
    moment = now or datetime.now().astimezone()
    number = interchange_number or _next_interchange_number(data, moment)
    sending = tuple(
        ClaimToSend(
            packet.claim_id,
            packet.claim,
            bill_lines(packet.claim, facts=packet.facts, evidence=packet.evidence),
            packet.control_number if packet.claim.documents_sent is not DocumentsSent.NONE else "",
        )
        for packet in inputs
    )
    written = write_837p(sending, clinic.submitter(data), Envelope(number, moment))
    problems = validate_837p(written.text)
    if problems:
        raise ExportRefused(
            "The 837P failed its checks and was not written:\n  "
            + "\n  ".join(str(p) for p in problems),
            "Correct what each line names on the claim, then export again.",
        )
    content = written.text.encode("ascii", errors="replace")
    digest = hashlib.sha256(content).hexdigest()
    _write_atomically(out_path, content)
    _record(data, ids, out_path, digest, number)
    return X12Result(out_path, ids, digest, number, written.warnings)


def _next_interchange_number(data: AppData, moment: datetime) -> int:
    """ISA13 must not repeat for this submitter, or the clearinghouse rejects the file as a
    duplicate: the clock's seconds, but always past the last number this folder wrote (two
    exports in one second, or a clock set back)."""
    with data.db.read() as session:
        last = session.exec(
            select(AuditEntry.changes)
            .where(AuditEntry.action == "export_837p")
            .order_by(col(AuditEntry.id).desc())
            .limit(1)
        ).first()
    sent = int(json.loads(last)["interchange_number"][1]) if last else 0
    number = max(int(moment.timestamp()) % INTERCHANGE_MODULUS, sent + 1)
    return number if number < INTERCHANGE_MODULUS else 1


def _packet_input(data: AppData, claim_id: int, today: date | None) -> PacketInput:
    try:
        return packets.packet_input(data, claim_id, today=today)
    except NotFoundError as error:
        raise InvalidInputError(
            f"There is no claim with id {claim_id}.", "`j3490-desk claim list` shows the claims."
        ) from error


def _claim_refusals(data: AppData, packet: PacketInput) -> list[str]:
    claim = packet.claim
    blockers = [f for f in packet.findings if f.severity is Severity.BLOCKER]
    blockers += as_export_blockers(electronic_findings(claim))
    refusals = [f"{f.code}: {f.message}" for f in blockers]
    if claim.documents_sent is not DocumentsSent.NONE and not packets.was_saved(
        data, packet.claim_id, packet.control_number
    ):
        refusals.append(
            f"its documentation goes by {claim.documents_sent.value}, but no packet with its "
            f"current content (control number {packet.control_number}) has been saved; save "
            f"the packet (`j3490-desk claim packet {packet.claim_id} --out FILE.pdf`) so the "
            "number sent and the number in the 837P's PWK are the same"
        )
    return refusals


def _require_folder(out_path: Path) -> None:
    folder = out_path.parent
    if not folder.is_dir():
        raise InvalidInputError(
            f"The folder {folder} does not exist.",
            "Choose an existing folder. Nothing was written.",
        )
    if out_path.is_dir():
        raise InvalidInputError(f"{out_path} is a folder.", "Give a file name, e.g. claims.837.")
    if not os.access(folder, os.W_OK):
        raise InvalidInputError(
            f"You do not have permission to save files in {folder}.",
            "Choose a folder you can write to. Nothing was written.",
        )


def _write_atomically(out_path: Path, content: bytes) -> None:
    try:
        handle, name = tempfile.mkstemp(
            dir=out_path.parent, prefix=f".{out_path.name}.", suffix=".partial"
        )
    except OSError as error:
        raise _write_error(out_path, error) from error
    temporary = Path(name)
    try:
        with os.fdopen(handle, "wb") as stream:  # mkstemp: readable by this user only (0600)
            stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, out_path)
    except OSError as error:
        raise _write_error(out_path, error) from error
    finally:
        temporary.unlink(missing_ok=True)


def _write_error(out_path: Path, error: OSError) -> StorageError:
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return StorageError(
            f"The disk holding {out_path.parent} is full; the 837P was not saved.",
            "Free some space or choose another folder. Nothing was written.",
        )
    return StorageError(
        f"The 837P could not be saved as {out_path} ({error.strerror or error}).",
        "Check the folder and the disk, then export again. Nothing was written.",
    )


def _record(data: AppData, ids: tuple[int, ...], out_path: Path, digest: str, number: int) -> None:
    """The audit log keeps what went into which file (no status moves: the clerk submits)."""
    with data.db.write() as session:
        for claim_id in ids:
            audit.record(
                session,
                user=data.user,
                action="export_837p",
                entity="claim",
                entity_id=claim_id,
                claim_id=claim_id,
                changes={
                    "file_name": (None, out_path.name),
                    "sha256": (None, digest),
                    "interchange_number": (None, number),
                },
            )
