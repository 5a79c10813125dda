"""National Provider Identifier: the format and check digit (domain.md section 4).

An NPI is 10 digits and starts with 1 or 2 (providernpisearch.com). Its last digit is a
Luhn check digit computed over the prefix "80840" plus the first nine digits (CMS
"Requirements for NPI Check Digit"); e.g. 123456789 -> 3, so 1234567893 is valid.
"""

from __future__ import annotations

_LENGTH = 10
_FIRST_DIGITS = ("1", "2")
# Luhn sum of the card-issuer prefix 80840 when it stands in front of nine digits (CMS spec).
_PREFIX_LUHN_SUM = 24


def npi_check_digit(first_nine: str) -> int:
    """The check digit for the first nine digits of an NPI (Luhn over "80840" + them)."""
    total = _PREFIX_LUHN_SUM
    # Luhn doubles every second digit counting from the right of the payload; with nine
    # payload digits those are the 1st, 3rd, 5th, 7th and 9th.
    for position, char in enumerate(first_nine):
        digit = int(char)
        if position % 2 == 0:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return (10 - total % 10) % 10


def _is_ascii_digits(text: str) -> bool:
    return text.isascii() and text.isdigit()


def npi_problem(text: str) -> str | None:
    """What is wrong with an NPI as typed, in words a clerk can act on; None when valid."""
    npi = text.strip()
    if not npi:
        return "The NPI is empty. Type the provider's 10-digit NPI (it is on the NPPES registry)."
    if not _is_ascii_digits(npi):
        return (
            "The NPI may contain digits only. Remove any letters, spaces or hyphens so that "
            "exactly 10 digits remain."
        )
    if len(npi) != _LENGTH:
        return (
            f"The NPI has {len(npi)} digits; it must have exactly {_LENGTH}. "
            "Check for a missing or extra digit."
        )
    if npi[0] not in _FIRST_DIGITS:
        return (
            f"An NPI starts with 1 or 2, but this one starts with {npi[0]}. "
            "Check the NPI against the provider's record."
        )
    expected = npi_check_digit(npi[:9])
    if int(npi[9]) != expected:
        return f"The last digit should be {expected}; check for a typo."
    return None


def is_valid_npi(text: str) -> bool:
    """True when the text is a well-formed NPI with a correct check digit. Never raises."""
    return npi_problem(text) is None
