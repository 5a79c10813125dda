"""Flowables the packet needs beyond reportlab's: page marks, full-page images, reserved pages,
blocks kept together only while short."""

from __future__ import annotations

from collections.abc import MutableMapping
from io import BytesIO

from reportlab.lib.units import inch
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable, KeepTogether

from j3490_desk.export.attachment_pages import ScaledImage
from j3490_desk.export.layout import BODY_HEIGHT

LONG_BLOCK = BODY_HEIGHT / 3  # taller than this, a block may split rather than move whole
ROOM_TO_START = 1.5 * inch  # a heading and a few table rows: less than this, start overleaf


class PageMark(Flowable):  # type: ignore[misc]  # reportlab has no stubs: Flowable is Any
    """Records the page it lands on under `key`, so the cover can list page ranges."""

    def __init__(self, key: str, pages: MutableMapping[str, int]) -> None:
        super().__init__()
        self.key = key
        self.pages = pages

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.pages[self.key] = self.canv.getPageNumber()


class FullPageImage(Flowable):  # type: ignore[misc]  # reportlab has no stubs: Flowable is Any
    """One scanned page, scaled to fit the body and centred; marks its page as it draws."""

    def __init__(self, image: ScaledImage, key: str, pages: MutableMapping[str, int]) -> None:
        super().__init__()
        self.image = image
        self.key = key
        self.pages = pages
        self._size = (0.0, 0.0)

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self._size = (available_width, available_height - 1)
        return self._size

    def draw(self) -> None:
        self.pages.setdefault(self.key, self.canv.getPageNumber())
        width, height = self._size
        scale = min(width / self.image.width_pt, height / self.image.height_pt)
        drawn_w, drawn_h = self.image.width_pt * scale, self.image.height_pt * scale
        self.canv.drawImage(
            ImageReader(BytesIO(self.image.jpeg)),  # JPEG passes through, not decoded again
            (width - drawn_w) / 2,
            height - drawn_h,
            drawn_w,
            drawn_h,
        )


class ReservedPage(Flowable):  # type: ignore[misc]  # reportlab has no stubs: Flowable is Any
    """A page kept empty in the body: a page of an attached PDF is merged into it later."""

    def __init__(self, key: str, pages: MutableMapping[str, int]) -> None:
        super().__init__()
        self.key = key
        self.pages = pages

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return available_width, available_height - 1

    def draw(self) -> None:
        self.pages.setdefault(self.key, self.canv.getPageNumber())


class KeepShort(KeepTogether):  # type: ignore[misc]  # reportlab has no stubs: Flowable is Any
    """Keeps a short block (a heading and its small table) on one page. A long one starts
    where it is and splits, a table repeating its header row, instead of jumping whole to the
    next page and leaving this one nearly empty."""

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        if getattr(self, "_wrapInfo", None) != (available_width, available_height):
            self.wrap(available_width, available_height)
        if self._H > LONG_BLOCK and available_height >= ROOM_TO_START:
            return list(self._content)
        return super().split(available_width, available_height)  # type: ignore[no-any-return]
