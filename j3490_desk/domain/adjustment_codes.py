"""CARC and RARC code formats (X12 Claim Adjustment Reason Codes, CMS Remittance Advice Remark
Codes, as published at x12.org/codes). Pure: the descriptions live in a list the clinic imports.

CARC: 1 to 3 digits (16, 197, 272) or one letter and 1-2 digits (A1, B7, P2, W1, Y3).
RARC: M + 1-3 digits (M119), MA + 2-3 digits (MA130), N + 1-3 digits (N350).
"""

from __future__ import annotations

import enum
import re

CARC_PATTERN = re.compile(r"(?:[1-9]\d{0,2}|[A-Z][1-9]\d?)")
RARC_PATTERN = re.compile(r"(?:M[1-9]\d{0,2}|MA\d{2,3}|N[1-9]\d{0,2})")
GROUP_CODES = ("CO", "PR", "OA", "PI", "CR")


class CodeType(enum.StrEnum):
    CARC = "CARC"
    RARC = "RARC"


def split_codes(text: str) -> list[str]:
    """Codes as typed: separated by spaces or commas, upper-cased, duplicates dropped."""
    seen: list[str] = []
    for code in re.split(r"[\s,;]+", text.strip().upper()):
        if code and code not in seen:
            seen.append(code)
    return seen


def code_problem(code_type: CodeType, code: str) -> str | None:
    """A sentence saying why `code` is not a valid code of this type, or None."""
    pattern = CARC_PATTERN if code_type is CodeType.CARC else RARC_PATTERN
    if pattern.fullmatch(code):
        return None
    group = code.split("-", 1)[0]
    if code_type is CodeType.CARC and group in GROUP_CODES and "-" in code:
        return f"'{code}' includes the group code {group}: type the reason code alone ({code[len(group) + 1 :]})."
    if code_type is CodeType.CARC:
        return f"'{code}' is not a CARC: those are 1-3 digits (16, 197) or a letter and digits (A1, B7, P2)."
    return f"'{code}' is not a RARC: those are M, MA or N followed by digits (M119, MA130, N350)."
