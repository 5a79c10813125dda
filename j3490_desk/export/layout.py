"""Page geometry and the identifiers every page carries (header, footer, DRAFT watermark).

Reviewers separate the pages of a packet; each page must find its way back to the claim, so
the header names the patient and the claim, the footer the page and the control number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from reportlab.lib.pagesizes import letter
from reportlab.lib.units import inch
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from j3490_desk.domain.claim import Claim
from j3490_desk.export.fonts import BOLD, FAMILY

PAGE_WIDTH, PAGE_HEIGHT = letter
MARGIN = 0.6 * inch
HEADER_HEIGHT = 0.55 * inch  # from the top margin down to the body
FOOTER_HEIGHT = 0.45 * inch
BODY_X = MARGIN
BODY_Y = MARGIN + FOOTER_HEIGHT
BODY_WIDTH = PAGE_WIDTH - 2 * MARGIN
BODY_HEIGHT = PAGE_HEIGHT - 2 * MARGIN - HEADER_HEIGHT - FOOTER_HEIGHT
IDENTIFIER_SIZE = 9  # points: still legible after a fax at standard resolution
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def us_date(day: date | None) -> str:
    """Dates as US payers print them."""
    return day.strftime("%m/%d/%Y") if day else "not entered"


def us_dates_in(text: str) -> str:
    """A rule's message with its ISO dates (2026-04-14) written as US payers print them;
    anything else that looks like one (an NDC, a typo) is left as it is."""

    def us(match: re.Match[str]) -> str:
        try:
            return us_date(date.fromisoformat(match[0]))
        except ValueError:
            return match[0]

    return ISO_DATE.sub(us, text)


@dataclass(frozen=True)
class PageIdentity:
    """The identifiers printed on every page."""

    patient_name: str
    date_of_birth: str
    member_id: str
    claim_id: int
    date_of_service: str
    control_number: str
    draft: bool

    @classmethod
    def of(cls, claim: Claim, claim_id: int, control_number: str, draft: bool) -> PageIdentity:
        return cls(
            patient_name=claim.patient.name or "(no name)",
            date_of_birth=us_date(claim.patient.date_of_birth),
            member_id=claim.patient.member_id or "not entered",
            claim_id=claim_id,
            date_of_service=us_date(claim.date_of_service),
            control_number=control_number,
            draft=draft,
        )

    @property
    def patient_line(self) -> str:
        return (
            f"Patient: {self.patient_name}   DOB: {self.date_of_birth}   "
            f"Member ID: {self.member_id}"
        )

    @property
    def claim_line(self) -> str:
        return f"Claim ID: {self.claim_id}   DOS: {self.date_of_service}"

    def page_label(self, number: int, total: int) -> str:
        return f"Page {number} of {total}"

    @property
    def control_line(self) -> str:
        return f"Attachment control number: {self.control_number}"


def _fitted(canvas: Canvas, text: str, font: str, size: float, width: float) -> None:
    """Shrink a line to the width rather than let it run off the page."""
    while size > 6 and stringWidth(text, font, size) > width:
        size -= 0.5
    canvas.setFont(font, size)


def draw_page_frame(canvas: Canvas, identity: PageIdentity, number: int, total: int) -> None:
    """Header, footer and (for drafts) the watermark: black on white, for paper and fax."""
    canvas.saveState()
    canvas.setFillGray(0)
    canvas.setStrokeGray(0)
    top = PAGE_HEIGHT - MARGIN
    right = PAGE_WIDTH - MARGIN
    claim_width = stringWidth(identity.claim_line, BOLD, IDENTIFIER_SIZE)
    _fitted(canvas, identity.patient_line, BOLD, IDENTIFIER_SIZE, BODY_WIDTH - claim_width - 12)
    canvas.drawString(MARGIN, top - IDENTIFIER_SIZE, identity.patient_line)
    canvas.setFont(BOLD, IDENTIFIER_SIZE)
    canvas.drawRightString(right, top - IDENTIFIER_SIZE, identity.claim_line)
    if identity.draft:
        canvas.setFont(BOLD, IDENTIFIER_SIZE)
        canvas.drawString(MARGIN, top - 2.2 * IDENTIFIER_SIZE, "DRAFT - NOT FOR SUBMISSION")
    canvas.setLineWidth(0.6)
    rule_y = top - HEADER_HEIGHT + 0.12 * inch
    canvas.line(MARGIN, rule_y, right, rule_y)

    footer_y = MARGIN
    canvas.line(
        MARGIN,
        footer_y + FOOTER_HEIGHT - 0.12 * inch,
        right,
        footer_y + FOOTER_HEIGHT - 0.12 * inch,
    )
    canvas.setFont(FAMILY, IDENTIFIER_SIZE)
    canvas.drawString(MARGIN, footer_y, identity.control_line)
    canvas.setFont(BOLD, IDENTIFIER_SIZE)
    canvas.drawRightString(right, footer_y, identity.page_label(number, total))
    if identity.draft:
        _draw_watermark(canvas)
    canvas.restoreState()


def _draw_watermark(canvas: Canvas) -> None:
    canvas.saveState()
    canvas.setFillGray(0.5)
    canvas.setFillAlpha(0.22)  # the text underneath stays readable
    canvas.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
    canvas.rotate(45)
    canvas.setFont(BOLD, 120)
    canvas.drawCentredString(0, -40, "DRAFT")
    canvas.restoreState()
