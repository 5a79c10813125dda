"""PDF pages as images, through pdfium: for thumbnails, the attachment viewer and the packet preview.

PDFium is not thread-safe (pypdfium2's documentation says so): two threads rendering at once
crashed the process in CI (a thumbnail job and the viewer). Every use goes through here, one
at a time.
"""

from __future__ import annotations

import threading

from PIL import Image

_PDFIUM = threading.Lock()


def render_pages(content: bytes, *, scale: float) -> list[Image.Image]:
    """Every page of a PDF's content, as RGB images at `scale` (1.0 = 72 dpi)."""
    import pypdfium2  # the renderer loads only when a PDF is shown

    with _PDFIUM:
        document = pypdfium2.PdfDocument(content)
        try:
            return [_rgb(document[i].render(scale=scale).to_pil()) for i in range(len(document))]
        finally:
            document.close()


def render_page(
    content: bytes, page: int, *, max_side: int | None = None, dpi: int = 150
) -> Image.Image:
    """One page of a PDF's content; fitted into `max_side` pixels when given (thumbnails),
    else at `dpi`."""
    import pypdfium2

    with _PDFIUM:
        document = pypdfium2.PdfDocument(content)
        try:
            pdf_page = document[page]
            width, height = pdf_page.get_size()
            scale = dpi / 72 if max_side is None else max_side / max(width, height)
            image: Image.Image = pdf_page.render(scale=scale).to_pil()
            pdf_page.close()
        finally:
            document.close()
    return image.convert("RGB")


def _rgb(image: Image.Image) -> Image.Image:
    """pypdfium2 has no type information; this gives its PIL image back its type."""
    return image.convert("RGB")
