"""A text PDF invoice: its NDC and price, and whether the NDC is the drug line's."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from j3490_desk.errors import InvalidInputError
from j3490_desk.services.invoice_text import find_ndcs, ndc_matches_line, read_invoice
from tests.attachments import files


def test_invoice_ndc_and_price_are_found(tmp_path: Path) -> None:
    pdf = files.invoice_pdf(tmp_path / "invoice.pdf")
    reading = read_invoice(pdf.read_bytes(), name="invoice.pdf")
    assert reading.has_text
    assert [(n.text, n.ndc11) for n in reading.ndcs] == [("55566-1050-01", "55566105001")]
    assert reading.price_paid == Decimal("60000.00")
    assert ndc_matches_line(reading, "55566-1050-01") is True
    assert ndc_matches_line(reading, "55566105001") is True


def test_a_different_ndc_on_the_invoice_is_flagged(tmp_path: Path) -> None:
    pdf = files.invoice_pdf(tmp_path / "invoice.pdf", ndc="0574-4072-05")
    reading = read_invoice(pdf.read_bytes(), name="invoice.pdf")
    assert reading.ndcs[0].ndc11 == "00574407205"
    assert ndc_matches_line(reading, "55566-1050-01") is False


def test_a_bare_ten_digit_ndc_after_the_word_ndc(tmp_path: Path) -> None:
    pdf = files.invoice_pdf(tmp_path / "invoice.pdf", ndc="5556610501")
    reading = read_invoice(pdf.read_bytes(), name="invoice.pdf")
    assert reading.ndcs[0].ndc11 is None
    assert "55566105001" in reading.ndcs[0].candidates
    assert ndc_matches_line(reading, "55566-1050-01") is None  # cannot tell which layout


def test_a_protected_or_damaged_invoice_is_named_in_the_message(tmp_path: Path) -> None:
    locked = files.invoice_pdf(tmp_path / "locked.pdf", encrypt="secret")
    with pytest.raises(InvalidInputError, match=r"^Besse May\.pdf is a password-protected PDF"):
        read_invoice(locked.read_bytes(), name="Besse May.pdf")
    with pytest.raises(InvalidInputError, match=r"^Besse May\.pdf could not be read as a PDF"):
        read_invoice(b"%PDF-1.4\n%damaged", name="Besse May.pdf")


def test_phone_numbers_and_dates_are_not_ndcs() -> None:
    assert find_ndcs("Call 1-800-555-0199 by 2026-10-01. NDC: 00574-4072-05")[0].ndc11 == (
        "00574407205"
    )
    assert len(find_ndcs("Call 1-800-555-0199 by 2026-10-01.")) == 0
