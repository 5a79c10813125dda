"""ICD-10-CM syntax (domain.md section 11) and lookup in the FY2026 code set."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from j3490_desk.domain.icd10 import (
    Icd10Code,
    Icd10Error,
    code_set_covers,
    icd10_syntax_problem,
    lookup_icd10,
    normalize_icd10,
)

# domain.md section 11 suggested regex, applied to the dotted form.
SUGGESTED_REGEX = re.compile(r"^[A-Z][0-9][0-9A-Z](\.?[0-9A-Z]{1,4})?$")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("E11.9", "E11.9"),
        ("e119", "E11.9"),
        (" E11.9 ", "E11.9"),
        ("E11", "E11"),
        ("w06xxxd", "W06.XXXD"),  # X placeholder, 7th character D (section 11)
        ("U071", "U07.1"),  # U is used: U07.1 COVID-19 (section 11)
        ("C4A.0", "C4A.0"),  # third character may be a letter (section 11)
        ("Z3A01", "Z3A.01"),
    ],
)
def test_normalize_to_dotted_upper_case(text: str, expected: str) -> None:
    assert normalize_icd10(text) == expected


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "empty"),
        ("0E11", "starts with a letter"),  # section 11: first character a letter
        ("0E11", "letter O rather than zero"),
        ("EO1.9", "second character of an ICD-10-CM code is a digit"),
        ("EO1.9", "zero rather than the letter O"),
        ("EI1.9", "1 rather than the letter I"),
        ("E1", "3 to 7 characters"),  # section 11: 3-7 characters
        ("E11.99999", "3 to 7 characters"),
        ("E1.19", "dot is misplaced"),  # section 11: dot after the 3rd character
        ("E11.", "dot is misplaced"),
        ("E11..9", "not in ICD-10-CM form"),
        ("E11-9", "letters, digits and one dot only"),
        ("A00-B99", "letters, digits and one dot only"),  # a block range is not a code
        ("E11.9💉", "letters, digits and one dot only"),
        ("E1ß", "letters, digits and one dot only"),
    ],
)
def test_syntax_problems_are_explained(text: str, words: str) -> None:
    problem = icd10_syntax_problem(text)
    assert problem is not None
    assert words in problem
    with pytest.raises(Icd10Error, match=re.escape(words)):
        normalize_icd10(text)


@given(st.from_regex(r"[A-Z][0-9][0-9A-Z](\.?[0-9A-Z]{1,4})?", fullmatch=True))
def test_every_code_matching_the_suggested_regex_is_accepted(code: str) -> None:
    assert icd10_syntax_problem(code) is None
    assert SUGGESTED_REGEX.match(normalize_icd10(code))


@given(st.text(max_size=12))
def test_syntax_check_agrees_with_the_suggested_regex(text: str) -> None:
    # Any text the rules accept matches the section 11 regex once trimmed and upper-cased.
    problem = icd10_syntax_problem(text)
    if problem is None:
        assert SUGGESTED_REGEX.match(text.strip().upper())
    else:
        with pytest.raises(Icd10Error):
            normalize_icd10(text)


@given(st.from_regex(r"[A-Za-z][0-9][0-9A-Za-z](\.?[0-9A-Za-z]{1,4})?", fullmatch=True))
def test_normalize_is_idempotent(code: str) -> None:
    once = normalize_icd10(code)
    assert normalize_icd10(once) == once
    assert normalize_icd10(once.replace(".", "")) == once


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("E11.9", Icd10Code("E11.9", "Type 2 diabetes mellitus without complications", True)),
        ("e119", Icd10Code("E11.9", "Type 2 diabetes mellitus without complications", True)),
        ("E11", Icd10Code("E11", "Type 2 diabetes mellitus", False)),  # category: not a leaf
        ("U07.1", Icd10Code("U07.1", "COVID-19", True)),
        ("W06.XXXD", Icd10Code("W06.XXXD", "Fall from bed, subsequent encounter", True)),
    ],
)
def test_lookup_in_fy2026_code_set(text: str, expected: Icd10Code) -> None:
    assert lookup_icd10(text) == expected


@pytest.mark.parametrize(
    "text", ["E11.99", "Z99.999", "A00-B99", "", "not a code", "1", "💉", "E" * 2000]
)
def test_lookup_returns_none_outside_the_code_set(text: str) -> None:
    assert lookup_icd10(text) is None


def test_long_input_is_not_echoed_in_full() -> None:
    problem = icd10_syntax_problem("E1" + "9" * 2000)
    assert problem is not None
    assert len(problem) < 200


@pytest.mark.parametrize(
    ("date_of_service", "covered"),
    [
        (date(2026, 3, 31), False),
        (date(2026, 4, 1), True),
        (date(2026, 9, 30), True),
        (date(2026, 10, 1), False),  # FY2027 starts 1 October (section 11)
    ],
)
def test_code_set_covers_only_its_own_dates(date_of_service: date, covered: bool) -> None:
    assert code_set_covers(date_of_service) is covered


def test_importing_the_module_does_not_load_the_code_set() -> None:
    # simple_icd_10_cm takes seconds to import; the app must not pay that at start-up.
    script = "import sys, j3490_desk.domain.icd10; print('simple_icd_10_cm' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
