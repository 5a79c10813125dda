"""The packet's own pages, laid out with reportlab platypus (after pretix's invoice renderer).

A class with hooks: `story()` lists the flowables, `on_page_end()` draws the header, footer and
watermark on every page. The cover's page ranges and "Page X of Y" need the finished layout,
so the story is laid out again until the numbers stop changing (two or three passes; the
passes leave scans out, since each takes exactly one page either way).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from io import BytesIO

from reportlab import rl_config
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageBreak, PageTemplate

from j3490_desk.export.claim_summary import claim_summary
from j3490_desk.export.cover import cover_sheet
from j3490_desk.export.errors import PacketCancelled
from j3490_desk.export.flowables import FullPageImage, ReservedPage
from j3490_desk.export.fonts import FAMILY
from j3490_desk.export.layout import BODY_HEIGHT, BODY_WIDTH, BODY_X, BODY_Y, draw_page_frame
from j3490_desk.export.letter import letter_of_necessity
from j3490_desk.export.packet_input import CancelledCallback
from j3490_desk.export.packet_view import PacketView
from j3490_desk.export.page_map import PageMap, attachment_key
from j3490_desk.export.pricing_section import pricing
from j3490_desk.export.styles import styles
from j3490_desk.export.ten_items import ten_items

MAX_LAYOUT_PASSES = 5


@contextmanager
def _binary_streams() -> Iterator[None]:
    """JPEG data embedded as binary, not ASCII85 (a quarter smaller, and faster)."""
    saved = rl_config.useA85
    rl_config.useA85 = 0
    try:
        yield
    finally:
        rl_config.useA85 = saved


class PacketRenderer:
    def __init__(self, view: PacketView, cancelled: CancelledCallback | None = None) -> None:
        self.view = view
        self.cancelled = cancelled or (lambda: False)
        styles()  # registers the fonts before any layout

    # --- hooks -------------------------------------------------------------------------

    def sections(self, marks: dict[str, int]) -> list[list[Flowable]]:
        view = self.view
        return [
            cover_sheet(view, marks),
            claim_summary(view, marks),
            ten_items(view, marks),
            letter_of_necessity(view, marks),
            pricing(view, marks),
        ]

    def attachment_story(self, marks: dict[str, int], *, with_images: bool) -> list[Flowable]:
        story: list[Flowable] = []
        for index, prepared in enumerate(self.view.attachments):
            key = attachment_key(index)
            for page in range(prepared.page_count):
                story.append(PageBreak())
                if prepared.images and with_images:
                    story.append(FullPageImage(prepared.images[page], key, marks))
                else:
                    story.append(ReservedPage(key, marks))
        return story

    def story(self, marks: dict[str, int], *, with_images: bool) -> list[Flowable]:
        story: list[Flowable] = []
        for number, section in enumerate(self.sections(marks)):
            if number:
                story.append(PageBreak())
            story += section
        return story + self.attachment_story(marks, with_images=with_images)

    def on_page_end(self, canvas: Canvas, _doc: BaseDocTemplate) -> None:
        if self.cancelled():
            raise PacketCancelled()
        draw_page_frame(canvas, self.view.identity, canvas.getPageNumber(), self.view.pages.total)

    # --- layout ------------------------------------------------------------------------

    def render(self) -> bytes:
        """The packet's own pages, with reserved pages where attached PDFs go."""
        for _ in range(MAX_LAYOUT_PASSES):
            marks: dict[str, int] = {}
            _, pages = self._build(marks, with_images=False)
            learned = PageMap(starts=marks, total=pages)
            if learned == self.view.pages:
                break
            self.view.pages = learned
        else:
            raise RuntimeError("the packet's page numbers did not settle")  # a layout bug
        marks = {}
        data, pages = self._build(marks, with_images=True)
        assert PageMap(starts=marks, total=pages) == self.view.pages
        return data

    def _build(self, marks: dict[str, int], *, with_images: bool) -> tuple[bytes, int]:
        output = BytesIO()
        frame = Frame(BODY_X, BODY_Y, BODY_WIDTH, BODY_HEIGHT, 0, 0, 0, 0, id="body")
        document = BaseDocTemplate(
            output,
            pagesize=letter,
            pageTemplates=[PageTemplate("packet", [frame], onPageEnd=self.on_page_end)],
            invariant=1,  # no clock, no random ID: identical content, identical bytes
            pageCompression=1,
            initialFontName=FAMILY,  # else every page names an unembedded Helvetica
            title=self.view.packet.producer,
        )
        with _binary_streams():
            document.build(self.story(marks, with_images=with_images))
        return output.getvalue(), document.page
