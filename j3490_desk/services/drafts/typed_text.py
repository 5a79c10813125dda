"""What the clerk types, read as the claim needs it: amounts, short and long text, and
ICD-10-CM codes with their descriptions."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from j3490_desk.domain.icd10 import icd10_syntax_problem, lookup_icd10, normalize_icd10
from j3490_desk.domain.input_limits import (
    LONG_TEXT_LIMIT,
    TEXT_LIMIT,
    amount_problem,
    refused_character,
)

__all__ = [
    "LONG_TEXT_LIMIT",
    "TEXT_LIMIT",
    "Parsed",
    "clean_text",
    "diagnosis_lines",
    "parse_amount",
    "split_codes",
]


@dataclass(frozen=True)
class Parsed:
    """What a typed field means: its value (None when empty or unreadable) and a message."""

    value: Decimal | None
    problem: str | None = None


def parse_amount(text: str, field: str = "") -> Parsed:
    """An amount as typed: digits with one decimal point; "1,000" is read as 1000. `field` (e.g.
    "charge") brings the bounds a claim file is held to (domain.input_limits)."""
    cleaned = text.strip().replace(",", "")
    if not cleaned:
        return Parsed(None)
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return Parsed(None, f"'{text.strip()[:20]}' is not a number. Type digits, e.g. 45 or 12.5.")
    if not value.is_finite():
        return Parsed(None, "Type an amount in digits, e.g. 45 or 12.5.")
    problem = amount_problem(field, value)
    if problem is not None:
        return Parsed(None, f"Not kept: {problem}.")
    return Parsed(value)


def clean_text(text: str, limit: int = TEXT_LIMIT) -> tuple[str, str | None]:
    """The text to keep, trimmed to `limit`, and a message when it was cut or will not print.

    Control characters (terminal escapes among them) and, outside paragraphs, bidirectional
    overrides are not kept: they hide or reverse what a name shows (domain.input_limits)."""
    long_text = limit > TEXT_LIMIT
    removed = [c for c in text if refused_character(c, long_text=long_text)]
    if removed:
        text = "".join(c for c in text if not refused_character(c, long_text=long_text))
    kept = text.strip()[:limit]
    if removed:
        return kept, (
            f"{len(removed)} control or text-direction character(s) were removed: they could "
            "hide or reverse what is printed."
        )
    if len(text.strip()) > limit:
        return kept, (f"Too long: {len(text.strip())} characters. Only the first {limit} are kept.")
    if any(_unprintable_on_claim(c) for c in kept):
        return kept, (
            "Contains characters a claim form cannot carry (such as emoji). They are kept in "
            "the draft; remove them before submitting."
        )
    return kept, None


def _unprintable_on_claim(character: str) -> bool:
    # CMS-1500 and X12 carry letters, digits and punctuation; emoji and symbols do not survive.
    return ord(character) > 0xFFFF or unicodedata.category(character) in {"So", "Cs", "Co", "Cc"}


def diagnosis_lines(text: str) -> list[str]:
    """Each typed ICD-10-CM code with its description, or what is wrong with it."""
    shown = []
    for raw in split_codes(text):
        problem = icd10_syntax_problem(raw)
        if problem is not None:
            shown.append(f"{raw[:20]}: {problem}")
            continue
        found = lookup_icd10(raw)
        if found is None:
            shown.append(f"{normalize_icd10(raw)}: not in the ICD-10-CM code set.")
        else:
            heading = "" if found.billable else " (a heading: use a more specific code)"
            shown.append(f"{found.code}: {found.description}{heading}")
    return shown


def split_codes(text: str) -> tuple[str, ...]:
    return tuple(part for part in text.replace(",", " ").replace(";", " ").split() if part)
