"""X12 text at the level of segments and elements: separators, cleaning, dates and amounts.

Separators are the ones almost every clearinghouse expects in a 005010 file: `*` between
elements, `:` between components, `^` for repetitions, `~` ending each segment (followed by
a line break, which X12 readers ignore and people reading the file need).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from j3490_desk.domain.amounts import plain_amount

ELEMENT = "*"
COMPONENT = ":"
REPETITION = "^"
TERMINATOR = "~"
_SEPARATORS = str.maketrans({ELEMENT: " ", COMPONENT: " ", REPETITION: " ", TERMINATOR: " "})


def clean(text: str, limit: int | None = None) -> str:
    """Free text as an X12 element: separators become spaces (they would split the element),
    runs of spaces one, and upper case, the way payers print claims."""
    words = " ".join(text.translate(_SEPARATORS).split()).upper()
    return words[:limit].rstrip() if limit is not None else words


def digits(text: str) -> str:
    return "".join(character for character in text if character.isdigit())


def segment(tag: str, *elements: str) -> str:
    """One segment; trailing empty elements are left out, as X12 requires."""
    values = list(elements)
    while values and values[-1] == "":
        values.pop()
    return ELEMENT.join((tag, *values)) + TERMINATOR


def composite(*components: str) -> str:
    values = list(components)
    while values and values[-1] == "":
        values.pop()
    return COMPONENT.join(values)


def d8(day: date) -> str:
    return day.strftime("%Y%m%d")


def hhmm(moment: datetime) -> str:
    return moment.strftime("%H%M")


def amount(value: Decimal) -> str:
    """X12 type R: "60100", "4.5"; no trailing zeros, no thousands separator."""
    return plain_amount(value)


def person_name(name: str) -> tuple[str, str]:
    """(last, first) from "Last, First" or "First Last" (a single word is the last name)."""
    if "," in name:
        last, first = name.split(",", 1)
        return clean(last, 60), clean(first, 35)
    words = name.split()
    if len(words) < 2:
        return clean(name, 60), ""
    return clean(words[-1], 60), clean(" ".join(words[:-1]), 35)
