"""National Drug Codes: from the label's 10-digit form to the 11-digit billing form, and the
NDC quantity reported on the claim line.

Sources (domain.md sections 1 and 2):
- FDA prints 10-digit NDCs in three layouts, 4-4-2, 5-3-2 and 5-4-1 (FR 2026-04368).
- Claims carry 11 digits, 5-4-2, without hyphens (HIPAA / X12; stedi.com claim edit).
- The 11-digit form adds one zero at the front of the SHORT segment, whichever it is
  (OHDSI converting_ndc; kb.daisybill.com). A 10-digit string without hyphens cannot be
  converted without the label or the FDA NDC Directory.
- CMS-1500 item 24A shaded line: N4 + 11 digits, one space, unit qualifier, quantity; the
  quantity has up to 8 digits before the point and 3 after (NUCC, quoted in X12 RFI 2151).
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from j3490_desk.domain.claim import Package
from j3490_desk.domain.units import UnitError, convert_dose, is_positive

_EXAMPLE = "e.g. 0574-4072-05"


class NdcError(ValueError):
    """An NDC or NDC quantity that cannot be used. `candidates` lists the possible 11-digit
    readings when the only problem is ambiguity (10 digits typed without hyphens)."""

    def __init__(self, message: str, candidates: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.candidates = candidates


# Segment lengths of the three FDA 10-digit layouts -> index of the short segment that
# gets the padding zero (domain.md section 1, padding rule).
_PADDED_SEGMENT: dict[tuple[int, int, int], int] = {
    (4, 4, 2): 0,
    (5, 3, 2): 1,
    (5, 4, 1): 2,
}
_BILLING_LAYOUT = (5, 4, 2)
_DASHES = str.maketrans({"‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "−": "-"})
_LABEL_PREFIX = re.compile(r"^NDC\s*[:#]?", re.IGNORECASE)
_SHOWN_LIMIT = 30


def _shown(text: str) -> str:
    """The input as quoted back in a message, cut short so a pasted page stays readable."""
    text = text.strip()
    return text if len(text) <= _SHOWN_LIMIT else text[:_SHOWN_LIMIT] + "…"


def _clean(text: str) -> str:
    """Drop the noise labels and invoices add: "NDC:" prefix, spaces, asterisks, odd dashes."""
    without_prefix = _LABEL_PREFIX.sub("", text.strip())
    return "".join(without_prefix.split()).replace("*", "").translate(_DASHES)


def _is_digits(text: str) -> bool:
    # str.isdigit() also accepts superscripts and non-Latin digits; an NDC is ASCII 0-9.
    return text.isascii() and text.isdigit()


def _layout_text(layout: tuple[int, ...]) -> str:
    return "-".join(str(length) for length in layout)


def _reject_characters(text: str, cleaned: str) -> None:
    if re.fullmatch(r"N4[0-9]{11}.*", cleaned, re.IGNORECASE):
        raise NdcError(
            f"'{_shown(text)}' is CMS-1500 shaded-line text (N4 followed by the NDC), not an "
            "NDC. Remove the leading N4 and anything after the 11 digits."
        )
    bad = sorted({char for char in cleaned if not (_is_digits(char) or char == "-")})
    if bad:
        hint = " (the letter O where a zero belongs?)" if "O" in cleaned.upper() else ""
        raise NdcError(
            f"The NDC '{_shown(text)}' contains {' '.join(bad[:5])}{hint}. An NDC has only "
            f"digits and hyphens: type it as printed on the label, {_EXAMPLE}."
        )


def _require_padding_zero(text: str, segments: list[str]) -> None:
    """An 11-digit NDC always has its padding zero at the front of one segment (section 1)."""
    if not any(segment.startswith("0") for segment in segments):
        raise NdcError(
            f"'{_shown(text)}' has 11 digits, but none of its three parts starts with 0. "
            "The 11-digit billing NDC is the label's 10-digit NDC with one zero added in "
            "front of its short part. Check for a typo, or type the NDC as printed on the "
            f"label, {_EXAMPLE}."
        )


def _from_segments(text: str, cleaned: str) -> str:
    segments = cleaned.split("-")
    if len(segments) != 3 or not all(segments):
        raise NdcError(
            f"The NDC '{_shown(text)}' needs three parts separated by single hyphens "
            f"(labeler-product-package), {_EXAMPLE}."
        )
    layout = (len(segments[0]), len(segments[1]), len(segments[2]))
    if layout in _PADDED_SEGMENT:
        padded = _PADDED_SEGMENT[layout]
        segments[padded] = "0" + segments[padded]
    elif layout == _BILLING_LAYOUT:
        _require_padding_zero(text, segments)
    else:
        raise NdcError(_layout_message(text, layout))
    return "".join(segments)


def _layout_message(text: str, layout: tuple[int, int, int]) -> str:
    shown, printed = _shown(text), _layout_text(layout)
    if layout in ((6, 3, 2), (6, 4, 1)):
        # 21 CFR 207.33 allows 6-digit labeler codes; no 11-digit padding for them exists.
        return (
            f"'{shown}' has a 6-digit labeler code ({printed}). Claims still take the "
            "11-digit 5-4-2 NDC, and no way to fit a 6-digit labeler into it has been "
            f"published, so it cannot be billed yet. Check the label; if it really prints "
            f"{printed}, ask the payer how to report it."
        )
    if layout == (6, 4, 2):
        # FDA 12-digit NDC final rule, FR 2026-04368, effective 7 March 2033.
        return (
            f"'{shown}' is a 12-digit NDC (6-4-2), the format FDA adopts on 7 March 2033. "
            "Claims still take the 11-digit form: type the 10- or 11-digit NDC from the "
            "label or the invoice."
        )
    return (
        f"'{shown}' is laid out {printed} ({sum(layout)} digits), which is not an NDC layout. "
        "Labels print 4-4-2, 5-3-2 or 5-4-1 (10 digits) and the billing form is 5-4-2 "
        "(11 digits). Check for a missing or extra digit."
    )


def _digit_count_message(text: str, count: int) -> str:
    message = (
        f"The NDC '{_shown(text)}' has {count} digits. An NDC has 10 digits as printed on "
        f"the label ({_EXAMPLE}) or 11 in the billing form. Check for a missing or extra digit."
    )
    if 12 <= count <= 14:
        message += " If you typed a barcode number, scan the barcode or type the NDC instead."
    return message


def _ten_digit_readings(digits: str) -> tuple[str, ...]:
    """Pad a hyphen-less 10-digit string under each of the three layouts, in table order."""
    readings = []
    for layout, padded in _PADDED_SEGMENT.items():
        start = sum(layout[:padded])
        readings.append(digits[:start] + "0" + digits[start:])
    return tuple(readings)


def ndc_candidates(text: str) -> tuple[str, ...]:
    """The possible 11-digit billing readings of an NDC as typed.

    One reading for hyphenated or 11-digit input; three for a 10-digit string without
    hyphens (4-4-2, 5-3-2, 5-4-1 order), which the FDA NDC Directory can narrow down.
    Raises NdcError when the input cannot be an NDC at all.
    """
    printed = _printed_ndc11(text)
    if printed is not None:  # typed exactly as a label prints it: the usual case, read fast
        return (printed,)
    return _parsed_candidates(text)


_PRINTED_NDC = re.compile(r"([0-9]{4,5})-([0-9]{3,4})-([0-9]{1,2})", re.ASCII)


def _printed_ndc11(text: str) -> str | None:
    """The 11-digit NDC of a label-style NDC typed exactly (4-4-2, 5-3-2, 5-4-1, 5-4-2 with
    its padding zero, or 11 digits), without the full parser; None for anything else, which
    `_parsed_candidates` reads and words any error for."""
    if len(text) == 11:
        if text.isascii() and text.isdigit() and "0" in (text[0], text[5], text[9]):
            return text
        return None
    match = _PRINTED_NDC.fullmatch(text)
    if match is None:
        return None
    labeler, product, package = match.groups()
    layout = (len(labeler), len(product), len(package))
    if layout == (4, 4, 2):
        return "0" + labeler + product + package
    if layout == (5, 3, 2):
        return labeler + "0" + product + package
    if layout == (5, 4, 1):
        return labeler + product + "0" + package
    if layout == (5, 4, 2) and "0" in (labeler[0], product[0], package[0]):
        return labeler + product + package
    return None


def _parsed_candidates(text: str) -> tuple[str, ...]:
    cleaned = _clean(text)
    if not cleaned:
        raise NdcError(f"The NDC is empty. Type the NDC printed on the drug's label, {_EXAMPLE}.")
    _reject_characters(text, cleaned)
    if "-" in cleaned:
        return (_from_segments(text, cleaned),)
    if len(cleaned) == 11:
        _require_padding_zero(text, [cleaned[:5], cleaned[5:9], cleaned[9:]])
        return (cleaned,)
    if len(cleaned) == 10:
        return _ten_digit_readings(cleaned)
    raise NdcError(_digit_count_message(text, len(cleaned)))


def to_billing_ndc(text: str) -> str:
    """The 11-digit HIPAA billing NDC (5-4-2, no hyphens) for an NDC as typed or printed."""
    candidates = ndc_candidates(text)
    if len(candidates) == 1:
        return candidates[0]
    readings = ", ".join(
        f"{reading} ({_layout_text(layout)})"
        for reading, layout in zip(candidates, _PADDED_SEGMENT, strict=True)
    )
    raise NdcError(
        f"'{_shown(text)}' has 10 digits and no hyphens, so it can be read three ways: "
        f"{readings}. Type the NDC with the hyphens exactly as printed on the label, "
        f"{_EXAMPLE}. (With the FDA NDC Directory loaded, the app can pick the listed one.)",
        candidates=candidates,
    )


def _require_ndc11(ndc11: str) -> str:
    if not (len(ndc11) == 11 and _is_digits(ndc11)):
        raise NdcError(
            f"'{_shown(ndc11)}' is not an 11-digit billing NDC. Convert the NDC first "
            "(to_billing_ndc) so it is exactly 11 digits without hyphens."
        )
    return ndc11


def hyphenate_ndc11(ndc11: str) -> str:
    """Write an 11-digit billing NDC as 5-4-2 with hyphens, for people to read."""
    digits = _require_ndc11(ndc11)
    return f"{digits[:5]}-{digits[5:9]}-{digits[9:]}"


# Unit qualifiers for the NDC quantity (837P CTP05-1, CMS-1500 24A; domain.md section 2).
NDC_UNIT_QUALIFIERS: dict[str, str] = {
    "F2": "international units",
    "GR": "grams",
    "ME": "milligrams",
    "ML": "milliliters",
    "UN": "units (packages)",
}
_QUALIFIER_UNIT = {"F2": "IU", "GR": "g", "ME": "mg", "ML": "mL"}
_MAX_INTEGER_DIGITS = 8  # NUCC: up to 8 digits before the decimal point
_MAX_DECIMALS = 3  # NUCC: up to 3 after it; payers may allow fewer (section 2, 16)


def _require_qualifier(qualifier: str) -> str:
    code = qualifier.strip().upper()
    if not code:
        raise NdcError(
            "The NDC unit is not chosen. Pick F2, GR, ME, ML or UN, the way the payer counts "
            "this drug (ML for liquids billed by volume, UN for vials or kits)."
        )
    if code not in NDC_UNIT_QUALIFIERS:
        raise NdcError(
            f"'{_shown(qualifier)}' is not an NDC unit. Use F2 (international units), "
            "GR (grams), ME (milligrams), ML (milliliters) or UN (units)."
        )
    return code


def format_ndc_quantity(quantity: Decimal, decimals: int = 3) -> str:
    """The NDC quantity as the claim writes it (NUCC, X12 CTP04; domain.md section 2).

    Rounded half up to `decimals` places (3 by NUCC, 2 for payers that cap it), at most
    8 digits before the point, no commas, no trailing zeros and no point for whole numbers.
    """
    if not 0 <= decimals <= _MAX_DECIMALS:
        raise ValueError(f"decimals must be 0 to {_MAX_DECIMALS} (NUCC), not {decimals}")
    if not is_positive(quantity):
        raise NdcError(
            f"The NDC quantity must be more than 0, not {quantity}. Enter the amount given."
        )
    too_large = NdcError(
        f"The NDC quantity {quantity} is too large: claims allow at most "
        f"{_MAX_INTEGER_DIGITS} digits before the decimal point. Check the dose and the NDC unit."
    )
    if quantity.adjusted() >= _MAX_INTEGER_DIGITS:
        raise too_large
    rounded = quantity.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    if rounded.adjusted() >= _MAX_INTEGER_DIGITS:
        raise too_large
    if rounded == 0:
        raise NdcError(
            f"The NDC quantity {quantity} rounds to 0 with {decimals} decimal places. Check "
            "the dose, or use a smaller NDC unit (e.g. ME milligrams instead of GR grams)."
        )
    return format(rounded.normalize(), "f")


def shaded_line_24a(ndc11: str, qualifier: str, quantity: Decimal, decimals: int = 3) -> str:
    """CMS-1500 item 24A shaded text, e.g. "N400574407205 ML2.5" (NUCC; domain.md section 2)."""
    ndc = _require_ndc11(ndc11)
    unit = _require_qualifier(qualifier)
    return f"N4{ndc} {unit}{format_ndc_quantity(quantity, decimals)}"


_SHADED_LINE = re.compile(
    r"N4(?P<ndc>[0-9]{11}) (?P<unit>F2|GR|ME|ML|UN)(?P<quantity>[0-9]{1,8}(?:\.[0-9]{1,3})?)"
)


def parse_shaded_line_24a(text: str) -> tuple[str, str, Decimal]:
    """Read a 24A shaded line back into (11-digit NDC, unit qualifier, quantity)."""
    match = _SHADED_LINE.fullmatch(text.strip())
    if match is None:
        raise NdcError(
            f"'{_shown(text)}' is not CMS-1500 24A shaded-line text. It should read like "
            "N400574407205 ML2.5: N4, the 11-digit NDC, one space, the unit (F2, GR, ME, ML "
            "or UN) and the quantity."
        )
    return match["ndc"], match["unit"], Decimal(match["quantity"])


def ndc_quantity(dose_amount: Decimal, dose_unit: str, package: Package) -> Decimal:
    """The dose expressed in the package's NDC unit qualifier, for 24A / CTP04.

    ME counts milligrams, GR grams, ML milliliters (a mass dose goes through the package's
    strength: amount per volume_ml), F2 international units, and UN packages: the share of
    the package the dose used (dose / package amount). Not rounded: format it per payer.
    """
    qualifier = _require_qualifier(package.ndc_unit_qualifier)
    if not is_positive(dose_amount):
        raise NdcError(f"The dose must be more than 0, not {dose_amount}. Enter the amount given.")
    try:
        if qualifier == "UN":
            return _packages_used(dose_amount, dose_unit, package)
        return convert_dose(dose_amount, dose_unit, _QUALIFIER_UNIT[qualifier], package)
    except UnitError as error:
        raise NdcError(str(error)) from error


def _packages_used(dose_amount: Decimal, dose_unit: str, package: Package) -> Decimal:
    if package.amount is None or not package.unit or not is_positive(package.amount):
        raise NdcError(
            "The NDC unit is UN (packages), but the package's drug amount is not entered. "
            "Enter how much drug one package holds, from the label."
        )
    return convert_dose(dose_amount, dose_unit, package.unit, package) / package.amount
