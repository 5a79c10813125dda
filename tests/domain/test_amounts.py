"""Money as payers print it: one formatter for amounts, one for prices per unit."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from j3490_desk.domain.amounts import dollar_rate, dollars, round_cents


def test_amounts_have_two_decimals_and_thousands_separators() -> None:
    assert dollars(Decimal("412.5")) == "$412.50"
    assert dollars(Decimal("1045")) == "$1,045.00"
    assert dollars(Decimal("60100.005")) == "$60,100.01"  # half-up, as round_cents


def test_a_price_per_unit_keeps_its_fraction_of_a_cent() -> None:
    assert dollar_rate(Decimal("0.275")) == "$0.275"
    assert dollar_rate(Decimal("26")) == "$26.00"
    assert dollar_rate(Decimal("1400")) == "$1,400.00"
    assert dollar_rate(Decimal("0.41799999")) == "$0.418"


@given(st.decimals(min_value=0, max_value=10**9, places=4, allow_nan=False))
def test_dollars_reads_back_as_the_rounded_amount(amount: Decimal) -> None:
    assert Decimal(dollars(amount)[1:].replace(",", "")) == round_cents(amount)
