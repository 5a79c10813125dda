"""Export a claim's documentation packet: gather, build, write atomically, record.

The packet is built in memory (j3490_desk.export), written to a temporary file beside the
destination, fsynced and renamed over it, so a failed or cancelled export leaves neither a
half-written packet nor a temporary file. The export is recorded with its audit entry in one
transaction. The control number carries a hash of the packet's content: exporting unchanged
content again gives the same control number and the same bytes.
"""

from __future__ import annotations

import dataclasses
import errno
import hashlib
import os
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlmodel import col, select

from j3490_desk import __version__
from j3490_desk.domain.claim import Claim, ClaimStatus, DrugFacts
from j3490_desk.domain.findings import Finding, Severity
from j3490_desk.errors import InvalidInputError, StorageError
from j3490_desk.export.assemble import protect
from j3490_desk.export.errors import PacketCancelled
from j3490_desk.export.packet import render_packet
from j3490_desk.export.packet_input import (
    CancelledCallback,
    ClinicInfo,
    PacketAttachment,
    PacketInput,
    ProgressCallback,
)
from j3490_desk.export.page_map import ManifestEntry
from j3490_desk.models import PacketExport
from j3490_desk.services import claim_check, claims, records
from j3490_desk.services.app_data import AppData
from j3490_desk.services.packet_attachments import packet_attachments
from j3490_desk.storage import audit

HASH_LENGTH = 10  # hex digits of the content hash in the control number
PASSWORD_MIN = 8  # a PDF password a payer types from a phone call or a separate e-mail


class PacketWriteError(StorageError):
    """The packet could not be written where the user asked."""


@dataclass(frozen=True)
class BuiltPacket:
    """A packet built in memory (unprotected), to preview, print or save."""

    claim_id: int
    pdf: bytes
    control_number: str
    page_count: int
    draft: bool
    manifest: tuple[ManifestEntry, ...]
    draft_reason: str = ""  # why it is a DRAFT, in a sentence


@dataclass(frozen=True)
class PacketResult:
    path: Path
    sha256: str
    control_number: str
    page_count: int
    draft: bool
    manifest: tuple[ManifestEntry, ...]
    draft_reason: str = ""


def record_print(data: AppData, packet: BuiltPacket) -> None:
    """A packet went to the printer: paper leaves no file behind, so the audit log says so."""
    with data.db.write() as session:
        audit.record(
            session,
            user=data.user,
            action="print_packet",
            entity="claim",
            entity_id=packet.claim_id,
            claim_id=packet.claim_id,
            changes={
                "control_number": (None, packet.control_number),
                "page_count": (None, packet.page_count),
                "draft": (None, packet.draft),
            },
        )


def export_packet(
    data: AppData,
    claim_id: int,
    out_path: Path,
    *,
    password: str | None = None,
    today: date | None = None,
    progress: ProgressCallback | None = None,
    cancelled: CancelledCallback | None = None,
) -> PacketResult:
    """Build and save the packet; raises NotFoundError, a KnownError, or PacketCancelled."""
    built = build_packet(data, claim_id, today=today, progress=progress, cancelled=cancelled)
    return save_packet(data, built, out_path, password=password, cancelled=cancelled)


def build_packet(
    data: AppData,
    claim_id: int,
    *,
    today: date | None = None,
    progress: ProgressCallback | None = None,
    cancelled: CancelledCallback | None = None,
) -> BuiltPacket:
    """Gather the claim, clinic, findings and attachments and build the packet in memory."""
    claim = claims.get_claim(data, claim_id)
    today = today or date.today()
    findings = tuple(claim_check.findings_for(data, claim, today=today))
    facts = claim_check.drug_facts(data, claim)
    settings = records.get_settings(data)
    clinic = ClinicInfo(
        settings.name, settings.address, settings.phone, settings.fax, settings.group_npi
    )
    attachments = packet_attachments(data, claim)
    producer = f"J3490 Desk {__version__}"
    content = content_hash(claim_id, claim, clinic, findings, facts, attachments, producer)
    control_number, prepared_on = _control_number(data, claim_id, content, today)
    packet = PacketInput(
        claim=claim,
        claim_id=claim_id,
        control_number=control_number,
        producer=producer,
        prepared_on=prepared_on,
        clinic=clinic,
        findings=findings,
        facts=facts,
        attachments=attachments,
    )
    rendered = render_packet(packet, progress=progress, cancelled=cancelled)
    return BuiltPacket(
        claim_id,
        rendered.pdf,
        control_number,
        rendered.page_count,
        rendered.draft,
        rendered.manifest,
        packet.draft_reason,
    )


def save_packet(
    data: AppData,
    built: BuiltPacket,
    out_path: Path,
    *,
    password: str | None = None,
    cancelled: CancelledCallback | None = None,
) -> PacketResult:
    """Write the packet atomically and record the export; nothing is written on failure.
    `password` None writes it unprotected; a password shorter than PASSWORD_MIN is refused
    (an empty one protects nothing, and said nothing of it)."""
    if password is not None and len(password) < PASSWORD_MIN:
        raise InvalidInputError(
            f"A packet password needs at least {PASSWORD_MIN} characters; nothing was written.",
            "Choose a longer one, and send it to the payer apart from the packet.",
        )
    content = protect(built.pdf, password) if password else built.pdf
    digest = hashlib.sha256(content).hexdigest()
    _save(data, built, out_path, content, digest, cancelled or (lambda: False))
    return PacketResult(
        out_path,
        digest,
        built.control_number,
        built.page_count,
        built.draft,
        built.manifest,
        built.draft_reason,
    )


def content_hash(
    claim_id: int,
    claim: Claim,
    clinic: ClinicInfo,
    findings: Sequence[Finding],
    facts: Mapping[str, DrugFacts] | None,
    attachments: Sequence[PacketAttachment],
    producer: str,
) -> str:
    """Everything printed in the packet except the control number and its date.

    Frozen dataclasses have a stable repr; attachments count by their content hash (the store
    names each file by it), not by where the file happens to be.
    """
    parts = [
        str(claim_id),
        # Status is not printed: marking the claim submitted must keep its PWK number.
        repr(dataclasses.replace(claim, status=ClaimStatus.DRAFT, submitted_on=None)),
        repr(clinic),
        repr([f for f in findings if f.severity is Severity.BLOCKER]),  # only blockers print
        repr(sorted((facts or {}).items())),
        repr([(a.title, a.kind, a.media_type, a.drug_line, a.sha256) for a in attachments]),
        producer,
    ]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:HASH_LENGTH].upper()


def _control_number(data: AppData, claim_id: int, content: str, today: date) -> tuple[str, date]:
    """The earlier packet's number (and date) when the content is unchanged, else a new one."""
    with data.db.read() as session:
        earlier = session.exec(
            select(PacketExport.control_number)
            .where(PacketExport.claim_id == claim_id)
            .where(col(PacketExport.control_number).endswith(f"-{content}"))
            .order_by(col(PacketExport.id))
        ).first()
    if earlier:
        return earlier, datetime.strptime(earlier.split("-", 1)[0], "%Y%m%d").date()
    return f"{today.strftime('%Y%m%d')}-{claim_id}-{content}", today


def _save(
    data: AppData,
    built: BuiltPacket,
    out_path: Path,
    content: bytes,
    digest: str,
    cancelled: CancelledCallback,
) -> None:
    claim_id, control_number = built.claim_id, built.control_number
    temporary = _write_temporary(out_path, content)
    try:
        if cancelled():
            raise PacketCancelled()
        with data.db.write() as session:
            row = PacketExport(
                claim_id=claim_id,
                exported_by=data.user,
                sha256=digest,
                control_number=control_number,
                page_count=built.page_count,
                file_name=out_path.name,
                draft=built.draft,
            )
            session.add(row)
            session.flush()
            audit.record(
                session,
                user=data.user,
                action="export_packet",
                entity="packet_export",
                entity_id=row.id,
                claim_id=claim_id,
                changes={
                    "control_number": (None, control_number),
                    "sha256": (None, digest),
                    "page_count": (None, built.page_count),
                    "file_name": (None, out_path.name),
                    "draft": (None, built.draft),
                },
            )
            # Last step inside the transaction: if the rename fails, nothing is recorded.
            _replace(temporary, out_path)
    finally:
        temporary.unlink(missing_ok=True)


def _write_temporary(out_path: Path, content: bytes) -> Path:
    folder = out_path.parent
    try:
        handle, name = tempfile.mkstemp(dir=folder, prefix=f".{out_path.name}.", suffix=".partial")
    except OSError as error:
        raise _write_error(folder, error) from error
    temporary = Path(name)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())  # on disk before it takes the real name
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise _write_error(folder, error) from error
    return temporary


def _replace(temporary: Path, out_path: Path) -> None:
    try:
        os.replace(temporary, out_path)
    except OSError as error:
        raise _write_error(out_path.parent, error) from error


def _write_error(folder: Path, error: OSError) -> PacketWriteError:
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return PacketWriteError(
            f"The disk holding {folder} is full; the packet was not saved.",
            "Free some disk space or choose another folder, then export again. "
            "Nothing was written.",
        )
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return PacketWriteError(
            f"You do not have permission to save files in {folder}.",
            "Choose a folder you can write to (your Documents folder, for instance). "
            "Nothing was written.",
        )
    if error.errno == errno.ENOENT:
        return PacketWriteError(
            f"The folder {folder} does not exist.",
            "Choose an existing folder. Nothing was written.",
        )
    return PacketWriteError(
        f"The packet could not be saved in {folder} ({error.strerror or error}).",
        "Check the folder and the disk, then export again. Nothing was written.",
    )
