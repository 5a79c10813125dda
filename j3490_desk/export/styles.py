"""The packet's paragraph and table styles: black on white, sizes that survive fax and copying.

Meaning is never carried by colour alone: a header row is bold as well as shaded.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from xml.sax.saxutils import escape

from reportlab.lib.colors import Color, black
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from j3490_desk.export.fonts import BOLD, FAMILY, ITALIC, register_fonts
from j3490_desk.export.layout import BODY_WIDTH

SHADE = Color(0.88, 0.88, 0.88)


@dataclass(frozen=True)
class Styles:
    body: ParagraphStyle
    small: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    title: ParagraphStyle
    heading: ParagraphStyle
    subheading: ParagraphStyle
    mono: ParagraphStyle
    note: ParagraphStyle


@cache
def styles() -> Styles:
    register_fonts()
    body = ParagraphStyle("body", fontName=FAMILY, fontSize=10, leading=13.5, textColor=black)
    return Styles(
        body=body,
        small=ParagraphStyle("small", parent=body, fontSize=8.5, leading=11),
        cell=ParagraphStyle("cell", parent=body, fontSize=9, leading=11.5),
        cell_bold=ParagraphStyle("cell_bold", parent=body, fontName=BOLD, fontSize=9, leading=11.5),
        title=ParagraphStyle(
            "title", parent=body, fontName=BOLD, fontSize=16, leading=20, spaceAfter=8
        ),
        heading=ParagraphStyle(
            "heading",
            parent=body,
            fontName=BOLD,
            fontSize=13,
            leading=17,
            spaceBefore=4,
            spaceAfter=6,
        ),
        subheading=ParagraphStyle(
            "subheading",
            parent=body,
            fontName=BOLD,
            fontSize=10.5,
            leading=14,
            spaceBefore=8,
            spaceAfter=3,
        ),
        mono=ParagraphStyle("mono", parent=body, fontName=BOLD, fontSize=10.5, leading=14),
        note=ParagraphStyle("note", parent=body, fontName=ITALIC, fontSize=9, leading=12),
    )


def text(value: str) -> str:
    """User text made safe for reportlab's mini-markup, line breaks kept."""
    return escape(value).replace("\n", "<br/>")


def para(value: str, style: ParagraphStyle | None = None) -> Paragraph:
    return Paragraph(text(value), style or styles().body)


def markup(value: str, style: ParagraphStyle | None = None) -> Paragraph:
    """A paragraph whose caller already escaped any user text in it."""
    return Paragraph(value, style or styles().body)


def gap(points: float = 6) -> Spacer:
    return Spacer(1, points)


def grid(
    rows: Sequence[Sequence[str]],
    widths: Sequence[float],
    *,
    header: bool = True,
    label_column: bool = False,
) -> Table:
    """A ruled table of plain strings; the first row (or column) is bold and lightly shaded."""
    s = styles()
    cells: list[list[Flowable]] = []
    for r, row in enumerate(rows):
        cells.append(
            [
                para(
                    value,
                    s.cell_bold if (header and r == 0) or (label_column and c == 0) else s.cell,
                )
                for c, value in enumerate(row)
            ]
        )
    total = sum(widths)
    table = Table(
        cells, colWidths=[BODY_WIDTH * w / total for w in widths], repeatRows=1 if header else 0
    )
    commands: list[tuple[object, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), FAMILY),  # Table's own default is unembedded Helvetica
        ("GRID", (0, 0), (-1, -1), 0.5, black),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), SHADE))
    if label_column:
        commands.append(("BACKGROUND", (0, 0), (0, -1), SHADE))
    table.setStyle(TableStyle(commands))
    return table
