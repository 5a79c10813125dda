"""NPI format and check digit (domain.md section 4; CMS "Requirements for NPI Check Digit")."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from j3490_desk.domain.npi import is_valid_npi, npi_check_digit, npi_problem

FIXTURES = Path(__file__).parent.parent / "fixtures"
VECTORS: dict[str, Any] = json.loads((FIXTURES / "vectors.json").read_text(encoding="utf-8"))


def _csv_rows(name: str) -> list[dict[str, str]]:
    with (FIXTURES / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize("vector", VECTORS["npi"], ids=lambda v: v["npi"])
def test_public_npi_vectors(vector: dict[str, Any]) -> None:
    assert is_valid_npi(vector["npi"]) is vector["valid"]


@pytest.mark.parametrize(
    "row", _csv_rows("npi_check_digit_examples.csv"), ids=lambda row: row["npi"]
)
def test_cms_example_and_real_npis_check_digit(row: dict[str, str]) -> None:
    # npi_check_digit_examples.csv: CMS example 1234567893 plus NPPES-derived NPIs.
    assert is_valid_npi(row["npi"]) is (row["luhn_valid_with_80840_prefix"] == "True")


def test_real_nppes_npis_are_all_valid() -> None:
    # npi_small_preview.csv (September 2025 NPPES): every NPI passes the check digit.
    rows = _csv_rows("npi_small_preview_slice.csv")
    assert len(rows) == 60
    assert [row["code"] for row in rows if not is_valid_npi(row["code"])] == []


def test_cms_worked_example_check_digit_is_3() -> None:
    # CMS spec: 123456789 -> check digit 3.
    assert npi_check_digit("123456789") == 3


def test_wrong_check_digit_names_the_expected_digit() -> None:
    assert npi_problem("1234567890") == "The last digit should be 3; check for a typo."
    assert npi_problem("1558598790") == "The last digit should be 7; check for a typo."


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("123456789", "9 digits"),
        ("12345678931", "11 digits"),
        ("12345678A3", "digits only"),
        ("1234-56789", "digits only"),
        ("１２３４５６７８９３", "digits only"),  # full-width digits pasted from a web page
        ("3234567899", "starts with 1 or 2"),  # providernpisearch.com: first digit 1 or 2
    ],
)
def test_problem_messages_say_what_is_wrong(text: str, words: str) -> None:
    problem = npi_problem(text)
    assert problem is not None
    assert words in problem


def test_surrounding_whitespace_is_forgiven() -> None:
    assert npi_problem(" 1234567893\n") is None


def test_card_issuer_form_is_not_an_npi() -> None:
    # vectors.json: 80840 + NPI passes a plain Luhn check but is 15 digits, not an NPI.
    assert not is_valid_npi("808401234567893")


@given(st.from_regex(r"[12][0-9]{8}", fullmatch=True))
def test_exactly_one_check_digit_makes_a_valid_npi(first_nine: str) -> None:
    valid = [digit for digit in "0123456789" if is_valid_npi(first_nine + digit)]
    assert valid == [str(npi_check_digit(first_nine))]


@given(st.from_regex(r"[12][0-9]{8}", fullmatch=True), st.integers(0, 8), st.integers(1, 9))
def test_any_single_digit_typo_is_caught(first_nine: str, position: int, shift: int) -> None:
    # The Luhn check digit catches every single-digit error (CMS check-digit rationale).
    npi = first_nine + str(npi_check_digit(first_nine))
    typo = npi[:position] + str((int(npi[position]) + shift) % 10) + npi[position + 1 :]
    if typo[0] in "12":
        assert not is_valid_npi(typo)


@given(st.text())
def test_is_valid_npi_never_raises(text: str) -> None:
    problem = npi_problem(text)
    assert is_valid_npi(text) is (problem is None)
    assert problem is None or problem.endswith(".")


def test_long_input_never_raises() -> None:
    assert not is_valid_npi("1" * 2000)
    assert not is_valid_npi("💊" * 10)
