"""ICD-10-CM diagnosis codes: syntax (domain.md section 11) and lookup in the code set.

The code set comes from the PyPI package simple_icd_10_cm, which ships one code-set year
offline: FY2026, April 1, 2026 update (files icd10c-tabular-April-1-2026.xml and
code-list-April-2026.txt). ICD-10-CM changes every 1 October and, since 2021, every 1 April
(domain.md section 11), so the lookup is exact only for dates of service from 2026-04-01 to
2026-09-30. For other dates a code may have been added, split or deleted since: treat
"not found" or "not billable" as a warning to check, not as proof (see `code_set_covers`).

Importing the package takes about 4 seconds (it parses the whole XML), so it is imported
on the first lookup, not with this module.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Protocol

# The dates of service for which the shipped code set is the one in force.
CODE_SET_NAME = "ICD-10-CM FY2026 (April 1, 2026 update)"
CODE_SET_VALID_FROM = date(2026, 4, 1)
CODE_SET_VALID_TO = date(2026, 9, 30)

# domain.md section 11 (SEER training; AAPC): letter (U included), digit, then letters or
# digits, 3 to 7 characters, the dot written after the third.
_SYNTAX = re.compile(r"[A-Z][0-9][0-9A-Z](\.?[0-9A-Z]{1,4})?")
_MIN_LENGTH, _MAX_LENGTH = 3, 7
_EXAMPLE = "e.g. E11.9"
_SHOWN_LIMIT = 20
_DIGIT_LOOKALIKES = {
    "O": " (zero rather than the letter O?)",
    "I": " (1 rather than the letter I?)",
}


class Icd10Error(ValueError):
    """Text that is not an ICD-10-CM code; the message says what to fix."""


@dataclass(frozen=True)
class Icd10Code:
    code: str  # dotted, e.g. "E11.9"
    description: str
    billable: bool  # a leaf of the code tree: the lowest level, the only one claims accept


def code_set_covers(date_of_service: date) -> bool:
    """True when the shipped code set was the one in force on the date of service."""
    return CODE_SET_VALID_FROM <= date_of_service <= CODE_SET_VALID_TO


def _shown(text: str) -> str:
    return text if len(text) <= _SHOWN_LIMIT else text[:_SHOWN_LIMIT] + "…"


def _character_problem(code: str) -> str | None:
    """Mistakes in the first two characters, with the usual letter/digit mix-ups named."""
    first, second = code[0], code[1:2]
    if not ("A" <= first <= "Z"):
        zero_hint = " (the letter O rather than zero?)" if first == "0" else ""
        return f"An ICD-10-CM code starts with a letter, not '{first}'{zero_hint}, {_EXAMPLE}."
    if second and not second.isdigit():
        return (
            f"The second character of an ICD-10-CM code is a digit, not '{second}'"
            f"{_DIGIT_LOOKALIKES.get(second, '')}, {_EXAMPLE}."
        )
    return None


def icd10_syntax_problem(text: str) -> str | None:
    """What is wrong with the form of a diagnosis code, or None when it could be one.

    Syntax alone does not show that the code exists or is billable: see `lookup_icd10`.
    """
    typed = text.strip()
    if not typed:
        return f"The diagnosis code is empty. Type an ICD-10-CM code, {_EXAMPLE}."
    # Checked before upper-casing: "ß".upper() is "SS", which would slip through.
    if not (typed.isascii() and typed.replace(".", "").isalnum()):
        return (
            f"'{_shown(typed)}' has characters an ICD-10-CM code never has. Use letters, "
            f"digits and one dot only, {_EXAMPLE}."
        )
    code = typed.upper()
    character_problem = _character_problem(code)
    if character_problem:
        return character_problem
    length = len(code.replace(".", ""))
    if not _MIN_LENGTH <= length <= _MAX_LENGTH:
        return (
            f"An ICD-10-CM code has 3 to 7 characters, not counting the dot; "
            f"'{_shown(code)}' has {length}. Check the code in the diagnosis list."
        )
    if "." in code and (code.index(".") != 3 or code.endswith(".")):
        return (
            f"In '{_shown(code)}' the dot is misplaced: it goes after the third character, "
            f"with at least one character after it, {_EXAMPLE}."
        )
    if not _SYNTAX.fullmatch(code):  # e.g. two dots
        return f"'{_shown(code)}' is not in ICD-10-CM form, {_EXAMPLE}."
    return None


def normalize_icd10(text: str) -> str:
    """The dotted upper-case form ("e119 " -> "E11.9"); raises Icd10Error for bad syntax."""
    problem = icd10_syntax_problem(text)
    if problem:
        raise Icd10Error(problem)
    code = text.strip().upper().replace(".", "")
    return code if len(code) == _MIN_LENGTH else f"{code[:3]}.{code[3:]}"


class _CodeSet(Protocol):
    """The part of simple_icd_10_cm used here (the package has no type hints)."""

    def is_valid_item(self, code: str) -> bool: ...
    def is_chapter_or_block(self, code: str) -> bool: ...
    def is_leaf(self, code: str) -> bool: ...
    def get_description(self, code: str) -> str: ...


@cache
def _code_set() -> _CodeSet:
    # The package uses importlib.resources calls deprecated in Python 3.11; the warnings
    # are about its code, not ours, and would otherwise fail strict test runs.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        import simple_icd_10_cm

    code_set: _CodeSet = simple_icd_10_cm
    return code_set


def lookup_icd10(text: str) -> Icd10Code | None:
    """The code with its description and billability; None when it is not in the code set.

    Checked against the FY2026 (April 2026) code set only; see the module docstring.
    """
    try:
        code = normalize_icd10(text)
    except Icd10Error:
        return None
    code_set = _code_set()
    if not code_set.is_valid_item(code) or code_set.is_chapter_or_block(code):
        return None
    return Icd10Code(
        code=code,
        description=code_set.get_description(code),
        billable=code_set.is_leaf(code),
    )
