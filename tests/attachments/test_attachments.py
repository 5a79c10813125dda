"""Adding, listing, removing, superseding and verifying attachments, with real-format files."""

from __future__ import annotations

import json
import os
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image
from sqlmodel import col, select

from j3490_desk.errors import InvalidInputError, KnownError
from j3490_desk.models import AuditEntry, Claim, DrugLine
from j3490_desk.models.shared import AttachmentContent
from j3490_desk.services import records
from j3490_desk.services.app_data import AppData
from j3490_desk.services.attachments import (
    HEIC,
    JPEG,
    PDF,
    PNG,
    TIFF,
    AttachmentInfo,
    AttachmentKind,
    add_attachment,
    attachment_bytes,
    display_image,
    list_attachments,
    remove_attachment,
    supersede_attachment,
    verify_attachments,
    viewer_copy,
)
from j3490_desk.services.claims import create_claim
from j3490_desk.storage.attachment_store import ContentState
from tests.attachments import files, stored
from tests.sample_claims import sample_claim


@pytest.fixture
def claim_id(app_data: AppData) -> int:
    return create_claim(app_data, sample_claim())


def _line_id(app_data: AppData, claim_id: int) -> int:
    with app_data.db.read() as session:
        line = session.exec(select(DrugLine).where(DrugLine.claim_id == claim_id)).one()
        assert line.id is not None
        return line.id


def _add(app_data: AppData, claim_id: int, path: Path, **options: object) -> AttachmentInfo:
    values: dict[str, object] = {
        "claim_id": claim_id,
        "drug_line_id": None,
        "kind": AttachmentKind.OTHER,
        "source": path,
        "original_name": path.name,
    }
    values.update(options)
    return add_attachment(app_data, **values)  # type: ignore[arg-type]


def _audit(app_data: AppData) -> list[AuditEntry]:
    with app_data.db.read() as session:
        query = select(AuditEntry).where(AuditEntry.entity == "attachment")
        return list(session.exec(query.order_by(col(AuditEntry.id))))


# --- accepted formats ---------------------------------------------------------------------------


def test_a_pdf_invoice_is_kept_with_its_page_count_and_who_added_it(
    app_data: AppData, claim_id: int, tmp_path: Path
) -> None:
    line_id = _line_id(app_data, claim_id)
    pdf = files.invoice_pdf(tmp_path / "invoice.pdf")
    info = add_attachment(
        app_data,
        claim_id=claim_id,
        drug_line_id=line_id,
        kind=AttachmentKind.INVOICE,
        source=pdf,
        original_name="invoice.pdf",
    )
    assert (info.kind, info.media_type, info.page_count) == (AttachmentKind.INVOICE, PDF, 1)
    assert (info.drug_line_id, info.added_by, info.size_bytes) == (
        line_id,
        app_data.user,
        pdf.stat().st_size,
    )
    assert attachment_bytes(app_data, info) == pdf.read_bytes()
    assert attachment_bytes(app_data, info.sha256) == pdf.read_bytes()
    assert list_attachments(app_data, claim_id) == [info]
    entry = _audit(app_data)[0]
    assert (entry.action, entry.entity_id, entry.claim_id) == ("create", info.id, claim_id)


def test_multi_page_tiff_counts_its_frames(
    app_data: AppData, claim_id: int, tmp_path: Path
) -> None:
    info = _add(app_data, claim_id, files.multipage_tiff(tmp_path / "scan.tif", pages=3))
    assert (info.media_type, info.page_count) == (TIFF, 3)
    assert display_image(attachment_bytes(app_data, info), 2).size == (400, 520)


def test_heic_photo_is_accepted_and_shown(app_data: AppData, claim_id: int, tmp_path: Path) -> None:
    info = _add(app_data, claim_id, files.heic_photo(tmp_path / "IMG_0001.HEIC"))
    assert (info.media_type, info.page_count) == (HEIC, 1)
    assert display_image(attachment_bytes(app_data, info)).size == (1200, 800)


def test_png_from_the_clipboard_as_bytes(app_data: AppData, claim_id: int, tmp_path: Path) -> None:
    png = files.save(files.label_photo(), tmp_path / "x.png").read_bytes()
    info = add_attachment(
        app_data,
        claim_id=claim_id,
        drug_line_id=None,
        kind=AttachmentKind.LABEL_PHOTO,
        source=png,
        original_name="pasted.png",
    )
    assert (info.media_type, info.original_name) == (PNG, "pasted.png")


def test_exif_orientation_is_honoured_for_display_only(
    app_data: AppData, claim_id: int, tmp_path: Path
) -> None:
    photo = files.photo_with_exif_rotation(tmp_path / "phone.jpg")
    info = _add(app_data, claim_id, photo)
    stored = attachment_bytes(app_data, info)
    with Image.open(BytesIO(stored)) as raw:
        assert raw.size == (200, 300)  # stored sideways, untouched
    shown = display_image(stored)
    assert shown.size == (300, 200)
    red, green, _ = shown.getpixel((150, 10))  # type: ignore[misc]
    assert red > 200 and green < 80  # the red band is at the top again
    assert display_image(stored, max_side=60).size == (60, 40)


def test_pdf_pages_render_for_the_viewer(app_data: AppData, claim_id: int, tmp_path: Path) -> None:
    info = _add(app_data, claim_id, files.invoice_pdf(tmp_path / "invoice.pdf"))
    page = display_image(attachment_bytes(app_data, info), 0, max_side=200)
    assert max(page.size) == 200


def test_viewer_copy_has_the_right_extension_and_leaves_the_original(
    app_data: AppData, claim_id: int, tmp_path: Path
) -> None:
    info = _add(app_data, claim_id, files.invoice_pdf(tmp_path / "scan"), original_name="scan")
    copy = viewer_copy(app_data, info)
    assert copy.suffix == ".pdf" and copy.read_bytes() == attachment_bytes(app_data, info)


def test_viewer_copies_left_by_an_earlier_session_are_removed(
    app_data: AppData, claim_id: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os
    import tempfile

    from j3490_desk.services.attachments import remove_viewer_copies

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "temp"))
    (tmp_path / "temp").mkdir()
    info = _add(app_data, claim_id, files.invoice_pdf(tmp_path / "scan.pdf"))
    old, fresh = viewer_copy(app_data, info), viewer_copy(app_data, info)
    two_hours_ago = old.parent.stat().st_mtime - 2 * 3600
    os.utime(old.parent, (two_hours_ago, two_hours_ago))
    unrelated = tmp_path / "temp" / "someone-elses-file"
    unrelated.mkdir()
    os.utime(unrelated, (two_hours_ago, two_hours_ago))
    assert remove_viewer_copies() == 1
    assert not old.exists()
    assert fresh.exists()  # may still be open in a viewer
    assert unrelated.exists()


# --- bad input: a clear message, nothing stored --------------------------------------------------


def _refused(app_data: AppData, claim_id: int, path: Path, *words: str) -> InvalidInputError:
    with pytest.raises(InvalidInputError) as caught:
        _add(app_data, claim_id, path)
    text = str(caught.value).lower()
    for word in words:
        assert word.lower() in text
    assert caught.value.hint
    assert list_attachments(app_data, claim_id, include_superseded=True) == []
    assert stored.stored_names(app_data) == []
    assert _audit(app_data) == []
    return caught.value


def test_zero_byte_file(app_data: AppData, claim_id: int, tmp_path: Path) -> None:
    empty = tmp_path / "empty.pdf"
    empty.touch()
    _refused(app_data, claim_id, empty, "empty", "0 bytes")


def test_a_jpg_that_is_really_a_pdf(app_data: AppData, claim_id: int, tmp_path: Path) -> None:
    liar = files.invoice_pdf(tmp_path / "photo.jpg")
    _refused(app_data, claim_id, liar, "named .jpg", "its content is PDF", ".pdf")


def test_truncated_jpeg(app_data: AppData, claim_id: int, tmp_path: Path) -> None:
    whole = files.jpeg_bytes(files.label_photo())
    cut = tmp_path / "label.jpg"
    cut.write_bytes(whole[: len(whole) // 2])
    _refused(app_data, claim_id, cut, "damaged or incomplete image")


def test_encrypted_pdf(app_data: AppData, claim_id: int, tmp_path: Path) -> None:
    locked = files.invoice_pdf(tmp_path / "invoice.pdf", encrypt="secret")
    _refused(app_data, claim_id, locked, "password-protected")


def test_unsupported_type(app_data: AppData, claim_id: int, tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("patient notes")
    _refused(app_data, claim_id, text, "not a file type", "PDF, JPEG, PNG, TIFF or HEIC")


def test_a_500_mb_file_is_refused_from_its_size_alone(
    app_data: AppData, claim_id: int, tmp_path: Path
) -> None:
    huge = tmp_path / "scan.pdf"
    with huge.open("wb") as handle:
        handle.truncate(500 * 1024 * 1024)  # sparse: no 500 MB is written
    error = _refused(app_data, claim_id, huge, "limit of 50 MB")
    assert "Settings" in error.hint


def test_the_limit_follows_the_clinic_setting(
    app_data: AppData, claim_id: int, tmp_path: Path
) -> None:
    settings = records.get_settings(app_data)
    settings.max_attachment_mb = 1
    records.save_settings(app_data, settings)
    big = tmp_path / "photo.png"
    big.write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(1024 * 1024 + 1))
    _refused(app_data, claim_id, big, "limit of 1 MB")


def test_a_drug_line_of_another_claim_is_refused(
    app_data: AppData, claim_id: int, tmp_path: Path
) -> None:
    other = create_claim(app_data, sample_claim())
    pdf = files.invoice_pdf(tmp_path / "invoice.pdf")
    with pytest.raises(InvalidInputError, match="not on claim"):
        _add(app_data, claim_id, pdf, drug_line_id=_line_id(app_data, other))
    assert stored.stored_names(app_data) == []


# --- identical content, removal, supersession, verification ------------------------------------


@pytest.mark.sqlite_only
def test_a_one_seat_folder_keeps_content_as_files_not_in_the_database(
    app_data: AppData, claim_id: int, tmp_path: Path
) -> None:
    info = _add(app_data, claim_id, files.invoice_pdf(tmp_path / "invoice.pdf"))
    kept = app_data.paths.attachments / info.sha256[:2] / info.sha256
    assert kept.read_bytes() == (tmp_path / "invoice.pdf").read_bytes()
    with app_data.db.read() as session:
        assert session.exec(select(AttachmentContent)).all() == []


def test_identical_content_on_two_claims_is_stored_once(
    app_data: AppData, claim_id: int, tmp_path: Path
) -> None:
    pdf = files.invoice_pdf(tmp_path / "invoice.pdf")
    other = create_claim(app_data, sample_claim())
    first, second = _add(app_data, claim_id, pdf), _add(app_data, other, pdf)
    assert first.sha256 == second.sha256
    assert len(stored.stored_names(app_data)) == 1


def test_remove_from_a_draft_keeps_shared_content_until_unused(
    app_data: AppData, claim_id: int, tmp_path: Path
) -> None:
    pdf = files.invoice_pdf(tmp_path / "invoice.pdf")
    first, second = _add(app_data, claim_id, pdf), _add(app_data, claim_id, pdf)
    remove_attachment(app_data, first.id)
    assert list_attachments(app_data, claim_id) == [second]
    assert len(stored.stored_names(app_data)) == 1
    remove_attachment(app_data, second.id)
    assert stored.stored_names(app_data) == []
    assert [e.action for e in _audit(app_data)] == ["create", "create", "delete", "delete"]


def _submit(app_data: AppData, claim_id: int) -> None:
    with app_data.db.write() as session:
        claim = session.get(Claim, claim_id)
        assert claim is not None
        claim.status = "submitted"


def test_a_submitted_claim_refuses_removal_but_allows_supersession(
    app_data: AppData, claim_id: int, tmp_path: Path
) -> None:
    old = _add(
        app_data, claim_id, files.invoice_pdf(tmp_path / "invoice.pdf"), kind=AttachmentKind.INVOICE
    )
    _submit(app_data, claim_id)
    with pytest.raises(InvalidInputError, match="submitted") as caught:
        remove_attachment(app_data, old.id)
    assert "Supersede" in caught.value.hint
    corrected = files.invoice_pdf(tmp_path / "invoice-corrected.pdf", price="59,000.00")
    new = supersede_attachment(app_data, old.id, source=corrected, original_name=corrected.name)
    assert new.kind is AttachmentKind.INVOICE
    assert list_attachments(app_data, claim_id) == [new]
    both = list_attachments(app_data, claim_id, include_superseded=True)
    assert [a.id for a in both] == [old.id, new.id]
    assert both[0].superseded_by_id == new.id
    entries = _audit(app_data)
    assert [(e.action, e.entity_id) for e in entries] == [
        ("create", old.id),
        ("create", new.id),
        ("supersede", old.id),
    ]
    assert json.loads(entries[2].changes) == {"superseded_by_id": [None, new.id]}
    with pytest.raises(InvalidInputError, match="already superseded"):
        supersede_attachment(app_data, old.id, source=corrected, original_name="x.pdf")


def test_verify_names_missing_and_changed_content(
    app_data: AppData, claim_id: int, tmp_path: Path
) -> None:
    pdf = _add(app_data, claim_id, files.invoice_pdf(tmp_path / "invoice.pdf"))
    tif = _add(app_data, claim_id, files.multipage_tiff(tmp_path / "scan.tif"))
    assert verify_attachments(app_data) == []
    stored.overwrite(app_data, pdf.sha256, b"%PDF-1.4 edited")
    stored.remove(app_data, tif.sha256)
    problems = verify_attachments(app_data)
    assert [(p.attachment_id, p.original_name, p.state) for p in problems] == [
        (pdf.id, "invoice.pdf", ContentState.CHANGED),
        (tif.id, "scan.tif", ContentState.MISSING),
    ]
    assert "scan.tif" in problems[1].message
    with pytest.raises(KnownError, match=r"'scan\.tif' is missing from the attachment store"):
        attachment_bytes(app_data, tif)
    with pytest.raises(KnownError, match="missing from the attachment store"):
        attachment_bytes(app_data, tif.sha256)
    with pytest.raises(KnownError, match="missing from the attachment store"):
        viewer_copy(app_data, tif)


def test_jpeg_kind(app_data: AppData, claim_id: int, tmp_path: Path) -> None:
    photo = tmp_path / "label.jpeg"
    photo.write_bytes(files.jpeg_bytes(files.label_photo()))
    info = _add(app_data, claim_id, photo, kind=AttachmentKind.LABEL_PHOTO)
    assert (info.media_type, info.kind) == (JPEG, AttachmentKind.LABEL_PHOTO)
