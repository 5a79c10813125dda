"""The identifiers an electronic claim adds to the clinic's details: the provider taxonomy,
the X12 submitter and receiver IDs, the phone and the test/production indicator.

Sources: the NUCC Health Care Provider Taxonomy code set (every code is ten characters, the
last one "X", e.g. 207Q00000X); X12 005010X222A1 ISA06/ISA08 (2 to 15 characters, as the
clearinghouse assigns them) and ISA15 (T test data, P production data); PER04 telephone as
ten digits (the TR3's North American number). Each function returns what is wrong, in words a
clerk can act on, or None when the text is fine or empty (an optional field left empty).
"""

from __future__ import annotations

import re

TAXONOMY_LENGTH = 10
X12_ID_MAX = 15  # ISA06 / ISA08
USAGES = ("T", "P")
_TAXONOMY = re.compile(r"[0-9A-Z]{9}X")
_X12_ID = re.compile(r"[0-9A-Za-z]{2,15}")


def taxonomy_problem(text: str) -> str | None:
    typed = text.strip().upper()
    if not typed or _TAXONOMY.fullmatch(typed):
        return None
    return (
        f"'{typed[:20]}' is not a provider taxonomy code: it has {TAXONOMY_LENGTH} characters "
        "and ends in X (e.g. 207Q00000X); the clinic's NPPES record lists it."
    )


def x12_id_problem(text: str) -> str | None:
    typed = text.strip()
    if not typed or _X12_ID.fullmatch(typed):
        return None
    return (
        f"'{typed[:20]}' is not an X12 ID: 2 to {X12_ID_MAX} letters or digits, exactly as the "
        "clearinghouse gave it (no spaces)."
    )


def usage_problem(text: str) -> str | None:
    typed = text.strip().upper()
    if typed in USAGES:
        return None
    return "Usage is T (test files, while the clearinghouse tests you) or P (production)."


def phone_problem(text: str) -> str | None:
    typed = text.strip()
    digits = "".join(character for character in typed if character.isdigit())
    if not typed or (len(digits) == 10 and re.fullmatch(r"[\d ()+.-]+", typed)):
        return None
    return f"The phone number has {len(digits)} digits; type the 10 digits, e.g. 218-555-0142."
