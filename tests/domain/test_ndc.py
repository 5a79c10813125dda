"""NDC 10 -> 11 digits (domain.md section 1) and the NDC quantity on the claim (section 2)."""

from __future__ import annotations

import csv
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from j3490_desk.domain.claim import Package
from j3490_desk.domain.ndc import (
    NdcError,
    format_ndc_quantity,
    hyphenate_ndc11,
    ndc_candidates,
    ndc_quantity,
    parse_shaded_line_24a,
    shaded_line_24a,
    to_billing_ndc,
)

FIXTURES = Path(__file__).parent.parent / "fixtures"
VECTORS: dict[str, Any] = json.loads((FIXTURES / "vectors.json").read_text(encoding="utf-8"))
BILLING_LAYOUT = (5, 4, 2)


def _fda_package_codes() -> list[str]:
    """NDCPACKAGECODE of each row in the FDA NDC Directory slice, found by header name."""
    path = FIXTURES / "fda_package_slice.txt"
    with path.open(encoding="latin-1", newline="") as handle:
        return [row["NDCPACKAGECODE"] for row in csv.DictReader(handle, delimiter="\t")]


def _padded_by_segment_lengths(hyphenated: str) -> str:
    """Independent statement of the padding rule: each segment zero-filled to 5-4-2."""
    segments = hyphenated.split("-")
    return "".join(seg.zfill(width) for seg, width in zip(segments, BILLING_LAYOUT, strict=True))


FDA_CODES = _fda_package_codes()


def test_fda_slice_covers_all_three_configurations() -> None:
    layouts = {tuple(len(seg) for seg in code.split("-")) for code in FDA_CODES}
    assert layouts == {(4, 4, 2), (5, 3, 2), (5, 4, 1)}
    assert len(FDA_CODES) >= 30


@pytest.mark.parametrize("code", FDA_CODES)
def test_fda_directory_package_codes_pad_the_short_segment(code: str) -> None:
    # FDA NDC Directory package.txt (2019-04-29); padding rule: domain.md section 1.
    assert to_billing_ndc(code) == _padded_by_segment_lengths(code)
    assert ndc_candidates(code) == (_padded_by_segment_lengths(code),)


@pytest.mark.parametrize("vector", VECTORS["ndc10_to_ndc11"], ids=lambda v: v["ndc10_hyphenated"])
def test_published_worked_examples(vector: dict[str, str]) -> None:
    # kb.daisybill.com, receivablercm.com, coderx.io (vectors.json ndc10_to_ndc11).
    assert to_billing_ndc(vector["ndc10_hyphenated"]) == vector["ndc11"]
    assert hyphenate_ndc11(vector["ndc11"]) == vector["ndc11_hyphenated"]
    assert to_billing_ndc(vector["ndc11_hyphenated"]) == vector["ndc11"]


@pytest.mark.parametrize("check", VECTORS["ndc11_expected_checks"], ids=lambda c: c["in"])
def test_expected_checks(check: dict[str, str]) -> None:
    assert to_billing_ndc(check["in"]) == check["expect"]


@pytest.mark.parametrize("vector", VECTORS["ndc_ambiguous_unhyphenated"], ids=lambda v: v["input"])
def test_ten_digits_without_hyphens_is_ambiguous(vector: dict[str, Any]) -> None:
    # domain.md section 1: never zfill(11); list the three readings and ask for the hyphens.
    expected = tuple(vector["candidates"][layout] for layout in ("4-4-2", "5-3-2", "5-4-1"))
    assert ndc_candidates(vector["input"]) == expected
    with pytest.raises(NdcError) as raised:
        to_billing_ndc(vector["input"])
    assert raised.value.candidates == expected
    message = str(raised.value)
    assert all(candidate in message for candidate in expected)
    assert "hyphens exactly as printed on the label" in message


@pytest.mark.parametrize("vector", VECTORS["ndc_invalid"], ids=lambda v: v["input"])
def test_published_invalid_ndcs_are_rejected(vector: dict[str, str]) -> None:
    with pytest.raises(NdcError) as raised:
        to_billing_ndc(vector["input"])
    assert raised.value.candidates == ()


@pytest.mark.parametrize(
    "text",
    [
        "NDC 0574-4072-05",
        "ndc:0574-4072-05",
        "NDC: 0574-4072-05",
        "  0574-4072-05  ",
        "0574-4072-05*",
        "*0574-4072-05*",
        "0574 - 4072 - 05",
        "0574–4072–05",  # en dashes from a word processor
        "00574407205",
        "00574-4072-05",
    ],
)
def test_label_noise_is_ignored(text: str) -> None:
    assert to_billing_ndc(text) == "00574407205"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "empty"),
        ("NDC:", "empty"),
        ("0574-4O72-05", "letter O where a zero belongs"),
        ("abc", "only digits and hyphens"),
        ("💊", "only digits and hyphens"),
        ("N400574407205", "shaded-line text"),
        ("N400574407205 ML2.5", "Remove the leading N4"),
        ("3-4072-05", "not an NDC layout"),
        ("123-4567-890", "laid out 3-4-3"),
        ("123456-789-01", "6-digit labeler code (6-3-2)"),
        ("123456-7890-1", "6-digit labeler code (6-4-1)"),
        ("000574-4072-05", "12-digit NDC"),
        ("0574-4072", "three parts"),
        ("0574-4072-05-1", "three parts"),
        ("0574--4072-05", "three parts"),
        ("57440720", "8 digits"),
        ("300932264014", "barcode"),
        ("12345-6789-12", "none of its three parts starts with 0"),
        ("12345678912", "none of its three parts starts with 0"),
        ("1" * 2000, "2000 digits"),
    ],
)
def test_bad_input_messages_say_what_and_how(text: str, words: str) -> None:
    with pytest.raises(NdcError, match=re.escape(words)) as raised:
        to_billing_ndc(text)
    assert len(str(raised.value)) < 400  # a pasted page is not echoed back in full


@given(st.text())
def test_any_text_raises_only_ndc_error(text: str) -> None:
    try:
        result = to_billing_ndc(text)
    except NdcError:
        return
    assert len(result) == 11
    assert result.isascii()
    assert result.isdigit()


@given(st.text(alphabet="0123456789-* NDCndc:", max_size=20))
def test_ndc_like_text_raises_only_ndc_error(text: str) -> None:
    try:
        candidates = ndc_candidates(text)
    except NdcError:
        return
    assert len(candidates) in (1, 3)


layouts = st.sampled_from([(4, 4, 2), (5, 3, 2), (5, 4, 1)])


@st.composite
def hyphenated_ndc10(draw: st.DrawFn) -> str:
    layout = draw(layouts)
    return "-".join(draw(st.from_regex(f"[0-9]{{{width}}}", fullmatch=True)) for width in layout)


@given(hyphenated_ndc10())
def test_ndc11_keeps_every_label_digit_in_order(ndc10: str) -> None:
    # Padding only inserts one zero (section 1): removing it gives the label's digits back.
    ndc11 = to_billing_ndc(ndc10)
    assert _padded_by_segment_lengths(ndc10) == ndc11
    assert to_billing_ndc(hyphenate_ndc11(ndc11)) == ndc11


@given(hyphenated_ndc10())
def test_bare_ten_digits_list_the_hyphenated_reading(ndc10: str) -> None:
    # The FDA directory can resolve the ambiguity: the true reading is always a candidate.
    assert to_billing_ndc(ndc10) in ndc_candidates(ndc10.replace("-", ""))


@given(
    hyphenated_ndc10(),
    st.sampled_from(["F2", "GR", "ME", "ML", "UN"]),
    st.decimals(min_value=Decimal("0.001"), max_value=Decimal("99999999.999"), places=3),
)
def test_ndc_to_24a_line_and_back(ndc10: str, qualifier: str, quantity: Decimal) -> None:
    line = shaded_line_24a(to_billing_ndc(ndc10), qualifier, quantity)
    assert parse_shaded_line_24a(line) == (to_billing_ndc(ndc10), qualifier, quantity)


def test_24a_published_example() -> None:
    # NUCC text quoted in X12 RFI 2151 (domain.md section 2).
    assert shaded_line_24a("00574407205", "ML", Decimal("2.5")) == "N400574407205 ML2.5"
    assert parse_shaded_line_24a("N400574407205 ML2.5") == ("00574407205", "ML", Decimal("2.5"))


def test_24a_accepts_lower_case_qualifier() -> None:
    assert shaded_line_24a("00574407205", "un", Decimal("1")) == "N400574407205 UN1"


@pytest.mark.parametrize(
    ("ndc11", "qualifier", "words"),
    [
        ("0574-4072-05", "ML", "not an 11-digit billing NDC"),
        ("00574407205", "", "NDC unit is not chosen"),
        ("00574407205", "MG", "not an NDC unit"),
    ],
)
def test_24a_rejects_bad_parts(ndc11: str, qualifier: str, words: str) -> None:
    with pytest.raises(NdcError, match=words):
        shaded_line_24a(ndc11, qualifier, Decimal("1"))


@pytest.mark.parametrize(
    "text",
    [
        "",
        "N40057440720 ML2.5",
        "N400574407205ML2.5",
        "N400574407205 MG2.5",
        "N400574407205 ML2.5000",
        "N400574407205 ML123456789",
        "N400574407205 ML1,000",
    ],
)
def test_parse_24a_rejects_malformed_lines(text: str) -> None:
    with pytest.raises(NdcError, match=re.escape("N400574407205 ML2.5")):
        parse_shaded_line_24a(text)


@pytest.mark.parametrize(
    ("quantity", "decimals", "expected"),
    [
        ("2.5", 3, "2.5"),
        ("2.500", 3, "2.5"),
        ("100", 3, "100"),
        ("100.000", 3, "100"),
        ("1E+2", 3, "100"),
        ("0.3333", 3, "0.333"),
        ("0.0005", 3, "0.001"),  # half up
        ("1.005", 2, "1.01"),  # a payer that caps decimals at 2 (section 2)
        ("1.004", 2, "1"),
        ("1.9999", 3, "2"),
        ("2.5", 0, "3"),
        ("99999999.999", 3, "99999999.999"),
        ("12345678.5", 3, "12345678.5"),
    ],
)
def test_format_ndc_quantity_nucc_rules(quantity: str, decimals: int, expected: str) -> None:
    # NUCC: up to 8 digits and 3 decimals, no point for whole numbers, no commas.
    assert format_ndc_quantity(Decimal(quantity), decimals) == expected


@pytest.mark.parametrize(
    ("quantity", "decimals", "words"),
    [
        ("0", 3, "more than 0"),
        ("-1", 3, "more than 0"),
        ("NaN", 3, "more than 0"),
        ("Infinity", 3, "more than 0"),
        ("0.0004", 3, "rounds to 0"),
        ("0.004", 2, "rounds to 0"),
        ("100000000", 3, "too large"),
        ("99999999.9996", 3, "too large"),
        ("1E+40", 3, "too large"),
    ],
)
def test_format_ndc_quantity_rejects_what_does_not_fit(
    quantity: str, decimals: int, words: str
) -> None:
    with pytest.raises(NdcError, match=words):
        format_ndc_quantity(Decimal(quantity), decimals)


def test_format_ndc_quantity_rejects_more_than_three_decimals() -> None:
    with pytest.raises(ValueError, match="0 to 3"):
        format_ndc_quantity(Decimal("1"), 4)


@given(
    st.decimals(min_value=Decimal("0.005"), max_value=Decimal("99999999.994"), places=3),
    st.sampled_from([2, 3]),
)
def test_format_ndc_quantity_round_trip(quantity: Decimal, decimals: int) -> None:
    rounded_text = format_ndc_quantity(quantity, decimals)
    assert "," not in rounded_text
    assert not (("." in rounded_text) and rounded_text.endswith("0"))
    if quantity == quantity.quantize(Decimal(1).scaleb(-decimals)):
        assert Decimal(rounded_text) == quantity
    assert format_ndc_quantity(Decimal(rounded_text), decimals) == rounded_text


VIAL_100MG_10ML = Package(
    amount=Decimal("100"), unit="mg", volume_ml=Decimal("10"), ndc_unit_qualifier="ML"
)


@pytest.mark.parametrize(
    ("qualifier", "dose", "unit", "expected"),
    [
        ("ML", "25", "mg", "2.5"),  # 25 mg of 10 mg/mL
        ("ML", "2.5", "mL", "2.5"),
        ("ME", "25", "mg", "25"),
        ("ME", "2500", "mcg", "2.5"),
        ("ME", "2.5", "mL", "25"),
        ("GR", "250", "mg", "0.25"),
        ("UN", "70", "mg", "0.7"),
        ("UN", "200", "mg", "2"),
    ],
)
def test_ndc_quantity_in_package_unit(qualifier: str, dose: str, unit: str, expected: str) -> None:
    package = Package(
        amount=Decimal("100"), unit="mg", volume_ml=Decimal("10"), ndc_unit_qualifier=qualifier
    )
    assert ndc_quantity(Decimal(dose), unit, package) == Decimal(expected)


def test_ndc_quantity_in_international_units() -> None:
    package = Package(amount=Decimal("5000"), unit="IU", ndc_unit_qualifier="F2")
    assert ndc_quantity(Decimal("1500"), "IU", package) == Decimal("1500")


@pytest.mark.parametrize(
    ("dose", "unit", "package", "words"),
    [
        (
            "1500",
            "IU",
            Package(amount=Decimal("100"), unit="mg", ndc_unit_qualifier="ME"),
            "depends on the product",
        ),
        (
            "1500",
            "units",
            Package(amount=Decimal("5000"), unit="IU", ndc_unit_qualifier="F2"),
            "different measures",
        ),
        (
            "25",
            "mg",
            Package(amount=Decimal("100"), unit="mg", ndc_unit_qualifier="ML"),
            "strength",
        ),
        ("25", "mg", Package(ndc_unit_qualifier="UN"), "drug amount is not entered"),
        ("25", "mg", Package(amount=Decimal("100"), unit="mg"), "NDC unit is not chosen"),
        (
            "25",
            "mg",
            Package(amount=Decimal("100"), unit="mg", ndc_unit_qualifier="XX"),
            "not an NDC unit",
        ),
        ("0", "mg", VIAL_100MG_10ML, "more than 0"),
    ],
)
def test_ndc_quantity_explains_what_cannot_be_converted(
    dose: str, unit: str, package: Package, words: str
) -> None:
    with pytest.raises(NdcError, match=words):
        ndc_quantity(Decimal(dose), unit, package)


def test_hyphenate_rejects_non_billing_forms() -> None:
    with pytest.raises(NdcError, match="11-digit"):
        hyphenate_ndc11("0574407205")


@pytest.mark.parametrize(
    ("text", "quick_answers"),
    [
        ("0002-1407-01", True),
        ("50242-060-01", True),
        ("19515-900-1", False),  # 5-3-1: not a layout
        ("00002-1407-01", True),
        ("12345-6789-01", True),
        ("12345-6789-11", False),  # 5-4-2 without a padding zero: the parser's error
        ("00002140701", True),
        ("12345678901", True),  # 11 digits, no padding zero
        ("0002140701", False),  # bare 10 digits: three readings
        (" 0002-1407-01", False),
        ("NDC 0002-1407-01", False),
        ("0002–1407–01", False),  # en dashes
        ("０002-1407-01", False),  # a full-width digit
        ("0002-1407-01\n", False),
        ("002-1407-01", False),
        ("0002-1407-0", False),
        ("123456-789-01", False),
        ("0002-1407-01-1", False),
    ],
)
def test_the_quick_reading_of_a_typed_ndc_agrees_with_the_full_parser(
    text: str, quick_answers: bool
) -> None:
    """The quick path answers label-style NDCs (and agrees with the parser); for everything
    else it returns None and the full parser answers (and words any error)."""
    from j3490_desk.domain.ndc import _parsed_candidates, _printed_ndc11

    quick = _printed_ndc11(text)
    assert (quick is not None) is quick_answers
    if quick is not None:
        assert _parsed_candidates(text) == (quick,)


@given(st.text(alphabet="0123456789-", min_size=9, max_size=14))
def test_the_quick_reading_never_disagrees_with_the_full_parser(text: str) -> None:
    from j3490_desk.domain.ndc import NdcError, _parsed_candidates, _printed_ndc11

    quick = _printed_ndc11(text)
    if quick is not None:
        try:
            assert _parsed_candidates(text) == (quick,)
        except NdcError as refused:
            raise AssertionError(f"{text!r}: read as {quick}, refused by the parser") from refused
