"""Identifiers typed in Settings: tax ID, state, ZIP code and the address that ends with them
(NUCC 1500 item 25; USPS Publication 28)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from j3490_desk.domain.identifiers import (
    STATE_CODES,
    address_problem,
    state_problem,
    tax_id_problem,
    zip_problem,
)


@pytest.mark.parametrize("typed", ["", "12-3456789", "123456789", "123-45-6789", " 41-1234567 "])
def test_a_nine_digit_tax_id_is_accepted(typed: str) -> None:
    assert tax_id_problem(typed) is None


@pytest.mark.parametrize(
    ("typed", "words"),
    [("12-345678", "8 digits"), ("1234567890", "10 digits"), ("12-34S6789", "8 digits")],
)
def test_a_tax_id_without_nine_digits_says_how_many_it_has(typed: str, words: str) -> None:
    problem = tax_id_problem(typed)
    assert problem is not None and words in problem and "12-3456789" in problem


@given(st.sampled_from(sorted(STATE_CODES)), st.integers(0, 99_999), st.integers(0, 9_999))
def test_every_state_with_a_zip_or_zip4_ends_a_valid_address(
    state: str, zip5: int, plus4: int
) -> None:
    for zip_code in (f"{zip5:05d}", f"{zip5:05d}-{plus4:04d}"):
        assert zip_problem(zip_code) is None
        assert address_problem(f"1200 Harbor Rd, Suite 4, Duluth {state} {zip_code}") is None
        assert address_problem(f"PO Box 7, Duluth, {state.lower()}, {zip_code}") is None


@pytest.mark.parametrize(
    ("address", "words"),
    [
        ("1200 Harbor Rd, Duluth MN 5580", "4 digits"),
        ("1200 Harbor Rd, Duluth MN 558021", "6 digits"),
        ("1200 Harbor Rd, Duluth XZ 55802", "'XZ' is not a state"),
        ("1200 Harbor Rd, Duluth MN", "End the address with the state and ZIP"),
        ("1200 Harbor Rd", "End the address with the state and ZIP"),
    ],
)
def test_an_address_with_a_bad_or_missing_state_or_zip_says_which(address: str, words: str) -> None:
    problem = address_problem(address)
    assert problem is not None and words in problem


def test_state_codes_are_two_letters_from_the_usps_list() -> None:
    assert state_problem("mn") is None
    assert state_problem("Minnesota") is not None
    assert len(STATE_CODES) == 62 and all(len(code) == 2 for code in STATE_CODES)
