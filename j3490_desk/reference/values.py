"""Cell values as FDA and CMS write them: YYYYMMDD dates, "$2.462" amounts, loose headers."""

from __future__ import annotations

import functools
import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

_SPACES = re.compile(r"\s+")
_QUARTER_PHRASE = re.compile(
    r"(?:effective\s+)?([A-Z][a-z]+\s+\d{1,2},\s*\d{4})\s+through\s+([A-Z][a-z]+\s+\d{1,2},\s*\d{4})",
    re.IGNORECASE,
)
_CALENDAR_YEAR = re.compile(r"\b(?:CY|calendar year)\s*(\d{4})\b", re.IGNORECASE)


def header_key(cell: str) -> str:
    """Header cells compared loosely: case, NBSPs and runs of spaces do not matter."""
    return _SPACES.sub(" ", cell.replace("\xa0", " ")).strip().upper()


def clean(cell: str) -> str:
    return cell.replace("\xa0", " ").strip()


@functools.lru_cache(maxsize=65536)  # FDA files repeat a few thousand dates 700k times
def yyyymmdd(cell: str) -> str | None:
    """'20190731' -> '2019-07-31'; '' -> None; anything else raises ValueError."""
    text = cell.strip()
    if not text:
        return None
    if len(text) != 8 or not (text.isascii() and text.isdigit()):
        raise ValueError(text)
    # date() validates month and day; much faster than strptime for 700k FDA dates.
    return date(int(text[:4]), int(text[4:6]), int(text[6:])).isoformat()


def decimal_text(cell: str) -> str | None:
    """'$1,234.50' -> '1234.50' (kept as text for exact Decimal); '' -> None; else ValueError."""
    text = clean(cell).replace("$", "").replace(",", "")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation as error:
        raise ValueError(text) from error
    if not value.is_finite():
        raise ValueError(text)
    return text


def to_decimal(text: str | None) -> Decimal | None:
    return Decimal(text) if text else None


def effective_period(texts: list[str]) -> tuple[date, date] | None:
    """The quarter a CMS file states in its preamble: 'Effective January 1, 2026 through ...'."""
    for text in texts:
        match = _QUARTER_PHRASE.search(clean(text))
        if match:
            try:
                start, end = (_long_date(group) for group in match.groups())
            except ValueError:  # a damaged preamble ("anuary 1, 2026"): keep looking
                continue
            if start <= end:
                return start, end
    return None


def calendar_year(texts: list[str]) -> tuple[date, date] | None:
    """The year a CMS OPPS addendum names in its title ("... by HCPCS Code for CY 2025")."""
    for text in texts:
        match = _CALENDAR_YEAR.search(clean(text))
        if match:
            year = int(match.group(1))
            return date(year, 1, 1), date(year, 12, 31)
    return None


def _long_date(text: str) -> date:
    return datetime.strptime(_SPACES.sub(" ", text.replace(",", ", ")), "%B %d, %Y").date()


def quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def quarter_end(day: date) -> date:
    start = quarter_start(day)
    next_month = start.month + 3
    following = date(start.year + (next_month > 12), (next_month - 1) % 12 + 1, 1)
    return date.fromordinal(following.toordinal() - 1)


def quarter_label(day: date) -> str:
    return f"{day.year} Q{(day.month - 1) // 3 + 1}"


def period_label(start: date, end: date | None) -> str:
    """A quarter's label ("2025 Q4"), or "CY 2025" for a file that covers a whole year."""
    if end == date(start.year, 12, 31) and (start.month, start.day) == (1, 1):
        return f"CY {start.year}"
    return quarter_label(start)
