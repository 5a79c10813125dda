"""The final file: attached PDF pages merged into their reserved pages, and metadata;
`protect` adds a password.

Each attached page is scaled into the body of a reserved packet page and laid *under* it, so
the header, footer and any DRAFT watermark print on top of it, as on every other page.
"""

from __future__ import annotations

from io import BytesIO

from pypdf import PageObject, PdfReader, PdfWriter, Transformation
from pypdf.errors import PyPdfError

from j3490_desk.export.errors import CorruptAttachmentError, PacketCancelled
from j3490_desk.export.layout import BODY_HEIGHT, BODY_WIDTH, BODY_X, BODY_Y
from j3490_desk.export.packet_input import CancelledCallback
from j3490_desk.export.packet_view import PacketView
from j3490_desk.export.page_map import attachment_key


def assemble(own_pages: bytes, view: PacketView, *, cancelled: CancelledCallback) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(BytesIO(own_pages)))
    for index, prepared in enumerate(view.attachments):
        if prepared.pdf is None:
            continue
        if cancelled():
            raise PacketCancelled()
        first = view.pages.starts[attachment_key(index)]
        for offset, page in enumerate(prepared.pdf.pages):
            try:
                _merge_into(writer.pages[first - 1 + offset], page)
            except (PyPdfError, ValueError, KeyError, TypeError) as error:
                raise CorruptAttachmentError(
                    f"Page {offset + 1} of the attached {prepared.source.title} cannot be read "
                    f"({error}).",
                    "Open the original, save it again as a PDF, replace the attachment, then "
                    "export again. Nothing was written.",
                ) from error
    writer.add_metadata(_metadata(view))
    output = BytesIO()
    writer.write(output)
    return output.getvalue()


def protect(pdf: bytes, password: str) -> bytes:
    """AES-256 with an open password, for sending by email. (Random salts: not deterministic.)"""
    writer = PdfWriter(clone_from=PdfReader(BytesIO(pdf)))
    writer.encrypt(user_password=password, owner_password=None, algorithm="AES-256")
    output = BytesIO()
    writer.write(output)
    return output.getvalue()


def _merge_into(target: PageObject, page: PageObject) -> None:
    target.merge_transformed_page(page, _placement(page), over=False)
    target.compress_content_streams()


def _placement(page: PageObject) -> Transformation:
    """Upright (honouring /Rotate, which merging drops), scaled and centred in the body."""
    box = page.cropbox
    upright = Transformation().rotate(-page.rotation)
    corners = [
        upright.apply_on((float(x), float(y)))
        for x in (box.left, box.right)
        for y in (box.bottom, box.top)
    ]
    left, bottom = min(c[0] for c in corners), min(c[1] for c in corners)
    width = max(c[0] for c in corners) - left
    height = max(c[1] for c in corners) - bottom
    scale = min(BODY_WIDTH / width, BODY_HEIGHT / height)
    x = BODY_X + (BODY_WIDTH - width * scale) / 2 - left * scale
    y = BODY_Y + (BODY_HEIGHT - height * scale) / 2 - bottom * scale
    return upright.scale(scale).translate(x, y)


def _metadata(view: PacketView) -> dict[str, str]:
    packet = view.packet
    # A fixed date derived from the content (the day it was first exported), never the clock.
    stamp = f"D:{packet.prepared_on.strftime('%Y%m%d')}000000Z"
    return {
        "/Title": f"Documentation packet, claim {packet.claim_id}, ACN {packet.control_number}"
        + (" (DRAFT)" if packet.draft else ""),
        "/Subject": "Unclassified drug claim documentation (J3490)",
        "/Author": packet.clinic.name or "J3490 Desk",
        "/Creator": "J3490 Desk",
        "/Producer": packet.producer,
        "/CreationDate": stamp,
        "/ModDate": stamp,
    }
