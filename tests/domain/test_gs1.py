"""GS1 DataMatrix and UPC-A on drug packages (domain.md section 3)."""

from __future__ import annotations

import contextlib
import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from j3490_desk.domain.gs1 import (
    GROUP_SEPARATOR,
    Gs1Data,
    Gs1Error,
    gtin_check_digit,
    gtin_from_ndc10,
    ndc10_from_linear,
    parse_gs1,
)

FIXTURES = Path(__file__).parent.parent / "fixtures"
VECTORS: dict[str, Any] = json.loads((FIXTURES / "vectors.json").read_text(encoding="utf-8"))
GS = GROUP_SEPARATOR
TODAY = date(2026, 1, 15)
EXPIRY_AND_LOT = "17260600" + "10ABC123"  # (17) fixed length needs no GS after it
TEVA = Gs1Data(
    gtin="00300932264014",
    expiry=date(2026, 6, 30),
    lot="ABC123",
    serial="1000001",
    ndc10_digits="0093226401",
)

ndc10_digits = st.from_regex(r"[0-9]{10}", fullmatch=True)
# GS1 character set 82 (allowed in AI 10 and 21).
cset82 = st.text(
    alphabet="!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz",
    min_size=1,
    max_size=20,
)


@pytest.mark.parametrize("vector", VECTORS["ndc_to_gtin"], ids=lambda v: v["ndc10"])
def test_ndc_to_gtin_vectors(vector: dict[str, str]) -> None:
    # rxtrace "Depicting an NDC within a GTIN": UPC-A = 3 + NDC10 + check; GTIN-14 = 0 + 0 + UPC-A.
    digits = vector["ndc10_digits"]
    assert gtin_from_ndc10(digits) == vector["gtin14_indicator0"]
    assert gtin_from_ndc10(digits, indicator=5) == vector["gtin14_indicator5_case_example"]
    assert ndc10_from_linear(vector["gtin12_upca"]) == digits
    assert ndc10_from_linear("0" + vector["gtin12_upca"]) == digits  # zxing EAN-13 form
    assert parse_gs1(vector["ai01_hri"]).ndc10_digits == digits


@pytest.mark.parametrize("vector", VECTORS["gtin_check_digit_vectors"], ids=lambda v: v["gtin"])
def test_check_digit_vectors(vector: dict[str, Any]) -> None:
    gtin = vector["gtin"]
    expected = int(gtin[-1]) if vector["valid"] else vector["correct_check_digit"]
    assert gtin_check_digit(gtin[:-1]) == expected


def test_bad_check_digit_from_public_code_names_the_expected_digit() -> None:
    # vectors.json: 00301430957010 appears in public code; its check digit should be 9.
    with pytest.raises(Gs1Error, match="ends in check digit 0, but it should be 9"):
        parse_gs1("(01)00301430957010")


def test_valid_public_gtin_carries_its_ndc_digits() -> None:
    assert parse_gs1("(01)00300036120018").ndc10_digits == "0003612001"


@pytest.mark.parametrize("vector", VECTORS["datamatrix_examples"], ids=lambda v: v["hri"])
def test_datamatrix_example_bracketed(vector: dict[str, Any]) -> None:
    data = parse_gs1(vector["hri"], reference_date=TODAY)
    parsed = vector["parsed"]
    assert data == Gs1Data(
        gtin=parsed["gtin"],
        expiry=date.fromisoformat(parsed["expiry"]),
        lot=parsed["lot"],
        serial=parsed["serial"],
        ndc10_digits=parsed["ndc10_digits"],
    )


@pytest.mark.parametrize(
    "raw",
    [
        f"0100300932264014{EXPIRY_AND_LOT}{GS}211000001",
        f"]d20100300932264014{EXPIRY_AND_LOT}{GS}211000001",  # zxing symbology identifier
        f"]C1{GS}0100300932264014{EXPIRY_AND_LOT}{GS}211000001",  # GS1-128 + leading FNC1
        f"]Q3{GS}211000001{GS}10ABC123{GS}17260600{GS}0100300932264014",  # any order
        f"{GS}10ABC123{GS}0100300932264014{GS}17260600{GS}211000001\r\n",
    ],
)
def test_raw_form_with_group_separators(raw: str) -> None:
    # gs1.org AIs: a variable-length field is ended by FNC1 (GS) when another AI follows.
    assert parse_gs1(raw, reference_date=TODAY) == TEVA


def test_bracketed_form_in_any_order() -> None:
    text = "(21)1000001(10)ABC123(17)260600(01)00300932264014"
    assert parse_gs1(text, reference_date=TODAY) == TEVA


def test_only_the_gtin_is_required() -> None:
    assert parse_gs1("(01)00300932264014") == Gs1Data("00300932264014", None, "", "", "0093226401")


@pytest.mark.parametrize("vector", VECTORS["ai17_day00_vectors"], ids=lambda v: v["ai17"])
def test_ai17_vectors(vector: dict[str, Any]) -> None:
    # GS1 General Specifications: day 00 = last day of the month, leap years included.
    text = f"(01)00300932264014(17){vector['ai17']}"
    if vector.get("valid", True):
        assert parse_gs1(text, reference_date=TODAY).expiry == date.fromisoformat(vector["date"])
    else:
        with pytest.raises(Gs1Error, match="month 13"):
            parse_gs1(text, reference_date=TODAY)


@pytest.mark.parametrize(
    ("ai17", "reference", "expected"),
    [
        # GS1 General Specifications century rule: window of -49..+50 years.
        ("760101", date(2026, 1, 1), date(2076, 1, 1)),  # +50: this century
        ("770101", date(2026, 1, 1), date(1977, 1, 1)),  # +51: previous century
        ("310101", date(2080, 6, 1), date(2031, 1, 1)),  # -49: this century
        ("300101", date(2080, 6, 1), date(2130, 1, 1)),  # -50: next century
        ("990101", date(2000, 1, 1), date(1999, 1, 1)),
        ("000229", date(1999, 1, 1), date(2000, 2, 29)),  # 2000 is a leap year
    ],
)
def test_century_window(ai17: str, reference: date, expected: date) -> None:
    assert parse_gs1(f"(01)00300932264014(17){ai17}", reference_date=reference).expiry == expected


@given(st.dates(min_value=date(1950, 1, 1), max_value=date(9000, 12, 31)), st.integers(0, 99))
def test_century_window_property(reference: date, two_digit_year: int) -> None:
    text = f"(01)00300932264014(17){two_digit_year:02d}0100"
    expiry = parse_gs1(text, reference_date=reference).expiry
    assert expiry is not None
    assert expiry.year % 100 == two_digit_year
    assert -49 <= expiry.year - reference.year <= 50


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "empty"),
        (" \r\n", "empty"),
        ("hello", "not GS1 barcode data"),
        ("xx(01)00300932264014", "not GS1 barcode data"),
        ("(ABC)(01)00300932264014", "not GS1 barcode text"),
        ("(01)00300932264015", "ends in check digit 5, but it should be 4"),
        ("(01)0030093226401", "must be 14 digits"),
        ("(01)0030093226401A", "must be 14 digits"),
        ("(17)260600", "no GTIN (01)"),
        ("(01)00300932264014(17)2606", "6 digits YYMMDD"),
        ("(01)00300932264014(17)260231", "February 2026 has 28 days"),
        ("(01)00300932264014(17)270229", "has 28 days"),
        ("(01)00300932264014(11)260101", "application identifier (11)"),
        ("010030093226401411260101", "application identifier (11)"),
        ("(01)00300932264014(10)", "lot number (10) in the barcode is empty"),
        ("(01)00300932264014(10)A(10)B", "appears twice"),
        (f"0100300932264014{'10' + 'A' * 21}", "at most 20"),
        (f"010030093226401410ABC12321{'9' * 19}", "group separators"),  # GS dropped by scanner
        ("(01)00300932264014(21)SER 1", "characters GS1 does not allow"),
        ("(01)00300932264014(21)SÉR1", "characters GS1 does not allow"),
    ],
)
def test_bad_data_is_explained(text: str, words: str) -> None:
    with pytest.raises(Gs1Error, match=re.escape(words)):
        parse_gs1(text, reference_date=TODAY)


@given(st.text())
def test_any_text_raises_only_gs1_error(text: str) -> None:
    with contextlib.suppress(Gs1Error):
        parse_gs1(text, reference_date=TODAY)


@given(st.text(alphabet=f"()0123456789ABC{GS}", max_size=60))
def test_gs1_like_text_raises_only_gs1_error(text: str) -> None:
    try:
        data = parse_gs1(text, reference_date=TODAY)
    except Gs1Error:
        return
    assert len(data.gtin) == 14


def test_huge_input_raises_gs1_error() -> None:
    with pytest.raises(Gs1Error):
        parse_gs1("(01)" + "0" * 2000)
    with pytest.raises(Gs1Error):
        parse_gs1("💊" * 2000)


@given(ndc10_digits, st.integers(0, 8))
def test_gtin_to_ndc10_to_gtin_round_trip(ndc10: str, indicator: int) -> None:
    gtin = gtin_from_ndc10(ndc10, indicator)
    data = parse_gs1(f"(01){gtin}")
    assert data.ndc10_digits == ndc10
    assert data.ndc10_digits is not None
    assert gtin_from_ndc10(data.ndc10_digits, indicator) == gtin


@given(ndc10_digits)
def test_upc_a_round_trip(ndc10: str) -> None:
    upc_a = gtin_from_ndc10(ndc10)[2:]  # GTIN-12 = GTIN-14 with indicator 0 minus "00"
    assert upc_a.startswith("3")
    assert ndc10_from_linear(upc_a) == ndc10


@given(ndc10_digits, cset82, cset82, st.dates(date(2026, 1, 1), date(2075, 12, 31)))
def test_bracketed_and_raw_forms_read_the_same(
    ndc10: str, lot: str, serial: str, expiry: date
) -> None:
    gtin = gtin_from_ndc10(ndc10)
    yymmdd = expiry.strftime("%y%m%d")
    bracketed = f"(01){gtin}(17){yymmdd}(10){lot}(21){serial}"
    raw = f"]d201{gtin}17{yymmdd}10{lot}{GS}21{serial}"
    if "(" in lot or "(" in serial:  # a bracket in the data is read as the next AI there
        return
    expected = Gs1Data(gtin, expiry, lot, serial, ndc10)
    assert parse_gs1(bracketed, reference_date=TODAY) == expected
    assert parse_gs1(raw, reference_date=TODAY) == expected


@given(st.from_regex(r"[0-9]{13}", fullmatch=True))
def test_a_gtin_with_its_check_digit_passes_and_every_other_digit_fails(body: str) -> None:
    check = gtin_check_digit(body)
    for digit in range(10):
        text = f"(01){body}{digit}"
        if digit == check:
            assert parse_gs1(text).gtin == body + str(digit)
        else:
            with pytest.raises(Gs1Error, match=f"should be {check}"):
                parse_gs1(text)


def test_gtin_without_ndc_prefix_has_no_ndc() -> None:
    body = "0061414100001"  # a GS1 prefix 061414 GTIN, not a "03" NDC GTIN
    assert parse_gs1(f"(01){body}{gtin_check_digit(body)}").ndc10_digits is None


def test_variable_measure_indicator_is_not_an_ndc() -> None:
    body = "9030093226401"
    assert parse_gs1(f"(01){body}{gtin_check_digit(body)}").ndc10_digits is None


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("300932264015", "should be 4"),
        ("0300932264015", "should be 4"),
        ("30093226401", "not a UPC-A"),
        ("1300932264014", "not a UPC-A"),  # EAN-13 that is not a UPC-A
        ("30093226401A", "not a UPC-A"),
        ("", "not a UPC-A"),
        ("036000291452", "does not carry an NDC"),  # a grocery UPC-A, number system 0
    ],
)
def test_linear_barcode_problems(text: str, words: str) -> None:
    with pytest.raises(Gs1Error, match=words):
        ndc10_from_linear(text)


@pytest.mark.parametrize(
    ("ndc10", "indicator", "words"),
    [
        ("0093-2264-01", 0, "without hyphens"),
        ("009322640", 0, "not 10 NDC digits"),
        ("0093226401", 9, "0 to 8"),
    ],
)
def test_gtin_from_ndc10_rejects_bad_input(ndc10: str, indicator: int, words: str) -> None:
    with pytest.raises(Gs1Error, match=words):
        gtin_from_ndc10(ndc10, indicator)


@pytest.mark.parametrize("digits", ["", "12a", "１２３"])
def test_check_digit_needs_ascii_digits(digits: str) -> None:
    with pytest.raises(Gs1Error, match="digits only"):
        gtin_check_digit(digits)


def test_default_reference_date_is_today() -> None:
    next_year = (date.today().year + 1) % 100
    expiry = parse_gs1(f"(01)00300932264014(17){next_year:02d}0101").expiry
    assert expiry == date(date.today().year + 1, 1, 1)
