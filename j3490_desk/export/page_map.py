"""Where each part of the packet starts, learned from the previous layout pass.

The cover lists page ranges and every footer says "of Y", but both are only known once the
packet is laid out; the renderer lays it out again until the numbers stop changing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

COVER, SUMMARY, ITEMS, LETTER, PRICING = "cover", "summary", "items", "letter", "pricing"
SECTION_TITLES = {
    COVER: "Cover sheet and manifest",
    SUMMARY: "Claim summary (lines as billed)",
    ITEMS: "Documentation of the ten items",
    LETTER: "Letter of medical necessity",
    PRICING: "Pricing",
}
SECTIONS = tuple(SECTION_TITLES)


def attachment_key(index: int) -> str:
    return f"attachment:{index}"


@dataclass(frozen=True)
class ManifestEntry:
    key: str
    title: str
    first_page: int
    last_page: int

    @property
    def pages(self) -> str:
        if self.first_page == self.last_page:
            return f"page {self.first_page}"
        return f"pages {self.first_page}-{self.last_page}"


@dataclass
class PageMap:
    starts: dict[str, int] = field(default_factory=dict)
    total: int = 0

    def manifest(
        self, attachment_titles: Sequence[str], attachment_pages: Sequence[int]
    ) -> list[ManifestEntry]:
        """Sections then attachments, in packet order, each with its page range."""
        keys = [*SECTIONS, *(attachment_key(i) for i in range(len(attachment_titles)))]
        titles = [*SECTION_TITLES.values(), *attachment_titles]
        entries = []
        for position, (key, title) in enumerate(zip(keys, titles, strict=True)):
            first = self.starts.get(key, 0)
            if position >= len(SECTIONS):
                last = first + attachment_pages[position - len(SECTIONS)] - 1
            elif position + 1 < len(keys):
                last = self.starts.get(keys[position + 1], first + 1) - 1
            else:
                last = self.total
            entries.append(ManifestEntry(key, title, first, max(first, last)))
        return entries

    def section_pages(self, key: str) -> str:
        """A section's pages: from its start to the page before the next section."""
        first = self.starts.get(key, 0)
        position = SECTIONS.index(key)
        following = (
            self.starts.get(SECTIONS[position + 1], 0) if position + 1 < len(SECTIONS) else 0
        )
        return self.pages_of(key, max(1, following - first))

    def pages_of(self, key: str, count: int) -> str:
        first = self.starts.get(key, 0)
        return f"page {first}" if count == 1 else f"pages {first}-{first + count - 1}"
