"""Every consumer reads attachment content through the store's `read_bytes`, never by path.

The store keeps content encrypted in an encrypted folder, and in chunks on a shared database,
so what is stored is not the document file. Here the stored content is overwritten with
garbage while `read_bytes` is patched to return the real content: packet export, thumbnails, the viewer, label and invoice reading must all
still work. Anything that opened the stored file by its path would read the garbage and fail.
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader

from j3490_desk.services import attachments, claims, invoice_text, packets
from j3490_desk.services.app_data import AppData
from j3490_desk.services.attachments import (
    AttachmentInfo,
    AttachmentKind,
    ContentStore,
    attachment_bytes,
    content_store,
    display_image,
    viewer_copy,
)
from j3490_desk.services.label_reading import read_label
from j3490_desk.storage.attachment_store import ContentState
from tests.attachments import files
from tests.attachments import stored as stored_content
from tests.export.documents import record_pdf
from tests.sample_claims import sample_claim

GARBAGE = b"ciphertext, not the document \x00\x01\x02" * 64


def scramble_store(app_data: AppData, monkeypatch: pytest.MonkeyPatch) -> None:
    """Stand in for encryption: garbage stored, the real content only from `read_bytes`."""
    store = content_store(app_data)
    real = {sha256: store.read_bytes(sha256) for sha256 in stored_content.stored_names(app_data)}
    assert real, "nothing stored to scramble"
    for sha256 in real:
        stored_content.overwrite(app_data, sha256, GARBAGE)

    def read_bytes(_store: ContentStore, sha256: str) -> bytes:
        if sha256 not in real:
            raise FileNotFoundError(sha256)
        return real[sha256]

    monkeypatch.setattr(type(store), "read_bytes", read_bytes)


def _add(
    app_data: AppData, claim_id: int, kind: AttachmentKind, path: Path, line: int | None = None
) -> AttachmentInfo:
    return attachments.add_attachment(
        app_data,
        claim_id=claim_id,
        drug_line_id=line,
        kind=kind,
        source=path,
        original_name=path.name,
    )


@pytest.fixture
def stored(app_data: AppData, tmp_path: Path) -> dict[AttachmentKind, AttachmentInfo]:
    claim_id = claims.create_claim(app_data, sample_claim())
    line_id = claims.get_claim(app_data, claim_id).drug_lines[0].id
    label = files.save(files.label_photo(), tmp_path / "label.jpg", quality=90)
    return {
        AttachmentKind.INVOICE: _add(
            app_data,
            claim_id,
            AttachmentKind.INVOICE,
            files.invoice_pdf(tmp_path / "invoice.pdf"),
            line_id,
        ),
        AttachmentKind.LABEL_PHOTO: _add(
            app_data, claim_id, AttachmentKind.LABEL_PHOTO, label, line_id
        ),
        AttachmentKind.MEDICAL_RECORD: _add(
            app_data,
            claim_id,
            AttachmentKind.MEDICAL_RECORD,
            record_pdf(tmp_path / "record.pdf", "Infusion record"),
        ),
        AttachmentKind.OTHER: _add(
            app_data, claim_id, AttachmentKind.OTHER, files.multipage_tiff(tmp_path / "scan.tif")
        ),
    }


def test_the_garbage_really_is_on_disk(
    app_data: AppData, stored: dict[AttachmentKind, AttachmentInfo], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The control: with the files scrambled, the store itself sees every one as changed."""
    scramble_store(app_data, monkeypatch)
    store = content_store(app_data)
    for info in stored.values():
        assert store.state(info.sha256) is ContentState.CHANGED


def test_packet_export_reads_content_through_the_store(
    app_data: AppData,
    stored: dict[AttachmentKind, AttachmentInfo],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    claim_id = stored[AttachmentKind.INVOICE].claim_id
    before = packets.build_packet(app_data, claim_id)
    scramble_store(app_data, monkeypatch)
    result = packets.export_packet(app_data, claim_id, tmp_path / "packet.pdf")
    assert result.page_count == before.page_count and result.control_number == (
        before.control_number
    )  # same content, same control number: attachments still count by their SHA-256
    text = "\n".join(
        page.extract_text() for page in PdfReader(BytesIO(result.path.read_bytes())).pages
    )
    assert "INV-8812" in text and "Infusion record page 2" in text


def test_thumbnails_viewer_label_and_invoice_read_through_the_store(
    app_data: AppData, stored: dict[AttachmentKind, AttachmentInfo], monkeypatch: pytest.MonkeyPatch
) -> None:
    scramble_store(app_data, monkeypatch)
    invoice, label = stored[AttachmentKind.INVOICE], stored[AttachmentKind.LABEL_PHOTO]
    scan = stored[AttachmentKind.OTHER]

    assert max(display_image(attachment_bytes(app_data, invoice), 0, max_side=160).size) == 160
    assert display_image(attachment_bytes(app_data, label), max_side=160).size == (160, 107)
    assert display_image(attachment_bytes(app_data, scan), 2).size == (400, 520)

    copy = viewer_copy(app_data, invoice)  # the system viewer gets the plain document
    assert copy.read_bytes().startswith(b"%PDF-") and copy.read_bytes() != GARBAGE

    reading = read_label(attachment_bytes(app_data, label), name=label.original_name)
    assert (reading.lot, reading.serial) == (files.LOT, files.SERIAL)

    text = invoice_text.read_invoice(attachment_bytes(app_data, invoice), name="invoice.pdf")
    assert [ndc.ndc11 for ndc in text.ndcs] == ["55566105001"]
