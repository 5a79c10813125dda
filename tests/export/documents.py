"""Attachment files the export tests make: scans, photos and PDFs with known text."""

from __future__ import annotations

import hashlib
from pathlib import Path

from PIL import Image, ImageDraw
from reportlab.lib.pagesizes import landscape, letter
from reportlab.pdfgen.canvas import Canvas

from j3490_desk.export.packet_input import PacketAttachment


def scanned_page(path: Path, *, dpi: int = 300, color: bool = False) -> Path:
    """A letter-size scan: gray text lines on white (saved as RGB when `color` is False too)."""
    size = (int(8.5 * dpi), int(11 * dpi))
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    for y in range(dpi, size[1] - dpi, dpi // 5):
        draw.text((dpi, y), "INVOICE  NDC 61755-0008-01  LOT CEM8X01  $9,100.00", fill=(0, 0, 0))
    if color:
        draw.rectangle((dpi, dpi // 3, 3 * dpi, dpi // 2 + dpi // 3), fill=(200, 30, 30))
    image.save(path, "JPEG", quality=85, dpi=(dpi, dpi))
    return path


def label_photo(path: Path) -> Path:
    image = Image.new("RGBA", (1200, 900), (40, 90, 200, 255))
    ImageDraw.Draw(image).text((100, 100), "LOT CEM8X01 EXP 06/2020", fill=(255, 255, 255, 255))
    image.save(path, "PNG")
    return path


def record_pdf(path: Path, text: str = "Progress note", pages: int = 2) -> Path:
    """A PDF whose page n says "<text> page n"; the last page is landscape."""
    canvas = Canvas(str(path), pagesize=letter)
    for number in range(1, pages + 1):
        if number == pages and pages > 1:
            canvas.setPageSize(landscape(letter))
        canvas.setFont("Helvetica", 14)
        canvas.drawString(72, 400, f"{text} page {number}")
        canvas.showPage()
    canvas.save()
    return path


def attached(
    title: str, kind: str, path: Path, media_type: str, drug_line: int | None = None
) -> PacketAttachment:
    """The file as the packet encloses it: named by its SHA-256, read by its loader."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return PacketAttachment(title, kind, digest, media_type, path.read_bytes, drug_line)


def standard_attachments(folder: Path) -> tuple[PacketAttachment, ...]:
    """An invoice scan, a label photo and a two-page record, in manifest order."""
    folder.mkdir(parents=True, exist_ok=True)
    return (
        attached(
            "Invoice (invoice.jpg)",
            "invoice",
            scanned_page(folder / "invoice.jpg"),
            "image/jpeg",
            0,
        ),
        attached(
            "Label photo (label.png)",
            "label_photo",
            label_photo(folder / "label.png"),
            "image/png",
            0,
        ),
        attached(
            "Medical record (notes.pdf)",
            "medical_record",
            record_pdf(folder / "notes.pdf", "Infusion record"),
            "application/pdf",
        ),
    )
