"""Filing deadlines, prior-auth expiry, retention and quarterly review (domain.md section 9)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from j3490_desk.domain.claim import Payer, PayerKind, PriorAuthorization
from j3490_desk.domain.deadlines import (
    add_months,
    clinic_submit_by,
    filing_deadline,
    next_quarterly_review,
    prior_auth_days_left,
    prior_auth_expiring,
    retain_until,
)

MEDICARE = Payer("Medicare", kind=PayerKind.MEDICARE)
TODAY = date(2025, 1, 15)
dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31))


def test_medicare_is_12_months_not_90_days() -> None:
    """42 CFR 424.44 (CGS timely filing page): 12 months from the DOS. The "90 days" rule
    of thumb is a commercial contract term (domain.md section 9), not Medicare's."""
    result = filing_deadline(MEDICARE, date(2024, 3, 15), TODAY)
    assert result.deadline == date(2025, 3, 15)
    assert result.days_left == 59 and result.verified


def test_medicare_leap_day_files_by_28_february() -> None:
    """domain.md section 9: a DOS of 29 Feb must be filed by 28 Feb the next year."""
    assert filing_deadline(MEDICARE, date(2024, 2, 29), TODAY).deadline == date(2025, 2, 28)


def test_commercial_default_90_days_and_payer_setting() -> None:
    commercial = filing_deadline(Payer("Acme Health"), date(2025, 1, 1), TODAY)
    assert commercial.deadline == date(2025, 4, 1) and not commercial.verified
    assert "90 days" in commercial.basis and "Settings > Payers" in commercial.basis
    contract = Payer("Acme Health", timely_filing_days=180)
    own = filing_deadline(contract, date(2025, 1, 1), TODAY)
    assert own.deadline == date(2025, 6, 30) and own.verified


def test_zero_days_in_settings_means_the_default() -> None:
    """Settings > Payers: "0 = payer-type default", never "due on the date of service"."""
    zero = filing_deadline(Payer("Acme Health", timely_filing_days=0), date(2025, 1, 1), TODAY)
    assert zero.deadline == date(2025, 4, 1) and not zero.verified


def test_medicaid_default_is_365_and_unverified() -> None:
    result = filing_deadline(
        Payer("State Medicaid", kind=PayerKind.MEDICAID), date(2025, 1, 1), TODAY
    )
    assert result.deadline == date(2026, 1, 1) and not result.verified
    assert "365 days" in result.basis and "varies by state" in result.basis
    assert "Settings > Payers" in result.basis


@given(dates, dates, st.sampled_from(list(PayerKind)), st.none() | st.integers(0, 3650))
def test_deadline_never_before_dos(
    dos: date, today: date, kind: PayerKind, days: int | None
) -> None:
    result = filing_deadline(Payer("p", kind=kind, timely_filing_days=days), dos, today)
    assert result.deadline >= dos
    assert result.days_left == (result.deadline - today).days


@given(dates, st.integers(0, 240))
def test_add_months_keeps_the_day_or_clamps(day: date, months: int) -> None:
    later = add_months(day, months)
    assert later >= day
    assert (later.year - day.year) * 12 + later.month - day.month == months
    assert later.day == day.day or later.day < day.day


def test_retention_is_never_less_than_7_years() -> None:
    """42 CFR 424.516(f); domain.md section 16."""
    assert retain_until(date(2025, 3, 1)) == date(2032, 3, 1)
    assert retain_until(date(2025, 3, 1), years=3) == date(2032, 3, 1)
    assert retain_until(date(2025, 3, 1), years=10) == date(2035, 3, 1)
    assert retain_until(date(2024, 2, 29)) == date(2031, 2, 28)


@given(dates, st.integers(-5, 30))
def test_retention_at_least_7_years(dos: date, years: int) -> None:
    assert retain_until(dos, years) >= add_months(dos, 84)


@pytest.mark.parametrize(
    ("today", "review"),
    [
        (date(2025, 1, 1), date(2025, 1, 1)),
        (date(2025, 1, 2), date(2025, 4, 1)),
        (date(2025, 6, 30), date(2025, 7, 1)),
        (date(2025, 10, 2), date(2026, 1, 1)),
        (date(2025, 12, 31), date(2026, 1, 1)),
    ],
)
def test_next_quarterly_review(today: date, review: date) -> None:
    assert next_quarterly_review(today) == review


@given(dates)
def test_quarterly_review_within_a_quarter(today: date) -> None:
    review = next_quarterly_review(today)
    assert today <= review <= today + timedelta(days=92)
    assert (review.month, review.day) in {(1, 1), (4, 1), (7, 1), (10, 1)}


def test_prior_auth_expiry_window() -> None:
    auth = PriorAuthorization(valid_to=date(2025, 1, 25))
    assert prior_auth_days_left(auth, TODAY) == 10
    assert prior_auth_expiring(auth, TODAY, 14)
    assert not prior_auth_expiring(auth, TODAY, 7)
    assert not prior_auth_expiring(PriorAuthorization(valid_to=date(2025, 1, 1)), TODAY, 14)
    assert prior_auth_days_left(PriorAuthorization(), TODAY) is None


def test_clinic_standard() -> None:
    assert clinic_submit_by(date(2025, 1, 1), 14) == date(2025, 1, 15)
