"""The bounds every claim field keeps (domain.input_limits), for the importer and the wizard."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from j3490_desk.domain import input_limits as limits


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("charge", "0.01", None),
        ("charge", "9999999.99", None),
        ("charge", "0", "more than $0.00"),
        ("charge", "-5", "more than $0.00"),
        ("charge", "10000000.00", "under $10,000,000.00"),
        ("charge", "12.345", "more than 2 decimals"),
        ("charge", "NaN", "NaN or Infinity"),
        ("charge", "Infinity", "NaN or Infinity"),
        ("price_paid", "0", None),
        ("price_paid", "-1", "cannot be negative"),
        ("markup_percent", "6.5", None),
        ("markup_percent", "1E+5000", "percentage between 0 and 1000"),
        ("markup_percent", "-3", "percentage between 0 and 1000"),
        ("amount", "-5", None),  # a negative dose is the claim check's to explain
        ("amount", "1" + "0" * 30, "under 1,000,000"),
        ("billed_units", "0.1234567", "at most 6 decimals"),
    ],
)
def test_amounts(field: str, value: str, expected: str | None) -> None:
    problem = limits.amount_problem(field, Decimal(value))
    assert problem is None if expected is None else expected in (problem or "")


@given(st.decimals(allow_nan=True, allow_infinity=True))
def test_a_charge_that_passes_fits_the_claim_form(value: Decimal) -> None:
    if limits.amount_problem("charge", value) is None:
        assert Decimal("0") < value < limits.MAX_MONEY
        assert value == value.quantize(Decimal("0.01"))


@pytest.mark.parametrize(
    ("field", "text", "expected"),
    [
        ("name", "Dana Whitfield", None),
        ("name", "Dana \x1b[2J", "control character (U+001B)"),
        ("name", "A1\x9b31m", "control character (U+009B)"),
        ("name", "Dana\nWhitfield", "control character (U+000A)"),
        ("name", "Dana \u202eleifhtiW", "bidirectional override (U+202E)"),
        ("name", "Dana \ud800", "lone surrogate (U+D800)"),
        ("name", "D" * 201, "at most 200"),
        ("rationale", "First.\nSecond.\tThird.", None),
        ("rationale", "r" * 2001, "at most 2,000"),
    ],
)
def test_text(field: str, text: str, expected: str | None) -> None:
    problem = limits.text_problem(field, text)
    assert problem is None if expected is None else expected in (problem or "")


def test_dates_and_integers() -> None:
    assert limits.date_problem(date(2026, 3, 31)) is None
    assert "outside the years 1900 to 2199" in (limits.date_problem(date(9999, 12, 31)) or "")
    assert limits.integer_problem("timely_filing_days", 365) is None
    assert "a 30-digit number is not" in (
        limits.integer_problem("timely_filing_days", 10**29) or ""
    )
    assert "not between 1 and 3650" in (limits.integer_problem("timely_filing_days", 10**12) or "")
    assert "not between 0 and 3" in (limits.integer_problem("ndc_quantity_decimals", -1) or "")
