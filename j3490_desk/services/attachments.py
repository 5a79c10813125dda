"""Attachments: the files that prove a claim (invoice, label photo, prescription, ...).

Every file is checked before anything is stored: its type is recognised from its content
(never its name), images are fully decoded, PDFs opened. Content lives once in the
attachment store under its SHA-256; the `attachment` table says which claim and drug line
it proves. Removing is for drafts only; after that a file can only be superseded, and the
audit log keeps both. Qt-free: the panel and the PDF packet call these functions.
"""

from __future__ import annotations

import enum
import functools
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from io import BytesIO
from pathlib import Path
from typing import Any

from PIL import Image, ImageOps
from sqlmodel import Session, col, select

from j3490_desk.domain.claim import ClaimStatus
from j3490_desk.domain.input_limits import FRAME_LIMIT, PIXEL_BUDGET
from j3490_desk.errors import InvalidInputError, KnownError, NotFoundError
from j3490_desk.models import Attachment, Claim, DrugLine
from j3490_desk.services import pdf_pages, records
from j3490_desk.services.app_data import AppData
from j3490_desk.services.input_files import regular_file_size
from j3490_desk.storage import audit
from j3490_desk.storage.attachment_store import (
    AttachmentStore,
    ContentState,
    ContentTooLargeError,
    StagedContent,
)
from j3490_desk.storage.database_attachment_store import DatabaseAttachmentStore
from j3490_desk.storage.server_database import ServerDatabase

ContentStore = AttachmentStore | DatabaseAttachmentStore

_MB = 1024 * 1024
_ACCEPTED = "PDF, JPEG, PNG, TIFF or HEIC/HEIF"

# Copies handed to the system viewer; removed at the next start once this old, so a viewer
# still showing one is left alone.
VIEWER_COPY_PREFIX = "j3490-view-"
VIEWER_COPY_AGE = timedelta(hours=1)


class AttachmentKind(enum.StrEnum):
    INVOICE = "invoice"
    LABEL_PHOTO = "label_photo"
    PRESCRIPTION = "prescription"
    MEDICAL_RECORD = "medical_record"
    PRIOR_AUTH = "prior_auth"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]


_KIND_LABELS = {
    AttachmentKind.INVOICE: "Invoice",
    AttachmentKind.LABEL_PHOTO: "Label photo",
    AttachmentKind.PRESCRIPTION: "Prescription / order",
    AttachmentKind.MEDICAL_RECORD: "Medical record",
    AttachmentKind.PRIOR_AUTH: "Prior-authorization approval",
    AttachmentKind.OTHER: "Other",
}


@dataclass(frozen=True)
class AttachmentInfo:
    id: int
    claim_id: int
    drug_line_id: int | None
    kind: AttachmentKind
    sha256: str
    original_name: str
    media_type: str
    size_bytes: int
    page_count: int
    added_at: datetime
    added_by: str
    superseded_by_id: int | None

    @property
    def is_pdf(self) -> bool:
        return self.media_type == PDF


@dataclass(frozen=True)
class AttachmentProblem:
    attachment_id: int
    claim_id: int
    original_name: str
    sha256: str
    state: ContentState

    @property
    def message(self) -> str:
        what = "is missing from" if self.state is ContentState.MISSING else "has changed in"
        return (
            f"Attachment {self.attachment_id} ('{self.original_name}', claim {self.claim_id}) "
            f"{what} the attachment store."
        )


# --- recognising files by their content ------------------------------------------------------

PDF, JPEG, PNG, TIFF, HEIC, HEIF = (
    "application/pdf",
    "image/jpeg",
    "image/png",
    "image/tiff",
    "image/heic",
    "image/heif",
)
_TYPE_NAMES = {PDF: "PDF", JPEG: "JPEG", PNG: "PNG", TIFF: "TIFF", HEIC: "HEIC", HEIF: "HEIF"}
_EXTENSIONS = {
    PDF: {".pdf"},
    JPEG: {".jpg", ".jpeg", ".jpe", ".jfif"},
    PNG: {".png"},
    TIFF: {".tif", ".tiff"},
    HEIC: {".heic", ".heif", ".hif"},
    HEIF: {".heic", ".heif", ".hif"},
}
_HEIC_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs"}
_HEIF_BRANDS = {b"mif1", b"msf1"}
_PDF_HEADER_WINDOW = 1024  # the PDF spec lets %PDF- appear anywhere in the first 1 KB


def sniff_media_type(head: bytes) -> str | None:
    """The media type the content's first bytes (magic numbers) show, or None."""
    if b"%PDF-" in head[:_PDF_HEADER_WINDOW]:
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return TIFF
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in _HEIC_BRANDS:
            return HEIC
        if brand in _HEIF_BRANDS:
            return HEIF
    return None


def extension_for(media_type: str) -> str:
    return sorted(_EXTENSIONS[media_type])[0] if media_type != JPEG else ".jpg"


@functools.cache
def _register_heif() -> None:
    from pillow_heif import register_heif_opener  # loaded on first HEIC only

    register_heif_opener()


def open_image(source: Path | bytes, name: str = "The image") -> Image.Image:
    """Pillow image of stored content or a picked file, HEIC included (the caller closes it).

    Only the header is read here; an image over PIXEL_BUDGET is refused before any pixel is
    decoded, so no photo can make a command need gigabytes (issue 18 item 10)."""
    _register_heif()
    if isinstance(source, Path):
        regular_file_size(source, name)  # a FIFO would block the open forever
    try:
        image = Image.open(BytesIO(source) if isinstance(source, bytes) else source)
    except Image.DecompressionBombError as error:  # Pillow's own, far larger, ceiling
        raise _over_budget(name, None) from error
    try:
        check_pixel_budget(image, name)
    except BaseException:
        image.close()
        raise
    return image


def check_pixel_budget(image: Image.Image, name: str) -> None:
    """The current frame's size (and the frame count) against the budget, from the header."""
    if image.width * image.height > PIXEL_BUDGET:
        raise _over_budget(name, image.size)
    frames = int(getattr(image, "n_frames", 1))
    if frames > FRAME_LIMIT:
        raise InvalidInputError(
            f"{name} has {frames} pages; at most {FRAME_LIMIT} are read.",
            "Split the document into smaller files.",
        )


def _over_budget(name: str, size: tuple[int, int] | None) -> InvalidInputError:
    shown = f" of {size[0]:,} x {size[1]:,} pixels" if size else ""
    return InvalidInputError(
        f"{name} is an image{shown}, larger than the {PIXEL_BUDGET // 1_000_000} megapixels "
        "J3490 Desk opens.",
        "Save a smaller copy (a label photo needs about 12 megapixels; scans 300 dpi).",
    )


@dataclass(frozen=True)
class _Checked:
    media_type: str
    page_count: int


def _bad_file(name: str, problem: str, hint: str) -> InvalidInputError:
    return InvalidInputError(f"'{name}' {problem}", hint)


def _check_content(path: Path | bytes, name: str, size: int) -> _Checked:
    """`path`: the staged file, or (in an encrypted folder) the content, kept in memory."""
    if size == 0:
        raise _bad_file(
            name,
            "is empty (0 bytes).",
            "Pick the file again; if it was just "
            "scanned or downloaded, wait until it has finished saving.",
        )
    with BytesIO(path) if isinstance(path, bytes) else path.open("rb") as handle:
        media_type = sniff_media_type(handle.read(_PDF_HEADER_WINDOW))
    if media_type is None:
        raise _bad_file(
            name,
            f"is not a file type J3490 Desk keeps (its content is not {_ACCEPTED}).",
            "Scan or save the document as PDF, or the photo as JPEG, and attach that.",
        )
    extension = Path(name).suffix.lower()
    if extension and extension not in _EXTENSIONS[media_type]:
        raise _bad_file(
            name,
            f"is named {extension} but its content is {_TYPE_NAMES[media_type]}.",
            f"Check it is the right file. If it is, rename it to end in "
            f"{extension_for(media_type)} and attach it again.",
        )
    pages = _pdf_page_count(path, name) if media_type == PDF else _image_frames(path, name)
    return _Checked(media_type, pages)


def _pdf_page_count(path: Path | bytes, name: str) -> int:
    from pypdf import PdfReader  # pypdf is only needed when a PDF arrives
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(BytesIO(path) if isinstance(path, bytes) else path)
        if reader.is_encrypted:
            raise _bad_file(
                name,
                "is a password-protected (encrypted) PDF.",
                "Payers cannot open protected files. Open it, print it to a new PDF "
                '("Microsoft Print to PDF" or "Save as PDF") and attach that copy.',
            )
        pages = len(reader.pages)
    except (PyPdfError, ValueError, KeyError, OSError) as error:  # pypdf's damaged-file errors
        raise _bad_file(
            name, f"is a damaged PDF ({error}).", "Scan or export it again and attach the new file."
        ) from error
    if pages == 0:
        raise _bad_file(name, "is a PDF with no pages.", "Scan or export it again.")
    return pages


def _image_frames(path: Path | bytes, name: str) -> int:
    """Decode every frame: a truncated or corrupt image fails here, not in a payer's hands."""
    try:
        with open_image(path, f"'{name}'") as image:
            frames = getattr(image, "n_frames", 1)
            for frame in range(frames):
                image.seek(frame)
                check_pixel_budget(image, f"'{name}' page {frame + 1}")
                image.load()
    except Image.DecompressionBombError as error:
        raise _bad_file(
            name, "is an image too large to open safely.", "Scan it at 300 dpi or less."
        ) from error
    except (OSError, ValueError, SyntaxError, EOFError) as error:  # Pillow's decode failures
        raise _bad_file(
            name,
            "is a damaged or incomplete image (it could not be read to the end).",
            "Copy or take the photo again; if it came by e-mail, save the attachment again.",
        ) from error
    return int(frames)


def _size_limit_bytes(data: AppData) -> int:
    return records.get_settings(data).max_attachment_mb * _MB


def _too_large(name: str, limit: int) -> InvalidInputError:
    return _bad_file(
        name,
        f"is larger than the limit of {limit // _MB} MB per file.",
        "Scan at 300 dpi in black and white or grey, or split the document; the limit can be "
        "changed in Settings > Clinic.",
    )


@contextmanager
def _checked_content(
    data: AppData, source: Path | bytes, name: str
) -> Iterator[tuple[StagedContent, _Checked]]:
    """Stage the content in the store and check the staged copy; removed again on error."""
    limit = _size_limit_bytes(data)
    size = len(source) if isinstance(source, bytes) else regular_file_size(source, f"'{name}'")
    if size > limit:  # from the size alone: a 500 MB file is refused without reading it
        raise _too_large(name, limit)
    store = content_store(data)
    try:
        with store.staged(source, max_bytes=limit) as staged:
            yield staged, _check_content(staged.source, name, staged.size_bytes)
    except ContentTooLargeError as error:
        raise _too_large(name, limit) from error


# --- the public API ----------------------------------------------------------------------------


def add_attachment(
    data: AppData,
    *,
    claim_id: int,
    drug_line_id: int | None,
    kind: AttachmentKind,
    source: Path | bytes,
    original_name: str,
) -> AttachmentInfo:
    """Check the file, keep its content once, and record it on the claim (and drug line)."""
    with attaching(
        data,
        claim_id=claim_id,
        drug_line_id=drug_line_id,
        kind=kind,
        source=source,
        original_name=original_name,
    ) as (_, info):
        return info


@contextmanager
def attaching(
    data: AppData,
    *,
    claim_id: int,
    drug_line_id: int | None,
    kind: AttachmentKind,
    source: Path | bytes,
    original_name: str,
) -> Iterator[tuple[Session, AttachmentInfo]]:
    """`add_attachment` inside a write transaction the caller can add to (a status move that
    files the attachment as its proof): both are committed together, or neither is."""
    name = _display_name(source, original_name)
    with _checked_content(data, source, name) as (staged, checked), data.db.write() as session:
        _require_claim(session, claim_id)
        _require_line(session, claim_id, drug_line_id)
        row = _new_row(data, claim_id, drug_line_id, kind, staged, checked, name)
        session.add(row)
        session.flush()
        _audit(data, session, row, "create", {"original_name": (None, name), "kind": (None, kind)})
        # In the same transaction (shared database) or before its commit (folder): a stored
        # row never names missing content.
        content_store(data).keep(staged, session=session)
        yield session, _info(row)


def list_attachments(
    data: AppData, claim_id: int, *, include_superseded: bool = False
) -> list[AttachmentInfo]:
    with data.db.read() as session:
        query = select(Attachment).where(Attachment.claim_id == claim_id)
        if not include_superseded:
            query = query.where(col(Attachment.superseded_by_id).is_(None))
        rows = session.exec(query.order_by(col(Attachment.added_at), col(Attachment.id)))
        return [_info(row) for row in rows]


def get_attachment(data: AppData, attachment_id: int) -> AttachmentInfo:
    with data.db.read() as session:
        return _info(_require_attachment(session, attachment_id))


def attachment_bytes(data: AppData, info_or_sha256: AttachmentInfo | str) -> bytes:
    """The stored content, as the store gives it back: the one way to read an attachment
    (the file on disk may be encrypted, so it is never opened by its path)."""
    sha256 = info_or_sha256 if isinstance(info_or_sha256, str) else info_or_sha256.sha256
    store = content_store(data)
    try:
        return store.read_bytes(sha256)
    except FileNotFoundError as error:
        name = "" if isinstance(info_or_sha256, str) else f" '{info_or_sha256.original_name}'"
        raise KnownError(
            f"The content of attachment{name} is missing from the attachment store ({store.place}).",
            "Restore the data folder from your latest backup, or attach the file again. "
            "`j3490-desk attachments verify` lists every attachment affected.",
        ) from error


def viewer_copy(data: AppData, info: AttachmentInfo) -> Path:
    """A temporary plain copy with the right extension, for the system viewer: the original
    stays untouched even if that program saves over what it opened, and content kept in an
    encrypted folder or the shared database gets a file to open. Private to this user (0600
    in a 0700 folder); `remove_viewer_copies` deletes it at a later start."""
    content = attachment_bytes(data, info)
    folder = Path(tempfile.mkdtemp(prefix=VIEWER_COPY_PREFIX))
    stem = Path(info.original_name).stem or f"attachment-{info.id}"
    target = folder / f"{stem}{extension_for(info.media_type)}"
    with os.fdopen(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as handle:
        handle.write(content)
    return target


def remove_viewer_copies(*, older_than: timedelta = VIEWER_COPY_AGE) -> int:
    """Delete the viewer copies earlier sessions left in the temporary folder (they are plain
    patient documents, also when the data folder is encrypted); returns how many went. One
    still open in a viewer that locks it (Windows) stays until the next start."""
    cutoff = datetime.now().timestamp() - older_than.total_seconds()
    removed = 0
    for folder in Path(tempfile.gettempdir()).glob(f"{VIEWER_COPY_PREFIX}*"):
        try:
            if folder.is_dir() and folder.stat().st_mtime < cutoff:
                shutil.rmtree(folder)
                removed += 1
        except OSError:
            continue
    return removed


def remove_attachment(data: AppData, attachment_id: int) -> None:
    """Remove an attachment from a claim not yet sent; the content goes when nothing else uses
    it. A ready claim goes back to draft in the same transaction: the file may have been what
    made it ready, so it must pass the Ready check again."""
    # claim_status attaches proof-of-filing files through this module: imported here, not above.
    from j3490_desk.services import claim_status

    with data.db.write() as session:
        row = _require_attachment(session, attachment_id)
        claim = _require_claim(session, row.claim_id)
        if claim.status not in (ClaimStatus.DRAFT, ClaimStatus.READY):
            raise InvalidInputError(
                f"Attachment '{row.original_name}' belongs to claim {claim.id}, which is "
                f"{claim.status}, so it cannot be removed.",
                "Once a claim has been sent its files are kept. Use Supersede to attach a "
                "corrected file: the audit log keeps both.",
            )
        if claim.status == ClaimStatus.READY:
            claim_status.apply_transition(
                data,
                session,
                row.claim_id,
                ClaimStatus.DRAFT,
                note=f"Attachment '{row.original_name}' removed; check the claim and mark it "
                "ready again.",
            )
        changes = {name: (value, None) for name, value in _audited_fields(row).items()}
        _audit(data, session, row, "delete", changes)
        for newer in session.exec(select(Attachment).where(Attachment.superseded_by_id == row.id)):
            newer.superseded_by_id = None
        session.delete(row)
        session.flush()
        # Inside the write lock: no other add can claim this content between check and delete
        # (on a shared database the store checks again under the content row's lock).
        if (
            session.exec(select(Attachment.id).where(Attachment.sha256 == row.sha256)).first()
            is None
        ):
            content_store(data).discard(row.sha256, session=session)


def supersede_attachment(
    data: AppData, attachment_id: int, *, source: Path | bytes, original_name: str
) -> AttachmentInfo:
    """Attach a corrected file in place of an old one; both stay, the old marked superseded."""
    name = _display_name(source, original_name)
    with _checked_content(data, source, name) as (staged, checked), data.db.write() as session:
        old = _require_attachment(session, attachment_id)
        if old.superseded_by_id is not None:
            raise InvalidInputError(
                f"Attachment '{old.original_name}' was already superseded by attachment "
                f"{old.superseded_by_id}.",
                "Supersede the newest version instead.",
            )
        kind = AttachmentKind(old.kind)
        row = _new_row(data, old.claim_id, old.drug_line_id, kind, staged, checked, name)
        session.add(row)
        session.flush()
        old.superseded_by_id = row.id
        _audit(
            data,
            session,
            row,
            "create",
            {"original_name": (None, name), "supersedes": (None, old.id)},
        )
        _audit(data, session, old, "supersede", {"superseded_by_id": (None, row.id)})
        content_store(data).keep(staged, session=session)
        return _info(row)


def verify_attachments(data: AppData) -> list[AttachmentProblem]:
    """Re-hash every stored file; report each attachment whose content is missing or changed."""
    with data.db.read() as session:
        rows = list(session.exec(select(Attachment).order_by(col(Attachment.id))))
    store = content_store(data)
    states: dict[str, ContentState] = {}
    problems = []
    for row in rows:
        if row.sha256 not in states:
            states[row.sha256] = store.state(row.sha256)
        if states[row.sha256] is not ContentState.OK:
            assert row.id is not None
            problems.append(
                AttachmentProblem(
                    row.id, row.claim_id, row.original_name, row.sha256, states[row.sha256]
                )
            )
    return problems


# --- images for thumbnails and the viewer (Pillow and pdfium, no Qt) ---------------------------


def display_image(content: bytes, page: int = 0, *, max_side: int | None = None) -> Image.Image:
    """One page of stored content (`attachment_bytes`) as an RGB(A) image the right way up
    (EXIF orientation applied; the stored file is untouched). `max_side` shrinks it for
    thumbnails; a JPEG is then decoded at reduced size directly, so a 12 MP photo costs a
    fraction."""
    if sniff_media_type(content[:_PDF_HEADER_WINDOW]) == PDF:
        return _pdf_page_image(content, page, max_side)
    with open_image(content) as image:
        if max_side is not None and image.format == "JPEG":
            image.draft("RGB", (max_side, max_side))
        image.seek(page)
        shown = ImageOps.exif_transpose(image)
        shown = shown.convert("RGBA" if "A" in shown.getbands() else "RGB")
    if max_side is not None:
        shown.thumbnail((max_side, max_side))
    return shown


def _pdf_page_image(content: bytes, page: int, max_side: int | None) -> Image.Image:
    return pdf_pages.render_page(content, page, max_side=max_side)


# --- helpers ----------------------------------------------------------------------------------


def content_store(data: AppData) -> ContentStore:
    """Where attachment content (and remittance files) live: the shared database's own tables
    when the claims are on a server, so no seat needs a shared folder; else the data folder's
    `attachments/`, encrypted with the folder."""
    if isinstance(data.db, ServerDatabase):  # shared mode (data.db.shared)
        return DatabaseAttachmentStore(data.db)
    return AttachmentStore(data.paths.attachments, data.db.key)


def _display_name(source: Path | bytes, original_name: str) -> str:
    name = Path(original_name).name.strip() if original_name else ""
    if not name and isinstance(source, Path):
        name = source.name
    return name or "pasted image"


def _require_claim(session: Session, claim_id: int) -> Claim:
    claim = session.get(Claim, claim_id)
    if claim is None:
        raise NotFoundError(f"There is no claim with id {claim_id}.")
    return claim


def _require_line(session: Session, claim_id: int, drug_line_id: int | None) -> None:
    if drug_line_id is None:
        return
    line = session.get(DrugLine, drug_line_id)
    if line is None or line.claim_id != claim_id:
        raise InvalidInputError(
            f"Drug line {drug_line_id} is not on claim {claim_id}.",
            "Attach the file to the claim, or to one of its own drug lines.",
        )


def _require_attachment(session: Session, attachment_id: int) -> Attachment:
    row = session.get(Attachment, attachment_id)
    if row is None:
        raise NotFoundError(f"There is no attachment with id {attachment_id}.")
    return row


def _new_row(
    data: AppData,
    claim_id: int,
    drug_line_id: int | None,
    kind: AttachmentKind,
    staged: StagedContent,
    checked: _Checked,
    name: str,
) -> Attachment:
    return Attachment(
        claim_id=claim_id,
        drug_line_id=drug_line_id,
        kind=AttachmentKind(kind).value,
        sha256=staged.sha256,
        original_name=name,
        media_type=checked.media_type,
        size_bytes=staged.size_bytes,
        page_count=checked.page_count,
        added_by=data.user,
    )


def _audited_fields(row: Attachment) -> dict[str, Any]:
    return {
        "kind": row.kind,
        "original_name": row.original_name,
        "sha256": row.sha256,
        "drug_line_id": row.drug_line_id,
    }


def _audit(
    data: AppData, session: Session, row: Attachment, action: str, changes: audit.Changes
) -> None:
    audit.record(
        session,
        user=data.user,
        action=action,
        entity="attachment",
        entity_id=row.id,
        claim_id=row.claim_id,
        changes=changes,
    )


def _info(row: Attachment) -> AttachmentInfo:
    assert row.id is not None
    return AttachmentInfo(
        id=row.id,
        claim_id=row.claim_id,
        drug_line_id=row.drug_line_id,
        kind=AttachmentKind(row.kind),
        sha256=row.sha256,
        original_name=row.original_name,
        media_type=row.media_type,
        size_bytes=row.size_bytes,
        page_count=row.page_count,
        added_at=row.added_at,
        added_by=row.added_by,
        superseded_by_id=row.superseded_by_id,
    )
