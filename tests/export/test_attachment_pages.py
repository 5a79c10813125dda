"""Scans are downsampled to 200 dpi (gray stays gray); broken or missing files are refused."""

from __future__ import annotations

import dataclasses
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader, PdfWriter

from j3490_desk.export.attachment_pages import TARGET_DPI, prepare_attachment
from j3490_desk.export.errors import AttachmentMissingError, CorruptAttachmentError
from j3490_desk.export.layout import BODY_HEIGHT
from j3490_desk.export.packet import render_packet
from j3490_desk.export.packet_input import PacketAttachment
from tests.domain.scenarios import rare_biologic
from tests.export.documents import attached, label_photo, record_pdf, scanned_page
from tests.export.test_packet_scenarios import packet_input, page_texts


def _jpeg(path: Path, media_type: str = "image/jpeg") -> PacketAttachment:
    return attached("Invoice", "invoice", path, media_type)


def test_300_dpi_scan_is_downsampled_to_200_dpi_and_stays_gray(tmp_path: Path) -> None:
    prepared = prepare_attachment(_jpeg(scanned_page(tmp_path / "scan.jpg")))
    (image,) = prepared.images
    assert image.grayscale
    with Image.open(BytesIO(image.jpeg)) as decoded:
        assert decoded.mode == "L"
        width_inches = BODY_HEIGHT / 72 * decoded.width / decoded.height  # height-bound page
        assert abs(decoded.width / width_inches - TARGET_DPI) < 2


def test_colour_photo_keeps_its_colour_and_is_not_upsampled(tmp_path: Path) -> None:
    prepared = prepare_attachment(
        attached("Label", "label_photo", label_photo(tmp_path / "l.png"), "image/png")
    )
    (image,) = prepared.images
    assert not image.grayscale
    with Image.open(BytesIO(image.jpeg)) as decoded:
        assert decoded.mode == "RGB" and decoded.size == (1200, 900)


def test_colour_marks_on_a_scan_keep_it_in_colour(tmp_path: Path) -> None:
    prepared = prepare_attachment(_jpeg(scanned_page(tmp_path / "c.jpg", dpi=150, color=True)))
    assert not prepared.images[0].grayscale


def test_missing_content_names_the_document(tmp_path: Path) -> None:
    gone = PacketAttachment(
        "Invoice", "invoice", "0" * 64, "image/jpeg", (tmp_path / "x").read_bytes
    )
    with pytest.raises(AttachmentMissingError, match="Invoice is missing"):
        prepare_attachment(gone)


def test_content_comes_from_the_loader_once_never_from_a_path(tmp_path: Path) -> None:
    content = scanned_page(tmp_path / "scan.jpg", dpi=100).read_bytes()
    loads: list[int] = []

    def load() -> bytes:
        loads.append(1)
        return content

    (tmp_path / "scan.jpg").unlink()  # nothing may read the file by its path
    attachment = PacketAttachment("Invoice", "invoice", "ab" * 32, "image/jpeg", load)
    assert len(prepare_attachment(attachment).images) == 1 and loads == [1]


@pytest.mark.parametrize(
    ("content", "media_type"),
    [
        (b"%PDF-1.7\n1 0 obj <<>> garbage", "application/pdf"),
        (b"\xff\xd8\xff\xe0 not really a jpeg", "image/jpeg"),
        (b"", "application/pdf"),
    ],
    ids=["pdf", "jpeg", "empty-pdf"],
)
def test_corrupt_file_is_refused_with_a_hint(
    tmp_path: Path, content: bytes, media_type: str
) -> None:
    path = tmp_path / "broken"
    path.write_bytes(content)
    attachment = attached("Record", "medical_record", path, media_type)
    with pytest.raises(CorruptAttachmentError, match="cannot be read") as caught:
        prepare_attachment(attachment)
    assert f"Record ({attachment.sha256}) cannot be read" in str(caught.value)
    assert "Nothing was written" in caught.value.hint


def test_password_protected_pdf_is_refused(tmp_path: Path) -> None:
    writer = PdfWriter(clone_from=record_pdf(tmp_path / "plain.pdf"))
    writer.encrypt("secret", algorithm="AES-256")
    locked = tmp_path / "locked.pdf"
    with locked.open("wb") as stream:
        writer.write(stream)
    with pytest.raises(CorruptAttachmentError, match="password"):
        prepare_attachment(attached("Record", "medical_record", locked, "application/pdf"))


def test_rotated_pdf_page_is_merged_upright_inside_the_body(tmp_path: Path) -> None:
    writer = PdfWriter(clone_from=record_pdf(tmp_path / "r.pdf", "Rotated note", pages=1))
    writer.pages[0].rotate(90)
    rotated = tmp_path / "rotated.pdf"
    with rotated.open("wb") as stream:
        writer.write(stream)
    packet = packet_input(rare_biologic(), tmp_path / "docs")
    attachment = attached("Note", "medical_record", rotated, "application/pdf")
    rendered = render_packet(dataclasses.replace(packet, attachments=(attachment,)))
    last = PdfReader(BytesIO(rendered.pdf)).pages[-1]
    assert last.rotation == 0 and float(last.mediabox.width) == 612
    assert "Rotated note page 1" in page_texts(rendered.pdf)[-1]


def test_packet_is_protected_with_aes_when_a_password_is_given(tmp_path: Path) -> None:
    rendered = render_packet(packet_input(rare_biologic(), tmp_path), password="s3cret")
    reader = PdfReader(BytesIO(rendered.pdf))
    assert reader.is_encrypted
    assert reader.decrypt("s3cret")
    assert "/AESV3" in str(reader.trailer["/Encrypt"].get_object()["/CF"])
    assert len(reader.pages) == rendered.page_count
