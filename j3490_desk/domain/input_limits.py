"""What a claim field may hold at all: the bounds a claim form sets, before any billing rule.

One place for them, read by the claim-file importer and by the wizard as the clerk types, so
a value refused in one is refused in the other. Each function returns what is wrong in words
a clerk can act on, or None.

Sources:
- CMS-1500 (02/12) item 24F "$ Charges" holds 7 dollar digits and 2 cents (NUCC 1500 Claim
  Form Reference Instruction Manual, item 24F): a charge is under $10,000,000.00.
- CMS-1500 item 21 holds 12 diagnosis codes, A to L (NUCC manual, item 21); the 837P HI
  segment also carries at most 12 (ASC X12N 005010X222A1, 2300 HI).
- The 837P allows at most 50 service lines per claim (005010X222A1, loop 2400, repeat 50);
  a paper CMS-1500 page holds 6.
- NDC quantities carry at most 3 decimals (NUCC manual, item 24A shaded; 837P CTP04).
The text limits, the date range, the quantity bound and the image budget are ours: generous for any real
claim, small enough that no field can make a command use unbounded memory or time.
"""

from __future__ import annotations

import unicodedata
from datetime import date
from decimal import Decimal

MAX_DRUG_LINES = 50
MAX_ICD10_CODES = 12
MAX_MONEY = Decimal("10000000.00")  # exclusive: $9,999,999.99 is the largest 24F can print
MAX_QUANTITY = Decimal("1000000")  # exclusive: units, doses, package contents, packages bought
MAX_PERCENT = Decimal("1000")
# Record ids (claims, lines) are 32-bit integers in the shared PostgreSQL schema (SQLite would
# take more): a larger number names no record on either engine.
MAX_RECORD_ID = 2**31 - 1
TEXT_LIMIT = 200  # names, numbers, short references
LONG_TEXT_LIMIT = 2000  # rationale and history paragraphs
# Images (attachments, thumbnails, packets, label photos) are decoded only within this budget,
# checked from the header: a 48 MP phone photo, a letter page scanned at 600 dpi (34 MP).
PIXEL_BUDGET = 50_000_000
FRAME_LIMIT = 200  # pages of one multi-page TIFF
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2199, 12, 31)

# Money: at most 2 decimals. Charges must be more than zero; a price paid may be zero.
_MONEY_FIELDS = {"charge": True, "price_paid": False}  # field -> must be positive
_PERCENT_FIELDS = frozenset({"markup_percent"})
# Integer settings of a payer: (lowest, highest).
INTEGER_BOUNDS: dict[str, tuple[int, int]] = {
    "timely_filing_days": (1, 3650),  # ten years is far beyond any payer's filing limit
    "ndc_quantity_decimals": (0, 3),  # NUCC allows 3
}
LONG_TEXT_FIELDS = frozenset(
    {"prior_treatments", "why_standard_failed", "rationale", "off_label_rationale"}
)
# Bidirectional overrides, embeddings and isolates make a name display as something else
# (Unicode Technical Report #36, section 2.1; CVE-2021-42574 "Trojan Source").
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_LINE_BREAKS = frozenset("\n\r\t")


def amount_problem(field: str, value: Decimal) -> str | None:
    """What is wrong with an amount in `field` (the last part of its path, e.g. "charge")."""
    if not value.is_finite():
        return "must be a number written in digits (not NaN or Infinity)"
    exponent = value.as_tuple().exponent
    decimals = -exponent if isinstance(exponent, int) else 0
    if field in _MONEY_FIELDS:
        positive = _MONEY_FIELDS[field]
        if positive and value <= 0:
            return f"{value} is not a charge: it must be more than $0.00"
        if value < 0:
            return f"{value} cannot be negative"
        if value >= MAX_MONEY:
            return "must be under $10,000,000.00 (the largest charge a claim form carries)"
        if decimals > 2:
            return f"{value} has more than 2 decimals (money is in dollars and cents)"
        return None
    if field in _PERCENT_FIELDS:
        if not 0 <= value <= MAX_PERCENT or decimals > 2:
            return f"{value} is not a percentage between 0 and 1000 with at most 2 decimals"
        return None
    # A negative dose or waste is left to the claim check, which says what it means there.
    if abs(value) >= MAX_QUANTITY or decimals > 6:
        return f"{value} is not a quantity under 1,000,000 with at most 6 decimals"
    return None


def integer_problem(field: str, value: int) -> str | None:
    low, high = INTEGER_BOUNDS.get(field, (0, 1_000_000))
    if low <= value <= high:
        return None
    shown = str(value) if len(str(value)) <= 20 else f"a {len(str(value))}-digit number"
    return f"{shown} is not between {low} and {high}"


def date_problem(value: date) -> str | None:
    if EARLIEST_DATE <= value <= LATEST_DATE:
        return None
    return f"{value.isoformat()} is outside the years {EARLIEST_DATE.year} to {LATEST_DATE.year}"


def text_problem(field: str, text: str) -> str | None:
    """Too long, or holding characters that would hide or forge what is printed: control
    characters (terminal escapes among them), lone surrogates, bidirectional overrides."""
    long_text = field in LONG_TEXT_FIELDS
    limit = LONG_TEXT_LIMIT if long_text else TEXT_LIMIT
    if len(text) > limit:
        return f"is {len(text):,} characters long; at most {limit:,} are allowed"
    for position, character in enumerate(text):
        if not refused_character(character, long_text=long_text):
            continue
        category = unicodedata.category(character)
        if category == "Cc":
            return (
                f"holds a control character (U+{ord(character):04X}) at position {position + 1}"
                "; control characters and terminal escapes are not allowed"
            )
        if category == "Cs":
            return f"holds a lone surrogate (U+{ord(character):04X}), which is not a character"
        return (
            f"holds a bidirectional override (U+{ord(character):04X}), which would make it "
            "display as something else"
        )
    return None


def refused_character(character: str, *, long_text: bool) -> bool:
    """A character no field stores: control characters (line breaks and tabs allowed in
    paragraphs), lone surrogates, and bidirectional overrides outside paragraphs."""
    if long_text and character in _LINE_BREAKS:
        return False
    if unicodedata.category(character) in ("Cc", "Cs"):
        return True
    return character in _BIDI_CONTROLS and not long_text
