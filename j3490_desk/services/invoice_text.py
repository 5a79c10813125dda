"""What a text PDF invoice says: its NDCs and prices, offered for the drug line's invoice
fields, and whether the invoice's NDC is the line's NDC (both as 11-digit billing NDCs).

A scanned invoice has no text layer; then nothing is found and `has_text` is False.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from io import BytesIO

from j3490_desk.domain.ndc import NdcError, ndc_candidates, to_billing_ndc
from j3490_desk.errors import InvalidInputError

# 4-4-2, 5-3-2, 5-4-1 and 5-4-2 hyphenated; ndc_candidates decides which layouts are real.
_HYPHENATED = re.compile(r"(?<![\d-])\d{4,5}-\d{3,4}-\d{1,2}(?![\d-])")
_AFTER_NDC = re.compile(r"\bNDC\s*(?:#|:|No\.?)?\s*(\d[\d\s-]{8,14}\d)", re.IGNORECASE)
_PRICE = re.compile(r"\$\s?(\d{1,3}(?:,\d{3})*(?:\.\d{2})|\d+\.\d{2})")


@dataclass(frozen=True)
class InvoiceNdc:
    text: str  # as printed
    candidates: tuple[str, ...]  # 11-digit readings: one, or three for bare 10 digits

    @property
    def ndc11(self) -> str | None:
        return self.candidates[0] if len(self.candidates) == 1 else None


@dataclass(frozen=True)
class InvoiceReading:
    has_text: bool
    ndcs: tuple[InvoiceNdc, ...]
    prices: tuple[Decimal, ...]  # in the order printed; the largest is usually the total

    @property
    def price_paid(self) -> Decimal | None:
        """The best guess for "price paid": the largest amount on the invoice."""
        return max(self.prices) if self.prices else None


def read_invoice(content: bytes, *, name: str) -> InvoiceReading:
    """What the invoice PDF's content (`attachment_bytes`) says; messages call it `name`."""
    text = _pdf_text(content, name)
    return InvoiceReading(
        has_text=bool(text.strip()), ndcs=find_ndcs(text), prices=find_prices(text)
    )


def find_ndcs(text: str) -> tuple[InvoiceNdc, ...]:
    found: dict[str, InvoiceNdc] = {}
    for match in (*_HYPHENATED.finditer(text), *_AFTER_NDC.finditer(text)):
        printed = (match[1] if match.lastindex else match[0]).strip()
        try:
            candidates = ndc_candidates(printed)
        except NdcError:
            continue  # a phone number or date that looks like an NDC
        found.setdefault(
            candidates[0] if len(candidates) == 1 else printed, InvoiceNdc(printed, candidates)
        )
    return tuple(found.values())


def find_prices(text: str) -> tuple[Decimal, ...]:
    prices = []
    for match in _PRICE.finditer(text):
        try:
            prices.append(Decimal(match[1].replace(",", "")))
        except InvalidOperation:
            continue
    return tuple(prices)


def ndc_matches_line(reading: InvoiceReading, line_ndc: str) -> bool | None:
    """True when an invoice NDC is the line's NDC, False when the invoice names only other
    NDCs, None when it cannot be told (no NDC found, or the line's NDC is not valid)."""
    try:
        line_ndc11 = to_billing_ndc(line_ndc)
    except NdcError:
        return None
    if not reading.ndcs:
        return None
    if any(ndc.ndc11 == line_ndc11 for ndc in reading.ndcs):
        return True
    if any(line_ndc11 in ndc.candidates for ndc in reading.ndcs):
        return None  # a bare 10-digit NDC on the invoice that may be this one
    return False


def _pdf_text(content: bytes, name: str) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(BytesIO(content))
        if reader.is_encrypted:
            raise InvalidInputError(
                f"{name} is a password-protected PDF.", "Attach an unprotected copy."
            )
        return "\n".join(page.extract_text() or "" for page in reader.pages)
    except (PyPdfError, ValueError, KeyError, OSError) as error:  # pypdf's damaged-file errors
        raise InvalidInputError(
            f"{name} could not be read as a PDF ({error}).", "Attach the invoice again."
        ) from error
