"""GS1 barcodes on US drug packages: the DataMatrix (DSCSA) and the linear UPC-A.

Sources (domain.md section 3):
- DSCSA packages carry a GS1 DataMatrix with (01) GTIN-14, (17) expiry, (10) lot and
  (21) serial (rxtrace, 2017).
- AI formats: (01) N14, (17) N6 YYMMDD, (10) and (21) X..20, variable length, ended by FNC1
  (ASCII 29, GS) when another AI follows (gs1.org/standards/barcodes/application-identifiers).
- (17) day 00 is the last day of the month; the year is read within -49..+50 years of the
  current year (GS1 General Specifications, as quoted in the rubydoc gs1 gem).
- GS1 mod-10 check digit: weights 3, 1, 3, ... from the rightmost data digit.
- An NDC-bearing GTIN-14 is indicator + "03" + the 10 NDC digits + check; a UPC-A is
  "3" + NDC10 + check (rxtrace "Depicting an NDC within a GTIN"). The 10 digits carry no
  hyphens, so the NDC's layout must come from the label or the FDA directory (section 1).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

GROUP_SEPARATOR = "\x1d"  # FNC1 as transmitted in raw barcode data (ASCII 29)
# Scanners may prefix a symbology identifier: ]d2 DataMatrix, ]C1 GS1-128, ]Q3 QR, ]e0 DataBar.
_SYMBOLOGY_IDENTIFIER = re.compile(r"\][A-Za-z][0-9]")
_BRACKETED_AI = re.compile(r"\(([0-9]{2,4})\)")

_AI_NAMES = {"01": "GTIN", "17": "expiry date", "10": "lot number", "21": "serial number"}
_FIXED_LENGTH = {"01": 14, "17": 6}
_VARIABLE_MAX_LENGTH = 20  # (10) and (21) are X..20
# GS1 character set 82, the characters allowed in (10) and (21).
_CSET_82 = frozenset(
    "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz"
)
_NDC_GTIN_PREFIX = "03"  # GS1 US prefix reserved for NDC-bearing GTINs
_NDC_UPC_NUMBER_SYSTEM = "3"
_TYPE_FROM_LABEL = "Scan again, or type the NDC, lot and expiry from the label."
# GS1 General Specifications: YY more than 50 years ahead is last century, 50+ behind is next.
_CENTURY_AHEAD_LIMIT, _CENTURY_BEHIND_LIMIT = 50, -50


class Gs1Error(ValueError):
    """Barcode data that cannot be read; the message says what is wrong and what to do."""


@dataclass(frozen=True)
class Gs1Data:
    gtin: str  # GTIN-14 from AI (01), check digit verified
    expiry: date | None  # AI (17), None when absent
    lot: str  # AI (10), "" when absent
    serial: str  # AI (21), "" when absent
    ndc10_digits: str | None  # the 10 NDC digits (no hyphens) when the GTIN carries an NDC


def _is_digits(text: str) -> bool:
    return text.isascii() and text.isdigit()


def gtin_check_digit(digits: str) -> int:
    """GS1 mod-10 check digit for the data digits (without the check digit)."""
    if not digits or not _is_digits(digits):
        raise Gs1Error("A GS1 check digit needs digits only. Remove any letters or spaces.")
    total = sum(
        int(digit) * (3 if position % 2 == 0 else 1)
        for position, digit in enumerate(reversed(digits))
    )
    return (10 - total % 10) % 10


def _verify_check_digit(number: str, what: str) -> None:
    expected = gtin_check_digit(number[:-1])
    if int(number[-1]) != expected:
        raise Gs1Error(
            f"The {what} {number} ends in check digit {number[-1]}, but it should be "
            f"{expected}, so the barcode was misread or mistyped. {_TYPE_FROM_LABEL}"
        )


def _ndc10_from_gtin14(gtin: str) -> str | None:
    # Indicator 0-8 are packaging levels; 9 marks variable-measure items, never an NDC.
    if gtin[0] != "9" and gtin[1:3] == _NDC_GTIN_PREFIX:
        return gtin[3:13]
    return None


def gtin_from_ndc10(ndc10_digits: str, indicator: int = 0) -> str:
    """The GTIN-14 that carries a 10-digit NDC: indicator + "03" + NDC10 + check digit."""
    if not (len(ndc10_digits) == 10 and _is_digits(ndc10_digits)):
        raise Gs1Error(
            f"'{ndc10_digits[:20]}' is not 10 NDC digits. Give the label's 10-digit NDC "
            "without hyphens, e.g. 0093226401."
        )
    if not 0 <= indicator <= 8:
        raise Gs1Error(f"The GTIN indicator must be 0 to 8 (packaging level), not {indicator}.")
    body = f"{indicator}{_NDC_GTIN_PREFIX}{ndc10_digits}"
    return f"{body}{gtin_check_digit(body)}"


def ndc10_from_linear(text: str) -> str:
    """The 10 NDC digits from a UPC-A read (12 digits, "3" + NDC10 + check).

    zxing reports UPC-A as a 13-digit EAN-13 with a leading 0, so that form is accepted too.
    """
    digits = text.strip()
    if len(digits) == 13 and digits.startswith("0"):
        digits = digits[1:]
    if not (len(digits) == 12 and _is_digits(digits)):
        raise Gs1Error(
            f"'{digits[:20]}' is not a UPC-A barcode number (12 digits). {_TYPE_FROM_LABEL}"
        )
    _verify_check_digit(digits, "barcode number")
    if not digits.startswith(_NDC_UPC_NUMBER_SYSTEM):
        raise Gs1Error(
            f"The barcode {digits} does not carry an NDC: drug barcodes start with 3. "
            "Type the NDC printed on the label."
        )
    return digits[1:11]


def _strip_envelope(data: str) -> str:
    """Remove what scanners add around the data: whitespace, a symbology identifier and a
    leading FNC1 (GS). Python counts GS as whitespace, so strip() removes it at the ends."""
    text = data.strip()
    if _SYMBOLOGY_IDENTIFIER.match(text):
        text = text[3:].strip()
    return text


def _unknown_ai(ai: str) -> Gs1Error:
    return Gs1Error(
        f"The barcode holds application identifier ({ai}), which this app does not read "
        f"(it reads (01), (17), (10) and (21)). Type the NDC, lot and expiry from the label."
    )


def _split_bracketed(text: str) -> list[tuple[str, str]]:
    """Human-readable form: (01)00300932264014(17)260600(10)ABC123(21)1000001."""
    matches = list(_BRACKETED_AI.finditer(text))
    if not matches or matches[0].start() != 0:
        raise Gs1Error(
            "This is not GS1 barcode text: it should start with an identifier in "
            f"brackets such as (01). {_TYPE_FROM_LABEL}"
        )
    fields = []
    for match, following in zip(matches, [*matches[1:], None], strict=True):
        end = following.start() if following else len(text)
        fields.append((match[1], text[match.end() : end].strip()))
    return fields


def _split_raw(text: str) -> list[tuple[str, str]]:
    """Raw form: AIs without brackets, a GS after each variable-length field but the last."""
    fields = []
    position = 0
    while position < len(text):
        if text[position] == GROUP_SEPARATOR:  # redundant separators are harmless
            position += 1
            continue
        ai = text[position : position + 2]
        start = position + 2
        if ai in _FIXED_LENGTH:
            end = start + _FIXED_LENGTH[ai]
        elif ai in _AI_NAMES:
            separator = text.find(GROUP_SEPARATOR, start)
            end = len(text) if separator == -1 else separator
        elif _is_digits(ai):
            raise _unknown_ai(ai)
        else:
            raise Gs1Error(f"This is not GS1 barcode data. {_TYPE_FROM_LABEL}")
        fields.append((ai, text[start:end]))
        position = end
    return fields


def _parse_gtin(value: str) -> str:
    if not (len(value) == 14 and _is_digits(value)):
        raise Gs1Error(
            f"The GTIN (01) must be 14 digits, but the barcode has '{value[:20]}'. "
            f"{_TYPE_FROM_LABEL}"
        )
    _verify_check_digit(value, "GTIN")
    return value


def _expiry_year(two_digits: int, reference_year: int) -> int:
    """GS1 century rule: the year lies within -49..+50 years of the reference year."""
    century = reference_year - reference_year % 100
    difference = two_digits - reference_year % 100
    if difference > _CENTURY_AHEAD_LIMIT:
        return century - 100 + two_digits
    if difference <= _CENTURY_BEHIND_LIMIT:
        return century + 100 + two_digits
    return century + two_digits


def _parse_expiry(value: str, reference_date: date) -> date:
    if not (len(value) == 6 and _is_digits(value)):
        raise Gs1Error(
            f"The expiry date (17) must be 6 digits YYMMDD, but the barcode has '{value[:20]}'. "
            f"{_TYPE_FROM_LABEL}"
        )
    year = _expiry_year(int(value[:2]), reference_date.year)
    month, day = int(value[2:4]), int(value[4:])
    if not 1 <= month <= 12:
        raise Gs1Error(
            f"The expiry date (17) {value} has month {month:02d}, which does not exist. "
            f"{_TYPE_FROM_LABEL}"
        )
    last_day = calendar.monthrange(year, month)[1]
    if day == 0:  # GS1: day 00 means the last day of the month, leap years included
        return date(year, month, last_day)
    if day > last_day:
        raise Gs1Error(
            f"The expiry date (17) {value} has day {day}, but {calendar.month_name[month]} "
            f"{year} has {last_day} days. {_TYPE_FROM_LABEL}"
        )
    return date(year, month, day)


def _parse_text_field(ai: str, value: str) -> str:
    name = _AI_NAMES[ai]
    if not value:
        raise Gs1Error(f"The {name} ({ai}) in the barcode is empty. {_TYPE_FROM_LABEL}")
    if len(value) > _VARIABLE_MAX_LENGTH:
        raise Gs1Error(
            f"The {name} ({ai}) is {len(value)} characters long; GS1 allows at most "
            f"{_VARIABLE_MAX_LENGTH}. The scanner may be dropping the group separators: "
            f"check its GS1 setting. {_TYPE_FROM_LABEL}"
        )
    if not set(value) <= _CSET_82:
        raise Gs1Error(
            f"The {name} ({ai}) contains characters GS1 does not allow (spaces or symbols). "
            f"{_TYPE_FROM_LABEL}"
        )
    return value


def parse_gs1(data: str, reference_date: date | None = None) -> Gs1Data:
    """Read GS1 barcode data, bracketed "(01)...(17)..." or raw with GS separators.

    AIs may come in any order; (01) is required. `reference_date` (default: today) anchors
    the GS1 century window for the two-digit expiry year.
    """
    text = _strip_envelope(data)
    if not text:
        raise Gs1Error(f"The barcode data is empty. {_TYPE_FROM_LABEL}")
    fields = _split_bracketed(text) if text.startswith("(") else _split_raw(text)
    values: dict[str, str] = {}
    for ai, value in fields:
        if ai not in _AI_NAMES:
            raise _unknown_ai(ai)
        if ai in values:
            raise Gs1Error(
                f"The {_AI_NAMES[ai]} ({ai}) appears twice in the barcode. {_TYPE_FROM_LABEL}"
            )
        values[ai] = value
    if "01" not in values:
        raise Gs1Error(f"The barcode has no GTIN (01), so no NDC. {_TYPE_FROM_LABEL}")
    gtin = _parse_gtin(values["01"])
    expiry = values.get("17")
    return Gs1Data(
        gtin=gtin,
        expiry=None if expiry is None else _parse_expiry(expiry, reference_date or date.today()),
        lot=_parse_text_field("10", values["10"]) if "10" in values else "",
        serial=_parse_text_field("21", values["21"]) if "21" in values else "",
        ndc10_digits=_ndc10_from_gtin14(gtin),
    )
