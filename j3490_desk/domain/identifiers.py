"""The clinic's and payers' identifiers as typed in Settings: tax ID, state, ZIP code, and the
mailing address that ends with them. The NPI has its own module (`domain.npi`).

Sources: the CMS-1500 (NUCC 1500 Claim Form Reference Instruction Manual, item 25) takes the
Federal Tax ID as an SSN or an EIN, both nine digits (IRS: an EIN is written 12-3456789);
state codes and ZIP codes are USPS Publication 28 (Appendix B two-letter abbreviations,
ZIP as five digits or ZIP+4, 12345-6789). Each function returns what is wrong, in words a
clerk can act on, or None when the text is fine or empty (an optional field left empty).
"""

from __future__ import annotations

import re

TAX_ID_DIGITS = 9
# USPS Publication 28, Appendix B: states, DC, territories and the military "states".
STATE_CODES = frozenset(
    [
        "AL",
        "AK",
        "AZ",
        "AR",
        "CA",
        "CO",
        "CT",
        "DE",
        "FL",
        "GA",
        "HI",
        "ID",
        "IL",
        "IN",
        "IA",
        "KS",
        "KY",
        "LA",
        "ME",
        "MD",
        "MA",
        "MI",
        "MN",
        "MS",
        "MO",
        "MT",
        "NE",
        "NV",
        "NH",
        "NJ",
        "NM",
        "NY",
        "NC",
        "ND",
        "OH",
        "OK",
        "OR",
        "PA",
        "RI",
        "SC",
        "SD",
        "TN",
        "TX",
        "UT",
        "VT",
        "VA",
        "WA",
        "WV",
        "WI",
        "WY",
        "DC",
        "AS",
        "GU",
        "MP",
        "PR",
        "VI",
        "FM",
        "MH",
        "PW",
        "AA",
        "AE",
        "AP",
    ]
)
_TAX_ID = re.compile(r"\d{2}-?\d{7}|\d{3}-\d{2}-\d{4}")  # EIN 12-3456789 or SSN 123-45-6789
_ZIP = re.compile(r"\d{5}(?:-?\d{4})?")
_ADDRESS_END = re.compile(r"(?P<state>[A-Za-z.]+)[,\s]+(?P<zip>[\d-]+)$")


def tax_id_problem(text: str) -> str | None:
    typed = text.strip()
    if not typed or _TAX_ID.fullmatch(typed):
        return None
    digits = sum(character.isdigit() for character in typed)
    if digits != TAX_ID_DIGITS or not re.fullmatch(r"[\d -]+", typed):
        return (
            f"The tax ID has {digits} digits; an EIN or SSN has exactly {TAX_ID_DIGITS} "
            "(e.g. 12-3456789). Check it against the clinic's IRS letter."
        )
    return "Write the tax ID as 12-3456789 (EIN), 123-45-6789 (SSN) or 9 digits in a row."


def state_problem(text: str) -> str | None:
    typed = text.strip()
    if not typed or typed.upper() in STATE_CODES:
        return None
    return f"'{typed[:20]}' is not a state: use the two-letter postal code, e.g. MN or TX."


def zip_problem(text: str) -> str | None:
    typed = text.strip()
    if not typed or _ZIP.fullmatch(typed):
        return None
    digits = sum(character.isdigit() for character in typed)
    return (
        f"The ZIP code '{typed[:20]}' has {digits} digits; it must have 5, or 9 as ZIP+4 "
        "(e.g. 55802 or 55802-1234)."
    )


def address_problem(text: str) -> str | None:
    """A US mailing address ends with its state and ZIP code: '... Duluth MN 55802'."""
    typed = text.strip()
    if not typed:
        return None
    end = _ADDRESS_END.search(typed)
    if end is None:
        return (
            "End the address with the state and ZIP code, e.g. '1200 Harbor Rd, Duluth MN "
            "55802': it is printed on every cover sheet and letter."
        )
    return state_problem(end["state"].replace(".", "")) or zip_problem(end["zip"])
